#pragma once
// Host side of the CUDA kernel: the launch of one tile, with the template instance the
// view's orientation path asks for. One .cu per precision instantiates it (they compile
// in parallel).
#include <cuda_runtime.h>

#include <tilebragg/kernel_view.hpp>
#include <tilebragg/tile.hpp>

#include "kernel/orientation_path.hpp"

namespace tilebragg::cuda {

// Thread blocks a tile is rendered with: one solid-angle partial sum each.
int render_blocks(const Tile& tile);

// Enqueues the kernel on `stream`: `view` must point into GPU memory, as must
// `orientation_rows` (the view's orientations laid out by orientation_rows.hpp);
// `out` holds tile.pixels() floats, `omega_partials` render_blocks(tile) doubles.
template <typename T>
void launch_render(const KernelView<T>& view, const T* orientation_rows, const OrientationPath& path, const Tile& tile,
                   float* out, double* omega_partials, cudaStream_t stream);

// *total = the sum of v[0..n) in a fixed order (one block), enqueued on `stream`.
void launch_sum_in_order(const double* v, int n, double* total, cudaStream_t stream);

}  // namespace tilebragg::cuda
