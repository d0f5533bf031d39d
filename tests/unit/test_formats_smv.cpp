#include <tilebragg/errors.hpp>
#include <tilebragg/smv_header.hpp>
#include <tilebragg/smv_image.hpp>
#include <tilebragg/smv_writer.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>

using namespace tilebragg;
using tilebragg::formats_test::file_bytes;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

namespace {

bool little_endian_host() {
    const std::uint16_t probe = 0x0102;
    unsigned char first;
    std::memcpy(&first, &probe, 1);
    return first == 0x02;
}

SmvHeaderFields sample_fields() {
    SmvHeaderFields f;
    f.fast_pixels = 3;
    f.slow_pixels = 2;
    f.pixel_size_mm = 0.172;
    f.distance_mm = 250.5;
    f.wavelength_A = 0.9795;
    f.beam_center_x_mm = 12.34;
    f.beam_center_y_mm = 56.78;
    f.adxv_center_x_mm = 1;
    f.adxv_center_y_mm = 2;
    f.mosflm_center_x_mm = 3;
    f.mosflm_center_y_mm = 4;
    f.denzo_x_beam_mm = 5;
    f.denzo_y_beam_mm = 6;
    f.dials_origin_mm = {-1.5, 2.25, -250.5};
    f.xds_orgx_pixels = 100.5;
    f.xds_orgy_pixels = 200.25;
    f.close_distance_mm = 249;
    f.phi_deg = 10;
    f.osc_start_deg = 10;
    f.osc_range_deg = 0.25;
    f.twotheta_deg = -5;
    return f;
}

// A minimal SMV file: header text padded to header_bytes, then raw pixel bytes.
std::string smv_file(const std::string& header_text, std::size_t header_bytes, const std::string& data) {
    std::string bytes = header_text;
    bytes.resize(header_bytes, ' ');
    return bytes + data;
}

}  // namespace

TEST(FormatsSmv, HeaderHasTheReferenceKeysOrderAndNumberFormat) {
    const std::string expected_text =
        std::string("{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=") +
        (little_endian_host() ? "little_endian" : "big_endian") +
        ";\nTYPE=unsigned_short;\nSIZE1=3;\nSIZE2=2;\nPIXEL_SIZE=0.172;\nDISTANCE=250.5;\n"
        "WAVELENGTH=0.9795;\nBEAM_CENTER_X=12.34;\nBEAM_CENTER_Y=56.78;\nADXV_CENTER_X=1;\n"
        "ADXV_CENTER_Y=2;\nMOSFLM_CENTER_X=3;\nMOSFLM_CENTER_Y=4;\nDENZO_X_BEAM=5;\n"
        "DENZO_Y_BEAM=6;\nDIALS_ORIGIN=-1.5,2.25,-250.5\nXDS_ORGX=100.5;\nXDS_ORGY=200.25;\n"
        "CLOSE_DISTANCE=249;\nPHI=10;\nOSC_START=10;\nOSC_RANGE=0.25;\nTWOTHETA=-5;\n"
        "DETECTOR_SN=000;\nBEAMLINE=fake;\n}\f";
    const std::string header = format_smv_header(sample_fields());
    ASSERT_EQ(header.size(), 512u);
    EXPECT_EQ(header.substr(0, expected_text.size()), expected_text);
    EXPECT_EQ(header.substr(expected_text.size()), std::string(512 - expected_text.size(), ' '));
}

TEST(FormatsSmv, NumbersUsePercentGWithSixSignificantDigits) {
    SmvHeaderFields f = sample_fields();
    f.pixel_size_mm = 0.0001 * 1000.0;  // not exactly 0.1 in binary
    f.wavelength_A = 1.23456789;
    f.distance_mm = 1234567.0;
    f.twotheta_deg = -0.0;
    const std::string header = format_smv_header(f);
    EXPECT_NE(header.find("\nPIXEL_SIZE=0.1;\n"), std::string::npos);
    EXPECT_NE(header.find("\nWAVELENGTH=1.23457;\n"), std::string::npos);
    EXPECT_NE(header.find("\nDISTANCE=1.23457e+06;\n"), std::string::npos);
    EXPECT_NE(header.find("\nTWOTHETA=-0;\n"), std::string::npos);
}

TEST(FormatsSmv, WriteThenReadBackGivesHeaderAndPixels) {
    ScratchDir scratch;
    const std::string path = scratch.path("image.img");
    const std::vector<std::uint16_t> pixels = {0, 1, 2, 65535, 256, 4660};
    write_smv_image(path, sample_fields(), pixels);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    EXPECT_EQ(std::filesystem::file_size(path), 512u + 2u * 6u);

    const SmvImage image = read_smv_image(path);
    EXPECT_EQ(image.fast_pixels, 3);
    EXPECT_EQ(image.slow_pixels, 2);
    EXPECT_FALSE(image.swapped);
    EXPECT_EQ(image.pixels, pixels);
    EXPECT_EQ(image.header.header_bytes, 512u);
    EXPECT_DOUBLE_EQ(*image.header.number("PIXEL_SIZE"), 0.172);
    EXPECT_DOUBLE_EQ(*image.header.number("XDS_ORGY"), 200.25);
    EXPECT_EQ(*image.header.get("DIALS_ORIGIN"), "-1.5,2.25,-250.5");
    EXPECT_EQ(*image.header.get("BEAMLINE"), "fake");
    EXPECT_EQ(*image.header.integer("SIZE1"), 3);
    EXPECT_FALSE(image.header.number("NOT_THERE").has_value());
    EXPECT_THROW(image.header.number("BEAMLINE"), InputError);
    EXPECT_THROW(image.header.integer("PIXEL_SIZE"), InputError);
    ASSERT_EQ(image.header.entries.size(), 27u);
    EXPECT_EQ(image.header.entries.front().first, "HEADER_BYTES");
    EXPECT_EQ(image.header.entries[17].first, "DIALS_ORIGIN");
    EXPECT_EQ(image.header.entries.back().first, "BEAMLINE");

    const SmvHeader header_only = read_smv_header(path);
    EXPECT_EQ(header_only.values, image.header.values);
}

TEST(FormatsSmv, PixelsInTheOtherByteOrderAreSwapped) {
    const char* foreign = little_endian_host() ? "big_endian" : "little_endian";
    const std::string header = std::string("{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=") + foreign +
                               ";\nTYPE=unsigned_short;\nSIZE1=2;\nSIZE2=1;\n}\f";
    // Pixels 0x0102 and 0xA0B0 stored in the foreign order: bytes reversed per pixel.
    const std::string data =
        little_endian_host() ? std::string("\x01\x02\xA0\xB0", 4) : std::string("\x02\x01\xB0\xA0", 4);
    ScratchDir scratch;
    const std::string path = scratch.path("foreign.img");
    write_file(path, smv_file(header, 512, data));
    const SmvImage image = read_smv_image(path);
    EXPECT_TRUE(image.swapped);
    ASSERT_EQ(image.pixels.size(), 2u);
    EXPECT_EQ(image.pixels[0], 0x0102);
    EXPECT_EQ(image.pixels[1], 0xA0B0);
}

TEST(FormatsSmv, LargerHeaderAndDetectorDimensionsFallback) {
    const std::string header =
        "{\nHEADER_BYTES= 1024;\nDIM=2;\nBYTE_ORDER=little_endian;\nDETECTOR_DIMENSIONS=2;\n"
        "PIXEL_SIZE=0.05;\n}\f";
    std::string data(8, '\0');
    data[0] = 7;  // little-endian 07 00: pixel 0 is 7 on any host
    ScratchDir scratch;
    const std::string path = scratch.path("big_header.img");
    write_file(path, smv_file(header, 1024, data));
    const SmvImage image = read_smv_image(path);
    EXPECT_EQ(image.header.header_bytes, 1024u);
    EXPECT_EQ(image.fast_pixels, 2);
    EXPECT_EQ(image.slow_pixels, 2);
    EXPECT_EQ(image.pixels.size(), 4u);
    EXPECT_EQ(image.pixels[0], 7);  // little-endian bytes 07 00
    EXPECT_DOUBLE_EQ(*image.header.number("PIXEL_SIZE"), 0.05);
}

TEST(FormatsSmv, MalformedFilesAreInputErrors) {
    ScratchDir scratch;
    const std::string path = scratch.path("bad.img");
    const std::string good =
        "{\nHEADER_BYTES=512;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\nSIZE1=2;\nSIZE2=2;\n}\f";

    write_file(path, smv_file(good, 512, std::string(6, '\0')));  // one pixel short
    try {
        read_smv_image(path);
        FAIL() << "no InputError for a short file";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": header says 2x2 unsigned shorts after 512 header bytes (520 bytes) but the file has 518");
    }
    write_file(path, smv_file(good, 512, std::string(10, '\0')));  // one pixel long
    EXPECT_THROW(read_smv_image(path), InputError);

    write_file(path, smv_file("P5 not smv", 512, ""));
    EXPECT_THROW(read_smv_header(path), InputError);

    write_file(path, smv_file("{\nDIM=2;\n}", 512, ""));  // no HEADER_BYTES
    EXPECT_THROW(read_smv_header(path), InputError);

    write_file(path, smv_file("{\nHEADER_BYTES=512;\nSIZE1=1;\nSIZE2=1;\n}", 512, "ab"));  // no BYTE_ORDER
    EXPECT_THROW(read_smv_image(path), InputError);

    write_file(path, smv_file("{\nHEADER_BYTES=512;\nBYTE_ORDER=little_endian;\nTYPE=float;\nSIZE1=1;\nSIZE2=1;\n}",
                              512, "abcd"));
    EXPECT_THROW(read_smv_image(path), InputError);

    write_file(path, smv_file("{\nHEADER_BYTES=512;\nBYTE_ORDER=little_endian;\nSIZE1=-4;\nSIZE2=1;\n}", 512, ""));
    EXPECT_THROW(read_smv_image(path), InputError);

    const std::string wide = "{\nHEADER_BYTES=512;\nBYTE_ORDER=little_endian;\nSIZE1=2147483647;\nSIZE2=1;\n}";
    write_file(path, smv_file(wide, 512, ""));
    try {
        read_smv_image(path);
        FAIL() << "no InputError for SIZE1=2147483647";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": SMV header SIZE1=2147483647 is too large (more than 1000000 pixels)");
    }
    write_file(path, smv_file("{\nHEADER_BYTES=512;\nBYTE_ORDER=little_endian;\nSIZE1=2;\n}", 512, "abcdefgh"));
    try {
        read_smv_image(path);
        FAIL() << "no InputError without SIZE2";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), path + ": SMV header SIZE2 is missing");
    }
    write_file(path, "\xEF\xBB\xBF" + smv_file(good, 512, std::string(8, '\0')));  // an editor's byte-order mark
    EXPECT_EQ(read_smv_image(path).fast_pixels, 2);

    write_file(path, smv_file("{\nHEADER_BYTES=4096;\n}", 512, ""));  // header longer than file
    EXPECT_THROW(read_smv_header(path), InputError);

    EXPECT_THROW(read_smv_image(scratch.path("absent.img")), InputError);
}

TEST(FormatsSmv, ReferenceLookupReproducesNanoBraggSubstringQuirks) {
    const SmvHeader header = parse_smv_header(
        "{\nHEADER_BYTES=512;\nDISTANCE=100;\nXDS_ORGX=80;\nCLOSE_DISTANCE=95;\nPHI=3;\nTAIL\n}", "q.img");
    EXPECT_DOUBLE_EQ(*header.number("DISTANCE"), 100.0);            // honest lookup
    EXPECT_DOUBLE_EQ(header.reference_value_of("DISTANCE"), 95.0);  // last substring: CLOSE_DISTANCE
    EXPECT_DOUBLE_EQ(header.reference_value_of("ORGX"), 80.0);      // finds XDS_ORGX
    EXPECT_FALSE(header.has("ORGX"));
    EXPECT_TRUE(std::isnan(header.reference_value_of("WAVELENGTH")));
    EXPECT_DOUBLE_EQ(header.reference_value_of("TAIL"), 0.0);  // no '=' after it
    EXPECT_DOUBLE_EQ(header.reference_value_of("PHI"), 3.0);
}

TEST(FormatsSmv, WriterChecksPixelCountAndReportsUnwritablePaths) {
    ScratchDir scratch;
    const std::vector<std::uint16_t> five(5, 1);
    EXPECT_THROW(write_smv_image(scratch.path("x.img"), sample_fields(), five), InputError);
    EXPECT_FALSE(std::filesystem::exists(scratch.path("x.img")));

    const std::string unwritable = scratch.path("no_such_dir/x.img");
    try {
        write_smv_image(unwritable, sample_fields(), std::vector<std::uint16_t>(6, 0));
        FAIL() << "no InputError for a path in a missing directory";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(unwritable + ".tmp"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
    }
}
