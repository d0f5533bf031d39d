#include "golden_paths.hpp"

#include <cstdlib>

namespace fs = std::filesystem;

namespace tilebragg::golden {

namespace {

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

}  // namespace

GoldenLocation locate_golden_dir() {
    GoldenLocation where;
    std::vector<std::string> candidates;
    const std::string from_env = env_or_empty("TILEBRAGG_GOLDEN_DIR");
    if (!from_env.empty()) candidates.push_back(from_env);
    candidates.push_back(TILEBRAGG_DEFAULT_GOLDEN_DIR);

    for (const std::string& candidate : candidates) {
        const bool from_env_var = !from_env.empty() && candidate == from_env;
        where.searched.push_back(candidate + (from_env_var ? " (TILEBRAGG_GOLDEN_DIR)" : " (built-in default)"));
        std::error_code ec;
        if (fs::is_regular_file(fs::path(candidate) / "cases" / "manifest.json", ec)) {
            where.dir = fs::path(candidate);
            break;
        }
    }
    return where;
}

fs::path tilebragg_executable() {
    const std::string from_env = env_or_empty("TILEBRAGG_EXE");
    return from_env.empty() ? fs::path(TILEBRAGG_EXE) : fs::path(from_env);
}

fs::path fresh_run_dir(const std::string& run_name) {
    const fs::path dir = fs::path(TILEBRAGG_GOLDEN_SCRATCH_DIR) / run_name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

bool keep_passing_runs() { return !env_or_empty("TILEBRAGG_GOLDEN_KEEP").empty(); }

}  // namespace tilebragg::golden
