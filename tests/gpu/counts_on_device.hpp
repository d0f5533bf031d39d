#pragma once
// The detector-count rules (pixel_counts.hpp) and the portable math under them, run on
// the GPU for a list of inputs, so that a test can hold them against the host's bits.
// counts_on_device.cu is compiled as the library's image_products.cu is (--fmad=false).
#include <cstdint>
#include <vector>

#include <tilebragg/pixel_counts.hpp>

namespace tilebragg::gpu_test {

struct MathOnDevice {
    std::vector<double> exp, log, cos_two_pi;  // of the inputs given, in order
};
MathOnDevice portable_math_on_device(const std::vector<double>& exp_of, const std::vector<double>& log_of,
                                     const std::vector<double>& cos_two_pi_of);

// noisy_count(means[i], settings, pixels[i]) for every i.
std::vector<NoisyPixel> noisy_counts_on_device(const std::vector<float>& means,
                                               const std::vector<std::uint64_t>& pixels, const NoiseSettings& settings);

// int_pixel(values[i], scale, adc_offset) for every i.
std::vector<std::uint16_t> int_pixels_on_device(const std::vector<float>& values, double scale, double adc_offset);

}  // namespace tilebragg::gpu_test
