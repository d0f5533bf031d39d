#pragma once
// Ranks that share cores: each rank looks at the CPU affinity of its OpenMP threads, the
// ranks of a node add theirs up, and rank 0 prints one warning when some CPU carries more
// than one thread. The usual cause is a launcher that binds nothing while OMP_PROC_BIND
// binds every rank's threads to the same first places (16 ranks x 1 thread then ran on
// one core: 8.7 s instead of 0.64 s), or --bind-to core with several threads per rank.
#include <mpi.h>

#include <string>
#include <vector>

namespace tilebragg {

// Threads per CPU on one node, as the affinity masks say: a thread allowed on n CPUs
// counts 1/n on each of them (what an even scheduler would give it).
struct ThreadLoad {
    std::vector<double> per_cpu;  // indexed by CPU number
    int ranks = 0;
    int threads = 0;
    bool omp_binds = false;  // some rank's OpenMP runtime binds its threads (OMP_PROC_BIND)

    void add(const ThreadLoad& other);
    double busiest() const;  // the largest per_cpu entry, 0 when empty
    int cpus() const;        // CPUs any thread may run on
};

// This rank: one parallel region of omp_get_max_threads() threads, each reading its own
// affinity mask.
ThreadLoad rank_thread_load();

// The warning for a node ("" when no CPU carries more than one thread), one line.
std::string core_sharing_warning(const ThreadLoad& node, const std::string& host, int nodes_sharing);

// Collective over `comm`, called by every rank (a GPU rank too, with `cpu_threads_busy`
// false: its threads wait for the device and count for nothing): adds up the ranks of
// each node and prints the warning of the busiest node on rank 0's stderr. Does nothing
// for a job of one rank (a single process on a busy machine is the operating system's
// business, not the launcher's).
void warn_if_ranks_share_cores(MPI_Comm comm, bool cpu_threads_busy = true);

}  // namespace tilebragg
