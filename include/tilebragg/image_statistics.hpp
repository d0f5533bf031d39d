#pragma once
// The reference's closing statistics of a float image: the brightest pixel and where,
// mean, rms and rms deviation over the rendered region.
#include <cstdint>
#include <vector>

#include <tilebragg/params.hpp>

namespace tilebragg {

struct ImageStatistics {
    double max_I = 0;
    int max_fpixel = -1, max_spixel = -1;  // -1: no pixel above zero
    double mean = 0, rms = 0, rmsd = 0;
    // Pixels of the region that are NaN or infinite (masked ones included). Nothing is
    // rendered outside the region (those pixels are 0), so this is the whole image's count.
    long long nonfinite = 0;
};

// The sums the statistics are made of: over the region's pixels that the mask keeps
// ("kept": max, mean, rms) and over all of the region's pixels ("all": rmsd), as the
// reference's two passes have them. A renderer that makes them where the image is (a
// GPU, src/kernel/cuda/image_products.cu) hands them to statistics_from_sums.
struct StatisticsSums {
    double kept_sum = 0, kept_sumsqr = 0, all_sum = 0, all_sumsqr = 0;
    long long kept_n = 0, all_n = 0, nonfinite = 0;
    float max_I = 0;           // the largest kept value above 0, else 0
    long long max_index = -1;  // its first place, slow * fpixels + fast; -1: none
};

ImageStatistics statistics_from_sums(const StatisticsSums& sums, int fpixels);

// The part of the detector the statistics cover: the ROI clamped to the image.
struct StatisticsRegion {
    int slow_begin = 0, slow_end = 0, fast_begin = 0, fast_end = 0;
    int rows() const { return slow_end > slow_begin ? slow_end - slow_begin : 0; }
    int cols() const { return fast_end > fast_begin ? fast_end - fast_begin : 0; }
};
StatisticsRegion statistics_region(const Roi& roi, int fpixels, int spixels);

// The sums of one row of the region. They are combined in row order (sums_of_rows), so the
// statistics do not depend on which thread or rank summed which row.
struct RowSums {
    double kept_sum = 0, kept_sumsqr = 0, all_sum = 0, all_sumsqr = 0, max_I = 0;
    long long kept_n = 0, nonfinite = 0;
    int max_fast = -1;
};
// `line`: the row's pixels (fast 0 .. fpixels - 1), `slow` its index in the image.
RowSums row_sums(const float* line, int slow, int fpixels, const StatisticsRegion& region,
                 const std::vector<std::uint16_t>& mask);
// The sums of the region from its rows' (rows[r] is row region.slow_begin + r).
StatisticsSums sums_of_rows(const std::vector<RowSums>& rows, const StatisticsRegion& region, int fpixels);

// `roi` inclusive; `mask` empty or one entry per pixel (0 = skipped). Masked pixels are
// left out of max, mean and rms but, as in the reference, not out of rmsd.
ImageStatistics image_statistics(const std::vector<float>& image, int fpixels, int spixels, const Roi& roi,
                                 const std::vector<std::uint16_t>& mask);

}  // namespace tilebragg
