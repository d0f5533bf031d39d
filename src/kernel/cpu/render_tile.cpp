// The CPU pixel kernel, vectorised across the pixels of a row. A pure function of a
// KernelView and a tile: no threads, no allocation, no I/O (the CPU renderer spreads
// rows over OpenMP threads).
//
// Each pixel follows the reference's loop order
//   sensor layer > sub-pixel (slow, fast) > source > phi step > mosaic domain
// because that order decides the numbers when the -oversample_* switches multiply the
// running sum, and because the per-pixel factors (solid angle, polarization, capture
// fraction) are taken from the first sub-pixel that computes them unless those switches
// ask for them per sub-pixel: the reference's "last value" rule.
//
// The loops are turned inside out: a chunk of kLanes neighbouring pixels of one row is
// carried together, the layer / sub-pixel / source / orientation loops run outside and
// the innermost loop runs over the chunk's pixels, where the compiler can use vector
// registers. Every pixel keeps its own running sum and its own "last value" state, so a
// pixel sees the same sequence of operations as when rendered alone. A chunk always has
// kLanes lanes (lanes past the end of the row are computed and dropped), so no pixel
// ever lands in a scalar remainder loop: a pixel's value does not depend on the tile.
// Every formula is the pixel model's (pixel_model.hpp, lattice_shape.hpp,
// structure_factor.hpp); only the square-crystal F_latt has faster forms here.
#include <tilebragg/render_tile.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/pixel_model.hpp>
#include <tilebragg/structure_factor.hpp>

#include "kernel/cpu/sin_pi.hpp"
#include "kernel/grating.hpp"
#include "kernel/orientation_path.hpp"

namespace tilebragg {
namespace {

using kernel_math::grating;
using kernel_math::kMaxRecurrenceN;
using kernel_math::sin_pi_reduced;
using kernel_math::sin_pi_unsigned;

constexpr int kLanes = 64;

template <typename T>
struct alignas(64) Chunk {
    // per-pixel state carried across sub-pixels
    T I[kLanes], polar[kLanes], omega[kLanes], capture[kLanes];
    // current sub-pixel: unit vector to the pixel
    T dx[kLanes], dy[kLanes], dz[kLanes];
    // current source: scattering vector (1/Angstrom) and whether the source counts (dmin)
    T sx[kLanes], sy[kLanes], sz[kLanes], live[kLanes];
    // 1 for lanes that are written out, 0 for padding, masked and out-of-ROI lanes
    T render[kLanes];
    // each lane's sum of sub-pixel solid angles, as the reference accumulates them
    double omega_sum[kLanes];
};

// Direction to each lane's sub-pixel, and the solid angle and capture fraction where
// the "last value" rule asks for them.
template <typename T>
void subpixel_geometry(const DetectorView<T>& det, Chunk<T>& c, int f_first, int spixel, int layer, int sub_s,
                       int sub_f) {
    const T Odet = layer_depth(det, layer);
    const T Sdet = subpixel_centre(det, spixel, sub_s);
    const bool per_sub_omega = det.oversample_omega;
    T* __restrict dx = c.dx;
    T* __restrict dy = c.dy;
    T* __restrict dz = c.dz;
    T* __restrict omega = c.omega;

    if (!det.curved) {
#pragma omp simd aligned(dx, dy, dz, omega : 64)
        for (int i = 0; i < kLanes; ++i) {
            const T Fdet = subpixel_centre(det, f_first + i, sub_f);
            const PixelRay<T> r = flat_pixel_ray(det, detector_point(det, Fdet, Sdet, Odet));
            dx[i] = r.dir.x;
            dy[i] = r.dir.y;
            dz[i] = r.dir.z;
            omega[i] = omega[i] == T(0) || per_sub_omega ? r.omega : omega[i];
        }
    } else {
        for (int i = 0; i < kLanes; ++i) {
            const T Fdet = subpixel_centre(det, f_first + i, sub_f);
            const PixelRay<T> r = curved_pixel_ray(det, subpixel_position(det, Fdet, Sdet, Odet));
            dx[i] = r.dir.x;
            dy[i] = r.dir.y;
            dz[i] = r.dir.z;
            if (omega[i] == T(0) || per_sub_omega) omega[i] = r.omega;
        }
    }

    // Only thick sensors (or -oversample_thick) get here with work to do, so the
    // exponentials stay scalar.
    if (det.thickness != T(0) || det.oversample_thick) {
        for (int i = 0; i < kLanes; ++i)
            if (c.capture[i] == T(0) || det.oversample_thick)
                c.capture[i] = capture_fraction(det, layer, Vec3T<T>{dx[i], dy[i], dz[i]});
    }
}

// Scattering vector of source `src` for every lane, the dmin cut, and the polarization
// factor where the "last value" rule asks for it.
template <typename T>
void source_terms(const BeamView<T>& beam, bool per_sub_polar, Chunk<T>& c, int src) {
    const Vec3T<T> incident = beam.incident[src], e_in = beam.e_in[src], b_in = beam.b_in[src];
    const T inv_lambda = beam.inv_lambda[src], kahn = beam.kahn, dmin = beam.dmin;
    const T* __restrict dx = c.dx;
    const T* __restrict dy = c.dy;
    const T* __restrict dz = c.dz;
    T* __restrict sx = c.sx;
    T* __restrict sy = c.sy;
    T* __restrict sz = c.sz;
    T* __restrict live = c.live;
    T* __restrict polar = c.polar;
#pragma omp simd aligned(dx, dy, dz, sx, sy, sz, live, polar : 64)
    for (int i = 0; i < kLanes; ++i) {
        const Vec3T<T> dir{dx[i], dy[i], dz[i]};
        const Vec3T<T> S = scattering_vector(dir, incident, inv_lambda);
        sx[i] = S.x;
        sy[i] = S.y;
        sz[i] = S.z;
        const bool counts = passes_dmin(S, dmin);
        live[i] = counts ? T(1) : T(0);
        if (counts && (polar[i] == T(0) || per_sub_polar))
            polar[i] = polarization_factor(incident, dir, e_in, b_in, kahn);
    }
}

// Where F_cell comes from: the constant default_F; the nearest reflection, default_F
// outside the box (nearest_F_in_box); the nearest reflection, every one of this call
// known to be inside the box (nearest_F_inside: no bounds test).
enum class CellF { Default, Box, InsideBox };

// The common case, vectorised: square (parallelepiped) crystal, F_cell as kF says, and
// no -oversample_* switch multiplying the running sum. kN > 0: Na = Nb = Nc = kN, F_latt
// from the Chebyshev recurrence (no sines, no division); kN = 0: any N, F_latt from
// sin(pi x) polynomials.
// Kept out of line: inlined, the many instantiations make the caller so large that GCC
// stops inlining the small math helpers inside the loop, and the loop no longer vectorises.
template <typename T, CellF kF, int kN>
[[gnu::noinline]] void add_square_orientations(const KernelView<T>& k, Chunk<T>& c) {
    // Sine path: N <= 1 leaves the axis out (factor 1); with N = 1 the numerator and
    // denominator below are the same number, so the axis drops out without a branch.
    const CrystalView<T> x = k.crystal;
    const T Na = x.Na > T(1) ? x.Na : T(1), Nb = x.Nb > T(1) ? x.Nb : T(1), Nc = x.Nc > T(1) ? x.Nc : T(1);
    const StructureFactorView<T> F = k.F;
    const T* F_origin = kF == CellF::InsideBox ? F.F + box_index(F, 0, 0, 0) : nullptr;
    const T k_count = T(F.k_count), l_count = T(F.l_count);
    const T* __restrict sx = c.sx;
    const T* __restrict sy = c.sy;
    const T* __restrict sz = c.sz;
    const T* __restrict live = c.live;
    T* __restrict I = c.I;

    for (int o = 0; o < x.orientations; ++o) {
        const Vec3T<T> a = x.a[o], b = x.b[o], cc = x.c[o];
#pragma omp simd aligned(sx, sy, sz, live, I : 64)
        for (int i = 0; i < kLanes; ++i) {
            const Vec3T<T> S{sx[i], sy[i], sz[i]};
            const T h = miller_index(a, S), kk = miller_index(b, S), l = miller_index(cc, S);
            const T h0 = nearest_index(h), k0 = nearest_index(kk), l0 = nearest_index(l);
            const T dh = h - h0, dk = kk - k0, dl = l - l0;
            T F_latt;
            if constexpr (kN > 0) {
                F_latt = grating<kN>(dh) * grating<kN>(dk) * grating<kN>(dl);
            } else {
                // F_latt = prod sin(N pi d) / sin(pi d), N at d = 0, with a single division.
                // Only F_latt^2 is used, so the signs of the sines do not matter.
                const T num_a = dh == T(0) ? Na : sin_pi_unsigned(Na * dh);
                const T num_b = dk == T(0) ? Nb : sin_pi_unsigned(Nb * dk);
                const T num_c = dl == T(0) ? Nc : sin_pi_unsigned(Nc * dl);
                const T den_a = dh == T(0) ? T(1) : sin_pi_reduced(dh);
                const T den_b = dk == T(0) ? T(1) : sin_pi_reduced(dk);
                const T den_c = dl == T(0) ? T(1) : sin_pi_reduced(dl);
                F_latt = (num_a * num_b * num_c) / (den_a * den_b * den_c);
            }
            T F_cell = F.default_F;
            if constexpr (kF == CellF::Box) F_cell = nearest_F_in_box(F, h0, k0, l0);
            if constexpr (kF == CellF::InsideBox) F_cell = nearest_F_inside(F_origin, k_count, l_count, h0, k0, l0);
            // A source cut by dmin adds nothing. F_latt == 0 also adds nothing, which is
            // why no test for it is needed here (the sum is never multiplied on this path).
            const T term = step_intensity(F_cell, F_latt);
            I[i] = live[i] != T(0) ? I[i] + term : I[i];
        }
    }
}

// Everything else (round, Gaussian and top-hat spots, interpolated F_cell, the
// -oversample_* switches), one lane at a time with the C library's functions.
// A step whose F_latt the reference sees as zero is skipped unless there is water,
// and then nothing multiplies the running sum either.
template <typename T>
void add_general_orientations(const KernelView<T>& k, Chunk<T>& c) {
    const CrystalView<T>& x = k.crystal;
    const DetectorView<T>& det = k.detector;
    for (int o = 0; o < x.orientations; ++o) {
        for (int i = 0; i < kLanes; ++i) {
            if (c.live[i] == T(0)) continue;
            const Vec3T<T> S{c.sx[i], c.sy[i], c.sz[i]};
            const T h = miller_index(x.a[o], S), kk = miller_index(x.b[o], S), l = miller_index(x.c[o], S);
            const T h0 = nearest_index(h), k0 = nearest_index(kk), l0 = nearest_index(l);
            bool zero = false;
            const T F_latt = lattice_factor(x.shape, h - h0, kk - k0, l - l0, x.Na, x.Nb, x.Nc, x.fudge, x.a_star,
                                            x.b_star, x.c_star, zero);
            if (zero && !k.water) continue;
            const T F_cell = structure_factor(k.F, h, kk, l, int(h0), int(k0), int(l0));
            c.I[i] += step_intensity(F_cell, F_latt);
            if (det.oversample_thick) c.I[i] *= c.capture[i];
            if (det.oversample_polar) c.I[i] *= c.polar[i];
            if (det.oversample_omega) c.I[i] *= c.omega[i];
        }
    }
}

template <typename T, CellF kF, int kN>
void add_orientations_with_N(const KernelView<T>& k, Chunk<T>& c, int N) {
    if constexpr (kN > kMaxRecurrenceN) {
        (void)N;
        add_square_orientations<T, kF, 0>(k, c);
    } else {
        if (N == kN) return add_square_orientations<T, kF, kN>(k, c);
        add_orientations_with_N<T, kF, kN + 1>(k, c, N);
    }
}

// True when every lane's |S|^2 is at most `limit` (a NaN is not).
template <typename T>
bool all_within(const Chunk<T>& c, double limit) {
    const T lim = T(limit);
    const T* __restrict sx = c.sx;
    const T* __restrict sy = c.sy;
    const T* __restrict sz = c.sz;
    int outside = 0;
#pragma omp simd aligned(sx, sy, sz : 64) reduction(+ : outside)
    for (int i = 0; i < kLanes; ++i) outside += (sx[i] * sx[i] + sy[i] * sy[i] + sz[i] * sz[i] <= lim) ? 0 : 1;
    return outside == 0;
}

template <typename T>
void add_orientations(const KernelView<T>& k, const OrientationPath& path, Chunk<T>& c) {
    if (path.general) return add_general_orientations(k, c);
    // Lanes close enough to the direct beam cannot reach past the box (inside_box_s2).
    const bool inside = path.box && path.inside_s2 >= 0 && all_within(c, path.inside_s2);
    if (path.N == 0) {
        if (inside) return add_square_orientations<T, CellF::InsideBox, 0>(k, c);
        if (path.box) return add_square_orientations<T, CellF::Box, 0>(k, c);
        return add_square_orientations<T, CellF::Default, 0>(k, c);
    }
    if (inside) return add_orientations_with_N<T, CellF::InsideBox, 1>(k, c, path.N);
    if (path.box) return add_orientations_with_N<T, CellF::Box, 1>(k, c, path.N);
    add_orientations_with_N<T, CellF::Default, 1>(k, c, path.N);
}

// Renders lanes [f_first, f_first + kLanes) of row `spixel`; writes the lanes marked
// in c.render into `line` (indexed from line_f0) and returns their solid-angle sum.
template <typename T>
double render_chunk(const KernelView<T>& k, const OrientationPath& path, Chunk<T>& c, int f_first, int spixel,
                    float* line, int line_f0) {
    const DetectorView<T>& det = k.detector;
    const T I_bg = T(k.I_bg), polar0 = k.beam.nopolar ? T(1) : T(0);
    T* __restrict omega = c.omega;
    T* __restrict render = c.render;
    double* __restrict omega_sum = c.omega_sum;
#pragma omp simd aligned(omega, omega_sum : 64)
    for (int i = 0; i < kLanes; ++i) {
        c.I[i] = I_bg;
        c.polar[i] = polar0;
        omega[i] = T(0);
        c.capture[i] = T(0);
        omega_sum[i] = 0.0;
    }
    for (int layer = 0; layer < det.layers; ++layer) {
        const T capture0 = det.thickness == T(0) ? T(1) : T(0);
        for (int i = 0; i < kLanes; ++i) c.capture[i] = capture0;
        for (int sub_s = 0; sub_s < det.oversample; ++sub_s) {
            for (int sub_f = 0; sub_f < det.oversample; ++sub_f) {
                subpixel_geometry(det, c, f_first, spixel, layer, sub_s, sub_f);
#pragma omp simd aligned(omega, render, omega_sum : 64)
                for (int i = 0; i < kLanes; ++i) omega_sum[i] += render[i] != T(0) ? double(omega[i]) : 0.0;
                for (int src = 0; src < k.beam.sources; ++src) {
                    source_terms(k.beam, det.oversample_polar, c, src);
                    add_orientations(k, path, c);
                }
            }
        }
    }
    float* __restrict dest = line + (f_first - line_f0);
    double chunk_omega = 0;
    for (int i = 0; i < kLanes; ++i) chunk_omega += omega_sum[i];
    const double scale = k.scale;
#pragma omp simd aligned(omega, render : 64)
    for (int i = 0; i < kLanes; ++i) {
        const double photons = pixel_photons(det, scale, c.I[i], c.capture[i], c.polar[i], omega[i]);
        if (render[i] != T(0)) dest[i] = float(photons);
    }
    return chunk_omega;
}

}  // namespace

template <typename T>
double render_tile_row(const KernelView<T>& k, const Tile& tile, int row, float* line) {
    const DetectorView<T>& det = k.detector;
    const int spixel = tile.slow_begin + row;
    if (spixel < det.roi.slow_min || spixel > det.roi.slow_max) return 0;
    const int f_lo = std::max(tile.fast_begin, det.roi.fast_min);
    const int f_hi = std::min(tile.fast_end - 1, det.roi.fast_max);  // inclusive
    const OrientationPath path = choose_path(k);
    Chunk<T> c;
    double omega_total = 0;
    for (int f_first = f_lo; f_first <= f_hi; f_first += kLanes) {
        bool any = false;
        for (int i = 0; i < kLanes; ++i) {
            const int fpixel = f_first + i;
            bool r = fpixel <= f_hi;
            if (r && det.mask) r = det.mask[static_cast<std::size_t>(spixel) * det.fpixels + fpixel] != 0;
            c.render[i] = r ? T(1) : T(0);
            any = any || r;
        }
        if (!any) continue;
        omega_total += render_chunk(k, path, c, f_first, spixel, line, tile.fast_begin);
    }
    return omega_total;
}

template <typename T>
TileSideSums render_tile(const KernelView<T>& k, const Tile& tile, float* out) {
    TileSideSums sums;
    for (int row = 0; row < tile.height(); ++row)
        sums.omega_sum += render_tile_row(k, tile, row, out + static_cast<std::size_t>(row) * tile.width());
    return sums;
}

template double render_tile_row<float>(const KernelView<float>&, const Tile&, int, float*);
template double render_tile_row<double>(const KernelView<double>&, const Tile&, int, float*);
template TileSideSums render_tile<float>(const KernelView<float>&, const Tile&, float*);
template TileSideSums render_tile<double>(const KernelView<double>&, const Tile&, float*);

}  // namespace tilebragg
