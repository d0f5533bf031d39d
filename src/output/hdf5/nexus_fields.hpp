#pragma once
// NeXus fields the NXmx writers need beyond hdf5_attributes.hpp: transformation axes,
// booleans, integers, the compressed pixel mask, ISO 8601 times.
//
// Parallel use: each function works on a file opened by one process, or through MPI-IO
// with every rank calling it with the same arguments. Small datasets are contiguous and
// every rank writes the same bytes; text goes into fixed-length strings (HDF5 writes no
// variable-length data in parallel); the compressed mask is written collectively.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include <tilebragg/nxmx_geometry.hpp>
#include "output/hdf5/hdf5_attributes.hpp"

namespace tilebragg {

// One NXtransformations axis as a scalar dataset with its attributes; `depends_on` is
// the HDF5 path of the next axis, or "." at the end of the chain.
H5Dataset write_transformation(hid_t group, const NxTransformation& t, const std::string& depends_on);

// The same axis with one value per image (a scan); `ends`, when given, is written as
// NAME_end (where each image's sweep ends) and `increment` as NAME_increment_set.
H5Dataset write_scan_axis(hid_t group, const NxTransformation& t, const std::vector<double>& starts,
                          const std::vector<double>& ends, double increment);

// NX_BOOLEAN as an 8-bit integer (h5py, silx and the nxmx reader take it as a number).
void write_flag(hid_t parent, const std::string& name, bool value);

// A whole number as a 64-bit integer scalar, or a 1-D array of them.
void write_integer(hid_t parent, const std::string& name, long value, const std::string& units);
void write_integers(hid_t parent, const std::string& name, const std::vector<long>& values);

// A 32-bit image [slow, fast], deflate-compressed in one chunk.
void write_compressed_image(hid_t parent, const std::string& name, const std::vector<std::uint32_t>& pixels,
                            int fpixels, int spixels);

// "2026-01-31T12:34:56.789Z": seconds since the Unix epoch, in UTC.
std::string iso8601_utc(double seconds_since_epoch);

}  // namespace tilebragg
