#pragma once
// What a run prints about its setup and results: the reference's lines, so that logs
// and scripts that read them keep working.
#include <cstdio>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>

namespace tilebragg {

void print_setup_report(const Experiment& e, std::FILE* out);
void print_statistics(const Experiment& e, const ImageStatistics& s, double omega_sum, std::FILE* out);

}  // namespace tilebragg
