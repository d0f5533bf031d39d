#pragma once
// The golden cases as the tests see them: located and read once per process.
#include <filesystem>
#include <string>
#include <vector>

#include "manifest.hpp"

namespace tilebragg::golden {

struct GoldenSet {
    std::filesystem::path dir;      // empty when no golden directory was found
    std::vector<GoldenCase> cases;  // empty when not found or unreadable
    std::string problem;            // why there are no cases, naming where we looked

    bool found() const { return !dir.empty(); }
    std::filesystem::path inputs_dir() const { return dir / "inputs"; }
    std::filesystem::path case_dir(const std::string& name) const { return dir / "cases" / name; }
};

const GoldenSet& golden_set();

// The parity a case's image must reach: the float kernel is held to the manifest's
// thresholds; the double kernel must in addition reproduce the reference (which computes
// in double) to kDoubleCorrMin and kDoubleSumRelTol.
inline constexpr double kDoubleCorrMin = 0.9999999;
inline constexpr double kDoubleSumRelTol = 1e-5;
struct ParityThresholds {
    double corr_min, sum_rel_tol;
};
ParityThresholds parity_thresholds(const GoldenCase& c, bool is_double);

// A test name made of the case name and a suffix: letters and digits, '_' for the rest.
std::string test_name_of(const std::string& case_name, const std::string& suffix);

// One number through printf's format, for the tests' log lines.
std::string formatted(const char* fmt, double value);

// Seconds one simulator run may take: TILEBRAGG_GOLDEN_TIMEOUT, default 600.
double run_timeout_s();

// The flags every golden run adds so that only the wanted files are written and the
// log stays short.
std::vector<std::string> quiet_output_flags();

}  // namespace tilebragg::golden
