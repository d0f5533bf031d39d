#include <tilebragg/image_products.hpp>

#include <cmath>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/int_image.hpp>

namespace tilebragg {
namespace {

PixelRoi pixel_roi(const Roi& r) { return {r.fast_min, r.fast_max, r.slow_min, r.slow_max}; }

// Any pixel that is NaN or infinite means an input overflowed the arithmetic (e.g.
// -fluence 1e300); an image full of them is worse than no image.
void require_finite(const std::vector<float>& image) {
    std::size_t bad = 0;
    for (const float v : image) bad += std::isfinite(v) ? 0 : 1;
    if (bad != 0)
        throw InputError("the rendered image has " + std::to_string(bad) + " of " + std::to_string(image.size()) +
                         " pixels NaN or infinite (an input such as -fluence, -water, -lambda or the beam "
                         "centre is out of range); no image written");
}

}  // namespace

ImageProducts image_products(const Experiment& e, const std::vector<float>& photons, bool want_counts) {
    const Params& p = e.params;
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    require_finite(photons);
    ImageProducts out;
    out.stats = image_statistics(photons, nf, ns, e.roi, e.mask);
    out.int_scale = resolve_intfile_scale(p.intfile_scale, out.stats.max_I);
    if (p.write_noise) {
        NoiseSettings settings;
        settings.seed = static_cast<std::uint64_t>(-p.seed);
        settings.adc_offset = p.adc_offset;
        settings.image = static_cast<std::uint64_t>(p.image);  // image i of a series: its own stream
        NoiseImage noise = make_noise_image(photons, nf, ns, pixel_roi(e.roi), settings);
        out.counts = std::move(noise.counts);
        out.noise = noise.tally;
        out.counts_are_noise = true;
    } else if (want_counts) {
        out.counts = make_int_image(photons, nf, ns, pixel_roi(e.roi), out.int_scale, p.adc_offset);
    }
    return out;
}

}  // namespace tilebragg
