#pragma once
// launch_render<T>: the grid of a tile and the template instance of its orientation
// path. Included by render_launch_float.cu and render_launch_double.cu only.
#include "kernel/cuda/cuda_check.hpp"
#include "kernel/cuda/render_launch.hpp"
#include "kernel/cuda/render_pixels.cuh"

namespace tilebragg::cuda {

template <typename T>
struct Launch {
    const KernelView<T>& view;
    const T* orientation_rows;
    const Tile& tile;
    float* out;
    double* omega_partials;
    cudaStream_t stream;
};

template <typename T, StepPath kPath, int kN>
void launch(const Launch<T>& l) {
    const std::size_t staged_bytes = static_cast<std::size_t>(l.view.crystal.orientations) * kRowLength * sizeof(T);
    const bool staged = staged_bytes <= kMaxStagedBytes;
    const dim3 block(kBlockFast, kBlockSlow);
    const dim3 grid((l.tile.width() + kBlockFast - 1) / kBlockFast, (l.tile.height() + kBlockSlow - 1) / kBlockSlow);
    render_pixels<T, kPath, kN><<<grid, block, staged ? staged_bytes : 0, l.stream>>>(
        l.view, l.orientation_rows, staged, l.tile, l.out, l.omega_partials);
    check(cudaGetLastError(), "launching the pixel kernel");
}

template <typename T>
void launch_render(const KernelView<T>& view, const T* orientation_rows, const OrientationPath& path, const Tile& tile,
                   float* out, double* omega_partials, cudaStream_t stream) {
    if (tile.pixels() == 0) return;
    const Launch<T> l{view, orientation_rows, tile, out, omega_partials, stream};
    with_step_path(path, [&](auto step, auto N) { launch<T, decltype(step)::value, decltype(N)::value>(l); });
}

}  // namespace tilebragg::cuda
