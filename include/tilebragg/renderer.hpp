#pragma once
// The seam between the driver and the place pixels are computed. A rank chooses one
// renderer for the whole job (the CPU with OpenMP threads, or a GPU) and then, per
// image, loads that image's experiment and renders the tiles the schedule gives it.
// The driver never knows how.
#include <memory>
#include <string>

#include <tilebragg/experiment.hpp>
#include <tilebragg/tile.hpp>

namespace tilebragg {

class Renderer {
public:
    virtual ~Renderer() = default;

    // "cpu" or "cuda": recorded in the HDF5 file and the timing tables.
    virtual std::string backend() const = 0;
    // Where it runs, for the log ("16 OpenMP threads", "NVIDIA H200 (GPU 0)").
    virtual std::string device() const = 0;

    // The tile shape this renderer works best with, for a detector of fpixels x spixels
    // shared by `ranks` ranks (the driver may be told otherwise with -tile).
    virtual TileSize preferred_tile(int fpixels, int spixels, int ranks) const = 0;

    // Makes `e` the experiment the next tiles are rendered from. The images of a series
    // differ only in their orientations: a renderer may keep what is the same (the
    // structure factors) from one load to the next. `e` must outlive the renders.
    virtual void load(const Experiment& e) = 0;

    // Renders `tile` into `out` (tile-sized, row-major, fast fastest; pixels outside
    // the ROI or masked out are left untouched).
    virtual TileSideSums render(const Tile& tile, float* out) = 0;
};

// The renderer of -backend: cpu; cuda (GPU local_rank % gpus of this node, the local rank
// from the launcher: backend_choice.hpp); auto (cuda where this process sees a GPU, else
// cpu). Throws InputError for -backend cuda in a build without CUDA or where no GPU is
// visible.
std::unique_ptr<Renderer> make_renderer(Backend backend, Precision precision);

// The CPU renderer: OpenMP threads over the rows of a tile, SIMD over pixels.
std::unique_ptr<Renderer> make_cpu_renderer(Precision precision);

// The CPU renderer's tile: whole rows (up to 8192 pixels); with several ranks about 16
// tiles per thread of every rank so that the dynamic schedule can even out ranks of
// different speed; a single rank renders the image as one tile (bands of 4 Mpixel for a
// larger one: one OpenMP region per tile); never fewer rows than threads (rows are what
// the threads share inside a tile).
TileSize cpu_preferred_tile(int fpixels, int spixels, int ranks, int threads);

}  // namespace tilebragg
