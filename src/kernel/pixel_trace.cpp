#include <tilebragg/pixel_trace.hpp>

#include <tilebragg/kernel_data.hpp>
#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/pixel_model.hpp>
#include <tilebragg/render_tile.hpp>
#include <tilebragg/structure_factor.hpp>

namespace tilebragg {

template <typename T>
PixelTrace trace_pixel(const KernelView<T>& k, int fpixel, int spixel) {
    const DetectorView<T>& d = k.detector;
    const int last_sub = d.oversample - 1, layer = d.layers - 1;
    PixelTrace t;
    t.fpixel = fpixel;
    t.spixel = spixel;
    const Vec3T<T> position = subpixel_position(d, subpixel_centre(d, fpixel, last_sub),
                                                subpixel_centre(d, spixel, last_sub), layer_depth(d, layer));
    t.position = position.template as<double>();
    const PixelRay<T> ray = pixel_ray(d, position);
    t.omega = double(ray.omega);
    t.capture = d.thickness == T(0) ? 1.0 : double(capture_fraction(d, layer, ray.dir));

    const int src = k.beam.sources - 1;
    const Vec3T<T> S = scattering_vector(ray.dir, k.beam.incident[src], k.beam.inv_lambda[src]);
    t.stol = double(stol_of(S)) * 1e10;
    t.polar = k.beam.nopolar ? 1.0
                             : double(polarization_factor(k.beam.incident[src], ray.dir, k.beam.e_in[src],
                                                          k.beam.b_in[src], k.beam.kahn));

    const CrystalView<T>& x = k.crystal;
    const int o = x.orientations - 1;
    t.a = x.a[o].template as<double>();
    t.b = x.b[o].template as<double>();
    t.c = x.c[o].template as<double>();
    const T h = miller_index(x.a[o], S), kk = miller_index(x.b[o], S), l = miller_index(x.c[o], S);
    const T h0 = nearest_index(h), k0 = nearest_index(kk), l0 = nearest_index(l);
    t.h = double(h), t.k = double(kk), t.l = double(l);
    t.h0 = int(h0), t.k0 = int(k0), t.l0 = int(l0);
    t.F_latt = double(
        lattice_factor(x.shape, h - h0, kk - k0, l - l0, x.Na, x.Nb, x.Nc, x.fudge, x.a_star, x.b_star, x.c_star));
    t.F_cell = double(structure_factor(k.F, h, kk, l, t.h0, t.k0, t.l0));

    // The pixel itself, through the kernel: a pixel does not depend on its tile, so
    // rendering it alone gives the image's value.
    render_tile(k, Tile{fpixel, fpixel + 1, spixel, spixel + 1}, &t.value);
    return t;
}

namespace {

template <typename T>
void print_traces(const Experiment& e, const std::vector<float>& image, std::FILE* out) {
    const KernelData<T> data(e);
    const Params& p = e.params;
    const int nf = e.detector.fpixels;
    for (int s = e.roi.slow_min; s <= e.roi.slow_max && s < e.detector.spixels; ++s)
        for (int f = e.roi.fast_min; f <= e.roi.fast_max && f < nf; ++f) {
            if (p.printout_fpixel >= 0 && !(f == p.printout_fpixel && s == p.printout_spixel)) continue;
            print_pixel_trace(trace_pixel(data.view(), f, s), image[static_cast<std::size_t>(s) * nf + f], out);
        }
}

}  // namespace

void print_pixel_traces(const Experiment& e, const std::vector<float>& image, std::FILE* out) {
    if (e.params.precision == Precision::Double) return print_traces<double>(e, image, out);
    print_traces<float>(e, image, out);
}

void print_pixel_trace(const PixelTrace& t, float pixel_value, std::FILE* out) {
    std::fprintf(out, "%4d %4d : stol = %g\n", t.fpixel, t.spixel, t.stol);
    std::fprintf(out, "at %g %g %g\n", t.position.x, t.position.y, t.position.z);
    std::fprintf(out, "hkl= %f %f %f  hkl0= %d %d %d\n", t.h, t.k, t.l, t.h0, t.k0, t.l0);
    std::fprintf(out, " F_cell=%g  F_latt=%g\n", t.F_cell, t.F_latt);
    std::fprintf(out, "polar   %15.10g\n", t.polar);
    std::fprintf(out, "omega   %15.10g\n", t.omega);
    std::fprintf(out, "capfrac %15.10g\n", t.capture);
    std::fprintf(out, "pixel   %15.10g\n", static_cast<double>(pixel_value));
    std::fprintf(out, "real-space cell vectors (Angstrom):\n     %-10s  %-10s  %-10s\n", "a", "b", "c");
    std::fprintf(out, "X: %11.8f %11.8f %11.8f\n", t.a.x, t.b.x, t.c.x);
    std::fprintf(out, "Y: %11.8f %11.8f %11.8f\n", t.a.y, t.b.y, t.c.y);
    std::fprintf(out, "Z: %11.8f %11.8f %11.8f\n", t.a.z, t.b.z, t.c.z);
}

template PixelTrace trace_pixel<float>(const KernelView<float>&, int, int);
template PixelTrace trace_pixel<double>(const KernelView<double>&, int, int);

}  // namespace tilebragg
