#pragma once
// NeXus-style building blocks over the HDF5 C API: groups with an NX_class, attributes
// and small datasets of numbers or text, each dataset with its units as an attribute.
// Text is UTF-8: attributes variable-length (h5py returns str), datasets fixed-length and
// null-terminated, since HDF5 cannot write variable-length data through MPI-IO (h5py
// returns bytes).
#include <string>
#include <vector>

#include <tilebragg/vec3.hpp>
#include "output/hdf5/hdf5_handle.hpp"

namespace tilebragg {

H5Group create_group(hid_t parent, const std::string& name, const std::string& nx_class);
H5Group open_group(hid_t parent, const std::string& path);

// Attributes replace an existing one of the same name.
void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, const char* value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, long value);
void write_attribute(hid_t object, const std::string& name, int value);
void write_attribute(hid_t object, const std::string& name, bool value);
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values);
void write_attribute(hid_t object, const std::string& name, const Vec3& value);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values);

// Datasets; `units` empty: no units attribute. `shape` empty: one dimension.
H5Dataset write_dataset(hid_t parent, const std::string& name, double value, const std::string& units);
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::string& value);
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<double>& values,
                        const std::string& units, const std::vector<hsize_t>& shape = {});
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<long>& values,
                        const std::string& units);
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& values);

}  // namespace tilebragg
