#include <tilebragg/mpi_session.hpp>

#include <unistd.h>

#include <chrono>
#include <climits>
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

void agree_on_input(MPI_Comm comm, const std::function<void()>& step) {
    if (!mpi_active()) {
        step();
        return;
    }
    const int rank = mpi_rank(comm), size = mpi_size(comm);
    std::string message;
    int failed_rank = size;
    try {
        step();
    } catch (const InputError& e) {
        message = e.what();
        failed_rank = rank;
    }
    int first = size;
    MPI_Allreduce(&failed_rank, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == size) return;
    int length = static_cast<int>(message.size());
    MPI_Bcast(&length, 1, MPI_INT, first, comm);
    std::vector<char> text(message.begin(), message.end());
    text.resize(static_cast<std::size_t>(length));
    MPI_Bcast(text.data(), length, MPI_CHAR, first, comm);
    throw InputError(std::string(text.begin(), text.end()));
}

void abort_job(int exit_code) {
    if (mpi_active() && mpi_size() > 1) MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::exit(exit_code);
}

}  // namespace tilebragg
