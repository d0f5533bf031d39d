#pragma once
// Photon-counting noise for the `-noisefile` image, decomposition independent: the count
// of a pixel is a pure function of (seed, image index, pixel index, expected photons),
// drawn from tilebragg's counter-based generator. The reference draws the same
// distributions from one sequential stream, so images agree in statistics, not pixel
// for pixel (ReferenceRandom::poisson reproduces that stream where it is needed).
//
// The per-pixel draw is pixel_counts.hpp (shared with the GPU, which draws the same counts).
#include <tilebragg/int_image.hpp>
#include <tilebragg/pixel_counts.hpp>
#include <tilebragg/reference_rng.hpp>

#include <cstdint>
#include <vector>

namespace tilebragg {

// Poisson deviate for one pixel. `pixel` is the detector-wide index slow * fpixels + fast.
double poisson_photons(float expected, std::uint64_t seed, std::uint64_t image, std::uint64_t pixel);

NoisyPixel noisy_pixel(float expected, const NoiseSettings& settings, std::uint64_t pixel);

// A rectangular piece of the detector (e.g. a tile), with the detector's width so that
// pixel indices are detector-wide.
struct DetectorRegion {
    int detector_fpixels = 0;
    int fast_begin = 0;
    int slow_begin = 0;
    int fast_size = 0;
    int slow_size = 0;
};

// Fills `counts` (fast_size * slow_size, row-major like `expected`) with the noise image
// of the region; pixels outside the ROI get 0 and are not counted.
NoiseTally noise_region(const float* expected, const DetectorRegion& region, const PixelRoi& roi,
                        const NoiseSettings& settings, std::uint16_t* counts);

// Whole rows [slow_begin, slow_begin + rows) of a detector `fpixels` wide, drawn as
// noise_region draws them, with each row's tally in row_tallies[r]. The CPU paths add an
// image's row tallies in row order, so the tally does not depend on which thread or rank
// drew which rows (photon counts are whole numbers up to means of 1e6, where the order
// would not matter anyway; brighter pixels are drawn from a normal distribution).
void noise_rows(const float* expected, int fpixels, int slow_begin, int rows, const PixelRoi& roi,
                const NoiseSettings& settings, std::uint16_t* counts, NoiseTally* row_tallies);

struct NoiseImage {
    std::vector<std::uint16_t> counts;
    NoiseTally tally;
};

// Whole image convenience over noise_rows (the tally in row order).
NoiseImage make_noise_image(const std::vector<float>& expected, int fpixels, int spixels, const PixelRoi& roi,
                            const NoiseSettings& settings);

// The reference's own noise image, pixel for pixel: one sequential ReferenceRandom stream
// walked over the ROI in raster order, so it only makes sense for a whole image held in
// one place. Same offset/overload rules as above. Pass ReferenceRandom(-seed) for a user
// seed >= 0; for a negative user seed the reference keeps the shuffle table of the mosaic
// stream, so pass that stream after continue_with_seed(-seed) to match it.
NoiseImage make_reference_noise_image(const std::vector<float>& expected, int fpixels, int spixels, const PixelRoi& roi,
                                      ReferenceRandom stream, double adc_offset);

// ln(k!) for whole k >= 0, thread-safe (std::lgamma writes a global); used by the
// rejection sampler.
double log_factorial(double k);

}  // namespace tilebragg
