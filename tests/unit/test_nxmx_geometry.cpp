// The NXmx description of the detector and the frame it is written in: the chain of
// positioner axes puts every module point where the kernel renders it (after the one
// lab -> NeXus rotation) for every convention, both pivots, rotations and two-theta; the
// rotation is proper and takes the beam onto +z; what NXmx cannot describe is refused.
#include <tilebragg/experiment.hpp>
#include <tilebragg/nxmx_geometry.hpp>

#include "test_setup_golden_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tilebragg;

namespace {

Experiment experiment(const std::vector<std::string>& args) {
    std::vector<std::string> all{"-cell", "50",           "50", "50",           "90", "90",     "90", "-default_F",
                                 "1",     "-detpixels_f", "30", "-detpixels_s", "20", "-pixel", "2"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<std::string> argv{"tilebragg"};
    argv.insert(argv.end(), all.begin(), all.end());
    return setup_experiment(parse_command_line(argv).params);
}

void expect_near(const Vec3& a, const Vec3& b, double tol, const std::string& what) {
    EXPECT_NEAR(a.x, b.x, tol) << what;
    EXPECT_NEAR(a.y, b.y, tol) << what;
    EXPECT_NEAR(a.z, b.z, tol) << what;
}

double determinant(const NexusFrame& m) { return dot(m({1, 0, 0}), cross(m({0, 1, 0}), m({0, 0, 1}))); }

struct GeometryCase {
    const char* name;
    std::vector<std::string> args;
    Pivot pivot;
};

}  // namespace

TEST(NexusFrame, TurnsTheBeamOntoZAndIsAProperRotation) {
    for (const Vec3& beam : {Vec3{1, 0, 0}, Vec3{0, 0, 1}, Vec3{0, 0, -1}, Vec3{0.6, 0.8, 0}, Vec3{-0.3, 0.2, -0.9}}) {
        const NexusFrame m(beam);
        expect_near(m(unit(beam)), {0, 0, 1}, 1e-15, "beam");
        EXPECT_NEAR(determinant(m), 1.0, 1e-14);
        const Vec3 a{0.3, -1.2, 2.0}, b{-0.7, 0.1, 0.4};
        EXPECT_NEAR(dot(m(a), m(b)), dot(a, b), 1e-14);
    }
}

TEST(NexusFrame, MosflmFrameIsTheQuarterTurnAboutY) {
    // MOSFLM: beam +x -> +z, y stays, the spindle +z becomes -x (imgCIF +x, DIALS's usual).
    const NexusFrame m({1, 0, 0});
    EXPECT_EQ(m({1, 0, 0}).z, 1.0);
    EXPECT_EQ(m({0, 1, 0}).y, 1.0);
    EXPECT_EQ(m({0, 0, 1}).x, -1.0);
    // Conventions whose beam already runs along +z keep their vectors as they are.
    const NexusFrame same({0, 0, 1});
    EXPECT_EQ(same({0.25, -0.5, 0.75}).y, -0.5);
}

TEST(NxmxDetector, ChainPutsTheModuleWhereTheKernelRendersIt) {
    const std::vector<GeometryCase> cases{
        {"mosflm", {}, Pivot::Beam},
        {"mosflm off-centre", {"-Xbeam", "12", "-Ybeam", "31"}, Pivot::Beam},
        {"denzo", {"-denzo"}, Pivot::Beam},
        {"adxv", {"-adxv"}, Pivot::Beam},
        {"xds", {"-xds", "-ORGX", "7", "-ORGY", "12"}, Pivot::Sample},
        {"dials", {"-dials", "-close_distance", "80"}, Pivot::Sample},
        {"mosflm rotations", {"-detector_rotx", "5", "-detector_roty", "-7", "-detector_rotz", "11"}, Pivot::Beam},
        {"mosflm twotheta", {"-twotheta", "10", "-detector_rotx", "5"}, Pivot::Beam},
        {"xds twotheta", {"-xds", "-twotheta", "20", "-detector_roty", "3"}, Pivot::Sample},
        {"custom sample pivot",
         {"-twotheta_axis", "0", "0.6", "0.8", "-twotheta", "12", "-pivot", "sample"},
         Pivot::Sample},
        {"custom beam pivot",
         {"-beam_vector",
          "0.6",
          "0.8",
          "0",
          "-fdet_vector",
          "0",
          "0",
          "1",
          "-sdet_vector",
          "0.8",
          "-0.6",
          "0",
          "-spindle_axis",
          "0.6",
          "0",
          "0.8",
          "-pivot",
          "beam",
          "-detector_rotz",
          "4"},
         Pivot::Beam},
        {"beam along -z",
         {"-beam_vector", "0", "0", "-1", "-fdet_vector", "1", "0", "0", "-sdet_vector", "0", "1", "0", "-odet_vector",
          "0", "0", "-1", "-pivot", "sample"},
         Pivot::Sample},
    };
    for (const GeometryCase& c : cases) {
        const Experiment e = experiment(c.args);
        const DetectorGeometry& d = e.detector;
        EXPECT_EQ(d.pivot, c.pivot) << c.name;
        const NxmxDetector n = nxmx_detector(e);
        ASSERT_TRUE(n.describable) << c.name << ": " << n.why_not;
        const NexusFrame frame(d.beam);
        for (const double f : {0.5, 13.5, 29.5})
            for (const double s : {0.5, 19.5}) {
                const double fm = f * d.pixel_size, sm = s * d.pixel_size;
                expect_near(nxmx_module_point(n, fm, sm), frame(d.pix0 + d.fdet * fm + d.sdet * sm), 1e-15,
                            std::string(c.name) + " pixel " + std::to_string(f) + "," + std::to_string(s));
            }
        // Each axis of the chain names the next; the module hangs on the first.
        EXPECT_EQ(n.module_offset.depends_on, n.axes.front().name) << c.name;
        for (std::size_t i = 0; i + 1 < n.axes.size(); ++i) EXPECT_EQ(n.axes[i].depends_on, n.axes[i + 1].name);
        EXPECT_EQ(n.axes.back().depends_on, "") << c.name;
        EXPECT_EQ(n.axes.front().name, c.pivot == Pivot::Sample ? "close_distance" : "detector_rotx") << c.name;
        for (const NxTransformation& t : n.axes) EXPECT_NEAR(norm(t.vector), 1.0, 1e-14) << c.name << " " << t.name;
    }
}

TEST(NxmxDetector, BeamCentreIsWhereTheBeamMeetsTheDetector) {
    // MOSFLM default on 30 x 20 pixels of 2 mm: Xbeam = (40 + 2) / 2 mm along slow,
    // Ybeam = (60 + 2) / 2 mm along fast, and the first pixel's centre at half a pixel.
    const NxmxDetector n = nxmx_detector(experiment({"-distance", "90"}));
    EXPECT_NEAR(n.beam_distance, 0.09, 1e-15);
    EXPECT_NEAR(n.beam_centre_fast, 31.0 / 2 + 0.5, 1e-12);
    EXPECT_NEAR(n.beam_centre_slow, 21.0 / 2 + 0.5, 1e-12);
    // With two-theta the beam meets the tilted plane further out, at close / cos(2theta)
    // for a sample pivot.
    const NxmxDetector tilted = nxmx_detector(experiment({"-xds", "-close_distance", "100", "-twotheta", "20"}));
    EXPECT_NEAR(tilted.beam_distance, 0.1 / std::cos(20 * M_PI / 180), 1e-14);
}

TEST(NxmxDetector, RefusesWhatNXmxCannotDescribe) {
    const NxmxDetector curved = nxmx_detector(experiment({"-curved_det"}));
    EXPECT_FALSE(curved.describable);
    EXPECT_NE(curved.why_not.find("-curved_det"), std::string::npos);
    // The reference rotates about -twotheta_axis as given: an axis of length sqrt(2)
    // stretches the detector, which no chain of rotations reproduces.
    const NxmxDetector stretched = nxmx_detector(experiment({"-twotheta_axis", "0", "1", "1", "-twotheta", "12"}));
    EXPECT_FALSE(stretched.describable);
    EXPECT_NE(stretched.why_not.find("twotheta_axis"), std::string::npos);
}
