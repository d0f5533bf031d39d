// An image cut into several chunks (what the writer does past 1 GiB per chunk, here with
// chunks of 5 rows of a 12-row image so that the last chunk is short): each chunk encoded
// on its own, the short one padded to the full chunk as HDF5 stores edge chunks, written
// with H5Dwrite_chunk, read back through HDF5's filters equal to the image, for each
// compression the writer offers.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <omp.h>
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

// A wave encoded together (checksums side by side, then the chunks one image per thread or
// one image at a time with the blocks over the threads) gives the bytes and checksums of
// each image encoded alone, whatever the number of images and threads. The images are
// large enough (2^20 pixels together) for the thread teams to start.
TEST(ImageChunks, AWaveEncodesAsItsImagesEncodedAlone) {
    const int fpixels = 512, spixels = 700;
    const std::size_t pixels = static_cast<std::size_t>(fpixels) * spixels;
    const int threads_before = omp_get_max_threads();
    for (Compression c : {Compression::None, Compression::Deflate, Compression::Bitshuffle}) {
        const ChunkLayout layout{c, 300, 256, fpixels, spixels};
        for (int n : {1, 3, 6}) {
            std::vector<std::vector<float>> photons(static_cast<std::size_t>(n), std::vector<float>(pixels));
            std::vector<std::vector<std::uint16_t>> counts(static_cast<std::size_t>(n),
                                                           std::vector<std::uint16_t>(pixels));
            std::vector<FinishedImage> wave;
            std::vector<EncodedImage> alone(static_cast<std::size_t>(n));
            for (int k = 0; k < n; ++k) {
                auto& p = photons[static_cast<std::size_t>(k)];
                auto& q = counts[static_cast<std::size_t>(k)];
                for (std::size_t i = 0; i < pixels; ++i) {
                    p[i] = static_cast<float>((i * (k + 3)) % 1013) * 0.25f;
                    q[i] = static_cast<std::uint16_t>((i * 7919 + static_cast<std::size_t>(k)) % 4099);
                }
                wave.push_back(FinishedImage{10 + k, p.data(), q.data()});
                omp_set_num_threads(1);
                encode_image(wave.back(), layout, alone[static_cast<std::size_t>(k)]);
            }
            for (int threads : {1, 2, 4, 8}) {
                omp_set_num_threads(threads);
                std::vector<EncodedImage> together;
                encode_images(wave, layout, together);
                ASSERT_EQ(together.size(), alone.size());
                for (std::size_t k = 0; k < alone.size(); ++k) {
                    const std::string where = std::string(compression_name(c)) + ", " + std::to_string(n) +
                                              " images, " + std::to_string(threads) + " threads, image " +
                                              std::to_string(k);
                    EXPECT_EQ(together[k].sums.image, alone[k].sums.image) << where;
                    EXPECT_EQ(together[k].sums.counts, alone[k].sums.counts) << where;
                    EXPECT_EQ(together[k].sums.photons, alone[k].sums.photons) << where;
                    EXPECT_TRUE(together[k].counts == alone[k].counts) << where;
                    EXPECT_TRUE(together[k].photons == alone[k].photons) << where;
                }
            }
        }
    }
    omp_set_num_threads(threads_before);
}

}  // namespace
}  // namespace tilebragg
