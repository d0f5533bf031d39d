#pragma once
// The record that makes a file resumable: which options, inputs and seeds made it.
// Attributes of /entry/simulation, written when the file is created.
#include <tilebragg/image_sink.hpp>

#include "output/hdf5/hdf5_attributes.hpp"

namespace tilebragg {

void write_series_identity(hid_t simulation, const SeriesIdentity& id);
// False when an attribute is missing (a file not made by this version).
bool read_series_identity(hid_t simulation, SeriesIdentity& id);

}  // namespace tilebragg
