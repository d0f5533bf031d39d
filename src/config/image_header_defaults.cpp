// -img / -mask header defaults. Keys are looked up exactly (KEY=value), not by the
// reference's last-substring rule; docs/cli.md lists the cases where that differs.
#include <tilebragg/image_header_defaults.hpp>

#include <tilebragg/smv_image.hpp>

namespace tilebragg {

void apply_image_header_defaults(Params& p, const std::string& path, ImageRole role) {
    const SmvImage image = read_smv_image(path);
    const SmvHeader& h = image.header;
    constexpr double kRTD = 180.0 * M_1_PI;
    p.fpixels = image.fast_pixels;
    p.spixels = image.slow_pixels;
    if (auto v = h.number("PIXEL_SIZE")) p.pixel_size = *v / 1000.0;
    p.detsize_f = p.pixel_size * p.fpixels;
    p.detsize_s = p.pixel_size * p.spixels;
    if (auto v = h.number("DISTANCE")) p.distance = *v / 1000.0;
    if (auto v = h.number("CLOSE_DISTANCE")) p.close_distance = *v / 1000.0;
    if (auto v = h.number("WAVELENGTH")) p.lambda0 = *v / 1e10;
    if (auto v = h.number("BEAM_CENTER_X")) p.Xbeam = *v / 1000.0;
    // The reference flips Y for a mask header but not for an -img header.
    if (auto v = h.number("BEAM_CENTER_Y")) p.Ybeam = role == ImageRole::Mask ? p.detsize_s - *v / 1000.0 : *v / 1000.0;
    if (auto v = h.number("XDS_ORGX")) p.ORGX = *v;
    if (auto v = h.number("XDS_ORGY")) p.ORGY = *v;
    if (auto v = h.number("PHI")) p.phi0 = *v / kRTD;
    if (auto v = h.number("OSC_RANGE")) p.osc = *v / kRTD;
    // TWOTHETA is read by the reference into a variable it never uses; so here.
}

}  // namespace tilebragg
