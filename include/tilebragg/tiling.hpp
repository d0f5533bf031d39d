#pragma once
// The detector cut into tiles: the unit of work that ranks render and that the HDF5
// file is chunked by. Plain data, no MPI.
#include <tilebragg/kernel.hpp>

namespace tilebragg {

struct TileSize {
    int fast = 0, slow = 0;  // pixels; 0 = choose automatically
};

// A regular grid of tiles over fpixels x spixels; tiles on the far edges are cut short.
// Tiles are numbered row-major (fast index fastest), so tile order follows image order.
class TileGrid {
public:
    TileGrid(int fpixels, int spixels, TileSize size);

    int fpixels() const { return fpixels_; }
    int spixels() const { return spixels_; }
    TileSize size() const { return size_; }
    int tiles_fast() const { return tiles_fast_; }
    int tiles_slow() const { return tiles_slow_; }
    int count() const { return tiles_fast_ * tiles_slow_; }
    Tile tile(int index) const;  // 0 <= index < count()

private:
    int fpixels_, spixels_;
    TileSize size_;
    int tiles_fast_, tiles_slow_;
};

// A tile size that gives every rank a few tiles per thread to balance with, keeps every
// tile tall enough to spread its rows over the threads, and keeps the fast edge a
// multiple of 16 pixels (SIMD width) unless one tile spans the whole row.
TileSize automatic_tile_size(int fpixels, int spixels, int ranks, int threads);

// `requested` with zeros filled in automatically and clamped to the detector; throws
// InputError for negative sizes.
TileSize resolve_tile_size(TileSize requested, int fpixels, int spixels, int ranks, int threads);

}  // namespace tilebragg
