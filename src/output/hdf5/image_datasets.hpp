#pragma once
// The datasets that hold the images of a series, and the per-image record that makes a
// file resumable:
//   /entry/data/data             uint16 [images, slow, fast] detector counts
//   /entry/photons/photons       float32 [images, slow, fast] noiseless photons
//   /entry/simulation/images_complete  uint8 [images]   1 once the image is durable
//   /entry/simulation/image_checksums  uint64 [images, 2] content hashes (counts, photons)
// One chunk per image (bands of rows past 1 GiB), compressed by the rank that owns the
// image (chunk_encoding.hpp) and written as it is by the one process that has the file
// open (H5Dwrite_chunk).
#include <cstdint>
#include <string>
#include <vector>

#include <tilebragg/image_sink.hpp>

#include "output/hdf5/chunk_encoding.hpp"
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

// Creates the datasets (and /entry/data, /entry/photons) under `entry`.
ImageDatasets create_image_datasets(hid_t entry, hid_t simulation, const SeriesIdentity& id, Compression c);
// Opens those of an existing file.
ImageDatasets open_image_datasets(hid_t file);

// How the images are cut into chunks and compressed: read from the datasets by the
// process that has the file open, and sent to the ranks that encode images.
struct ChunkLayout {
    Compression compression = Compression::None;
    int counts_rows = 0, photons_rows = 0;  // rows of the image per chunk
    int fpixels = 0, spixels = 0;
};
ChunkLayout chunk_layout(const ImageDatasets& d);

// One image encoded for the file on the rank that owns it: its chunks as stored, in row
// order, and its content hashes.
struct ImageChecksums {
    int image = 0;
    std::uint64_t counts = 0, photons = 0;
};
struct EncodedImage {
    ImageChecksums sums;
    std::vector<ChunkBytes> counts, photons;
};
// Encodes one image into `e` (checksums, then chunks), reusing its buffers: what
// encode_images gives for each image of a wave, whatever its threads (the unit tests
// compare the two; the sink calls encode_images).
void encode_image(const FinishedImage& f, const ChunkLayout& l, EncodedImage& e);
// Blocks of an image that other ranks encoded from the rows they rendered (bitshuffle,
// one chunk per image: rows_encoded_elsewhere), where they were received.
struct GivenBlocks {
    std::vector<BlockRunView> counts, photons;
};
// Encodes a wave's images into `out` (resized to match, buffers reused) with this rank's
// threads; the bytes and checksums do not depend on the thread count. `given`: null, or
// one entry per image, whose blocks are copied rather than encoded (the same bytes).
void encode_images(const std::vector<FinishedImage>& images, const ChunkLayout& l, std::vector<EncodedImage>& out,
                   const std::vector<GivenBlocks>* given = nullptr);
// Whether other ranks can encode parts of an image's chunks: bitshuffle, one chunk per image.
bool blocks_can_be_given(const ChunkLayout& l);
// Bitshuffle: the most bytes an image's chunks take while being encoded, and `e`'s chunks
// readied for that, every page written once (the kernel maps them now, not while an image
// is encoded into them). Other compressions: 0, and nothing is done.
std::size_t encoded_image_bound(const ChunkLayout& l);
void ready_for_encoding(EncodedImage& e, const ChunkLayout& l);
// At least `n` bytes in `b`, every page written once (kept as they are when it already has
// the room).
void ready_buffer(ChunkBytes& b, std::size_t n);

// Writes the chunks of one encoded image.
void write_encoded_image(const ImageDatasets& d, const ChunkLayout& l, const EncodedImage& e);

// Flushes, then records `written` complete with their checksums. The record follows the
// flush, so an image marked complete is on disk whatever happens next.
void record_images_complete(hid_t file, const ImageDatasets& d, const std::vector<ImageChecksums>& written);

// The content hashes that image_checksums records for one image.
std::uint64_t counts_checksum(const std::uint16_t* counts, std::size_t pixels);
std::uint64_t photons_checksum(const float* photons, std::size_t pixels);

}  // namespace tilebragg
