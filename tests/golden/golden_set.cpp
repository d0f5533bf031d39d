#include "golden_set.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "golden_paths.hpp"

namespace tilebragg::golden {

namespace {

GoldenSet load() {
    GoldenSet set;
    const GoldenLocation where = locate_golden_dir();
    if (where.dir.empty()) {
        set.problem = "golden directory not found (needs cases/manifest.json); looked in:";
        for (const std::string& place : where.searched) set.problem += "\n  " + place;
        set.problem += "\nSet TILEBRAGG_GOLDEN_DIR to the folder holding cases/ and inputs/.";
        return set;
    }
    set.dir = where.dir;
    const std::string manifest = (where.dir / "cases" / "manifest.json").string();
    try {
        set.cases = read_manifest(manifest);
        if (set.cases.empty()) set.problem = manifest + " lists no cases";
    } catch (const std::exception& e) {
        set.problem = "cannot read " + manifest + ": " + e.what();
    }
    return set;
}

}  // namespace

const GoldenSet& golden_set() {
    static const GoldenSet set = load();
    return set;
}

ParityThresholds parity_thresholds(const GoldenCase& c, bool is_double) {
    if (!is_double) return {c.corr_min, c.sum_rel_tol};
    return {std::max(c.corr_min, kDoubleCorrMin), std::min(c.sum_rel_tol, kDoubleSumRelTol)};
}

std::string test_name_of(const std::string& case_name, const std::string& suffix) {
    std::string name = case_name + "_" + suffix;
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

std::string formatted(const char* fmt, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, fmt, value);
    return buffer;
}

double run_timeout_s() {
    const char* text = std::getenv("TILEBRAGG_GOLDEN_TIMEOUT");
    if (text != nullptr) {
        const double value = std::atof(text);
        if (value > 0.0) return value;
    }
    return 600.0;
}

std::vector<std::string> quiet_output_flags() { return {"-nonoise", "-nopgm", "-noprogress"}; }

}  // namespace tilebragg::golden
