#include "image_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace tilebragg::golden {

std::vector<float> read_float_image(const std::string& path) {
    static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559, "images are IEEE float32");
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw std::runtime_error("cannot open " + path);
    const std::streamoff bytes = in.tellg();
    if (bytes % 4 != 0)
        throw std::runtime_error(path + ": " + std::to_string(bytes) +
                                 " bytes is not a whole number of float32 pixels");
    std::vector<float> pixels(static_cast<std::size_t>(bytes / 4));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(pixels.data()), bytes);
    if (!in) throw std::runtime_error("short read from " + path);
    return pixels;  // the machines we build on are little-endian, like the files
}

ImageComparison compare_images(const std::vector<float>& image, const std::vector<float>& reference) {
    if (image.size() != reference.size()) throw std::invalid_argument("compare_images: images differ in size");
    ImageComparison result;
    const std::size_t n = image.size();
    if (n == 0) return result;

    result.max = -std::numeric_limits<double>::infinity();
    result.reference_max = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
        const double a = image[i];
        const double b = reference[i];
        if (!std::isfinite(a)) {
            ++result.non_finite;
            continue;
        }
        result.sum += a;
        result.reference_sum += b;
        result.max = std::max(result.max, a);
        result.reference_max = std::max(result.reference_max, b);
    }
    if (result.non_finite > 0) {
        result.correlation = std::numeric_limits<double>::quiet_NaN();
        return result;
    }

    // Two passes around the means: the images have a large common offset (background)
    // and one-pass sums of squares would lose the digits the criteria look at.
    const double mean_a = result.sum / static_cast<double>(n);
    const double mean_b = result.reference_sum / static_cast<double>(n);
    double cov = 0.0, var_a = 0.0, var_b = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double da = image[i] - mean_a;
        const double db = reference[i] - mean_b;
        cov += da * db;
        var_a += da * da;
        var_b += db * db;
    }
    result.correlation =
        (var_a > 0.0 && var_b > 0.0) ? cov / std::sqrt(var_a * var_b) : std::numeric_limits<double>::quiet_NaN();
    return result;
}

}  // namespace tilebragg::golden
