#pragma once
// Stop requests. SIGTERM and SIGINT (Ctrl-C, `scancel`, a Slurm time limit, mpirun
// passing a kill on) ask a batch to stop: ranks finish the tile in flight, take no more
// work, the HDF5 file is flushed and closed with its per-image record, and the run exits
// non-zero. The same command later resumes it (docs/batch.md).
//
// Under Open MPI's mpirun a stop starts with SIGCONT: mpirun answers SIGTERM or SIGINT
// by sending its ranks SIGCONT, then SIGTERM about 1 s later, then SIGKILL about 1 s
// after that. The SIGCONT is taken as the stop request (it doubles the time left to close
// the file), but only where it cannot be job control: it must come from the launcher
// itself (the parent process) and reach a process that was running, not stopped, just
// before. `fg` after Ctrl-Z, `bg`, or a scheduler resuming a suspended job all continue
// a stopped process, which shows as a gap in a 10 ms heartbeat; such a SIGCONT is a
// plain continue (docs/robustness.md, "Signals under mpirun").
#include <string>

namespace tilebragg {

// Installs the handlers (process-wide; again is harmless). Under Open MPI's launcher
// also starts the heartbeat that tells mpirun's SIGCONT from job control.
void install_stop_handlers();
// The signal that asked this process to stop, 0 if none (SIGCONT: mpirun's sequence).
int stop_signal();
// The stop request in words for messages: "signal 15 (SIGTERM)", or what mpirun's
// SIGCONT means.
std::string stop_reason(int signal);
// Exit status of a run stopped by `signal`: 128 + signal, as a shell reports a process
// killed by it (mpirun's SIGCONT counts as the SIGTERM that follows it).
int stop_exit_code(int signal);

// The driver calls this once for each image of a wave, on every rank, right after the
// wave's images are recorded complete. Test switches (read once from the environment;
// unset in normal runs, then it does nothing), so that tests of interruption wait for a
// state rather than race a timer:
//   TILEBRAGG_TEST_STOP_AFTER_IMAGES=K  once K images have been recorded complete, the
//       process behaves exactly as if it had received SIGTERM;
//   TILEBRAGG_TEST_HOLD_AFTER_IMAGES=K  after K images it prints
//       "tilebragg: test hold after K image(s) (pid P, rank R)" on stderr and waits,
//       working no further, until a stop request arrives (a real signal sent by the
//       test), then goes on and stops; after 120 s without one it exits with status 70.
// Every rank takes part in recording every image of a wave (the writes are collective),
// so under MPI every rank stops (or holds) after the same wave: the wave in which the
// count reached K, which holds at most K - 1 + images per wave images.
void image_recorded_complete();

}  // namespace tilebragg
