// The products of a whole image on the GPU: the statistics' sums, then the detector
// counts (noise or int image) and the noise tally.
//
// This file is compiled with --fmad=false (CMakeLists.txt): the counts must have the
// CPU's bits, and the CPU computes value * scale + offset and the Poisson draws without
// fused multiply-adds. Every sum is reduced in a fixed order (per-thread strides, then a
// tree in shared memory, then the blocks one after the other), so an image's statistics
// have the same bits on every run; they may differ from the CPU's in the last bits (a
// different order of additions). The noise tally is a sum of whole numbers for means up
// to 1e6 and then equals the CPU's exactly.
#include "kernel/cuda/image_products.hpp"

#include <cfloat>

#include "kernel/cuda/cuda_check.hpp"

namespace tilebragg::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int kCountsFast = 32, kCountsSlow = 8;

struct RowSums {
    double kept_sum, kept_sumsqr, all_sum, all_sumsqr;
    long long kept_n, nonfinite;
    float max_I;
    long long max_index;  // -1: no kept value above 0
};

__device__ RowSums no_sums() { return {0, 0, 0, 0, 0, 0, 0.0f, -1}; }

// b's sums into a; the larger maximum wins, the first place on a tie.
__device__ void combine(RowSums& a, const RowSums& b) {
    a.kept_sum += b.kept_sum;
    a.kept_sumsqr += b.kept_sumsqr;
    a.all_sum += b.all_sum;
    a.all_sumsqr += b.all_sumsqr;
    a.kept_n += b.kept_n;
    a.nonfinite += b.nonfinite;
    if (b.max_index >= 0 &&
        (b.max_I > a.max_I || (b.max_I == a.max_I && (a.max_index < 0 || b.max_index < a.max_index)))) {
        a.max_I = b.max_I;
        a.max_index = b.max_index;
    }
}

// NoiseTally without its initialisers (shared memory cannot hold those).
struct Tally {
    double photons;
    long long overloads;
};

__device__ void combine(Tally& a, const Tally& b) {
    a.photons += b.photons;
    a.overloads += b.overloads;
}

// The block's values combined in a fixed tree; the result in shared[0].
template <typename X>
__device__ void reduce_in_block(X* shared, X mine) {
    shared[threadIdx.x] = mine;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width /= 2) {
        if (static_cast<int>(threadIdx.x) < width) combine(shared[threadIdx.x], shared[threadIdx.x + width]);
        __syncthreads();
    }
}

struct Region {
    int fpixels, fast_begin, fast_end, slow_begin;
};

// One block per row of the ROI.
__global__ void __launch_bounds__(kThreads)
    row_sums(const float* __restrict__ photons, Region r, const std::uint16_t* __restrict__ mask, RowSums* rows) {
    __shared__ RowSums shared[kThreads];
    const long long row_start = static_cast<long long>(r.slow_begin + static_cast<int>(blockIdx.x)) * r.fpixels;
    RowSums s = no_sums();
    for (int f = r.fast_begin + static_cast<int>(threadIdx.x); f < r.fast_end; f += kThreads) {
        const long long index = row_start + f;
        const float value = photons[index];
        const double v = value;
        s.all_sum += v;
        s.all_sumsqr += v * v;
        s.nonfinite += fabsf(value) <= FLT_MAX ? 0 : 1;
        if (mask && mask[index] == 0) continue;
        s.kept_sum += v;
        s.kept_sumsqr += v * v;
        ++s.kept_n;
        if (value > s.max_I) {  // NaN never compares larger
            s.max_I = value;
            s.max_index = index;
        }
    }
    reduce_in_block(shared, s);
    if (threadIdx.x == 0) rows[blockIdx.x] = shared[0];
}

// One block: the rows' sums in a fixed order.
__global__ void __launch_bounds__(kThreads)
    image_sums(const RowSums* __restrict__ rows, int row_count, long long pixels, ProductResults* results) {
    __shared__ RowSums shared[kThreads];
    RowSums s = no_sums();
    for (int i = static_cast<int>(threadIdx.x); i < row_count; i += kThreads) combine(s, rows[i]);
    reduce_in_block(shared, s);
    if (threadIdx.x != 0) return;
    const RowSums& t = shared[0];
    StatisticsSums& out = results->statistics;
    out.kept_sum = t.kept_sum;
    out.kept_sumsqr = t.kept_sumsqr;
    out.all_sum = t.all_sum;
    out.all_sumsqr = t.all_sumsqr;
    out.kept_n = t.kept_n;
    out.all_n = pixels;
    out.nonfinite = t.nonfinite;
    out.max_I = t.max_index >= 0 ? t.max_I : 0.0f;
    out.max_index = t.max_index;
    results->noise.photons = 0;
    results->noise.overloads = 0;
}

// One thread per pixel of the detector; one tally per block (noise only).
__global__ void __launch_bounds__(kCountsFast* kCountsSlow)
    detector_counts(const float* __restrict__ photons, int fpixels, int spixels, Roi roi, CountsRule rule,
                    const ProductResults* __restrict__ results, std::uint16_t* __restrict__ counts, Tally* tallies) {
    __shared__ Tally shared[kCountsFast * kCountsSlow];
    const int fast = static_cast<int>(blockIdx.x) * kCountsFast + static_cast<int>(threadIdx.x);
    const int slow = static_cast<int>(blockIdx.y) * kCountsSlow + static_cast<int>(threadIdx.y);
    const bool inside = fast < fpixels && slow < spixels;
    const long long index = static_cast<long long>(slow) * fpixels + fast;
    // The ROI's bounds are inclusive (PixelRoi::contains).
    const bool counted =
        inside && fast >= roi.fast_min && fast <= roi.fast_max && slow >= roi.slow_min && slow <= roi.slow_max;
    Tally tally{0, 0};
    if (rule.noise) {
        if (counted) {
            const NoisyPixel p = noisy_count(photons[index], rule.noise_settings, static_cast<std::uint64_t>(index));
            counts[index] = p.value;
            tally.photons = p.photons;
            tally.overloads = p.overload ? 1 : 0;
        } else if (inside) {
            counts[index] = 0;
        }
        // The tally tree wants whole warps in a flat block index.
        const int flat = static_cast<int>(threadIdx.y) * kCountsFast + static_cast<int>(threadIdx.x);
        shared[flat] = tally;
        __syncthreads();
        for (int width = kCountsFast * kCountsSlow / 2; width > 0; width /= 2) {
            if (flat < width) combine(shared[flat], shared[flat + width]);
            __syncthreads();
        }
        if (flat == 0) tallies[blockIdx.y * gridDim.x + blockIdx.x] = shared[0];
        return;
    }
    if (!inside) return;
    const double scale = resolve_intfile_scale(rule.intfile_scale, results->statistics.max_I);
    counts[index] = counted ? int_pixel(photons[index], scale, rule.adc_offset) : std::uint16_t{0};
}

// One block: the blocks' tallies in a fixed order.
__global__ void __launch_bounds__(kThreads)
    tally_in_order(const Tally* __restrict__ tallies, int n, ProductResults* results) {
    __shared__ Tally shared[kThreads];
    Tally t{0, 0};
    for (int i = static_cast<int>(threadIdx.x); i < n; i += kThreads) combine(t, tallies[i]);
    reduce_in_block(shared, t);
    if (threadIdx.x != 0) return;
    results->noise.photons = shared[0].photons;
    results->noise.overloads = shared[0].overloads;
}

struct Layout {
    int rows, cols, slow_begin, fast_begin;
    dim3 counts_grid;
    int counts_blocks;
};

Layout layout_of(int fpixels, int spixels, const Roi& roi) {
    Layout l{};
    l.slow_begin = roi.slow_min > 0 ? roi.slow_min : 0;
    l.fast_begin = roi.fast_min > 0 ? roi.fast_min : 0;
    const int slow_end = roi.slow_max + 1 < spixels ? roi.slow_max + 1 : spixels;
    const int fast_end = roi.fast_max + 1 < fpixels ? roi.fast_max + 1 : fpixels;
    l.rows = slow_end > l.slow_begin ? slow_end - l.slow_begin : 0;
    l.cols = fast_end > l.fast_begin ? fast_end - l.fast_begin : 0;
    l.counts_grid = dim3((fpixels + kCountsFast - 1) / kCountsFast, (spixels + kCountsSlow - 1) / kCountsSlow);
    l.counts_blocks = static_cast<int>(l.counts_grid.x * l.counts_grid.y);
    return l;
}

std::size_t round_up(std::size_t bytes) { return (bytes + 255) / 256 * 256; }

}  // namespace

std::size_t product_scratch_bytes(int fpixels, int spixels) {
    const Layout l = layout_of(fpixels, spixels, Roi{0, fpixels - 1, 0, spixels - 1});
    return round_up(sizeof(RowSums) * static_cast<std::size_t>(spixels > 0 ? spixels : 1)) +
           round_up(sizeof(Tally) * static_cast<std::size_t>(l.counts_blocks > 0 ? l.counts_blocks : 1));
}

void launch_image_products(const float* photons, int fpixels, int spixels, const Roi& roi, const std::uint16_t* mask,
                           const CountsRule& rule, std::uint16_t* counts, void* scratch, ProductResults* results,
                           cudaStream_t stream) {
    const Layout l = layout_of(fpixels, spixels, roi);
    auto* rows = static_cast<RowSums*>(scratch);
    auto* tallies = reinterpret_cast<Tally*>(
        static_cast<char*>(scratch) + round_up(sizeof(RowSums) * static_cast<std::size_t>(spixels > 0 ? spixels : 1)));
    if (l.rows > 0 && l.cols > 0) {
        row_sums<<<l.rows, kThreads, 0, stream>>>(
            photons, Region{fpixels, l.fast_begin, l.fast_begin + l.cols, l.slow_begin}, mask, rows);
        check(cudaGetLastError(), "launching the statistics kernel");
    }
    const int row_count = l.rows > 0 && l.cols > 0 ? l.rows : 0;
    image_sums<<<1, kThreads, 0, stream>>>(rows, row_count, static_cast<long long>(l.rows) * l.cols, results);
    check(cudaGetLastError(), "launching the statistics kernel");
    if (!counts || l.counts_blocks == 0) return;
    detector_counts<<<l.counts_grid, dim3(kCountsFast, kCountsSlow), 0, stream>>>(photons, fpixels, spixels, roi, rule,
                                                                                  results, counts, tallies);
    check(cudaGetLastError(), "launching the counts kernel");
    if (rule.noise) {
        tally_in_order<<<1, kThreads, 0, stream>>>(tallies, l.counts_blocks, results);
        check(cudaGetLastError(), "launching the tally kernel");
    }
}

}  // namespace tilebragg::cuda
