#pragma once
// The CPU pixel kernel: KernelView + a tile -> photons per pixel. A pure function: a
// pixel's value depends on the view and the pixel's own index only, never on the tile
// it is rendered in or on the thread that renders it. No threads inside (the CPU
// renderer spreads rows over OpenMP threads), no allocation, no I/O.
#include <string>
#include <vector>

#include <tilebragg/kernel_view.hpp>
#include <tilebragg/tile.hpp>

namespace tilebragg {

// Renders row `row` of `tile` (slow pixel tile.slow_begin + row) into `line`
// (tile.width() floats, indexed from tile.fast_begin); returns the row's sum of sub-pixel
// solid angles. Pixels outside the ROI or masked out are left untouched.
template <typename T>
double render_tile_row(const KernelView<T>& k, const Tile& tile, int row, float* line);

// Every row of `tile` into `out` (tile-sized, row-major, fast fastest).
template <typename T>
TileSideSums render_tile(const KernelView<T>& k, const Tile& tile, float* out);

// The kernel is compiled once per instruction set ("baseline": the build's -march;
// "avx2": x86-64-v3; "avx512": x86-64-v4) and the functions above use the widest one
// this CPU runs. All of them compute the same bits.
// The copies this build has that this CPU runs, narrowest first.
std::vector<std::string> cpu_kernel_isas();
// The copy render_tile and render_tile_row use.
std::string cpu_kernel_isa();
// render_tile with the copy `isa` (tests, benchmarks); std::invalid_argument if this
// build has no such copy or this CPU cannot run it.
template <typename T>
TileSideSums render_tile_with(const std::string& isa, const KernelView<T>& k, const Tile& tile, float* out);

}  // namespace tilebragg
