#include <tilebragg/errors.hpp>
#include <tilebragg/float_image.hpp>
#include <tilebragg/pgm.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace tilebragg;
using tilebragg::formats_test::file_bytes;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

TEST(FormatsPgm, WritesTheReferenceHeaderThenOneBytePerPixel) {
    ScratchDir scratch;
    const std::string path = scratch.path("image.pgm");
    const std::vector<std::uint8_t> pixels = {0, 10, 255, 32, 1, 2};
    write_pgm(path, 3, 2, pixels, 401.806);
    const std::string expected =
        std::string("P5\n3 2\n# pixels scaled by 401.806\n255\n") + std::string("\x00\x0a\xff\x20\x01\x02", 6);
    EXPECT_EQ(file_bytes(path), expected);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(FormatsPgm, RejectsWrongPixelCount) {
    ScratchDir scratch;
    EXPECT_THROW(write_pgm(scratch.path("x.pgm"), 3, 2, std::vector<std::uint8_t>(5), 1.0), InputError);
    EXPECT_THROW(write_pgm(scratch.path("missing_dir/x.pgm"), 1, 1, std::vector<std::uint8_t>(1), 1.0), InputError);
}

TEST(FormatsFloatImage, WritesLittleEndianFloat32) {
    ScratchDir scratch;
    const std::string path = scratch.path("float.bin");
    write_float_image(path, std::vector<float>{1.0f, -2.0f});
    // IEEE 754: 1.0f = 0x3F800000, -2.0f = 0xC0000000, least significant byte first.
    EXPECT_EQ(file_bytes(path), std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8));
    EXPECT_EQ(read_float_image(path), (std::vector<float>{1.0f, -2.0f}));
    EXPECT_EQ(read_float_image(path, 2).size(), 2u);
}

TEST(FormatsFloatImage, ReadErrors) {
    ScratchDir scratch;
    const std::string path = scratch.path("odd.bin");
    write_file(path, std::string(6, '\0'));
    EXPECT_THROW(read_float_image(path), InputError);
    write_file(path, std::string(8, '\0'));
    EXPECT_THROW(read_float_image(path, 3), InputError);
    EXPECT_THROW(read_float_image(scratch.path("absent.bin")), InputError);
}

TEST(FormatsFloatImage, ReadsGoldenFloatImage) {
    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden reference set not found (set TILEBRAGG_GOLDEN_DIR)";
    // matrix_input ran with -detpixels 384.
    const auto pixels = read_float_image((golden / "cases" / "matrix_input" / "float.bin").string(), 384 * 384);
    float largest = 0.0f;
    for (float p : pixels) largest = std::max(largest, p);
    EXPECT_GT(largest, 0.0f);
}
