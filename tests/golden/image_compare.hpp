#pragma once
// Reading raw float32 images and the two figures the parity criteria are stated in.
#include <cstddef>
#include <string>
#include <vector>

namespace tilebragg::golden {

// Raw little-endian float32, fast index fastest. Throws std::runtime_error if the file
// cannot be read.
std::vector<float> read_float_image(const std::string& path);

struct ImageComparison {
    std::size_t non_finite = 0;  // NaN or inf pixels in the image under test
    double correlation = 0.0;    // Pearson; NaN when either image is constant
    double sum = 0.0;            // sum of the image under test
    double reference_sum = 0.0;
    double max = 0.0;
    double reference_max = 0.0;
};

// Both images must have the same size (checked by the caller).
ImageComparison compare_images(const std::vector<float>& image, const std::vector<float>& reference);

}  // namespace tilebragg::golden
