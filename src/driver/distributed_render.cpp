#include <tilebragg/distributed_render.hpp>

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <utility>

#include <tilebragg/kernel.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/progress.hpp>
#include <tilebragg/work_dispenser.hpp>

namespace tilebragg {
namespace {

constexpr int kHostChars = 64;
constexpr int kItemFields = 3;   // item number, t_start, t_end
constexpr int kRankFields = 7;   // threads, tiles, pixels, compute, io, wait, total

struct LocalWork {
    std::vector<double> records;             // kItemFields per item, in render order
    std::vector<std::vector<float>> tiles;   // ranks other than 0: the rendered tiles
    RankTiming timing;
    double omega_sum = 0;
};

void copy_tile_into(std::vector<float>& image, int fpixels, const Tile& t, const float* pixels) {
    for (int s = t.slow_begin; s < t.slow_end; ++s)
        std::memcpy(image.data() + static_cast<std::size_t>(s) * fpixels + t.fast_begin,
                    pixels + static_cast<std::size_t>(s - t.slow_begin) * t.width(), sizeof(float) * t.width());
}

template <typename T>
LocalWork render_my_items(const Experiment& e, MPI_Comm comm, const RenderPlan& plan, Hdf5ImageWriter* writer,
                          std::vector<float>& image) {
    const int rank = mpi_rank(comm);
    const KernelSetup<T> k = make_kernel_setup<T>(e);
    const TileGrid grid(e.detector.fpixels, e.detector.spixels, plan.tile);
    const WorkList work(1, grid.count());
    LocalWork local;
    local.timing.rank = rank;
    local.timing.threads = omp_get_max_threads();

    WorkDispenser dispenser(comm, plan.schedule, work.count());
    Progress progress("rendering", static_cast<double>(work.count()), rank == 0 && plan.show_progress);
    long shown = 0;
    auto show = [&] {
        const long done = dispenser.finished_total();
        progress.advance(static_cast<double>(done - shown));
        shown = done;
    };

    barrier(comm);
    const double t0 = wall_seconds();
    TileSideSums sums;
    std::vector<float> buffer;
    for (;;) {
        const double ask = wall_seconds();
        long item = 0;
        const bool more = dispenser.next(item);
        local.timing.wait_s += wall_seconds() - ask;
        if (!more) break;

        const WorkItem w = work.item(item);
        const Tile tile = grid.tile(w.tile);
        buffer.assign(tile.pixels(), 0.0f);
        const double start = wall_seconds();
        render_tile(k, tile, buffer.data(), sums);
        const double end = wall_seconds();
        local.timing.compute_s += end - start;
        local.records.insert(local.records.end(), {static_cast<double>(item), start - t0, end - t0});
        ++local.timing.tiles;
        local.timing.pixels += static_cast<long>(tile.pixels());

        if (writer) {
            const double io = wall_seconds();
            writer->write_tile(plan.image + w.image, tile, buffer.data());
            local.timing.io_s += wall_seconds() - io;
        }
        if (rank == 0) copy_tile_into(image, e.detector.fpixels, tile, buffer.data());
        else local.tiles.push_back(std::move(buffer));  // kept for the gather to rank 0
        dispenser.finished();
        if (rank == 0 && plan.show_progress) show();
    }

    // Rank 0 keeps the whole job's bar moving while the others finish.
    const double idle = wall_seconds();
    if (rank == 0 && plan.show_progress) {
        while (shown < work.count()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            show();
        }
        progress.finish();
    }
    barrier(comm);
    local.timing.wait_s += wall_seconds() - idle;
    local.omega_sum = sums.omega_sum;
    local.timing.total_s = wall_seconds() - t0;  // updated after the gather below
    return local;
}

// Rank 0 receives every other rank's tiles straight into the image, one message per
// tile (a strided MPI type places the rows), so no rank holds more than its own tiles.
void gather_image(MPI_Comm comm, const TileGrid& grid, const WorkList& work, const std::vector<int>& counts,
                  const std::vector<int>& offsets, const std::vector<double>& records, LocalWork& local,
                  std::vector<float>& image) {
    const int rank = mpi_rank(comm), size = mpi_size(comm);
    if (rank != 0) {
        for (auto& tile : local.tiles) {
            MPI_Send(tile.data(), static_cast<int>(tile.size()), MPI_FLOAT, 0, 0, comm);
            std::vector<float>().swap(tile);
        }
        return;
    }
    for (int r = 1; r < size; ++r) {
        for (int i = 0; i < counts[r]; i += kItemFields) {
            const long item = static_cast<long>(records[offsets[r] + i]);
            const Tile t = grid.tile(work.item(item).tile);
            MPI_Datatype rows;
            MPI_Type_vector(t.height(), t.width(), grid.fpixels(), MPI_FLOAT, &rows);
            MPI_Type_commit(&rows);
            float* corner = image.data() + static_cast<std::size_t>(t.slow_begin) * grid.fpixels() + t.fast_begin;
            MPI_Recv(corner, 1, rows, r, 0, comm, MPI_STATUS_IGNORE);
            MPI_Type_free(&rows);
        }
    }
}

}  // namespace

RenderResult render_distributed(const Experiment& e, MPI_Comm comm, const RenderPlan& plan, Hdf5ImageWriter* writer) {
    const int rank = mpi_rank(comm), size = mpi_size(comm);
    RenderResult result;
    if (rank == 0) result.image.assign(static_cast<std::size_t>(e.detector.fpixels) * e.detector.spixels, 0.0f);
    LocalWork local = e.params.precision == Precision::Double
                          ? render_my_items<double>(e, comm, plan, writer, result.image)
                          : render_my_items<float>(e, comm, plan, writer, result.image);
    const double gather_start = wall_seconds();

    // Who rendered what, and when.
    const int mine = static_cast<int>(local.records.size());
    std::vector<int> counts(rank == 0 ? size : 0), offsets(rank == 0 ? size : 0);
    std::vector<double> records;
    const RankTiming& t = local.timing;
    const double row[kRankFields] = {double(t.threads), double(t.tiles), double(t.pixels), t.compute_s, t.io_s, t.wait_s,
                                     t.total_s};
    std::vector<double> rows(row, row + kRankFields);
    std::string hosts = host_name();
    hosts.resize(kHostChars, '\0');
    const TileGrid grid(e.detector.fpixels, e.detector.spixels, plan.tile);
    if (!mpi_active()) {
        counts = {mine};
        offsets = {0};
        records = local.records;
        result.omega_sum = local.omega_sum;
        rows[6] += wall_seconds() - gather_start;
    } else {
        MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
        if (rank == 0) {
            int total = 0;
            for (int r = 0; r < size; ++r) offsets[r] = total, total += counts[r];
            records.resize(static_cast<std::size_t>(total));
        }
        MPI_Gatherv(local.records.data(), mine, MPI_DOUBLE, records.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                    0, comm);
        gather_image(comm, grid, WorkList(1, grid.count()), counts, offsets, records, local, result.image);
        MPI_Reduce(&local.omega_sum, &result.omega_sum, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
        // The gather counts as I/O: it exists to feed the legacy writers on rank 0.
        rows[4] += wall_seconds() - gather_start;
        rows[6] += wall_seconds() - gather_start;
        std::vector<double> all_rows(rank == 0 ? static_cast<std::size_t>(size) * kRankFields : 0);
        MPI_Gather(rows.data(), kRankFields, MPI_DOUBLE, all_rows.data(), kRankFields, MPI_DOUBLE, 0, comm);
        rows.swap(all_rows);
        std::string all_hosts(rank == 0 ? static_cast<std::size_t>(size) * kHostChars : 0, '\0');
        MPI_Gather(hosts.data(), kHostChars, MPI_CHAR, all_hosts.data(), kHostChars, MPI_CHAR, 0, comm);
        hosts.swap(all_hosts);
    }
    if (rank != 0) return result;

    const WorkList work(1, grid.count());
    result.timing.items.resize(static_cast<std::size_t>(work.count()));
    for (int r = 0; r < size; ++r) {
        RankTiming rt;
        const double* f = rows.data() + static_cast<std::size_t>(r) * kRankFields;
        rt.rank = r;
        rt.host = std::string(hosts.c_str() + static_cast<std::size_t>(r) * kHostChars);
        rt.threads = static_cast<int>(f[0]);
        rt.tiles = static_cast<long>(f[1]);
        rt.pixels = static_cast<long>(f[2]);
        rt.compute_s = f[3];
        rt.io_s = f[4];
        rt.wait_s = f[5];
        rt.total_s = f[6];
        result.timing.ranks.push_back(rt);
        for (int i = 0; i < counts[r]; i += kItemFields) {
            const double* rec = records.data() + offsets[r] + i;
            const long item = static_cast<long>(rec[0]);
            const WorkItem w = work.item(item);
            result.timing.items[static_cast<std::size_t>(item)] = {plan.image + w.image, w.tile, r, rec[1], rec[2]};
        }
    }
    return result;
}

}  // namespace tilebragg
