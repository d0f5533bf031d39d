#pragma once
// Helpers shared by the tests/unit/test_formats_*.cpp files: a scratch directory per
// test, small file helpers, and where the golden reference set lives.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace tilebragg::formats_test {

// A fresh directory for the running test, removed afterwards. Named after the test and
// the process so that tests run in parallel by ctest never share one.
class ScratchDir {
public:
    ScratchDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = "tilebragg_formats_";
        name += info ? std::string(info->test_suite_name()) + "_" + info->name() : "anon";
        name += "_" + std::to_string(::getpid());
        dir_ = std::filesystem::temp_directory_path() / name;
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    ~ScratchDir() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    std::string path(const std::string& file) const { return (dir_ / file).string(); }
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
};

inline void write_file(const std::string& path, const std::string& contents) {
    std::ofstream out(path, std::ios::binary);
    out << contents;
}

inline std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// TILEBRAGG_GOLDEN_DIR from the environment, else the directory the build compiled in,
// else ../shared/golden next to the repository; empty if none holds cases/manifest.json.
inline std::filesystem::path golden_dir() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("TILEBRAGG_GOLDEN_DIR"); env && *env) candidates.emplace_back(env);
#ifdef TILEBRAGG_DEFAULT_GOLDEN_DIR
    candidates.emplace_back(TILEBRAGG_DEFAULT_GOLDEN_DIR);
#endif
#ifdef TILEBRAGG_SOURCE_DIR
    candidates.emplace_back(std::filesystem::path(TILEBRAGG_SOURCE_DIR) / ".." / "shared" / "golden");
#endif
    for (const auto& candidate : candidates) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate / "cases" / "manifest.json", ec)) return candidate;
    }
    return {};
}

}  // namespace tilebragg::formats_test
