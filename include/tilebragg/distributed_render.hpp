#pragma once
// Renders one image over all ranks of a communicator: ranks take work items (static or
// dynamic schedule), render each tile with render_tile, hand it to the HDF5 writer, and
// at the end send their tiles to rank 0, which assembles the full image (needed by the
// legacy outputs and the statistics). Timing is gathered on rank 0 too.
#include <mpi.h>

#include <functional>
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
    int image = 0;            // index of this image in the HDF5 dataset (single image)
    bool show_progress = false;
    // A batch: the images to render (HDF5 indices, ascending), each from its own
    // Experiment; work items (image, tile) run over all of them, image-major. Empty:
    // the single image `image` of the Experiment given. Batches are not gathered on
    // rank 0 (they live in the HDF5 file), and the writer records finished images.
    std::vector<int> images;
    int images_total = 1;     // images in the file (for the timing table)
    std::function<Experiment(int image)> experiment_for;
};

struct RenderResult {
    std::vector<float> image;  // rank 0: fpixels * spixels (single image); otherwise empty
    double omega_sum = 0;      // rank 0: sum over all ranks (per image for a batch)
    RunTiming timing;          // rank 0: every rank and item; other ranks: empty
    int stop_signal = 0;       // every rank: the signal that stopped some rank, 0 if none
    std::vector<int> images_done;  // rank 0, batches: the images whose tiles are all written
};

// Collective over `comm`. `writer` may be null (no HDF5 output).
RenderResult render_distributed(const Experiment& e, MPI_Comm comm, const RenderPlan& plan, Hdf5ImageWriter* writer);

}  // namespace tilebragg
