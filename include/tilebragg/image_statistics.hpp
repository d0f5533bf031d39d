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

// `roi` inclusive; `mask` empty or one entry per pixel (0 = skipped). Masked pixels are
// left out of max, mean and rms but, as in the reference, not out of rmsd.
ImageStatistics image_statistics(const std::vector<float>& image, int fpixels, int spixels, const Roi& roi,
                                 const std::vector<std::uint16_t>& mask);

}  // namespace tilebragg
