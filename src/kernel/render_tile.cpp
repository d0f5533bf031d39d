// The pixel kernel, vectorised across the pixels of a row.
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
#include <tilebragg/kernel.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/structure_factor.hpp>

#include "kernel/grating.hpp"
#include "kernel/sin_pi.hpp"

namespace tilebragg {
namespace {

using kernel_math::grating;
using kernel_math::sin_pi_unsigned;
using kernel_math::sin_pi_reduced;

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

template <typename T>
Vec3T<T> rotate_axis_t(const Vec3T<T>& v, const Vec3T<T>& axis, T angle) {
    const T s = std::sin(angle), c = std::cos(angle);
    const T along = dot(axis, v) * (T(1) - c);
    return {axis.x * along + v.x * c + (-axis.z * v.y + axis.y * v.z) * s,
            axis.y * along + v.y * c + (axis.z * v.x - axis.x * v.z) * s,
            axis.z * along + v.z * c + (-axis.y * v.x + axis.x * v.y) * s};
}

// Direction to each lane's sub-pixel, and the solid angle and capture fraction where
// the "last value" rule asks for them.
template <typename T>
void subpixel_geometry(const KernelSetup<T>& k, Chunk<T>& c, int f_first, int spixel, int layer, int sub_s,
                       int sub_f) {
    const int os = k.oversample;
    const T Odet = T(layer) * k.layer_step;
    const T sub = k.subpixel, half = k.subpixel / T(2);
    // Sub-pixel indices in T, not int: pixels x oversample can pass 2^31 (the result is
    // the same where it fits in T's mantissa, i.e. below 2^24 sub-pixels for float).
    const T Sdet = sub * (T(spixel) * T(os) + T(sub_s)) + half;
    // Everything but the fast coordinate is the same for the whole chunk.
    const Vec3T<T> rest_x{k.sdet.x * Sdet, k.odet.x * Odet, k.pix0.x};
    const Vec3T<T> rest_y{k.sdet.y * Sdet, k.odet.y * Odet, k.pix0.y};
    const Vec3T<T> rest_z{k.sdet.z * Sdet, k.odet.z * Odet, k.pix0.z};
    const T fx = k.fdet.x, fy = k.fdet.y, fz = k.fdet.z;
    const bool per_sub_omega = k.oversample_omega, point = k.point_pixel;
    const T omega_scale = k.pixel * k.pixel, close = k.close_distance;
    T* __restrict dx = c.dx;
    T* __restrict dy = c.dy;
    T* __restrict dz = c.dz;
    T* __restrict omega = c.omega;

    if (!k.curved) {
#pragma omp simd aligned(dx, dy, dz, omega : 64)
        for (int i = 0; i < kLanes; ++i) {
            const T Fdet = sub * (T(f_first + i) * T(os) + T(sub_f)) + half;
            const T px = fx * Fdet + rest_x.x + rest_x.y + rest_x.z;
            const T py = fy * Fdet + rest_y.x + rest_y.y + rest_y.z;
            const T pz = fz * Fdet + rest_z.x + rest_z.y + rest_z.z;
            const T airpath = std::sqrt(px * px + py * py + pz * pz);
            // One division per sub-pixel; the rest are multiplications by it.
            const T inv_air = T(1) / airpath;
            dx[i] = px * inv_air;
            dy[i] = py * inv_air;
            dz[i] = pz * inv_air;
            if (omega[i] == T(0) || per_sub_omega) {
                const T inv_air2 = inv_air * inv_air;
                omega[i] = point ? inv_air2 : omega_scale * inv_air2 * close * inv_air;
            }
        }
    } else {
        // Every pixel at `distance`: detector coordinates read as angles.
        const Vec3T<T> spot = k.beam * k.distance;
        for (int i = 0; i < kLanes; ++i) {
            const T Fdet = sub * (T(f_first + i) * T(os) + T(sub_f)) + half;
            Vec3T<T> pos = k.fdet * Fdet + k.sdet * Sdet + k.odet * Odet + k.pix0;
            pos = rotate_axis_t(rotate_axis_t(spot, k.sdet, pos.y / k.distance), k.fdet, pos.z / k.distance);
            const T airpath = norm(pos);
            dx[i] = pos.x / airpath;
            dy[i] = pos.y / airpath;
            dz[i] = pos.z / airpath;
            if (omega[i] == T(0) || per_sub_omega) {
                omega[i] = point ? T(1) / airpath / airpath : omega_scale / airpath / airpath * close / airpath;
            }
        }
    }

    // Capture fraction of this sensor layer; only thick sensors (or -oversample_thick)
    // ever get here with work to do, so the exponentials stay scalar.
    if (k.thickness != T(0) || k.oversample_thick) {
        const T ox = k.odet.x, oy = k.odet.y, oz = k.odet.z;
        for (int i = 0; i < kLanes; ++i) {
            if (c.capture[i] == T(0) || k.oversample_thick) {
                const T parallax = dx[i] * ox + dy[i] * oy + dz[i] * oz;
                c.capture[i] = std::exp(-T(layer) * k.layer_step * k.mu / parallax) -
                               std::exp(-T(layer + 1) * k.layer_step * k.mu / parallax);
            }
        }
    }
}

// Scattering vector of source `src` for every lane, the dmin cut, and the polarization
// factor where the "last value" rule asks for it.
template <typename T>
void source_terms(const KernelSetup<T>& k, Chunk<T>& c, std::size_t src) {
    const T ix = k.incident[src].x, iy = k.incident[src].y, iz = k.incident[src].z;
    const T il = k.inv_lambda[src];
    const T ex = k.e_in[src].x, ey = k.e_in[src].y, ez = k.e_in[src].z;
    const T bx = k.b_in[src].x, by = k.b_in[src].y, bz = k.b_in[src].z;
    const T kahn = k.kahn, dmin = k.dmin;
    const bool per_sub_polar = k.oversample_polar;
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
        const T Sx = (dx[i] - ix) * il, Sy = (dy[i] - iy) * il, Sz = (dz[i] - iz) * il;
        sx[i] = Sx;
        sy[i] = Sy;
        sz[i] = Sz;
        bool counts = true;
        if (dmin > T(0)) {
            const T stol = T(0.5) * std::sqrt(Sx * Sx + Sy * Sy + Sz * Sz);
            counts = !(stol > T(0) && dmin > T(0.5) / stol);
        }
        live[i] = counts ? T(1) : T(0);
        if (counts && (polar[i] == T(0) || per_sub_polar)) {
            // Kahn polarization factor; cos(2 psi) from the projections instead of an atan2.
            const T cos2theta = ix * dx[i] + iy * dy[i] + iz * dz[i];
            const T cos2theta_sqr = cos2theta * cos2theta;
            const T sin2theta_sqr = T(1) - cos2theta_sqr;
            T cos2psi = T(1);
            if (kahn != T(0)) {
                const T e = dx[i] * ex + dy[i] * ey + dz[i] * ez;
                const T b = dx[i] * bx + dy[i] * by + dz[i] * bz;
                const T r2 = e * e + b * b;
                if (r2 > T(0)) cos2psi = (e * e - b * b) / r2;
            }
            polar[i] = T(0.5) * (T(1) + cos2theta_sqr - kahn * cos2psi * sin2theta_sqr);
        }
    }
}

// The common case, vectorised: square (parallelepiped) crystal, F_cell either the
// constant default_F or the nearest reflection of the HKL box, and no -oversample_*
// switch multiplying the running sum. kN > 0: Na = Nb = Nc = kN, F_latt from the
// Chebyshev recurrence (no sines, no division); kN = 0: any N, F_latt from sines.
// Kept out of line: inlined, the many instantiations make the caller so large that GCC
// stops inlining the small math helpers inside the loop, and the loop no longer vectorises.
template <typename T, bool kBox, int kN>
[[gnu::noinline]] void add_square_orientations(const KernelSetup<T>& k, Chunk<T>& c) {
    // Sine path: N <= 1 leaves the axis out (factor 1); with N = 1 the numerator and
    // denominator below are the same number, so the axis drops out without a branch.
    const T Na = k.Na > T(1) ? k.Na : T(1), Nb = k.Nb > T(1) ? k.Nb : T(1), Nc = k.Nc > T(1) ? k.Nc : T(1);
    const T default_F = k.default_F;
    const HklGrid* grid = k.F;
    const int h_min = kBox ? grid->h_min : 0, k_min = kBox ? grid->k_min : 0, l_min = kBox ? grid->l_min : 0;
    const unsigned h_count = kBox ? unsigned(grid->h_count()) : 0u;
    const unsigned k_count = kBox ? unsigned(grid->k_count()) : 0u;
    const unsigned l_count = kBox ? unsigned(grid->l_count()) : 0u;
    const T* __restrict box = nullptr;
    if constexpr (kBox) {
        if constexpr (std::is_same_v<T, double>) box = grid->F.data();
        else box = k.F_box.data();
    }
    const T* __restrict sx = c.sx;
    const T* __restrict sy = c.sy;
    const T* __restrict sz = c.sz;
    const T* __restrict live = c.live;
    T* __restrict I = c.I;

    const std::size_t n_orient = k.a.size();
    for (std::size_t o = 0; o < n_orient; ++o) {
        const T ax = k.a[o].x, ay = k.a[o].y, az = k.a[o].z;
        const T bx = k.b[o].x, by = k.b[o].y, bz = k.b[o].z;
        const T cx = k.c[o].x, cy = k.c[o].y, cz = k.c[o].z;
#pragma omp simd aligned(sx, sy, sz, live, I : 64)
        for (int i = 0; i < kLanes; ++i) {
            const T h = ax * sx[i] + ay * sy[i] + az * sz[i];
            const T kk = bx * sx[i] + by * sy[i] + bz * sz[i];
            const T l = cx * sx[i] + cy * sy[i] + cz * sz[i];
            const T h0 = std::ceil(h - T(0.5)), k0 = std::ceil(kk - T(0.5)), l0 = std::ceil(l - T(0.5));
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
            T F_cell = default_F;
            if (kBox) {
                // Branch-free bounds check (lanes outside the box read entry 0 and then
                // take default_F), so that the lookup stays a single vector gather.
                const unsigned ih = unsigned(int(h0) - h_min), ik = unsigned(int(k0) - k_min),
                               il = unsigned(int(l0) - l_min);
                const bool inside = (ih < h_count) & (ik < k_count) & (il < l_count);
                // int, not unsigned: 32-bit signed offsets make it a single gather.
                const int at = inside ? int((ih * k_count + ik) * l_count + il) : 0;
                const T F_box = box[at];
                F_cell = inside ? F_box : default_F;
            }
            // A source cut by dmin adds nothing. F_latt == 0 also adds nothing, which is
            // why no test for it is needed here (the sum is never multiplied on this path).
            const T term = F_cell * F_cell * F_latt * F_latt;
            I[i] = live[i] != T(0) ? I[i] + term : I[i];
        }
    }
}

template <typename T>
T structure_factor(const KernelSetup<T>& k, T h, T kk, T l, int h0, int k0, int l0) {
    if (!k.has_hkls) return k.default_F;
    if (k.interpolate && can_interpolate(*k.F, h, kk, l)) return T(interpolated_F(*k.F, h, kk, l));
    return T(nearest_F(*k.F, true, h0, k0, l0, k.default_F));
}

// Everything else (round, Gaussian and top-hat spots, interpolated F_cell, the
// -oversample_* switches), one lane at a time with the C library's functions, exactly as
// the one-pixel-at-a-time kernel did; these options are for small studies.
template <typename T>
void add_general_orientations(const KernelSetup<T>& k, Chunk<T>& c) {
    const std::size_t n_orient = k.a.size();
    for (std::size_t o = 0; o < n_orient; ++o) {
        for (int i = 0; i < kLanes; ++i) {
            if (c.live[i] == T(0)) continue;
            const Vec3T<T> S{c.sx[i], c.sy[i], c.sz[i]};
            const T h = dot(k.a[o], S), kk = dot(k.b[o], S), l = dot(k.c[o], S);
            const T h0 = std::ceil(h - T(0.5)), k0 = std::ceil(kk - T(0.5)), l0 = std::ceil(l - T(0.5));
            const T F_latt = lattice_factor(k.shape, h - h0, kk - k0, l - l0, k.Na, k.Nb, k.Nc, k.fudge, k.a_star,
                                            k.b_star, k.c_star);
            if (F_latt == T(0) && !k.water) continue;
            const T F_cell = structure_factor(k, h, kk, l, int(h0), int(k0), int(l0));
            c.I[i] += F_cell * F_cell * F_latt * F_latt;
            if (k.oversample_thick) c.I[i] *= c.capture[i];
            if (k.oversample_polar) c.I[i] *= c.polar[i];
            if (k.oversample_omega) c.I[i] *= c.omega[i];
        }
    }
}

// Which inner loop a setup runs: the general one, or a square-crystal one for a given F
// source and a given N (0 = any N, through sines).
struct OrientationPath {
    bool general = true;
    bool box = false;
    int N = 0;
};

// Crystals of up to this many cells along every axis (the same number on all three) get
// the recurrence; it costs about two operations per cell per axis, so beyond ~10 cells the
// sines are cheaper.
constexpr int kMaxRecurrenceN = 10;

template <typename T>
OrientationPath choose_path(const KernelSetup<T>& k) {
    OrientationPath p;
    if (k.shape != LatticeShape::Square || (k.has_hkls && k.interpolate)) return p;
    if (k.oversample_thick || k.oversample_polar || k.oversample_omega) return p;
    // The box is indexed with 32-bit signed offsets.
    if (k.has_hkls && k.F->F.size() >= (std::size_t(1) << 31)) return p;
    p.general = false;
    p.box = k.has_hkls;
    // N <= 1 on an axis means a factor 1 there, which is also what U_0 gives.
    const T Na = std::max(k.Na, T(1)), Nb = std::max(k.Nb, T(1)), Nc = std::max(k.Nc, T(1));
    if (Na == Nb && Nb == Nc && Na <= T(kMaxRecurrenceN) && Na == std::floor(Na)) p.N = int(Na);
    return p;
}

template <typename T, bool kBox, int kN>
void add_orientations_with_N(const KernelSetup<T>& k, Chunk<T>& c, int N) {
    if constexpr (kN > kMaxRecurrenceN) {
        (void)N;
        add_square_orientations<T, kBox, 0>(k, c);
    } else {
        if (N == kN) return add_square_orientations<T, kBox, kN>(k, c);
        add_orientations_with_N<T, kBox, kN + 1>(k, c, N);
    }
}

template <typename T>
void add_orientations(const KernelSetup<T>& k, const OrientationPath& path, Chunk<T>& c) {
    if (path.general) return add_general_orientations(k, c);
    if (path.N == 0) {
        if (path.box) return add_square_orientations<T, true, 0>(k, c);
        return add_square_orientations<T, false, 0>(k, c);
    }
    if (path.box) return add_orientations_with_N<T, true, 1>(k, c, path.N);
    add_orientations_with_N<T, false, 1>(k, c, path.N);
}

// Renders lanes [f_first, f_first + kLanes) of row `spixel`; writes the lanes marked
// in c.render into `line` (indexed from line_f0) and returns their solid-angle sum.
template <typename T>
double render_chunk(const KernelSetup<T>& k, const OrientationPath& path, Chunk<T>& c, int f_first, int spixel,
                    float* line, int line_f0) {
    const int os = k.oversample;
    const std::size_t n_sources = k.incident.size();
    const T I_bg = T(k.I_bg), polar0 = k.nopolar ? T(1) : T(0);
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
    for (int layer = 0; layer < k.layers; ++layer) {
        const T capture0 = k.thickness == T(0) ? T(1) : T(0);
        for (int i = 0; i < kLanes; ++i) c.capture[i] = capture0;
        for (int sub_s = 0; sub_s < os; ++sub_s) {
            for (int sub_f = 0; sub_f < os; ++sub_f) {
                subpixel_geometry(k, c, f_first, spixel, layer, sub_s, sub_f);
#pragma omp simd aligned(omega, render, omega_sum : 64)
                for (int i = 0; i < kLanes; ++i) omega_sum[i] += render[i] != T(0) ? double(omega[i]) : 0.0;
                for (std::size_t src = 0; src < n_sources; ++src) {
                    source_terms(k, c, src);
                    add_orientations(k, path, c);
                }
            }
        }
    }
    const double scale = k.scale;
    const bool per_sub_thick = k.oversample_thick, per_sub_polar = k.oversample_polar,
               per_sub_omega = k.oversample_omega;
    float* __restrict dest = line + (f_first - line_f0);
    double chunk_omega = 0;
    for (int i = 0; i < kLanes; ++i) chunk_omega += omega_sum[i];
#pragma omp simd aligned(omega, render : 64)
    for (int i = 0; i < kLanes; ++i) {
        double photons = scale * double(c.I[i]);
        if (!per_sub_thick) photons *= double(c.capture[i]);
        if (!per_sub_polar) photons *= double(c.polar[i]);
        if (!per_sub_omega) photons *= double(omega[i]);
        if (render[i] != T(0)) dest[i] = float(photons);
    }
    return chunk_omega;
}

}  // namespace

template <typename T>
void render_tile(const KernelSetup<T>& k, const Tile& tile, float* out, TileSideSums& sums) {
    const int width = tile.width();
    const int f_lo = std::max(tile.fast_begin, k.roi.fast_min);
    const int f_hi = std::min(tile.fast_end - 1, k.roi.fast_max);  // inclusive
    const OrientationPath path = choose_path(k);
    double omega_total = 0;
    if (f_lo > f_hi) return;
#pragma omp parallel reduction(+ : omega_total) if (tile.height() > 1)
    {
        Chunk<T> c;
#pragma omp for schedule(dynamic, 1)
        for (int row = 0; row < tile.height(); ++row) {
            const int spixel = tile.slow_begin + row;
            if (spixel < k.roi.slow_min || spixel > k.roi.slow_max) continue;
            float* line = out + static_cast<std::size_t>(row) * static_cast<std::size_t>(width);
            for (int f_first = f_lo; f_first <= f_hi; f_first += kLanes) {
                bool any = false;
                for (int i = 0; i < kLanes; ++i) {
                    const int fpixel = f_first + i;
                    bool r = fpixel <= f_hi;
                    if (r && k.mask) r = (*k.mask)[static_cast<std::size_t>(spixel) * k.fpixels + fpixel] != 0;
                    c.render[i] = r ? T(1) : T(0);
                    any = any || r;
                }
                if (!any) continue;
                omega_total += render_chunk(k, path, c, f_first, spixel, line, tile.fast_begin);
            }
        }
    }
    sums.omega_sum += omega_total;
}

template void render_tile<float>(const KernelSetup<float>&, const Tile&, float*, TileSideSums&);
template void render_tile<double>(const KernelSetup<double>&, const Tile&, float*, TileSideSums&);

}  // namespace tilebragg
