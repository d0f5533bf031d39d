// Detector frame from the beam-centre conventions, pivots and rotations.
// Follows the reference's order of operations exactly: the order decides which of the
// user's numbers survive (e.g. a convention resets the pivot chosen by flags).
#include <tilebragg/detector_setup.hpp>

#include <cfloat>
#include <cmath>

#include <tilebragg/rotation.hpp>

namespace tilebragg {
namespace {

struct ConventionFrame {
    Vec3 beam, fdet, sdet, odet, twotheta_axis, polar, spindle;
};

ConventionFrame frame_of(Convention c) {
    switch (c) {
        case Convention::Adxv:
            return {{0, 0, 1}, {1, 0, 0}, {0, -1, 0}, {0, 0, 1}, {-1, 0, 0}, {1, 0, 0}, {1, 0, 0}};
        case Convention::Mosflm:
        case Convention::Denzo:
            return {{1, 0, 0}, {0, 0, 1}, {0, -1, 0}, {1, 0, 0}, {0, 0, -1}, {0, 0, 1}, {0, 0, 1}};
        case Convention::Xds:
            return {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {1, 0, 0}, {1, 0, 0}};
        case Convention::Dials:
            return {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 0}, {0, 1, 0}};
        case Convention::Custom:
            break;
    }
    return {};
}

// Unit vector, but report the length like the reference's unitize (0 for a zero vector).
double normalise(Vec3& v) {
    const double n = norm(v);
    if (n != 0.0)
        v = v / n;
    else
        v = {};
    return n;
}

}  // namespace

DetectorSetup setup_detector(Params& p) {
    DetectorSetup out;
    DetectorGeometry& d = out.geometry;
    const double pixel = p.pixel_size;

    double detsize_f = p.detsize_f, detsize_s = p.detsize_s;
    if (p.fpixels) detsize_f = pixel * p.fpixels;
    if (p.spixels) detsize_s = pixel * p.spixels;
    d.fpixels = static_cast<int>(std::ceil(detsize_f / pixel - 0.5));
    d.spixels = static_cast<int>(std::ceil(detsize_s / pixel - 0.5));
    d.detsize_f = detsize_f;
    d.detsize_s = detsize_s;
    d.pixel_size = pixel;

    double Fclose = kUnset, Sclose = kUnset;
    if (!std::isnan(p.ORGX)) Fclose = (p.ORGX - 0.5) * pixel;
    if (!std::isnan(p.ORGY)) Sclose = (p.ORGY - 0.5) * pixel;
    if (std::isnan(Fclose)) Fclose = detsize_f / 2.0;
    if (std::isnan(Sclose)) Sclose = detsize_s / 2.0;
    double Xclose = std::isnan(p.Xclose) ? Fclose : p.Xclose;
    double Yclose = std::isnan(p.Yclose) ? Sclose : p.Yclose;
    double Fbeam = Fclose, Sbeam = Sclose;
    double Xbeam = p.Xbeam, Ybeam = p.Ybeam;

    Pivot pivot = p.pivot;
    Vec3 beam = p.beam, fdet = p.fdet, sdet = p.sdet, odet = p.odet;
    Vec3 twotheta_axis = p.twotheta_axis, polar = p.polar_axis, spindle = p.spindle;
    if (p.convention != Convention::Custom) {
        const ConventionFrame f = frame_of(p.convention);
        beam = f.beam;
        fdet = f.fdet;
        sdet = f.sdet;
        odet = f.odet;
        twotheta_axis = f.twotheta_axis;
        polar = f.polar;
        spindle = f.spindle;
    }
    switch (p.convention) {
        case Convention::Adxv:
            if (std::isnan(Xbeam)) Xbeam = (detsize_f + pixel) / 2.0;
            if (std::isnan(Ybeam)) Ybeam = (detsize_s - pixel) / 2.0;
            Fbeam = Xbeam;
            Sbeam = detsize_s - Ybeam;
            pivot = Pivot::Beam;
            break;
        case Convention::Mosflm:
        case Convention::Denzo: {
            // MOSFLM puts the first pixel's centre at half a pixel; DENZO at its corner.
            const double half = p.convention == Convention::Mosflm ? 0.5 * pixel : 0.0 * pixel;
            if (std::isnan(Xbeam)) Xbeam = (detsize_s + pixel) / 2.0;
            if (std::isnan(Ybeam)) Ybeam = (detsize_f + pixel) / 2.0;
            Fbeam = Ybeam + half;
            Sbeam = Xbeam + half;
            pivot = Pivot::Beam;
            break;
        }
        case Convention::Xds:
        case Convention::Dials:
            if (std::isnan(Xbeam)) Xbeam = Xclose;
            if (std::isnan(Ybeam)) Ybeam = Yclose;
            Fbeam = Xbeam;
            Sbeam = Ybeam;
            pivot = Pivot::Sample;
            break;
        case Convention::Custom:
            if (std::isnan(Xbeam)) Xbeam = Xclose;
            if (std::isnan(Ybeam)) Ybeam = Yclose;
            Fbeam = Xbeam;
            Sbeam = Ybeam;
            Fclose = Xbeam;
            Sclose = Ybeam;
            break;
    }

    normalise(beam);
    normalise(fdet);
    normalise(sdet);
    if (normalise(odet) != 1.0) odet = unit(cross(fdet, sdet));
    normalise(polar);
    normalise(spindle);

    // How far along the beam is the detector plane, per unit of close distance?
    double ratio = dot(beam, rotate_xyz(odet, p.detector_rotx, p.detector_roty, p.detector_rotz));
    if (ratio == 0.0) ratio = DBL_MIN;
    double close_distance = p.close_distance;
    if (std::isnan(close_distance)) close_distance = std::fabs(ratio * p.distance);
    double distance = close_distance / ratio;

    Vec3 pix0{};
    if (pivot == Pivot::Sample) {
        pix0 = fdet * -Fclose - sdet * Sclose + odet * close_distance;
        pix0 = rotate_xyz(pix0, p.detector_rotx, p.detector_roty, p.detector_rotz);
        pix0 = rotate_about_axis(pix0, twotheta_axis, p.twotheta);
    }
    fdet = rotate_about_axis(rotate_xyz(fdet, p.detector_rotx, p.detector_roty, p.detector_rotz), twotheta_axis,
                             p.twotheta);
    sdet = rotate_about_axis(rotate_xyz(sdet, p.detector_rotx, p.detector_roty, p.detector_rotz), twotheta_axis,
                             p.twotheta);
    odet = rotate_about_axis(rotate_xyz(odet, p.detector_rotx, p.detector_roty, p.detector_rotz), twotheta_axis,
                             p.twotheta);
    if (pivot == Pivot::Beam) pix0 = fdet * -Fbeam - sdet * Sbeam + beam * distance;

    Fclose = -dot(pix0, fdet);
    Sclose = -dot(pix0, sdet);
    close_distance = dot(pix0, odet);
    const Vec3 beam_spot = beam * (close_distance / ratio) - pix0;
    Fbeam = dot(fdet, beam_spot);
    Sbeam = dot(sdet, beam_spot);
    distance = close_distance / ratio;

    d.fdet = fdet;
    d.sdet = sdet;
    d.odet = odet;
    d.beam = beam;
    d.pix0 = pix0;
    d.twotheta_axis = twotheta_axis;
    d.distance = distance;
    d.close_distance = close_distance;
    d.Xbeam = Xbeam;
    d.Ybeam = Ybeam;
    d.Fbeam = Fbeam;
    d.Sbeam = Sbeam;
    d.Xclose = Xclose;
    d.Yclose = Yclose;
    d.Fclose = Fclose;
    d.Sclose = Sclose;
    d.ORGX = Fclose / pixel + 0.5;
    d.ORGY = Sclose / pixel + 0.5;
    d.dials_origin = {1000.0 * pix0.z, 1000.0 * pix0.y, -1000.0 * pix0.x};
    d.curved = p.curved_detector;
    d.point_pixel = p.point_pixel;
    d.convention = p.convention;
    d.pivot = pivot;
    out.polar_axis = polar;
    out.spindle = spindle;
    out.twotheta_axis = twotheta_axis;
    out.beam_in_detector_frame = {dot(beam, fdet), dot(beam, sdet), dot(beam, odet)};
    return out;
}

}  // namespace tilebragg
