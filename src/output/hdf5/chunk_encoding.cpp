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

void encode_bitshuffle_lz4(const unsigned char* in, std::size_t bytes, std::size_t e, ChunkBytes& out) {
    const std::size_t n = bytes / e;
    const std::size_t block = bitshuffle_block_elements(e);
    // Full blocks, then one block of the rest rounded down to 8 elements, then the last
    // n % 8 elements as they are.
    const std::size_t full = n / block;
    const std::size_t last = (n % block) / 8 * 8;
    const std::size_t blocks = full + (last ? 1 : 0);
    const std::size_t raw_tail = (n % 8) * e;
    const std::size_t slot = 4 + static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(block * e)));

    // Each block is compressed into its own slot, then the blocks are packed; the buffer is
    // the caller's, reused from image to image (no page faults, no zeroing).
    out.resize(12 + blocks * slot + raw_tail);
    put_be(out.data(), bytes, 8);
    put_be(out.data() + 8, block * e, 4);
    std::vector<int> sizes(blocks, 0);
    // A pass over the pixels like the image's other passes, with their threshold.
    const bool team = n >= kThreadTeamMinPixels && !omp_in_parallel();
#pragma omp parallel if (team)
    {
        std::vector<unsigned char> grouped(block * e), planes(block * e);
#pragma omp for schedule(static)
        for (long b = 0; b < static_cast<long>(blocks); ++b) {
            const std::size_t first = static_cast<std::size_t>(b) * block;
            const std::size_t count = static_cast<std::size_t>(b) < full ? block : last;
            byte_planes(in + first * e, count, e, grouped.data());
            for (std::size_t j = 0; j < e; ++j)
                byte_plane_to_bits(grouped.data() + j * count, count, planes.data() + j * count, count / 8);
            unsigned char* dst = out.data() + 12 + static_cast<std::size_t>(b) * slot;
            sizes[static_cast<std::size_t>(b)] =
                LZ4_compress_default(reinterpret_cast<const char*>(planes.data()), reinterpret_cast<char*>(dst + 4),
                                     static_cast<int>(count * e), static_cast<int>(slot - 4));
        }
    }
    // Blocks packed one after the other (each moves to a lower address, never over a
    // block still to be moved).
    std::size_t at = 12;
    for (std::size_t b = 0; b < blocks; ++b) {
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

std::size_t bitshuffle_block_elements(std::size_t element_size) {
    return std::max<std::size_t>(kBitshuffleBlockBytes / element_size / 8 * 8, 128);
}

void bit_planes(const unsigned char* in, unsigned char* out, std::size_t n, std::size_t element_size) {
    std::vector<unsigned char> grouped(n * element_size);
    byte_planes(in, n, element_size, grouped.data());
    for (std::size_t j = 0; j < element_size; ++j) byte_plane_to_bits(grouped.data() + j * n, n, out + j * n, n / 8);
}

void encode_chunk(const void* data, std::size_t bytes, std::size_t element_size, Compression c, ChunkBytes& out) {
    const auto* in = static_cast<const unsigned char*>(data);
    switch (c) {
        case Compression::Bitshuffle:
            return encode_bitshuffle_lz4(in, bytes, element_size, out);
        case Compression::Deflate:
            return encode_shuffle_deflate(in, bytes, element_size, out);
        case Compression::None:
        case Compression::Auto:
            break;
    }
    out.assign(in, in + bytes);
}

}  // namespace tilebragg
