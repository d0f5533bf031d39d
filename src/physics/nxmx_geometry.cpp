#include <tilebragg/nxmx_geometry.hpp>

#include <cmath>
#include <limits>

#include <tilebragg/rotation.hpp>

namespace tilebragg {
namespace {

constexpr double kRTD = 180.0 * M_1_PI;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The inverse of setup's detector rotation (rotx, then roty, then rotz about the lab
// axes, then two-theta): brings the rendered axes back to the convention's own.
Vec3 unrotate(const Experiment& e, Vec3 v) {
    const Params& p = e.params;
    v = rotate_about_axis(v, e.detector.twotheta_axis, -p.twotheta);
    v = rotate_about_axis(v, {0, 0, 1}, -p.detector_rotz);
    v = rotate_about_axis(v, {0, 1, 0}, -p.detector_roty);
    return rotate_about_axis(v, {1, 0, 0}, -p.detector_rotx);
}

NxTransformation rotation(const std::string& name, const Vec3& axis, double radians, const std::string& next,
                          const std::string& description) {
    return {name, true, radians * kRTD, axis, next, description};
}

NxTransformation translation(const std::string& name, const Vec3& direction, double metres, const std::string& next,
                             const std::string& description) {
    return {name, false, metres, direction, next, description};
}

// A translation by `v`, written as a unit vector and a length; a zero offset keeps a
// unit vector (`fallback`) so the axis stays well formed.
NxTransformation offset_by(const std::string& name, const NexusFrame& frame, const Vec3& v, const Vec3& fallback,
                           const std::string& next, const std::string& description) {
    const double length = norm(v);
    return translation(name, frame(length > 0 ? v / length : fallback), length, next, description);
}

// Where the beam from the sample meets the plane through pix0 normal to odet.
double beam_to_plane(const DetectorGeometry& d) {
    const double cosine = dot(d.beam, d.odet);
    if (std::fabs(cosine) < 1e-12) return kNaN;
    return dot(d.pix0, d.odet) / cosine;
}

// The chain must put the module's corners where the kernel put its pixels.
bool reproduces_the_rendered_detector(const NxmxDetector& n, const DetectorGeometry& d, const NexusFrame& frame) {
    const double width = d.fpixels * d.pixel_size, height = d.spixels * d.pixel_size;
    const double scale = norm(d.pix0) + width + height;
    for (const double f : {0.0, width})
        for (const double s : {0.0, height}) {
            const Vec3 rendered = frame(d.pix0 + d.fdet * f + d.sdet * s);
            if (!(norm(nxmx_module_point(n, f, s) - rendered) <= 1e-9 * scale)) return false;
        }
    return true;
}

}  // namespace

NexusFrame::NexusFrame(const Vec3& beam) {
    const Vec3 b = unit(beam);
    const double c = b.z, s = std::hypot(b.x, b.y);  // cosine and sine of the turn onto +z
    if (s == 0.0) {
        if (c < 0.0) m_ = {-1, 0, 0, 0, 1, 0, 0, 0, -1};
        return;
    }
    // Rodrigues' matrix c I + s [k]x + (1 - c) k k^T about k = b x z / s, built from the
    // sine and cosine themselves so that axis-aligned beams give exact zeros and ones.
    const Vec3 k{b.y / s, -b.x / s, 0.0};
    const double t = 1.0 - c;
    m_ = {c + t * k.x * k.x,        -s * k.z + t * k.x * k.y, s * k.y + t * k.x * k.z,
          s * k.z + t * k.y * k.x,  c + t * k.y * k.y,        -s * k.x + t * k.y * k.z,
          -s * k.y + t * k.z * k.x, s * k.x + t * k.z * k.y,  c + t * k.z * k.z};
}

Vec3 NexusFrame::operator()(const Vec3& v) const {
    return {m_[0] * v.x + m_[1] * v.y + m_[2] * v.z, m_[3] * v.x + m_[4] * v.y + m_[5] * v.z,
            m_[6] * v.x + m_[7] * v.y + m_[8] * v.z};
}

Vec3 apply_transformation(const NxTransformation& t, const Vec3& v) {
    if (t.rotation) return rotate_about_axis(v, t.vector, t.value / kRTD);
    return v + t.vector * t.value;
}

Vec3 nxmx_module_point(const NxmxDetector& d, double fast_m, double slow_m) {
    Vec3 p = apply_transformation(d.module_offset, d.fast_pixel.vector * fast_m + d.slow_pixel.vector * slow_m);
    for (const NxTransformation& axis : d.axes) p = apply_transformation(axis, p);
    return p;
}

NxmxDetector nxmx_detector(const Experiment& e) {
    const DetectorGeometry& d = e.detector;
    const Params& p = e.params;
    const NexusFrame frame(d.beam);
    NxmxDetector n;
    n.beam_distance = beam_to_plane(d);
    const Vec3 spot = d.beam * n.beam_distance - d.pix0;
    n.beam_centre_fast = dot(spot, d.fdet) / d.pixel_size;
    n.beam_centre_slow = dot(spot, d.sdet) / d.pixel_size;
    if (d.curved) {
        n.why_not =
            "-curved_det puts every pixel at the same distance from the sample, on a sphere; "
            "NXmx describes flat modules only";
        return n;
    }

    const Vec3 fast0 = unrotate(e, d.fdet), slow0 = unrotate(e, d.sdet);
    const Vec3 tt_axis = unit(d.twotheta_axis);
    const bool sample_pivot = d.pivot == Pivot::Sample;
    const std::string after_rotations = sample_pivot ? "" : "distance";
    std::vector<NxTransformation> rotations{
        rotation("detector_rotx", frame({1, 0, 0}), p.detector_rotx, "detector_roty", "-detector_rotx"),
        rotation("detector_roty", frame({0, 1, 0}), p.detector_roty, "detector_rotz", "-detector_roty"),
        rotation("detector_rotz", frame({0, 0, 1}), p.detector_rotz, "twotheta", "-detector_rotz"),
        rotation("twotheta", frame(tt_axis), p.twotheta, after_rotations, "-twotheta about the two-theta axis")};
    Vec3 offset;
    if (sample_pivot) {
        // pix0 = R (close * normal - Fclose * fast - Sclose * slow) with R the rotations.
        const Vec3 normal0 = unrotate(e, d.odet);
        const double close = dot(d.pix0, d.odet);
        n.axes.push_back(translation("close_distance", frame(normal0), close, "detector_rotx",
                                     "sample to the unrotated detector plane, along its normal (pivot: sample)"));
        n.axes.insert(n.axes.end(), rotations.begin(), rotations.end());
        offset = unrotate(e, d.pix0) - normal0 * close;
    } else {
        // pix0 = R (-Fbeam * fast - Sbeam * slow) + distance * beam: the detector turns about the beam spot.
        const double along_beam = std::isnan(n.beam_distance) ? 0.0 : n.beam_distance;
        n.axes = rotations;
        n.axes.push_back(translation("distance", frame(d.beam), along_beam, "",
                                     "sample to the beam spot, along the beam (pivot: beam)"));
        offset = unrotate(e, d.pix0 - d.beam * along_beam);
    }
    n.module_offset = offset_by("module_offset", frame, offset, fast0, n.axes.front().name,
                                "the outer corner of pixel (0, 0) in the detector plane");
    n.fast_pixel = translation("fast_pixel_direction", frame(fast0), d.pixel_size, "module_offset", "");
    n.slow_pixel = translation("slow_pixel_direction", frame(slow0), d.pixel_size, "module_offset", "");
    n.describable = reproduces_the_rendered_detector(n, d, frame);
    if (!n.describable)
        n.why_not =
            "the rendered detector axes are not the convention's axes moved by rotations "
            "(a -twotheta_axis that is not of unit length?)";
    return n;
}

}  // namespace tilebragg
