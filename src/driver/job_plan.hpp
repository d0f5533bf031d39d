#pragma once
// The job before any rendering: which images to make, with which seeds, and what an
// interrupted run already made. Collective; every rank gets the same plan.
#include <mpi.h>

#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_sink.hpp>

namespace tilebragg {

struct JobPlan {
    Params params;                // with the job's seeds: shared clock seeds, or the unfinished file's
    int images = 1;               // images in the series (and in the file)
    bool h5 = false;              // -h5file given
    UnfinishedSeries unfinished;  // rank 0: what an interrupted run left (found = false: nothing)
    bool resume = false;          // every rank
    std::vector<int> todo;        // images still to render, ascending (every rank)
    int resumed() const { return images - static_cast<int>(todo.size()); }
};

// Seeds, and the unfinished file of an earlier run of the same job (rank 0 reads it; the
// caller holds the output's lock). Throws InputError for a batch without -h5file.
JobPlan plan_job(const Params& user_params, MPI_Comm comm);

// What the file records to recognise the job when resuming: options, seeds, and the
// input files with their content hashes (hashed on rank 0). Every rank gets the same.
SeriesIdentity series_identity(const JobPlan& plan, const Experiment& first, MPI_Comm comm);

}  // namespace tilebragg
