#include <tilebragg/image_statistics.hpp>

#include <cmath>

namespace tilebragg {

ImageStatistics image_statistics(const std::vector<float>& image, int fpixels, int spixels, const Roi& roi,
                                 const std::vector<std::uint16_t>& mask) {
    ImageStatistics s;
    double sum = 0, sumsqr = 0;
    long long n = 0;
    auto in_roi = [&](int f, int sl) { return f >= roi.fast_min && f <= roi.fast_max && sl >= roi.slow_min && sl <= roi.slow_max; };
    for (int sl = 0; sl < spixels; ++sl)
        for (int f = 0; f < fpixels; ++f) {
            const std::size_t i = static_cast<std::size_t>(sl) * fpixels + f;
            if (!in_roi(f, sl) || (!mask.empty() && mask[i] == 0)) continue;
            const double v = image[i];
            if (v > s.max_I) { s.max_I = v; s.max_fpixel = f; s.max_spixel = sl; }
            sum += v;
            sumsqr += v * v;
            ++n;
        }
    if (n <= 0) n = 1;
    s.mean = sum / static_cast<double>(n);
    if (n <= 1) n = 2;
    s.rms = std::sqrt(sumsqr / static_cast<double>(n - 1));
    double dev = 0;
    long long m = 0;
    for (int sl = 0; sl < spixels; ++sl)
        for (int f = 0; f < fpixels; ++f) {
            if (!in_roi(f, sl)) continue;
            const double d = image[static_cast<std::size_t>(sl) * fpixels + f] - s.mean;
            dev += d * d;
            ++m;
        }
    if (m <= 1) m = 2;
    s.rmsd = std::sqrt(dev / static_cast<double>(m - 1));
    return s;
}

}  // namespace tilebragg
