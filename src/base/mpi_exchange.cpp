#include <tilebragg/mpi_exchange.hpp>

#include <cstdint>

namespace tilebragg {
namespace {

// Strings as one byte stream: a 64-bit length before each.
std::vector<char> pack(const std::vector<std::string>& values) {
    std::vector<char> out;
    for (const std::string& v : values) {
        const std::uint64_t n = v.size();
        const char* p = reinterpret_cast<const char*>(&n);
        out.insert(out.end(), p, p + sizeof n);
        out.insert(out.end(), v.begin(), v.end());
    }
    return out;
}

std::vector<std::string> unpack(const std::vector<char>& bytes) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at + sizeof(std::uint64_t) <= bytes.size()) {
        std::uint64_t n = 0;
        std::memcpy(&n, bytes.data() + at, sizeof n);
        at += sizeof n;
        out.emplace_back(bytes.data() + at, static_cast<std::size_t>(n));
        at += static_cast<std::size_t>(n);
    }
    return out;
}

}  // namespace

std::vector<char> allgather_bytes(const void* data, std::size_t bytes, MPI_Comm comm,
                                  std::vector<std::size_t>* counts) {
    const char* p = static_cast<const char*>(data);
    if (!mpi_active()) {
        if (counts) *counts = {bytes};
        return std::vector<char>(p, p + bytes);
    }
    const int size = mpi_size(comm);
    // Counts as 64-bit, so that no exchange overflows an int on the way to the byte count.
    long long mine = static_cast<long long>(bytes);
    std::vector<long long> all(static_cast<std::size_t>(size));
    MPI_Allgather(&mine, 1, MPI_LONG_LONG, all.data(), 1, MPI_LONG_LONG, comm);
    std::vector<int> c(static_cast<std::size_t>(size)), d(static_cast<std::size_t>(size));
    long long total = 0;
    for (int r = 0; r < size; ++r) {
        c[static_cast<std::size_t>(r)] = static_cast<int>(all[static_cast<std::size_t>(r)]);
        d[static_cast<std::size_t>(r)] = static_cast<int>(total);
        total += all[static_cast<std::size_t>(r)];
    }
    std::vector<char> out(static_cast<std::size_t>(total));
    MPI_Allgatherv(p, static_cast<int>(bytes), MPI_BYTE, out.data(), c.data(), d.data(), MPI_BYTE, comm);
    if (counts) {
        counts->clear();
        for (long long n : all) counts->push_back(static_cast<std::size_t>(n));
    }
    return out;
}

std::vector<std::string> allgather_strings(const std::vector<std::string>& mine, MPI_Comm comm) {
    const std::vector<char> packed = pack(mine);
    return unpack(allgather_bytes(packed.data(), packed.size(), comm));
}

void broadcast_strings(std::vector<std::string>& values, int root, MPI_Comm comm) {
    if (!mpi_active()) return;
    std::vector<char> packed = mpi_rank(comm) == root ? pack(values) : std::vector<char>();
    long long n = static_cast<long long>(packed.size());
    MPI_Bcast(&n, 1, MPI_LONG_LONG, root, comm);
    packed.resize(static_cast<std::size_t>(n));
    MPI_Bcast(packed.data(), static_cast<int>(n), MPI_BYTE, root, comm);
    values = unpack(packed);
}

}  // namespace tilebragg
