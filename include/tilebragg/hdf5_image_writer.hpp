#pragma once
// The parallel part of the HDF5 output: every rank of the job opens the file together,
// writes the tiles it rendered into /entry/data/data (independent transfers, one tile
// at a time, so a rank never waits for another), and closes it together. The file is
// "<path>.tmp" until hdf5_finish_file() has written the metadata and renamed it.
#include <mpi.h>

#include <string>

#include <tilebragg/hdf5_handle.hpp>
#include <tilebragg/kernel.hpp>
#include <tilebragg/tiling.hpp>

namespace tilebragg {

std::string hdf5_temporary_path(const std::string& path);

class Hdf5ImageWriter {
public:
    // Collective. Creates the file, /entry, /entry/data/data float32
    // [images, spixels, fpixels] chunked by `tile`, and /entry/simulation with
    // complete = 0.
    Hdf5ImageWriter(MPI_Comm comm, const std::string& path, int images, int fpixels, int spixels, TileSize tile);
    // Independent: writes one rendered tile of one image.
    void write_tile(int image, const Tile& tile, const float* pixels);
    // Collective: flushes and closes the file.
    void close();

private:
    H5File file_;
    H5Dataset data_;
    H5PropList transfer_;
};

}  // namespace tilebragg
