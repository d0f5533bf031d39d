// Microbenchmarks of render_tile alone (no setup, no file output): pixels per second and
// inner iterations (pixel x sub-pixel x source x orientation) per second for the two
// cases of bench/compare.sh, in both precisions. Run from any directory: the B2 inputs
// are found through TILEBRAGG_GOLDEN_INPUTS (compiled-in default, or the environment).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_data.hpp>
#include <tilebragg/render_tile.hpp>

namespace {

std::string inputs_dir() {
    if (const char* env = std::getenv("TILEBRAGG_GOLDEN_INPUTS")) return env;
    return TILEBRAGG_BENCH_INPUTS;
}

// Set up in a fresh empty folder: like nanoBragg, setup reads an Fdump.bin cache from
// the working folder when no -hkl is given (and writes one after reading an HKL file),
// which would silently give the seed case another case's structure factors.
tilebragg::Experiment experiment_from(const std::string& line) {
    std::vector<std::string> args{"tilebragg"};
    std::istringstream words(line);
    for (std::string w; words >> w;) args.push_back(w.rfind("@inputs/", 0) == 0 ? inputs_dir() + w.substr(7) : w);
    namespace fs = std::filesystem;
    const fs::path here = fs::current_path();
    std::string pattern = (fs::temp_directory_path() / "kernel_bench.XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("kernel_bench: cannot make a scratch folder");
    fs::current_path(pattern);
    tilebragg::Experiment e = tilebragg::setup_experiment(tilebragg::parse_command_line(args).params);
    fs::current_path(here);
    fs::remove_all(pattern);
    return e;
}

// B1 at 1024 x 1024 (the kernel's cost per pixel does not depend on the image size).
const char* const kSeed = "-default_F 100 -cell 100 100 100 90 90 90 -lambda 6.2 -N 5 -distance 100 -detpixels 1024";
const char* const kHeavy =
    "-hkl @inputs/P1.hkl -matrix @inputs/A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 1024 "
    "-mosaic 0.2 -mosaic_dom 10 -mosaic_seed 7 -oversample 2 -phisteps 2 -osc 0.1";

// isa: the copy of the kernel ("" = the one render_tile chooses).
template <typename T>
void render_case(benchmark::State& state, const char* line, const std::string& isa = "") {
    const tilebragg::Experiment e = experiment_from(line);
    const tilebragg::KernelData<T> data(e);
    const tilebragg::KernelView<T>& k = data.view();
    // A band of rows across the middle of the detector, where the spots are.
    const int rows = static_cast<int>(state.range(0));
    const int s0 = (k.detector.spixels - rows) / 2;
    const tilebragg::Tile tile{0, k.detector.fpixels, s0, s0 + rows};
    std::vector<float> out(tile.pixels());
    for (auto _ : state) {
        if (isa.empty())
            tilebragg::render_tile(k, tile, out.data());
        else
            tilebragg::render_tile_with(isa, k, tile, out.data());
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    const double pixels = double(tile.pixels());
    const double inner = pixels * k.detector.oversample * k.detector.oversample * k.detector.layers *
                         double(k.beam.sources) * double(k.crystal.orientations);
    state.counters["pixels/s"] = benchmark::Counter(pixels, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["inner/s"] = benchmark::Counter(inner, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_seed_float(benchmark::State& s) { render_case<float>(s, kSeed); }
void BM_seed_double(benchmark::State& s) { render_case<double>(s, kSeed); }
void BM_heavy_float(benchmark::State& s) { render_case<float>(s, kHeavy); }
void BM_heavy_double(benchmark::State& s) { render_case<double>(s, kHeavy); }

}  // namespace

BENCHMARK(BM_seed_float)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_seed_double)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_heavy_float)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_heavy_double)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same cases on every copy of the kernel this CPU runs (baseline, avx2, avx512):
// what the run-time choice gains over the build's baseline instruction set.
int main(int argc, char** argv) {
    struct Case {
        const char* name;
        void (*run)(benchmark::State&, const std::string&);
        int rows;
    };
    const Case cases[] = {
        {"seed_float", [](benchmark::State& s, const std::string& isa) { render_case<float>(s, kSeed, isa); }, 256},
        {"heavy_float", [](benchmark::State& s, const std::string& isa) { render_case<float>(s, kHeavy, isa); }, 64},
        {"seed_double", [](benchmark::State& s, const std::string& isa) { render_case<double>(s, kSeed, isa); }, 256},
        {"heavy_double", [](benchmark::State& s, const std::string& isa) { render_case<double>(s, kHeavy, isa); }, 64},
    };
    for (const std::string& isa : tilebragg::cpu_kernel_isas())
        for (const Case& c : cases)
            benchmark::RegisterBenchmark((std::string(c.name) + "/" + isa).c_str(),
                                         [c, isa](benchmark::State& s) { c.run(s, isa); })
                ->Arg(c.rows)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
