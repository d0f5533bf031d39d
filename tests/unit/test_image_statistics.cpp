// The closing statistics: brightest pixel, mean and rms over rendered pixels, rmsd over
// the whole region of interest (masked pixels included, as the reference does).
#include <tilebragg/image_statistics.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

using namespace tilebragg;

namespace {

// 3 fast x 2 slow:   1 2 3
//                    4 5 6
const std::vector<float> kImage{1, 2, 3, 4, 5, 6};

Roi whole() { return {0, 3, 0, 2}; }  // as setup resolves an unset -roi: max = pixel count

}  // namespace

TEST(ImageStatistics, WholeImageByHand) {
    const ImageStatistics s = image_statistics(kImage, 3, 2, whole(), {});
    EXPECT_EQ(s.max_I, 6.0);
    EXPECT_EQ(s.max_fpixel, 2);
    EXPECT_EQ(s.max_spixel, 1);
    EXPECT_DOUBLE_EQ(s.mean, 3.5);
    EXPECT_DOUBLE_EQ(s.rms, std::sqrt(91.0 / 5));   // sum of squares / (n - 1)
    EXPECT_DOUBLE_EQ(s.rmsd, std::sqrt(17.5 / 5));  // sum (v - mean)^2 / (n - 1)
}

TEST(ImageStatistics, RoiBoundsAreInclusive) {
    const ImageStatistics s = image_statistics(kImage, 3, 2, Roi{1, 2, 0, 0}, {});
    EXPECT_EQ(s.max_I, 3.0);
    EXPECT_EQ(s.max_fpixel, 2);
    EXPECT_EQ(s.max_spixel, 0);
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_DOUBLE_EQ(s.rms, std::sqrt(13.0 / 1));
    EXPECT_DOUBLE_EQ(s.rmsd, std::sqrt(0.5 / 1));
    const ImageStatistics column = image_statistics(kImage, 3, 2, Roi{0, 0, 0, 1}, {});
    EXPECT_DOUBLE_EQ(column.mean, 2.5);  // 1 and 4
    EXPECT_EQ(column.max_spixel, 1);
}

TEST(ImageStatistics, MaskedPixelsLeaveMeanAndRmsButNotRmsd) {
    const std::vector<std::uint16_t> mask{1, 1, 1, 1, 1, 0};  // the 6 is masked
    const ImageStatistics s = image_statistics(kImage, 3, 2, whole(), mask);
    EXPECT_EQ(s.max_I, 5.0);
    EXPECT_EQ(s.max_fpixel, 1);
    EXPECT_EQ(s.max_spixel, 1);
    EXPECT_DOUBLE_EQ(s.mean, 3.0);
    EXPECT_DOUBLE_EQ(s.rms, std::sqrt(55.0 / 4));
    // deviations from 3 over all six pixels: 4 1 0 1 4 9
    EXPECT_DOUBLE_EQ(s.rmsd, std::sqrt(19.0 / 5));
}

TEST(ImageStatistics, SinglePixelAndEmptyImage) {
    const ImageStatistics one = image_statistics(kImage, 3, 2, Roi{1, 1, 1, 1}, {});
    EXPECT_DOUBLE_EQ(one.mean, 5.0);
    EXPECT_DOUBLE_EQ(one.rms, 5.0);  // n - 1 is taken as 1 for a single pixel
    EXPECT_DOUBLE_EQ(one.rmsd, 0.0);
    const std::vector<float> zeros(6, 0.0f);
    const ImageStatistics z = image_statistics(zeros, 3, 2, whole(), {});
    EXPECT_EQ(z.max_fpixel, -1);  // nothing above zero
    EXPECT_EQ(z.max_spixel, -1);
    EXPECT_EQ(z.max_I, 0.0);
    EXPECT_EQ(z.mean, 0.0);
    EXPECT_EQ(z.rmsd, 0.0);
}

TEST(ImageStatistics, FirstOfEqualMaximaWins) {
    const std::vector<float> image{1, 7, 7, 7, 0, 0};
    const ImageStatistics s = image_statistics(image, 3, 2, whole(), {});
    EXPECT_EQ(s.max_fpixel, 1);
    EXPECT_EQ(s.max_spixel, 0);
}

TEST(ImageStatistics, BrightestOfLongRowsIsTheFirstOfItsValue) {
    // Rows long enough for the vector path: maxima in the tail, ties, NaN and negatives.
    const int nf = 1000, ns = 3;
    std::vector<float> image(static_cast<std::size_t>(nf) * ns, 1.0f);
    image[997] = 9.0f;     // row 0: late maximum
    image[nf + 5] = 9.5f;  // row 1: the brightest, twice
    image[nf + 900] = 9.5f;
    image[2 * nf + 3] = std::nanf("");  // row 2: NaN and -inf are never the maximum
    image[2 * nf + 4] = -INFINITY;
    const ImageStatistics s = image_statistics(image, nf, ns, Roi{0, nf, 0, ns}, {});
    EXPECT_EQ(s.max_I, 9.5);
    EXPECT_EQ(s.max_fpixel, 5);
    EXPECT_EQ(s.max_spixel, 1);
    EXPECT_EQ(s.nonfinite, 2);
    const std::vector<float> negative(static_cast<std::size_t>(nf), -2.0f);
    const ImageStatistics n = image_statistics(negative, nf, 1, Roi{0, nf, 0, 1}, {});
    EXPECT_EQ(n.max_fpixel, -1);
    EXPECT_EQ(n.nonfinite, 0);
}

TEST(ImageStatistics, NonFinitePixelsAreCountedMaskedOrNot) {
    const std::vector<float> image{1, NAN, 3, INFINITY, 5, -INFINITY};
    EXPECT_EQ(image_statistics(image, 3, 2, whole(), {}).nonfinite, 3);
    const std::vector<std::uint16_t> mask{1, 0, 1, 0, 1, 1};
    EXPECT_EQ(image_statistics(image, 3, 2, whole(), mask).nonfinite, 3);
    EXPECT_EQ(image_statistics(image, 3, 2, Roi{0, 0, 0, 1}, {}).nonfinite, 1);  // column 0 only
}
