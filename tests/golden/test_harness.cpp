// The golden harness's own pieces, tested on inputs whose answers are known by hand,
// so a parity failure can be trusted to be the simulator's.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <vector>

#include "image_compare.hpp"
#include "manifest.hpp"
#include "run_program.hpp"
#include "smv_header.hpp"

namespace tilebragg::golden {
namespace {

namespace fs = std::filesystem;

TEST(GoldenHarness, CorrelationOfAnAffineCopyIsOne) {
    const std::vector<float> reference = {1, 2, 3, 4, 10};
    const std::vector<float> image = {5, 7, 9, 11, 23};  // 2 x + 3
    const ImageComparison cmp = compare_images(image, reference);
    EXPECT_NEAR(cmp.correlation, 1.0, 1e-12);
    EXPECT_DOUBLE_EQ(cmp.sum, 55.0);
    EXPECT_DOUBLE_EQ(cmp.reference_sum, 20.0);
    EXPECT_DOUBLE_EQ(cmp.max, 23.0);
    EXPECT_EQ(cmp.non_finite, 0u);
}

TEST(GoldenHarness, CorrelationOfAMirroredImageIsMinusOne) {
    const std::vector<float> reference = {1, 2, 3};
    const std::vector<float> image = {3, 2, 1};
    EXPECT_NEAR(compare_images(image, reference).correlation, -1.0, 1e-12);
}

TEST(GoldenHarness, CorrelationOfKnownPairs) {
    // About the means: sum dx*dy = 4, sum dx^2 = sum dy^2 = 5, so r = 4/5.
    const std::vector<float> reference = {1, 2, 3, 4};
    const std::vector<float> image = {1, 3, 2, 4};
    EXPECT_NEAR(compare_images(image, reference).correlation, 0.8, 1e-12);
}

TEST(GoldenHarness, NonFinitePixelsAreCountedAndSpoilTheCorrelation) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    const ImageComparison cmp = compare_images({1, nan, 3, inf}, {1, 2, 3, 4});
    EXPECT_EQ(cmp.non_finite, 2u);
    EXPECT_TRUE(std::isnan(cmp.correlation));
}

TEST(GoldenHarness, ConstantImageHasNoCorrelation) {
    EXPECT_TRUE(std::isnan(compare_images({0, 0, 0}, {1, 2, 3}).correlation));
}

TEST(GoldenHarness, ManifestKeepsTheFieldsAndSkipsTheRest) {
    const std::string json = R"({
      "reference": "x", "nested": {"a": [1, 2, {"b": null}]},
      "cases": [
        {"name": "one", "args": "-N 5 -hkl @inputs/P1.hkl -note \"q\"", "fpixels": 256,
         "spixels": 128, "corr_min": 0.999999, "sum_rel_tol": 1e-3, "sum": 2.5E5,
         "extra": [1, 2], "flag": true},
        {"name": "two", "args": "", "fpixels": 1, "spixels": 1, "corr_min": 0.5,
         "sum_rel_tol": 0.1, "sum": -1}
      ]
    })";
    const std::vector<GoldenCase> cases = parse_manifest(json);
    ASSERT_EQ(cases.size(), 2u);
    EXPECT_EQ(cases[0].name, "one");
    EXPECT_EQ(cases[0].args, "-N 5 -hkl @inputs/P1.hkl -note \"q\"");
    EXPECT_EQ(cases[0].fpixels, 256u);
    EXPECT_EQ(cases[0].spixels, 128u);
    EXPECT_DOUBLE_EQ(cases[0].corr_min, 0.999999);
    EXPECT_DOUBLE_EQ(cases[0].sum_rel_tol, 0.001);
    EXPECT_DOUBLE_EQ(cases[0].sum, 250000.0);
    EXPECT_EQ(cases[1].name, "two");
    EXPECT_DOUBLE_EQ(cases[1].sum, -1.0);
}

TEST(GoldenHarness, ManifestWithoutAFieldIsRejected) {
    const std::string json = R"({"cases": [{"name": "a", "args": "", "fpixels": 1}]})";
    EXPECT_THROW(parse_manifest(json), std::runtime_error);
}

TEST(GoldenHarness, TruncatedManifestIsRejected) {
    EXPECT_THROW(parse_manifest(R"({"cases": [{"name": "a")"), std::runtime_error);
}

TEST(GoldenHarness, ArgsAreSplitAndInputsReplaced) {
    const auto args = expand_args("  -hkl @inputs/P1.hkl\t-N 5 ", "/data/in");
    EXPECT_EQ(args, (std::vector<std::string>{"-hkl", "/data/in/P1.hkl", "-N", "5"}));
}

TEST(GoldenHarness, SmvHeaderToleratesALineWithoutSemicolon) {
    const std::string text = "{\nHEADER_BYTES=512;\nDIALS_ORIGIN=-51.3,51.3,-100\nXDS_ORGX=513.5;\n}\n\f\0\0";
    const SmvHeader header = parse_smv_header(text);
    ASSERT_EQ(header.size(), 3u);
    EXPECT_EQ(header.at("DIALS_ORIGIN"), "-51.3,51.3,-100");
    EXPECT_EQ(header.at("XDS_ORGX"), "513.5");
    const auto origin = numeric_values(header.at("DIALS_ORIGIN"));
    ASSERT_TRUE(origin.has_value());
    EXPECT_EQ(*origin, (std::vector<double>{-51.3, 51.3, -100.0}));
    EXPECT_FALSE(numeric_values("little_endian").has_value());
    EXPECT_FALSE(numeric_values("1,,2").has_value());
}

TEST(GoldenHarness, SmvHeaderMustOpenTheFile) { EXPECT_THROW(parse_smv_header("junk{A=1;}"), std::runtime_error); }

class GoldenHarnessRun : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("tilebragg_harness_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(GoldenHarnessRun, ReportsExitCodeOutputAndWorkingDirectory) {
    const RunResult r = run_program("/bin/sh", {"-c", "pwd; echo to-stderr >&2; exit 3"}, dir_, 30);
    EXPECT_TRUE(r.started);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_FALSE(r.ok());
    const std::string log = tail_of_file(r.log);
    EXPECT_NE(log.find(fs::canonical(dir_).string()), std::string::npos) << log;
    EXPECT_NE(log.find("to-stderr"), std::string::npos) << log;
}

TEST_F(GoldenHarnessRun, ReportsASignal) {
    const RunResult r = run_program("/bin/sh", {"-c", "kill -SEGV $$"}, dir_, 30);
    EXPECT_EQ(r.signal, 11);
    EXPECT_NE(r.describe().find("signal 11"), std::string::npos) << r.describe();
}

TEST_F(GoldenHarnessRun, KillsARunThatTakesTooLong) {
    const RunResult r = run_program("/bin/sh", {"-c", "sleep 30"}, dir_, 0.3);
    EXPECT_TRUE(r.timed_out);
    EXPECT_LT(r.seconds, 10.0);
}

TEST_F(GoldenHarnessRun, AMissingProgramIsNotStarted) {
    const RunResult r = run_program(dir_ / "no_such_program", {}, dir_, 30);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.started);
}

}  // namespace
}  // namespace tilebragg::golden
