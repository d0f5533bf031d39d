// An image cut into several chunks (what the writer does past 1 GiB per chunk, here with
// chunks of 5 rows of a 12-row image so that the last chunk is short): each chunk encoded
// on its own, the short one padded to the full chunk as HDF5 stores edge chunks, written
// with H5Dwrite_chunk, read back through HDF5's filters equal to the image, for each
// compression the writer offers.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "output/hdf5/image_datasets.hpp"

namespace tilebragg {
namespace {

constexpr int kImages = 3, kRows = 12, kColumns = 37, kChunkRows = 5;

H5Dataset image_dataset(hid_t file, const char* name, hid_t type, Compression c) {
    const hsize_t dims[3] = {kImages, kRows, kColumns}, chunk[3] = {1, kChunkRows, kColumns};
    H5Dataspace space(H5Screate_simple(3, dims, nullptr), "space");
    H5PropList create(H5Pcreate(H5P_DATASET_CREATE), "creation list");
    h5_check(H5Pset_chunk(create, 3, chunk), "chunk");
    if (c == Compression::Bitshuffle) {
        const unsigned values[2] = {0, 2};
        h5_check(H5Pset_filter(create, 32008, H5Z_FLAG_MANDATORY, 2, values), "bitshuffle");
    } else if (c == Compression::Deflate) {
        h5_check(H5Pset_shuffle(create), "shuffle");
        h5_check(H5Pset_deflate(create, 4), "deflate");
    }
    return H5Dataset(H5Dcreate2(file, name, type, space, H5P_DEFAULT, create, H5P_DEFAULT), name);
}

template <typename T>
std::vector<T> read_image(hid_t data, hid_t type, int image) {
    H5Dataspace file_space(H5Dget_space(data), "space");
    const hsize_t start[3] = {static_cast<hsize_t>(image), 0, 0}, count[3] = {1, kRows, kColumns};
    h5_check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
    H5Dataspace memory(H5Screate_simple(3, count, nullptr), "memory");
    std::vector<T> out(kRows * kColumns);
    h5_check(H5Dread(data, type, memory, file_space, H5P_DEFAULT, out.data()), "read");
    return out;
}

TEST(ImageChunks, AnImageOfSeveralChunksReadsBackWhole) {
    for (Compression c : {Compression::None, Compression::Deflate, Compression::Bitshuffle}) {
        if (c == Compression::Bitshuffle && H5Zfilter_avail(32008) <= 0) {
            std::printf("bitshuffle plugin not installed: that compression not checked\n");
            continue;
        }
        const std::string path =
            (std::filesystem::temp_directory_path() / ("tilebragg-image-chunks-" + std::to_string(::getpid()) + ".h5"))
                .string();
        {
            H5File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), path);
            ImageDatasets d;
            d.counts = image_dataset(file, "counts", H5T_STD_U16LE, c);
            d.photons = image_dataset(file, "photons", H5T_IEEE_F32LE, c);
            d.images = kImages, d.fpixels = kColumns, d.spixels = kRows;
            const ChunkLayout layout = chunk_layout(d);
            ASSERT_EQ(layout.compression, c);
            ASSERT_EQ(layout.counts_rows, kChunkRows);
            ASSERT_EQ(layout.photons_rows, kChunkRows);

            std::vector<float> photons(kRows * kColumns);
            std::vector<std::uint16_t> counts(kRows * kColumns);
            for (std::size_t i = 0; i < photons.size(); ++i) {
                photons[i] = 0.5f * static_cast<float>(i % 29) + (i % 97 == 0 ? 1e5f : 0.0f);
                counts[i] = static_cast<std::uint16_t>((i * 7919) % 65521);
            }
            EncodedImage e;
            encode_image(FinishedImage{1, photons.data(), counts.data()}, layout, e);
            ASSERT_EQ(e.counts.size(), 3u);
            ASSERT_EQ(e.photons.size(), 3u);
            EXPECT_EQ(e.sums.counts, counts_checksum(counts.data(), counts.size()));
            EXPECT_EQ(e.sums.photons, photons_checksum(photons.data(), photons.size()));
            write_encoded_image(d, layout, e);
            EXPECT_EQ(read_image<float>(d.photons, H5T_NATIVE_FLOAT, 1), photons) << compression_name(c);
            EXPECT_EQ(read_image<std::uint16_t>(d.counts, H5T_NATIVE_UINT16, 1), counts) << compression_name(c);
        }
        std::filesystem::remove(path);
    }
}

}  // namespace
}  // namespace tilebragg
