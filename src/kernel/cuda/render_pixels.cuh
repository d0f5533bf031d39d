#pragma once
// The CUDA pixel kernel: one thread per pixel, a pure function of the KernelView (its
// arrays in GPU memory) and the pixel's index. Each thread walks the reference's loops
//   sensor layer > sub-pixel (slow, fast) > source > phi step > mosaic domain
// with the pixel model's functions (pixel_model.hpp, lattice_shape.hpp,
// structure_factor.hpp), and keeps the CPU kernel's per-pixel rules (render_tile.cpp):
// - solid angle, polarization and capture fraction are the "last value": taken from the
//   first sub-pixel (source) that computes them unless an -oversample_* switch asks for
//   them per step, and then the running sum is multiplied inside the innermost loop;
// - the capture fraction starts again at every sensor layer;
// - a source cut by -dmin adds nothing and leaves the polarization as it was;
// - a step whose F_latt the reference sees as zero is skipped unless there is water;
// - pixels outside the ROI or masked out are not written.
// The inner loop over orientations is chosen once per image by the CPU kernel's rule
// (orientation_path.hpp): square crystals of equal whole N <= 10 get the grating
// recurrence, other square crystals the pixel model's sines, everything else the general
// step. A pixel's value therefore depends on the view and its own index only, never on
// the tile or the launch: tiles of any shape give the same bytes.
//
// The per-pixel functions are host-and-device (TB_HD) so that a test without a GPU runs
// them against the CPU kernel (tests/gpu/test_kernel_on_host.cu).
//
// Speed: orientations are staged once per block in shared memory (every thread of a
// warp reads the same one, a broadcast, in 16-byte pieces; one code path whether they
// fit or not, since a predicated second path cost a fifth of the inner loop's
// instructions); the structure-factor box is
// read through the read-only data cache (dmath::read_only); the view is a
// __grid_constant__ parameter, read in place from the constant bank.
#include <cstddef>
#include <type_traits>
#include <utility>

#include <tilebragg/kernel_view.hpp>
#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/pixel_model.hpp>
#include <tilebragg/structure_factor.hpp>
#include <tilebragg/tile.hpp>

#include "kernel/cuda/orientation_rows.hpp"
#include "kernel/grating.hpp"
#include "kernel/orientation_path.hpp"

namespace tilebragg::cuda {

// A block is 32 pixels of a row (one warp: 128 contiguous bytes written) by 8 rows.
constexpr int kBlockFast = 32, kBlockSlow = 8, kBlockThreads = kBlockFast * kBlockSlow;

// Orientations are read as rows (orientation_rows.hpp); each block copies them into
// shared memory when they fit in kMaxStagedBytes and reads them from global memory
// (cached) otherwise, through the same loads either way.
constexpr std::size_t kMaxStagedBytes = 24 * 1024;

enum class StepPath { General, SquareDefaultF, SquareBox };

template <typename T>
struct CellAxes {
    Vec3T<T> a, b, c;
};

TB_HD inline CellAxes<float> cell_axes(const float* rows, int o) {
    const float4* p = reinterpret_cast<const float4*>(rows + o * kRowLength);
    const float4 v0 = p[0], v1 = p[1], v2 = p[2];
    return {{v0.x, v0.y, v0.z}, {v0.w, v1.x, v1.y}, {v1.z, v1.w, v2.x}};
}

TB_HD inline CellAxes<double> cell_axes(const double* rows, int o) {
    const double2* p = reinterpret_cast<const double2*>(rows + o * kRowLength);
    const double2 v0 = p[0], v1 = p[1], v2 = p[2], v3 = p[3], v4 = p[4];
    return {{v0.x, v0.y, v1.x}, {v1.y, v2.x, v2.y}, {v3.x, v3.y, v4.x}};
}

// The rows the block reads: copied into its shared memory (`staged`), or left where they
// are. Every thread of the block must call it.
template <typename T>
__device__ inline const T* stage_rows(const T* rows, int orientations, T* shared, bool staged) {
    if (!staged) return rows;
    const int thread = threadIdx.y * kBlockFast + threadIdx.x;
    const int pieces = orientations * kRowLength * int(sizeof(T)) / 16;
    for (int i = thread; i < pieces; i += kBlockThreads)
        reinterpret_cast<uint4*>(shared)[i] = reinterpret_cast<const uint4*>(rows)[i];
    __syncthreads();
    return shared;
}

// Every orientation's step for one (sub-pixel, source): adds to the running sum I.
template <typename T, StepPath kPath, int kN>
TB_HD inline void add_orientations(const KernelView<T>& k, const T* rows, const Vec3T<T>& S, T capture, T polar,
                                   T omega, T& I) {
    const CrystalView<T>& x = k.crystal;
    for (int o = 0; o < x.orientations; ++o) {
        const CellAxes<T> cell = cell_axes(rows, o);
        const T h = miller_index(cell.a, S), kk = miller_index(cell.b, S), l = miller_index(cell.c, S);
        const T h0 = nearest_index(h), k0 = nearest_index(kk), l0 = nearest_index(l);
        if constexpr (kPath == StepPath::General) {
            bool zero = false;
            const T F_latt = lattice_factor(x.shape, h - h0, kk - k0, l - l0, x.Na, x.Nb, x.Nc, x.fudge, x.a_star,
                                            x.b_star, x.c_star, zero);
            if (zero && !k.water) continue;
            const T F_cell = structure_factor(k.F, h, kk, l, int(h0), int(k0), int(l0));
            I += step_intensity(F_cell, F_latt);
            const DetectorView<T>& det = k.detector;
            if (det.oversample_thick) I *= capture;
            if (det.oversample_polar) I *= polar;
            if (det.oversample_omega) I *= omega;
        } else {
            // Nothing multiplies the sum on this path, so a zero F_latt adds nothing
            // and needs no test.
            T F_latt;
            if constexpr (kN > 0) {
                using kernel_math::grating;
                F_latt = grating<kN>(h - h0) * grating<kN>(kk - k0) * grating<kN>(l - l0);
            } else {
                F_latt = lattice_factor(LatticeShape::Square, h - h0, kk - k0, l - l0, x.Na, x.Nb, x.Nc, x.fudge,
                                        x.a_star, x.b_star, x.c_star);
            }
            T F_cell = k.F.default_F;
            if constexpr (kPath == StepPath::SquareBox) F_cell = nearest_F_in_box(k.F, h0, k0, l0);
            I += step_intensity(F_cell, F_latt);
        }
    }
}

// One pixel's photons; adds its sub-pixels' solid angles to omega_sum. `rows`: the
// view's orientations as orientation_rows() lays them out.
template <typename T, StepPath kPath, int kN>
TB_HD inline float render_pixel(const KernelView<T>& k, const T* rows, int fpixel, int spixel, double& omega_sum) {
    const DetectorView<T>& det = k.detector;
    const BeamView<T>& beam = k.beam;
    T I = T(k.I_bg), polar = beam.nopolar ? T(1) : T(0), omega = T(0), capture = T(0);
    for (int layer = 0; layer < det.layers; ++layer) {
        capture = det.thickness == T(0) ? T(1) : T(0);
        const T Odet = layer_depth(det, layer);
        for (int sub_s = 0; sub_s < det.oversample; ++sub_s) {
            const T Sdet = subpixel_centre(det, spixel, sub_s);
            for (int sub_f = 0; sub_f < det.oversample; ++sub_f) {
                const T Fdet = subpixel_centre(det, fpixel, sub_f);
                const PixelRay<T> ray = pixel_ray(det, subpixel_position(det, Fdet, Sdet, Odet));
                if (omega == T(0) || det.oversample_omega) omega = ray.omega;
                if ((det.thickness != T(0) || det.oversample_thick) && (capture == T(0) || det.oversample_thick))
                    capture = capture_fraction(det, layer, ray.dir);
                omega_sum += double(omega);
                for (int src = 0; src < beam.sources; ++src) {
                    const Vec3T<T> incident = beam.incident[src];
                    const Vec3T<T> S = scattering_vector(ray.dir, incident, beam.inv_lambda[src]);
                    if (!passes_dmin(S, beam.dmin)) continue;
                    if (polar == T(0) || det.oversample_polar)
                        polar = polarization_factor(incident, ray.dir, beam.e_in[src], beam.b_in[src], beam.kahn);
                    add_orientations<T, kPath, kN>(k, rows, S, capture, polar, omega, I);
                }
            }
        }
    }
    return float(pixel_photons(det, k.scale, I, capture, polar, omega));
}

// Calls f(path, N) with the StepPath and N of `path` as compile-time constants
// (std::integral_constant): the kernel instance a view runs. Square crystals of N cells on
// every axis, 1 <= N <= kMaxRecurrenceN, get their own instance; any other N is 0.
template <int kN = 1, typename F>
void with_square_N(int N, F&& f) {
    if constexpr (kN > kernel_math::kMaxRecurrenceN) {
        f(std::integral_constant<int, 0>{});
    } else {
        if (N == kN) return f(std::integral_constant<int, kN>{});
        with_square_N<kN + 1>(N, std::forward<F>(f));
    }
}

template <typename F>
void with_step_path(const OrientationPath& path, F&& f) {
    using std::integral_constant;
    if (path.general) return f(integral_constant<StepPath, StepPath::General>{}, integral_constant<int, 0>{});
    with_square_N(path.N, [&](auto N) {
        if (path.box)
            f(integral_constant<StepPath, StepPath::SquareBox>{}, N);
        else
            f(integral_constant<StepPath, StepPath::SquareDefaultF>{}, N);
    });
}

// Inside the ROI and not masked out.
template <typename T>
TB_HD inline bool renders(const DetectorView<T>& det, int fpixel, int spixel) {
    if (fpixel < det.roi.fast_min || fpixel > det.roi.fast_max || spixel < det.roi.slow_min ||
        spixel > det.roi.slow_max)
        return false;
    return !det.mask || dmath::read_only(det.mask + static_cast<std::size_t>(spixel) * det.fpixels + fpixel) != 0;
}

// The block's sum of `v` into *dest, in a fixed order (the same bits on every run).
__device__ inline void block_sum(double v, double* dest) {
    __shared__ double warp_sums[kBlockThreads / 32];
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    const int thread = threadIdx.y * kBlockFast + threadIdx.x;
    if (thread % 32 == 0) warp_sums[thread / 32] = v;
    __syncthreads();
    if (thread == 0) {
        double sum = 0;
        for (int w = 0; w < kBlockThreads / 32; ++w) sum += warp_sums[w];
        *dest = sum;
    }
}

// Renders `tile` into `out` (tile-sized, row-major); one solid-angle sum per block into
// omega_partials (gridDim.x * gridDim.y of them, row-major). `all_rows`: the
// view's orientations as orientation_rows() lays them out, in GPU memory; `staged`: they
// fit in the dynamic shared memory the launch gave.
template <typename T, StepPath kPath, int kN>
__global__ void __launch_bounds__(kBlockThreads)
    render_pixels(const __grid_constant__ KernelView<T> k, const T* __restrict__ all_rows, const bool staged,
                  const Tile tile, float* __restrict__ out, double* __restrict__ omega_partials) {
    extern __shared__ __align__(16) unsigned char shared_bytes[];
    const T* rows = stage_rows(all_rows, k.crystal.orientations, reinterpret_cast<T*>(shared_bytes), staged);
    const int fpixel = tile.fast_begin + static_cast<int>(blockIdx.x) * kBlockFast + static_cast<int>(threadIdx.x);
    const int spixel = tile.slow_begin + static_cast<int>(blockIdx.y) * kBlockSlow + static_cast<int>(threadIdx.y);
    double omega_sum = 0;
    if (fpixel < tile.fast_end && spixel < tile.slow_end && renders(k.detector, fpixel, spixel)) {
        const float photons = render_pixel<T, kPath, kN>(k, rows, fpixel, spixel, omega_sum);
        out[static_cast<std::size_t>(spixel - tile.slow_begin) * tile.width() + (fpixel - tile.fast_begin)] = photons;
    }
    block_sum(omega_sum, omega_partials + blockIdx.y * gridDim.x + blockIdx.x);
}

}  // namespace tilebragg::cuda
