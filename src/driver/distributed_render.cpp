#include <tilebragg/distributed_render.hpp>

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <tilebragg/kernel.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/progress.hpp>
#include <tilebragg/stop_signal.hpp>
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
    std::vector<TileSideSums> sums;          // per image slot
    int stop_signal = 0;
};

// The images a run renders: one (the Experiment given) or a batch (one Experiment per
// image, built when a rank reaches the image; items come image-major, so a rank builds
// each image's setup once).
struct ImageSlots {
    std::vector<int> images;  // HDF5 index of each slot
    bool batch = false;
    explicit ImageSlots(const RenderPlan& plan)
        : images(plan.images.empty() ? std::vector<int>{plan.image} : plan.images), batch(!plan.images.empty()) {}
    int count() const { return static_cast<int>(images.size()); }
};

void copy_tile_into(std::vector<float>& image, int fpixels, const Tile& t, const float* pixels) {
    for (int s = t.slow_begin; s < t.slow_end; ++s)
        std::memcpy(image.data() + static_cast<std::size_t>(s) * fpixels + t.fast_begin,
                    pixels + static_cast<std::size_t>(s - t.slow_begin) * t.width(), sizeof(float) * t.width());
}

template <typename T>
LocalWork render_my_items(const Experiment& e, MPI_Comm comm, const RenderPlan& plan, Hdf5ImageWriter* writer,
                          std::vector<float>& image) {
    const int rank = mpi_rank(comm), size = mpi_size(comm);
    const ImageSlots slots(plan);
    const TileGrid grid(e.detector.fpixels, e.detector.spixels, plan.tile);
    const WorkList work(slots.count(), grid.count());
    LocalWork local;
    local.timing.rank = rank;
    local.timing.threads = omp_get_max_threads();
    local.sums.assign(static_cast<std::size_t>(slots.count()), TileSideSums{});
    // With an HDF5 file, finished images are recorded and a signal stops the run cleanly.
    const bool tracked = writer != nullptr;

    // The kernel setup points into its Experiment, so the two live together.
    std::optional<Experiment> current;
    std::optional<KernelSetup<T>> k;
    int k_slot = -1;
    auto setup_for = [&](int slot) -> const KernelSetup<T>& {
        if (slot != k_slot) {
            k.reset();
            const int img = slots.images[static_cast<std::size_t>(slot)];
            if (slots.batch && plan.experiment_for && img != 0) {
                current.emplace(plan.experiment_for(img));
                k.emplace(make_kernel_setup<T>(*current));
            } else {
                k.emplace(make_kernel_setup<T>(e));
            }
            k_slot = slot;
        }
        return *k;
    };

    WorkDispenser dispenser(comm, plan.schedule, work.count(), tracked ? slots.count() : 0);
    Progress progress("rendering", static_cast<double>(work.count()), rank == 0 && plan.show_progress);
    long shown = 0;
    auto show = [&] {
        const long done = dispenser.finished_total();
        progress.advance(static_cast<double>(done - shown));
        shown = done;
    };

    barrier(comm);
    const double t0 = wall_seconds();
    for (;;) {
        if (tracked && (local.stop_signal = stop_signal()) != 0) break;
        const double ask = wall_seconds();
        long item = 0;
        const bool more = dispenser.next(item);
        local.timing.wait_s += wall_seconds() - ask;
        if (!more) break;

        const WorkItem w = work.item(item);
        const int img = slots.images[static_cast<std::size_t>(w.image)];
        const KernelSetup<T>& setup = setup_for(w.image);
        const Tile tile = grid.tile(w.tile);
        // A full-width tile is a contiguous band of rank 0's image: render it in place.
        const bool in_place = rank == 0 && !slots.batch && tile.fast_begin == 0 && tile.fast_end == e.detector.fpixels;
        std::vector<float> buffer;  // per item: other ranks hand it over for the gather
        float* pixels = nullptr;
        if (in_place) {
            pixels = image.data() + static_cast<std::size_t>(tile.slow_begin) * static_cast<std::size_t>(e.detector.fpixels);
        } else {
            buffer.assign(tile.pixels(), 0.0f);
            pixels = buffer.data();
        }
        const double start = wall_seconds();
        render_tile(setup, tile, pixels, local.sums[static_cast<std::size_t>(w.image)]);
        const double end = wall_seconds();
        local.timing.compute_s += end - start;
        local.records.insert(local.records.end(), {static_cast<double>(item), start - t0, end - t0});
        ++local.timing.tiles;
        local.timing.pixels += static_cast<long>(tile.pixels());

        if (writer) {
            const double io = wall_seconds();
            writer->write_tile(img, tile, pixels);
            // The rank that writes an image's last tile records the image as whole.
            if (dispenser.image_tile_finished(w.image) == grid.count() - 1) {
                writer->mark_image_complete(img);
                image_recorded_complete();  // test switches (stop_signal.hpp)
            }
            local.timing.io_s += wall_seconds() - io;
        }
        if (!slots.batch) {
            if (rank == 0) {
                if (!in_place) copy_tile_into(image, e.detector.fpixels, tile, pixels);
            }
            else local.tiles.push_back(std::move(buffer));  // kept for the gather to rank 0
        }
        dispenser.finished();
        if (rank == 0 && plan.show_progress) show();
    }
    dispenser.stop();

    // Rank 0 keeps the whole job's bar moving while the others finish.
    const double idle = wall_seconds();
    if (rank == 0 && plan.show_progress) {
        while (dispenser.ranks_stopped() < size) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            show();
        }
        show();
        progress.finish();
    }
    barrier(comm);
    local.timing.wait_s += wall_seconds() - idle;
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
    const ImageSlots slots(plan);
    RenderResult result;
    if (rank == 0 && !slots.batch)
        result.image.assign(static_cast<std::size_t>(e.detector.fpixels) * e.detector.spixels, 0.0f);
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
    const WorkList work(slots.count(), grid.count());
    std::vector<double> local_omega, omega(local.sums.size(), 0.0);
    for (const TileSideSums& s : local.sums) local_omega.push_back(s.omega_sum);
    if (!mpi_active()) {
        counts = {mine};
        offsets = {0};
        records = local.records;
        omega = local_omega;
        result.stop_signal = local.stop_signal;
        rows[6] += wall_seconds() - gather_start;
    } else {
        MPI_Allreduce(&local.stop_signal, &result.stop_signal, 1, MPI_INT, MPI_MAX, comm);
        MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
        if (rank == 0) {
            int total = 0;
            for (int r = 0; r < size; ++r) offsets[r] = total, total += counts[r];
            records.resize(static_cast<std::size_t>(total));
        }
        MPI_Gatherv(local.records.data(), mine, MPI_DOUBLE, records.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                    0, comm);
        if (!slots.batch) gather_image(comm, grid, work, counts, offsets, records, local, result.image);
        MPI_Reduce(local_omega.data(), omega.data(), static_cast<int>(omega.size()), MPI_DOUBLE, MPI_SUM, 0, comm);
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

    // Per image, the solid angle is the same (one detector); report one image's worth.
    double omega_image = 0;
    int rendered_images = 0;
    for (double o : omega)
        if (o != 0) omega_image = o, ++rendered_images;
    result.omega_sum = slots.batch ? omega_image : (omega.empty() ? 0.0 : omega[0]);

    // Items of every image in the file; those not rendered by this run keep rank -1.
    const long tiles = grid.count();
    const long all_items = slots.batch ? static_cast<long>(plan.images_total) * tiles : work.count();
    result.timing.items.resize(static_cast<std::size_t>(all_items));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (long i = 0; i < all_items; ++i)
        result.timing.items[static_cast<std::size_t>(i)] = {static_cast<int>(i / tiles) + (slots.batch ? 0 : plan.image),
                                                            static_cast<int>(i % tiles), -1, nan, nan};
    std::vector<long> tiles_done(static_cast<std::size_t>(slots.count()), 0);
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
            const WorkItem w = work.item(static_cast<long>(rec[0]));
            const int img = slots.images[static_cast<std::size_t>(w.image)];
            ++tiles_done[static_cast<std::size_t>(w.image)];
            const long row_index = slots.batch ? static_cast<long>(img) * tiles + w.tile : work.index(w);
            result.timing.items[static_cast<std::size_t>(row_index)] = {img, w.tile, r, rec[1], rec[2]};
        }
    }
    for (int s = 0; s < slots.count(); ++s)
        if (tiles_done[static_cast<std::size_t>(s)] == tiles) result.images_done.push_back(slots.images[static_cast<std::size_t>(s)]);
    (void)rendered_images;
    return result;
}

}  // namespace tilebragg
