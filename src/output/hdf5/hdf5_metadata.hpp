#pragma once
// The descriptive part of the HDF5 file: the NXmx entry (docs/hdf5-layout.md) and the
// record of the run in /entry/simulation. Written while the file is still open, by every
// rank of a parallel file with the same calls and values (src/output/hdf5/file_metadata.hpp
// has the writers).
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_sink.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/timing_records.hpp>

namespace tilebragg {

// What /entry/sample says about one image of a batch.
using Hdf5ImageRecord = ImageRecord;

struct Hdf5RunDescription {
    TileSize tile;
    Schedule schedule = Schedule::Dynamic;
    int ranks = 1;
    RunTiming timing;
    std::vector<Hdf5ImageRecord> images;  // one per image; empty: one image, from the Experiment
    std::string series;                   // "rotation" or "serial" for batches
    int images_resumed = 0;               // images found complete in an interrupted file
    std::string backend = "cpu";          // the renderers that made the images ("cpu, cuda": both kinds)
    std::string device;                   // where they ran, every different one
    // Wall-clock seconds since the Unix epoch (/entry/start_time, end_time): when the run
    // started and when its last image was in; the same values on every rank.
    double start_epoch_s = 0, end_epoch_s = 0;
};

}  // namespace tilebragg
