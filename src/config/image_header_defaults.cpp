// -img / -mask header defaults. Keys are looked up exactly (KEY=value), not by the
// reference's last-substring rule; docs/cli.md lists the cases where that differs.
#include <tilebragg/image_header_defaults.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/smv_image.hpp>

#include <cmath>
#include <optional>
#include <string>

namespace tilebragg {
namespace {

// Header values become geometry as if typed on the command line, so they get the same
// checks: finite always, and positive where a zero or negative value has no meaning.
std::optional<double> header_value(const SmvHeader& h, const std::string& key, bool must_be_positive = false) {
    const auto v = h.number(key);
    if (!v) return v;
    if (!std::isfinite(*v)) throw InputError(h.source + ": SMV header " + key + "=" + *h.get(key) + " is not finite");
    if (must_be_positive && !(*v > 0))
        throw InputError(h.source + ": SMV header " + key + "=" + *h.get(key) + " must be positive");
    return v;
}

}  // namespace

void apply_image_header_defaults(Params& p, const std::string& path, ImageRole role) {
    const SmvImage image = read_smv_image(path);
    const SmvHeader& h = image.header;
    constexpr double kRTD = 180.0 * M_1_PI;
    p.fpixels = image.fast_pixels;
    p.spixels = image.slow_pixels;
    if (auto v = header_value(h, "PIXEL_SIZE", true)) p.pixel_size = *v / 1000.0;
    p.detsize_f = p.pixel_size * p.fpixels;
    p.detsize_s = p.pixel_size * p.spixels;
    if (auto v = header_value(h, "DISTANCE", true)) p.distance = *v / 1000.0;
    if (auto v = header_value(h, "CLOSE_DISTANCE", true)) {
        p.close_distance = *v / 1000.0;
        p.close_distance_from_header = true;
    }
    if (auto v = header_value(h, "WAVELENGTH", true)) p.lambda0 = *v / 1e10;
    if (auto v = header_value(h, "BEAM_CENTER_X")) p.Xbeam = *v / 1000.0;
    // The reference flips Y for a mask header but not for an -img header.
    if (auto v = header_value(h, "BEAM_CENTER_Y"))
        p.Ybeam = role == ImageRole::Mask ? p.detsize_s - *v / 1000.0 : *v / 1000.0;
    if (auto v = header_value(h, "XDS_ORGX")) p.ORGX = *v;
    if (auto v = header_value(h, "XDS_ORGY")) p.ORGY = *v;
    if (auto v = header_value(h, "PHI")) p.phi0 = *v / kRTD;
    if (auto v = header_value(h, "OSC_RANGE")) p.osc = *v / kRTD;
    // TWOTHETA is read by the reference into a variable it never uses; so here.
}

}  // namespace tilebragg
