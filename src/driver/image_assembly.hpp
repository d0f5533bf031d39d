#pragma once
// Bringing each image of a wave whole to one rank: who rendered which tile is shared
// with every rank, each image gets an owner (the rank that rendered most of its pixels,
// so a GPU rank that rendered a whole image keeps it; or, where every rank makes the
// products of its own rows and the tiles are smaller than the image, image i goes to rank
// i % ranks, so that one image is finished by the rank that writes the file), and the
// other ranks send their tiles of it straight into the owner's image buffer.
#include <mpi.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <tilebragg/tile.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/work_items.hpp>

namespace tilebragg {

// A tile this rank rendered and keeps until its wave is finished.
struct RenderedTile {
    long item = 0;
    Tile tile;
    double omega = 0;               // its sum of sub-pixel solid angles
    std::vector<float> storage;     // the pixels, unless rendered in place
    const float* pixels = nullptr;  // storage.data(), or the image's own rows
    // Its detector counts where this rank made them (tile_products.hpp): in counts_storage,
    // or in the rows of the owner's counts buffer; null otherwise.
    std::vector<std::uint16_t> counts_storage;
    const std::uint16_t* counts = nullptr;
};

// One image of a wave, as every rank sees it after the exchange of who rendered what.
struct WaveImage {
    int slot = 0;           // position in the job's list of images
    int owner = -1;         // -1: no tile rendered
    bool complete = false;  // every tile rendered (a stopped job may leave gaps)
    double omega = 0;       // the side sums of its tiles, in tile order
};

// Who rendered which tile of a wave, and what becomes of each of its images.
struct WavePlan {
    int slot_begin = 0;
    std::vector<WaveImage> images;               // slots slot_begin, slot_begin + 1, ...
    std::vector<std::pair<int, long>> rendered;  // (rank, item) of every tile, items ascending per rank

    const WaveImage& image_of(const WorkList& work, long item) const {
        return images[static_cast<std::size_t>(work.item(item).image - slot_begin)];
    }
};

// Who owns an image of a wave.
enum class Owner {
    MostPixels,  // the rank that rendered most of it
    Rotating,    // rotating_owner: known before the wave renders
};
inline int rotating_owner(int slot, int ranks) { return slot % ranks; }

// Collective: every rank passes the tiles of slots [slot_begin, slot_end) it rendered,
// in item order.
WavePlan plan_wave(const std::vector<const RenderedTile*>& mine, int slot_begin, int slot_end, const WorkList& work,
                   const TileGrid& grid, Owner rule, MPI_Comm comm);

// A tile another rank rendered of a complete image this rank owns.
struct ArrivingTile {
    int from = 0;  // the rank that sends it
    int slot = 0;
    Tile tile;
};
// Those tiles, in the order their ranks send them (each rank its items ascending): a
// receive posted in this order matches its message, as MPI keeps the order of messages
// between two ranks with the same tag.
std::vector<ArrivingTile> tiles_arriving(const WavePlan& wave, const WorkList& work, const TileGrid& grid, int rank);

// Collective: tiles go to their image's owner. `images` holds, for each complete slot
// this rank owns, a full-image buffer (tiles already rendered in place in it are not
// copied).
void assemble_images(const WavePlan& wave, const std::vector<const RenderedTile*>& mine, const WorkList& work,
                     const TileGrid& grid, std::map<int, std::vector<float>>& images, MPI_Comm comm);

}  // namespace tilebragg
