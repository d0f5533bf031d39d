#include "output/hdf5/rows_encoded_elsewhere.hpp"

#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <stdexcept>

#include <tilebragg/mpi_exchange.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/thread_team.hpp>

namespace tilebragg {
namespace {

constexpr int kBlocksTag = 7303;

// For which owner's image a rank compressed rows, and the size of that message: what every
// rank learns first, so that an owner posts every receive at once, each at its place in
// one buffer.
struct RowsNote {
    int image, owner;
    std::uint64_t bytes;
};

// A message: this header, then the counts' run, then the photons' run.
struct RunsHeader {
    std::uint64_t first[2] = {0, 0}, count[2] = {0, 0}, bytes[2] = {0, 0};
};

ChunkBytes runs_message(const ImageRows& rows, const ChunkLayout& l) {
    const std::size_t nf = static_cast<std::size_t>(l.fpixels);
    const std::size_t begin = static_cast<std::size_t>(rows.slow_begin) * nf;
    const std::size_t n = static_cast<std::size_t>(rows.rows) * nf;
    const std::size_t chunk = nf * static_cast<std::size_t>(l.spixels);
    BlockRun runs[2];
    encode_bitshuffle_blocks(rows.counts, begin, n, chunk, sizeof(std::uint16_t), runs[0]);
    encode_bitshuffle_blocks(rows.photons, begin, n, chunk, sizeof(float), runs[1]);
    RunsHeader h;
    for (int k = 0; k < 2; ++k) {
        h.first[k] = runs[k].first;
        h.count[k] = runs[k].count;
        h.bytes[k] = runs[k].bytes.size();
    }
    ChunkBytes message(sizeof h + runs[0].bytes.size() + runs[1].bytes.size());
    std::memcpy(message.data(), &h, sizeof h);
    std::memcpy(message.data() + sizeof h, runs[0].bytes.data(), runs[0].bytes.size());
    std::memcpy(message.data() + sizeof h + runs[0].bytes.size(), runs[1].bytes.data(), runs[1].bytes.size());
    return message;
}

// Adds the runs of a message (left where it is) to `given`; false when it is malformed.
bool take_runs(const unsigned char* message, std::size_t size, GivenBlocks& given) {
    RunsHeader h;
    if (size < sizeof h) return false;
    std::memcpy(&h, message, sizeof h);
    if (h.bytes[0] > size - sizeof h || h.bytes[1] != size - sizeof h - h.bytes[0]) return false;
    const unsigned char* at = message + sizeof h;
    std::vector<BlockRunView>* into[2] = {&given.counts, &given.photons};
    for (int k = 0; k < 2; ++k) {
        if (h.count[k] > 0)
            into[k]->push_back({static_cast<std::size_t>(h.first[k]), static_cast<std::size_t>(h.count[k]), at,
                                static_cast<std::size_t>(h.bytes[k])});
        at += h.bytes[k];
    }
    return true;
}

}  // namespace

BlocksFromRows encode_rows_for_owners(const std::vector<FinishedImage>& mine, const std::vector<ImageRows>& rows,
                                      const ChunkLayout& l, ChunkBytes& inbox, MPI_Comm comm) {
    BlocksFromRows out;
    out.given.resize(mine.size());
    // The layout is the same on every rank, so every rank makes the same choice here.
    if (!mpi_active() || !blocks_can_be_given(l)) return out;
    const int rank = mpi_rank(comm);

    // A failure here is kept until every message has gone: an empty message (no blocks)
    // lets the owner compress everything itself.
    std::vector<ChunkBytes> messages(rows.size());
    std::exception_ptr failed;
    std::size_t pixels = 0;
    for (const ImageRows& t : rows) pixels += static_cast<std::size_t>(t.rows) * static_cast<std::size_t>(l.fpixels);
    auto encode = [&](std::size_t k) {
        try {
            messages[k] = runs_message(rows[k], l);
        } catch (...) {
#pragma omp critical(tilebragg_rows_encoded_elsewhere)
            if (!failed) failed = std::current_exception();
            RunsHeader empty;
            messages[k].resize(sizeof empty);
            std::memcpy(messages[k].data(), &empty, sizeof empty);
        }
    };
    if (rows.size() > 1 && pixels >= kThreadTeamMinPixels) {
#pragma omp parallel for schedule(dynamic)
        for (long k = 0; k < static_cast<long>(rows.size()); ++k) encode(static_cast<std::size_t>(k));
    } else {
        // Not in a parallel region that does not run in parallel: each block run may then use
        // a team of its own (not a nested one).
        for (std::size_t k = 0; k < rows.size(); ++k) encode(k);
    }
    std::vector<RowsNote> notes;
    notes.reserve(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) notes.push_back({rows[k].image, rows[k].owner, messages[k].size()});
    std::vector<int> per_rank;
    const std::vector<RowsNote> all = allgather_all(notes, comm, &per_rank);

    // The messages for this rank, each at its place in the inbox (reused from wave to
    // wave, so that receiving touches no fresh memory).
    struct Arriving {
        int from, image;
        std::size_t offset, bytes;
    };
    std::vector<Arriving> arriving;
    std::size_t inbox_bytes = 0;
    std::size_t at = 0;
    for (int r = 0; r < static_cast<int>(per_rank.size()); ++r)
        for (int k = 0; k < per_rank[static_cast<std::size_t>(r)]; ++k) {
            const RowsNote& note = all[at++];
            if (r == rank || note.owner != rank) continue;
            arriving.push_back({r, note.image, inbox_bytes, static_cast<std::size_t>(note.bytes)});
            inbox_bytes += static_cast<std::size_t>(note.bytes);
        }
    if (inbox.size() < inbox_bytes) inbox.resize(inbox_bytes);
    std::vector<MPI_Request> requests;
    requests.reserve(arriving.size() + rows.size());
    // Between two ranks, messages of one tag arrive in the order they were sent (the
    // sender's notes' order), so each receive gets the message its note describes.
    for (const Arriving& a : arriving) {
        requests.emplace_back();
        MPI_Irecv(inbox.data() + a.offset, static_cast<int>(a.bytes), MPI_BYTE, a.from, kBlocksTag, comm,
                  &requests.back());
    }
    std::map<int, std::size_t> index_of;
    for (std::size_t k = 0; k < mine.size(); ++k) index_of[mine[k].image] = k;
    bool malformed = false;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        if (rows[k].owner == rank) continue;
        requests.emplace_back();
        MPI_Isend(messages[k].data(), static_cast<int>(messages[k].size()), MPI_BYTE, rows[k].owner, kBlocksTag, comm,
                  &requests.back());
    }
    MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);

    // This rank's own runs stay in their messages, kept with the result.
    for (std::size_t k = 0; k < rows.size(); ++k) {
        if (rows[k].owner != rank) continue;
        const auto image = index_of.find(rows[k].image);
        if (image == index_of.end()) continue;
        out.kept.push_back(std::move(messages[k]));
        const ChunkBytes& m = out.kept.back();
        if (!take_runs(m.data(), m.size(), out.given[image->second])) malformed = true;
    }
    for (const Arriving& a : arriving) {
        const auto image = index_of.find(a.image);
        if (image != index_of.end() && !take_runs(inbox.data() + a.offset, a.bytes, out.given[image->second]))
            malformed = true;
    }
    if (failed) std::rethrow_exception(failed);
    if (malformed) throw std::runtime_error("a compressed block run received from another rank is malformed");
    return out;
}

}  // namespace tilebragg
