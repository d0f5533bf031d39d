// The core-sharing warning's wording and threshold (the MPI test mpi.core_sharing_np2
// checks that real affinity masks produce it).
#include <gtest/gtest.h>

#include <tilebragg/core_sharing.hpp>

namespace tilebragg {
namespace {

ThreadLoad load_of(std::vector<double> per_cpu, int ranks, int threads, bool omp_binds = false) {
    ThreadLoad l;
    l.per_cpu = std::move(per_cpu);
    l.ranks = ranks;
    l.threads = threads;
    l.omp_binds = omp_binds;
    return l;
}

TEST(CoreSharing, NoWarningWhenEveryCpuHasAtMostOneThread) {
    // 16 ranks of one unbound thread on 16 CPUs: 16 x 1/16 on each.
    ThreadLoad node = load_of(std::vector<double>(16, 0.0), 0, 0);
    for (int r = 0; r < 16; ++r) node.add(load_of(std::vector<double>(16, 1.0 / 16), 1, 1));
    EXPECT_EQ(node.ranks, 16);
    EXPECT_EQ(node.cpus(), 16);
    EXPECT_NEAR(node.busiest(), 1.0, 1e-12);
    EXPECT_EQ(core_sharing_warning(node, "host", 1), "");
}

TEST(CoreSharing, RanksBoundToTheSameCpuAreNamed) {
    ThreadLoad node;
    for (int r = 0; r < 16; ++r) node.add(load_of({1.0, 0.0, 0.0}, 1, 1, true));
    const std::string w = core_sharing_warning(node, "node7", 1);
    EXPECT_NE(w.find("warning: ranks share cores on node7"), std::string::npos) << w;
    EXPECT_NE(w.find("16 ranks with 16 threads in all may run on 1 CPU, up to 16 threads per CPU"), std::string::npos)
        << w;
    EXPECT_NE(w.find("OMP_PROC_BIND"), std::string::npos) << w;
    EXPECT_EQ(w.find('\n'), std::string::npos) << "one line";
}

TEST(CoreSharing, MoreThreadsThanTheRankMaySitOn) {
    // Two ranks bound to a core each, two threads per rank.
    ThreadLoad node;
    node.add(load_of({2.0, 0.0}, 1, 2));
    node.add(load_of({0.0, 2.0}, 1, 2));
    const std::string w = core_sharing_warning(node, "h", 3);
    EXPECT_NE(w.find("2 ranks with 4 threads in all may run on 2 CPUs, up to 2 threads per CPU"), std::string::npos)
        << w;
    EXPECT_NE(w.find("and 2 more nodes"), std::string::npos) << w;
    EXPECT_NE(w.find("--bind-to core"), std::string::npos) << w;
}

}  // namespace
}  // namespace tilebragg
