// The reference's own -intfile images (golden cases with an int.img): our reader parses
// them, and our writer, given the values read back, reproduces them byte for byte.
#include <tilebragg/smv_image.hpp>
#include <tilebragg/smv_writer.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

using namespace tilebragg;
using tilebragg::formats_test::file_bytes;
using tilebragg::formats_test::ScratchDir;

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> golden_int_images(const fs::path& golden) {
    std::vector<fs::path> images;
    for (const auto& entry : fs::directory_iterator(golden / "cases")) {
        if (fs::is_regular_file(entry.path() / "int.img")) images.push_back(entry.path() / "int.img");
    }
    std::sort(images.begin(), images.end());
    return images;
}

SmvHeaderFields fields_from(const SmvImage& image) {
    const SmvHeader& h = image.header;
    SmvHeaderFields f;
    f.fast_pixels = image.fast_pixels;
    f.slow_pixels = image.slow_pixels;
    f.pixel_size_mm = *h.number("PIXEL_SIZE");
    f.distance_mm = *h.number("DISTANCE");
    f.wavelength_A = *h.number("WAVELENGTH");
    f.beam_center_x_mm = *h.number("BEAM_CENTER_X");
    f.beam_center_y_mm = *h.number("BEAM_CENTER_Y");
    f.adxv_center_x_mm = *h.number("ADXV_CENTER_X");
    f.adxv_center_y_mm = *h.number("ADXV_CENTER_Y");
    f.mosflm_center_x_mm = *h.number("MOSFLM_CENTER_X");
    f.mosflm_center_y_mm = *h.number("MOSFLM_CENTER_Y");
    f.denzo_x_beam_mm = *h.number("DENZO_X_BEAM");
    f.denzo_y_beam_mm = *h.number("DENZO_Y_BEAM");
    const std::string dials = *h.get("DIALS_ORIGIN");
    const std::size_t c1 = dials.find(','), c2 = dials.find(',', c1 + 1);
    f.dials_origin_mm = {std::stod(dials.substr(0, c1)), std::stod(dials.substr(c1 + 1, c2 - c1 - 1)),
                         std::stod(dials.substr(c2 + 1))};
    f.xds_orgx_pixels = *h.number("XDS_ORGX");
    f.xds_orgy_pixels = *h.number("XDS_ORGY");
    f.close_distance_mm = *h.number("CLOSE_DISTANCE");
    f.phi_deg = *h.number("PHI");
    f.osc_start_deg = *h.number("OSC_START");
    f.osc_range_deg = *h.number("OSC_RANGE");
    f.twotheta_deg = *h.number("TWOTHETA");
    return f;
}

}  // namespace

TEST(FormatsSmvGolden, ReferenceImagesParseWithTheExpectedKeys) {
    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden reference set not found (set TILEBRAGG_GOLDEN_DIR)";
    const auto images = golden_int_images(golden);
    if (images.empty()) GTEST_SKIP() << "no int.img in " << golden;

    const std::vector<std::string> keys = {"HEADER_BYTES",    "DIM",
                                           "BYTE_ORDER",      "TYPE",
                                           "SIZE1",           "SIZE2",
                                           "PIXEL_SIZE",      "DISTANCE",
                                           "WAVELENGTH",      "BEAM_CENTER_X",
                                           "BEAM_CENTER_Y",   "ADXV_CENTER_X",
                                           "ADXV_CENTER_Y",   "MOSFLM_CENTER_X",
                                           "MOSFLM_CENTER_Y", "DENZO_X_BEAM",
                                           "DENZO_Y_BEAM",    "DIALS_ORIGIN",
                                           "XDS_ORGX",        "XDS_ORGY",
                                           "CLOSE_DISTANCE",  "PHI",
                                           "OSC_START",       "OSC_RANGE",
                                           "TWOTHETA",        "DETECTOR_SN",
                                           "BEAMLINE"};
    for (const auto& path : images) {
        SCOPED_TRACE(path.string());
        const SmvImage image = read_smv_image(path.string());
        std::vector<std::string> found;
        for (const auto& entry : image.header.entries) found.push_back(entry.first);
        EXPECT_EQ(found, keys);
        EXPECT_EQ(image.header.header_bytes, 512u);
        EXPECT_EQ(*image.header.get("BYTE_ORDER"), "little_endian");
        EXPECT_EQ(fs::file_size(path), 512u + 2u * image.pixels.size());
    }
}

TEST(FormatsSmvGolden, MatrixInputHeaderValues) {
    const auto golden = formats_test::golden_dir();
    const fs::path path = golden / "cases" / "matrix_input" / "int.img";
    if (golden.empty() || !fs::exists(path)) GTEST_SKIP() << "golden matrix_input/int.img not found";
    // Read off the file with `head -c 512`: the case ran with -detpixels 384 -lambda 6.2
    // -distance 100 and the default 0.1 mm pixels.
    const SmvImage image = read_smv_image(path.string());
    EXPECT_EQ(image.fast_pixels, 384);
    EXPECT_EQ(image.slow_pixels, 384);
    EXPECT_DOUBLE_EQ(*image.header.number("WAVELENGTH"), 6.2);
    EXPECT_DOUBLE_EQ(*image.header.number("PIXEL_SIZE"), 0.1);
    EXPECT_DOUBLE_EQ(*image.header.number("BEAM_CENTER_X"), 19.25);
    EXPECT_DOUBLE_EQ(*image.header.number("ADXV_CENTER_Y"), 19.1);
    EXPECT_DOUBLE_EQ(*image.header.number("XDS_ORGX"), 193.5);
    EXPECT_EQ(*image.header.get("DIALS_ORIGIN"), "-19.3,19.3,-100");
    EXPECT_DOUBLE_EQ(image.header.reference_value_of("DISTANCE"), 100.0);
    EXPECT_DOUBLE_EQ(image.header.reference_value_of("ORGY"), 193.5);
}

TEST(FormatsSmvGolden, WriterReproducesReferenceImagesByteForByte) {
    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden reference set not found (set TILEBRAGG_GOLDEN_DIR)";
    const auto images = golden_int_images(golden);
    if (images.empty()) GTEST_SKIP() << "no int.img in " << golden;

    ScratchDir scratch;
    for (const auto& path : images) {
        SCOPED_TRACE(path.string());
        const SmvImage image = read_smv_image(path.string());
        const std::string original = file_bytes(path.string());
        const SmvHeaderFields fields = fields_from(image);
        EXPECT_EQ(format_smv_header(fields), original.substr(0, 512));

        const std::string copy = scratch.path("copy.img");
        write_smv_image(copy, fields, image.pixels);
        EXPECT_TRUE(file_bytes(copy) == original) << "rewritten image differs";
    }
}
