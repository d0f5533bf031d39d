#pragma once
// One single-image run, as the reference does it: setup, render, statistics, outputs.
#include <tilebragg/params.hpp>

namespace tilebragg {

// Returns the process exit code; throws InputError for unusable input.
int run_simulation(const Params& params);

}  // namespace tilebragg
