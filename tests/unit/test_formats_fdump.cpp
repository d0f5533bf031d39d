#include <tilebragg/errors.hpp>
#include <tilebragg/fdump.hpp>
#include <tilebragg/hkl_file.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>

using namespace tilebragg;
using tilebragg::formats_test::file_bytes;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

namespace {

double double_at(const std::string& bytes, std::size_t offset) {
    double value;
    std::memcpy(&value, bytes.data() + offset, sizeof value);
    return value;
}

std::string double_bytes(double value) {
    std::string bytes(sizeof value, '\0');
    std::memcpy(&bytes[0], &value, sizeof value);
    return bytes;
}

// h -1..2, k 0..0, l 3..4, every F distinct, nothing equal to zero.
HklGrid sample_grid() {
    HklGrid grid = HklGrid::filled(-1, 2, 0, 0, 3, 4, 0.0);
    for (std::size_t i = 0; i < grid.F.size(); ++i) grid.F[i] = 100.0 + static_cast<double>(i);
    return grid;
}

}  // namespace

TEST(FormatsFdump, HeaderIsTheSixLimitsThenNewlineAndFormFeed) {
    ScratchDir scratch;
    const std::string path = scratch.path("Fdump.bin");
    write_fdump(path, sample_grid());
    const std::string bytes = file_bytes(path);
    const std::string header = "-1 2 0 0 3 4\n\f";
    ASSERT_GE(bytes.size(), header.size());
    EXPECT_EQ(bytes.substr(0, header.size()), header);
    // One spare slot past the end of every axis: (4+1) * (1+1) * (2+1) doubles.
    EXPECT_EQ(bytes.size(), header.size() + 5u * 2u * 3u * sizeof(double));
}

TEST(FormatsFdump, DataRunsLFastestWithZeroSpareSlots) {
    ScratchDir scratch;
    const std::string path = scratch.path("Fdump.bin");
    const HklGrid grid = sample_grid();
    write_fdump(path, grid);
    const std::string bytes = file_bytes(path);
    const std::size_t data = std::string("-1 2 0 0 3 4\n\f").size();
    const std::size_t k_slots = 2, l_slots = 3;  // counts + 1
    for (int h = 0; h <= 4; ++h) {
        for (std::size_t k = 0; k < k_slots; ++k) {
            for (std::size_t l = 0; l < l_slots; ++l) {
                const std::size_t offset = data + ((h * k_slots + k) * l_slots + l) * sizeof(double);
                const bool spare = h == 4 || k == 1 || l == 2;
                const double expected =
                    spare ? 0.0
                          : grid.at(grid.h_min + h, grid.k_min + static_cast<int>(k), grid.l_min + static_cast<int>(l));
                EXPECT_EQ(double_at(bytes, offset), expected) << "h" << h << " k" << k << " l" << l;
            }
        }
    }
    // Spot check against the fill rule of sample_grid: (h=0,k=0,l=4) is element 3.
    EXPECT_EQ(double_at(bytes, data + ((1 * 2 + 0) * 3 + 1) * sizeof(double)), 103.0);
}

TEST(FormatsFdump, RoundTripKeepsBoxValuesAndReportsRangeProductAsHkls) {
    ScratchDir scratch;
    const std::string path = scratch.path("Fdump.bin");
    const HklGrid grid = parse_hkl_text("0 0 0 10\n2 -1 1 20\n", "F.hkl", 3.5);
    write_fdump(path, grid);
    const HklGrid back = read_fdump(path, 1.25);
    EXPECT_EQ(back.h_min, 0);
    EXPECT_EQ(back.h_max, 2);
    EXPECT_EQ(back.k_min, -1);
    EXPECT_EQ(back.k_max, 0);
    EXPECT_EQ(back.l_min, 0);
    EXPECT_EQ(back.l_max, 1);
    EXPECT_EQ(back.F, grid.F);  // default fill travels with the cache
    EXPECT_DOUBLE_EQ(back.at(1, 0, 1), 3.5);
    EXPECT_DOUBLE_EQ(back.default_F, 1.25);  // outside the box: this run's value
    EXPECT_EQ(back.hkls, 3 * 2 * 2);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(FormatsFdump, ReadsAFileBuiltByHandFromTheLayout) {
    // Built from the documented layout alone, not by write_fdump. The first value's first
    // byte is 0x20 (a space), which the reference's own scanf-based reader would eat.
    std::uint64_t bits;
    const double one = 1.0;
    std::memcpy(&bits, &one, sizeof bits);
    bits |= 0x20;  // low mantissa byte; lands first on a little-endian host
    double tricky;
    std::memcpy(&tricky, &bits, sizeof tricky);

    std::string file = "5 6 -1 -1 0 0\n\f";
    const double values[2][2][2] = {{{tricky, 0.0}, {0.0, 0.0}}, {{-7.5, 0.0}, {0.0, 0.0}}};
    std::string data;
    for (int h = 0; h < 3; ++h)
        for (int k = 0; k < 2; ++k)
            for (int l = 0; l < 2; ++l) data += double_bytes(h < 2 ? values[h][k][l] : 0.0);
    file += data;

    ScratchDir scratch;
    const std::string path = scratch.path("hand.bin");
    write_file(path, file);
    const HklGrid grid = read_fdump(path, 0.0);
    ASSERT_EQ(grid.F.size(), 2u);
    EXPECT_EQ(grid.at(5, -1, 0), tricky);
    EXPECT_EQ(grid.at(6, -1, 0), -7.5);
    EXPECT_EQ(grid.hkls, 2);
}

TEST(FormatsFdump, RejectsBrokenCaches) {
    ScratchDir scratch;
    const std::string path = scratch.path("bad.bin");

    write_file(path, "0 0 0 0 0 0\n\f" + double_bytes(1.0));  // needs 8 doubles
    EXPECT_THROW(read_fdump(path, 0.0), InputError);

    write_file(path, "0 0 0 0 0\n\f" + std::string(64, '\0'));  // five limits
    EXPECT_THROW(read_fdump(path, 0.0), InputError);

    write_file(path, "0 0 0 0 0 0 0\n\f" + std::string(64, '\0'));  // seven limits
    EXPECT_THROW(read_fdump(path, 0.0), InputError);

    write_file(path, "0 0 0 0 0 0\n" + std::string(64, '\0'));  // no form feed
    EXPECT_THROW(read_fdump(path, 0.0), InputError);

    write_file(path, "1 0 0 0 0 0\n\f");  // h_max < h_min
    EXPECT_THROW(read_fdump(path, 0.0), InputError);

    EXPECT_THROW(read_fdump(scratch.path("absent.bin"), 0.0), InputError);
    EXPECT_THROW(write_fdump(path, HklGrid{}), InputError);
}

TEST(FormatsFdump, MatchesAReferenceMadeCacheWhenOneIsProvided) {
    // Optional: point TILEBRAGG_REFERENCE_FDUMP at the Fdump.bin nanoBragg wrote after
    // reading golden inputs/cubic100.hkl (with no -default_F). Not stored in the repository.
    const char* reference = std::getenv("TILEBRAGG_REFERENCE_FDUMP");
    const auto golden = formats_test::golden_dir();
    if (!reference || !*reference || golden.empty()) {
        GTEST_SKIP() << "set TILEBRAGG_REFERENCE_FDUMP (and have the golden set) to compare";
    }
    ScratchDir scratch;
    const std::string mine = scratch.path("Fdump.bin");
    write_fdump(mine, read_hkl_file((golden / "inputs" / "cubic100.hkl").string(), 0.0));
    EXPECT_TRUE(file_bytes(mine) == file_bytes(reference)) << "bytes differ from " << reference;
    EXPECT_EQ(read_fdump(reference, 0.0).F, read_fdump(mine, 0.0).F);
}

TEST(FormatsFdump, HeaderWithAnAbsurdIndexRangeIsRefusedBeforeAllocating) {
    ScratchDir scratch;
    const std::string path = scratch.path("Fdump.bin");
    write_file(path, "0 100000000 0 0 0 0\n\f" + std::string(64, '\0'));
    try {
        read_fdump(path, 0.0);
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": Miller index range h 0..100000000 too long", 0), 0u)
            << e.what();
    }
}

TEST(FormatsFdump, BoxesLargerThanOneWriteBatchKeepTheLayout) {
    // 30 h planes of 41 x 51 slots (k, l counts + 1): written in several batches.
    HklGrid grid = HklGrid::filled(-10, 18, 0, 39, -25, 24, 0.0);
    for (std::size_t i = 0; i < grid.F.size(); ++i) grid.F[i] = 0.5 + static_cast<double>(i);
    ScratchDir scratch;
    const std::string path = scratch.path("Fdump.bin");
    write_fdump(path, grid);
    std::string expected = "-10 18 0 39 -25 24\n\f";
    for (int h = 0; h <= 29; ++h)
        for (int k = 0; k <= 40; ++k)
            for (int l = 0; l <= 50; ++l)
                expected += double_bytes(h == 29 || k == 40 || l == 50 ? 0.0 : grid.at(h - 10, k, l - 25));
    EXPECT_TRUE(file_bytes(path) == expected);
    EXPECT_EQ(read_fdump(path, 0.0).F, grid.F);
}
