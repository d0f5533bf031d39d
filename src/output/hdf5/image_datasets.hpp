#pragma once
// The datasets that hold the images of a series, and the per-image record that makes a
// file resumable:
//   /entry/data/data             uint16 [images, slow, fast] detector counts
//   /entry/photons/photons       float32 [images, slow, fast] noiseless photons
//   /entry/simulation/images_complete  uint8 [images]   1 once the image is durable
//   /entry/simulation/image_checksums  uint64 [images, 2] content hashes (counts, photons)
// One chunk per image, compressed; in a parallel file every write is collective (HDF5
// can only filter chunks in collective transfers).
#include <cstdint>
#include <string>
#include <vector>

#include <tilebragg/image_sink.hpp>

#include "output/hdf5/hdf5_handle.hpp"

namespace tilebragg {

inline constexpr const char* kCountsPath = "/entry/data/data";
inline constexpr const char* kPhotonsPath = "/entry/photons/photons";
inline constexpr const char* kCompletePath = "/entry/simulation/images_complete";
inline constexpr const char* kChecksumsPath = "/entry/simulation/image_checksums";

// The filter actually used: Auto is bitshuffle+LZ4 where its plugin loads, else deflate.
Compression resolve_compression(Compression wanted);
const char* compression_name(Compression c);

struct ImageDatasets {
    H5Dataset counts, photons, complete, checksums;
    int images = 0, fpixels = 0, spixels = 0;
};

// Collective: creates the datasets (and /entry/data, /entry/photons) under `entry`.
ImageDatasets create_image_datasets(hid_t entry, hid_t simulation, const SeriesIdentity& id, Compression c);
// Opens those of an existing file.
ImageDatasets open_image_datasets(hid_t file);

// Collective when `collective`: writes each rank's images (one collective transfer per
// round, a rank without an image that round taking part with an empty selection), then
// flushes, then records them complete with their checksums. The record follows the flush,
// so an image marked complete is on disk whatever happens next.
void write_finished_images(hid_t file, const ImageDatasets& d, const std::vector<FinishedImage>& mine, bool collective,
                           int ranks_max_images);

// The content hashes that image_checksums records for one image.
std::uint64_t counts_checksum(const std::uint16_t* counts, std::size_t pixels);
std::uint64_t photons_checksum(const float* photons, std::size_t pixels);

}  // namespace tilebragg
