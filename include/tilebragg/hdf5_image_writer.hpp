#pragma once
// The parallel part of the HDF5 output: every rank of the job opens the file together,
// writes the tiles it rendered into /entry/data/data (independent transfers, one tile
// at a time, so a rank never waits for another), and closes it together. The file is
// "<path>.tmp" until hdf5_finish_file() has written the metadata and renamed it.
//
// Batches survive interruption (docs/batch.md): right after creation the file's
// structure is flushed, and from then on only raw data changes in place (chunks and
// /entry/simulation/images_complete are allocated up front, no cache holds them), so a
// run killed at any point leaves a readable FILE.tmp whose images_complete[i] = 1 says
// image i is whole. A later run with the same parameters reopens it and renders the rest.
#include <mpi.h>

#include <string>

#include <tilebragg/hdf5_handle.hpp>
#include <tilebragg/tiling.hpp>

namespace tilebragg {

std::string hdf5_temporary_path(const std::string& path);

// What a file must agree on for a run to resume into it; recorded at creation.
struct Hdf5BatchInfo {
    int images = 1, fpixels = 0, spixels = 0;
    std::string fingerprint;    // the options that decide the pixels (Params::fingerprint)
    long seed = 0, misset_seed = 0;  // as stored (negated); clock seeds must be reused
};

class Hdf5ImageWriter {
public:
    // Collective. Creates "<path>.tmp" with /entry, /entry/data/data float32
    // [images, spixels, fpixels] chunked by `tile`, /entry/simulation with complete = 0,
    // the batch record and images_complete = 0; or, with `resume`, reopens the existing
    // "<path>.tmp" (checked by read_unfinished_file first) to fill in the missing images.
    Hdf5ImageWriter(MPI_Comm comm, const std::string& path, const Hdf5BatchInfo& info, TileSize tile, bool resume);
    // Single images, as before batches.
    Hdf5ImageWriter(MPI_Comm comm, const std::string& path, int images, int fpixels, int spixels, TileSize tile);
    // Independent: writes one rendered tile of one image.
    void write_tile(int image, const Tile& tile, const float* pixels);
    // Independent: records that every tile of `image` is in the file.
    void mark_image_complete(int image);
    // Collective: flushes and closes the file.
    void close();

private:
    H5File file_;
    H5Dataset data_, complete_;
    H5PropList transfer_;
};

}  // namespace tilebragg
