#include <tilebragg/core_sharing.hpp>

#include <omp.h>
#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include <tilebragg/mpi_session.hpp>

namespace tilebragg {
namespace {

// A CPU counts as shared above one thread; the slack absorbs the sums of 1/n.
constexpr double kSharedAbove = 1.0 + 1e-6;

}  // namespace

void ThreadLoad::add(const ThreadLoad& other) {
    if (per_cpu.size() < other.per_cpu.size()) per_cpu.resize(other.per_cpu.size(), 0.0);
    for (std::size_t c = 0; c < other.per_cpu.size(); ++c) per_cpu[c] += other.per_cpu[c];
    ranks += other.ranks;
    threads += other.threads;
    omp_binds = omp_binds || other.omp_binds;
}

double ThreadLoad::busiest() const { return per_cpu.empty() ? 0.0 : *std::max_element(per_cpu.begin(), per_cpu.end()); }

int ThreadLoad::cpus() const {
    return static_cast<int>(std::count_if(per_cpu.begin(), per_cpu.end(), [](double v) { return v > 0; }));
}

ThreadLoad rank_thread_load() {
    ThreadLoad load;
    load.per_cpu.assign(CPU_SETSIZE, 0.0);
    load.ranks = 1;
    load.threads = omp_get_max_threads();
    load.omp_binds = omp_get_proc_bind() != omp_proc_bind_false;
    std::vector<cpu_set_t> masks(static_cast<std::size_t>(load.threads));
    std::vector<int> ok(masks.size(), 0);
    // The same team the renderer's parallel loops get, bound the way they are bound.
#pragma omp parallel num_threads(load.threads)
    {
        const int t = omp_get_thread_num();
        CPU_ZERO(&masks[t]);
        ok[t] = sched_getaffinity(0, sizeof(cpu_set_t), &masks[t]) == 0;
    }
    for (std::size_t t = 0; t < masks.size(); ++t) {
        if (!ok[t]) continue;  // unknown: count nothing rather than guess
        const int n = CPU_COUNT(&masks[t]);
        for (int c = 0; c < CPU_SETSIZE && n > 0; ++c)
            if (CPU_ISSET(c, &masks[t])) load.per_cpu[static_cast<std::size_t>(c)] += 1.0 / n;
    }
    return load;
}

std::string core_sharing_warning(const ThreadLoad& node, const std::string& host, int nodes_sharing) {
    const double busiest = node.busiest();
    if (busiest <= kSharedAbove) return "";
    std::ostringstream s;
    s.precision(3);
    s << "tilebragg: warning: ranks share cores on " << host << ": " << node.ranks << " rank"
      << (node.ranks == 1 ? "" : "s") << " with " << node.threads << " thread" << (node.threads == 1 ? "" : "s")
      << " in all may run on " << node.cpus() << " CPU" << (node.cpus() == 1 ? "" : "s") << ", up to " << busiest
      << " threads per CPU";
    if (nodes_sharing > 1) s << " (and " << nodes_sharing - 1 << " more node" << (nodes_sharing > 2 ? "s" : "") << ")";
    s << "; each thread needs a core of its own";
    if (node.omp_binds)
        s << " (OMP_PROC_BIND is set: with mpirun --bind-to none every rank's threads take the same first cores)";
    else
        s << " (e.g. mpirun --bind-to core with OMP_NUM_THREADS=1, or --map-by slot:PE=<threads>)";
    return s.str();
}

void warn_if_ranks_share_cores(MPI_Comm comm, bool cpu_threads_busy) {
#ifdef TILEBRAGG_SINGLE_PROCESS
    // The program without MPI is one rank (src/front/): nothing to share with.
    (void)comm;
    (void)cpu_threads_busy;
#else
    if (!mpi_active() || mpi_size(comm) < 2) return;
    const int rank = mpi_rank(comm);
    MPI_Comm node_comm = MPI_COMM_NULL;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node_comm);
    const bool leader = mpi_rank(node_comm) == 0;

    // The node's sum, on its first rank.
    ThreadLoad mine = rank_thread_load();
    // A rank whose work runs elsewhere (a GPU's) adds no load, but takes part in the sums.
    if (!cpu_threads_busy) {
        std::fill(mine.per_cpu.begin(), mine.per_cpu.end(), 0.0);
        mine.threads = 0;
    }
    ThreadLoad node = mine;
    int counts[3] = {mine.ranks, mine.threads, mine.omp_binds ? 1 : 0};
    int node_counts[3] = {0, 0, 0};
    MPI_Reduce(mine.per_cpu.data(), leader ? node.per_cpu.data() : nullptr, static_cast<int>(mine.per_cpu.size()),
               MPI_DOUBLE, MPI_SUM, 0, node_comm);
    MPI_Reduce(counts, node_counts, 3, MPI_INT, MPI_SUM, 0, node_comm);
    MPI_Comm_free(&node_comm);
    node.ranks = node_counts[0];
    node.threads = node_counts[1];
    node.omp_binds = node_counts[2] > 0;

    // The busiest node tells rank 0 its line.
    struct {
        double load;
        int rank;
    } worst{leader ? node.busiest() : 0.0, rank}, busiest{0.0, 0};
    MPI_Allreduce(&worst, &busiest, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm);
    int sharing = leader && node.busiest() > kSharedAbove ? 1 : 0, nodes_sharing = 0;
    MPI_Allreduce(&sharing, &nodes_sharing, 1, MPI_INT, MPI_SUM, comm);
    if (nodes_sharing == 0) return;
    std::string line;
    if (rank == busiest.rank) line = core_sharing_warning(node, host_name(), nodes_sharing);
    if (busiest.rank != 0) {
        if (rank == busiest.rank) {
            MPI_Send(line.data(), static_cast<int>(line.size()), MPI_CHAR, 0, 0, comm);
        } else if (rank == 0) {
            MPI_Status status;
            MPI_Probe(busiest.rank, 0, comm, &status);
            int length = 0;
            MPI_Get_count(&status, MPI_CHAR, &length);
            line.resize(static_cast<std::size_t>(length));
            MPI_Recv(line.data(), length, MPI_CHAR, busiest.rank, 0, comm, MPI_STATUS_IGNORE);
        }
    }
    if (rank != 0) return;
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
#endif
}

}  // namespace tilebragg
