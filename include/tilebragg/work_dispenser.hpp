#pragma once
// Hands work items to the ranks of a job and counts the finished ones.
// Static: each rank walks its own block-cyclic list. Dynamic: the next item number is
// a counter in an MPI window on rank 0, claimed with an atomic fetch-and-add, so a rank
// that finishes early simply takes more. Either way a second counter records finished
// items so that rank 0 can show progress for the whole job, and a third counts the ranks
// that have stopped taking work.
#include <mpi.h>

#include <vector>

#include <tilebragg/work_items.hpp>

namespace tilebragg {

class WorkDispenser {
public:
    // Collective over `comm`.
    WorkDispenser(MPI_Comm comm, Schedule schedule, long items);
    ~WorkDispenser();  // collective (frees the window)
    WorkDispenser(const WorkDispenser&) = delete;
    WorkDispenser& operator=(const WorkDispenser&) = delete;

    // The next item for this rank; false when there is none left.
    bool next(long& item);
    // Adds `n` to the job-wide count of finished items.
    void finished(long n = 1);
    // Items finished so far by all ranks (a snapshot).
    long finished_total();
    // This rank takes no more work; ranks_stopped() counts such ranks.
    void stop();
    long ranks_stopped();

private:
    long fetch_add(int slot, long amount);
    Schedule schedule_;
    long items_;
    std::vector<long> mine_;
    std::size_t cursor_ = 0;
    MPI_Win win_ = MPI_WIN_NULL;
    long* counters_ = nullptr;  // in the window on rank 0, or local_ without MPI
    std::vector<long> local_;
};

}  // namespace tilebragg
