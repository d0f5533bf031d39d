#include <tilebragg/mpi_session.hpp>

#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <tilebragg/errors.hpp>

namespace tilebragg {

bool launched_by_mpi() {
    if (const char* forced = std::getenv("TILEBRAGG_MPI")) return std::string(forced) != "0";
    // Open MPI, PMIx (Open MPI 4+, Slurm), PMI-1/2 (MPICH, Intel MPI, srun), MVAPICH.
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "MV2_COMM_WORLD_SIZE"})
        if (std::getenv(name)) return true;
    return false;
}

bool mpi_active() {
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    return initialised && !finalised;
}

MpiSession::MpiSession(int* argc, char*** argv) {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (initialised || !launched_by_mpi()) return;
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns_ = true;
}

MpiSession::~MpiSession() {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (owns_ && !finalised) MPI_Finalize();
}

int mpi_rank(MPI_Comm comm) {
    if (!mpi_active()) return 0;
    int r = 0;
    MPI_Comm_rank(comm, &r);
    return r;
}

int mpi_size(MPI_Comm comm) {
    if (!mpi_active()) return 1;
    int n = 1;
    MPI_Comm_size(comm, &n);
    return n;
}

std::string host_name() {
    char buf[HOST_NAME_MAX + 1] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void barrier(MPI_Comm comm) {
    if (mpi_active()) MPI_Barrier(comm);
}

namespace {

// Runs `step`; on failure on any rank, every rank throws: InputError with the lowest
// failing rank's message if that failure was an InputError, std::runtime_error otherwise
// (only when `all_failures`; else other exceptions pass through on their own rank).
void agree(MPI_Comm comm, const std::function<void()>& step, bool all_failures) {
    if (!mpi_active()) {
        step();
        return;
    }
    const int rank = mpi_rank(comm), size = mpi_size(comm);
    std::string message;
    int failed = size, internal = 0;
    try {
        step();
    } catch (const InputError& e) {
        message = e.what();
        failed = rank;
    } catch (const std::exception& e) {
        if (!all_failures) throw;
        message = e.what();
        failed = rank;
        internal = 1;
    }
    int first_and_kind[2] = {failed, internal};
    int first = size;
    MPI_Allreduce(&failed, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == size) return;
    MPI_Bcast(first_and_kind + 1, 1, MPI_INT, first, comm);
    int length = static_cast<int>(message.size());
    MPI_Bcast(&length, 1, MPI_INT, first, comm);
    std::vector<char> text(message.begin(), message.end());
    text.resize(static_cast<std::size_t>(length));
    MPI_Bcast(text.data(), length, MPI_CHAR, first, comm);
    const std::string agreed(text.begin(), text.end());
    if (first_and_kind[1] != 0) throw std::runtime_error(agreed + " (rank " + std::to_string(first) + ")");
    throw InputError(agreed);
}

}  // namespace

void agree_on_input(MPI_Comm comm, const std::function<void()>& step) { agree(comm, step, false); }

void agree_on_outcome(MPI_Comm comm, const std::function<void()>& step) { agree(comm, step, true); }

void abort_job(int exit_code) {
    if (mpi_active() && mpi_size() > 1) MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::exit(exit_code);
}

}  // namespace tilebragg
