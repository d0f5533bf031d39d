#pragma once
// One single-image run, as the reference does it (setup, render, statistics, outputs),
// spread over the ranks of MPI_COMM_WORLD: every rank sets up, all ranks render tiles,
// rank 0 prints and writes the legacy files; -h5file gets the image from every rank.
#include <tilebragg/params.hpp>

namespace tilebragg {

// Collective. Returns the process exit code; throws InputError (on every rank, with the
// same message) for unusable input. Initialises MPI itself if the caller has not.
int run_simulation(const Params& params);

}  // namespace tilebragg
