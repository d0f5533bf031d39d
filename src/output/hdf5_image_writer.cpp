#include <tilebragg/hdf5_image_writer.hpp>

#include <tilebragg/hdf5_attributes.hpp>

namespace tilebragg {

std::string hdf5_temporary_path(const std::string& path) { return path + ".tmp"; }

Hdf5ImageWriter::Hdf5ImageWriter(MPI_Comm comm, const std::string& path, int images, int fpixels, int spixels,
                                 TileSize tile) {
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    const bool parallel = initialised && !finalised;
    H5PropList access(H5Pcreate(H5P_FILE_ACCESS), "file access list");
    // Without MPI (a plain single-process run) the default driver writes the same file.
    if (parallel) h5_check(H5Pset_fapl_mpio(access, comm, MPI_INFO_NULL), "H5Pset_fapl_mpio");
    const std::string tmp = hdf5_temporary_path(path);
    file_ = H5File(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), "creating " + tmp);

    // Group and dataset creation are collective: every rank makes the same calls.
    H5Group entry = create_group(file_, "entry", "NXentry");
    H5Group data = create_group(entry, "data", "NXdata");
    write_attribute(data, "signal", std::string("data"));

    const hsize_t dims[3] = {static_cast<hsize_t>(images), static_cast<hsize_t>(spixels), static_cast<hsize_t>(fpixels)};
    const hsize_t chunk[3] = {1, static_cast<hsize_t>(tile.slow), static_cast<hsize_t>(tile.fast)};
    H5Dataspace space(H5Screate_simple(3, dims, nullptr), "image dataspace");
    H5PropList create(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    h5_check(H5Pset_chunk(create, 3, chunk), "H5Pset_chunk");
    const float zero = 0.0f;
    h5_check(H5Pset_fill_value(create, H5T_NATIVE_FLOAT, &zero), "H5Pset_fill_value");
    // Parallel HDF5 needs the chunks in place before ranks write to them independently.
    h5_check(H5Pset_alloc_time(create, H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time");
    // Every pixel is written by some tile, so writing zeros first would only double the
    // I/O; a file cut short is marked by complete = 0 (and keeps its .tmp name).
    h5_check(H5Pset_fill_time(create, H5D_FILL_TIME_NEVER), "H5Pset_fill_time");
    data_ = H5Dataset(H5Dcreate2(data, "data", H5T_IEEE_F32LE, space, H5P_DEFAULT, create, H5P_DEFAULT),
                      "creating /entry/data/data");
    write_attribute(data_, "units", std::string("photons"));
    write_attribute(data_, "long_name", std::string("simulated photons per pixel (no noise)"));

    // Every rank writes the same value, so the attribute survives the parallel close.
    H5Group simulation = create_group(entry, "simulation", "NXcollection");
    write_attribute(simulation, "complete", 0);

    transfer_ = H5PropList(H5Pcreate(H5P_DATASET_XFER), "transfer list");
    if (parallel) h5_check(H5Pset_dxpl_mpio(transfer_, H5FD_MPIO_INDEPENDENT), "H5Pset_dxpl_mpio");
}

void Hdf5ImageWriter::write_tile(int image, const Tile& tile, const float* pixels) {
    const hsize_t start[3] = {static_cast<hsize_t>(image), static_cast<hsize_t>(tile.slow_begin),
                              static_cast<hsize_t>(tile.fast_begin)};
    const hsize_t count[3] = {1, static_cast<hsize_t>(tile.height()), static_cast<hsize_t>(tile.width())};
    H5Dataspace file_space(H5Dget_space(data_), "image dataspace");
    h5_check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr), "selecting a tile");
    H5Dataspace memory(H5Screate_simple(3, count, nullptr), "tile dataspace");
    h5_check(H5Dwrite(data_, H5T_NATIVE_FLOAT, memory, file_space, transfer_, pixels), "writing a tile");
}

void Hdf5ImageWriter::close() {
    data_.close("closing /entry/data/data");
    transfer_.reset();
    file_.close("closing the HDF5 file");
}

}  // namespace tilebragg
