#pragma once
// What a detector records for one pixel, given its expected photons: the noiseless int
// image's value, or a Poisson count drawn from the counter-based generator (noise.hpp).
// Host-and-device (TB_HD), and written so that both sides give the same bits: IEEE
// arithmetic without fused multiply-adds (-ffp-contract=off on the host, --fmad=false
// for the device code that uses this), and portable_math.hpp instead of the libraries'
// exp, log and cos. So a GPU's counts equal the CPU's, pixel for pixel.
//
// Poisson method by mean, as in the reference (the algorithms are our own):
//   mean <= 0 or NaN : 0
//   mean < 12        : inversion of the cumulative distribution, 1 uniform
//   mean <= 1e6      : transformed rejection with squeeze (Hoermann's PTRS), 2 uniforms
//                      per attempt, acceptance ~90%; 64 attempts at most
//   mean > 1e6       : mean + sqrt(mean) * normal (Box-Muller, 2 uniforms), not rounded
#include <cstdint>

#include <tilebragg/counter_rng.hpp>
#include <tilebragg/device_math.hpp>
#include <tilebragg/host_device.hpp>
#include <tilebragg/portable_math.hpp>

namespace tilebragg {

struct NoiseSettings {
    std::uint64_t seed = 0;
    std::uint64_t image = 0;   // index of the image in a series; a new stream per image
    double adc_offset = 40.0;  // added after the draw (the reference's -adc default)
};

// What the reference prints as "%.0f photons on noise image (%d overloads)". Photon
// counts are whole numbers below 2^53 for means up to 1e6, so tallies of such images add
// up exactly in any order (the GPU's tree and the CPU's rows give the same sum); above,
// the CPU adds rows in row order (noise_rows), whoever drew them.
struct NoiseTally {
    double photons = 0.0;
    std::int64_t overloads = 0;

    TB_HD NoiseTally& operator+=(const NoiseTally& other) {
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

namespace counts_detail {

inline constexpr double kHalfLogTwoPi = 0.91893853320467274178;
inline constexpr double kSmallMeanLimit = 12.0;
inline constexpr double kNormalMeanLimit = 1.0e6;
inline constexpr std::uint32_t kMaxRejectionAttempts = 64;

TB_HD inline double poisson_by_inversion(double mean, const PixelRandom& random) {
    const double u = random.uniform_at(0);
    double term = pmath::exp(-mean);
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

// ln(k!) for whole k >= 0: exact values below 10, Stirling's series with four correction
// terms above (error below 1e-12 there).
TB_HD inline double log_factorial(double k) {
    if (!(k >= 0.0)) return pmath::double_of(0x7ff8000000000000ull);
    if (k < 10.0) {
        switch (static_cast<int>(k)) {
            case 2:
                return 0.69314718055994530942;
            case 3:
                return 1.79175946922805500081;
            case 4:
                return 3.17805383034794561964;
            case 5:
                return 4.78749174278204599425;
            case 6:
                return 6.57925121201010099506;
            case 7:
                return 8.52516136106541430017;
            case 8:
                return 10.60460290274525022842;
            case 9:
                return 12.80182748008146961121;
            default:
                return 0.0;
        }
    }
    const double x = k + 1.0;
    const double inv = 1.0 / x;
    const double inv2 = inv * inv;
    const double series = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 / 1680.0)));
    return (x - 0.5) * pmath::log(x) - x + kHalfLogTwoPi + series;
}

// Hoermann (1993), "The transformed rejection method for generating Poisson random
// variables", algorithm PTRS; valid for means >= 10.
TB_HD inline double poisson_by_transformed_rejection(double mean, const PixelRandom& random) {
    const double root = dmath::sqrt(mean);
    const double log_mean = pmath::log(mean);
    const double b = 0.931 + 2.53 * root;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double squeeze = 0.9277 - 3.6224 / (b - 2.0);

    for (std::uint32_t attempt = 0; attempt < kMaxRejectionAttempts; ++attempt) {
        const PhiloxBlock block = random.block(attempt);
        const double u = open_unit_double(block[0], block[1]) - 0.5;
        const double v = open_unit_double(block[2], block[3]);
        const double us = 0.5 - dmath::fabs(u);
        const double k = dmath::floor((2.0 * a / us + b) * u + mean + 0.43);
        if (us >= 0.07 && v <= squeeze) return k;
        if (k < 0.0 || (us < 0.013 && v > us)) continue;
        if (pmath::log(v * inv_alpha / (a / (us * us) + b)) <= -mean + k * log_mean - log_factorial(k)) return k;
    }
    // 64 rejections in a row has probability below 1e-50; any fixed answer will do.
    return dmath::floor(mean + 0.5);
}

TB_HD inline double poisson_by_normal(double mean, const PixelRandom& random) {
    const PhiloxBlock block = random.block(0);
    const double u1 = open_unit_double(block[0], block[1]);
    const double u2 = open_unit_double(block[2], block[3]);
    const double normal = dmath::sqrt(-2.0 * pmath::log(u1)) * pmath::cos_two_pi(u2);
    return mean + dmath::sqrt(mean) * normal;
}

}  // namespace counts_detail

// Out of line on the host: inlined into the CPU's pixel loop (noise.cpp), this made the
// noise image a quarter slower to draw (GCC 12, measured); on the GPU it is inlined.
#if defined(__CUDA_ARCH__)
#define TB_OUT_OF_LINE_ON_HOST
#else
#define TB_OUT_OF_LINE_ON_HOST __attribute__((noinline))
#endif

// Poisson deviate for one pixel. `pixel` is the detector-wide index slow * fpixels + fast.
TB_OUT_OF_LINE_ON_HOST TB_HD inline double poisson_count(float expected, std::uint64_t seed, std::uint64_t image,
                                                         std::uint64_t pixel) {
    const double mean = expected;
    if (!(mean > 0.0)) return 0.0;
    const PixelRandom random(seed, image, pixel);
    if (mean < counts_detail::kSmallMeanLimit) return counts_detail::poisson_by_inversion(mean, random);
    if (mean <= counts_detail::kNormalMeanLimit) return counts_detail::poisson_by_transformed_rejection(mean, random);
    return counts_detail::poisson_by_normal(mean, random);
}

// The detector's 16-bit range: overloads pin at 65535; below zero (negative ADC offset)
// we pin at 0 where the reference wraps around.
TB_HD inline NoisyPixel clipped_counts(double photons, double adc_offset) {
    NoisyPixel out;
    out.photons = photons;
    const double value = photons + adc_offset;
    if (value > 65535.0) {
        out.value = 65535;
        out.overload = true;
    } else if (value > 0.0) {
        out.value = static_cast<std::uint16_t>(value);
    }
    return out;
}

// One noisy pixel of the image `settings` describes.
TB_HD inline NoisyPixel noisy_count(float expected, const NoiseSettings& settings, std::uint64_t pixel) {
    return clipped_counts(poisson_count(expected, settings.seed, settings.image, pixel), settings.adc_offset);
}

// `-scale`: a requested scale <= 0 means automatic, 55000 / max_I when max_I > 0, else 1.
TB_HD inline double resolve_intfile_scale(double requested_scale, double max_intensity) {
    if (requested_scale > 0.0) return requested_scale;
    return max_intensity > 0.0 ? 55000.0 / max_intensity : 1.0;
}

// One pixel of the int image: value * scale + adc_offset, clipped to [0, 65535], rounded
// half up. The reference rounds with floorf(x + 0.5), i.e. the sum x + 0.5 is narrowed
// to float before the floor; that narrowing is kept (it decides values like 1234.49999999).
// value * scale + offset rounds twice, like the reference binary (built without FMA): a
// fused multiply-add would move pixels that sit within an ulp of a half-integer.
TB_HD inline std::uint16_t int_pixel(float value, double scale, double adc_offset) {
    // Written as selects, not early returns, so that whole rows vectorise.
    double counts = value * scale + adc_offset;
    counts = counts > 65535.0 ? 65535.0 : counts;
    counts = counts < 0.0 ? 0.0 : counts;
    // NaN falls through both clips; the reference's cast is undefined there, we give 0.
    counts = counts == counts ? counts : 0.0;
    return static_cast<std::uint16_t>(dmath::floor(static_cast<float>(counts + 0.5)));
}

}  // namespace tilebragg
