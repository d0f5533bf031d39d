// /entry/instrument/detector (NXdetector): the flat detector as one NXdetector_module on
// the chain of positioner axes that nxmx_detector() derives, the sensor, the mask.
#include <cmath>
#include <cstdint>

#include "output/hdf5/nexus_fields.hpp"
#include "output/hdf5/nxmx_writers.hpp"

namespace tilebragg {
namespace {

constexpr const char* kAxes = "/entry/instrument/detector/transformations";
constexpr const char* kModule = "/entry/instrument/detector/module";

// What the file assumes where the command line says nothing (docs/hdf5-layout.md): a
// silicon sensor, as the default attenuation length stands for, of the thickness the
// simulation gave it: zero unless -detector_thick, i.e. no depth and no parallax, which
// readers then do not correct for either.
constexpr const char* kSensorMaterial = "Si";
// The int and noise images are 16-bit; 65535 is where they saturate (overloads).
constexpr long kSaturation = 65535;
// NeXus pixel_mask bit 8: user-defined mask. Pixels the simulation did not render.
constexpr std::uint32_t kUserMasked = 1u << 8;

std::string axis_path(const std::string& name) {
    if (name.empty()) return ".";
    if (name == "module_offset") return std::string(kModule) + "/" + name;
    return std::string(kAxes) + "/" + name;
}

// Outside -roi or zero in the -mask image.
std::vector<std::uint32_t> pixel_mask(const Experiment& e) {
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    std::vector<std::uint32_t> mask(static_cast<std::size_t>(nf) * ns, 0);
    for (int s = 0; s < ns; ++s)
        for (int f = 0; f < nf; ++f) {
            const std::size_t i = static_cast<std::size_t>(s) * nf + f;
            const bool outside = f < e.roi.fast_min || f > e.roi.fast_max || s < e.roi.slow_min || s > e.roi.slow_max;
            if (outside || (!e.mask.empty() && e.mask[i] == 0)) mask[i] = kUserMasked;
        }
    return mask;
}

void write_module(hid_t detector, const NxmxDetector& n, const DetectorGeometry& d) {
    H5Group module = create_group(detector, "module", "NXdetector_module");
    write_integers(module, "data_origin", {0, 0});
    write_integers(module, "data_size", {d.spixels, d.fpixels});
    write_integers(module, "data_stride", {1, 1});
    write_transformation(module, n.module_offset, axis_path(n.module_offset.depends_on));
    write_transformation(module, n.fast_pixel, axis_path(n.fast_pixel.depends_on));
    write_transformation(module, n.slow_pixel, axis_path(n.slow_pixel.depends_on));
}

void write_geometry(hid_t detector, const NxmxDetector& n, const DetectorGeometry& d) {
    write_dataset(detector, "depends_on", axis_path(n.axes.front().name));
    H5Group axes = create_group(detector, "transformations", "NXtransformations");
    for (const NxTransformation& t : n.axes) write_transformation(axes, t, axis_path(t.depends_on));
    write_module(detector, n, d);
}

}  // namespace

void write_nxmx_detector(hid_t instrument, const Experiment& e) {
    const DetectorGeometry& d = e.detector;
    const NxmxDetector n = nxmx_detector(e);
    H5Group detector = create_group(instrument, "detector", "NXdetector");
    write_dataset(detector, "description",
                  n.describable ? std::string("tilebragg simulated flat pixel detector")
                                : "tilebragg simulated detector; no NXmx geometry: " + n.why_not);
    write_dataset(detector, "type", std::string("pixel"));
    if (std::isfinite(n.beam_distance) && n.describable) {
        write_dataset(detector, "distance", n.beam_distance, "m");
        write_flag(detector, "distance_derived", true);
        write_dataset(detector, "beam_center_x", n.beam_centre_fast, "pixel");
        write_dataset(detector, "beam_center_y", n.beam_centre_slow, "pixel");
        write_flag(detector, "beam_center_derived", true);
    }
    write_dataset(detector, "x_pixel_size", d.pixel_size, "m");
    write_dataset(detector, "y_pixel_size", d.pixel_size, "m");
    write_dataset(detector, "count_time", e.params.exposure, "s");
    write_dataset(detector, "frame_time", e.params.exposure, "s");
    write_dataset(detector, "sensor_material", std::string(kSensorMaterial));
    write_dataset(detector, "sensor_thickness", e.sensor.thickness, "m");
    write_integer(detector, "saturation_value", kSaturation, "");
    write_compressed_image(detector, "pixel_mask", pixel_mask(e), d.fpixels, d.spixels);
    if (n.describable)
        write_geometry(detector, n, d);
    else
        write_attribute(detector, "nxmx_geometry", "none: " + n.why_not);
}

}  // namespace tilebragg
