#pragma once
// The metadata writers behind hdf5_finish_file(), for a writer that holds the open file.
// They work on a file opened serially by one process or through MPI-IO with every rank
// calling them with the same arguments (nexus_fields.hpp says how).
#include <hdf5.h>

#include <string>

#include "output/hdf5/hdf5_metadata.hpp"

namespace tilebragg {

// Everything but `complete = 1`: the NXmx entry and /entry/simulation (which must exist,
// as Hdf5ImageWriter creates it). `path` is the file's final name; the run's start and
// end times must be set.
void write_file_metadata(hid_t file, const std::string& path, const Experiment& e, const Hdf5RunDescription& run);

// Every field of Params as one attribute of `group`, named after the field with its
// SI unit as a suffix (distance_m, cell_alpha_rad); unset values stay NaN or -1.
void write_params_attributes(hid_t group, const Params& p);

}  // namespace tilebragg
