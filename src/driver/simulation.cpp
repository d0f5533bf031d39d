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

#include <tilebragg/distributed_render.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/hdf5_image_writer.hpp>
#include <tilebragg/hdf5_metadata.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/legacy_outputs.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/pixel_trace.hpp>
#include <tilebragg/run_report.hpp>

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
Experiment setup_on_every_rank(const Params& user_params, MPI_Comm comm) {
    const int rank = mpi_rank(comm);
    const Params params = with_shared_clock_seeds(user_params, comm);
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

int run_on(const Params& params, MPI_Comm comm) {
    const int rank = mpi_rank(comm), ranks = mpi_size(comm);
    const Experiment e = setup_on_every_rank(params, comm);
    TileSize tile;
    agree_on_input(comm, [&] {
        tile = resolve_tile_size({params.tile_fast, params.tile_slow}, e.detector.fpixels, e.detector.spixels, ranks,
                                 agreed_threads(comm));
        if (rank != 0) return;
        check_outputs_writable(e.params);
        if (!e.params.h5file.empty()) check_h5_writable(e.params.h5file);
    });
    if (rank == 0) print_setup_report(e, stdout);
    std::fflush(stdout);

    std::unique_ptr<Hdf5ImageWriter> writer;
    if (!e.params.h5file.empty())
        writer = std::make_unique<Hdf5ImageWriter>(comm, e.params.h5file, 1, e.detector.fpixels, e.detector.spixels,
                                                   tile);
    RenderPlan plan;
    plan.tile = tile;
    plan.schedule = e.params.schedule;
    plan.show_progress = e.params.progress;
    RenderResult r = render_distributed(e, comm, plan, writer.get());
    if (writer) writer->close();

    if (rank == 0) {
        const ImageStatistics stats =
            image_statistics(r.image, e.detector.fpixels, e.detector.spixels, e.roi, e.mask);
        if (e.params.printout) print_traces(e, r.image);
        print_statistics(e, stats, r.omega_sum, stdout);
        write_legacy_outputs(e, r.image, stats, stdout);
        if (writer) {
            Hdf5RunDescription run{tile, plan.schedule, ranks, std::move(r.timing)};
            hdf5_finish_file(e.params.h5file, e, run);
            std::printf("writing %s (NeXus/HDF5, %d rank%s, tiles %dx%d, %s schedule)\n", e.params.h5file.c_str(),
                        ranks, ranks == 1 ? "" : "s", tile.fast, tile.slow, schedule_name(plan.schedule));
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
