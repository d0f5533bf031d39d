#pragma once
// What a finished image gives besides its photons, computed once per image and shared by
// every output that needs it: the reference's statistics, and the counts a detector
// would record (the noise image when noise is on, else the int image), which the HDF5
// file stores and the -noisefile / -intfile reuse.
#include <cstdint>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/noise.hpp>

namespace tilebragg {

struct ImageProducts {
    ImageStatistics stats;
    double int_scale = 1;                  // the -intfile scale, resolved from max_I when automatic
    std::vector<std::uint16_t> counts;     // empty unless asked for
    bool counts_are_noise = false;         // the noise image (else the int image)
    NoiseTally noise;                      // when counts_are_noise
};

// Throws InputError when a pixel is NaN or infinite (an input overflowed the arithmetic).
// `want_counts`: fill `counts` (the HDF5 file needs them: the noise image, or with
// -nonoise the int image). Without, the -noisefile is drawn as it is written.
ImageProducts image_products(const Experiment& e, const std::vector<float>& photons, bool want_counts);

// The noise stream of the image `p` describes (seed, ADC offset, image of a series).
NoiseSettings noise_settings(const Params& p);

}  // namespace tilebragg
