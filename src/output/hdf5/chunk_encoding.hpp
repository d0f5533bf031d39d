#pragma once
// A chunk of an image dataset encoded the way HDF5's filter pipeline stores it, so that it
// can be written with H5Dwrite_chunk and read back by any HDF5 reader through the usual
// filters. Encoding here rather than in HDF5 lets the rank that owns an image compress it
// with all its threads (HDF5 filters a chunk on one thread, and copies it twice on the
// way), and lets one rank write chunks that the others compressed.
//
// Formats (the decoders are HDF5's shuffle and deflate filters and the bitshuffle plugin):
//   bitshuffle + LZ4 (filter 32008): a 12-byte header (uncompressed bytes as a big-endian
//     uint64, block size in bytes as a big-endian uint32), then per block of elements a
//     big-endian uint32 byte count and the LZ4 block of its bit planes; the elements that
//     do not fill a multiple of 8 at the end are stored as they are.
//   shuffle + deflate (filters 2 and 1): the bytes of the elements regrouped by byte
//     position, then one zlib stream.
// Neither depends on the machine beyond its byte order: HDF5 chunks hold the file's byte
// order, and the images are written little-endian from little-endian hosts.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include <tilebragg/params.hpp>

namespace tilebragg {

// Bytes that a resize leaves as they are: an encoded chunk's buffer is reused from image
// to image, and zeroing it (or faulting in fresh pages) would cost as much as LZ4.
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
        using other = UninitialisedAllocator<U>;
    };
    UninitialisedAllocator() = default;
    template <typename U>
    UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}
    template <typename U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};
using ChunkBytes = std::vector<unsigned char, UninitialisedAllocator<unsigned char>>;

// Consecutive full bitshuffle blocks of a chunk, encoded as the chunk stores them (each a
// big-endian byte count and its LZ4 block). Blocks are independent, so a rank that holds
// some rows of an image can encode the blocks inside them and the image's owner splice
// them in (encode_chunk's `given`).
struct BlockRun {
    std::size_t first = 0, count = 0;  // block indices in the chunk
    ChunkBytes bytes;
};
// A run whose bytes are held elsewhere (a BlockRun, a message received whole), so that
// splicing it in copies its bytes once.
struct BlockRunView {
    std::size_t first = 0, count = 0;
    const unsigned char* bytes = nullptr;
    std::size_t size = 0;
};
inline BlockRunView view_of(const BlockRun& r) { return {r.first, r.count, r.bytes.data(), r.bytes.size()}; }

// The full blocks of a chunk of `chunk_elements` elements that lie wholly within the
// elements [begin, begin + n) held at `elements`; count 0 when none does.
void encode_bitshuffle_blocks(const void* elements, std::size_t begin, std::size_t n, std::size_t chunk_elements,
                              std::size_t element_size, BlockRun& run);

// `bytes` bytes of elements `element_size` wide, encoded into `out` for the filters of `c`
// (None: the bytes as they are). Uses a thread team for large bitshuffle chunks outside a
// parallel region; blocks are independent, so the bytes do not depend on the thread count.
// `given` (bitshuffle only): runs of this chunk's blocks encoded elsewhere from the same
// elements, copied instead of encoded again; throws std::runtime_error if one is malformed.
void encode_chunk(const void* data, std::size_t bytes, std::size_t element_size, Compression c, ChunkBytes& out,
                  const std::vector<BlockRunView>& given = {});
// The size encode_chunk makes `out` before it packs a bitshuffle chunk of `bytes` bytes:
// a buffer this large is reused without growing.
std::size_t bitshuffle_chunk_bound(std::size_t bytes, std::size_t element_size);

// The bit planes of `n` elements (n a multiple of 8) as bitshuffle stores a block: for
// each byte of an element and each bit of it (least significant first), n / 8 bytes in
// which bit i % 8 of byte i / 8 is that bit of element i.
void bit_planes(const unsigned char* in, unsigned char* out, std::size_t n, std::size_t element_size);

// The elements of a bitshuffle block, by element size (the filter's default, 8 KiB).
std::size_t bitshuffle_block_elements(std::size_t element_size);

}  // namespace tilebragg
