#pragma once
// The metadata of the HDF5 file: the NXmx entry (docs/hdf5-layout.md) and the record of
// the run in /entry/simulation. hdf5_finish_file() is the serial path: rank 0 alone,
// after the parallel close, reopens "<path>.tmp", writes it all, sets complete = 1 and
// renames the file to <path>. The writers themselves (src/output/hdf5/file_metadata.hpp)
// also work on a file open in parallel, every rank making the same calls.
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/timing_records.hpp>

namespace tilebragg {

// What /entry/sample says about one image of a batch.
struct Hdf5ImageRecord {
    double phi_deg = 0;                 // start of the image's oscillation
    Vec3 a_star, b_star, c_star;        // 1/Angstrom, lab frame at phi = 0, misset applied
    double cell[6] = {0, 0, 0, 0, 0, 0};
};

struct Hdf5RunDescription {
    TileSize tile;
    Schedule schedule = Schedule::Dynamic;
    int ranks = 1;
    RunTiming timing;
    std::vector<Hdf5ImageRecord> images;  // one per image; empty: one image, from the Experiment
    std::string series;                   // "rotation" or "serial" for batches
    int images_resumed = 0;               // images found complete in an interrupted file
    // Wall-clock seconds since the Unix epoch (/entry/start_time, end_time): when the run
    // started and when its last image was in. 0: hdf5_finish_file takes the present
    // moment (a parallel writer must pass the same values on every rank).
    double start_epoch_s = 0, end_epoch_s = 0;
};

Hdf5ImageRecord image_record(const Experiment& e, double phi_deg);

// The present moment in seconds since the Unix epoch.
double epoch_seconds_now();

void hdf5_finish_file(const std::string& path, const Experiment& e, const Hdf5RunDescription& run);

}  // namespace tilebragg
