#pragma once
// What the driver measures, as plain rows for the HDF5 timing tables. Times are
// seconds from a start shared by all ranks (taken right after a barrier).
#include <string>
#include <vector>

namespace tilebragg {

struct ItemTiming {
    int image = 0, tile = 0, rank = 0;
    double t_start = 0, t_end = 0;
};

struct RankTiming {
    int rank = 0;
    std::string host;
    int threads = 0;
    long tiles = 0, pixels = 0;
    double compute_s = 0;  // rendering (a GPU: starting images and waiting for them)
    double io_s = 0;       // writing tiles to HDF5 and sending them to rank 0
    double wait_s = 0;     // asking for work and waiting for the other ranks at the end
    double total_s = 0;    // from the common start to the end of the gather
    std::string backend;   // "cpu" or "cuda": the renderer of this rank
    std::string device;    // where it ran ("16 OpenMP threads", "NVIDIA H200 (GPU 0)")
};

struct RunTiming {
    std::vector<RankTiming> ranks;  // one per rank, by rank
    std::vector<ItemTiming> items;  // one per work item, by item number
};

}  // namespace tilebragg
