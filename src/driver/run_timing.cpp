#include "driver/run_timing.hpp"

#include <algorithm>
#include <limits>

#include <tilebragg/mpi_exchange.hpp>

namespace tilebragg {
namespace {

// RankTiming without its host name: plain data for the exchange.
struct RankNumbers {
    int rank, threads;
    long tiles, pixels;
    double compute_s, io_s, wait_s, total_s;
};

}  // namespace

RunTiming exchange_timing(const RankTiming& mine, const std::vector<ItemTiming>& items, int images_total,
                          int tiles_per_image, MPI_Comm comm) {
    RunTiming run;
    const RankNumbers numbers{mine.rank,      mine.threads, mine.tiles,  mine.pixels,
                              mine.compute_s, mine.io_s,    mine.wait_s, mine.total_s};
    const std::vector<RankNumbers> all = allgather_all(std::vector<RankNumbers>{numbers}, comm);
    const std::vector<std::string> hosts = allgather_strings({host_name()}, comm);
    const std::vector<std::string> backends = allgather_strings({mine.backend}, comm);
    const std::vector<std::string> devices = allgather_strings({mine.device}, comm);
    for (std::size_t r = 0; r < all.size(); ++r) {
        const RankNumbers& n = all[r];
        RankTiming t;
        t.rank = n.rank;
        t.host = r < hosts.size() ? hosts[r] : "";
        t.backend = r < backends.size() ? backends[r] : "";
        t.device = r < devices.size() ? devices[r] : "";
        t.threads = n.threads;
        t.tiles = n.tiles;
        t.pixels = n.pixels;
        t.compute_s = n.compute_s;
        t.io_s = n.io_s;
        t.wait_s = n.wait_s;
        t.total_s = n.total_s;
        run.ranks.push_back(t);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const long rows = static_cast<long>(images_total) * tiles_per_image;
    run.items.resize(static_cast<std::size_t>(rows));
    for (long i = 0; i < rows; ++i)
        run.items[static_cast<std::size_t>(i)] = {static_cast<int>(i / tiles_per_image),
                                                  static_cast<int>(i % tiles_per_image), -1, nan, nan};
    for (const ItemTiming& t : allgather_all(items, comm)) {
        const long row = static_cast<long>(t.image) * tiles_per_image + t.tile;
        if (row >= 0 && row < rows) run.items[static_cast<std::size_t>(row)] = t;
    }
    return run;
}

std::string distinct_ranks(const RunTiming& run, std::string RankTiming::*column, const char* separator) {
    std::vector<std::string> seen;
    for (const RankTiming& r : run.ranks)
        if (std::find(seen.begin(), seen.end(), r.*column) == seen.end()) seen.push_back(r.*column);
    std::string joined;
    for (const std::string& v : seen) joined += (joined.empty() ? "" : separator) + v;
    return joined;
}

}  // namespace tilebragg
