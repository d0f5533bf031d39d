#pragma once
// The seam between the driver and the place pixels are computed. A rank chooses one
// renderer for the whole job (the CPU with OpenMP threads, or a GPU) and then, per
// image, loads that image's experiment and renders the tiles the schedule gives it.
// The driver never knows how.
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/pixel_counts.hpp>
#include <tilebragg/tile.hpp>

namespace tilebragg {

// Where a renderer that finishes whole images puts one (Renderer::start_whole_image):
// host buffers of the whole detector, the driver's.
struct WholeImageTarget {
    float* photons = nullptr;         // the image; pixels outside the ROI or masked out get 0
    std::uint16_t* counts = nullptr;  // the detector counts (image_products.hpp), or null: none
    bool noise = false;               // counts are the noise image (else the int image)
    NoiseSettings noise_settings;     // its stream (noise_settings() of the image's Params)
    double intfile_scale = 0;         // -scale as given (<= 0: automatic, from the brightest pixel)
    double adc_offset = 40;
};

// What such a renderer made besides the pixels: the statistics' sums (statistics_from_sums),
// the side sums, and the noise tally when the counts are the noise image.
struct WholeImageMade {
    TileSideSums sides;
    StatisticsSums statistics;
    NoiseTally noise;
    double kernel_ms = 0;  // the pixel kernel alone, on the device's clock
};

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

    // ---- Whole images (a GPU) --------------------------------------------------------
    // A renderer that can render an image whole and make its statistics and counts where
    // it rendered it says so; the driver then gives it whole-image tiles this way. The
    // work runs in the background: start_whole_image returns at once, and the buffers
    // are filled (and the sums known) when collect_whole_image(ticket) returns, so the
    // host writes one image while the next is rendered.
    virtual bool finishes_whole_images() const { return false; }
    // Renders the whole detector of the loaded experiment into `target`. `ticket` names
    // the image until it is collected (the driver uses its slot in the series).
    virtual void start_whole_image(const WholeImageTarget& target, int ticket);
    virtual WholeImageMade collect_whole_image(int ticket);
    // Host memory the driver hands it again and again (its recycled image buffers): a GPU
    // pins it, which makes copies faster and lets them run while the host works. Every
    // buffer kept is released before it is freed.
    virtual void keep_host_memory(void* /*data*/, std::size_t /*bytes*/) {}
    virtual void release_host_memory(void* /*data*/) {}
};

// The renderer of -backend: cpu; cuda (GPU local_rank % gpus of this node, the local rank
// from the launcher: backend_choice.hpp); auto (cuda where this process sees a GPU, else
// cpu). Throws InputError for -backend cuda in a build without CUDA or where no GPU is
// visible.
std::unique_ptr<Renderer> make_renderer(Backend backend, Precision precision);

// Where -backend may ask for a GPU, starts its driver and context on another thread (a
// few hundred milliseconds), to overlap with the job's planning and setup; wait for the
// future before make_renderer. It must not outlive the caller's scope (its destructor
// waits): a thread still starting the CUDA runtime while the process exits can hang the
// exit. An empty future for -backend cpu.
std::future<void> start_renderer_early(Backend backend);

// The CPU renderer: OpenMP threads over the rows of a tile, SIMD over pixels.
std::unique_ptr<Renderer> make_cpu_renderer(Precision precision);

// The CPU renderer's tile: whole rows (up to 8192 pixels); with several ranks about 16
// tiles per thread of every rank so that the dynamic schedule can even out ranks of
// different speed, up to 64 where bands can start on the edges of the HDF5 compression
// blocks (a multiple of 4096 pixels: widths with a large power of two); a single rank
// renders the image as one tile (bands of 4 Mpixel for a larger one: one OpenMP region
// per tile); never fewer rows than threads (rows are what the threads share in a tile).
TileSize cpu_preferred_tile(int fpixels, int spixels, int ranks, int threads);

}  // namespace tilebragg
