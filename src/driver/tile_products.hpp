#pragma once
// An image's statistics and detector counts made where its rows were rendered. When the
// tiles are bands of whole rows (the CPU's tiles), every rank sums the rows it rendered for
// the statistics and draws their noise (or converts them to the int image), and sends the
// row sums and counts to the image's owner with the photons. The owner then finishes the
// image from them, as it finishes an image a GPU made whole, instead of passing over every
// pixel alone while the other ranks wait: with one image shared by many ranks that pass
// (the noise above all) was the one serial step of the job.
//
// Nothing depends on who made what: a pixel's counts depend on its value and index only,
// row sums and the rows' noise tallies are combined in row order, as one process combines
// them, and the int image's scale comes from the image's brightest pixel, agreed by all
// ranks first.
#include <mpi.h>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/noise.hpp>

#include "driver/image_assembly.hpp"

namespace tilebragg {

// What the owner of an image gathered: its statistics' sums and its noise tally (the
// counts themselves went into the owner's counts buffer).
struct GatheredProducts {
    StatisticsSums statistics;
    NoiseTally noise;
};

// Whether tiles of `grid` allow it: whole rows.
bool tiles_are_whole_rows(const TileGrid& grid);

// Collective. For every tile in `mine` of a complete image of `wave`: fills its `counts`
// (in `counts_of(slot)`'s rows when this rank owns the image, else in the tile's own
// storage) and sends the owner what it needs. Returns, for each complete image this rank
// owns, what it gathered. `experiment(slot)` is the image's Experiment.
std::map<int, GatheredProducts> make_tile_products(const WavePlan& wave, std::vector<RenderedTile*>& mine,
                                                   const WorkList& work, const TileGrid& grid,
                                                   const std::function<const Experiment&(int slot)>& experiment,
                                                   const std::function<std::uint16_t*(int slot)>& counts_of,
                                                   MPI_Comm comm);

}  // namespace tilebragg
