#pragma once
// SIGTERM and SIGINT (Ctrl-C, `scancel`, a Slurm time limit, mpirun passing a kill on)
// ask a batch to stop: ranks finish the tile in flight, take no more work, the HDF5 file
// is flushed and closed with its per-image record, and the run exits non-zero. The
// same command later resumes it (docs/batch.md).
namespace tilebragg {

// Installs the handlers (process-wide; again is harmless).
void install_stop_handlers();
// The signal received so far, 0 if none.
int stop_signal();

}  // namespace tilebragg
