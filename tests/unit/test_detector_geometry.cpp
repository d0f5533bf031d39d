// Detector frame: conventions, beam centres, pivots, rotations and two-theta, checked
// against closed forms and against the geometry the reference printed for every golden
// case.
#include <tilebragg/command_line.hpp>
#include <tilebragg/detector_setup.hpp>
#include <tilebragg/experiment.hpp>

#include "test_setup_golden_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;
namespace st = tilebragg::setup_test;

namespace {

constexpr double kDeg = M_PI / 180.0;

using st::parse;

DetectorSetup detector_of(std::initializer_list<std::string> args) {
    Params p = parse(args);
    return setup_detector(p);
}

void expect_vec(const Vec3& actual, const Vec3& expected, double tol, const std::string& what) {
    EXPECT_NEAR(actual.x, expected.x, tol) << what << ".x";
    EXPECT_NEAR(actual.y, expected.y, tol) << what << ".y";
    EXPECT_NEAR(actual.z, expected.z, tol) << what << ".z";
}

// The detector axes stay a right-handed orthonormal frame.
void expect_orthonormal(const DetectorGeometry& d) {
    EXPECT_NEAR(norm(d.fdet), 1.0, 1e-14);
    EXPECT_NEAR(norm(d.sdet), 1.0, 1e-14);
    EXPECT_NEAR(norm(d.odet), 1.0, 1e-14);
    EXPECT_NEAR(dot(d.fdet, d.sdet), 0.0, 1e-14);
    expect_vec(cross(d.fdet, d.sdet), d.odet, 1e-14, "fdet x sdet");
}

}  // namespace

// ---------------------------------------------------------------------------------
// Closed forms

TEST(DetectorGeometry, MosflmDefaultsCentreTheBeam) {
    const DetectorGeometry d = detector_of({}).geometry;
    EXPECT_EQ(d.fpixels, 1024);
    EXPECT_EQ(d.spixels, 1024);
    EXPECT_EQ(d.convention, Convention::Mosflm);
    EXPECT_EQ(d.pivot, Pivot::Beam);
    // MOSFLM: beam centre (detsize + pixel)/2, first pixel centred at half a pixel.
    EXPECT_NEAR(d.Xbeam, 0.05125, 1e-15);
    EXPECT_NEAR(d.Ybeam, 0.05125, 1e-15);
    EXPECT_NEAR(d.Fbeam, 0.0513, 1e-15);
    EXPECT_NEAR(d.Sbeam, 0.0513, 1e-15);
    expect_vec(d.fdet, {0, 0, 1}, 0, "fdet");
    expect_vec(d.sdet, {0, -1, 0}, 0, "sdet");
    expect_vec(d.odet, {1, 0, 0}, 0, "odet");
    expect_vec(d.beam, {1, 0, 0}, 0, "beam");
    expect_vec(d.pix0, {0.1, 0.0513, -0.0513}, 1e-15, "pix0");
    EXPECT_NEAR(d.distance, 0.1, 1e-15);
    EXPECT_NEAR(d.close_distance, 0.1, 1e-15);
    EXPECT_NEAR(d.ORGX, 513.5, 1e-9);
    EXPECT_NEAR(d.ORGY, 513.5, 1e-9);
    // DIALS origin: the first pixel's corner in the lab frame of DIALS, in mm.
    expect_vec(d.dials_origin, {-51.3, 51.3, -100}, 1e-10, "dials origin");
}

TEST(DetectorGeometry, PixelCountsFromDetectorSize) {
    EXPECT_EQ(detector_of({"-detsize", "10.04"}).geometry.fpixels, 100);
    EXPECT_EQ(detector_of({"-detsize", "10.06"}).geometry.fpixels, 101);
    const DetectorGeometry d = detector_of({"-detpixels_f", "30", "-detpixels_s", "20", "-pixel", "0.2"}).geometry;
    EXPECT_EQ(d.fpixels, 30);
    EXPECT_EQ(d.spixels, 20);
    EXPECT_NEAR(d.detsize_f, 6e-3, 1e-17);
    EXPECT_NEAR(d.detsize_s, 4e-3, 1e-17);
    // Pixel counts win over -detsize.
    EXPECT_EQ(detector_of({"-detpixels", "64", "-detsize", "50"}).geometry.fpixels, 64);
}

TEST(DetectorGeometry, MosflmAndDenzoSwapAxesAndDifferByHalfAPixel) {
    const DetectorGeometry m = detector_of({"-detpixels", "192", "-Xbeam", "9", "-Ybeam", "10"}).geometry;
    EXPECT_NEAR(m.Fbeam, 0.01005, 1e-15);  // Ybeam along fast
    EXPECT_NEAR(m.Sbeam, 0.00905, 1e-15);  // Xbeam along slow
    const DetectorGeometry d = detector_of({"-detpixels", "192", "-denzo", "-Xbeam", "9", "-Ybeam", "10"}).geometry;
    EXPECT_EQ(d.convention, Convention::Denzo);
    EXPECT_NEAR(d.Fbeam, 0.010, 1e-15);
    EXPECT_NEAR(d.Sbeam, 0.009, 1e-15);
}

TEST(DetectorGeometry, AdxvDefaultsAndYFlip) {
    const DetectorSetup s = detector_of({"-adxv", "-detpixels", "192"});
    const DetectorGeometry& d = s.geometry;
    EXPECT_NEAR(d.Xbeam, 0.00965, 1e-15);  // (detsize_f + pixel) / 2
    EXPECT_NEAR(d.Ybeam, 0.00955, 1e-15);  // (detsize_s - pixel) / 2
    EXPECT_NEAR(d.Fbeam, 0.00965, 1e-15);
    EXPECT_NEAR(d.Sbeam, 0.0192 - 0.00955, 1e-15);
    expect_vec(d.beam, {0, 0, 1}, 0, "beam");
    expect_vec(d.fdet, {1, 0, 0}, 0, "fdet");
    expect_vec(d.sdet, {0, -1, 0}, 0, "sdet");
    expect_vec(s.spindle, {1, 0, 0}, 0, "spindle");
    expect_vec(s.polar_axis, {1, 0, 0}, 0, "polar");
    expect_vec(s.twotheta_axis, {-1, 0, 0}, 0, "twotheta axis");
}

TEST(DetectorGeometry, XdsAndDialsFrames) {
    const DetectorSetup x = detector_of({"-xds", "-detpixels", "200", "-ORGX", "80", "-ORGY", "120"});
    EXPECT_EQ(x.geometry.pivot, Pivot::Sample);
    expect_vec(x.geometry.sdet, {0, 1, 0}, 0, "xds sdet");
    expect_vec(x.twotheta_axis, {1, 0, 0}, 0, "xds twotheta axis");
    // ORGX/ORGY: the pixel nearest the sample, counted so that the first pixel's centre is 1.
    EXPECT_NEAR(x.geometry.Fclose, 79.5e-4, 1e-15);
    EXPECT_NEAR(x.geometry.Sclose, 119.5e-4, 1e-15);
    EXPECT_NEAR(x.geometry.ORGX, 80, 1e-9);
    EXPECT_NEAR(x.geometry.ORGY, 120, 1e-9);
    const DetectorSetup d = detector_of({"-dials"});
    EXPECT_EQ(d.geometry.pivot, Pivot::Sample);
    expect_vec(d.spindle, {0, 1, 0}, 0, "dials spindle");
    expect_vec(d.polar_axis, {0, 1, 0}, 0, "dials polar");
    expect_vec(d.twotheta_axis, {0, 1, 0}, 0, "dials twotheta axis");
}

TEST(DetectorGeometry, BeamPivotKeepsTheBeamSpotUnderRotations) {
    const DetectorSetup s = detector_of(
        {"-detpixels", "256", "-detector_rotx", "5", "-detector_roty", "3", "-detector_rotz", "2", "-pivot", "sample"});
    const DetectorGeometry& d = s.geometry;
    EXPECT_EQ(d.pivot, Pivot::Beam);  // MOSFLM decides the pivot, whatever -pivot asked
    expect_orthonormal(d);
    // The beam still hits the detector at (Fbeam, Sbeam) = the unrotated centre.
    EXPECT_NEAR(d.Fbeam, 0.0129, 1e-14);
    EXPECT_NEAR(d.Sbeam, 0.0129, 1e-14);
    expect_vec(d.pix0 + d.fdet * d.Fbeam + d.sdet * d.Sbeam, d.beam * d.distance, 1e-14, "beam spot");
    // distance is measured along the beam, close_distance along the normal.
    EXPECT_NEAR(d.close_distance, d.distance * dot(d.beam, d.odet), 1e-15);
    EXPECT_NEAR(d.close_distance, dot(d.pix0, d.odet), 1e-15);
    // The XDS beam direction is the beam in the detector's frame.
    expect_vec(s.beam_in_detector_frame, {dot(d.beam, d.fdet), dot(d.beam, d.sdet), dot(d.beam, d.odet)}, 1e-15,
               "xds beam");
}

TEST(DetectorGeometry, TwothetaWithBeamPivotMovesTheBeamSpot) {
    // The reference measures "distance" with the detector rotations but not two-theta,
    // so with a beam pivot the swung detector is placed for the unswung distance and
    // the beam no longer lands on the requested centre (golden case tilted_detector
    // prints Fbeam=0.0128639 Sbeam=0.0130307 for a requested 0.0129 0.0129).
    const DetectorGeometry d = detector_of({"-detpixels", "256", "-twotheta", "10"}).geometry;
    EXPECT_EQ(d.pivot, Pivot::Beam);
    expect_orthonormal(d);
    const double c = std::cos(10 * kDeg), s = std::sin(10 * kDeg);
    // MOSFLM's two-theta axis is -z: the normal swings from +x towards -y... by 10 degrees.
    expect_vec(d.odet, {c, -s, 0}, 1e-15, "odet");
    // pix0 was placed with the unswung distance 0.1 along the beam.
    expect_vec(d.pix0 + d.fdet * 0.0129 + d.sdet * 0.0129, {0.1, 0, 0}, 1e-15, "requested centre");
    EXPECT_NEAR(d.close_distance, 0.1 * c, 1e-15);
    EXPECT_NEAR(d.distance, 0.1 * c, 1e-15);  // close_distance / ratio, ratio = 1 without rotations
    EXPECT_GT(std::fabs(d.Sbeam - 0.0129), 1e-4);
}

TEST(DetectorGeometry, SamplePivotKeepsTheNearestPoint) {
    const DetectorSetup s =
        detector_of({"-xds", "-detpixels", "200", "-ORGX", "80", "-ORGY", "120", "-detector_roty", "8"});
    const DetectorGeometry& d = s.geometry;
    expect_orthonormal(d);
    const double c = std::cos(8 * kDeg), sn = std::sin(8 * kDeg);
    expect_vec(d.odet, {sn, 0, c}, 1e-15, "odet");
    // Rotating about the sample keeps the foot of the normal on the same pixel...
    EXPECT_NEAR(d.Fclose, 79.5e-4, 1e-15);
    EXPECT_NEAR(d.Sclose, 119.5e-4, 1e-15);
    // ... and its distance, which the -distance default fixed at distance * cos(8 deg).
    EXPECT_NEAR(d.close_distance, 0.1 * c, 1e-15);
    EXPECT_NEAR(d.distance, 0.1, 1e-15);
    // The beam moves on the detector: by -distance * sin(8 deg) along fast.
    EXPECT_NEAR(d.Fbeam, 79.5e-4 - 0.1 * sn, 1e-15);
    EXPECT_NEAR(d.Sbeam, 119.5e-4, 1e-15);
}

TEST(DetectorGeometry, CloseDistanceGivesDistanceAlongTheBeam) {
    const DetectorGeometry d =
        detector_of({"-close_distance", "90", "-detector_roty", "8", "-pivot", "sample"}).geometry;
    EXPECT_EQ(d.pivot, Pivot::Beam);  // -pivot sample has no effect under MOSFLM
    EXPECT_NEAR(d.close_distance, 0.09, 1e-15);
    EXPECT_NEAR(d.distance, 0.09 / std::cos(8 * kDeg), 1e-15);
}

TEST(DetectorGeometry, CustomConventionHonoursThePivotFlags) {
    Params p = parse({"-fdet_vector",
                      "0",
                      "0",
                      "1",
                      "-sdet_vector",
                      "0",
                      "-1",
                      "0",
                      "-odet_vector",
                      "1",
                      "0",
                      "0",
                      "-beam_vector",
                      "1",
                      "0",
                      "0",
                      "-detpixels",
                      "100",
                      "-close_distance",
                      "90",
                      "-detector_roty",
                      "8",
                      "-pivot",
                      "sample"});
    const DetectorGeometry d = setup_detector(p).geometry;
    EXPECT_EQ(d.convention, Convention::Custom);
    EXPECT_EQ(d.pivot, Pivot::Sample);
    EXPECT_NEAR(d.close_distance, 0.09, 1e-15);
    // Custom: the beam centre defaults to the nearest point, the detector centre.
    EXPECT_NEAR(d.Fclose, 0.005, 1e-15);
    EXPECT_NEAR(d.Sclose, 0.005, 1e-15);
}

TEST(DetectorGeometry, Pix0VectorIsRecomputedFromTheBeamCentre) {
    const DetectorGeometry without = detector_of({"-beam_vector", "1", "0", "0", "-detpixels", "128"}).geometry;
    const DetectorGeometry with =
        detector_of({"-beam_vector", "1", "0", "0", "-detpixels", "128", "-pix0_vector", "0.2", "0.3", "0.4"}).geometry;
    EXPECT_EQ(with.convention, Convention::Custom);
    expect_vec(with.pix0, without.pix0, 0, "pix0");
    expect_vec(with.pix0, {0.1, 0.0064, -0.0064}, 1e-15, "pix0");
}

TEST(DetectorGeometry, NonUnitNormalIsRegeneratedFromFastAndSlow) {
    // As in the reference: a normal that is not already of unit length is replaced by
    // fdet x sdet (so even its sign may change).
    const DetectorGeometry d =
        detector_of({"-fdet_vector", "0", "0", "1", "-sdet_vector", "0", "-1", "0", "-odet_vector", "-2", "0", "0"})
            .geometry;
    expect_vec(d.odet, {1, 0, 0}, 0, "odet");
    const DetectorGeometry z =
        detector_of({"-fdet_vector", "0", "0", "2", "-sdet_vector", "0", "-3", "0", "-odet_vector", "0", "0", "0"})
            .geometry;
    expect_vec(z.fdet, {0, 0, 1}, 0, "fdet normalised");
    expect_vec(z.odet, {1, 0, 0}, 0, "odet");
}

TEST(DetectorGeometry, TwothetaSwingsAboutTheSample) {
    // DIALS: two-theta about +y, sample pivot. The nearest point keeps its pixel and
    // distance; the detector normal swings by two-theta.
    const DetectorGeometry d =
        detector_of({"-dials", "-detpixels", "256", "-distance", "120", "-twotheta", "15"}).geometry;
    expect_orthonormal(d);
    const double c = std::cos(15 * kDeg), s = std::sin(15 * kDeg);
    expect_vec(d.odet, {s, 0, c}, 1e-15, "odet");
    expect_vec(d.fdet, {c, 0, -s}, 1e-15, "fdet");
    EXPECT_NEAR(d.close_distance, 0.12, 1e-15);
    EXPECT_NEAR(d.Fclose, 0.0128, 1e-15);
    EXPECT_NEAR(d.Sclose, 0.0128, 1e-15);
}

TEST(DetectorGeometry, FlagsCarriedThrough) {
    const DetectorGeometry d = detector_of({"-curved_det", "-point_pixel"}).geometry;
    EXPECT_TRUE(d.curved);
    EXPECT_TRUE(d.point_pixel);
}

// ---------------------------------------------------------------------------------
// Every golden case: what setup resolves is what the reference printed.

TEST(DetectorGeometryGolden, EveryCaseMatchesTheReferenceLog) {
    const bool found = st::for_each_golden_setup([&](const st::GoldenCase& c, const Experiment& e) {
        const DetectorGeometry& d = e.detector;
        const auto& L = c.lines;

        const char* names[] = {"custom", "adxv", "mosflm", "xds", "dials", "denzo"};
        EXPECT_GE(st::line_index(L, std::string(names[static_cast<int>(d.convention)]) + " convention selected"), 0);
        EXPECT_GE(st::line_index(L, d.pivot == Pivot::Sample ? "pivoting detector around sample"
                                                             : "pivoting detector around direct beam spot"),
                  0);

        const double m = 1e-15;  // metres printed as 0
        st::expect_printed(L, "Xbeam=", {d.Xbeam}, m);
        st::expect_printed(L, "Ybeam=", {d.Ybeam}, m);
        st::expect_printed(L, "Fbeam=", {d.Fbeam}, m);
        st::expect_printed(L, "Sbeam=", {d.Sbeam}, m);
        st::expect_printed(L, "Xclose=", {d.Xclose}, m);
        st::expect_printed(L, "Yclose=", {d.Yclose}, m);
        st::expect_printed(L, "Fclose=", {d.Fclose}, m);
        st::expect_printed(L, "Sclose=", {d.Sclose}, m);
        st::expect_printed(L, "  distance=", {d.distance}, m);
        st::expect_printed(L, "pixel=", {d.pixel_size}, m);

        const int at = st::line_index(L, " pixels)");
        ASSERT_GE(at, 0);
        const std::string& line = L[static_cast<std::size_t>(at)];
        const std::string counts = line.substr(line.rfind('(') + 1);
        EXPECT_EQ(counts, std::to_string(d.fpixels) + "x" + std::to_string(d.spixels) + " pixels)");

        const double u = 1e-12;  // unit-vector components printed as 0
        st::expect_printed(L, "DIRECTION_OF_DETECTOR_X-AXIS=", {d.fdet.x, d.fdet.y, d.fdet.z}, u);
        st::expect_printed(L, "DIRECTION_OF_DETECTOR_Y-AXIS=", {d.sdet.x, d.sdet.y, d.sdet.z}, u);
        st::expect_printed(L, "DIRECTION_OF_DETECTOR_Z-AXIS=", {d.odet.x, d.odet.y, d.odet.z}, u);
        st::expect_printed(L, "INCIDENT_BEAM_DIRECTION=", {d.beam.x, d.beam.y, d.beam.z}, u);
        st::expect_printed(L, "spindle ROTATION_AXIS=", {e.spindle.x, e.spindle.y, e.spindle.z}, u);
        const Vec3 normal = cross(d.beam, e.polar_axis);
        st::expect_printed(L, "POLARIZATION_PLANE_NORMAL=", {normal.x, normal.y, normal.z}, u);
        st::expect_printed(L, "XDS incident beam:", {dot(d.beam, d.fdet), dot(d.beam, d.sdet), dot(d.beam, d.odet)}, u);
        st::expect_printed(L, "dials origin=", {d.dials_origin.x, d.dials_origin.y, d.dials_origin.z}, 1e-9);

        // Sensor: "sensor is <thickness> m thick in <layers> layers with mu= <1/m>"
        const auto thick = st::numbers_after(L, "sensor is ");
        ASSERT_EQ(thick.size(), 1u);
        EXPECT_TRUE(st::agrees(e.sensor.thickness, thick[0], m));
        st::expect_printed(L, " m thick in ", {double(e.sensor.layers)}, 0);
        st::expect_printed(L, "mu=", {e.sensor.mu}, 1e-12);

        // "roi: xmin < x < xmax && ymin < y < ymax"
        const auto roi_x = st::numbers_after(L, "roi:");
        ASSERT_EQ(roi_x.size(), 1u);
        EXPECT_EQ(roi_x[0].value, e.roi.fast_min);
        st::expect_printed(L, "< x <", {double(e.roi.fast_max)}, 0);
        st::expect_printed(L, "&&", {double(e.roi.slow_min)}, 0);
        st::expect_printed(L, "< y <", {double(e.roi.slow_max)}, 0);
    });
    if (!found) GTEST_SKIP() << "golden set not found";
}
