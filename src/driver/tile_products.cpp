#include "driver/tile_products.hpp"

#include <algorithm>
#include <cstring>
#include <exception>

#include <tilebragg/image_products.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/pixel_counts.hpp>
#include <tilebragg/thread_team.hpp>

namespace tilebragg {
namespace {

constexpr int kProductsTag = 7302;
constexpr int kCountsTag = 7304;

// The rows of tile `t` that the statistics cover, [first, end) in image rows.
struct CoveredRows {
    int first = 0, end = 0;
    int count() const { return end > first ? end - first : 0; }
};
CoveredRows covered_rows(const Tile& t, const StatisticsRegion& region) {
    return {std::max(t.slow_begin, region.slow_begin), std::min(t.slow_begin + t.height(), region.slow_end)};
}

// What one tile gives its image's owner: its rows' noise tallies and row sums packed in
// one message, and its counts in another, received straight into the owner's image.
std::size_t message_bytes(const Tile& t, const StatisticsRegion& region) {
    return sizeof(NoiseTally) * static_cast<std::size_t>(t.height()) +
           sizeof(RowSums) * static_cast<std::size_t>(covered_rows(t, region).count());
}

struct TileMade {
    std::vector<RowSums> rows;
    std::vector<NoiseTally> noise;  // one per row of the tile
};

}  // namespace

bool tiles_are_whole_rows(const TileGrid& grid) { return grid.size().fast >= grid.fpixels(); }

std::map<int, GatheredProducts> make_tile_products(const WavePlan& wave, std::vector<RenderedTile*>& mine,
                                                   const WorkList& work, const TileGrid& grid,
                                                   const std::function<const Experiment&(int slot)>& experiment,
                                                   const std::function<std::uint16_t*(int slot)>& counts_of,
                                                   MPI_Comm comm) {
    const int rank = mpi_rank(comm);
    const int nf = grid.fpixels(), ns = grid.spixels();
    auto image_of = [&](long item) -> const WaveImage& { return wave.image_of(work, item); };
    auto region_of = [&](int slot) { return statistics_region(experiment(slot).roi, nf, ns); };

    // The tiles of complete images, each with its image's Experiment (looked up here, on
    // one thread, before the parallel loops).
    std::vector<RenderedTile*> tiles;
    std::vector<const Experiment*> experiment_of;
    for (RenderedTile* t : mine)
        if (image_of(t->item).complete) {
            tiles.push_back(t);
            experiment_of.push_back(&experiment(image_of(t->item).slot));
        }
    std::size_t pixels = 0;
    for (const RenderedTile* t : tiles) pixels += t->tile.pixels();
    const bool team = pixels >= kThreadTeamMinPixels;

    // Row sums first: the int image's scale needs the image's brightest pixel.
    std::vector<TileMade> made(tiles.size());
#pragma omp parallel for schedule(dynamic) if (team)
    for (long k = 0; k < static_cast<long>(tiles.size()); ++k) {
        const RenderedTile& t = *tiles[static_cast<std::size_t>(k)];
        const Experiment& e = *experiment_of[static_cast<std::size_t>(k)];
        const StatisticsRegion region = statistics_region(e.roi, nf, ns);
        const CoveredRows rows = covered_rows(t.tile, region);
        auto& sums = made[static_cast<std::size_t>(k)].rows;
        sums.resize(static_cast<std::size_t>(rows.count()));
        for (int s = rows.first; s < rows.end; ++s)
            sums[static_cast<std::size_t>(s - rows.first)] =
                row_sums(t.pixels + static_cast<std::size_t>(s - t.tile.slow_begin) * static_cast<std::size_t>(nf), s,
                         nf, region, e.mask);
    }
    // Per image of the wave: its brightest kept pixel, and whether any pixel is not finite
    // (then no counts are made; the owner refuses the image).
    const std::size_t slots = wave.images.size();
    std::vector<double> agreed(2 * slots, 0.0);
    for (std::size_t k = 0; k < tiles.size(); ++k) {
        const std::size_t s = static_cast<std::size_t>(image_of(tiles[k]->item).slot - wave.slot_begin);
        for (const RowSums& row : made[k].rows) {
            agreed[s] = std::max(agreed[s], row.max_I);
            if (row.nonfinite > 0) agreed[slots + s] = 1.0;
        }
    }
    if (mpi_active() && slots > 0)
        MPI_Allreduce(MPI_IN_PLACE, agreed.data(), static_cast<int>(agreed.size()), MPI_DOUBLE, MPI_MAX, comm);

    // The counts, each tile where its image will need them.
    std::vector<std::uint16_t*> counts_at(tiles.size());
    for (std::size_t k = 0; k < tiles.size(); ++k) {
        RenderedTile& t = *tiles[k];
        const WaveImage& img = image_of(t.item);
        if (img.owner == rank) {
            counts_at[k] =
                counts_of(img.slot) + static_cast<std::size_t>(t.tile.slow_begin) * static_cast<std::size_t>(nf);
        } else {
            t.counts_storage.resize(t.tile.pixels());
            counts_at[k] = t.counts_storage.data();
        }
        t.counts = counts_at[k];
    }
#pragma omp parallel for schedule(dynamic) if (team)
    for (long k = 0; k < static_cast<long>(tiles.size()); ++k) {
        const RenderedTile& t = *tiles[static_cast<std::size_t>(k)];
        const std::size_t s = static_cast<std::size_t>(image_of(t.item).slot - wave.slot_begin);
        std::uint16_t* counts = counts_at[static_cast<std::size_t>(k)];
        std::vector<NoiseTally>& noise = made[static_cast<std::size_t>(k)].noise;
        noise.assign(static_cast<std::size_t>(t.tile.height()), NoiseTally{});
        if (agreed[slots + s] != 0.0) {
            std::fill(counts, counts + t.tile.pixels(), std::uint16_t{0});
            continue;
        }
        const Experiment& e = *experiment_of[static_cast<std::size_t>(k)];
        const Params& p = e.params;
        const PixelRoi roi = pixel_roi(e.roi);
        const int s0 = t.tile.slow_begin, rows = t.tile.height();
        if (p.write_noise) {
            noise_rows(t.pixels, nf, s0, rows, roi, noise_settings(p), counts, noise.data());
        } else {
            const double scale = resolve_intfile_scale(p.intfile_scale, static_cast<float>(agreed[s]));
            make_int_rows(t.pixels, nf, s0, s0 + rows, roi, scale, p.adc_offset, counts);
        }
    }

    // The owner's own tiles go straight into what it gathers; the others' arrive in the
    // order each rank sends them (its items ascending), as the photons do.
    std::map<int, GatheredProducts> gathered;
    std::map<int, std::vector<RowSums>> rows_of;
    std::map<int, std::vector<NoiseTally>> noise_of;  // per row of the image
    for (const WaveImage& img : wave.images)
        if (img.complete && img.owner == rank) {
            gathered[img.slot];
            rows_of[img.slot].resize(static_cast<std::size_t>(region_of(img.slot).rows()));
            noise_of[img.slot].resize(static_cast<std::size_t>(ns));
        }
    auto take_rows = [&](int slot, const Tile& t, const RowSums* sums) {
        const StatisticsRegion region = region_of(slot);
        const CoveredRows rows = covered_rows(t, region);
        std::copy(sums, sums + rows.count(),
                  rows_of.at(slot).begin() + static_cast<std::ptrdiff_t>(rows.first - region.slow_begin));
    };
    auto take_noise = [&](int slot, const Tile& t, const NoiseTally* rows) {
        std::copy(rows, rows + t.height(), noise_of.at(slot).begin() + static_cast<std::ptrdiff_t>(t.slow_begin));
    };
    std::vector<std::vector<char>> outgoing;
    for (std::size_t k = 0; k < tiles.size(); ++k) {
        const RenderedTile& t = *tiles[k];
        const WaveImage& img = image_of(t.item);
        if (img.owner == rank) {
            take_rows(img.slot, t.tile, made[k].rows.data());
            take_noise(img.slot, t.tile, made[k].noise.data());
            continue;
        }
        std::vector<char> message(message_bytes(t.tile, region_of(img.slot)));
        char* at = message.data();
        std::memcpy(at, made[k].noise.data(), sizeof(NoiseTally) * made[k].noise.size());
        at += sizeof(NoiseTally) * made[k].noise.size();
        std::memcpy(at, made[k].rows.data(), sizeof(RowSums) * made[k].rows.size());
        outgoing.push_back(std::move(message));
    }
    if (mpi_active()) {
        const std::vector<ArrivingTile> arriving = tiles_arriving(wave, work, grid, rank);
        std::vector<std::vector<char>> incoming;
        incoming.reserve(arriving.size());
        for (const ArrivingTile& t : arriving) incoming.emplace_back(message_bytes(t.tile, region_of(t.slot)));
        std::vector<MPI_Request> requests;
        requests.reserve(2 * (incoming.size() + outgoing.size()));
        for (std::size_t k = 0; k < arriving.size(); ++k) {
            const ArrivingTile& t = arriving[k];
            requests.emplace_back();
            MPI_Irecv(incoming[k].data(), static_cast<int>(incoming[k].size()), MPI_BYTE, t.from, kProductsTag, comm,
                      &requests.back());
            requests.emplace_back();
            MPI_Irecv(counts_of(t.slot) + static_cast<std::size_t>(t.tile.slow_begin) * static_cast<std::size_t>(nf),
                      static_cast<int>(sizeof(std::uint16_t) * t.tile.pixels()), MPI_BYTE, t.from, kCountsTag, comm,
                      &requests.back());
        }
        std::size_t sent = 0;
        for (const RenderedTile* t : tiles) {
            const WaveImage& img = image_of(t->item);
            if (img.owner == rank) continue;
            std::vector<char>& message = outgoing[sent++];
            requests.emplace_back();
            MPI_Isend(message.data(), static_cast<int>(message.size()), MPI_BYTE, img.owner, kProductsTag, comm,
                      &requests.back());
            requests.emplace_back();
            MPI_Isend(t->counts, static_cast<int>(sizeof(std::uint16_t) * t->tile.pixels()), MPI_BYTE, img.owner,
                      kCountsTag, comm, &requests.back());
        }
        MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
        for (std::size_t k = 0; k < arriving.size(); ++k) {
            const int slot = arriving[k].slot;
            const Tile& tile = arriving[k].tile;
            const char* at = incoming[k].data();
            std::vector<NoiseTally> noise(static_cast<std::size_t>(tile.height()));
            std::memcpy(noise.data(), at, sizeof(NoiseTally) * noise.size());
            take_noise(slot, tile, noise.data());
            at += sizeof(NoiseTally) * noise.size();
            std::vector<RowSums> sums(static_cast<std::size_t>(covered_rows(tile, region_of(slot)).count()));
            std::memcpy(sums.data(), at, sizeof(RowSums) * sums.size());
            take_rows(slot, tile, sums.data());
        }
    }
    // Both in row order, as a single process adds them.
    for (auto& [slot, g] : gathered) {
        g.statistics = sums_of_rows(rows_of.at(slot), region_of(slot), nf);
        for (const NoiseTally& row : noise_of.at(slot)) g.noise += row;
    }
    return gathered;
}

}  // namespace tilebragg
