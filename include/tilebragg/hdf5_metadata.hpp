#pragma once
// The serial part of the HDF5 output, run by rank 0 alone after the parallel close
// (attributes written by one rank while the file is open in parallel are lost):
// instrument, sample, every resolved parameter, the timing tables, then complete = 1
// and the rename of "<path>.tmp" to <path>.
#include <string>
#include <vector>

#include <hdf5.h>

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
};

Hdf5ImageRecord image_record(const Experiment& e, double phi_deg);

void hdf5_finish_file(const std::string& path, const Experiment& e, const Hdf5RunDescription& run);

// Every field of Params as one attribute of `group`, named after the field with its
// SI unit as a suffix (distance_m, cell_alpha_rad); unset values stay NaN or -1.
void write_params_attributes(hid_t group, const Params& p);

}  // namespace tilebragg
