#pragma once
// The descriptive part of the HDF5 file: instrument, sample, every resolved parameter,
// the timing tables, then complete = 1. Written while the file is still open, by every
// rank of a parallel file with the same calls and values (attributes and datasets are
// metadata that all ranks must create together).
#include <string>
#include <vector>

#include <hdf5.h>

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
    std::string backend = "cpu";          // the renderer that made the images
};


// The instrument, sample and simulation record of a file being written: every rank of a
// parallel file makes these same calls with the same arguments, before the file is closed.
void write_file_metadata(hid_t file, const Experiment& e, const Hdf5RunDescription& run);

// Every field of Params as one attribute of `group`, named after the field with its
// SI unit as a suffix (distance_m, cell_alpha_rad); unset values stay NaN or -1.
void write_params_attributes(hid_t group, const Params& p);

}  // namespace tilebragg
