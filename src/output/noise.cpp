#include <tilebragg/noise.hpp>

#include <tilebragg/counter_rng.hpp>
#include <tilebragg/reference_rng.hpp>

#include <stdexcept>

namespace tilebragg {
namespace {

void check_image_size(const std::vector<float>& expected, int fpixels, int spixels) {
    if (fpixels < 0 || spixels < 0 ||
        expected.size() != static_cast<std::size_t>(fpixels) * static_cast<std::size_t>(spixels)) {
        throw std::invalid_argument("noise image: image size does not match fpixels x spixels");
    }
}

}  // namespace

double log_factorial(double k) { return counts_detail::log_factorial(k); }

double poisson_photons(float expected, std::uint64_t seed, std::uint64_t image, std::uint64_t pixel) {
    return poisson_count(expected, seed, image, pixel);
}

NoisyPixel noisy_pixel(float expected, const NoiseSettings& settings, std::uint64_t pixel) {
    return noisy_count(expected, settings, pixel);
}

NoiseTally noise_region(const float* expected, const DetectorRegion& region, const PixelRoi& roi,
                        const NoiseSettings& settings, std::uint16_t* counts) {
    if (region.fast_size < 0 || region.slow_size < 0 || region.fast_begin < 0 || region.slow_begin < 0 ||
        region.fast_begin + region.fast_size > region.detector_fpixels) {
        throw std::invalid_argument("noise_region: region lies outside the detector");
    }
    NoiseTally tally;
    std::size_t local = 0;
    for (int s = 0; s < region.slow_size; ++s) {
        const int slow = region.slow_begin + s;
        for (int f = 0; f < region.fast_size; ++f, ++local) {
            const int fast = region.fast_begin + f;
            if (!roi.contains(fast, slow)) {
                counts[local] = 0;
                continue;
            }
            const std::uint64_t pixel =
                static_cast<std::uint64_t>(slow) * static_cast<std::uint64_t>(region.detector_fpixels) +
                static_cast<std::uint64_t>(fast);
            const NoisyPixel p = noisy_pixel(expected[local], settings, pixel);
            counts[local] = p.value;
            tally.photons += p.photons;
            tally.overloads += p.overload ? 1 : 0;
        }
    }
    return tally;
}

void noise_rows(const float* expected, int fpixels, int slow_begin, int rows, const PixelRoi& roi,
                const NoiseSettings& settings, std::uint16_t* counts, NoiseTally* row_tallies) {
    for (int r = 0; r < rows; ++r) {
        const std::size_t at = static_cast<std::size_t>(r) * static_cast<std::size_t>(fpixels);
        row_tallies[r] = noise_region(expected + at, DetectorRegion{fpixels, 0, slow_begin + r, fpixels, 1}, roi,
                                      settings, counts + at);
    }
}

NoiseImage make_noise_image(const std::vector<float>& expected, int fpixels, int spixels, const PixelRoi& roi,
                            const NoiseSettings& settings) {
    check_image_size(expected, fpixels, spixels);
    NoiseImage out;
    out.counts.assign(expected.size(), 0);
    std::vector<NoiseTally> rows(static_cast<std::size_t>(spixels));
    noise_rows(expected.data(), fpixels, 0, spixels, roi, settings, out.counts.data(), rows.data());
    for (const NoiseTally& row : rows) out.tally += row;
    return out;
}

NoiseImage make_reference_noise_image(const std::vector<float>& expected, int fpixels, int spixels, const PixelRoi& roi,
                                      ReferenceRandom stream, double adc_offset) {
    check_image_size(expected, fpixels, spixels);
    NoiseImage out;
    out.counts.assign(expected.size(), 0);
    std::size_t index = 0;
    for (int slow = 0; slow < spixels; ++slow) {
        for (int fast = 0; fast < fpixels; ++fast, ++index) {
            if (!roi.contains(fast, slow)) continue;
            const float photons = stream.poisson(expected[index]);
            out.tally.photons += photons;
            const NoisyPixel c = clipped_counts(photons, adc_offset);
            out.counts[index] = c.value;
            out.tally.overloads += c.overload ? 1 : 0;
        }
    }
    return out;
}

}  // namespace tilebragg
