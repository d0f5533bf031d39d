// Per-pixel physics of the kernel against closed forms: polarization, solid angle,
// sensor absorption over layers, the last-value and running-sum rules of the
// -oversample_* switches, dmin, curved detector, point pixels, ROI and mask.
//
// The crystal is one unit cell (N = 1: F_latt = 1 everywhere) with F = default_F = 1,
// so a pixel holds r_e^2 * fluence * (per-pixel factors) and nothing else.
#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_data.hpp>
#include <tilebragg/render_tile.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

using namespace tilebragg;

namespace {

// r_e^2 as the reference carries it; its default fluence is 1 / r_e^2, so that a pixel
// holds (per-pixel factors) photons per unit F^2.
constexpr double kElectronRadiusSqr = 7.94079248018965e-30;    // m^2
constexpr double kFluence = 125932015286227086360700780544.0;  // the reference's default, photons/m^2

Experiment experiment_of(std::initializer_list<std::string> args) {
    std::vector<std::string> v{"tilebragg", "-cell",     "100", "-default_F",  "1",  "-N",
                               "1",         "-lambda",   "1",   "-detpixels",  "64", "-pixel",
                               "1",         "-distance", "20",  "-oversample", "1"};
    v.insert(v.end(), args.begin(), args.end());
    Params p = parse_command_line(v).params;
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return setup_experiment(p);
}

template <typename T>
float render_pixel(const Experiment& e, int f, int s, double* omega_sum = nullptr) {
    const KernelData<T> k(e);
    float out = -1.0f;
    const TileSideSums sums = render_tile(k.view(), Tile{f, f + 1, s, s + 1}, &out);
    if (omega_sum) *omega_sum = sums.omega_sum;
    return out;
}

// Centre of pixel (f, s) on the front face, from the detector frame setup resolved.
Vec3 pixel_centre(const Experiment& e, int f, int s, double depth = 0.0) {
    const DetectorGeometry& d = e.detector;
    return d.pix0 + d.fdet * ((f + 0.5) * d.pixel_size) + d.sdet * ((s + 0.5) * d.pixel_size) + d.odet * depth;
}

// Solid angle of a flat pixel: pixel^2 / R^2 times the obliquity close_distance / R.
double omega_at(const Experiment& e, const Vec3& P) {
    const double R = norm(P), p = e.detector.pixel_size;
    return p * p / (R * R) * e.detector.close_distance / R;
}

double photons_per_unit(const Experiment&) { return kElectronRadiusSqr * kFluence; }

::testing::AssertionResult relatively_near(double actual, double expected, double rel) {
    if (std::fabs(actual - expected) <= rel * std::fabs(expected)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << actual << " vs " << expected << " (relative difference "
                                         << (actual - expected) / expected << ")";
}

const int kPixels[][2] = {{32, 32}, {0, 0}, {63, 10}, {5, 50}, {40, 2}};

}  // namespace

TEST(KernelNormalisation, ScaleIsElectronRadiusSquaredTimesFluenceOverSteps) {
    // classical electron radius 2.8179403227e-15 m (CODATA 2014)
    EXPECT_TRUE(relatively_near(kElectronRadiusSqr, 2.8179403227e-15 * 2.8179403227e-15, 1e-6));
    const Experiment e = experiment_of({"-oversample", "2", "-osc", "1", "-phisteps", "3"});
    const KernelData<double> k(e);
    EXPECT_EQ(e.steps, 12);
    EXPECT_TRUE(relatively_near(k.view().scale, kElectronRadiusSqr * kFluence / 12, 1e-8));
}

TEST(KernelPolarization, UnpolarizedBeamGivesHalfOfOnePlusCosSquaredTwoTheta) {
    const Experiment e = experiment_of({});
    for (const auto& px : kPixels) {
        const Vec3 P = pixel_centre(e, px[0], px[1]);
        const double cos2theta = dot(unit(P), e.detector.beam);
        const double expected = photons_per_unit(e) * 0.5 * (1 + cos2theta * cos2theta) * omega_at(e, P);
        EXPECT_TRUE(relatively_near(render_pixel<double>(e, px[0], px[1]), expected, 1e-6)) << px[0] << "," << px[1];
        EXPECT_TRUE(relatively_near(render_pixel<float>(e, px[0], px[1]), expected, 1e-5)) << px[0] << "," << px[1];
    }
}

TEST(KernelPolarization, FullyPolarizedBeamFollowsTheKahnFactor) {
    // -polar 1: E along the convention's polarization axis (MOSFLM: z, the fast axis).
    // Scattering in the plane of E is damped by cos^2(2theta); normal to E it is not.
    const Experiment e = experiment_of({"-polar", "1"});
    for (const auto& px : kPixels) {
        const Vec3 P = pixel_centre(e, px[0], px[1]);
        const Vec3 d = unit(P);
        const double c = dot(d, e.detector.beam), s2 = 1 - c * c;
        const double ez = d.z, by = d.y;  // projections on E (z) and on beam x E (y)
        const double cos2psi = ez * ez + by * by > 0 ? (ez * ez - by * by) / (ez * ez + by * by) : 1.0;
        const double polar = 0.5 * (1 + c * c - cos2psi * s2);
        EXPECT_TRUE(
            relatively_near(render_pixel<double>(e, px[0], px[1]), photons_per_unit(e) * polar * omega_at(e, P), 1e-6))
            << px[0] << "," << px[1];
    }
    // Limits: along E (the fast direction through the beam) polar = cos^2(2theta); along
    // the slow direction through the beam polar = 1.
    const Experiment flat = experiment_of({"-polar", "1", "-Xbeam", "32", "-Ybeam", "32"});
    const Vec3 along_E = pixel_centre(flat, 63, 32);  // MOSFLM adds half a pixel: beam on pixel (32, 32)
    ASSERT_NEAR(unit(along_E).y, 0.0, 1e-12);
    const double c = unit(along_E).x;
    EXPECT_TRUE(relatively_near(render_pixel<double>(flat, 63, 32),
                                photons_per_unit(flat) * c * c * omega_at(flat, along_E), 1e-6));
    const Vec3 across_E = pixel_centre(flat, 32, 63);
    ASSERT_NEAR(unit(across_E).z, 0.0, 1e-12);
    EXPECT_TRUE(
        relatively_near(render_pixel<double>(flat, 32, 63), photons_per_unit(flat) * omega_at(flat, across_E), 1e-6));
}

TEST(KernelPolarization, NopolarMeansFactorOne) {
    const Experiment e = experiment_of({"-nopolar"});
    for (const auto& px : kPixels) {
        const Vec3 P = pixel_centre(e, px[0], px[1]);
        EXPECT_TRUE(relatively_near(render_pixel<double>(e, px[0], px[1]), photons_per_unit(e) * omega_at(e, P), 1e-6));
    }
}

TEST(KernelSolidAngle, PointPixelIsInverseSquareOnly) {
    const Experiment e = experiment_of({"-nopolar", "-point_pixel"});
    for (const auto& px : kPixels) {
        const Vec3 P = pixel_centre(e, px[0], px[1]);
        EXPECT_TRUE(relatively_near(render_pixel<double>(e, px[0], px[1]), photons_per_unit(e) / dot(P, P), 1e-6));
    }
}

TEST(KernelSolidAngle, CurvedDetectorPutsEveryPixelAtTheSameDistance) {
    const Experiment e = experiment_of({"-nopolar", "-curved_det"});
    const double d = e.detector.distance, p = e.detector.pixel_size;
    const double expected = photons_per_unit(e) * p * p / (d * d) * e.detector.close_distance / d;
    for (const auto& px : kPixels)
        EXPECT_TRUE(relatively_near(render_pixel<double>(e, px[0], px[1]), expected, 1e-6)) << px[0] << "," << px[1];
}

TEST(KernelSolidAngle, SideSumAddsEverySubpixelsOmega) {
    const Experiment e = experiment_of({"-nopolar"});
    const KernelData<double> k(e);
    std::vector<float> out(4 * 3, -1.0f);
    TileSideSums sums = render_tile(k.view(), Tile{10, 14, 20, 23}, out.data());
    double expected = 0;
    for (int s = 20; s < 23; ++s)
        for (int f = 10; f < 14; ++f) expected += omega_at(e, pixel_centre(e, f, s));
    EXPECT_TRUE(relatively_near(sums.omega_sum, expected, 1e-9));
    // with 2x2 sub-pixels the cached first value is counted four times per pixel
    const Experiment e2 = experiment_of({"-nopolar", "-oversample", "2"});
    double omega_sum = 0;
    render_pixel<double>(e2, 7, 9, &omega_sum);
    const double sub = e2.detector.pixel_size / 2;
    const DetectorGeometry& d = e2.detector;
    const Vec3 first = d.pix0 + d.fdet * (sub * 14 + sub / 2) + d.sdet * (sub * 18 + sub / 2);
    EXPECT_TRUE(relatively_near(omega_sum, 4 * omega_at(e2, first), 1e-9));
}

TEST(KernelAbsorption, LayersUseTheLastLayersCaptureFraction) {
    // 100 um sensor, attenuation length 320 um, 3 layers 50 um apart. As in the
    // reference, the intensity of all layers is summed and multiplied by the capture
    // fraction of the LAST layer, exp(-2 t mu / rho) - exp(-3 t mu / rho), rho being the
    // cosine between the ray to that layer and the detector normal.
    const Experiment e =
        experiment_of({"-nopolar", "-detector_thick", "100", "-detector_abs", "320", "-thicksteps", "3"});
    ASSERT_EQ(e.sensor.layers, 3);
    const double t = e.sensor.layer_step, mu = e.sensor.mu;
    EXPECT_NEAR(t, 50e-6, 1e-18);
    EXPECT_NEAR(mu, 3125.0, 1e-9);
    for (const auto& px : kPixels) {
        const Vec3 front = pixel_centre(e, px[0], px[1]);
        const Vec3 last = pixel_centre(e, px[0], px[1], 2 * t);
        const double rho = dot(unit(last), e.detector.odet);
        const double capture = std::exp(-2 * t * mu / rho) - std::exp(-3 * t * mu / rho);
        const double expected = photons_per_unit(e) * 3 * capture * omega_at(e, front);
        EXPECT_TRUE(relatively_near(render_pixel<double>(e, px[0], px[1]), expected, 1e-6)) << px[0] << "," << px[1];
    }
}

TEST(KernelAbsorption, NoSensorThicknessMeansFullCapture) {
    const Experiment thin = experiment_of({"-nopolar"});
    const Experiment inf = experiment_of({"-nopolar", "-detector_thick", "100", "-detector_abs", "inf"});
    EXPECT_EQ(render_pixel<double>(thin, 3, 4), render_pixel<double>(inf, 3, 4));
}

TEST(KernelAbsorption, OversampleThickMultipliesTheRunningSum) {
    // The reference multiplies the running sum by each layer's capture fraction:
    // I = ((0 + 1) c0 + 1) c1 for two layers.
    const Experiment e =
        experiment_of({"-nopolar", "-detector_thick", "100", "-detector_abs", "320", "-oversample_thick"});
    ASSERT_EQ(e.sensor.layers, 2);
    const double t = e.sensor.layer_step, mu = e.sensor.mu;
    const int f = 5, s = 50;
    auto capture = [&](int layer) {
        const double rho = dot(unit(pixel_centre(e, f, s, layer * t)), e.detector.odet);
        return std::exp(-layer * t * mu / rho) - std::exp(-(layer + 1) * t * mu / rho);
    };
    const double I = (1 * capture(0) + 1) * capture(1);
    EXPECT_TRUE(relatively_near(render_pixel<double>(e, f, s),
                                photons_per_unit(e) * I * omega_at(e, pixel_centre(e, f, s)), 1e-6));
}

TEST(KernelOversampling, PerPixelFactorsComeFromTheFirstSubpixel) {
    // Without -oversample_*: I sums the 4 sub-pixels (4 x 1), the normalisation divides
    // by steps = 4, and polarization and solid angle are those of the first sub-pixel.
    const Experiment e = experiment_of({"-oversample", "2"});
    const DetectorGeometry& d = e.detector;
    const double sub = d.pixel_size / 2;
    const int f = 60, s = 3;
    const Vec3 first = d.pix0 + d.fdet * (sub * 2 * f + sub / 2) + d.sdet * (sub * 2 * s + sub / 2);
    const double c = dot(unit(first), d.beam);
    const double expected = photons_per_unit(e) * 0.5 * (1 + c * c) * omega_at(e, first);
    EXPECT_TRUE(relatively_near(render_pixel<double>(e, f, s), expected, 1e-6));
}

TEST(KernelOversampling, OversampleOmegaMultipliesTheRunningSum) {
    // -oversample_omega: after each sub-pixel I += 1 then I *= omega(sub-pixel).
    const Experiment e = experiment_of({"-oversample", "2", "-oversample_omega", "-nopolar"});
    const DetectorGeometry& d = e.detector;
    const double sub = d.pixel_size / 2;
    const int f = 60, s = 3;
    double I = 0;
    for (int ss = 0; ss < 2; ++ss)
        for (int sf = 0; sf < 2; ++sf) {
            const Vec3 P = d.pix0 + d.fdet * (sub * (2 * f + sf) + sub / 2) + d.sdet * (sub * (2 * s + ss) + sub / 2);
            I = (I + 1) * omega_at(e, P);
        }
    EXPECT_TRUE(relatively_near(render_pixel<double>(e, f, s), photons_per_unit(e) / 4 * I, 1e-6));
}

TEST(KernelDmin, DminSkipsScatteringBeyondIt) {
    // lambda 1 A, dmin 2 A: cut at sin(theta) = 0.25, 2theta = 28.955 deg.
    const Experiment e = experiment_of({"-dmin", "2"});
    const double cut = 2 * std::asin(0.25);
    int inside = 0, outside = 0;
    for (int f = 0; f < 64; f += 3) {
        const int s = 32;
        const double two_theta = std::acos(dot(unit(pixel_centre(e, f, s)), e.detector.beam));
        if (std::fabs(two_theta - cut) < 0.02) continue;
        const float v = render_pixel<double>(e, f, s);
        if (two_theta < cut) {
            EXPECT_GT(v, 0.0f) << f;
            ++inside;
        } else {
            EXPECT_EQ(v, 0.0f) << f;
            ++outside;
        }
    }
    EXPECT_GT(inside, 0);
    EXPECT_GT(outside, 0);
}

TEST(KernelRoiMask, PixelsOutsideTheRoiOrMaskedAreNotTouched) {
    const Experiment e = experiment_of({"-roi", "2", "3", "1", "1"});
    const KernelData<double> k(e);
    std::vector<float> out(5 * 3, -1.0f);
    render_tile(k.view(), Tile{0, 5, 0, 3}, out.data());
    for (int s = 0; s < 3; ++s)
        for (int f = 0; f < 5; ++f) {
            const float v = out[static_cast<std::size_t>(s * 5 + f)];
            if (s == 1 && (f == 2 || f == 3))
                EXPECT_GT(v, 0.0f) << f << "," << s;
            else
                EXPECT_EQ(v, -1.0f) << f << "," << s;
        }

    Experiment m = experiment_of({});
    m.mask.assign(64 * 64, 1);
    m.mask[static_cast<std::size_t>(1 * 64 + 2)] = 0;
    const KernelData<double> km(m);
    std::vector<float> out2(3, -1.0f);
    render_tile(km.view(), Tile{1, 4, 1, 2}, out2.data());
    EXPECT_GT(out2[0], 0.0f);
    EXPECT_EQ(out2[1], -1.0f);
    EXPECT_GT(out2[2], 0.0f);
}

TEST(KernelPrecision, FloatAndDoubleAgreeOnSmoothPixels) {
    const Experiment e = experiment_of({"-polar", "0.9", "-detector_thick", "50", "-oversample", "2"});
    for (const auto& px : kPixels) {
        const double d = render_pixel<double>(e, px[0], px[1]);
        EXPECT_TRUE(relatively_near(render_pixel<float>(e, px[0], px[1]), d, 1e-5)) << px[0] << "," << px[1];
    }
}
