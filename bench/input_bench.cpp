// Microbenchmarks of the structure-factor inputs: the -hkl text reader (from disk and
// from memory) and the Fdump cache written after it and read back on a later run, on
// the golden P1.hkl (64929 reflections, 1.7 MB). The inputs are found through
// TILEBRAGG_GOLDEN_INPUTS (compiled-in default, or the environment).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <tilebragg/fdump.hpp>
#include <tilebragg/hkl_file.hpp>

namespace {

std::string p1_path() {
    const char* env = std::getenv("TILEBRAGG_GOLDEN_INPUTS");
    return std::string(env ? env : TILEBRAGG_BENCH_INPUTS) + "/P1.hkl";
}

std::string scratch_file(const char* name) {
    return (std::filesystem::temp_directory_path() / (std::string("input_bench-") + name)).string();
}

void BM_hkl_file(benchmark::State& state) {
    const std::string path = p1_path();
    for (auto _ : state) benchmark::DoNotOptimize(tilebragg::read_hkl_file(path, 0.0).F.data());
}

void BM_hkl_text(benchmark::State& state) {
    std::ifstream in(p1_path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string contents = text.str();
    for (auto _ : state) benchmark::DoNotOptimize(tilebragg::parse_hkl_text(contents, "P1.hkl", 0.0).F.data());
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * contents.size()));
}

void BM_fdump_write(benchmark::State& state) {
    const tilebragg::HklGrid grid = tilebragg::read_hkl_file(p1_path(), 0.0);
    const std::string path = scratch_file("Fdump.bin");
    for (auto _ : state) tilebragg::write_fdump(path, grid);
    std::filesystem::remove(path);
}

void BM_fdump_read(benchmark::State& state) {
    const std::string path = scratch_file("Fdump.bin");
    tilebragg::write_fdump(path, tilebragg::read_hkl_file(p1_path(), 0.0));
    for (auto _ : state) benchmark::DoNotOptimize(tilebragg::read_fdump(path, 0.0).F.data());
    std::filesystem::remove(path);
}

}  // namespace

BENCHMARK(BM_hkl_file)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_hkl_text)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fdump_write)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_fdump_read)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
