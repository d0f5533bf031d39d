#include "output/hdf5/hdf5_attributes.hpp"

#include <algorithm>

namespace tilebragg {
namespace {

H5Datatype text_type() {
    H5Datatype t(H5Tcopy(H5T_C_S1), "string type");
    h5_check(H5Tset_size(t, H5T_VARIABLE), "H5Tset_size");
    h5_check(H5Tset_cset(t, H5T_CSET_UTF8), "H5Tset_cset");
    return t;
}

// Text datasets use fixed-length strings: through MPI-IO, HDF5 writes no variable-length
// data (the metadata may be written by every rank of a parallel run).
H5Datatype fixed_text_type(std::size_t bytes) {
    H5Datatype t(H5Tcopy(H5T_C_S1), "string type");
    h5_check(H5Tset_size(t, std::max<std::size_t>(bytes, 1)), "H5Tset_size");
    h5_check(H5Tset_strpad(t, H5T_STR_NULLTERM), "H5Tset_strpad");
    h5_check(H5Tset_cset(t, H5T_CSET_UTF8), "H5Tset_cset");
    return t;
}

H5Dataspace scalar_space() { return H5Dataspace(H5Screate(H5S_SCALAR), "scalar dataspace"); }

H5Dataspace simple_space(const std::vector<hsize_t>& dims) {
    return H5Dataspace(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "dataspace");
}

void put_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t memory_type, hid_t space,
                   const void* value) {
    if (H5Aexists(object, name.c_str()) > 0) h5_check(H5Adelete(object, name.c_str()), "replacing attribute " + name);
    H5Attribute a(H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), "attribute " + name);
    if (H5Sget_simple_extent_type(space) == H5S_NULL) return;  // an empty list: nothing to write
    h5_check(H5Awrite(a, memory_type, value), "writing attribute " + name);
}

H5Dataset put_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t memory_type, hid_t space,
                      const void* value, const std::string& units) {
    H5Dataset d(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                "dataset " + name);
    h5_check(H5Dwrite(d, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, value), "writing dataset " + name);
    if (!units.empty()) write_attribute(d, "units", units);
    return d;
}

}  // namespace

H5Group create_group(hid_t parent, const std::string& name, const std::string& nx_class) {
    H5Group g(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "group " + name);
    write_attribute(g, "NX_class", nx_class);
    return g;
}

H5Group open_group(hid_t parent, const std::string& path) {
    return H5Group(H5Gopen2(parent, path.c_str(), H5P_DEFAULT), "opening group " + path);
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
    const H5Datatype t = text_type();
    const char* p = value.c_str();
    put_attribute(object, name, t, t, scalar_space(), &p);
}
void write_attribute(hid_t object, const std::string& name, const char* value) {
    write_attribute(object, name, std::string(value));
}
void write_attribute(hid_t object, const std::string& name, double value) {
    put_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space(), &value);
}
void write_attribute(hid_t object, const std::string& name, long value) {
    put_attribute(object, name, H5T_STD_I64LE, H5T_NATIVE_LONG, scalar_space(), &value);
}
void write_attribute(hid_t object, const std::string& name, int value) {
    put_attribute(object, name, H5T_STD_I32LE, H5T_NATIVE_INT, scalar_space(), &value);
}
void write_attribute(hid_t object, const std::string& name, bool value) {
    write_attribute(object, name, value ? 1 : 0);
}
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values) {
    put_attribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, simple_space({values.size()}), values.data());
}
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
    const H5Datatype t = text_type();
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& v : values) pointers.push_back(v.c_str());
    // An empty list is a null dataspace: HDF5 refuses attributes of zero extent.
    const H5Dataspace space =
        values.empty() ? H5Dataspace(H5Screate(H5S_NULL), "null dataspace") : simple_space({values.size()});
    put_attribute(object, name, t, t, space, pointers.data());
}
void write_attribute(hid_t object, const std::string& name, const Vec3& value) {
    write_attribute(object, name, std::vector<double>{value.x, value.y, value.z});
}

H5Dataset write_dataset(hid_t parent, const std::string& name, double value, const std::string& units) {
    return put_dataset(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space(), &value, units);
}
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::string& value) {
    const H5Datatype t = fixed_text_type(value.size() + 1);
    return put_dataset(parent, name, t, t, scalar_space(), value.c_str(), "");
}
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<double>& values,
                        const std::string& units, const std::vector<hsize_t>& shape) {
    const std::vector<hsize_t> dims = shape.empty() ? std::vector<hsize_t>{values.size()} : shape;
    return put_dataset(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, simple_space(dims), values.data(), units);
}
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<long>& values,
                        const std::string& units) {
    return put_dataset(parent, name, H5T_STD_I64LE, H5T_NATIVE_LONG, simple_space({values.size()}), values.data(),
                       units);
}
H5Dataset write_dataset(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
    std::size_t width = 1;
    for (const auto& v : values) width = std::max(width, v.size() + 1);
    std::vector<char> packed(values.size() * width, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) values[i].copy(packed.data() + i * width, values[i].size());
    const H5Datatype t = fixed_text_type(width);
    return put_dataset(parent, name, t, t, simple_space({values.size()}), packed.data(), "");
}

}  // namespace tilebragg
