#include "output/hdf5/chunk_encoding.hpp"

#include <lz4.h>
#include <omp.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <tilebragg/thread_team.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tilebragg {
namespace {

// What the bitshuffle filter calls its default block: 8 KiB of elements, a multiple of 8
// elements, at least 128.
constexpr std::size_t kBitshuffleBlockBytes = 8192;
// HDF5's deflate level of the files written through its own filter (H5Pset_deflate(4)).
constexpr int kDeflateLevel = 4;

void put_be(unsigned char* at, std::uint64_t value, int bytes) {
    for (int k = bytes - 1; k >= 0; --k) {
        at[k] = static_cast<unsigned char>(value & 0xff);
        value >>= 8;
    }
}

// Transposes the 8 x 8 bits of x: bit 8 m + k becomes bit 8 k + m (byte m of x is element
// m's byte; byte k of the result is bit k of the eight elements).
std::uint64_t transpose_bits_8x8(std::uint64_t x) {
    std::uint64_t t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAull;
    x ^= t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCull;
    x ^= t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0ull;
    x ^= t ^ (t << 28);
    return x;
}

// One byte of every element (`plane`, n bytes) to its 8 rows of bits in `out` (row k at
// out + k * row_bytes).
void byte_plane_to_bits(const unsigned char* plane, std::size_t n, unsigned char* out, std::size_t row_bytes) {
    std::size_t i = 0;
#if defined(__SSE2__)
    // 16 elements at a time: the top bit of each byte is collected by movemask, then every
    // byte is shifted up by one bit (a 16-bit shift moves nothing into a byte's top bit
    // from its neighbour).
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(plane + i));
        for (int k = 7; k >= 0; --k) {
            const auto bits = static_cast<std::uint16_t>(_mm_movemask_epi8(v));
            unsigned char* row = out + static_cast<std::size_t>(k) * row_bytes + i / 8;
            row[0] = static_cast<unsigned char>(bits & 0xff);
            row[1] = static_cast<unsigned char>(bits >> 8);
            v = _mm_slli_epi16(v, 1);
        }
    }
#endif
    for (; i + 8 <= n; i += 8) {
        std::uint64_t x = 0;
        for (int m = 0; m < 8; ++m) x |= static_cast<std::uint64_t>(plane[i + m]) << (8 * m);
        x = transpose_bits_8x8(x);
        for (int k = 0; k < 8; ++k)
            out[static_cast<std::size_t>(k) * row_bytes + i / 8] = static_cast<unsigned char>(x >> (8 * k));
    }
}

// The bytes of `count` elements regrouped by byte position: byte j of element i at
// j * count + i.
void byte_planes(const unsigned char* in, std::size_t count, std::size_t e, unsigned char* out) {
    switch (e) {
        case 2:
            for (std::size_t i = 0; i < count; ++i) {
                out[i] = in[2 * i];
                out[count + i] = in[2 * i + 1];
            }
            return;
        case 4:
            for (std::size_t i = 0; i < count; ++i) {
                out[i] = in[4 * i];
                out[count + i] = in[4 * i + 1];
                out[2 * count + i] = in[4 * i + 2];
                out[3 * count + i] = in[4 * i + 3];
            }
            return;
        default:
            for (std::size_t i = 0; i < count; ++i)
                for (std::size_t j = 0; j < e; ++j) out[j * count + i] = in[i * e + j];
    }
}

// Block b's bit planes, LZ4-compressed into dst + 4 (room for `capacity` bytes); returns
// the compressed size (<= 0: LZ4 failed). `scratch` holds two blocks.
int encode_block(const unsigned char* elements, std::size_t count, std::size_t e, unsigned char* dst,
                 std::size_t capacity, std::vector<unsigned char>& scratch) {
    scratch.resize(2 * count * e);
    unsigned char* grouped = scratch.data();
    unsigned char* planes = grouped + count * e;
    byte_planes(elements, count, e, grouped);
    for (std::size_t j = 0; j < e; ++j) byte_plane_to_bits(grouped + j * count, count, planes + j * count, count / 8);
    return LZ4_compress_default(reinterpret_cast<const char*>(planes), reinterpret_cast<char*>(dst + 4),
                                static_cast<int>(count * e), static_cast<int>(capacity));
}

std::size_t block_slot(std::size_t block, std::size_t e) {
    return 4 + static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(block * e)));
}

// How a bitshuffle chunk of `bytes` bytes is cut: full blocks, then one block of the rest
// rounded down to 8 elements, then the last n % 8 elements as they are; each block is
// compressed into a slot of its own before the blocks are packed.
struct BitshuffleShape {
    std::size_t n, block, full, last, blocks, raw_tail, slot;
    BitshuffleShape(std::size_t bytes, std::size_t e)
        : n(bytes / e),
          block(bitshuffle_block_elements(e)),
          full(n / block),
          last((n % block) / 8 * 8),
          blocks(full + (last ? 1 : 0)),
          raw_tail((n % 8) * e),
          slot(block_slot(block, e)) {}
    std::size_t bound() const { return 12 + blocks * slot + raw_tail; }
};

// Encodes blocks [first, first + count) of `block` elements each, read from `in` (block
// `first` at in[0]), into slots of `slot` bytes at `slots`; their sizes into `sizes`.
void encode_blocks(const unsigned char* in, std::size_t first, std::size_t count, std::size_t block, std::size_t e,
                   const std::vector<char>* skip, unsigned char* slots, std::size_t slot, std::vector<int>& sizes) {
    sizes.assign(count, 0);
    // A pass over the pixels like the image's other passes, with their threshold.
    const bool team = count * block >= kThreadTeamMinPixels && !omp_in_parallel();
#pragma omp parallel if (team)
    {
        std::vector<unsigned char> scratch;
#pragma omp for schedule(static)
        for (long k = 0; k < static_cast<long>(count); ++k) {
            const std::size_t b = static_cast<std::size_t>(k);
            if (skip && (*skip)[first + b]) continue;
            sizes[b] = encode_block(in + b * block * e, block, e, slots + b * slot, slot - 4, scratch);
        }
    }
}

// The blocks of a run: checks that it holds `count` records that fit their slots, and
// returns its byte size.
std::size_t checked_run_bytes(const BlockRunView& run, std::size_t slot) {
    std::size_t at = 0;
    for (std::size_t k = 0; k < run.count; ++k) {
        if (at + 4 > run.size) throw std::runtime_error("a block run received for a chunk is truncated");
        std::size_t size = 0;
        for (int i = 0; i < 4; ++i) size = (size << 8) | run.bytes[at + static_cast<std::size_t>(i)];
        if (size == 0 || size + 4 > slot) throw std::runtime_error("a block run received for a chunk is malformed");
        at += 4 + size;
    }
    if (at != run.size) throw std::runtime_error("a block run received for a chunk has extra bytes");
    return at;
}

void encode_bitshuffle_lz4(const unsigned char* in, std::size_t bytes, std::size_t e, ChunkBytes& out,
                           const std::vector<BlockRunView>& given) {
    const BitshuffleShape shape(bytes, e);
    const std::size_t n = shape.n, block = shape.block, full = shape.full, last = shape.last;
    const std::size_t blocks = shape.blocks, raw_tail = shape.raw_tail, slot = shape.slot;

    // Blocks encoded elsewhere: where each run starts, and which blocks it covers.
    std::vector<const BlockRunView*> run_at(blocks, nullptr);
    std::vector<char> covered(blocks, 0);
    for (const BlockRunView& run : given) {
        if (run.count == 0) continue;
        if (run.first + run.count > full) throw std::runtime_error("a block run received lies outside its chunk");
        for (std::size_t b = run.first; b < run.first + run.count; ++b) {
            if (covered[b]) throw std::runtime_error("block runs received for a chunk overlap");
            covered[b] = 1;
        }
        checked_run_bytes(run, slot);
        run_at[run.first] = &run;
    }

    // Each block is compressed into its own slot, then the blocks are packed; the buffer is
    // the caller's, reused from image to image (no page faults, no zeroing).
    out.resize(shape.bound());
    put_be(out.data(), bytes, 8);
    put_be(out.data() + 8, block * e, 4);
    std::vector<int> sizes;
    encode_blocks(in, 0, full, block, e, given.empty() ? nullptr : &covered, out.data() + 12, slot, sizes);
    if (last) {
        std::vector<unsigned char> scratch;
        sizes.push_back(encode_block(in + full * block * e, last, e, out.data() + 12 + full * slot, slot - 4, scratch));
    }
    // Blocks packed one after the other (each moves to a lower address, never over a
    // block still to be moved; a run of blocks is no longer than their slots).
    std::size_t at = 12;
    for (std::size_t b = 0; b < blocks; ++b) {
        if (const BlockRunView* run = run_at[b]) {
            std::memcpy(out.data() + at, run->bytes, run->size);
            at += run->size;
            b += run->count - 1;
            continue;
        }
        if (sizes[b] <= 0) throw std::runtime_error("LZ4 could not compress a block");
        const std::size_t size = static_cast<std::size_t>(sizes[b]);
        put_be(out.data() + at, size, 4);
        std::memmove(out.data() + at + 4, out.data() + 12 + b * slot + 4, size);
        at += 4 + size;
    }
    std::memcpy(out.data() + at, in + (n - n % 8) * e, raw_tail);
    out.resize(at + raw_tail);
}

void encode_shuffle_deflate(const unsigned char* in, std::size_t bytes, std::size_t e, ChunkBytes& out) {
    const std::size_t n = bytes / e;
    ChunkBytes shuffled(bytes);
    byte_planes(in, n, e, shuffled.data());
    std::memcpy(shuffled.data() + n * e, in + n * e, bytes - n * e);
    uLongf size = compressBound(static_cast<uLong>(bytes));
    out.resize(size);
    if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(bytes), kDeflateLevel) != Z_OK)
        throw std::runtime_error("zlib could not compress a chunk");
    out.resize(size);
}

}  // namespace

std::size_t bitshuffle_chunk_bound(std::size_t bytes, std::size_t element_size) {
    return BitshuffleShape(bytes, element_size).bound();
}

std::size_t bitshuffle_block_elements(std::size_t element_size) {
    return std::max<std::size_t>(kBitshuffleBlockBytes / element_size / 8 * 8, 128);
}

void bit_planes(const unsigned char* in, unsigned char* out, std::size_t n, std::size_t element_size) {
    std::vector<unsigned char> grouped(n * element_size);
    byte_planes(in, n, element_size, grouped.data());
    for (std::size_t j = 0; j < element_size; ++j) byte_plane_to_bits(grouped.data() + j * n, n, out + j * n, n / 8);
}

void encode_bitshuffle_blocks(const void* elements, std::size_t begin, std::size_t n, std::size_t chunk_elements,
                              std::size_t element_size, BlockRun& run) {
    const std::size_t e = element_size, block = bitshuffle_block_elements(e);
    const std::size_t full = chunk_elements / block;
    const std::size_t first = (begin + block - 1) / block;
    const std::size_t end = std::min((begin + n) / block, full);
    run.first = first;
    run.count = end > first ? end - first : 0;
    run.bytes.clear();
    if (run.count == 0) return;
    const std::size_t slot = block_slot(block, e);
    run.bytes.resize(run.count * slot);
    std::vector<int> sizes;
    const auto* in = static_cast<const unsigned char*>(elements) + (first * block - begin) * e;
    encode_blocks(in, first, run.count, block, e, nullptr, run.bytes.data(), slot, sizes);
    std::size_t at = 0;
    for (std::size_t k = 0; k < run.count; ++k) {
        if (sizes[k] <= 0) throw std::runtime_error("LZ4 could not compress a block");
        const std::size_t size = static_cast<std::size_t>(sizes[k]);
        put_be(run.bytes.data() + at, size, 4);
        std::memmove(run.bytes.data() + at + 4, run.bytes.data() + k * slot + 4, size);
        at += 4 + size;
    }
    run.bytes.resize(at);
}

void encode_chunk(const void* data, std::size_t bytes, std::size_t element_size, Compression c, ChunkBytes& out,
                  const std::vector<BlockRunView>& given) {
    const auto* in = static_cast<const unsigned char*>(data);
    switch (c) {
        case Compression::Bitshuffle:
            return encode_bitshuffle_lz4(in, bytes, element_size, out, given);
        case Compression::Deflate:
            return encode_shuffle_deflate(in, bytes, element_size, out);
        case Compression::None:
        case Compression::Auto:
            break;
    }
    out.assign(in, in + bytes);
}

}  // namespace tilebragg
