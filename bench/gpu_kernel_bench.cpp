// The CUDA kernel alone on one experiment: sets up from tilebragg's flags, renders the
// whole detector on GPU 0 as one tile `-repeats` times after `-warmup` renders, and prints
// the kernel times (CUDA events around the launch), the whole render (kernel and copy
// back to pageable host memory) and the GPU memory the renderer holds:
//   GPU_KERNEL_MS <precision> min <ms> median <ms> max <ms>
//   GPU_RENDER_MS <precision> min <ms>
//   GPU_MEMORY_MIB <precision> <MiB>
//   GPU_STEPS_PER_S <precision> <steps> (pixel x sub-pixel x layer x source x orientation)
// Usage: gpu_kernel_bench [-repeats N] [-warmup N] <tilebragg flags ...>
// Set up in a fresh empty folder (an Fdump.bin in the working folder would otherwise be
// read when no -hkl is given); "@inputs/" stands for TILEBRAGG_GOLDEN_INPUTS.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/cuda_renderer.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>

namespace {

using namespace tilebragg;

std::string inputs_dir() {
    if (const char* env = std::getenv("TILEBRAGG_GOLDEN_INPUTS")) return env;
    return TILEBRAGG_BENCH_INPUTS;
}

Experiment experiment_from(std::vector<std::string> args) {
    for (std::string& a : args)
        if (a.rfind("@inputs/", 0) == 0) a = inputs_dir() + a.substr(7);
    args.insert(args.begin(), "tilebragg");
    namespace fs = std::filesystem;
    const fs::path here = fs::current_path();
    std::string pattern = (fs::temp_directory_path() / "gpu_kernel_bench.XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("gpu_kernel_bench: cannot make a scratch folder");
    fs::current_path(pattern);
    Experiment e = setup_experiment(parse_command_line(args).params);
    fs::current_path(here);
    fs::remove_all(pattern);
    return e;
}

int run(int argc, char** argv) {
    int repeats = 10, warmup = 2;
    std::vector<std::string> flags;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-repeats" && i + 1 < argc)
            repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "-warmup" && i + 1 < argc)
            warmup = std::max(0, std::atoi(argv[++i]));
        else
            flags.push_back(a);
    }
    const Experiment e = experiment_from(flags);
    const Precision precision = e.params.precision;
    const char* name = precision == Precision::Double ? "double" : "float";
    std::unique_ptr<CudaRenderer> r = make_cuda_renderer(precision, 0);
    r->load(e);
    const Tile whole{0, e.detector.fpixels, 0, e.detector.spixels};
    std::vector<float> image(whole.pixels(), 0.0f);
    for (int i = 0; i < warmup; ++i) r->render(whole, image.data());
    std::vector<double> kernel_ms, render_ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        r->render(whole, image.data());
        render_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        kernel_ms.push_back(r->last_kernel_ms());
    }
    std::sort(kernel_ms.begin(), kernel_ms.end());
    const double steps = double(whole.pixels()) * e.oversample * e.oversample * e.sensor.layers *
                         double(e.sources.size()) * double(e.orientations.size());
    std::printf("device %s\n", r->device().c_str());
    std::printf("GPU_KERNEL_MS %s min %.4f median %.4f max %.4f\n", name, kernel_ms.front(),
                kernel_ms[kernel_ms.size() / 2], kernel_ms.back());
    std::printf("GPU_RENDER_MS %s min %.3f\n", name, *std::min_element(render_ms.begin(), render_ms.end()));
    std::printf("GPU_MEMORY_MIB %s %.1f\n", name, double(r->device_bytes()) / (1024.0 * 1024.0));
    std::printf("GPU_STEPS_PER_S %s %.4g\n", name, steps / (kernel_ms.front() * 1e-3));
    double sum = 0;
    for (float v : image) sum += v;
    std::printf("image sum %.9g\n", sum);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const tilebragg::InputError& e) {
        std::fprintf(stderr, "gpu_kernel_bench: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gpu_kernel_bench: %s\n", e.what());
        return 1;
    }
}
