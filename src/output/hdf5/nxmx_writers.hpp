#pragma once
// The NXmx part of the HDF5 file (docs/hdf5-layout.md), one writer per NeXus group. Each
// works on a file opened by one process or, with every rank making the same calls with
// the same arguments, on a file opened through MPI-IO (see nexus_fields.hpp).
#include <hdf5.h>

#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include "output/hdf5/hdf5_metadata.hpp"

namespace tilebragg {

// Root attributes (@default, file_name, file_time) and every NXmx field of /entry, which
// must exist already: definition, times, source, instrument (beam, detector), sample.
// `file_name` is the file's final name (not the temporary one).
void write_nxmx(hid_t file, const std::string& file_name, const Experiment& e, const Hdf5RunDescription& run);

void write_nxmx_beam(hid_t instrument, const Experiment& e);
void write_nxmx_detector(hid_t instrument, const Experiment& e);
// `scan`: a rotation series (or one image), whose images sweep consecutive phi ranges;
// otherwise serial stills, all starting at phi0.
void write_nxmx_sample(hid_t entry, const Experiment& e, const std::vector<Hdf5ImageRecord>& images, bool scan);

}  // namespace tilebragg
