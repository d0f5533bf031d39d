#pragma once
// Photon-counting noise for the `-noisefile` image, decomposition independent: the count
// of a pixel is a pure function of (seed, image index, pixel index, expected photons),
// drawn from tilebragg's counter-based generator. The reference draws the same
// distributions from one sequential stream, so images agree in statistics, not pixel
// for pixel (ReferenceRandom::poisson reproduces that stream where it is needed).
//
// Method by mean, as in the reference (the algorithms are our own):
//   mean <= 0 or NaN : 0
//   mean < 12        : inversion of the cumulative distribution, 1 uniform
//   mean <= 1e6      : transformed rejection with squeeze (Hoermann's PTRS), 2 uniforms
//                      per attempt, acceptance ~90%; 64 attempts at most
//   mean > 1e6       : mean + sqrt(mean) * normal (Box-Muller, 2 uniforms), not rounded
#include <tilebragg/int_image.hpp>
#include <tilebragg/reference_rng.hpp>

#include <cstdint>
#include <vector>

namespace tilebragg {

// Poisson deviate for one pixel. `pixel` is the detector-wide index slow * fpixels + fast.
double poisson_photons(float expected, std::uint64_t seed, std::uint64_t image,
                       std::uint64_t pixel);

struct NoiseSettings {
    std::uint64_t seed = 0;
    std::uint64_t image = 0;     // index of the image in a series; a new stream per image
    double adc_offset = 40.0;    // added after the draw (the reference's -adc default)
};

// What the reference prints as "%.0f photons on noise image (%d overloads)". Photon
// counts are whole numbers below 2^53, so tallies add up exactly in any order.
struct NoiseTally {
    double photons = 0.0;
    std::int64_t overloads = 0;

    NoiseTally& operator+=(const NoiseTally& other)
    {
        photons += other.photons;
        overloads += other.overloads;
        return *this;
    }
};

// One noisy pixel: count + adc_offset, set to 65535 (an overload) above 65535, then
// truncated. Below 0 (a negative ADC offset) it is set to 0; the reference instead wraps
// modulo 65536 there (its cast is undefined), e.g. -adc -100 gives 65436 for 0 photons.
struct NoisyPixel {
    std::uint16_t value = 0;
    double photons = 0.0;
    bool overload = false;
};
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
NoiseTally noise_region(const float* expected, const DetectorRegion& region,
                        const PixelRoi& roi, const NoiseSettings& settings,
                        std::uint16_t* counts);

struct NoiseImage {
    std::vector<std::uint16_t> counts;
    NoiseTally tally;
};

// Whole image convenience over noise_region.
NoiseImage make_noise_image(const std::vector<float>& expected, int fpixels, int spixels,
                            const PixelRoi& roi, const NoiseSettings& settings);

// The reference's own noise image, pixel for pixel: one sequential ReferenceRandom stream
// walked over the ROI in raster order, so it only makes sense for a whole image held in
// one place. Same offset/overload rules as above. Pass ReferenceRandom(-seed) for a user
// seed >= 0; for a negative user seed the reference keeps the shuffle table of the mosaic
// stream, so pass that stream after continue_with_seed(-seed) to match it.
NoiseImage make_reference_noise_image(const std::vector<float>& expected, int fpixels,
                                      int spixels, const PixelRoi& roi,
                                      ReferenceRandom stream, double adc_offset);

// ln(k!) for whole k >= 0, thread-safe (std::lgamma writes a global); used by the
// rejection sampler.
double log_factorial(double k);

}  // namespace tilebragg
