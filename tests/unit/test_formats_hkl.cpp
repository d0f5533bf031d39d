#include <tilebragg/errors.hpp>
#include <tilebragg/hkl_file.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

namespace {

// Asserts that parsing `text` throws an InputError whose message starts with `prefix`.
void expect_error_starting_with(const std::string& text, const std::string& prefix) {
    try {
        parse_hkl_text(text, "F.hkl", 0.0);
        ADD_FAILURE() << "no InputError for:\n" << text;
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
    }
}

}  // namespace

TEST(FormatsHkl, BoxSpansTheIndicesAndUnlistedHklsGetDefaultF) {
    const HklGrid grid = parse_hkl_text(" 0 0 0 10\n 1 -1 2 20.5\n -2 1 1 30\n", "F.hkl", 7.0);
    EXPECT_EQ(grid.h_min, -2);
    EXPECT_EQ(grid.h_max, 1);
    EXPECT_EQ(grid.k_min, -1);
    EXPECT_EQ(grid.k_max, 1);
    EXPECT_EQ(grid.l_min, 0);
    EXPECT_EQ(grid.l_max, 2);
    EXPECT_EQ(grid.F.size(), 4u * 3u * 3u);
    EXPECT_EQ(grid.hkls, 3);
    EXPECT_DOUBLE_EQ(grid.at(0, 0, 0), 10.0);
    EXPECT_DOUBLE_EQ(grid.at(1, -1, 2), 20.5);
    EXPECT_DOUBLE_EQ(grid.at(-2, 1, 1), 30.0);
    EXPECT_DOUBLE_EQ(grid.at(-1, 0, 1), 7.0);  // inside the box, not listed
    EXPECT_DOUBLE_EQ(grid.default_F, 7.0);
    EXPECT_TRUE(grid.contains(1, 1, 2));
    EXPECT_FALSE(grid.contains(2, 0, 0));
    EXPECT_DOUBLE_EQ(grid.value_or_default(5, 5, 5), 7.0);
    EXPECT_DOUBLE_EQ(grid.value_or_default(1, -1, 2), 20.5);
}

TEST(FormatsHkl, LayoutHasLFastestThenKThenH) {
    const HklGrid grid = parse_hkl_text("0 0 0 1\n0 0 1 2\n0 1 0 3\n1 0 0 4\n", "F.hkl", 0.0);
    ASSERT_EQ(grid.F.size(), 8u);
    EXPECT_DOUBLE_EQ(grid.F[0], 1.0);  // (0,0,0)
    EXPECT_DOUBLE_EQ(grid.F[1], 2.0);  // (0,0,1)
    EXPECT_DOUBLE_EQ(grid.F[2], 3.0);  // (0,1,0)
    EXPECT_DOUBLE_EQ(grid.F[4], 4.0);  // (1,0,0)
}

TEST(FormatsHkl, RepeatedHklKeepsItsLastValueAndCountsEveryLine) {
    const HklGrid grid = parse_hkl_text("0 0 0 10\n1 1 1 30\n0 0 0 40\n", "F.hkl", 0.0);
    EXPECT_DOUBLE_EQ(grid.at(0, 0, 0), 40.0);
    EXPECT_EQ(grid.hkls, 3);  // the reference counts lines, not distinct hkls
}

TEST(FormatsHkl, ToleratesBlankLinesCrlfCommentsAndIntegralReals) {
    const HklGrid grid =
        parse_hkl_text("# made by hand\r\n\r\n0 0 0 10\r\n\n  \t\n1.0 1 -1.0 30 # strong\r\n", "F.hkl", 0.0);
    EXPECT_EQ(grid.hkls, 2);
    EXPECT_DOUBLE_EQ(grid.at(0, 0, 0), 10.0);
    EXPECT_DOUBLE_EQ(grid.at(1, 1, -1), 30.0);
}

TEST(FormatsHkl, MalformedLinesNameFileAndLine) {
    expect_error_starting_with("0 0 0 1\n\n1 2 3 4 5\n", "F.hkl:3: expected 4 columns");
    expect_error_starting_with("0 0 0 1\n1 2 3\n", "F.hkl:2: expected 4 columns");
    expect_error_starting_with("0 0 0 1\n1.5 2 3 4\n", "F.hkl:2: index h '1.5' is not an integer");
    expect_error_starting_with("0 x 0 1\n", "F.hkl:1: index k 'x' is not a number");
    expect_error_starting_with("0 0 0 big\n", "F.hkl:1: structure factor F 'big' is not a number");
    expect_error_starting_with("0 0 0 inf\n", "F.hkl:1: structure factor F 'inf' is not finite");
    expect_error_starting_with("0 0 1e12 1\n", "F.hkl:1: index l '1e12' is out of range");
}

TEST(FormatsHkl, FileWithoutReflectionsIsAnError) {
    expect_error_starting_with("", "F.hkl: no reflections");
    expect_error_starting_with("# only a comment\n\n", "F.hkl: no reflections");
}

TEST(FormatsHkl, AbsurdIndexBoxIsRefusedBeforeAllocating) {
    expect_error_starting_with("-5000 -5000 -5000 1\n5000 5000 5000 1\n", "F.hkl: Miller index box too large");
}

TEST(FormatsHkl, ReadsFromDiskAndReportsUnreadableFiles) {
    ScratchDir scratch;
    const std::string path = scratch.path("tiny.hkl");
    write_file(path, "1 2 3 4.5\n");
    const HklGrid grid = read_hkl_file(path, 0.0);
    EXPECT_EQ(grid.F.size(), 1u);
    EXPECT_DOUBLE_EQ(grid.at(1, 2, 3), 4.5);
    EXPECT_THROW(read_hkl_file(scratch.path("missing.hkl"), 0.0), InputError);
}

TEST(FormatsHkl, FilledGridRejectsEmptyRanges) {
    const HklGrid grid = HklGrid::filled(-1, 1, 0, 0, 2, 3, 9.0);
    EXPECT_EQ(grid.F.size(), 3u * 1u * 2u);
    EXPECT_DOUBLE_EQ(grid.at(-1, 0, 3), 9.0);
    EXPECT_EQ(grid.hkls, 0);
    EXPECT_THROW(HklGrid::filled(1, 0, 0, 0, 0, 0, 0.0), InputError);
}

TEST(FormatsHkl, GoldenInputFilesReadAsTheReferenceReadsThem) {
    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden reference set not found (set TILEBRAGG_GOLDEN_DIR)";

    // Facts checked against the files with awk and against the reference's own report
    // ("15625 initialized hkls", "64929 initialized hkls").
    const HklGrid cubic = read_hkl_file((golden / "inputs" / "cubic100.hkl").string(), 0.0);
    EXPECT_EQ(cubic.hkls, 15625);
    EXPECT_EQ(cubic.h_min, -12);
    EXPECT_EQ(cubic.h_max, 12);
    EXPECT_EQ(cubic.l_min, -12);
    EXPECT_EQ(cubic.l_max, 12);
    EXPECT_DOUBLE_EQ(cubic.at(-12, -12, -12), 1.020);
    EXPECT_DOUBLE_EQ(cubic.at(-12, -12, -11), 1.006);
    EXPECT_DOUBLE_EQ(cubic.at(-12, -11, -12), 1.027);

    const HklGrid p1 = read_hkl_file((golden / "inputs" / "P1.hkl").string(), 0.0);
    EXPECT_EQ(p1.hkls, 64929);
    EXPECT_EQ(p1.h_min, -30);
    EXPECT_EQ(p1.h_max, 30);
    EXPECT_EQ(p1.k_min, -30);
    EXPECT_EQ(p1.k_max, 30);
    EXPECT_EQ(p1.l_min, -18);
    EXPECT_EQ(p1.l_max, 18);
    EXPECT_DOUBLE_EQ(p1.at(0, 0, 1), 278.165);
    EXPECT_DOUBLE_EQ(p1.at(5, -3, 2), 150.919);
    EXPECT_DOUBLE_EQ(p1.at(30, -8, 1), 110.704);
}
