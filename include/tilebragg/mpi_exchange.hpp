#pragma once
// Small collective exchanges of plain data between the ranks of a job, with the obvious
// meaning on a job of one process (MPI not started): what the driver needs to agree on
// lists (who rendered what, image records, log text) without spelling out counts and
// displacements each time.
#include <mpi.h>

#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include <tilebragg/mpi_session.hpp>

namespace tilebragg {

// Every rank's bytes, concatenated in rank order, on every rank; `counts` (optional)
// gets each rank's byte count.
std::vector<char> allgather_bytes(const void* data, std::size_t bytes, MPI_Comm comm,
                                  std::vector<std::size_t>* counts = nullptr);

// Every rank's elements, in rank order, on every rank. T must be trivially copyable.
template <typename T>
std::vector<T> allgather_all(const std::vector<T>& mine, MPI_Comm comm, std::vector<int>* per_rank = nullptr) {
    static_assert(std::is_trivially_copyable_v<T>, "plain data only");
    std::vector<std::size_t> counts;
    const std::vector<char> bytes = allgather_bytes(mine.data(), mine.size() * sizeof(T), comm, &counts);
    std::vector<T> out(bytes.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
    if (per_rank) {
        per_rank->clear();
        for (std::size_t c : counts) per_rank->push_back(static_cast<int>(c / sizeof(T)));
    }
    return out;
}

// Each rank's strings, all of them on every rank (in rank order).
std::vector<std::string> allgather_strings(const std::vector<std::string>& mine, MPI_Comm comm);

// `values` from `root` on every rank.
void broadcast_strings(std::vector<std::string>& values, int root, MPI_Comm comm);

}  // namespace tilebragg
