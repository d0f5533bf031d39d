#pragma once
// MPI for the whole process: initialised once (threads: FUNNELED, since only the main
// thread talks MPI while OpenMP threads render) and finalised on the way out.
// A program started without a launcher (mpirun, mpiexec, srun) does not initialise MPI
// at all: it is a job of one rank, and the helpers below act as if on one rank. That
// saves the singleton start-up (a few tenths of a second per run) and works where no
// MPI runtime can start. TILEBRAGG_MPI=1 forces MPI on, TILEBRAGG_MPI=0 off.
#include <mpi.h>

#include <functional>
#include <string>

namespace tilebragg {

class MpiSession {
public:
    MpiSession(int* argc, char*** argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;

private:
    bool owns_ = false;
};

// True when the environment shows an MPI launcher started this process.
bool launched_by_mpi();
// True between MPI_Init and MPI_Finalize (by anyone).
bool mpi_active();

// Rank and size; 0 and 1 when MPI is not active.
int mpi_rank(MPI_Comm comm = MPI_COMM_WORLD);
int mpi_size(MPI_Comm comm = MPI_COMM_WORLD);
std::string host_name();

// Seconds on a monotonic clock (MPI_Wtime needs MPI; this does not).
double wall_seconds();
// MPI_Barrier when MPI is active.
void barrier(MPI_Comm comm);

// Runs `step` on every rank of `comm` and makes the ranks agree on its outcome: if it
// throws InputError on any rank, it throws InputError on every rank, with the message
// of the lowest failing rank. So all ranks leave together, none waits in a collective
// for a rank that has already given up, and rank 0 alone can print the one message.
void agree_on_input(MPI_Comm comm, const std::function<void()>& step);

// agree_on_input for any failure: an InputError is one on every rank, any other
// exception becomes std::runtime_error on every rank (the caller ends the job). For the
// collective steps where one rank's bug or I/O failure would otherwise leave the others
// waiting.
void agree_on_outcome(MPI_Comm comm, const std::function<void()>& step);

// For errors that are not the user's: stops every rank of the job (a plain return on
// one rank would leave the others waiting forever).
[[noreturn]] void abort_job(int exit_code);

}  // namespace tilebragg
