// The chunks tilebragg compresses itself must be what HDF5's own filters decode: each
// encoded chunk is written with H5Dwrite_chunk into a dataset that declares the filters,
// read back through HDF5 (its deflate and shuffle filters, the bitshuffle plugin), and
// compared byte for byte with what was encoded. Sizes cover full bitshuffle blocks, a
// short last block, elements left over after the last multiple of 8, and chunks large
// enough to be encoded by a thread team.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5/chunk_encoding.hpp"

namespace tilebragg {
namespace {

constexpr H5Z_filter_t kBitshuffle = 32008;

// Photon-like floats (smooth background with sparse spots) and counts, so that LZ4 finds
// both runs and literals.
std::vector<float> photons(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = 0.01f * static_cast<float>(i % 97) + (u(rng) < 0.01f ? 1e4f * u(rng) : 0);
    return v;
}

std::vector<std::uint16_t> counts(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::poisson_distribution<int> p(0.3);
    std::vector<std::uint16_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint16_t>(p(rng) + (i % 5000 == 0 ? 40000 : 0));
    return v;
}

// Writes `encoded` as the one chunk of a 1 x n dataset with the filters of `c` and reads
// the pixels back through HDF5.
template <typename T>
std::vector<T> through_hdf5(const ChunkBytes& encoded, std::size_t n, hid_t type, Compression c) {
    // Its own file per process: ctest runs the tests of this file side by side.
    const std::string path =
        (std::filesystem::temp_directory_path() / ("tilebragg-chunk-encoding-" + std::to_string(::getpid()) + ".h5"))
            .string();
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    EXPECT_GE(file, 0);
    const hsize_t dims[2] = {1, n};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    const hid_t create = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(create, 2, dims);
    if (c == Compression::Bitshuffle) {
        const unsigned values[2] = {0, 2};
        H5Pset_filter(create, kBitshuffle, H5Z_FLAG_MANDATORY, 2, values);
    } else if (c == Compression::Deflate) {
        H5Pset_shuffle(create);
        H5Pset_deflate(create, 4);
    }
    const hid_t data = H5Dcreate2(file, "x", type, space, H5P_DEFAULT, create, H5P_DEFAULT);
    EXPECT_GE(data, 0);
    const hsize_t offset[2] = {0, 0};
    EXPECT_GE(H5Dwrite_chunk(data, H5P_DEFAULT, 0, offset, encoded.size(), encoded.data()), 0);
    std::vector<T> back(n);
    EXPECT_GE(H5Dread(data, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0);
    H5Dclose(data);
    H5Pclose(create);
    H5Sclose(space);
    H5Fclose(file);
    std::filesystem::remove(path);
    return back;
}

bool bitshuffle_plugin() {
    if (H5Zfilter_avail(kBitshuffle) > 0) return true;
    return false;
}

template <typename T>
void expect_round_trip(const std::vector<T>& v, hid_t type, Compression c) {
    ChunkBytes encoded;
    encode_chunk(v.data(), v.size() * sizeof(T), sizeof(T), c, encoded);
    const std::vector<T> back = through_hdf5<T>(encoded, v.size(), type, c);
    ASSERT_EQ(back.size(), v.size());
    EXPECT_EQ(std::memcmp(back.data(), v.data(), v.size() * sizeof(T)), 0)
        << v.size() << " elements of " << sizeof(T) << " bytes, " << encoded.size() << " bytes encoded";
}

const std::size_t kSizes[] = {7, 8, 2048, 2053, 4096 + 24, 1 << 18, (1 << 20) + 13};

TEST(ChunkEncoding, BitshuffleLz4IsWhatThePluginDecodes) {
    if (!bitshuffle_plugin()) GTEST_SKIP() << "the HDF5 bitshuffle plugin (Debian: bitshuffle) is not installed";
    for (std::size_t n : kSizes) {
        expect_round_trip(photons(n, 1), H5T_NATIVE_FLOAT, Compression::Bitshuffle);
        expect_round_trip(counts(n, 2), H5T_NATIVE_UINT16, Compression::Bitshuffle);
    }
}

TEST(ChunkEncoding, ShuffleDeflateIsWhatHdf5Decodes) {
    for (std::size_t n : kSizes) {
        expect_round_trip(photons(n, 3), H5T_NATIVE_FLOAT, Compression::Deflate);
        expect_round_trip(counts(n, 4), H5T_NATIVE_UINT16, Compression::Deflate);
    }
}

TEST(ChunkEncoding, UncompressedIsTheBytes) {
    const std::vector<float> v = photons(1000, 5);
    ChunkBytes encoded;
    encode_chunk(v.data(), v.size() * 4, 4, Compression::None, encoded);
    ASSERT_EQ(encoded.size(), v.size() * 4);
    EXPECT_EQ(std::memcmp(encoded.data(), v.data(), encoded.size()), 0);
    EXPECT_EQ(through_hdf5<float>(encoded, v.size(), H5T_NATIVE_FLOAT, Compression::None), v);
}

// The bit planes against their definition, bit by bit (the fast paths handle 16 and 8
// elements at a time).
TEST(ChunkEncoding, BitPlanesFollowTheirDefinition) {
    for (std::size_t e : {1, 2, 4, 8})
        for (std::size_t n : {8, 16, 24, 136}) {
            std::mt19937 rng(static_cast<unsigned>(e * 1000 + n));
            std::vector<unsigned char> in(n * e), out(n * e);
            for (unsigned char& b : in) b = static_cast<unsigned char>(rng());
            bit_planes(in.data(), out.data(), n, e);
            for (std::size_t j = 0; j < e; ++j)
                for (int k = 0; k < 8; ++k)
                    for (std::size_t i = 0; i < n; ++i) {
                        const int want = (in[i * e + j] >> k) & 1;
                        const int got = (out[(j * 8 + static_cast<std::size_t>(k)) * (n / 8) + i / 8] >> (i % 8)) & 1;
                        ASSERT_EQ(got, want) << "element size " << e << ", n " << n << ", byte " << j << ", bit " << k
                                             << ", element " << i;
                    }
        }
}

// A chunk's bytes do not depend on how many threads encoded it.
TEST(ChunkEncoding, SameBytesWithAnyThreadCount) {
    const std::vector<float> v = photons((1 << 20) + 5, 6);
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    ChunkBytes one, three;
    encode_chunk(v.data(), v.size() * 4, 4, Compression::Bitshuffle, one);
    omp_set_num_threads(3);
    // A reused buffer holding a longer chunk's bytes gives the same bytes too.
    three.assign(one.size() + 100, 0xab);
    encode_chunk(v.data(), v.size() * 4, 4, Compression::Bitshuffle, three);
    omp_set_num_threads(threads);
    EXPECT_EQ(one, three);
}

// Blocks compressed from pieces of the elements (whole or cut anywhere, the chunk's end
// included) and spliced into the chunk give the chunk's bytes; the blocks the pieces cut
// are compressed by the splicing side.
template <typename T>
void pieces_splice(const std::vector<T>& v) {
    ChunkBytes whole;
    encode_chunk(v.data(), v.size() * sizeof(T), sizeof(T), Compression::Bitshuffle, whole);
    const std::size_t block = bitshuffle_block_elements(sizeof(T));
    for (const std::size_t piece : {std::size_t(1000), block, 3 * block, 5 * block + 17, v.size()}) {
        std::vector<BlockRun> runs;
        for (std::size_t begin = 0; begin < v.size(); begin += piece) {
            const std::size_t n = std::min(piece, v.size() - begin);
            runs.emplace_back();
            encode_bitshuffle_blocks(v.data() + begin, begin, n, v.size(), sizeof(T), runs.back());
        }
        std::vector<BlockRunView> given;
        std::size_t blocks_given = 0;
        for (const BlockRun& r : runs) {
            given.push_back(view_of(r));
            blocks_given += r.count;
        }
        if (piece >= block) {
            EXPECT_GT(blocks_given, 0u) << "piece " << piece;
        }
        if (piece == v.size()) {
            EXPECT_EQ(blocks_given, v.size() / block);
        }
        ChunkBytes spliced(7, 0xcd);
        encode_chunk(v.data(), v.size() * sizeof(T), sizeof(T), Compression::Bitshuffle, spliced, given);
        EXPECT_EQ(spliced, whole) << "pieces of " << piece << " elements";
    }
}

TEST(ChunkEncoding, BlocksCompressedFromPiecesSpliceIntoTheSameChunk) {
    pieces_splice(photons(100003, 7));
    pieces_splice(counts(90001, 8));
    pieces_splice(photons((1 << 20) + 3, 9));  // runs compressed by a thread team
}

// A buffer reserved at the bound is encoded into without growing: what lets a sink ready
// its buffers before an image is finished.
TEST(ChunkEncoding, ABufferOfTheBoundIsNeverReallocated) {
    for (const std::size_t n : {std::size_t(7), std::size_t(100003), std::size_t(1) << 20}) {
        const std::vector<float> p = photons(n, 11);
        const std::vector<std::uint16_t> c = counts(n, 12);
        ChunkBytes out_p, out_c;
        out_p.reserve(bitshuffle_chunk_bound(n * sizeof(float), sizeof(float)));
        out_c.reserve(bitshuffle_chunk_bound(n * sizeof(std::uint16_t), sizeof(std::uint16_t)));
        const unsigned char* at_p = out_p.data();
        const unsigned char* at_c = out_c.data();
        encode_chunk(p.data(), n * sizeof(float), sizeof(float), Compression::Bitshuffle, out_p);
        encode_chunk(c.data(), n * sizeof(std::uint16_t), sizeof(std::uint16_t), Compression::Bitshuffle, out_c);
        EXPECT_EQ(out_p.data(), at_p) << n << " photons";
        EXPECT_EQ(out_c.data(), at_c) << n << " counts";
        EXPECT_LE(out_p.size(), bitshuffle_chunk_bound(n * sizeof(float), sizeof(float)));
    }
}

TEST(ChunkEncoding, MalformedOrOverlappingRunsAreRefused) {
    const std::vector<float> v = photons(50000, 10);
    BlockRun run;
    encode_bitshuffle_blocks(v.data(), 0, 20000, v.size(), 4, run);
    ASSERT_GT(run.count, 1u);
    ChunkBytes out;
    BlockRun truncated = run;
    truncated.bytes.resize(truncated.bytes.size() - 1);
    EXPECT_THROW(encode_chunk(v.data(), v.size() * 4, 4, Compression::Bitshuffle, out, {view_of(truncated)}),
                 std::runtime_error);
    EXPECT_THROW(encode_chunk(v.data(), v.size() * 4, 4, Compression::Bitshuffle, out, {view_of(run), view_of(run)}),
                 std::runtime_error);
    BlockRun outside = run;
    outside.first = v.size();
    EXPECT_THROW(encode_chunk(v.data(), v.size() * 4, 4, Compression::Bitshuffle, out, {view_of(outside)}),
                 std::runtime_error);
}

}  // namespace
}  // namespace tilebragg
