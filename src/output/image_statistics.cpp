#include <tilebragg/image_statistics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <tilebragg/thread_team.hpp>

namespace tilebragg {
namespace {

// The largest value of line[begin, end) above 0 and the first place it occurs (what a
// scan keeping the first strictly larger value finds), and the count of NaN and infinite
// values: one vector pass for the maximum, then a short scan for its place.
void brightest_and_nonfinite(const float* line, int begin, int end, RowSums& row) {
    float max_I = 0.0f;
    long long nonfinite = 0;
#pragma omp simd reduction(max : max_I) reduction(+ : nonfinite)
    for (int f = begin; f < end; ++f) {
        const float v = line[f];
        max_I = v > max_I ? v : max_I;  // NaN never compares larger
        nonfinite += std::fabs(v) <= std::numeric_limits<float>::max() ? 0 : 1;
    }
    row.nonfinite = nonfinite;
    if (!(max_I > 0.0f)) return;
    int f = begin;
    while (line[f] != max_I) ++f;
    row.max_I = max_I;
    row.max_fast = f;
}

}  // namespace

StatisticsRegion statistics_region(const Roi& roi, int fpixels, int spixels) {
    StatisticsRegion r;
    r.slow_begin = std::max(roi.slow_min, 0);
    r.slow_end = std::min(roi.slow_max + 1, spixels);
    r.fast_begin = std::max(roi.fast_min, 0);
    r.fast_end = std::min(roi.fast_max + 1, fpixels);
    return r;
}

RowSums row_sums(const float* line, int slow, int fpixels, const StatisticsRegion& region,
                 const std::vector<std::uint16_t>& mask) {
    RowSums row;
    const int fast_begin = region.fast_begin, fast_end = std::max(region.fast_end, fast_begin);
    double all_sum = 0, all_sumsqr = 0;
#pragma omp simd reduction(+ : all_sum, all_sumsqr)
    for (int f = fast_begin; f < fast_end; ++f) {
        const double v = line[f];
        all_sum += v;
        all_sumsqr += v * v;
    }
    row.all_sum = all_sum;
    row.all_sumsqr = all_sumsqr;
    if (mask.empty()) {
        row.kept_sum = all_sum;
        row.kept_sumsqr = all_sumsqr;
        row.kept_n = fast_end - fast_begin;
        brightest_and_nonfinite(line, fast_begin, fast_end, row);
        return row;
    }
    const std::size_t start = static_cast<std::size_t>(slow) * static_cast<std::size_t>(fpixels);
    for (int f = fast_begin; f < fast_end; ++f) {
        row.nonfinite += std::isfinite(line[f]) ? 0 : 1;
        if (mask[start + static_cast<std::size_t>(f)] == 0) continue;
        const double v = line[f];
        row.kept_sum += v;
        row.kept_sumsqr += v * v;
        ++row.kept_n;
        if (line[f] > row.max_I) {
            row.max_I = line[f];
            row.max_fast = f;
        }
    }
    return row;
}

StatisticsSums sums_of_rows(const std::vector<RowSums>& rows, const StatisticsRegion& region, int fpixels) {
    StatisticsSums total;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const RowSums& row = rows[r];
        // First pixel in row-major order wins a tie, as a sequential scan would have it.
        if (row.max_I > total.max_I) {
            total.max_I = static_cast<float>(row.max_I);
            total.max_index = static_cast<long long>(region.slow_begin + static_cast<int>(r)) * fpixels + row.max_fast;
        }
        total.kept_sum += row.kept_sum;
        total.kept_sumsqr += row.kept_sumsqr;
        total.kept_n += row.kept_n;
        total.all_sum += row.all_sum;
        total.all_sumsqr += row.all_sumsqr;
        total.nonfinite += row.nonfinite;
    }
    total.all_n = static_cast<long long>(region.rows()) * region.cols();
    return total;
}

ImageStatistics image_statistics(const std::vector<float>& image, int fpixels, int spixels, const Roi& roi,
                                 const std::vector<std::uint16_t>& mask) {
    const StatisticsRegion region = statistics_region(roi, fpixels, spixels);
    const int rows = region.rows();
    std::vector<RowSums> per_row(static_cast<std::size_t>(rows));
    // A small image is summed faster than a second thread wakes up (and on a busy machine
    // a parallel region can wait a whole time slice for a thread to be scheduled).
    const bool parallel =
        static_cast<std::size_t>(rows) * static_cast<std::size_t>(region.cols()) >= kThreadTeamMinPixels;
#pragma omp parallel for schedule(static) if (parallel)
    for (int r = 0; r < rows; ++r) {
        const int slow = region.slow_begin + r;
        per_row[static_cast<std::size_t>(r)] =
            row_sums(image.data() + static_cast<std::size_t>(slow) * static_cast<std::size_t>(fpixels), slow, fpixels,
                     region, mask);
    }
    return statistics_from_sums(sums_of_rows(per_row, region, fpixels), fpixels);
}

ImageStatistics statistics_from_sums(const StatisticsSums& t, int fpixels) {
    ImageStatistics s;
    s.max_I = t.max_I;
    if (t.max_index >= 0) {
        s.max_fpixel = static_cast<int>(t.max_index % fpixels);
        s.max_spixel = static_cast<int>(t.max_index / fpixels);
    }
    s.nonfinite = t.nonfinite;
    long long n = t.kept_n;
    if (n <= 0) n = 1;
    s.mean = t.kept_sum / static_cast<double>(n);
    if (n <= 1) n = 2;
    s.rms = std::sqrt(t.kept_sumsqr / static_cast<double>(n - 1));
    // Sum of (v - mean)^2 over the whole ROI from the two sums of one pass.
    long long m = t.all_n;
    const double dev =
        std::max(0.0, t.all_sumsqr - 2.0 * s.mean * t.all_sum + static_cast<double>(m) * s.mean * s.mean);
    if (m <= 1) m = 2;
    s.rmsd = std::sqrt(dev / static_cast<double>(m - 1));
    return s;
}

}  // namespace tilebragg
