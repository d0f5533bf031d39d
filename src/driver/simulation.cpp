// A run, on every rank of the job:
//   plan (seeds, what an interrupted run left) -> set up -> render the series -> close.
#include <tilebragg/simulation.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include <tilebragg/core_sharing.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/image_series.hpp>
#include <tilebragg/image_sink.hpp>
#include <tilebragg/legacy_outputs.hpp>
#include <tilebragg/mpi_exchange.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/output_lock.hpp>
#include <tilebragg/renderer.hpp>
#include <tilebragg/run_report.hpp>
#include <tilebragg/stop_signal.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/work_items.hpp>

#include "driver/job_plan.hpp"
#include "driver/render_series.hpp"
#include "driver/run_timing.hpp"

namespace tilebragg {
namespace {

// Every rank sets up from the same inputs (setup writes nothing); once all have
// succeeded, rank 0 alone writes the structure-factor cache, exactly as a single process.
Experiment set_up(const Params& user_params, const Params& params, MPI_Comm comm) {
    std::optional<Experiment> e;
    agree_on_input(comm, [&] { e.emplace(setup_experiment(params)); });
    if (mpi_rank(comm) == 0) write_structure_factor_cache(*e);
    // The record keeps what the user gave; the seeds themselves are the shared ones.
    e->params.seed_given = user_params.seed_given;
    e->params.misset_seed_given = user_params.misset_seed_given;
    return std::move(*e);
}

// Proves the directory takes new files before hours of rendering.
void check_h5_writable(const std::string& path) {
    const std::string probe = hdf5_temporary_path(path);
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) throw InputError("cannot write output " + path + ": " + std::strerror(errno));
    std::fclose(f);
    std::remove(probe.c_str());
}

// One grid for the whole job. Ranks of one kind agree on it anyway, and rank 0's
// renderer chooses. A GPU prefers whole images (it then makes their statistics and
// counts where it rendered them) and a CPU rank bands of rows. Whole images serve a job
// with at least two images per rank; with fewer, an image has to be shared: the CPU
// ranks' bands in a job of both kinds, four bands of rows per rank in a job of GPUs.
TileSize agreed_tile(const Params& p, const Experiment& e, const Renderer& renderer, int images, MPI_Comm comm) {
    const int nf = e.detector.fpixels, ns = e.detector.spixels, ranks = mpi_size(comm);
    struct Preference {
        TileSize tile;
        int whole_images;
    };
    const TileSize mine = renderer.preferred_tile(nf, ns, ranks);
    const std::vector<Preference> all =
        allgather_all(std::vector<Preference>{{mine, renderer.finishes_whole_images() ? 1 : 0}}, comm);
    TileSize chosen = all.front().tile;
    const auto gpus = std::count_if(all.begin(), all.end(), [](const Preference& r) { return r.whole_images != 0; });
    const bool whole = ranks == 1 || images >= 2 * ranks;
    const auto area = [](const TileSize& t) { return static_cast<long long>(t.fast) * t.slow; };
    if (gpus > 0 && gpus < static_cast<long>(all.size())) {
        for (const Preference& r : all)
            if (whole ? area(r.tile) > area(chosen) : area(r.tile) < area(chosen)) chosen = r.tile;
    } else if (gpus > 0 && !whole) {
        chosen = {nf, std::max(1, (ns + 4 * ranks - 1) / (4 * ranks))};
    }
    return resolve_tile_size({p.tile_fast, p.tile_slow}, chosen, nf, ns);
}

// Images finished together. With tiles smaller than an image: one per rank. More would
// even out ranks of different speed at the end of a wave, but a wave is also what an
// interrupted run keeps (its images are recorded complete together) and what each rank
// holds in memory. With whole-image tiles (a GPU's) up to four per rank, as memory
// allows (64 MiB of photons and counts per rank): each wave ends with collective writes,
// a flush of the file and an exchange of records, and these then serve four images.
int images_per_wave(const JobPlan& plan, int ranks, const Experiment& e, TileSize tile) {
    int per_rank = 1;
    if (tile.fast == e.detector.fpixels && tile.slow == e.detector.spixels) {
        const double image_bytes = (sizeof(float) + sizeof(std::uint16_t)) * static_cast<double>(tile.fast) * tile.slow;
        per_rank = static_cast<int>(std::clamp(64.0 * (1 << 20) / std::max(image_bytes, 1.0), 1.0, 4.0));
    }
    return std::clamp(ranks * per_rank, 1, std::max(1, static_cast<int>(plan.todo.size())));
}

// The same value on every rank: rank 0's clock.
double agreed_now(MPI_Comm comm) {
    double now = epoch_seconds_now();
    if (mpi_active()) MPI_Bcast(&now, 1, MPI_DOUBLE, 0, comm);
    return now;
}

// No second run may write the same HDF5 file, from before the first look at it.
std::unique_ptr<OutputLock> lock_output(const Params& p, MPI_Comm comm) {
    std::unique_ptr<OutputLock> lock;
    agree_on_input(comm, [&] {
        if (mpi_rank(comm) == 0 && !p.h5file.empty()) lock = std::make_unique<OutputLock>(p.h5file);
    });
    return lock;
}

// The output paths are probed before setup, so that a run that cannot write its results
// leaves nothing behind (the Fdump cache included).
void probe_outputs(const JobPlan& plan, MPI_Comm comm) {
    agree_on_input(comm, [&] {
        if (mpi_rank(comm) != 0) return;
        check_outputs_writable(plan.params);
        if (plan.h5 && !plan.resume) check_h5_writable(plan.params.h5file);
    });
}

// The renderer every rank keeps for the job; one that cannot be made (-backend cuda
// without a GPU) stops every rank with the same message.
// `gpu_starting` is the GPU runtime's early start (start_renderer_early), waited for here.
std::unique_ptr<Renderer> job_renderer(const Experiment& e, std::future<void>& gpu_starting, MPI_Comm comm) {
    std::unique_ptr<Renderer> renderer;
    if (gpu_starting.valid()) gpu_starting.wait();
    agree_on_input(comm, [&] { renderer = make_renderer(e.params.backend, e.params.precision); });
    // Ranks whose threads land on the same cores run at a fraction of their speed. Every
    // rank takes part (a collective); only CPU renderers' threads count.
    warn_if_ranks_share_cores(comm, renderer->backend() == "cpu");
    return renderer;
}

// What can only be checked once the experiment is known: the numbered legacy files of a
// series, and whether an unfinished file was made by this same job.
void check_before_rendering(const JobPlan& plan, const Experiment& e, const SeriesIdentity& identity, MPI_Comm comm) {
    agree_on_input(comm, [&] {
        if (mpi_rank(comm) != 0) return;
        if (plan.images > 1) {
            Params first = e.params;
            first.floatfile = indexed_file_name(first.floatfile, 0);
            first.intfile = indexed_file_name(first.intfile, 0);
            first.pgmfile = indexed_file_name(first.pgmfile, 0);
            first.noisefile = indexed_file_name(first.noisefile, 0);
            check_outputs_writable(first);
        }
        if (plan.resume) check_resumable(plan.params.h5file, plan.unfinished, identity);
    });
}

void report_start(const JobPlan& plan, const Experiment& e) {
    const Params& p = plan.params;
    print_setup_report(e, stdout);
    for (const std::string& note : plan.unfinished.notes) std::printf("%s\n", note.c_str());
    if (plan.resume)
        std::printf("resuming: %d of %d images already complete in %s\n", plan.resumed(), plan.images,
                    hdf5_temporary_path(p.h5file).c_str());
    if (plan.images > 1)
        std::printf("batch: %d images (%s series) into %s\n", plan.images, series_name(series_kind(p)),
                    p.h5file.c_str());
    std::fflush(stdout);
}

std::unique_ptr<ImageSink> open_sink(const JobPlan& plan, const SeriesIdentity& identity, MPI_Comm comm) {
    if (!plan.h5) return nullptr;
    Hdf5SinkOptions o;
    o.path = plan.params.h5file;
    o.identity = identity;
    o.resume = plan.resume;
    o.compression = plan.params.h5_compression;
    return open_hdf5_sink(comm, o);
}

// True when a stop request ended the job before its last image; says so on rank 0. A
// request that comes once every image is written does not undo the run.
bool stopped_early(const SeriesResult& r, const JobPlan& plan, MPI_Comm comm) {
    if (r.stop_signal == 0) return false;
    const bool all_done = r.images_done.size() == plan.todo.size();
    if (mpi_rank(comm) == 0 && !all_done) {
        std::fflush(stdout);
        std::fprintf(stderr,
                     "tilebragg: stopped by %s: %d of %d images complete in %s; rerun the same command to resume\n",
                     stop_reason(r.stop_signal).c_str(), plan.resumed() + static_cast<int>(r.images_done.size()),
                     plan.images, hdf5_temporary_path(plan.params.h5file).c_str());
    }
    return !all_done;
}

// A stop request that arrived after the last image (during the final wave's exchange, or
// while the file was being closed) is reported, and the run still succeeds.
void report_late_stop(const SeriesResult& r, const JobPlan& plan) {
    const int late = r.stop_signal != 0 ? r.stop_signal : stop_signal();
    if (late == 0) return;
    std::fflush(stdout);
    std::fprintf(stderr, "tilebragg: %s arrived after the work was complete; %s is complete\n",
                 stop_reason(late).c_str(), plan.h5 ? plan.params.h5file.c_str() : "every output");
}

// The file's record covers every image: those of this run and those resumed.
SeriesRecord series_record(const JobPlan& plan, const SeriesPlan& series, SeriesResult& r, int ranks) {
    const Params& p = plan.params;
    SeriesRecord record;
    record.first = series.first;
    record.images.resize(static_cast<std::size_t>(plan.images));
    std::vector<char> have(static_cast<std::size_t>(plan.images), 0);
    for (std::size_t k = 0; k < r.images_done.size(); ++k) {
        record.images[static_cast<std::size_t>(r.images_done[k])] = r.records[k];
        have[static_cast<std::size_t>(r.images_done[k])] = 1;
    }
    for (int i = 0; i < plan.images; ++i)
        if (!have[static_cast<std::size_t>(i)])
            record.images[static_cast<std::size_t>(i)] =
                image_record(i == 0 ? *series.first : series.experiment_for(i), series_phi_degrees(p, i));
    record.series = plan.images > 1 ? series_name(series_kind(p)) : "";
    record.tile = series.tile;
    record.schedule = p.schedule;
    record.ranks = ranks;
    record.images_resumed = plan.resumed();
    // The same text on every rank (a parallel file's attributes must agree), from the
    // ranks' own table.
    record.backend = distinct_ranks(r.timing, &RankTiming::backend, ", ");
    record.device = distinct_ranks(r.timing, &RankTiming::device, "; ");
    record.timing = std::move(r.timing);
    return record;
}

int run_on(const Params& user_params, MPI_Comm comm) {
    // Held here, so that whatever ends this run (an input error too) waits for it: a thread
    // still starting the CUDA runtime while the process exits can hang the exit.
    std::future<void> gpu_starting = start_renderer_early(user_params.backend);
    const double started = agreed_now(comm);
    const int rank = mpi_rank(comm), ranks = mpi_size(comm);
    const std::unique_ptr<OutputLock> lock = lock_output(user_params, comm);
    const JobPlan plan = plan_job(user_params, comm);
    const Params& params = plan.params;
    probe_outputs(plan, comm);
    const Experiment e = set_up(user_params, params, comm);
    const std::unique_ptr<Renderer> renderer = job_renderer(e, gpu_starting, comm);
    const SeriesIdentity identity = series_identity(plan, e, comm);
    // From here on a stop request ends the run cleanly. Installed on every rank before the
    // collective check, so before rank 0 announces the batch (tests signal on that line).
    if (plan.h5) install_stop_handlers();
    check_before_rendering(plan, e, identity, comm);
    if (rank == 0) report_start(plan, e);
    const std::unique_ptr<ImageSink> sink = open_sink(plan, identity, comm);

    SeriesPlan series;
    series.first = &e;
    series.job = &params;
    series.experiment_for = [&](int image) {
        Experiment own = setup_experiment(params_for_image(params, image), e.structure_factors);
        own.params.seed_given = user_params.seed_given;
        own.params.misset_seed_given = user_params.misset_seed_given;
        return own;
    };
    series.images = plan.todo;
    series.images_total = plan.images;
    series.batch = plan.images > 1;
    series.tile = agreed_tile(params, e, *renderer, static_cast<int>(plan.todo.size()), comm);
    series.schedule = params.schedule;
    series.images_per_wave = images_per_wave(plan, ranks, e, series.tile);
    series.show_progress = params.progress;
    SeriesResult r = render_series(series, *renderer, sink.get(), comm);
    if (stopped_early(r, plan, comm)) return stop_exit_code(r.stop_signal);

    if (sink) {
        SeriesRecord record = series_record(plan, series, r, ranks);
        record.start_epoch_s = started;
        record.end_epoch_s = agreed_now(comm);
        sink->close(record);
        if (rank == 0)
            std::printf("writing %s (NeXus/HDF5, %d image%s, %d rank%s, tiles %dx%d, %s schedule)\n",
                        params.h5file.c_str(), plan.images, plan.images == 1 ? "" : "s", ranks, ranks == 1 ? "" : "s",
                        series.tile.fast, series.tile.slow, schedule_name(params.schedule));
    }
    if (rank == 0) report_late_stop(r, plan);
    std::fflush(stdout);
    return 0;
}

}  // namespace

int run_simulation(const Params& params) {
    MpiSession session(nullptr, nullptr);  // no-op when main() has initialised MPI
    return run_on(params, MPI_COMM_WORLD);
}

}  // namespace tilebragg
