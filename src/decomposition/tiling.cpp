#include <tilebragg/tiling.hpp>

#include <algorithm>
#include <string>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

int ceil_div(long a, long b) { return static_cast<int>((a + b - 1) / b); }

}  // namespace

TileGrid::TileGrid(int fpixels, int spixels, TileSize size)
    : fpixels_(fpixels),
      spixels_(spixels),
      size_(size),
      tiles_fast_(size.fast > 0 ? ceil_div(fpixels, size.fast) : 0),
      tiles_slow_(size.slow > 0 ? ceil_div(spixels, size.slow) : 0) {
    if (fpixels <= 0 || spixels <= 0 || size.fast <= 0 || size.slow <= 0)
        throw InputError("tile grid: detector " + std::to_string(fpixels) + "x" + std::to_string(spixels) +
                         " and tile " + std::to_string(size.fast) + "x" + std::to_string(size.slow) +
                         " must all be positive");
}

Tile TileGrid::tile(int index) const {
    const int tf = index % tiles_fast_, ts = index / tiles_fast_;
    Tile t;
    t.fast_begin = tf * size_.fast;
    t.fast_end = std::min(fpixels_, t.fast_begin + size_.fast);
    t.slow_begin = ts * size_.slow;
    t.slow_end = std::min(spixels_, t.slow_begin + size_.slow);
    return t;
}

TileSize resolve_tile_size(TileSize requested, TileSize preferred, int fpixels, int spixels) {
    if (requested.fast < 0 || requested.slow < 0)
        throw InputError("flag -tile: sizes " + std::to_string(requested.fast) + " " + std::to_string(requested.slow) +
                         " must not be negative");
    TileSize s;
    s.fast = std::clamp(requested.fast > 0 ? requested.fast : preferred.fast, 1, fpixels);
    s.slow = std::clamp(requested.slow > 0 ? requested.slow : preferred.slow, 1, spixels);
    return s;
}

}  // namespace tilebragg
