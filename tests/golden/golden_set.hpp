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

// Seconds one simulator run may take: TILEBRAGG_GOLDEN_TIMEOUT, default 600.
double run_timeout_s();

// The flags every golden run adds so that only the wanted files are written and the
// log stays short.
std::vector<std::string> quiet_output_flags();

}  // namespace tilebragg::golden
