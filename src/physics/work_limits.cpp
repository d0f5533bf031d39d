#include <tilebragg/work_limits.hpp>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/memory_budget.hpp>

namespace tilebragg {
namespace {

// Bytes each item costs at most while a rank works (measured or counted from the types):
// an orientation lives in the Experiment (3 double vectors), in the kernel's copy (3
// more, in double precision at worst) and, during a batch, in the previous image's
// Experiment too; a mosaic domain keeps its rotation matrix; a phi step its angle.
constexpr double kBytesPerOrientation = 3 * 72;
constexpr double kBytesPerDomain = 72;
constexpr double kBytesPerPhiStep = 8;
// A source: the Source record in two Experiments, the kernel's direction, wavelength
// and polarisation frame, and a log line per divergence direction.
constexpr double kBytesPerSource = 256;
// An image of a batch: its row of /entry/sample and timing records on rank 0, its
// HDF5 chunk-index entries (1.5 KiB per image measured with 20 000 one-tile images).
constexpr double kBytesPerImage = 2048;

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::size_t bytes(double v) {
    const double max = static_cast<double>(std::numeric_limits<std::size_t>::max());
    return v >= max ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(v);
}

// "3 sources x 2e+09 mosaic domains x 1 phi steps x 2^2 sub-pixels x 1 sensor layers"
std::string factors(const SamplingCounts& c, bool with_sources) {
    return (with_sources ? number(c.sources) + " sources x " : std::string()) + number(c.mosaic_domains) +
           " mosaic domains x " + number(c.phi_steps) + " phi steps x " + number(c.oversample) + "^2 sub-pixels x " +
           number(c.layers) + " sensor layers";
}

void check_count(const SamplingCounts& c, bool with_sources) {
    SamplingCounts counted = c;
    if (!with_sources) counted.sources = 1;
    const double steps = counted.per_pixel();
    if (steps > kMaxStepsPerPixel)
        throw InputError(factors(c, with_sources) + " = " + number(steps) +
                         " sub-steps per pixel, more than this program can count (2^31 - 1)");
}

}  // namespace

void check_sampling_before_setup(const SamplingCounts& c) {
    const double orientations = c.mosaic_domains * c.phi_steps;
    // Sources are at least one; the grid may shrink when trimmed, so it is not judged here.
    check_count(c, false);
    require_memory(bytes(orientations * kBytesPerOrientation + c.mosaic_domains * kBytesPerDomain +
                         c.phi_steps * kBytesPerPhiStep),
                   number(c.mosaic_domains) + " mosaic domains x " + number(c.phi_steps) + " phi steps (" +
                       number(orientations) + " crystal orientations)");
    require_memory(bytes(c.sources * kBytesPerSource),
                   "a divergence and dispersion grid of " + number(c.sources) + " sources");
    check_batch_images(c.images);
}

void check_batch_images(double images) {
    require_memory(bytes(images * kBytesPerImage), "a batch of " + number(images) + " images");
}

void check_run_work(const SamplingCounts& c) {
    check_count(c, true);
    const double run = c.per_pixel() * c.pixels * c.images;
    if (run > kMaxRunSteps)
        throw InputError("the run needs " + number(run) + " sub-pixel steps (" + number(c.pixels) + " pixels x " +
                         number(c.images) + " images x " + number(c.per_pixel()) + " per pixel), more than the " +
                         number(kMaxRunSteps) + " one run may take (about 32 years on one core, at 1 ns per step)");
}

void check_tiles_per_image(int tile_fast, int tile_slow, int fpixels, int spixels) {
    if (tile_fast <= 0 || tile_slow <= 0) return;  // automatic tiles: whole rows, few
    const long across = (fpixels + tile_fast - 1) / tile_fast, down = (spixels + tile_slow - 1) / tile_slow;
    const long tiles = across * down;
    if (tiles > kMaxTilesPerImageInHdf5)
        throw InputError("flag -tile " + std::to_string(tile_fast) + " " + std::to_string(tile_slow) + " cuts the " +
                         std::to_string(fpixels) + "x" + std::to_string(spixels) + " detector into " +
                         std::to_string(tiles) + " tiles per image; with -h5file every tile is an HDF5 chunk, and " +
                         "more than " + std::to_string(kMaxTilesPerImageInHdf5) +
                         " per image cost gigabytes and minutes: give a larger -tile, or none");
}

}  // namespace tilebragg
