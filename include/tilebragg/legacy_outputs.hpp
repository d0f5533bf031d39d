#pragma once
// The reference's output files from a finished float image: -floatfile, -intfile,
// -pgmfile and -noisefile.
#include <cstdio>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_products.hpp>

namespace tilebragg {

// Fails early (before any rendering) if an output path cannot be created.
void check_outputs_writable(const Params& params);

// `products` from image_products(e, image, ...): the statistics, the int scale and the
// noise image are reused, not computed again.
void write_legacy_outputs(const Experiment& e, const std::vector<float>& image, const ImageProducts& products,
                          std::FILE* log);

}  // namespace tilebragg
