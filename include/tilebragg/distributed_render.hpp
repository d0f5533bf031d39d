#pragma once
// Renders one image over all ranks of a communicator: ranks take work items (static or
// dynamic schedule), render each tile with render_tile, hand it to the HDF5 writer, and
// at the end send their tiles to rank 0, which assembles the full image (needed by the
// legacy outputs and the statistics). Timing is gathered on rank 0 too.
#include <mpi.h>

#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/hdf5_image_writer.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/timing_records.hpp>
#include <tilebragg/work_items.hpp>

namespace tilebragg {

struct RenderPlan {
    TileSize tile;
    Schedule schedule = Schedule::Dynamic;
    int image = 0;            // index of this image in the HDF5 dataset
    bool show_progress = false;
};

struct RenderResult {
    std::vector<float> image;  // rank 0: fpixels * spixels; other ranks: empty
    double omega_sum = 0;      // rank 0: sum over all ranks
    RunTiming timing;          // rank 0: every rank and item; other ranks: empty
};

// Collective over `comm`. `writer` may be null (no HDF5 output).
RenderResult render_distributed(const Experiment& e, MPI_Comm comm, const RenderPlan& plan, Hdf5ImageWriter* writer);

}  // namespace tilebragg
