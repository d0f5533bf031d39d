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

// Which rows of which image a rank holds for which owner: what every rank learns first, so
// that an owner knows which messages to wait for.
struct RowsNote {
    int image, owner, slow_begin, rows;
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

// Adds the runs of a message to `given`; false when it is malformed.
bool take_runs(const ChunkBytes& message, GivenBlocks& given) {
    RunsHeader h;
    if (message.size() < sizeof h) return false;
    std::memcpy(&h, message.data(), sizeof h);
    if (h.bytes[0] > message.size() - sizeof h || h.bytes[1] != message.size() - sizeof h - h.bytes[0]) return false;
    const unsigned char* at = message.data() + sizeof h;
    std::vector<BlockRun>* into[2] = {&given.counts, &given.photons};
    for (int k = 0; k < 2; ++k) {
        if (h.count[k] > 0) {
            BlockRun run;
            run.first = static_cast<std::size_t>(h.first[k]);
            run.count = static_cast<std::size_t>(h.count[k]);
            run.bytes.assign(at, at + h.bytes[k]);
            into[k]->push_back(std::move(run));
        }
        at += h.bytes[k];
    }
    return true;
}

}  // namespace

std::vector<GivenBlocks> encode_rows_for_owners(const std::vector<FinishedImage>& mine,
                                                const std::vector<ImageRows>& rows, const ChunkLayout& l,
                                                MPI_Comm comm) {
    std::vector<GivenBlocks> given(mine.size());
    // The layout is the same on every rank, so every rank makes the same choice here.
    if (!mpi_active() || !blocks_can_be_given(l)) return given;
    const int rank = mpi_rank(comm);
    std::vector<RowsNote> notes;
    notes.reserve(rows.size());
    for (const ImageRows& t : rows) notes.push_back({t.image, t.owner, t.slow_begin, t.rows});
    std::vector<int> per_rank;
    const std::vector<RowsNote> all = allgather_all(notes, comm, &per_rank);

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
    // Runs of this rank's own images are kept; the others go to their owners.
    std::map<int, std::size_t> index_of;
    for (std::size_t k = 0; k < mine.size(); ++k) index_of[mine[k].image] = k;
    bool malformed = false;
    std::vector<MPI_Request> sends;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        if (rows[k].owner == rank) {
            const auto image = index_of.find(rows[k].image);
            if (image != index_of.end() && !take_runs(messages[k], given[image->second])) malformed = true;
            continue;
        }
        sends.emplace_back();
        MPI_Isend(messages[k].data(), static_cast<int>(messages[k].size()), MPI_BYTE, rows[k].owner, kBlocksTag, comm,
                  &sends.back());
    }

    // Each rank's messages arrive in the order it sent them (its notes' order).
    std::size_t at = 0;
    for (int r = 0; r < static_cast<int>(per_rank.size()); ++r)
        for (int k = 0; k < per_rank[static_cast<std::size_t>(r)]; ++k) {
            const RowsNote& note = all[at++];
            if (r == rank || note.owner != rank) continue;
            MPI_Message handle;
            MPI_Status status;
            MPI_Mprobe(r, kBlocksTag, comm, &handle, &status);
            int bytes = 0;
            MPI_Get_count(&status, MPI_BYTE, &bytes);
            ChunkBytes message(static_cast<std::size_t>(bytes));
            MPI_Mrecv(message.data(), bytes, MPI_BYTE, &handle, MPI_STATUS_IGNORE);
            const auto image = index_of.find(note.image);
            if (image != index_of.end() && !take_runs(message, given[image->second])) malformed = true;
        }
    MPI_Waitall(static_cast<int>(sends.size()), sends.data(), MPI_STATUSES_IGNORE);
    if (failed) std::rethrow_exception(failed);
    if (malformed) throw std::runtime_error("a compressed block run received from another rank is malformed");
    return given;
}

}  // namespace tilebragg
