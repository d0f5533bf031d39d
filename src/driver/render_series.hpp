#pragma once
// Renders the images of a job over all ranks: claim a work item, render it, and once a
// wave of images has all its items rendered, bring each image whole to one rank, finish
// it (statistics, detector counts, the reference's files, the log) and hand it to the
// sink. Collective over `comm`.
#include <mpi.h>

#include <functional>
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_sink.hpp>
#include <tilebragg/renderer.hpp>
#include <tilebragg/timing_records.hpp>

namespace tilebragg {

struct SeriesPlan {
    const Experiment* first = nullptr;                    // image 0, on every rank
    const Params* job = nullptr;                          // the job's parameters (series rules: phi per image)
    std::function<Experiment(int image)> experiment_for;  // any other image (shares first's structure factors)
    std::vector<int> images;                              // the images to render, ascending
    int images_total = 1;                                 // images in the series
    bool batch = false;                                   // -images > 1: per-image headers and file names
    TileSize tile;
    Schedule schedule = Schedule::Dynamic;
    int images_per_wave = 1;  // images finished together
    bool show_progress = false;
};

struct SeriesResult {
    std::vector<int> images_done;      // images made by this run, ascending (every rank)
    std::vector<ImageRecord> records;  // their records, same order (every rank)
    RunTiming timing;                  // every rank's and item's (every rank)
    int stop_signal = 0;               // the signal that stopped the job, 0 if none (every rank)
};

SeriesResult render_series(const SeriesPlan& plan, Renderer& renderer, ImageSink* sink, MPI_Comm comm);

}  // namespace tilebragg
