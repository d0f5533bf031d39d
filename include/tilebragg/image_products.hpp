#pragma once
// What a finished image gives besides its photons, computed once per image and shared by
// every output that needs it: the reference's statistics, and the counts a detector
// would record (the noise image when noise is on, else the int image), which the HDF5
// file stores and the -noisefile / -intfile reuse.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/noise.hpp>

namespace tilebragg {

// Counts that live elsewhere (in the products' own vector, or in a buffer the driver
// handed a GPU renderer): what the outputs read.
class CountsView {
public:
    CountsView() = default;
    CountsView(const std::uint16_t* data, std::size_t size) : data_(data), size_(size) {}
    const std::uint16_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    const std::uint16_t* data_ = nullptr;
    std::size_t size_ = 0;
};

struct ImageProducts {
    ImageStatistics stats;
    double int_scale = 1;                   // the -intfile scale, resolved from max_I when automatic
    CountsView counts;                      // empty unless asked for
    bool counts_are_noise = false;          // the noise image (else the int image)
    NoiseTally noise;                       // when counts_are_noise
    std::vector<std::uint16_t> own_counts;  // where `counts` points when computed here

    ImageProducts() = default;
    // Moving keeps `counts` valid (a vector's buffer moves with it); a copy would not.
    ImageProducts(ImageProducts&&) = default;
    ImageProducts& operator=(ImageProducts&&) = default;
    ImageProducts(const ImageProducts&) = delete;
    ImageProducts& operator=(const ImageProducts&) = delete;
};

// Throws InputError when a pixel is NaN or infinite (an input overflowed the arithmetic).
// `want_counts`: fill `counts` (the HDF5 file needs them: the noise image, or with
// -nonoise the int image). Without, the -noisefile is drawn as it is written.
ImageProducts image_products(const Experiment& e, const std::vector<float>& photons, bool want_counts);

// The products of an image whose statistics sums and counts were made where it was
// rendered (a GPU, from the same per-pixel rules: pixel_counts.hpp): checked and
// resolved as image_products() does. `counts` (whole image) stays the caller's.
ImageProducts image_products_from(const Experiment& e, const StatisticsSums& sums, const std::uint16_t* counts,
                                  bool counts_are_noise, const NoiseTally& noise);

// The noise stream of the image `p` describes (seed, ADC offset, image of a series).
NoiseSettings noise_settings(const Params& p);

// The -roi as the integer products take it.
PixelRoi pixel_roi(const Roi& r);

}  // namespace tilebragg
