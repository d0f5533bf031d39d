#include <tilebragg/noise.hpp>

#include <tilebragg/counter_rng.hpp>
#include <tilebragg/reference_rng.hpp>

#include <cmath>
#include <stdexcept>

namespace tilebragg {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kHalfLogTwoPi = 0.91893853320467274178;
constexpr double kSmallMeanLimit = 12.0;
constexpr double kNormalMeanLimit = 1.0e6;
constexpr std::uint32_t kMaxRejectionAttempts = 64;

double poisson_by_inversion(double mean, const PixelRandom& random)
{
    const double u = random.uniform_at(0);
    double term = std::exp(-mean);
    double cumulative = term;
    double k = 0.0;
    while (u > cumulative) {
        k += 1.0;
        term *= mean / k;
        // Past the mode the terms only shrink; once they no longer move the sum, a u that
        // rounding left above it is a far-tail event: stop rather than loop.
        if (k > mean && term < 1e-17 * cumulative) break;
        cumulative += term;
    }
    return k;
}

// Hoermann (1993), "The transformed rejection method for generating Poisson random
// variables", algorithm PTRS; valid for means >= 10.
double poisson_by_transformed_rejection(double mean, const PixelRandom& random)
{
    const double root = std::sqrt(mean);
    const double log_mean = std::log(mean);
    const double b = 0.931 + 2.53 * root;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double squeeze = 0.9277 - 3.6224 / (b - 2.0);

    for (std::uint32_t attempt = 0; attempt < kMaxRejectionAttempts; ++attempt) {
        const PhiloxBlock block = random.block(attempt);
        const double u = open_unit_double(block[0], block[1]) - 0.5;
        const double v = open_unit_double(block[2], block[3]);
        const double us = 0.5 - std::fabs(u);
        const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= squeeze) return k;
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (std::log(v * inv_alpha / (a / (us * us) + b)) <=
            -mean + k * log_mean - log_factorial(k)) {
            return k;
        }
    }
    // 64 rejections in a row has probability below 1e-50; any fixed answer will do.
    return std::floor(mean + 0.5);
}

double poisson_by_normal(double mean, const PixelRandom& random)
{
    const PhiloxBlock block = random.block(0);
    const double u1 = open_unit_double(block[0], block[1]);
    const double u2 = open_unit_double(block[2], block[3]);
    const double normal = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
    return mean + std::sqrt(mean) * normal;
}

struct ClippedCounts {
    std::uint16_t value;
    bool overload;
};

// The detector's 16-bit range: overloads pin at 65535; below zero (negative ADC offset)
// we pin at 0 where the reference wraps around.
ClippedCounts clip_counts(double photons_plus_offset)
{
    if (photons_plus_offset > 65535.0) return {65535, true};
    if (!(photons_plus_offset > 0.0)) return {0, false};
    return {static_cast<std::uint16_t>(photons_plus_offset), false};
}

void check_image_size(const std::vector<float>& expected, int fpixels, int spixels)
{
    if (fpixels < 0 || spixels < 0 ||
        expected.size() != static_cast<std::size_t>(fpixels) * static_cast<std::size_t>(spixels)) {
        throw std::invalid_argument("noise image: image size does not match fpixels x spixels");
    }
}

}  // namespace

// Exact table below 10, Stirling's series with four correction terms above (error below
// 1e-12 there).
double log_factorial(double k)
{
    static constexpr double kSmall[10] = {0.0,
                                          0.0,
                                          0.69314718055994530942,
                                          1.79175946922805500081,
                                          3.17805383034794561964,
                                          4.78749174278204599425,
                                          6.57925121201010099506,
                                          8.52516136106541430017,
                                          10.60460290274525022842,
                                          12.80182748008146961121};
    if (!(k >= 0.0)) return std::nan("");
    if (k < 10.0) return kSmall[static_cast<int>(k)];
    const double x = k + 1.0;
    const double inv = 1.0 / x;
    const double inv2 = inv * inv;
    const double series =
        inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
    return (x - 0.5) * std::log(x) - x + kHalfLogTwoPi + series;
}

double poisson_photons(float expected, std::uint64_t seed, std::uint64_t image,
                       std::uint64_t pixel)
{
    const double mean = expected;
    if (!(mean > 0.0)) return 0.0;
    const PixelRandom random(seed, image, pixel);
    if (mean < kSmallMeanLimit) return poisson_by_inversion(mean, random);
    if (mean <= kNormalMeanLimit) return poisson_by_transformed_rejection(mean, random);
    return poisson_by_normal(mean, random);
}

NoisyPixel noisy_pixel(float expected, const NoiseSettings& settings, std::uint64_t pixel)
{
    NoisyPixel out;
    out.photons = poisson_photons(expected, settings.seed, settings.image, pixel);
    const ClippedCounts c = clip_counts(out.photons + settings.adc_offset);
    out.value = c.value;
    out.overload = c.overload;
    return out;
}

NoiseTally noise_region(const float* expected, const DetectorRegion& region,
                        const PixelRoi& roi, const NoiseSettings& settings,
                        std::uint16_t* counts)
{
    if (region.fast_size < 0 || region.slow_size < 0 || region.fast_begin < 0 ||
        region.slow_begin < 0 || region.fast_begin + region.fast_size > region.detector_fpixels) {
        throw std::invalid_argument("noise_region: region lies outside the detector");
    }
    NoiseTally tally;
    std::size_t local = 0;
    for (int s = 0; s < region.slow_size; ++s) {
        const int slow = region.slow_begin + s;
        for (int f = 0; f < region.fast_size; ++f, ++local) {
            const int fast = region.fast_begin + f;
            if (!roi.contains(fast, slow)) {
                counts[local] = 0;
                continue;
            }
            const std::uint64_t pixel =
                static_cast<std::uint64_t>(slow) * static_cast<std::uint64_t>(region.detector_fpixels) +
                static_cast<std::uint64_t>(fast);
            const NoisyPixel p = noisy_pixel(expected[local], settings, pixel);
            counts[local] = p.value;
            tally.photons += p.photons;
            tally.overloads += p.overload ? 1 : 0;
        }
    }
    return tally;
}

NoiseImage make_noise_image(const std::vector<float>& expected, int fpixels, int spixels,
                            const PixelRoi& roi, const NoiseSettings& settings)
{
    check_image_size(expected, fpixels, spixels);
    NoiseImage out;
    out.counts.assign(expected.size(), 0);
    out.tally = noise_region(expected.data(), DetectorRegion{fpixels, 0, 0, fpixels, spixels}, roi,
                             settings, out.counts.data());
    return out;
}

NoiseImage make_reference_noise_image(const std::vector<float>& expected, int fpixels,
                                      int spixels, const PixelRoi& roi,
                                      ReferenceRandom stream, double adc_offset)
{
    check_image_size(expected, fpixels, spixels);
    NoiseImage out;
    out.counts.assign(expected.size(), 0);
    std::size_t index = 0;
    for (int slow = 0; slow < spixels; ++slow) {
        for (int fast = 0; fast < fpixels; ++fast, ++index) {
            if (!roi.contains(fast, slow)) continue;
            const float photons = stream.poisson(expected[index]);
            out.tally.photons += photons;
            const ClippedCounts c = clip_counts(photons + adc_offset);
            out.counts[index] = c.value;
            out.tally.overloads += c.overload ? 1 : 0;
        }
    }
    return out;
}

}  // namespace tilebragg
