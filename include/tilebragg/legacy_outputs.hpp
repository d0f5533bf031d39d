#pragma once
// The reference's output files from a finished float image: -floatfile, -intfile,
// -pgmfile and -noisefile.
#include <cstdio>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>

namespace tilebragg {

// Fails early (before any rendering) if an output path cannot be created.
void check_outputs_writable(const Params& params);

void write_legacy_outputs(const Experiment& e, const std::vector<float>& image, const ImageStatistics& stats,
                          std::FILE* log);

}  // namespace tilebragg
