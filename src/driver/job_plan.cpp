#include "driver/job_plan.hpp"

#include <ctime>

#include <tilebragg/checksum.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/mpi_exchange.hpp>
#include <tilebragg/work_limits.hpp>

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

// The files whose contents decide the images (an Fdump cache read in place of -hkl too).
// A -job file is not one of them: its options are in the fingerprint, its comments do not count.
std::vector<std::string> input_files(const Params& p, const Experiment& e) {
    std::vector<std::string> files;
    for (const std::string* f : {&p.hkl_file, &p.matrix_file, &p.source_file, &p.img_file, &p.mask_file})
        if (!f->empty()) files.push_back(*f);
    if (p.hkl_file.empty() && e.structure_factors->hkls > 0) files.push_back(p.fdump_file);
    return files;
}

}  // namespace

JobPlan plan_job(const Params& user_params, MPI_Comm comm) {
    JobPlan plan;
    plan.h5 = !user_params.h5file.empty();
    plan.images = user_params.images;
    if (plan.images > 1 && !plan.h5)
        throw InputError("flag -images " + std::to_string(plan.images) +
                         " needs -h5file: a batch lives in one HDF5 file");
    if (user_params.h5_only && !plan.h5) throw InputError("flag -h5only needs -h5file: it is the only output left");
    // Before the list of images to do is made: -images 2e9 would take gigabytes here.
    check_batch_images(plan.images);
    plan.params = with_shared_clock_seeds(user_params, comm);

    // An unfinished file of the same job: resume it, with the seeds it was started with.
    agree_on_input(comm, [&] {
        if (mpi_rank(comm) == 0 && plan.h5) plan.unfinished = find_unfinished_hdf5(plan.params.h5file);
    });
    long seeds[3] = {plan.unfinished.found ? 1L : 0L, plan.unfinished.identity.seed,
                     plan.unfinished.identity.misset_seed};
    if (mpi_active()) MPI_Bcast(seeds, 3, MPI_LONG, 0, comm);
    plan.resume = seeds[0] != 0;
    if (plan.resume) plan.params.seed = seeds[1], plan.params.misset_seed = seeds[2];

    std::vector<char> done(static_cast<std::size_t>(plan.images), 0);
    for (int i : plan.unfinished.complete)
        if (i >= 0 && i < plan.images) done[static_cast<std::size_t>(i)] = 1;
    if (mpi_active()) MPI_Bcast(done.data(), plan.images, MPI_CHAR, 0, comm);
    for (int i = 0; i < plan.images; ++i)
        if (!done[static_cast<std::size_t>(i)]) plan.todo.push_back(i);
    return plan;
}

SeriesIdentity series_identity(const JobPlan& plan, const Experiment& first, MPI_Comm comm) {
    const Params& p = plan.params;
    SeriesIdentity id;
    id.images = plan.images;
    id.fpixels = first.detector.fpixels;
    id.spixels = first.detector.spixels;
    id.fingerprint = p.fingerprint;
    id.seed = p.seed;
    id.misset_seed = p.misset_seed;
    agree_on_input(comm, [&] {
        if (mpi_rank(comm) != 0) return;
        id.input_files = input_files(p, first);
        for (const std::string& f : id.input_files) id.input_hashes.push_back(hash_text(file_content_hash(f)));
    });
    broadcast_strings(id.input_files, 0, comm);
    broadcast_strings(id.input_hashes, 0, comm);
    return id;
}

}  // namespace tilebragg
