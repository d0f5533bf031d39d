#include <tilebragg/pixel_trace.hpp>

#include <cmath>

#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/structure_factor.hpp>

namespace tilebragg {

PixelTrace trace_pixel(const Experiment& e, int fpixel, int spixel) {
    const DetectorGeometry& d = e.detector;
    const int os = e.oversample;
    const double sub = d.pixel_size / os;
    PixelTrace t;
    t.fpixel = fpixel;
    t.spixel = spixel;
    const double Fdet = sub * (fpixel * os + os - 1) + sub / 2.0;
    const double Sdet = sub * (spixel * os + os - 1) + sub / 2.0;
    const double Odet = (e.sensor.layers - 1) * e.sensor.layer_step;
    t.position = d.fdet * Fdet + d.sdet * Sdet + d.odet * Odet + d.pix0;
    const double airpath = norm(t.position);
    const Vec3 diffracted = t.position / airpath;
    t.omega = d.point_pixel ? 1.0 / airpath / airpath
                            : d.pixel_size * d.pixel_size / airpath / airpath * d.close_distance / airpath;
    const Source& src = e.sources.back();
    const Vec3 S = (diffracted - src.incident) / src.lambda;
    t.stol = 0.5 * norm(S);
    const double parallax = dot(diffracted, d.odet);
    const int layer = e.sensor.layers - 1;
    t.capture = e.sensor.thickness == 0.0 ? 1.0
                                          : std::exp(-layer * e.sensor.layer_step * e.sensor.mu / parallax) -
                                                std::exp(-(layer + 1) * e.sensor.layer_step * e.sensor.mu / parallax);
    t.cell = e.orientations.back();
    t.h = dot(t.cell.a, S);
    t.k = dot(t.cell.b, S);
    t.l = dot(t.cell.c, S);
    t.h0 = static_cast<int>(std::ceil(t.h - 0.5));
    t.k0 = static_cast<int>(std::ceil(t.k - 0.5));
    t.l0 = static_cast<int>(std::ceil(t.l - 0.5));
    const CrystalModel& x = e.crystal;
    t.F_latt = lattice_factor<double>(x.shape, t.h - t.h0, t.k - t.k0, t.l - t.l0, x.Na, x.Nb, x.Nc, x.fudge, x.a_star,
                                      x.b_star, x.c_star);
    const HklGrid& F = e.structure_factors;
    if (e.interpolate && can_interpolate(F, t.h, t.k, t.l)) t.F_cell = interpolated_F(F, t.h, t.k, t.l);
    else t.F_cell = nearest_F(F, F.hkls > 0, t.h0, t.k0, t.l0, e.params.default_F);
    return t;
}

void print_pixel_trace(const PixelTrace& t, float pixel_value, std::FILE* out) {
    std::fprintf(out, "%4d %4d : stol = %g\n", t.fpixel, t.spixel, t.stol);
    std::fprintf(out, "at %g %g %g\n", t.position.x, t.position.y, t.position.z);
    std::fprintf(out, "hkl= %f %f %f  hkl0= %d %d %d\n", t.h, t.k, t.l, t.h0, t.k0, t.l0);
    std::fprintf(out, " F_cell=%g  F_latt=%g\n", t.F_cell, t.F_latt);
    std::fprintf(out, "omega   %15.10g\n", t.omega);
    std::fprintf(out, "capfrac %15.10g\n", t.capture);
    std::fprintf(out, "pixel   %15.10g\n", static_cast<double>(pixel_value));
    std::fprintf(out, "real-space cell vectors (Angstrom):\n     %-10s  %-10s  %-10s\n", "a", "b", "c");
    std::fprintf(out, "X: %11.8f %11.8f %11.8f\n", t.cell.a.x * 1e10, t.cell.b.x * 1e10, t.cell.c.x * 1e10);
    std::fprintf(out, "Y: %11.8f %11.8f %11.8f\n", t.cell.a.y * 1e10, t.cell.b.y * 1e10, t.cell.c.y * 1e10);
    std::fprintf(out, "Z: %11.8f %11.8f %11.8f\n", t.cell.a.z * 1e10, t.cell.b.z * 1e10, t.cell.c.z * 1e10);
}

}  // namespace tilebragg
