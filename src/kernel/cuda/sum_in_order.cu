// The solid-angle side sum of a tile: per-block partial sums (render_pixels.cuh) added
// up in a fixed order, so a tile's sum has the same bits on every run.
#include "kernel/cuda/cuda_check.hpp"
#include "kernel/cuda/render_launch.hpp"
#include "kernel/cuda/render_pixels.cuh"

namespace tilebragg::cuda {
namespace {

constexpr int kSumThreads = 256;

__global__ void __launch_bounds__(kSumThreads) sum_in_order(const double* __restrict__ v, int n, double* total) {
    __shared__ double partial[kSumThreads];
    double sum = 0;
    for (int i = static_cast<int>(threadIdx.x); i < n; i += kSumThreads) sum += v[i];
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int width = kSumThreads / 2; width > 0; width /= 2) {
        if (static_cast<int>(threadIdx.x) < width) partial[threadIdx.x] += partial[threadIdx.x + width];
        __syncthreads();
    }
    if (threadIdx.x == 0) *total = partial[0];
}

}  // namespace

int render_blocks(const Tile& tile) {
    return ((tile.width() + kBlockFast - 1) / kBlockFast) * ((tile.height() + kBlockSlow - 1) / kBlockSlow);
}

void launch_sum_in_order(const double* v, int n, double* total, cudaStream_t stream) {
    sum_in_order<<<1, kSumThreads, 0, stream>>>(v, n, total);
    check(cudaGetLastError(), "launching the side-sum kernel");
}

}  // namespace tilebragg::cuda
