#include <tilebragg/simulation.hpp>

#include <omp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tilebragg/distributed_render.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/hdf5_image_writer.hpp>
#include <tilebragg/hdf5_metadata.hpp>
#include <tilebragg/hdf5_resume.hpp>
#include <tilebragg/image_series.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/legacy_outputs.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/pixel_trace.hpp>
#include <tilebragg/run_report.hpp>
#include <tilebragg/stop_signal.hpp>

namespace tilebragg {
namespace {

// Seeds left to the clock are read once, on rank 0, and shared: ranks that start a
// second apart would otherwise draw different random missets and render pieces of
// different crystals.
Params with_shared_clock_seeds(Params p, MPI_Comm comm) {
    if (p.seed_given && p.misset_seed_given) return p;
    long clock_seed = -static_cast<long>(std::time(nullptr));
    if (mpi_active()) MPI_Bcast(&clock_seed, 1, MPI_LONG, 0, comm);
    if (!p.seed_given) p.seed = clock_seed, p.seed_given = true;
    if (!p.misset_seed_given) p.misset_seed = clock_seed, p.misset_seed_given = true;
    return p;
}

// Rank 0 sets up first: it writes the structure-factor cache (Fdump) exactly as a
// single process would. The other ranks then set up from the same inputs, sending the
// cache they would write to a private file, so that no two ranks write one path.
Experiment setup_on_every_rank(const Params& user_params, const Params& params, MPI_Comm comm) {
    const int rank = mpi_rank(comm);
    std::optional<Experiment> e;
    agree_on_input(comm, [&] {
        if (rank == 0) e.emplace(setup_experiment(params));
    });
    agree_on_input(comm, [&] {
        if (rank == 0) return;
        Params own = params;
        std::string scratch;
        if (!own.hkl_file.empty()) {
            scratch = (std::filesystem::temp_directory_path() /
                       ("tilebragg-fdump-" + std::to_string(getpid()) + "-" + std::to_string(rank) + ".bin"))
                          .string();
            own.fdump_file = scratch;
        }
        try {
            e.emplace(setup_experiment(own));
        } catch (...) {
            if (!scratch.empty()) std::remove(scratch.c_str());
            throw;
        }
        e->params.fdump_file = params.fdump_file;
        if (!scratch.empty()) std::remove(scratch.c_str());
    });
    // The record keeps what the user gave; the seeds themselves are the shared ones.
    e->params.seed_given = user_params.seed_given;
    e->params.misset_seed_given = user_params.misset_seed_given;
    return std::move(*e);
}

// -printout: the reference prints every pixel unless -printout_pixel names one.
void print_traces(const Experiment& e, const std::vector<float>& image) {
    const Params& p = e.params;
    const int nf = e.detector.fpixels;
    for (int s = e.roi.slow_min; s <= e.roi.slow_max && s < e.detector.spixels; ++s)
        for (int f = e.roi.fast_min; f <= e.roi.fast_max && f < nf; ++f) {
            if (p.printout_fpixel >= 0 && !(f == p.printout_fpixel && s == p.printout_spixel)) continue;
            print_pixel_trace(trace_pixel(e, f, s), image[static_cast<std::size_t>(s) * nf + f], stdout);
        }
}

void check_h5_writable(const std::string& path) {
    const std::string probe = hdf5_temporary_path(path);
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) throw InputError("cannot write output " + path + ": " + std::strerror(errno));
    std::fclose(f);
    std::remove(probe.c_str());
}

int agreed_threads(MPI_Comm comm) {
    int threads = omp_get_max_threads();
    if (mpi_active()) MPI_Bcast(&threads, 1, MPI_INT, 0, comm);
    return threads;
}

// Legacy outputs of image `image` of a batch: the same files with the image number in
// their names (docs/batch.md).
Experiment with_indexed_outputs(Experiment e, int image) {
    Params& p = e.params;
    p.floatfile = indexed_file_name(p.floatfile, image);
    p.intfile = indexed_file_name(p.intfile, image);
    p.pgmfile = indexed_file_name(p.pgmfile, image);
    p.noisefile = indexed_file_name(p.noisefile, image);
    return e;
}

// Rank 0, after the parallel close: one image back from the unfinished file.
std::vector<float> read_back_image(const std::string& h5file, int image, int fpixels, int spixels) {
    const std::string tmp = hdf5_temporary_path(h5file);
    H5File file(H5Fopen(tmp.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "reopening " + tmp);
    H5Dataset data(H5Dopen2(file, "/entry/data/data", H5P_DEFAULT), "opening /entry/data/data");
    std::vector<float> pixels(static_cast<std::size_t>(fpixels) * spixels);
    const hsize_t start[3] = {static_cast<hsize_t>(image), 0, 0};
    const hsize_t count[3] = {1, static_cast<hsize_t>(spixels), static_cast<hsize_t>(fpixels)};
    H5Dataspace space(H5Dget_space(data), "image dataspace");
    h5_check(H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr), "selecting an image");
    H5Dataspace memory(H5Screate_simple(3, count, nullptr), "image memory space");
    h5_check(H5Dread(data, H5T_NATIVE_FLOAT, memory, space, H5P_DEFAULT, pixels.data()), "reading an image back");
    return pixels;
}

int run_on(const Params& user_params, MPI_Comm comm) {
    const int rank = mpi_rank(comm), ranks = mpi_size(comm);
    const bool h5 = !user_params.h5file.empty();
    if (user_params.images > 1 && !h5)
        throw InputError("flag -images " + std::to_string(user_params.images) + " needs -h5file: a batch lives in one HDF5 file");
    Params params = with_shared_clock_seeds(user_params, comm);

    // An unfinished file of the same job: resume it, with the seeds it was started with.
    Hdf5UnfinishedFile unfinished;
    agree_on_input(comm, [&] {
        if (rank == 0 && h5) unfinished = read_unfinished_file(params.h5file);
    });
    long seeds[3] = {unfinished.found ? 1L : 0L, unfinished.info.seed, unfinished.info.misset_seed};
    if (mpi_active()) MPI_Bcast(seeds, 3, MPI_LONG, 0, comm);
    const bool resume = seeds[0] != 0;
    if (resume) params.seed = seeds[1], params.misset_seed = seeds[2];

    // Probe the output paths before setup, which may write the Fdump cache: a run that
    // cannot write its results leaves nothing behind.
    agree_on_input(comm, [&] {
        if (rank != 0) return;
        check_outputs_writable(params);
        if (h5 && !resume) check_h5_writable(params.h5file);
    });
    const Experiment e = setup_on_every_rank(user_params, params, comm);
    const int images = params.images;
    Hdf5BatchInfo info{images, e.detector.fpixels, e.detector.spixels, params.fingerprint, params.seed,
                       params.misset_seed};
    // From here on a stop request ends the run cleanly; installed before the collective
    // below, so every rank has its handlers by the time rank 0 announces the batch.
    if (h5) install_stop_handlers();
    TileSize tile;
    agree_on_input(comm, [&] {
        tile = resolve_tile_size({params.tile_fast, params.tile_slow}, e.detector.fpixels, e.detector.spixels, ranks,
                                 agreed_threads(comm));
        if (rank != 0) return;
        check_outputs_writable(images > 1 ? with_indexed_outputs(e, 0).params : e.params);
        if (resume) check_resumable(params.h5file, unfinished, info);
        else if (h5) check_h5_writable(params.h5file);
    });
    if (rank == 0) print_setup_report(e, stdout);

    // The images still to render: all, or those an interrupted run left unfinished.
    std::vector<int> todo;
    if (rank == 0)
        for (int i = 0; i < images; ++i)
            if (!resume || !unfinished.complete[static_cast<std::size_t>(i)]) todo.push_back(i);
    int n_todo = static_cast<int>(todo.size());
    if (mpi_active()) {
        MPI_Bcast(&n_todo, 1, MPI_INT, 0, comm);
        todo.resize(static_cast<std::size_t>(n_todo));
        if (n_todo > 0) MPI_Bcast(todo.data(), n_todo, MPI_INT, 0, comm);
    }
    const int resumed = images - n_todo;
    if (rank == 0 && resume)
        std::printf("resuming: %d of %d images already complete in %s\n", resumed, images,
                    hdf5_temporary_path(params.h5file).c_str());
    if (rank == 0 && images > 1)
        std::printf("batch: %d images (%s series) into %s\n", images, series_name(series_kind(params)),
                    params.h5file.c_str());
    std::fflush(stdout);

    std::unique_ptr<Hdf5ImageWriter> writer;
    if (h5) {
        writer = std::make_unique<Hdf5ImageWriter>(comm, params.h5file, info, tile, resume);
    }
    // Every image but 0 has its own Experiment, sharing image 0's structure factors
    // (callers use `e` itself for image 0).
    auto experiment_for = [&](int image) {
        Experiment own = setup_experiment(params_for_image(params, image), &e.structure_factors);
        own.params.seed_given = user_params.seed_given;
        own.params.misset_seed_given = user_params.misset_seed_given;
        return own;
    };
    // With an HDF5 file the image is not gathered on rank 0: rank 0 reads it back after
    // the parallel close (no rank waits for the others' tiles inside the render, and
    // the same path serves batches and resumed runs).
    const bool batch = images > 1 || resume || h5;
    RenderPlan plan;
    plan.tile = tile;
    plan.schedule = e.params.schedule;
    plan.show_progress = e.params.progress;
    if (batch) {
        plan.images = todo;
        plan.images_total = images;
        plan.experiment_for = experiment_for;
    }
    RenderResult r;
    if (!batch || !todo.empty()) r = render_distributed(e, comm, plan, writer.get());
    if (writer) writer->close();

    // A stop request that comes once every image is written does not undo the run.
    int all_written = rank == 0 && resumed + static_cast<int>(r.images_done.size()) == images;
    if (mpi_active()) MPI_Bcast(&all_written, 1, MPI_INT, 0, comm);
    if (r.stop_signal != 0 && !all_written) {
        if (rank == 0) {
            std::fflush(stdout);
            std::fprintf(stderr,
                         "tilebragg: stopped by %s: %d of %d images complete in %s; rerun the same command "
                         "to resume\n",
                         stop_reason(r.stop_signal).c_str(), resumed + static_cast<int>(r.images_done.size()), images,
                         hdf5_temporary_path(params.h5file).c_str());
        }
        return stop_exit_code(r.stop_signal);
    }

    if (rank == 0) {
        std::vector<Hdf5ImageRecord> records;
        for (int i = 0; i < images; ++i) {
            std::optional<Experiment> own;
            if (batch && i > 0) own.emplace(experiment_for(i));
            const Experiment& ei = own ? *own : e;
            std::vector<float> pixels = batch ? read_back_image(params.h5file, i, e.detector.fpixels, e.detector.spixels)
                                              : std::move(r.image);
            const ImageStatistics stats =
                image_statistics(pixels, e.detector.fpixels, e.detector.spixels, e.roi, e.mask);
            if (images > 1) std::printf("\nimage %d of %d: phi = %.15g deg\n", i, images, series_phi_degrees(params, i));
            if (e.params.printout) print_traces(ei, pixels);
            print_statistics(ei, stats, r.omega_sum, stdout);
            write_legacy_outputs(images > 1 ? with_indexed_outputs(ei, i) : ei, pixels, stats, stdout);
            if (batch) records.push_back(image_record(ei, series_phi_degrees(params, i)));
        }
        if (writer) {
            Hdf5RunDescription run{tile, plan.schedule, ranks, std::move(r.timing), std::move(records),
                                   images > 1 ? series_name(series_kind(params)) : "", resumed};
            hdf5_finish_file(e.params.h5file, e, run);
            std::printf("writing %s (NeXus/HDF5, %d image%s, %d rank%s, tiles %dx%d, %s schedule)\n",
                        e.params.h5file.c_str(), images, images == 1 ? "" : "s", ranks, ranks == 1 ? "" : "s",
                        tile.fast, tile.slow, schedule_name(plan.schedule));
            const int late = r.stop_signal != 0 ? r.stop_signal : stop_signal();
            std::fflush(stdout);
            if (late != 0)
                std::fprintf(stderr, "tilebragg: %s arrived after the work was complete; %s is complete\n",
                             stop_reason(late).c_str(), e.params.h5file.c_str());
        }
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int run_simulation(const Params& params) {
    MpiSession session(nullptr, nullptr);  // no-op when main() has initialised MPI
    return run_on(params, MPI_COMM_WORLD);
}

}  // namespace tilebragg
