#pragma once
// A rectangle of one detector panel: the unit of work the ranks render and the kernel
// computes. Plain data at the bottom of the include graph, so that decomposition, the
// kernels and the sinks can all speak of tiles without knowing each other.
#include <cstddef>

#include <tilebragg/host_device.hpp>

namespace tilebragg {

// Pixels [fast_begin, fast_end) x [slow_begin, slow_end) of panel `panel`, half-open.
// Detectors have one panel today (panel 0); a detector of several panels numbers its
// tiles panel-major, so work items stay (image, tile).
struct Tile {
    int fast_begin = 0, fast_end = 0, slow_begin = 0, slow_end = 0;
    int panel = 0;

    TB_HD int width() const { return fast_end - fast_begin; }
    TB_HD int height() const { return slow_end - slow_begin; }
    TB_HD std::size_t pixels() const { return static_cast<std::size_t>(width()) * static_cast<std::size_t>(height()); }
};

// The size of the tiles of a regular grid, pixels; 0 = choose automatically.
struct TileSize {
    int fast = 0, slow = 0;
};

// What the reference accumulates on the side while rendering: the solid angle of every
// sub-pixel (printed as a check of the geometry).
struct TileSideSums {
    double omega_sum = 0;
};

}  // namespace tilebragg
