#include <tilebragg/work_dispenser.hpp>

#include <algorithm>
#include <exception>
#include <utility>

#include <tilebragg/mpi_session.hpp>

namespace tilebragg {
namespace {
constexpr int kNextSlot = 0, kFinishedSlot = 1, kStoppedSlot = 2, kSlots = 3;
}

WorkDispenser::WorkDispenser(MPI_Comm comm, Schedule schedule, long items)
    : schedule_(schedule), items_(items), local_(static_cast<std::size_t>(kSlots), 0) {
    const int rank = mpi_rank(comm), size = mpi_size(comm);
    if (schedule_ == Schedule::Static) mine_ = block_cyclic_items(items, size, rank, default_block(items, size));
    if (!mpi_active()) {
        counters_ = local_.data();
        return;
    }
    const MPI_Aint bytes = rank == 0 ? static_cast<MPI_Aint>(local_.size() * sizeof(long)) : 0;
    MPI_Win_allocate(bytes, sizeof(long), MPI_INFO_NULL, comm, &counters_, &win_);
    if (rank == 0) std::fill(counters_, counters_ + local_.size(), 0L);
    // The counters must be zero before anyone takes from them.
    MPI_Barrier(comm);
    MPI_Win_lock_all(0, win_);
}

WorkDispenser::~WorkDispenser() {
    // Freeing the window is collective: a rank leaving by an exception the others do
    // not share must not wait for them here (the job is ended by its caller).
    if (win_ == MPI_WIN_NULL || std::uncaught_exceptions() > 0) return;
    MPI_Win_unlock_all(win_);
    MPI_Win_free(&win_);
}

long WorkDispenser::fetch_add(int slot, long amount) {
    if (win_ == MPI_WIN_NULL) return std::exchange(counters_[slot], counters_[slot] + amount);
    long before = 0;
    MPI_Fetch_and_op(&amount, &before, MPI_LONG, 0, slot, amount == 0 ? MPI_NO_OP : MPI_SUM, win_);
    MPI_Win_flush(0, win_);
    return before;
}

bool WorkDispenser::next(long& item) {
    if (schedule_ == Schedule::Static) {
        if (cursor_ >= mine_.size()) return false;
        item = mine_[cursor_++];
        return true;
    }
    item = fetch_add(kNextSlot, 1);
    return item < items_;
}

void WorkDispenser::finished(long n) { fetch_add(kFinishedSlot, n); }

long WorkDispenser::finished_total() { return fetch_add(kFinishedSlot, 0); }

void WorkDispenser::stop() { fetch_add(kStoppedSlot, 1); }

long WorkDispenser::ranks_stopped() { return fetch_add(kStoppedSlot, 0); }

}  // namespace tilebragg
