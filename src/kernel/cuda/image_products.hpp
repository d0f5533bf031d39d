#pragma once
// Host side of the image products on the GPU (image_products.cu): what the owner of an
// image needs besides its photons - the statistics' sums and the detector counts (the
// noise image or the int image) - made from the image where it was rendered, with the
// per-pixel rules the CPU uses (pixel_counts.hpp), so the counts are the CPU's.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include <tilebragg/image_statistics.hpp>
#include <tilebragg/params.hpp>
#include <tilebragg/pixel_counts.hpp>

namespace tilebragg::cuda {

// What the kernels leave in device memory for one image (copied back in one piece).
struct ProductResults {
    StatisticsSums statistics;
    NoiseTally noise;
    double omega_sum = 0;  // the side sum (written by the renderer's sum kernel)
};

// How the counts are made.
struct CountsRule {
    bool noise = false;  // the noise image, else the int image
    NoiseSettings noise_settings;
    double intfile_scale = 0;  // as given: <= 0 is automatic, from the brightest pixel
    double adc_offset = 40;
};

// Device scratch the products of a fpixels x spixels image need, bytes.
std::size_t product_scratch_bytes(int fpixels, int spixels);

// Enqueues on `stream`: the statistics' sums of `photons` (device, the whole detector)
// over `roi` (resolved, inclusive) with `mask` (device, or null) into
// results->statistics; then, if `counts` (device) is not null, the counts by `rule`
// (pixels outside the ROI get 0) and, for noise, the tally into results->noise.
void launch_image_products(const float* photons, int fpixels, int spixels, const Roi& roi, const std::uint16_t* mask,
                           const CountsRule& rule, std::uint16_t* counts, void* scratch, ProductResults* results,
                           cudaStream_t stream);

}  // namespace tilebragg::cuda
