#include <tilebragg/simulation.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/kernel.hpp>
#include <tilebragg/legacy_outputs.hpp>
#include <tilebragg/progress.hpp>
#include <tilebragg/run_report.hpp>

namespace tilebragg {
namespace {

// Renders the whole detector in bands of rows so that progress can be shown between
// bands; each band is spread over the OpenMP threads inside render_tile.
template <typename T>
double render_image(const Experiment& e, std::vector<float>& image, bool show_progress) {
    const KernelSetup<T> k = make_kernel_setup<T>(e);
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    constexpr int kBandRows = 16;
    Progress progress("rendering", ns, show_progress);
    TileSideSums sums;
    std::vector<float> band;
    for (int s0 = 0; s0 < ns; s0 += kBandRows) {
        const Tile tile{0, nf, s0, std::min(ns, s0 + kBandRows)};
        band.assign(tile.pixels(), 0.0f);
        render_tile(k, tile, band.data(), sums);
        std::copy(band.begin(), band.end(), image.begin() + static_cast<std::ptrdiff_t>(s0) * nf);
        progress.advance(tile.height());
    }
    progress.finish();
    return sums.omega_sum;
}

}  // namespace

int run_simulation(const Params& params) {
    const Experiment e = setup_experiment(params);
    check_outputs_writable(e.params);
    print_setup_report(e, stdout);

    std::vector<float> image(static_cast<std::size_t>(e.detector.fpixels) * e.detector.spixels, 0.0f);
    const double omega_sum = e.params.precision == Precision::Double ? render_image<double>(e, image, e.params.progress)
                                                                     : render_image<float>(e, image, e.params.progress);
    const ImageStatistics stats = image_statistics(image, e.detector.fpixels, e.detector.spixels, e.roi, e.mask);
    print_statistics(e, stats, omega_sum, stdout);
    write_legacy_outputs(e, image, stats, stdout);
    return 0;
}

}  // namespace tilebragg
