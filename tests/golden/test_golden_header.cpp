// The SMV header of -intfile against the reference's, for the cases that stored one:
// the same keys, and the same geometry within print precision.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "golden_paths.hpp"
#include "golden_set.hpp"
#include "header_tests.hpp"
#include "run_program.hpp"
#include "smv_header.hpp"

namespace tilebragg::golden {
namespace {

namespace fs = std::filesystem;

// Compared as numbers (element-wise for vectors such as DIALS_ORIGIN) when the
// reference header has them. Values are printed with a few significant digits, so the
// tolerance is a print-rounding one, far below any real geometry difference.
const std::vector<std::string> kNumericKeys = {"HEADER_BYTES",    "DIM",
                                               "SIZE1",           "SIZE2",
                                               "PIXEL_SIZE",      "DISTANCE",
                                               "CLOSE_DISTANCE",  "WAVELENGTH",
                                               "BEAM_CENTER_X",   "BEAM_CENTER_Y",
                                               "ADXV_CENTER_X",   "ADXV_CENTER_Y",
                                               "MOSFLM_CENTER_X", "MOSFLM_CENTER_Y",
                                               "DENZO_X_BEAM",    "DENZO_Y_BEAM",
                                               "DIALS_ORIGIN",    "XDS_ORGX",
                                               "XDS_ORGY",        "PHI",
                                               "OSC_START",       "OSC_RANGE",
                                               "TWOTHETA"};
const std::vector<std::string> kExactKeys = {"BYTE_ORDER", "TYPE"};

bool close_enough(double ours, double reference) {
    return std::fabs(ours - reference) <= 1e-3 + 1e-6 * std::fabs(reference);
}

std::string join(const std::set<std::string>& items) {
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : " ") + s;
    return out;
}

class GoldenHeader : public ::testing::Test {
public:
    explicit GoldenHeader(std::string case_name) : case_name_(std::move(case_name)) {}

    void TestBody() override {
        const GoldenSet& set = golden_set();
        if (!set.found()) GTEST_SKIP() << set.problem;
        if (set.cases.empty()) FAIL() << set.problem;
        const GoldenCase* c = nullptr;
        for (const GoldenCase& candidate : set.cases)
            if (candidate.name == case_name_) c = &candidate;
        ASSERT_NE(c, nullptr) << case_name_ << " is not in the manifest";

        const fs::path exe = tilebragg_executable();
        ASSERT_TRUE(fs::is_regular_file(exe)) << "tilebragg executable not found: " << exe;
        const fs::path run_dir = fresh_run_dir(c->name + ".header");
        const fs::path image_path = run_dir / "int.img";
        std::vector<std::string> args = expand_args(c->args, set.inputs_dir().string());
        args.insert(args.end(), {"-intfile", image_path.string()});
        const auto quiet = quiet_output_flags();
        args.insert(args.end(), quiet.begin(), quiet.end());

        std::string command = "cd " + run_dir.string() + " && " + exe.string();
        for (const std::string& a : args) command += " " + a;

        const RunResult run = run_program(exe, args, run_dir, run_timeout_s());
        ASSERT_TRUE(run.ok()) << "tilebragg " << run.describe() << "\n  " << command << "\n--- output (tail) ---\n"
                              << tail_of_file(run.log);
        ASSERT_TRUE(fs::is_regular_file(image_path)) << "tilebragg finished but wrote no SMV image\n  " << command;

        const SmvHeader ours = read_smv_header(image_path.string());
        const SmvHeader reference = read_smv_header((set.case_dir(c->name) / "int.img").string());
        compare(ours, reference, command);
        check_file_size(ours, fs::file_size(image_path));

        if (!HasFailure() && !keep_passing_runs()) {
            std::error_code ignored;
            fs::remove_all(run_dir, ignored);
        } else if (HasFailure()) {
            std::cout << "[ golden   ] run kept in " << run_dir.string() << std::endl;
        }
    }

private:
    void compare(const SmvHeader& ours, const SmvHeader& reference, const std::string& command) {
        std::set<std::string> missing, extra;
        for (const auto& [key, value] : reference)
            if (!ours.count(key)) missing.insert(key);
        for (const auto& [key, value] : ours)
            if (!reference.count(key)) extra.insert(key);
        EXPECT_TRUE(missing.empty()) << "keys missing from our header: " << join(missing);
        EXPECT_TRUE(extra.empty()) << "keys not in the reference header: " << join(extra);

        std::ostringstream differences;
        int compared = 0, differing = 0;
        auto report = [&](const std::string& key, const std::string& a, const std::string& b) {
            ++differing;
            differences << "  " << key << ": ours " << a << ", reference " << b << "\n";
        };
        for (const std::string& key : kNumericKeys) {
            const auto ref_it = reference.find(key);
            const auto our_it = ours.find(key);
            if (ref_it == reference.end() || our_it == ours.end()) continue;
            ++compared;
            const auto a = numeric_values(our_it->second);
            const auto b = numeric_values(ref_it->second);
            bool same = a && b && a->size() == b->size();
            for (std::size_t i = 0; same && i < a->size(); ++i) same = close_enough((*a)[i], (*b)[i]);
            if (!same) report(key, our_it->second, ref_it->second);
        }
        for (const std::string& key : kExactKeys) {
            const auto ref_it = reference.find(key);
            const auto our_it = ours.find(key);
            if (ref_it == reference.end() || our_it == ours.end()) continue;
            ++compared;
            if (our_it->second != ref_it->second) report(key, our_it->second, ref_it->second);
        }
        std::cout << "[ golden   ] " << case_name_ << " header: " << compared << " keys compared, " << differing
                  << " differ, " << missing.size() << " missing, " << extra.size() << " extra" << std::endl;
        if (differing > 0) std::cout << differences.str();
        EXPECT_EQ(differing, 0) << "header values differ:\n" << differences.str() << "  " << command;
    }

    // The pixel block must follow the header exactly: HEADER_BYTES + SIZE1*SIZE2*2.
    void check_file_size(const SmvHeader& ours, std::uintmax_t bytes) {
        const auto header_bytes = ours.count("HEADER_BYTES") ? numeric_values(ours.at("HEADER_BYTES")) : std::nullopt;
        const auto size1 = ours.count("SIZE1") ? numeric_values(ours.at("SIZE1")) : std::nullopt;
        const auto size2 = ours.count("SIZE2") ? numeric_values(ours.at("SIZE2")) : std::nullopt;
        if (!header_bytes || !size1 || !size2 || !ours.count("TYPE") || ours.at("TYPE") != "unsigned_short")
            return;  // the key comparison above has already reported the problem
        const double expected = header_bytes->front() + size1->front() * size2->front() * 2.0;
        EXPECT_EQ(static_cast<double>(bytes), expected) << "SMV file size does not match HEADER_BYTES + SIZE1*SIZE2*2";
    }

    std::string case_name_;
};

}  // namespace

void register_header_tests() {
    const GoldenSet& set = golden_set();
    std::vector<std::string> names;
    if (!set.found() || set.cases.empty()) {
        names.push_back(!set.found() ? "golden_dir_not_found" : "manifest_unreadable");
    } else {
        for (const GoldenCase& c : set.cases)
            if (fs::is_regular_file(set.case_dir(c.name) / "int.img")) names.push_back(c.name);
    }
    for (const std::string& name : names) {
        ::testing::RegisterTest("GoldenHeader", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                                [name]() -> GoldenHeader* { return new GoldenHeader(name); });
    }
}

}  // namespace tilebragg::golden
