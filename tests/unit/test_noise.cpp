// Counter-based generator, Poisson noise and the integer/PGM conversions.
// Philox answers are the Random123 known-answer vectors; noise is judged by its
// statistics against the exact Poisson law; conversions against nanoBragg.c output
// (golden int.img pixels and printed scales).
#include <tilebragg/counter_rng.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/noise.hpp>
#include <tilebragg/reference_rng.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace tilebragg {
namespace {

// ---------------------------------------------------------------- counter generator

TEST(Philox4x32_10, RandomTwentyThreeKnownAnswers) {
    EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (PhiloxBlock{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
    EXPECT_EQ(philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}),
              (PhiloxBlock{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
    EXPECT_EQ(philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}),
              (PhiloxBlock{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(CounterRandom, UnitDoublesNeverTouchTheEnds) {
    EXPECT_GT(open_unit_double(0, 0), 0.0);
    EXPECT_LT(open_unit_double(0xffffffffu, 0xffffffffu), 1.0);
    EXPECT_DOUBLE_EQ(open_unit_double(0x80000000u, 0), 0.5 + 0x1.0p-53);
}

TEST(CounterRandom, IndexedAndSequentialDrawsAgree) {
    PixelRandom sequential(7, 3, 123456789012ull);
    const PixelRandom indexed(7, 3, 123456789012ull);
    for (std::uint32_t d = 0; d < 9; ++d) EXPECT_EQ(sequential.next_uniform(), indexed.uniform_at(d));
    EXPECT_EQ(sequential.draws_used(), 9u);
}

TEST(CounterRandom, EveryKeyComponentChangesTheNumbers) {
    const double base = PixelRandom(1, 0, 0).uniform_at(0);
    EXPECT_NE(PixelRandom(2, 0, 0).uniform_at(0), base);
    EXPECT_NE(PixelRandom(1ull << 40, 0, 0).uniform_at(0), base);  // high seed word
    EXPECT_NE(PixelRandom(1, 1, 0).uniform_at(0), base);
    EXPECT_NE(PixelRandom(1, 0, 1).uniform_at(0), base);
    EXPECT_NE(PixelRandom(1, 0, 1ull << 33).uniform_at(0), base);  // high pixel word
    EXPECT_NE(PixelRandom(1, 0, 0).uniform_at(1), base);
}

TEST(CounterRandom, UniformMomentsAndNeighbourCorrelation) {
    const int n = 200000;
    double sum = 0, sum_sq = 0, lag = 0, previous = 0;
    for (int p = 0; p < n; ++p) {
        const double u = PixelRandom(99, 0, static_cast<std::uint64_t>(p)).uniform_at(0);
        sum += u;
        sum_sq += u * u;
        lag += (u - 0.5) * (previous - 0.5);
        previous = u;
    }
    EXPECT_NEAR(sum / n, 0.5, 5 * std::sqrt(1.0 / 12.0 / n));
    EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 1.0 / 12.0, 5 * std::sqrt(1.0 / 180.0 / n));
    // Correlation of neighbouring pixels' first draws: variance (1/144)/n.
    EXPECT_NEAR(lag / n, 0.0, 5 * std::sqrt(1.0 / 144.0 / n));
}

// ---------------------------------------------------------------- Poisson deviates

struct Moments {
    double mean;
    double variance;
};

Moments sample_moments(float mean, int samples, std::uint64_t seed) {
    double sum = 0, sum_sq = 0;
    for (int p = 0; p < samples; ++p) {
        const double k = poisson_photons(mean, seed, 0, static_cast<std::uint64_t>(p));
        sum += k;
        sum_sq += k * k;
    }
    const double m = sum / samples;
    return {m, (sum_sq - samples * m * m) / (samples - 1)};
}

class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanAndVarianceEqualTheExpectedCount) {
    const double lambda = static_cast<float>(GetParam());
    const int n = 100000;
    const Moments m = sample_moments(static_cast<float>(lambda), n, 2024);
    // Standard errors: mean sqrt(l/n); variance sqrt((mu4 - s^4)/n) = sqrt((l + 2 l^2)/n).
    EXPECT_NEAR(m.mean, lambda, 5 * std::sqrt(lambda / n)) << "lambda " << lambda;
    EXPECT_NEAR(m.variance, lambda, 5 * std::sqrt((lambda + 2 * lambda * lambda) / n)) << "lambda " << lambda;
}

INSTANTIATE_TEST_SUITE_P(AcrossAllMethods, PoissonMoments,
                         ::testing::Values(0.1, 1.0, 5.0, 11.9, 12.0, 50.0, 1000.0, 2.0e6));

double poisson_probability(double lambda, int k) {
    return std::exp(-lambda + k * std::log(lambda) - std::lgamma(k + 1.0));
}

// Pearson chi-square of the histogram against the exact law: consecutive counts are
// merged until a bin expects >= 20, the rest of the tail is one last bin. Returns chi2
// and the degrees of freedom.
std::pair<double, int> chi_square(double lambda, int samples, std::uint64_t seed) {
    const int k_max = static_cast<int>(lambda + 12 * std::sqrt(lambda) + 20);
    std::vector<double> observed(static_cast<std::size_t>(k_max) + 1, 0.0);
    for (int p = 0; p < samples; ++p) {
        const double k = poisson_photons(static_cast<float>(lambda), seed, 1, static_cast<std::uint64_t>(p));
        observed[static_cast<std::size_t>(std::min<double>(k, k_max))] += 1;
    }
    double chi2 = 0, observed_binned = 0, probability_binned = 0;
    double pending_observed = 0, pending_probability = 0;
    int bins = 0;
    for (int k = 0; k < k_max; ++k) {
        pending_observed += observed[static_cast<std::size_t>(k)];
        pending_probability += poisson_probability(lambda, k);
        const double tail = 1.0 - probability_binned - pending_probability;
        if (samples * pending_probability >= 20 && samples * tail >= 20) {
            const double e = samples * pending_probability;
            chi2 += (pending_observed - e) * (pending_observed - e) / e;
            ++bins;
            observed_binned += pending_observed;
            probability_binned += pending_probability;
            pending_observed = pending_probability = 0;
        }
    }
    const double e = samples * (1.0 - probability_binned);
    const double o = samples - observed_binned;
    chi2 += (o - e) * (o - e) / e;
    ++bins;
    return {chi2, bins - 1};
}

TEST(PoissonShape, HistogramsMatchThePoissonLaw) {
    // One mean per method boundary region: inversion (5, 11.9), rejection (12, 30, 400).
    for (double lambda : {5.0, 11.9, 12.0, 30.0, 400.0}) {
        const double exact_lambda = static_cast<float>(lambda);
        const auto [chi2, dof] = chi_square(exact_lambda, 100000, 77);
        // ~6 sigma above the chi-square mean.
        EXPECT_LT(chi2, dof + 6 * std::sqrt(2.0 * dof)) << "lambda " << lambda << " dof " << dof;
        EXPECT_GT(dof, 5);
    }
}

TEST(PoissonNoise, CountsAreWholeAndNonNegativeUpToOneMillion) {
    for (float mean : {0.5f, 11.99f, 12.0f, 999999.0f}) {
        for (std::uint64_t p = 0; p < 2000; ++p) {
            const double k = poisson_photons(mean, 5, 0, p);
            ASSERT_GE(k, 0.0);
            ASSERT_EQ(k, std::floor(k)) << mean;
        }
    }
}

TEST(PoissonNoise, ZeroNegativeAndNaNMeansGiveNoPhotons) {
    EXPECT_EQ(poisson_photons(0.0f, 1, 0, 0), 0.0);
    EXPECT_EQ(poisson_photons(-5.0f, 1, 0, 0), 0.0);
    EXPECT_EQ(poisson_photons(std::nanf(""), 1, 0, 0), 0.0);
}

TEST(PoissonNoise, SamePixelSameCountWhateverTheOrder) {
    const int n = 5000;
    std::vector<double> forward(n), shuffled(n);
    for (int p = 0; p < n; ++p) forward[p] = poisson_photons(0.37f * p, 11, 4, static_cast<std::uint64_t>(p));
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(1));
    for (int p : order) shuffled[p] = poisson_photons(0.37f * p, 11, 4, static_cast<std::uint64_t>(p));
    EXPECT_EQ(forward, shuffled);
}

TEST(PoissonNoise, SeedsAndImagesGiveDifferentNoise) {
    int same_seed_pairs = 0, same_image_pairs = 0;
    const int n = 4000;
    for (std::uint64_t p = 0; p < n; ++p) {
        const double a = poisson_photons(50.0f, 1, 0, p);
        same_seed_pairs += (a == poisson_photons(50.0f, 2, 0, p));
        same_image_pairs += (a == poisson_photons(50.0f, 1, 1, p));
    }
    // Two independent Poisson(50) counts coincide with probability ~0.04.
    EXPECT_LT(same_seed_pairs, n / 10);
    EXPECT_LT(same_image_pairs, n / 10);
    EXPECT_GT(same_seed_pairs, 0);
}

TEST(PoissonNoise, LogFactorialAgreesWithLogGamma) {
    for (double k : {0.0, 1.0, 2.0, 5.0, 9.0, 10.0, 11.0, 30.0, 170.0, 1.0e3, 1.0e6, 3.0e7}) {
        const double exact = std::lgamma(k + 1.0);
        EXPECT_NEAR(log_factorial(k), exact, 1e-12 * std::max(1.0, exact)) << "k " << k;
    }
}

// ---------------------------------------------------------------- noise images

TEST(NoiseImage, OffsetIsAddedAfterTheDraw) {
    NoiseSettings settings;
    settings.adc_offset = 40.0;
    const NoisyPixel dark = noisy_pixel(0.0f, settings, 17);
    EXPECT_EQ(dark.value, 40);
    EXPECT_EQ(dark.photons, 0.0);
    EXPECT_FALSE(dark.overload);

    const NoisyPixel lit = noisy_pixel(100.0f, settings, 17);
    EXPECT_EQ(lit.value, static_cast<std::uint16_t>(lit.photons + 40));
}

TEST(NoiseImage, OverloadsClipAndAreCountedNegativeOffsetsClipAtZero) {
    NoiseSettings settings;
    settings.adc_offset = 70000.0;
    const NoisyPixel over = noisy_pixel(0.0f, settings, 0);
    EXPECT_EQ(over.value, 65535);
    EXPECT_TRUE(over.overload);
    EXPECT_EQ(over.photons, 0.0);

    settings.adc_offset = 40.0;
    const NoisyPixel bright = noisy_pixel(5.0e6f, settings, 0);
    EXPECT_EQ(bright.value, 65535);
    EXPECT_TRUE(bright.overload);
    EXPECT_NEAR(bright.photons, 5.0e6, 6 * std::sqrt(5.0e6));

    settings.adc_offset = -100.0;
    EXPECT_EQ(noisy_pixel(0.0f, settings, 0).value, 0);
}

TEST(NoiseImage, RoiTallyAndTilingIndependence) {
    const int fpixels = 37, spixels = 23;
    std::vector<float> expected(static_cast<std::size_t>(fpixels * spixels));
    for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = 0.05f * static_cast<float>(i % 400);
    expected[5 * fpixels + 9] = 1.0e7f;  // one overload inside the ROI
    expected[0] = 1.0e7f;                // one outside it
    const PixelRoi roi{3, 30, 2, 20};
    NoiseSettings settings;
    settings.seed = 4242;
    settings.image = 2;
    settings.adc_offset = 10.0;

    const NoiseImage whole = make_noise_image(expected, fpixels, spixels, roi, settings);
    double photons = 0;
    for (int s = 0; s < spixels; ++s) {
        for (int f = 0; f < fpixels; ++f) {
            const std::size_t i = static_cast<std::size_t>(s * fpixels + f);
            if (!roi.contains(f, s)) {
                ASSERT_EQ(whole.counts[i], 0) << f << "," << s;
                continue;
            }
            const double k = poisson_photons(expected[i], 4242, 2, i);
            photons += k;
            if (i != static_cast<std::size_t>(5 * fpixels + 9)) {
                ASSERT_EQ(whole.counts[i], static_cast<std::uint16_t>(k + 10.0));
            }
        }
    }
    EXPECT_EQ(whole.tally.overloads, 1);
    EXPECT_EQ(whole.counts[5 * fpixels + 9], 65535);
    EXPECT_EQ(whole.tally.photons, photons);

    // The same image rendered as 8x5 tiles in reverse order.
    std::vector<std::uint16_t> tiled(expected.size(), 0xdead);
    NoiseTally tally;
    for (int s0 = ((spixels - 1) / 5) * 5; s0 >= 0; s0 -= 5) {
        for (int f0 = ((fpixels - 1) / 8) * 8; f0 >= 0; f0 -= 8) {
            const DetectorRegion region{fpixels, f0, s0, std::min(8, fpixels - f0), std::min(5, spixels - s0)};
            std::vector<float> in;
            for (int s = 0; s < region.slow_size; ++s)
                for (int f = 0; f < region.fast_size; ++f)
                    in.push_back(expected[static_cast<std::size_t>((s0 + s) * fpixels + f0 + f)]);
            std::vector<std::uint16_t> out(in.size());
            tally += noise_region(in.data(), region, roi, settings, out.data());
            for (int s = 0; s < region.slow_size; ++s)
                for (int f = 0; f < region.fast_size; ++f)
                    tiled[static_cast<std::size_t>((s0 + s) * fpixels + f0 + f)] =
                        out[static_cast<std::size_t>(s * region.fast_size + f)];
        }
    }
    EXPECT_EQ(tiled, whole.counts);
    EXPECT_EQ(tally.photons, whole.tally.photons);
    EXPECT_EQ(tally.overloads, whole.tally.overloads);
}

TEST(NoiseImage, ReferenceModeReproducesANanoBraggNoiseImage) {
    // First 16 pixels of a nanoBragg.c run (-roi 124 131 124 131 of -detpixels 256,
    // 100 A cubic cell, -N 5, -lambda 6.2, -distance 100, -fluence 1.25932e28, -seed
    // 2024): its float image and its -noisefile counts. As an 8x2 image they are the
    // first 16 draws of the same stream.
    const std::vector<float> expected = {6.52745867f, 7.79577875f, 8.86597538f, 9.64062214f, 10.0472546f, 10.0472546f,
                                         9.64062214f, 8.86597538f, 7.79577875f, 9.31056309f, 10.588726f,  11.5139074f,
                                         11.9995604f, 11.9995604f, 11.5139074f, 10.588726f};
    const std::vector<std::uint16_t> reference = {46, 47, 46, 47, 50, 52, 45, 46, 45, 52, 50, 50, 56, 52, 51, 59};
    const NoiseImage image =
        make_reference_noise_image(expected, 8, 2, PixelRoi::whole(8, 2), ReferenceRandom(-2024), 40.0);
    EXPECT_EQ(image.counts, reference);
    double photons = 0;
    for (auto c : reference) photons += c - 40;
    EXPECT_EQ(image.tally.photons, photons);
    EXPECT_EQ(image.tally.overloads, 0);

    // Outside the ROI nothing is drawn: the ROI's first pixel takes the stream's first draw.
    const NoiseImage shifted =
        make_reference_noise_image(expected, 8, 2, PixelRoi{1, 7, 0, 1}, ReferenceRandom(-2024), 40.0);
    EXPECT_EQ(shifted.counts[0], 0);
    ReferenceRandom stream(-2024);
    EXPECT_EQ(shifted.counts[1], static_cast<std::uint16_t>(stream.poisson(expected[1]) + 40.0));
}

TEST(NoiseImage, RejectsMismatchedSizes) {
    EXPECT_THROW(make_noise_image(std::vector<float>(10), 4, 3, PixelRoi::whole(4, 3), {}), std::invalid_argument);
}

// ---------------------------------------------------------------- int and PGM images

TEST(IntImage, AutomaticScaleMatchesReferencePrintout) {
    // Golden runs printed "intfile_scale = 355.636" (cases mosaic, simple_cubic_1024,
    // whose float.bin maximum is 154.652466f) and "intfile_scale = 403.201"
    // (misset_random, maximum 136.408493f).
    EXPECT_NEAR(resolve_intfile_scale(0.0, 154.652466f), 355.636, 5e-4);
    EXPECT_NEAR(resolve_intfile_scale(-1.0, 136.408493f), 403.201, 5e-4);
    EXPECT_EQ(resolve_intfile_scale(0.0, 0.0), 1.0);
    EXPECT_EQ(resolve_intfile_scale(2.5, 154.652), 2.5);
}

TEST(IntImage, PixelsOfGoldenIntImages) {
    // shared/golden/cases/matrix_input: max_I (float) 2220.44775, ADC 40; int.img holds
    // 55040 at the maximum, 53/118/50/58 at pixels 22/23/33/34, and 1208 at pixel 48576,
    // where value*scale+40 = 1207.49996...: floor of the float-narrowed sum, not 1207.
    const double scale = resolve_intfile_scale(0.0, 2220.44775f);
    EXPECT_EQ(int_pixel(2220.44775f, scale, 40.0), 55040);
    EXPECT_EQ(int_pixel(0.521602452f, scale, 40.0), 53);
    EXPECT_EQ(int_pixel(3.13939929f, scale, 40.0), 118);
    EXPECT_EQ(int_pixel(0.394011766f, scale, 40.0), 50);
    EXPECT_EQ(int_pixel(0.720293522f, scale, 40.0), 58);
    EXPECT_EQ(int_pixel(47.1340485f, scale, 40.0), 1208);
    // mosflm_beam: max 156.25 -> scale 352; pixels 0..3.
    EXPECT_EQ(int_pixel(0.195211366f, 352.0, 40.0), 109);
    EXPECT_EQ(int_pixel(0.244960055f, 352.0, 40.0), 126);
}

TEST(IntImage, ClippingAndRounding) {
    EXPECT_EQ(int_pixel(0.0f, 1.0, 40.0), 40);
    EXPECT_EQ(int_pixel(1.25f, 2.0, 0.0), 3);  // 2.5 rounds up
    EXPECT_EQ(int_pixel(1.2f, 2.0, 0.0), 2);   // 2.4 rounds down
    EXPECT_EQ(int_pixel(1.0e9f, 1.0, 40.0), 65535);
    EXPECT_EQ(int_pixel(65535.4f, 1.0, 0.0), 65535);
    EXPECT_EQ(int_pixel(-50.0f, 1.0, 40.0), 0);
    EXPECT_EQ(int_pixel(std::nanf(""), 1.0, 40.0), 0);
}

TEST(IntImage, WholeRowsConvertLikeSinglePixels) {
    // The row conversion runs in vector registers; every pixel must come out as
    // int_pixel gives it: values an ulp around the rounding and clipping edges, NaN,
    // infinities, negatives, and a scale and offset that are not exact in float.
    std::vector<float> photons;
    for (const float edge : {0.5f, 1.5f, 1234.5f, 65534.5f, 65535.0f, 65535.5f, 0.0f, -40.0f}) {
        float below = edge, above = edge;
        for (int i = 0; i < 8; ++i) {
            photons.push_back(below);
            photons.push_back(above);
            below = std::nextafter(below, -INFINITY);
            above = std::nextafter(above, INFINITY);
        }
    }
    for (const float special : {NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 1e-40f}) photons.push_back(special);
    std::mt19937 random(5);
    std::uniform_real_distribution<float> any(-100.0f, 70000.0f);
    while (photons.size() % 64 != 0 || photons.size() < 4096) photons.push_back(any(random));
    for (const auto& [scale, offset] :
         {std::pair{1.0, 0.0}, std::pair{0.1, 40.0}, std::pair{355.636, 40.0}, std::pair{1.0 / 3.0, -7.25}}) {
        const auto image = make_int_image(photons, 64, static_cast<int>(photons.size() / 64),
                                          PixelRoi::whole(64, static_cast<int>(photons.size() / 64)), scale, offset);
        for (std::size_t i = 0; i < photons.size(); ++i)
            ASSERT_EQ(image[i], int_pixel(photons[i], scale, offset))
                << photons[i] << " x " << scale << " + " << offset;
        const auto pgm = make_pgm_image(photons, 64, static_cast<int>(photons.size() / 64),
                                        PixelRoi::whole(64, static_cast<int>(photons.size() / 64)), scale);
        for (std::size_t i = 0; i < photons.size(); ++i)
            ASSERT_EQ(pgm[i], pgm_pixel(photons[i], scale)) << photons[i] << " x " << scale;
    }
}

TEST(IntImage, OutsideRoiStaysZero) {
    const std::vector<float> photons(12, 1.0f);  // 4 fast x 3 slow
    const auto image = make_int_image(photons, 4, 3, PixelRoi{1, 2, 1, 1}, 10.0, 40.0);
    const std::vector<std::uint16_t> expected{0, 0, 0, 0, 0, 50, 50, 0, 0, 0, 0, 0};
    EXPECT_EQ(image, expected);
    EXPECT_THROW(make_int_image(photons, 5, 3, PixelRoi::whole(5, 3), 1.0, 0.0), std::invalid_argument);
}

TEST(PgmImage, ScaleChoiceAndTruncation) {
    // A reference run (-detpixels 256, 100 A cubic cell) printed "rmsd= 12.9442" and
    // "pgm_scale = 3.86273".
    EXPECT_NEAR(resolve_pgm_scale(0.0, 355.636, 12.9442), 3.86273, 5e-5);
    EXPECT_EQ(resolve_pgm_scale(0.0, 355.636, 0.0), 355.636);
    EXPECT_EQ(resolve_pgm_scale(1.5, 355.636, 12.9442), 1.5);

    EXPECT_EQ(pgm_pixel(10.0f, 2.59f), 25);  // 25.9 truncates
    EXPECT_EQ(pgm_pixel(1000.0f, 1.0), 255);
    EXPECT_EQ(pgm_pixel(-3.0f, 1.0), 0);
    const auto pgm = make_pgm_image(std::vector<float>{1, 2, 3, 4}, 2, 2, PixelRoi{1, 1, 0, 1}, 100.0);
    EXPECT_EQ(pgm, (std::vector<std::uint8_t>{0, 200, 0, 255}));
}

}  // namespace
}  // namespace tilebragg
