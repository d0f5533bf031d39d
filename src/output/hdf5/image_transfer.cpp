#include "output/hdf5/image_transfer.hpp"

#include <climits>
#include <cstdint>
#include <exception>
#include <stdexcept>

#include <tilebragg/mpi_exchange.hpp>
#include <tilebragg/mpi_session.hpp>

namespace tilebragg {
namespace {

constexpr int kChunkTag = 7401;

// What rank 0 must know before the chunks arrive, per image: its number and checksums,
// how many chunks of each dataset, and their sizes.
void describe(const EncodedImage& e, std::vector<std::uint64_t>& out) {
    out.push_back(static_cast<std::uint64_t>(e.sums.image));
    out.push_back(e.sums.counts);
    out.push_back(e.sums.photons);
    out.push_back(e.counts.size());
    out.push_back(e.photons.size());
    for (const auto& c : e.counts) out.push_back(c.size());
    for (const auto& c : e.photons) out.push_back(c.size());
}

int message_size(std::size_t bytes) {
    // A chunk is at most 1 GiB before compression (image_datasets.cpp).
    if (bytes > static_cast<std::size_t>(INT_MAX)) throw std::runtime_error("an image chunk over 2 GiB");
    return static_cast<int>(bytes);
}

}  // namespace

int bring_images_to_writer(std::vector<EncodedImage>& mine, MPI_Comm comm,
                           const std::function<void(EncodedImage&)>& take) {
    const int rank = mpi_rank(comm), ranks = mpi_size(comm);
    std::exception_ptr failed;
    auto take_kept = [&](EncodedImage& e) {
        if (failed) return;
        try {
            take(e);
        } catch (...) {
            failed = std::current_exception();
        }
    };
    if (ranks == 1 || !mpi_active()) {
        for (EncodedImage& e : mine) take_kept(e);
        if (failed) std::rethrow_exception(failed);
        return static_cast<int>(mine.size());
    }
    std::vector<std::uint64_t> header;
    for (const EncodedImage& e : mine) describe(e, header);
    std::vector<int> per_rank;
    const std::vector<std::uint64_t> all = allgather_all(header, comm, &per_rank);
    // Each image's description is 5 numbers and one per chunk.
    int images = 0;
    for (std::size_t at = 0; at < all.size(); at += 5 + all[at + 3] + all[at + 4]) ++images;

    if (rank != 0) {
        std::vector<MPI_Request> sent;
        for (const EncodedImage& e : mine)
            for (const auto* chunks : {&e.counts, &e.photons})
                for (const auto& c : *chunks) {
                    sent.emplace_back();
                    MPI_Isend(c.data(), message_size(c.size()), MPI_BYTE, 0, kChunkTag, comm, &sent.back());
                }
        MPI_Waitall(static_cast<int>(sent.size()), sent.data(), MPI_STATUSES_IGNORE);
        return images;
    }
    for (EncodedImage& e : mine) take_kept(e);
    std::size_t at = static_cast<std::size_t>(per_rank[0]);
    EncodedImage e;
    for (int from = 1; from < ranks; ++from) {
        const std::size_t end = at + static_cast<std::size_t>(per_rank[static_cast<std::size_t>(from)]);
        while (at < end) {
            e.sums.image = static_cast<int>(all[at]);
            e.sums.counts = all[at + 1];
            e.sums.photons = all[at + 2];
            e.counts.resize(all[at + 3]);
            e.photons.resize(all[at + 4]);
            at += 5;
            for (auto* chunks : {&e.counts, &e.photons})
                for (auto& c : *chunks) {
                    c.resize(all[at++]);
                    MPI_Recv(c.data(), message_size(c.size()), MPI_BYTE, from, kChunkTag, comm, MPI_STATUS_IGNORE);
                }
            take_kept(e);
        }
    }
    if (failed) std::rethrow_exception(failed);
    return images;
}

}  // namespace tilebragg
