#include <tilebragg/hdf5_image_writer.hpp>

#include <cstdint>

#include <tilebragg/hdf5_attributes.hpp>

namespace tilebragg {
namespace {

bool mpi_running() {
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    return initialised && !finalised;
}

// Writes go straight to the file: no sieve buffer, no chunk cache. What a rank has
// written is then in the file even if the process is killed before it closes it.
H5PropList file_access(MPI_Comm comm) {
    H5PropList access(H5Pcreate(H5P_FILE_ACCESS), "file access list");
    // Without MPI (a plain single-process run) the default driver writes the same file.
    if (mpi_running()) h5_check(H5Pset_fapl_mpio(access, comm, MPI_INFO_NULL), "H5Pset_fapl_mpio");
    h5_check(H5Pset_sieve_buf_size(access, 0), "H5Pset_sieve_buf_size");
    return access;
}

H5PropList uncached_dataset_access() {
    H5PropList access(H5Pcreate(H5P_DATASET_ACCESS), "dataset access list");
    h5_check(H5Pset_chunk_cache(access, 0, 0, 1.0), "H5Pset_chunk_cache");
    return access;
}

}  // namespace

std::string hdf5_temporary_path(const std::string& path) { return path + ".tmp"; }

Hdf5ImageWriter::Hdf5ImageWriter(MPI_Comm comm, const std::string& path, int images, int fpixels, int spixels,
                                 TileSize tile)
    : Hdf5ImageWriter(comm, path, Hdf5BatchInfo{images, fpixels, spixels, "", 0, 0}, tile, false) {}

Hdf5ImageWriter::Hdf5ImageWriter(MPI_Comm comm, const std::string& path, const Hdf5BatchInfo& info, TileSize tile,
                                 bool resume) {
    const bool parallel = mpi_running();
    const H5PropList access = file_access(comm);
    const std::string tmp = hdf5_temporary_path(path);
    const H5PropList uncached = uncached_dataset_access();
    transfer_ = H5PropList(H5Pcreate(H5P_DATASET_XFER), "transfer list");
    if (parallel) h5_check(H5Pset_dxpl_mpio(transfer_, H5FD_MPIO_INDEPENDENT), "H5Pset_dxpl_mpio");

    if (resume) {
        file_ = H5File(H5Fopen(tmp.c_str(), H5F_ACC_RDWR, access), "reopening " + tmp);
        data_ = H5Dataset(H5Dopen2(file_, "/entry/data/data", uncached), "opening /entry/data/data");
        complete_ = H5Dataset(H5Dopen2(file_, "/entry/simulation/images_complete", uncached),
                              "opening /entry/simulation/images_complete");
        return;
    }

    file_ = H5File(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), "creating " + tmp);

    // Group and dataset creation are collective: every rank makes the same calls.
    H5Group entry = create_group(file_, "entry", "NXentry");
    H5Group data = create_group(entry, "data", "NXdata");
    write_attribute(data, "signal", std::string("data"));

    const hsize_t dims[3] = {static_cast<hsize_t>(info.images), static_cast<hsize_t>(info.spixels),
                             static_cast<hsize_t>(info.fpixels)};
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
    data_ = H5Dataset(H5Dcreate2(data, "data", H5T_IEEE_F32LE, space, H5P_DEFAULT, create, uncached),
                      "creating /entry/data/data");
    write_attribute(data_, "units", std::string("photons"));
    write_attribute(data_, "long_name", std::string("simulated photons per pixel (no noise)"));

    // Every rank writes the same values, so the attributes survive the parallel close.
    H5Group simulation = create_group(entry, "simulation", "NXcollection");
    write_attribute(simulation, "complete", 0);
    write_attribute(simulation, "images", info.images);
    write_attribute(simulation, "fingerprint", info.fingerprint);
    write_attribute(simulation, "batch_seed", info.seed);
    write_attribute(simulation, "batch_misset_seed", info.misset_seed);

    // One byte per image, zeros written now (all ranks take part in creation), ones
    // written by whichever rank finishes an image's last tile.
    const hsize_t n = static_cast<hsize_t>(info.images);
    H5Dataspace flags(H5Screate_simple(1, &n, nullptr), "images_complete dataspace");
    H5PropList flags_create(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    const std::uint8_t no = 0;
    h5_check(H5Pset_fill_value(flags_create, H5T_NATIVE_UINT8, &no), "H5Pset_fill_value");
    h5_check(H5Pset_alloc_time(flags_create, H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time");
    h5_check(H5Pset_fill_time(flags_create, H5D_FILL_TIME_ALLOC), "H5Pset_fill_time");
    complete_ = H5Dataset(H5Dcreate2(simulation, "images_complete", H5T_STD_U8LE, flags, H5P_DEFAULT, flags_create,
                                     uncached),
                          "creating /entry/simulation/images_complete");
    write_attribute(complete_, "description", std::string("1 when every tile of the image is in /entry/data/data"));

    // The structure goes to disk now; later only raw data changes, in place.
    h5_check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flushing " + tmp);
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

void Hdf5ImageWriter::mark_image_complete(int image) {
    const hsize_t start = static_cast<hsize_t>(image), count = 1;
    H5Dataspace file_space(H5Dget_space(complete_), "images_complete dataspace");
    h5_check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, nullptr, &count, nullptr), "selecting an image");
    H5Dataspace memory(H5Screate_simple(1, &count, nullptr), "flag dataspace");
    const std::uint8_t yes = 1;
    h5_check(H5Dwrite(complete_, H5T_NATIVE_UINT8, memory, file_space, transfer_, &yes), "marking an image complete");
}

void Hdf5ImageWriter::close() {
    data_.close("closing /entry/data/data");
    complete_.close("closing /entry/simulation/images_complete");
    transfer_.reset();
    file_.close("closing the HDF5 file");
}

}  // namespace tilebragg
