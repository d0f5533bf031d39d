// Parity of the float image with the reference, for every golden case, in both
// precisions. Each (case, precision) is its own test so ctest lists and times it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "golden_paths.hpp"
#include "golden_set.hpp"
#include "image_compare.hpp"
#include "run_program.hpp"

namespace tilebragg::golden {
namespace {

namespace fs = std::filesystem;

enum class Placeholder { none, golden_not_found, manifest_unreadable };

struct ParityCase {
    GoldenCase golden;
    std::string precision;  // "float" or "double"
    Placeholder placeholder = Placeholder::none;
};

// Keeps gtest from dumping the struct's bytes in messages.
void PrintTo(const ParityCase& p, std::ostream* os) { *os << p.golden.name << " (" << p.precision << ")"; }

std::vector<ParityCase> parity_cases() {
    const GoldenSet& set = golden_set();
    if (!set.found()) return {ParityCase{{}, "none", Placeholder::golden_not_found}};
    if (set.cases.empty()) return {ParityCase{{}, "none", Placeholder::manifest_unreadable}};
    std::vector<ParityCase> out;
    for (const GoldenCase& c : set.cases)
        for (const char* precision : {"float", "double"}) out.push_back({c, precision});
    return out;
}

std::string test_name(const ::testing::TestParamInfo<ParityCase>& info) {
    switch (info.param.placeholder) {
        case Placeholder::golden_not_found:
            return "golden_dir_not_found";
        case Placeholder::manifest_unreadable:
            return "manifest_unreadable";
        case Placeholder::none:
            break;
    }
    return test_name_of(info.param.golden.name, info.param.precision);
}

std::string command_line(const fs::path& dir, const fs::path& exe, const std::vector<std::string>& args) {
    std::string line = "cd " + dir.string() + " && " + exe.string();
    for (const std::string& a : args) line += " " + a;
    return line;
}

class GoldenImage : public ::testing::TestWithParam<ParityCase> {};

TEST_P(GoldenImage, MatchesReference) {
    const ParityCase& param = GetParam();
    const GoldenSet& set = golden_set();
    if (param.placeholder == Placeholder::golden_not_found) GTEST_SKIP() << set.problem;
    if (param.placeholder == Placeholder::manifest_unreadable) FAIL() << set.problem;

    const GoldenCase& c = param.golden;
    const bool is_double = param.precision == "double";
    const auto [corr_min, sum_tol] = parity_thresholds(c, is_double);

    const fs::path exe = tilebragg_executable();
    ASSERT_TRUE(fs::is_regular_file(exe)) << "tilebragg executable not found: " << exe;

    const fs::path run_dir = fresh_run_dir(c.name + "." + param.precision);
    const fs::path image_path = run_dir / "float.bin";
    std::vector<std::string> args = expand_args(c.args, set.inputs_dir().string());
    args.insert(args.end(), {"-floatfile", image_path.string()});
    const auto quiet = quiet_output_flags();
    args.insert(args.end(), quiet.begin(), quiet.end());
    args.insert(args.end(), {"-precision", param.precision});
    const std::string command = command_line(run_dir, exe, args);

    const RunResult run = run_program(exe, args, run_dir, run_timeout_s());
    ASSERT_TRUE(run.ok()) << "tilebragg " << run.describe() << "\n  " << command << "\n--- output (tail) ---\n"
                          << tail_of_file(run.log);
    ASSERT_TRUE(fs::is_regular_file(image_path))
        << "tilebragg finished but wrote no float image\n  " << command << "\n--- output (tail) ---\n"
        << tail_of_file(run.log);

    const std::uintmax_t expected_bytes = std::uintmax_t(c.fpixels) * c.spixels * 4;
    ASSERT_EQ(fs::file_size(image_path), expected_bytes)
        << "float image size, expected " << c.fpixels << " x " << c.spixels << " float32 pixels\n  " << command;

    const std::vector<float> image = read_float_image(image_path.string());
    const std::vector<float> reference = read_float_image((set.case_dir(c.name) / "float.bin").string());
    ASSERT_EQ(reference.size(), image.size())
        << "golden float.bin of " << c.name << " does not match the manifest's size";

    const ImageComparison cmp = compare_images(image, reference);
    const double sum_ratio = cmp.sum / cmp.reference_sum;
    std::cout << "[ golden   ] " << c.name << " " << param.precision << ": correlation "
              << formatted("%.10f", cmp.correlation) << " (min " << formatted("%.10g", corr_min) << "), sum ratio "
              << formatted("%.8f", sum_ratio) << " (tol " << formatted("%.3g", sum_tol) << "), max "
              << formatted("%.6g", cmp.max) << " vs " << formatted("%.6g", cmp.reference_max) << ", "
              << formatted("%.2f", run.seconds) << " s" << std::endl;
    RecordProperty("correlation", formatted("%.10f", cmp.correlation));
    RecordProperty("sum_ratio", formatted("%.10f", sum_ratio));
    RecordProperty("run_seconds", formatted("%.3f", run.seconds));

    EXPECT_EQ(cmp.non_finite, 0u) << "NaN or inf pixels in the image\n  " << command;
    EXPECT_GE(cmp.correlation, corr_min) << "Pearson correlation with the reference\n  " << command;
    EXPECT_LE(std::fabs(sum_ratio - 1.0), sum_tol) << "image sum " << cmp.sum << " vs reference " << cmp.reference_sum
                                                   << " (manifest: " << c.sum << ")\n  " << command;

    if (!HasFailure() && !keep_passing_runs()) {
        std::error_code ignored;
        fs::remove_all(run_dir, ignored);
    } else if (HasFailure()) {
        std::cout << "[ golden   ] run kept in " << run_dir.string() << std::endl;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenImage, ::testing::ValuesIn(parity_cases()), test_name);

}  // namespace
}  // namespace tilebragg::golden
