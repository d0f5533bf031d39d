#pragma once
// Where the golden tests find their inputs and the program under test.
#include <filesystem>
#include <string>
#include <vector>

namespace tilebragg::golden {

struct GoldenLocation {
    std::filesystem::path dir;          // holds cases/manifest.json and inputs/; empty if none
    std::vector<std::string> searched;  // every place looked at, for the skip message
};

// TILEBRAGG_GOLDEN_DIR from the environment first, then the path compiled in
// (<source>/../shared/golden). The first one holding cases/manifest.json wins.
GoldenLocation locate_golden_dir();

// The tilebragg executable: TILEBRAGG_EXE from the environment, else the build's own.
std::filesystem::path tilebragg_executable();

// A working directory of its own for one run, emptied first so that caches written by
// an earlier run (Fdump.bin) cannot change the result.
std::filesystem::path fresh_run_dir(const std::string& run_name);

// Runs are removed after a pass unless TILEBRAGG_GOLDEN_KEEP is set to a non-empty value.
bool keep_passing_runs();

}  // namespace tilebragg::golden
