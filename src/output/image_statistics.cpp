#include <tilebragg/image_statistics.hpp>

#include <cmath>

namespace tilebragg {
namespace {

// Sums of one row, combined later in row order: the result does not depend on how rows
// were shared among threads.
struct RowSums {
    double sum = 0, sumsqr = 0, max_I = 0;
    long long n = 0;
    int max_fast = -1;
};

}  // namespace

ImageStatistics image_statistics(const std::vector<float>& image, int fpixels, int spixels, const Roi& roi,
                                 const std::vector<std::uint16_t>& mask) {
    ImageStatistics s;
    const int slow_begin = roi.slow_min < 0 ? 0 : roi.slow_min;
    const int slow_end = roi.slow_max + 1 < spixels ? roi.slow_max + 1 : spixels;
    const int fast_begin = roi.fast_min < 0 ? 0 : roi.fast_min;
    const int fast_end = roi.fast_max + 1 < fpixels ? roi.fast_max + 1 : fpixels;
    const int rows = slow_end > slow_begin ? slow_end - slow_begin : 0;
    auto at = [&](int f, int sl) { return static_cast<std::size_t>(sl) * static_cast<std::size_t>(fpixels) + f; };

    std::vector<RowSums> per_row(static_cast<std::size_t>(rows));
#pragma omp parallel for schedule(static)
    for (int r = 0; r < rows; ++r) {
        const int sl = slow_begin + r;
        RowSums& row = per_row[static_cast<std::size_t>(r)];
        for (int f = fast_begin; f < fast_end; ++f) {
            const std::size_t i = at(f, sl);
            if (!mask.empty() && mask[i] == 0) continue;
            const double v = image[i];
            if (v > row.max_I) { row.max_I = v; row.max_fast = f; }
            row.sum += v;
            row.sumsqr += v * v;
            ++row.n;
        }
    }
    double sum = 0, sumsqr = 0;
    long long n = 0;
    for (int r = 0; r < rows; ++r) {
        const RowSums& row = per_row[static_cast<std::size_t>(r)];
        // First pixel in row-major order wins a tie, as a sequential scan would have it.
        if (row.max_I > s.max_I) { s.max_I = row.max_I; s.max_fpixel = row.max_fast; s.max_spixel = slow_begin + r; }
        sum += row.sum;
        sumsqr += row.sumsqr;
        n += row.n;
    }
    if (n <= 0) n = 1;
    s.mean = sum / static_cast<double>(n);
    if (n <= 1) n = 2;
    s.rms = std::sqrt(sumsqr / static_cast<double>(n - 1));

    // The deviation counts masked pixels too, as the reference's second pass does.
    std::vector<double> dev_row(static_cast<std::size_t>(rows), 0.0);
#pragma omp parallel for schedule(static)
    for (int r = 0; r < rows; ++r) {
        double dev = 0;
        for (int f = fast_begin; f < fast_end; ++f) {
            const double d = image[at(f, slow_begin + r)] - s.mean;
            dev += d * d;
        }
        dev_row[static_cast<std::size_t>(r)] = dev;
    }
    double dev = 0;
    for (double d : dev_row) dev += d;
    long long m = static_cast<long long>(rows) * (fast_end > fast_begin ? fast_end - fast_begin : 0);
    if (m <= 1) m = 2;
    s.rmsd = std::sqrt(dev / static_cast<double>(m - 1));
    return s;
}

}  // namespace tilebragg
