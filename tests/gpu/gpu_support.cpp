#include "gpu_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include <tilebragg/command_line.hpp>
#include <tilebragg/cuda_renderer.hpp>

#include "golden_set.hpp"
#include "manifest.hpp"

namespace tilebragg::gpu_test {

const std::string& no_gpu_reason() {
    static const std::string reason = [] {
        std::string why;
        if (cuda_visible_devices(&why) > 0) return std::string();
        return "no CUDA GPU is visible to this process (" + why + "): GPU test skipped";
    }();
    return reason;
}

std::string gpu_name() { return make_cuda_renderer(Precision::Float, 0)->device(); }

Experiment experiment_of(std::vector<std::string> args) {
    args.insert(args.begin(), "tilebragg");
    Params p = parse_command_line(args).params;
    p.fdump_file = "/nonexistent/tilebragg-gpu-test/Fdump.bin";
    return setup_experiment(p);
}

Experiment experiment_of(const std::string& args) {
    const golden::GoldenSet& set = golden::golden_set();
    const std::string inputs = set.found() ? set.inputs_dir().string() : std::string("@inputs");
    return experiment_of(golden::expand_args(args, inputs));
}

std::vector<float> render_image(Renderer& r, const Experiment& e, TileSize tile, float fill, double* omega_sum) {
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    const int tf = tile.fast > 0 ? tile.fast : nf, ts = tile.slow > 0 ? tile.slow : ns;
    std::vector<float> image(static_cast<std::size_t>(nf) * ns, fill);
    r.load(e);
    for (int s0 = 0; s0 < ns; s0 += ts)
        for (int f0 = 0; f0 < nf; f0 += tf) {
            const Tile t{f0, std::min(nf, f0 + tf), s0, std::min(ns, s0 + ts)};
            std::vector<float> out(t.pixels(), fill);
            const TileSideSums sums = r.render(t, out.data());
            if (omega_sum) *omega_sum += sums.omega_sum;
            for (int s = t.slow_begin; s < t.slow_end; ++s)
                std::memcpy(&image[static_cast<std::size_t>(s) * nf + t.fast_begin],
                            &out[static_cast<std::size_t>(s - t.slow_begin) * t.width()], sizeof(float) * t.width());
        }
    return image;
}

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

double max_relative_difference(const std::vector<float>& a, const std::vector<float>& b) {
    double diff = 0, scale = 0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        diff = std::max(diff, std::fabs(double(a[i]) - double(b[i])));
        scale = std::max(scale, std::fabs(double(b[i])));
    }
    return scale > 0 ? diff / scale : diff;
}

}  // namespace tilebragg::gpu_test
