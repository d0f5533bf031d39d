// The CPU pixel kernel, vectorised across the pixels of a row. A pure function of a
// KernelView and a tile: no threads, no allocation, no I/O (the CPU renderer spreads
// rows over OpenMP threads).
//
// Compiled once per instruction set (CMakeLists.txt: the build's baseline, AVX2,
// AVX-512), each time into its own namespace cpu_kernel::TILEBRAGG_KERNEL_ISA;
// cpu_kernels.cpp chooses one at run time. Everything here is either in that namespace,
// in an anonymous namespace, or inlined ([[gnu::flatten]]): an out-of-line copy of a
// header's inline function compiled for AVX-512 could otherwise be the one the linker
// keeps for every caller (tests/unit/kernel_objects.py checks the objects).
//
// Each pixel follows the reference's loop order
//   sensor layer > sub-pixel (slow, fast) > source > phi step > mosaic domain
// because that order decides the numbers when the -oversample_* switches multiply the
// running sum, and because the per-pixel factors (solid angle, polarization, capture
// fraction) are taken from the first sub-pixel that computes them unless those switches
// ask for them per sub-pixel: the reference's "last value" rule.
//
// The loops are turned inside out: a chunk of kLanes neighbouring pixels of one row is
// carried together, the layer / sub-pixel / source loops run outside and the work inside
// them runs on vectors of the chunk's pixels (lanes.hpp: explicit SIMD types, so the
// vector instructions do not depend on the compiler's heuristics). Every pixel keeps its own running sum and its own
// "last value" state, so a pixel sees the same sequence of operations as when rendered alone. A chunk always has kLanes
// lanes (lanes past the end of the row are computed and dropped), so no pixel ever lands in a scalar remainder loop: a
// pixel's value does not depend on the tile. Every formula is the pixel model's (pixel_model.hpp, lattice_shape.hpp,
// structure_factor.hpp); only the square-crystal F_latt has faster forms here.
#include <tilebragg/render_tile.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/pixel_model.hpp>
#include <tilebragg/structure_factor.hpp>

#include "kernel/cpu/cpu_kernels.hpp"
#include "kernel/cpu/lanes.hpp"
#include "kernel/cpu/sin_pi.hpp"
#include "kernel/grating.hpp"
#include "kernel/orientation_path.hpp"

#ifndef TILEBRAGG_KERNEL_ISA
#error "TILEBRAGG_KERNEL_ISA names the instruction set this copy of the kernel is compiled for"
#endif

namespace tilebragg::cpu_kernel::TILEBRAGG_KERNEL_ISA {
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

template <typename T>
constexpr int kWidth = static_cast<int>(Lanes<T>::size());
static_assert(kLanes % kWidth<float> == 0 && kLanes % kWidth<double> == 0, "a chunk is whole vectors");

template <typename T>
void fill(T* lanes, T value) {
    for (int i = 0; i < kLanes; i += kWidth<T>) store_lanes(Lanes<T>(value), lanes + i);
}

// Direction to each lane's sub-pixel, and the solid angle and capture fraction where
// the "last value" rule asks for them.
template <typename T>
[[gnu::flatten]] void subpixel_geometry(const DetectorView<T>& det, Chunk<T>& c, int f_first, int spixel, int layer,
                                        int sub_s, int sub_f) {
    using V = Lanes<T>;
    const T Odet = layer_depth(det, layer);
    const T Sdet = subpixel_centre(det, spixel, sub_s);
    const bool per_sub_omega = det.oversample_omega;

    if (!det.curved) {
        const IntLanes<T> lane([](auto j) { return int(j); });
        for (int i = 0; i < kLanes; i += kWidth<T>) {
            const V pixel = stdx::static_simd_cast<V>(IntLanes<T>(f_first + i) + lane);
            const V Fdet = subpixel_centre_at(det, pixel, sub_f);
            const PixelRay<V> r = flat_pixel_ray(det, detector_point(det, Fdet, Sdet, Odet));
            store_lanes(r.dir.x, c.dx + i);
            store_lanes(r.dir.y, c.dy + i);
            store_lanes(r.dir.z, c.dz + i);
            const V omega = load_lanes(c.omega + i);
            store_lanes(per_sub_omega ? r.omega : dmath::select(omega == T(0), r.omega, omega), c.omega + i);
        }
    } else {
        for (int i = 0; i < kLanes; ++i) {
            const T Fdet = subpixel_centre(det, f_first + i, sub_f);
            const PixelRay<T> r = curved_pixel_ray(det, subpixel_position(det, Fdet, Sdet, Odet));
            c.dx[i] = r.dir.x;
            c.dy[i] = r.dir.y;
            c.dz[i] = r.dir.z;
            if (c.omega[i] == T(0) || per_sub_omega) c.omega[i] = r.omega;
        }
    }

    // Only thick sensors (or -oversample_thick) get here with work to do, so the
    // exponentials stay scalar.
    if (det.thickness != T(0) || det.oversample_thick) {
        for (int i = 0; i < kLanes; ++i)
            if (c.capture[i] == T(0) || det.oversample_thick)
                c.capture[i] = capture_fraction(det, layer, Vec3T<T>{c.dx[i], c.dy[i], c.dz[i]});
    }
}

// Scattering vector of source `src` for every lane, the dmin cut, and the polarization
// factor where the "last value" rule asks for it.
template <typename T>
[[gnu::flatten]] void source_terms(const BeamView<T>& beam, bool per_sub_polar, Chunk<T>& c, int src) {
    using V = Lanes<T>;
    const Vec3T<T> incident = beam.incident[src], e_in = beam.e_in[src], b_in = beam.b_in[src];
    const T inv_lambda = beam.inv_lambda[src], kahn = beam.kahn, dmin = beam.dmin;
    for (int i = 0; i < kLanes; i += kWidth<T>) {
        const Vec3T<V> dir{load_lanes(c.dx + i), load_lanes(c.dy + i), load_lanes(c.dz + i)};
        const Vec3T<V> S = scattering_vector(dir, incident, inv_lambda);
        store_lanes(S.x, c.sx + i);
        store_lanes(S.y, c.sy + i);
        store_lanes(S.z, c.sz + i);
        const typename V::mask_type counts = passes_dmin(S, dmin);
        store_lanes(dmath::select(counts, V(1), V(0)), c.live + i);
        const V polar = load_lanes(c.polar + i);
        const typename V::mask_type wanted = per_sub_polar ? counts : counts && polar == T(0);
        if (stdx::any_of(wanted))
            store_lanes(dmath::select(wanted, polarization_factor(incident, dir, e_in, b_in, kahn), polar),
                        c.polar + i);
    }
}

// Where F_cell comes from: the constant default_F; the nearest reflection, default_F
// outside the box (nearest_F_in_box); the nearest reflection, every one of this call
// known to be inside the box (nearest_F_inside: no bounds test).
enum class CellF { Default, Box, InsideBox };

// The nearest reflection of the box for every lane: nearest_F_in_box
// (structure_factor.hpp) on vectors, the box read with one gather.
template <typename T>
Lanes<T> nearest_F_in_box_lanes(const StructureFactorView<T>& F, const Lanes<T>& h0, const Lanes<T>& k0,
                                const Lanes<T>& l0) {
    using U = UintLanes<T>;
    const U ih = stdx::static_simd_cast<U>(stdx::static_simd_cast<IntLanes<T>>(h0) - F.h_min);
    const U ik = stdx::static_simd_cast<U>(stdx::static_simd_cast<IntLanes<T>>(k0) - F.k_min);
    const U il = stdx::static_simd_cast<U>(stdx::static_simd_cast<IntLanes<T>>(l0) - F.l_min);
    const typename U::mask_type inside =
        (ih < unsigned(F.h_count)) && (ik < unsigned(F.k_count)) && (il < unsigned(F.l_count));
    U at = (ih * unsigned(F.k_count) + ik) * unsigned(F.l_count) + il;
    stdx::where(!inside, at) = 0u;
    const Lanes<T> F_box = gather_lanes(F.F, stdx::static_simd_cast<IntLanes<T>>(at));
    return dmath::select(mask_as<Lanes<T>>(inside), F_box, Lanes<T>(F.default_F));
}

// nearest_F_inside on vectors: indices known to lie inside the box, so no bounds test and
// no blend; the offset from F(0,0,0) is computed in T, where it is exact (fewer than 2^24
// entries, inside_box_s2).
template <typename T>
Lanes<T> nearest_F_inside_lanes(const T* origin, T k_count, T l_count, const Lanes<T>& h0, const Lanes<T>& k0,
                                const Lanes<T>& l0) {
    return gather_lanes(origin, stdx::static_simd_cast<IntLanes<T>>((h0 * k_count + k0) * l_count + l0));
}

// The common case, on vectors: square (parallelepiped) crystal, F_cell as kF says, and no
// -oversample_* switch multiplying the running sum. kN > 0: Na = Nb = Nc = kN, F_latt from
// the Chebyshev recurrence (no sines, no division); kN = 0: any N, F_latt from sin(pi x)
// polynomials.
// Orientations outside, the chunk's vectors inside: the vectors' long dependency chains
// (polynomials, recurrences) are independent of each other, so the core overlaps them.
// Kept out of line (one function per instantiation, not one giant caller).
template <typename T, CellF kF, int kN>
[[gnu::noinline, gnu::flatten]] void add_square_orientations(const KernelView<T>& k, Chunk<T>& c) {
    using V = Lanes<T>;
    // Sine path: N <= 1 leaves the axis out (factor 1); with N = 1 the numerator and
    // denominator below are the same number, so the axis drops out without a branch.
    const CrystalView<T> x = k.crystal;
    const T Na = x.Na > T(1) ? x.Na : T(1), Nb = x.Nb > T(1) ? x.Nb : T(1), Nc = x.Nc > T(1) ? x.Nc : T(1);
    const StructureFactorView<T> F = k.F;
    const T* F_origin = kF == CellF::InsideBox ? F.F + box_index(F, 0, 0, 0) : nullptr;
    const T k_count = T(F.k_count), l_count = T(F.l_count);
    // A source cut by dmin adds nothing: pairs of vectors with no live lane are skipped.
    constexpr int kVectors = kLanes / kWidth<T>;
    bool any_live[kVectors];
    for (int v = 0; v < kVectors; ++v) any_live[v] = stdx::any_of(load_lanes(c.live + v * kWidth<T>) != T(0));

    // Two vectors at a time, each step written for both: their chains interleave in the
    // instruction stream.
    constexpr int U = 2;
    static_assert(kVectors % U == 0, "a chunk is whole pairs of vectors");
    for (int o = 0; o < x.orientations; ++o) {
        const Vec3T<T> a = x.a[o], b = x.b[o], cc = x.c[o];
        for (int v = 0; v < kVectors; v += U) {
            if (!any_live[v] && !any_live[v + 1]) continue;
            V h[U], kk[U], l[U], h0[U], k0[U], l0[U], dh[U], dk[U], dl[U], F_latt[U];
            for (int u = 0; u < U; ++u) {
                const int i = (v + u) * kWidth<T>;
                const Vec3T<V> S{load_lanes(c.sx + i), load_lanes(c.sy + i), load_lanes(c.sz + i)};
                h[u] = miller_index(a, S), kk[u] = miller_index(b, S), l[u] = miller_index(cc, S);
            }
            for (int u = 0; u < U; ++u) {
                h0[u] = nearest_index(h[u]), k0[u] = nearest_index(kk[u]), l0[u] = nearest_index(l[u]);
                dh[u] = h[u] - h0[u], dk[u] = kk[u] - k0[u], dl[u] = l[u] - l0[u];
            }
            if constexpr (kN > 0) {
                V gh[U], gk[U], gl[U];
                for (int u = 0; u < U; ++u) gh[u] = grating<kN>(dh[u]);
                for (int u = 0; u < U; ++u) gk[u] = grating<kN>(dk[u]);
                for (int u = 0; u < U; ++u) gl[u] = grating<kN>(dl[u]);
                for (int u = 0; u < U; ++u) F_latt[u] = gh[u] * gk[u] * gl[u];
            } else {
                // F_latt = prod sin(N pi d) / sin(pi d), N at d = 0, with a single division.
                // Only F_latt^2 is used, so the signs of the sines do not matter.
                for (int u = 0; u < U; ++u) {
                    const V num_a = dmath::select(dh[u] == T(0), V(Na), sin_pi_unsigned(Na * dh[u]));
                    const V num_b = dmath::select(dk[u] == T(0), V(Nb), sin_pi_unsigned(Nb * dk[u]));
                    const V num_c = dmath::select(dl[u] == T(0), V(Nc), sin_pi_unsigned(Nc * dl[u]));
                    const V den_a = dmath::select(dh[u] == T(0), V(1), sin_pi_reduced(dh[u]));
                    const V den_b = dmath::select(dk[u] == T(0), V(1), sin_pi_reduced(dk[u]));
                    const V den_c = dmath::select(dl[u] == T(0), V(1), sin_pi_reduced(dl[u]));
                    F_latt[u] = (num_a * num_b * num_c) / (den_a * den_b * den_c);
                }
            }
            for (int u = 0; u < U; ++u) {
                const int i = (v + u) * kWidth<T>;
                V F_cell(F.default_F);
                if constexpr (kF == CellF::Box) F_cell = nearest_F_in_box_lanes(F, h0[u], k0[u], l0[u]);
                if constexpr (kF == CellF::InsideBox)
                    F_cell = nearest_F_inside_lanes(F_origin, k_count, l_count, h0[u], k0[u], l0[u]);
                // F_latt == 0 adds nothing, which is why no test for it is needed here (the
                // sum is never multiplied on this path).
                const V I = load_lanes(c.I + i);
                store_lanes(dmath::select(load_lanes(c.live + i) != T(0), V(I + step_intensity(F_cell, F_latt[u])), I),
                            c.I + i);
            }
        }
    }
}

// Everything else (round, Gaussian and top-hat spots, interpolated F_cell, the
// -oversample_* switches), one lane at a time with the C library's functions.
// A step whose F_latt the reference sees as zero is skipped unless there is water,
// and then nothing multiplies the running sum either.
template <typename T>
[[gnu::noinline, gnu::flatten]] void add_general_orientations(const KernelView<T>& k, Chunk<T>& c) {
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
    using V = Lanes<T>;
    const T lim = T(limit);
    for (int i = 0; i < kLanes; i += kWidth<T>) {
        const V x = load_lanes(c.sx + i), y = load_lanes(c.sy + i), z = load_lanes(c.sz + i);
        if (!stdx::all_of(x * x + y * y + z * z <= lim)) return false;
    }
    return true;
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
// Out of line so that tests/unit/kernel_objects.py can look at its vector code.
template <typename T>
[[gnu::noinline, gnu::flatten]] double render_chunk(const KernelView<T>& k, const OrientationPath& path, Chunk<T>& c,
                                                    int f_first, int spixel, float* line, int line_f0) {
    using V = Lanes<T>;
    using D = DoubleLanes<T>;
    using F = FloatLanes<T>;
    const DetectorView<T>& det = k.detector;
    fill(c.I, T(k.I_bg));
    fill(c.polar, k.beam.nopolar ? T(1) : T(0));
    fill(c.omega, T(0));
    fill(c.capture, T(0));
    for (int i = 0; i < kLanes; ++i) c.omega_sum[i] = 0.0;
    for (int layer = 0; layer < det.layers; ++layer) {
        fill(c.capture, det.thickness == T(0) ? T(1) : T(0));
        for (int sub_s = 0; sub_s < det.oversample; ++sub_s) {
            for (int sub_f = 0; sub_f < det.oversample; ++sub_f) {
                subpixel_geometry(det, c, f_first, spixel, layer, sub_s, sub_f);
                for (int i = 0; i < kLanes; i += kWidth<T>) {
                    // += 0.0 for lanes that are not written out, as the scalar form did.
                    const V omega = dmath::select(load_lanes(c.render + i) != T(0), load_lanes(c.omega + i), V(0));
                    const D sum = D(c.omega_sum + i, stdx::element_aligned) + dmath::to_double(omega);
                    sum.copy_to(c.omega_sum + i, stdx::element_aligned);
                }
                for (int src = 0; src < k.beam.sources; ++src) {
                    source_terms(k.beam, det.oversample_polar, c, src);
                    add_orientations(k, path, c);
                }
            }
        }
    }
    float* dest = line + (f_first - line_f0);
    double chunk_omega = 0;
    for (int i = 0; i < kLanes; ++i) chunk_omega += c.omega_sum[i];
    for (int i = 0; i < kLanes; i += kWidth<T>) {
        const D photons = pixel_photons(det, k.scale, load_lanes(c.I + i), load_lanes(c.capture + i),
                                        load_lanes(c.polar + i), load_lanes(c.omega + i));
        const F value = stdx::static_simd_cast<F>(photons);
        const typename V::mask_type written = load_lanes(c.render + i) != T(0);
        if (stdx::all_of(written)) {
            value.copy_to(dest + i, stdx::element_aligned);
        } else if (stdx::any_of(written)) {
            for (int j = 0; j < kWidth<T>; ++j)
                if (written[j]) dest[i + j] = value[j];
        }
    }
    return chunk_omega;
}

template <typename T>
double render_row(const KernelView<T>& k, const Tile& tile, int row, float* line) {
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

}  // namespace

[[gnu::flatten]] double render_row_float(const KernelView<float>& k, const Tile& tile, int row, float* line) {
    return render_row(k, tile, row, line);
}
[[gnu::flatten]] double render_row_double(const KernelView<double>& k, const Tile& tile, int row, float* line) {
    return render_row(k, tile, row, line);
}

}  // namespace tilebragg::cpu_kernel::TILEBRAGG_KERNEL_ISA
