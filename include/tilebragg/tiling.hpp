#pragma once
// The detector cut into tiles: the unit of work that ranks render and that the HDF5
// file is chunked by. Plain data, no MPI.
#include <tilebragg/tile.hpp>

namespace tilebragg {

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

// `requested` (-tile) with zeros filled in from `preferred` (the renderer's choice) and
// clamped to the detector; throws InputError for negative sizes.
TileSize resolve_tile_size(TileSize requested, TileSize preferred, int fpixels, int spixels);

}  // namespace tilebragg
