#include "output/hdf5/nexus_fields.hpp"

#include <mpi.h>

#include <cmath>
#include <ctime>

namespace tilebragg {
namespace {

void write_axis_attributes(hid_t axis, const NxTransformation& t, const std::string& depends_on) {
    write_attribute(axis, "units", t.rotation ? "deg" : "m");
    write_attribute(axis, "transformation_type", t.rotation ? "rotation" : "translation");
    write_attribute(axis, "vector", t.vector);
    write_attribute(axis, "offset", Vec3{0, 0, 0});
    write_attribute(axis, "offset_units", "m");
    write_attribute(axis, "depends_on", depends_on);
    if (!t.description.empty()) write_attribute(axis, "description", t.description);
}

H5Dataspace image_space(int fpixels, int spixels) {
    const hsize_t dims[2] = {static_cast<hsize_t>(spixels), static_cast<hsize_t>(fpixels)};
    return H5Dataspace(H5Screate_simple(2, dims, nullptr), "image dataspace");
}

// The rank of this process in the communicator the file was opened with; -1 when the
// file was opened without MPI-IO.
int rank_in_file_communicator(hid_t object) {
#ifdef H5_HAVE_PARALLEL
    H5File file(H5Iget_file_id(object), "file of " + std::to_string(object));
    H5PropList access(H5Fget_access_plist(file), "file access list");
    if (H5Pget_driver(access) != H5FD_MPIO) return -1;
    MPI_Comm comm = MPI_COMM_NULL;
    MPI_Info info = MPI_INFO_NULL;
    h5_check(H5Pget_fapl_mpio(access, &comm, &info), "H5Pget_fapl_mpio");
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_free(&comm);
    if (info != MPI_INFO_NULL) MPI_Info_free(&info);
    return rank;
#else
    (void)object;
    return -1;
#endif
}

}  // namespace

H5Dataset write_transformation(hid_t group, const NxTransformation& t, const std::string& depends_on) {
    H5Dataset axis = write_dataset(group, t.name, t.value, "");
    write_axis_attributes(axis, t, depends_on);
    return axis;
}

H5Dataset write_scan_axis(hid_t group, const NxTransformation& t, const std::vector<double>& starts,
                          const std::vector<double>& ends, double increment) {
    const std::string units = t.rotation ? "deg" : "m";
    H5Dataset axis = write_dataset(group, t.name, starts, "");
    write_axis_attributes(axis, t, ".");
    if (!ends.empty()) write_dataset(group, t.name + "_end", ends, units);
    if (std::isfinite(increment)) write_dataset(group, t.name + "_increment_set", increment, units);
    return axis;
}

void write_flag(hid_t parent, const std::string& name, bool value) {
    H5Dataspace scalar(H5Screate(H5S_SCALAR), "scalar dataspace");
    H5Dataset d(H5Dcreate2(parent, name.c_str(), H5T_STD_I8LE, scalar, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                "dataset " + name);
    const signed char v = value ? 1 : 0;
    h5_check(H5Dwrite(d, H5T_NATIVE_SCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v), "writing dataset " + name);
}

void write_integer(hid_t parent, const std::string& name, long value, const std::string& units) {
    H5Dataspace scalar(H5Screate(H5S_SCALAR), "scalar dataspace");
    H5Dataset d(H5Dcreate2(parent, name.c_str(), H5T_STD_I64LE, scalar, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                "dataset " + name);
    h5_check(H5Dwrite(d, H5T_NATIVE_LONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), "writing dataset " + name);
    if (!units.empty()) write_attribute(d, "units", units);
}

void write_integers(hid_t parent, const std::string& name, const std::vector<long>& values) {
    write_dataset(parent, name, values, "");
}

void write_compressed_image(hid_t parent, const std::string& name, const std::vector<std::uint32_t>& pixels,
                            int fpixels, int spixels) {
    H5Dataspace space = image_space(fpixels, spixels);
    H5PropList create(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    const hsize_t chunk[2] = {static_cast<hsize_t>(spixels), static_cast<hsize_t>(fpixels)};
    h5_check(H5Pset_chunk(create, 2, chunk), "H5Pset_chunk");
    h5_check(H5Pset_deflate(create, 6), "H5Pset_deflate");
    H5Dataset d(H5Dcreate2(parent, name.c_str(), H5T_STD_U32LE, space, H5P_DEFAULT, create, H5P_DEFAULT),
                "dataset " + name);
    // Through MPI-IO a filtered dataset takes collective writes only; one rank brings the
    // pixels (they are the same on every rank) and the others take part with nothing.
    H5PropList transfer(H5Pcreate(H5P_DATASET_XFER), "transfer list");
    H5Dataspace memory = image_space(fpixels, spixels);
    H5Dataspace file_space = image_space(fpixels, spixels);
    const int rank = rank_in_file_communicator(parent);
#ifdef H5_HAVE_PARALLEL
    if (rank >= 0) h5_check(H5Pset_dxpl_mpio(transfer, H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio");
#endif
    if (rank > 0) {
        h5_check(H5Sselect_none(memory), "H5Sselect_none");
        h5_check(H5Sselect_none(file_space), "H5Sselect_none");
    }
    h5_check(H5Dwrite(d, H5T_NATIVE_UINT32, memory, file_space, transfer, pixels.data()), "writing dataset " + name);
}

std::string iso8601_utc(double seconds_since_epoch) {
    const double whole = std::floor(seconds_since_epoch);
    const std::time_t t = static_cast<std::time_t>(whole);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
    char text[48];
    const int millis = static_cast<int>(std::floor((seconds_since_epoch - whole) * 1000.0));
    std::snprintf(text, sizeof text, "%s.%03dZ", date, millis);
    return text;
}

}  // namespace tilebragg
