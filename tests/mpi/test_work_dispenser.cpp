// The dispenser under several ranks: every work item is handed out exactly once, under
// both schedules, and the finished count adds up over all ranks.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <vector>

#include <tilebragg/errors.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/work_dispenser.hpp>

namespace tilebragg {
namespace {

// Item numbers taken by all ranks, gathered on every rank.
std::vector<long> all_taken(Schedule schedule, long items) {
    std::vector<long> mine;
    {
        WorkDispenser d(MPI_COMM_WORLD, schedule, items);
        long item = 0;
        while (d.next(item)) {
            mine.push_back(item);
            d.finished();
        }
        MPI_Barrier(MPI_COMM_WORLD);
        EXPECT_EQ(d.finished_total(), items);
        MPI_Barrier(MPI_COMM_WORLD);  // everyone has read the count before the window goes
    }
    const int size = mpi_size();
    int count = static_cast<int>(mine.size());
    std::vector<int> counts(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
    MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
    int total = 0;
    for (int r = 0; r < size; ++r) offsets[r] = total, total += counts[r];
    std::vector<long> all(static_cast<std::size_t>(total));
    MPI_Allgatherv(mine.data(), count, MPI_LONG, all.data(), counts.data(), offsets.data(), MPI_LONG, MPI_COMM_WORLD);
    return all;
}

void expect_each_item_once(std::vector<long> taken, long items) {
    std::sort(taken.begin(), taken.end());
    ASSERT_EQ(static_cast<long>(taken.size()), items);
    for (long i = 0; i < items; ++i) EXPECT_EQ(taken[static_cast<std::size_t>(i)], i);
}

TEST(WorkDispenser, DynamicHandsOutEveryItemOnce) { expect_each_item_once(all_taken(Schedule::Dynamic, 97), 97); }

TEST(WorkDispenser, StaticHandsOutEveryItemOnce) { expect_each_item_once(all_taken(Schedule::Static, 97), 97); }

TEST(WorkDispenser, CopesWithFewerItemsThanRanks) {
    expect_each_item_once(all_taken(Schedule::Dynamic, 1), 1);
    expect_each_item_once(all_taken(Schedule::Static, 1), 1);
    expect_each_item_once(all_taken(Schedule::Dynamic, 0), 0);
}

TEST(AgreeOnInput, EveryRankThrowsTheMessageOfTheLowestFailingRank) {
    const int rank = mpi_rank(), size = mpi_size();
    const int failing = size - 1;  // only the last rank fails
    std::string message;
    try {
        agree_on_input(MPI_COMM_WORLD, [&] {
            if (rank == failing) throw InputError("rank " + std::to_string(failing) + " cannot read its input");
        });
    } catch (const InputError& e) {
        message = e.what();
    }
    EXPECT_EQ(message, "rank " + std::to_string(failing) + " cannot read its input");
}

TEST(AgreeOnInput, PassesWhenNoRankFails) {
    EXPECT_NO_THROW(agree_on_input(MPI_COMM_WORLD, [] {}));
}

}  // namespace
}  // namespace tilebragg
