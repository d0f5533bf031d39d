#pragma once
// Hard limits on what one run may ask for, checked in setup before anything of that size
// is allocated or started. Each limit comes from memory or time; docs/robustness.md
// ("Hard limits") gives the derivations and the measurements behind them.
#include <string>

namespace tilebragg {

// The counts that multiply a run's work. Before the sources exist, `sources` is the
// divergence x dispersion grid (an upper bound: the round-divergence trim removes
// corners), or 1 for a source file (its rows are counted when it is read).
struct SamplingCounts {
    double sources = 1, mosaic_domains = 1, phi_steps = 1, oversample = 1, layers = 1;
    double pixels = 1;  // rendered per image (the region of interest)
    double images = 1;
    // Sub-pixel steps per pixel: sources x domains x phi steps x oversample^2 x layers.
    double per_pixel() const { return sources * mosaic_domains * phi_steps * oversample * oversample * layers; }
};

// The counting limit of the kernel's loops: sub-steps of one pixel are an int.
constexpr double kMaxStepsPerPixel = 2147483647.0;
// The most sub-pixel steps one run may take: about 32 years on one core (one year on a
// 32-core node) at the best measured rate of 1 ns per step.
constexpr double kMaxRunSteps = 1e18;
// With -h5file every tile is an HDF5 chunk; reading an image back costs about 7 KiB of
// memory and up to a millisecond per chunk.
constexpr long kMaxTilesPerImageInHdf5 = 65536;

// Before the orientations and sources are made: refuses counts beyond what the loops can
// count, and orientations, sources and per-image records beyond memory. Throws
// InputError with the sizes.
void check_sampling_before_setup(const SamplingCounts& counts);
// The per-image records of a batch of `images` within memory (part of the above; also
// asked by the job plan before it lists the images to do).
void check_batch_images(double images);
// Once the sources exist: the sub-steps per pixel and the whole run's steps.
void check_run_work(const SamplingCounts& counts);
// With -h5file: user-given tiles no smaller than one chunk per kMaxTilesPerImageInHdf5.
void check_tiles_per_image(int tile_fast, int tile_slow, int fpixels, int spixels);

}  // namespace tilebragg
