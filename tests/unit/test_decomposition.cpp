// Tiles, work items and the static assignment: plain data, checked by counting pixels
// and items, never against numbers the code produced.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/renderer.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/work_items.hpp>

namespace tilebragg {
namespace {

// Every pixel of the detector lies in exactly one tile.
void expect_exact_cover(const TileGrid& g) {
    std::vector<int> hits(static_cast<std::size_t>(g.fpixels()) * g.spixels(), 0);
    for (int i = 0; i < g.count(); ++i) {
        const Tile t = g.tile(i);
        ASSERT_GT(t.width(), 0);
        ASSERT_GT(t.height(), 0);
        for (int s = t.slow_begin; s < t.slow_end; ++s)
            for (int f = t.fast_begin; f < t.fast_end; ++f) ++hits[static_cast<std::size_t>(s) * g.fpixels() + f];
    }
    EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
}

TEST(TileGrid, CoversADetectorThatTheTileSizeDividesExactly) {
    const TileGrid g(64, 32, {16, 8});
    EXPECT_EQ(g.tiles_fast(), 4);
    EXPECT_EQ(g.tiles_slow(), 4);
    EXPECT_EQ(g.count(), 16);
    expect_exact_cover(g);
}

TEST(TileGrid, CutsTheEdgeTilesShort) {
    const TileGrid g(100, 37, {32, 10});
    EXPECT_EQ(g.tiles_fast(), 4);  // 32 + 32 + 32 + 4
    EXPECT_EQ(g.tiles_slow(), 4);  // 10 + 10 + 10 + 7
    const Tile last = g.tile(g.count() - 1);
    EXPECT_EQ(last.width(), 4);
    EXPECT_EQ(last.height(), 7);
    expect_exact_cover(g);
}

TEST(TileGrid, NumbersTilesFastIndexFastest) {
    const TileGrid g(30, 20, {10, 10});
    const Tile second = g.tile(1);
    EXPECT_EQ(second.fast_begin, 10);
    EXPECT_EQ(second.slow_begin, 0);
    const Tile fourth = g.tile(3);
    EXPECT_EQ(fourth.fast_begin, 0);
    EXPECT_EQ(fourth.slow_begin, 10);
}

TEST(TileGrid, RejectsNonPositiveSizes) {
    EXPECT_THROW(TileGrid(10, 10, {0, 4}), InputError);
    EXPECT_THROW(TileGrid(0, 10, {4, 4}), InputError);
}

TEST(AutomaticTileSize, GivesEveryThreadOfEveryRankSeveralTiles) {
    for (int ranks : {2, 4, 16})
        for (int threads : {1, 2, 8}) {
            const TileSize s = cpu_preferred_tile(4096, 4096, ranks, threads);
            const TileGrid g(4096, 4096, s);
            EXPECT_GE(g.count(), 2 * ranks * threads) << ranks << " ranks, " << threads << " threads";
            EXPECT_EQ(s.fast % 16, 0);
            EXPECT_GE(s.slow, threads);
        }
}

// Where bands of whole rows can start on compression-block edges (4096 pixels), they are
// finer; elsewhere they stay about 16 per thread.
TEST(AutomaticTileSize, FinerBandsWhereTheyStartOnCompressionBlocks) {
    const TileSize wide = cpu_preferred_tile(2048, 2048, 16, 1);
    EXPECT_EQ(wide.fast, 2048);
    EXPECT_EQ(wide.slow, 2);
    const TileSize narrow = cpu_preferred_tile(1024, 1024, 4, 2);
    EXPECT_EQ(narrow.slow, 4);
    for (const TileSize& s :
         {wide, narrow, cpu_preferred_tile(4096, 4096, 16, 8), cpu_preferred_tile(2048, 2048, 2, 1)})
        EXPECT_EQ((static_cast<long>(s.fast) * s.slow) % 4096, 0) << s.fast << " x " << s.slow;
    EXPECT_EQ(cpu_preferred_tile(2000, 2048, 16, 1).slow, 8);  // no band of 2000-pixel rows starts on one
    EXPECT_EQ(cpu_preferred_tile(2048, 2048, 2, 8).slow, 8);   // never fewer rows than threads
}

// One OpenMP region per tile: a single rank takes the image as one tile, a large one
// in bands of 4 Mpixel, never fewer rows than threads.
TEST(AutomaticTileSize, GivesASingleRankWholeImagesOrLargeBands) {
    for (int threads : {1, 2, 8}) {
        EXPECT_EQ(TileGrid(256, 256, cpu_preferred_tile(256, 256, 1, threads)).count(), 1);
        EXPECT_EQ(TileGrid(2048, 2048, cpu_preferred_tile(2048, 2048, 1, threads)).count(), 1);
        const TileSize big = cpu_preferred_tile(4096, 4096, 1, threads);
        EXPECT_EQ(big.fast, 4096);
        EXPECT_EQ(TileGrid(4096, 4096, big).count(), 4);
        EXPECT_GE(cpu_preferred_tile(4096, 4, 1, threads).slow, std::min(threads, 4));
    }
}

TEST(AutomaticTileSize, TakesWholeRowsOfANarrowDetector) {
    const TileSize s = cpu_preferred_tile(100, 300, 2, 2);
    EXPECT_EQ(s.fast, 100);
    expect_exact_cover(TileGrid(100, 300, s));
}

TEST(AutomaticTileSize, NeverExceedsTheDetector) {
    const TileSize s = cpu_preferred_tile(5, 3, 64, 64);
    EXPECT_LE(s.fast, 5);
    EXPECT_LE(s.slow, 3);
    EXPECT_GE(s.slow, 1);
}

TEST(ResolveTileSize, KeepsWhatTheUserAskedForClampedToTheDetector) {
    const TileSize s = resolve_tile_size({48, 5000}, {256, 16}, 256, 256);
    EXPECT_EQ(s.fast, 48);
    EXPECT_EQ(s.slow, 256);
    const TileSize preferred = resolve_tile_size({0, 0}, {256, 16}, 256, 256);
    EXPECT_EQ(preferred.fast, 256);
    EXPECT_EQ(preferred.slow, 16);
    EXPECT_THROW(resolve_tile_size({-1, 4}, {256, 16}, 256, 256), InputError);
}

TEST(WorkList, NumbersItemsImageMajor) {
    const WorkList w(3, 10);
    EXPECT_EQ(w.count(), 30);
    EXPECT_EQ(w.item(0).image, 0);
    EXPECT_EQ(w.item(9).tile, 9);
    EXPECT_EQ(w.item(10).image, 1);
    EXPECT_EQ(w.item(10).tile, 0);
    for (long i = 0; i < w.count(); ++i) EXPECT_EQ(w.index(w.item(i)), i);
}

TEST(BlockCyclic, DealsEveryItemToExactlyOneRank) {
    for (long items : {0L, 1L, 7L, 64L, 101L})
        for (int ranks : {1, 2, 3, 4, 7})
            for (int block : {1, 3, 16}) {
                std::vector<int> owner(static_cast<std::size_t>(items), -1);
                for (int r = 0; r < ranks; ++r)
                    for (long i : block_cyclic_items(items, ranks, r, block)) {
                        ASSERT_GE(i, 0);
                        ASSERT_LT(i, items);
                        EXPECT_EQ(owner[static_cast<std::size_t>(i)], -1) << "item " << i << " dealt twice";
                        owner[static_cast<std::size_t>(i)] = r;
                    }
                EXPECT_TRUE(std::none_of(owner.begin(), owner.end(), [](int o) { return o < 0; }));
            }
}

TEST(BlockCyclic, DealsBlocksInTurn) {
    // 10 items, 2 ranks, blocks of 2: rank 0 gets 0 1 4 5 8 9, rank 1 gets 2 3 6 7.
    EXPECT_EQ(block_cyclic_items(10, 2, 0, 2), (std::vector<long>{0, 1, 4, 5, 8, 9}));
    EXPECT_EQ(block_cyclic_items(10, 2, 1, 2), (std::vector<long>{2, 3, 6, 7}));
}

TEST(BlockCyclic, BalancesWithinOneBlock) {
    const long items = 1000;
    const int ranks = 3;
    const int block = default_block(items, ranks);
    std::vector<std::size_t> sizes;
    for (int r = 0; r < ranks; ++r) sizes.push_back(block_cyclic_items(items, ranks, r, block).size());
    const auto [lo, hi] = std::minmax_element(sizes.begin(), sizes.end());
    EXPECT_LE(*hi - *lo, static_cast<std::size_t>(block));
    EXPECT_GE(block, 1);
}

Params parse(std::vector<std::string> args) {
    args.insert(args.begin(), "tilebragg");
    return parse_command_line(args).params;
}

TEST(DistributionFlags, DefaultToAutomaticTilesDynamicScheduleAndNoHdf5) {
    const Params p = parse({"-default_F", "1"});
    EXPECT_EQ(p.tile_fast, 0);
    EXPECT_EQ(p.tile_slow, 0);
    EXPECT_EQ(p.schedule, Schedule::Dynamic);
    EXPECT_TRUE(p.h5file.empty());
}

TEST(DistributionFlags, AreParsed) {
    const Params p = parse({"-tile", "64", "16", "-schedule", "static", "-h5file", "run.h5"});
    EXPECT_EQ(p.tile_fast, 64);
    EXPECT_EQ(p.tile_slow, 16);
    EXPECT_EQ(p.schedule, Schedule::Static);
    EXPECT_EQ(p.h5file, "run.h5");
}

TEST(DistributionFlags, RejectBadValues) {
    EXPECT_THROW(parse({"-tile", "0", "16"}), InputError);
    EXPECT_THROW(parse({"-tile", "16"}), InputError);
    EXPECT_THROW(parse({"-schedule", "guided"}), InputError);
}

}  // namespace
}  // namespace tilebragg
