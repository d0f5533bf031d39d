// The driver's MPI helpers in a process that never initialised MPI (a plain run without
// mpirun): one rank, local counters, errors thrown straight through.
#include <gtest/gtest.h>

#include <vector>

#include <tilebragg/errors.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/work_dispenser.hpp>

namespace tilebragg {
namespace {

TEST(SerialJob, IsOneRankWithoutMpi) {
    ASSERT_FALSE(mpi_active());
    EXPECT_EQ(mpi_rank(), 0);
    EXPECT_EQ(mpi_size(), 1);
}

TEST(SerialJob, DispenserHandsOutEveryItemInOrder) {
    for (Schedule s : {Schedule::Static, Schedule::Dynamic}) {
        WorkDispenser d(MPI_COMM_WORLD, s, 5);
        std::vector<long> taken;
        long item = -1;
        while (d.next(item)) {
            taken.push_back(item);
            d.finished();
        }
        EXPECT_EQ(taken, (std::vector<long>{0, 1, 2, 3, 4}));
        EXPECT_EQ(d.finished_total(), 5);
    }
}

TEST(SerialJob, AgreeOnInputRethrowsTheError) {
    EXPECT_THROW(agree_on_input(MPI_COMM_WORLD, [] { throw InputError("bad flag"); }), InputError);
    EXPECT_NO_THROW(agree_on_input(MPI_COMM_WORLD, [] {}));
}

}  // namespace
}  // namespace tilebragg
