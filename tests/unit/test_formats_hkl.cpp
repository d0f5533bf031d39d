#include <tilebragg/errors.hpp>
#include <tilebragg/hkl_file.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

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

TEST(FormatsHkl, ByteOrderMarkAtTheStartIsSkipped) {
    const HklGrid grid = parse_hkl_text(
        "\xEF\xBB\xBF"
        "1 2 3 4.5\r\n",
        "F.hkl", 0.0);
    EXPECT_EQ(grid.hkls, 1);
    EXPECT_DOUBLE_EQ(grid.at(1, 2, 3), 4.5);
    // Anywhere else it is not white space but a stray character.
    expect_error_starting_with(
        "1 2 3 4\n\xEF\xBB\xBF"
        "1 2 3 4\n",
        "F.hkl:2: index h '\xEF\xBB\xBF"
        "1' is not a number");
}

TEST(FormatsHkl, EveryNumberFormStrtodAcceptsGivesStrtodsValue) {
    // The plain form ("-12 3 0 47.509") has its own fast reader; exponents, signs,
    // hexadecimal and long mantissas take other paths. All must agree with strtod.
    const std::vector<std::string> Fs = {
        "47.509", "-0",  "0.000001", "123456789012345", "1234567890123456", "9007199254740993",      "0.1", "3.", ".5",
        "+4",     "1e2", "2.5E-3",   "0x1p3",           "4.9e-324",         "1.7976931348623157e308"};
    std::string text;
    for (std::size_t i = 0; i < Fs.size(); ++i) text += "0 0 " + std::to_string(i) + " " + Fs[i] + "\n";
    text += "+1 1.0 -2e0 5\n";
    const HklGrid grid = parse_hkl_text(text, "F.hkl", 0.0);
    for (std::size_t i = 0; i < Fs.size(); ++i) {
        const double expected = std::strtod(Fs[i].c_str(), nullptr);
        EXPECT_EQ(std::memcmp(&grid.F[grid.index(0, 0, static_cast<int>(i))], &expected, sizeof expected), 0) << Fs[i];
    }
    EXPECT_EQ(grid.at(1, 1, -2), 5.0);
    // What strtod can only give as 0 or infinity is refused, as for every other number input.
    expect_error_starting_with("0 0 0 1e-400\n", "F.hkl:1: structure factor F '1e-400' is out of range");
    expect_error_starting_with("0 0 0 1e400\n", "F.hkl:1: structure factor F '1e400' is out of range");
}

TEST(FormatsHkl, DecimalsReadExactlyAsStrtodReadsThem) {
    std::mt19937_64 random(13);
    std::string text;
    std::vector<double> expected;
    for (int i = 0; i < 20000; ++i) {
        std::string F = random() % 2 ? "-" : "";
        const int whole = 1 + static_cast<int>(random() % 9), fraction = static_cast<int>(random() % 10);
        for (int d = 0; d < whole; ++d) F += static_cast<char>('0' + random() % 10);
        if (fraction > 0) F += '.';
        for (int d = 0; d < fraction; ++d) F += static_cast<char>('0' + random() % 10);
        text += "0 0 " + std::to_string(i) + "\t" + F + "\n";
        expected.push_back(std::strtod(F.c_str(), nullptr));
    }
    const HklGrid grid = parse_hkl_text(text, "F.hkl", 0.0);
    for (int i = 0; i < 20000; ++i)
        ASSERT_EQ(std::memcmp(&grid.F[grid.index(0, 0, i)], &expected[static_cast<std::size_t>(i)], sizeof(double)), 0)
            << i;
}

TEST(FormatsHkl, OneStrayIndexIsRefusedBeforeAllocatingTheBox) {
    // Each box is small in total but one index range is absurd: 2^31 doubles would be
    // 16 GiB in memory, h 0..1e8 a 3.2 GB Fdump cache.
    expect_error_starting_with("0 0 0 1\n2147483647 0 0 1\n", "F.hkl: Miller index range h 0..2147483647 too long");
    expect_error_starting_with("0 0 0 1\n0 0 100000000 1\n", "F.hkl: Miller index range l 0..100000000 too long");
    try {
        parse_hkl_text("0 -100000000 0 1\n0 0 0 1\n", "F.hkl", 0.0);
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("100000001 indices"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("would need 762 MiB"), std::string::npos) << e.what();
    }
}

TEST(FormatsHkl, LongestIndexRangeIs16EdgesOfTheCubeTheMemoryBudgetHolds) {
    // 64 MiB is 8 Mi doubles, a cube of 203.2^3; 16 such edges are 3250 indices.
    setenv("TILEBRAGG_MEMORY_LIMIT_MB", "64", 1);
    const HklGrid longest = parse_hkl_text("-1625 0 0 1\n1624 0 0 2\n", "F.hkl", 0.0);
    EXPECT_EQ(longest.h_count(), 3250);
    try {
        parse_hkl_text("-1625 0 0 1\n1625 0 0 2\n", "F.hkl", 0.0);
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "F.hkl: Miller index range h -1625..1625 too long: 3251 indices, more than the 3250 per index that "
                  "the memory budget of 64 MiB allows (the box h -1625..1625, k 0..0, l 0..0 would need 26 KiB)");
    }
    unsetenv("TILEBRAGG_MEMORY_LIMIT_MB");
}
