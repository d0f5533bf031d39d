#include "driver/image_assembly.hpp"

#include <algorithm>
#include <cstring>

#include <tilebragg/mpi_exchange.hpp>

namespace tilebragg {
namespace {

constexpr int kTileTag = 7301;

struct TileNote {
    long item;
    double omega;
};

float* corner_of(std::vector<float>& image, const TileGrid& grid, const Tile& t) {
    return image.data() + static_cast<std::size_t>(t.slow_begin) * static_cast<std::size_t>(grid.fpixels()) +
           static_cast<std::size_t>(t.fast_begin);
}

}  // namespace

WavePlan plan_wave(const std::vector<const RenderedTile*>& mine, int slot_begin, int slot_end, const WorkList& work,
                   const TileGrid& grid, Owner rule, MPI_Comm comm) {
    std::vector<TileNote> notes;
    notes.reserve(mine.size());
    for (const RenderedTile* t : mine) notes.push_back({t->item, t->omega});
    std::vector<int> per_rank;
    const std::vector<TileNote> all = allgather_all(notes, comm, &per_rank);

    const int slots = slot_end - slot_begin;
    const int ranks = static_cast<int>(per_rank.size());
    WavePlan plan;
    plan.slot_begin = slot_begin;
    std::vector<WaveImage>& wave = plan.images;
    wave.resize(static_cast<std::size_t>(slots));
    std::vector<std::vector<long>> pixels(static_cast<std::size_t>(slots), std::vector<long>(ranks, 0));
    std::vector<std::vector<TileNote>> tiles(static_cast<std::size_t>(slots));
    std::size_t at = 0;
    for (int r = 0; r < ranks; ++r)
        for (int k = 0; k < per_rank[static_cast<std::size_t>(r)]; ++k, ++at) {
            const TileNote& n = all[at];
            plan.rendered.emplace_back(r, n.item);
            const WorkItem w = work.item(n.item);
            const std::size_t s = static_cast<std::size_t>(w.image - slot_begin);
            pixels[s][static_cast<std::size_t>(r)] += static_cast<long>(grid.tile(w.tile).pixels());
            tiles[s].push_back(n);
        }
    for (int s = 0; s < slots; ++s) {
        WaveImage& img = wave[static_cast<std::size_t>(s)];
        img.slot = slot_begin + s;
        const auto& px = pixels[static_cast<std::size_t>(s)];
        const auto most = std::max_element(px.begin(), px.end());
        if (most != px.end() && *most > 0)
            img.owner = rule == Owner::Rotating ? rotating_owner(img.slot, ranks) : static_cast<int>(most - px.begin());
        // The side sum in tile order, whoever rendered which tile.
        auto& t = tiles[static_cast<std::size_t>(s)];
        std::sort(t.begin(), t.end(), [](const TileNote& a, const TileNote& b) { return a.item < b.item; });
        for (const TileNote& n : t) img.omega += n.omega;
        img.complete = static_cast<int>(t.size()) == work.tiles_per_image();
    }
    return plan;
}

std::vector<ArrivingTile> tiles_arriving(const WavePlan& wave, const WorkList& work, const TileGrid& grid, int rank) {
    std::vector<ArrivingTile> arriving;
    for (const auto& [r, item] : wave.rendered) {
        const WaveImage& img = wave.image_of(work, item);
        if (r == rank || !img.complete || img.owner != rank) continue;
        arriving.push_back({r, img.slot, grid.tile(work.item(item).tile)});
    }
    return arriving;
}

void assemble_images(const WavePlan& wave, const std::vector<const RenderedTile*>& mine, const WorkList& work,
                     const TileGrid& grid, std::map<int, std::vector<float>>& images, MPI_Comm comm) {
    const int rank = mpi_rank(comm);
    auto image_of = [&](long item) -> const WaveImage& { return wave.image_of(work, item); };

    // This rank's own tiles of the images it owns: copied unless rendered in place.
    for (const RenderedTile* t : mine) {
        const WaveImage& img = image_of(t->item);
        if (!img.complete || img.owner != rank) continue;
        std::vector<float>& image = images.at(img.slot);
        float* corner = corner_of(image, grid, t->tile);
        if (t->pixels == corner) continue;
        for (int row = 0; row < t->tile.height(); ++row)
            std::memcpy(corner + static_cast<std::size_t>(row) * grid.fpixels(),
                        t->pixels + static_cast<std::size_t>(row) * t->tile.width(), sizeof(float) * t->tile.width());
    }
    if (!mpi_active()) return;

    std::vector<MPI_Request> requests;
    std::vector<MPI_Datatype> types;
    for (const ArrivingTile& in : tiles_arriving(wave, work, grid, rank)) {
        const Tile& t = in.tile;
        MPI_Datatype rows;
        MPI_Type_vector(t.height(), t.width(), grid.fpixels(), MPI_FLOAT, &rows);
        MPI_Type_commit(&rows);
        types.push_back(rows);
        requests.emplace_back();
        MPI_Irecv(corner_of(images.at(in.slot), grid, t), 1, rows, in.from, kTileTag, comm, &requests.back());
    }
    for (const RenderedTile* t : mine) {
        const WaveImage& img = image_of(t->item);
        if (!img.complete || img.owner == rank) continue;
        requests.emplace_back();
        MPI_Isend(t->pixels, static_cast<int>(t->tile.pixels()), MPI_FLOAT, img.owner, kTileTag, comm,
                  &requests.back());
    }
    MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    for (MPI_Datatype& type : types) MPI_Type_free(&type);
}

}  // namespace tilebragg
