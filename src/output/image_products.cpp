#include <tilebragg/image_products.hpp>

#include <algorithm>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/thread_team.hpp>

namespace tilebragg {
namespace {

// Rows per band of the noise image: each band is drawn by one thread; the rows' tallies
// are added in row order (noise_rows), so nothing depends on the number of threads.
constexpr int kNoiseBandPixels = 1 << 16;

NoiseTally draw_noise_image(const std::vector<float>& photons, int nf, int ns, const PixelRoi& roi,
                            const NoiseSettings& settings, std::uint16_t* counts) {
    const int band = std::max(1, kNoiseBandPixels / std::max(1, nf)), bands = (ns + band - 1) / band;
    std::vector<NoiseTally> tallies(static_cast<std::size_t>(ns));
#pragma omp parallel for schedule(dynamic, 1) if (photons.size() >= kThreadTeamMinPixels)
    for (int b = 0; b < bands; ++b) {
        const int s0 = b * band, rows = std::min(ns - s0, band);
        const std::size_t at = static_cast<std::size_t>(s0) * static_cast<std::size_t>(nf);
        noise_rows(photons.data() + at, nf, s0, rows, roi, settings, counts + at,
                   tallies.data() + static_cast<std::size_t>(s0));
    }
    NoiseTally total;
    for (const NoiseTally& t : tallies) total += t;
    return total;
}

// Any pixel that is NaN or infinite means an input overflowed the arithmetic (e.g.
// -fluence 1e300); an image full of them is worse than no image.
void check_finite(const ImageStatistics& stats, std::size_t pixels) {
    if (stats.nonfinite != 0)
        throw InputError("the rendered image has " + std::to_string(stats.nonfinite) + " of " + std::to_string(pixels) +
                         " pixels NaN or infinite (an input such as -fluence, -water, -lambda or the beam "
                         "centre is out of range); no image written");
}

}  // namespace

PixelRoi pixel_roi(const Roi& r) { return {r.fast_min, r.fast_max, r.slow_min, r.slow_max}; }

NoiseSettings noise_settings(const Params& p) {
    NoiseSettings settings;
    settings.seed = static_cast<std::uint64_t>(-p.seed);
    settings.adc_offset = p.adc_offset;
    settings.image = static_cast<std::uint64_t>(p.image);  // image i of a series: its own stream
    return settings;
}

ImageProducts image_products(const Experiment& e, const std::vector<float>& photons, bool want_counts) {
    const Params& p = e.params;
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    ImageProducts out;
    out.stats = image_statistics(photons, nf, ns, e.roi, e.mask);
    check_finite(out.stats, photons.size());
    out.int_scale = resolve_intfile_scale(p.intfile_scale, out.stats.max_I);
    if (!want_counts) return out;
    out.own_counts.resize(photons.size());
    if (p.write_noise) {
        out.noise = draw_noise_image(photons, nf, ns, pixel_roi(e.roi), noise_settings(p), out.own_counts.data());
        out.counts_are_noise = true;
    } else {
        make_int_rows(photons, nf, 0, ns, pixel_roi(e.roi), out.int_scale, p.adc_offset, out.own_counts.data());
    }
    out.counts = CountsView(out.own_counts.data(), out.own_counts.size());
    return out;
}

ImageProducts image_products_from(const Experiment& e, const StatisticsSums& sums, const std::uint16_t* counts,
                                  bool counts_are_noise, const NoiseTally& noise) {
    const std::size_t pixels = static_cast<std::size_t>(e.detector.fpixels) * e.detector.spixels;
    ImageProducts out;
    out.stats = statistics_from_sums(sums, e.detector.fpixels);
    check_finite(out.stats, pixels);
    out.int_scale = resolve_intfile_scale(e.params.intfile_scale, out.stats.max_I);
    if (counts) out.counts = CountsView(counts, pixels);
    out.counts_are_noise = counts != nullptr && counts_are_noise;
    if (out.counts_are_noise) out.noise = noise;
    return out;
}

}  // namespace tilebragg
