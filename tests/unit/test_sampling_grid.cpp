// How the (range, step, count) of phi, divergence, dispersion and sensor layers are
// filled in when only some are given, and what setup builds from them: phi angles,
// sources, mosaic domains, oversampling and the normalisation. Checked against the
// reference's rules and against what it printed for the golden cases.
#include <tilebragg/beam_sources.hpp>
#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/sampling_grid.hpp>

#include "test_setup_golden_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;
namespace st = tilebragg::setup_test;

namespace {

constexpr double kDeg = M_PI / 180.0;

void expect_range(const SampledRange& r, double range, double step, int count, const std::string& what) {
    EXPECT_NEAR(r.range, range, 1e-15) << what;
    EXPECT_NEAR(r.step, step, 1e-15) << what;
    EXPECT_EQ(r.count, count) << what;
}

Experiment experiment_of(std::initializer_list<std::string> args) {
    std::vector<std::string> v{"tilebragg", "-cell", "100", "-default_F", "100", "-N", "5", "-detpixels", "16"};
    v.insert(v.end(), args.begin(), args.end());
    Params p = parse_command_line(v).params;
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return setup_experiment(p);
}

}  // namespace

// ---------------------------------------------------------------------------------
// Phi

TEST(ResolvePhi, ReferenceRules) {
    expect_range(resolve_phi(-1, -1, -1), 0, 0, 1, "nothing: one still image");
    expect_range(resolve_phi(3 * kDeg, -1, -1), 3 * kDeg, 1.5 * kDeg, 2, "-osc 3 alone: two steps of 1.5 deg");
    expect_range(resolve_phi(-1, 0.5 * kDeg, -1), 0.5 * kDeg, 0.5 * kDeg, 2, "-phistep alone: osc = step, 2 steps");
    expect_range(resolve_phi(3 * kDeg, 0.75 * kDeg, -1), 3 * kDeg, 0.75 * kDeg, 4, "-osc 3 -phistep 0.75");
    EXPECT_EQ(resolve_phi(3 * kDeg, 0.7 * kDeg, -1).count, 5) << "steps rounded up";
    expect_range(resolve_phi(-1, -1, 4), kDeg, 0.25 * kDeg, 4, "-phisteps alone: 1 deg");
    expect_range(resolve_phi(3 * kDeg, -1, 4), 3 * kDeg, 0.75 * kDeg, 4, "-osc 3 -phisteps 4");
    expect_range(resolve_phi(3 * kDeg, -1, 0), 3 * kDeg, 3 * kDeg, 1, "-phisteps 0 counts as 1");
    expect_range(resolve_phi(-1, 0.2 * kDeg, 5), 0.2 * kDeg, 0.2 * kDeg, 2, "step and count without osc");
    expect_range(resolve_phi(2 * kDeg, 0.1 * kDeg, 3), 2 * kDeg, 0.1 * kDeg, 3, "all three: as given");
}

TEST(SamplingPhiAngles, StartAtPhiAndStepAcrossTheOscillation) {
    Experiment e = experiment_of({"-osc", "3"});
    ASSERT_EQ(e.phi_angles.size(), 2u);
    EXPECT_EQ(e.phi_angles[0], 0.0);
    EXPECT_NEAR(e.phi_angles[1], 1.5 * kDeg, 1e-15);
    e = experiment_of({"-phi", "5", "-osc", "3", "-phisteps", "4"});
    ASSERT_EQ(e.phi_angles.size(), 4u);
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(e.phi_angles[i] / kDeg, 5 + 0.75 * i, 1e-12) << i;
    EXPECT_EQ(e.orientations.size(), 4u);
}

// ---------------------------------------------------------------------------------
// Divergence and dispersion

TEST(ResolveSpan, ReferenceRules) {
    expect_range(resolve_span(-1, -1, -1, 1.0), 0, 0, 1, "nothing");
    expect_range(resolve_span(0.8e-3, -1, 3, 1.0), 0.8e-3, 0.4e-3, 3, "-divergence 0.8 -divsteps 3: 0.4 mrad steps");
    expect_range(resolve_span(0.8e-3, -1, -1, 1.0), 0.8e-3, 0.8e-3, 2, "range alone: its two ends");
    expect_range(resolve_span(-1, 0.1e-3, -1, 1.0), 0.1e-3, 0.1e-3, 2, "step alone");
    expect_range(resolve_span(1e-3, 0.3e-3, -1, 1.0), 1e-3, 0.3e-3, 4, "range and step: ceil(range/step)");
    expect_range(resolve_span(-1, -1, 4, 1.0), 1.0, 0.25, 4, "count alone: the unit range");
    expect_range(resolve_span(0.8e-3, -1, 1, 1.0), 0.8e-3, 0.8e-3, 2, "one step over a range becomes two");
    expect_range(resolve_span(-1, 0.2e-3, 5, 1.0), 0.2e-3, 0.2e-3, 2, "step and count without range");
    expect_range(resolve_span(1e-3, 0.1e-3, 3, 1.0), 1e-3, 0.1e-3, 3, "all three: as given");
}

TEST(SamplingSources, DivergenceCrossFromRoundDiv) {
    const Experiment e = experiment_of({"-divergence", "0.8", "-divsteps", "3"});
    EXPECT_EQ(e.hdivsteps, 3);
    EXPECT_NEAR(e.hdivstep, 0.4e-3, 1e-18);
    // round_div keeps the centre and the four edge midpoints of the 3x3 grid
    EXPECT_EQ(e.divsteps, 5);
    ASSERT_EQ(e.sources.size(), 5u);
    for (const Source& s : e.sources) {
        EXPECT_NEAR(norm(s.incident), 1.0, 1e-15);
        const double angle = std::acos(std::min(1.0, dot(s.incident, e.detector.beam)));
        EXPECT_TRUE(std::fabs(angle) < 1e-7 || std::fabs(angle - 0.4e-3) < 1e-9) << angle;
        EXPECT_NEAR(s.weight, 0.2, 1e-15);
        EXPECT_EQ(s.lambda, 1e-10);
    }
    const Experiment square = experiment_of({"-divergence", "0.8", "-divsteps", "3", "-square_div"});
    EXPECT_EQ(square.sources.size(), 9u);
    EXPECT_NEAR(square.sources[0].weight, 1.0 / 9, 1e-15);
}

TEST(SamplingSources, DispersionSpreadsTheWavelengthSymmetrically) {
    const Experiment e = experiment_of({"-dispersion", "0.5", "-dispsteps", "3"});
    ASSERT_EQ(e.sources.size(), 3u);
    EXPECT_NEAR(e.sources[0].lambda, 0.9975e-10, 1e-24);
    EXPECT_NEAR(e.sources[1].lambda, 1e-10, 1e-24);
    EXPECT_NEAR(e.sources[2].lambda, 1.0025e-10, 1e-24);
    for (const Source& s : e.sources) {
        EXPECT_NEAR(s.weight, 1.0 / 3, 1e-15);
        EXPECT_NEAR(s.incident.x, 1.0, 0) << "no divergence: along the beam";
    }
}

TEST(SamplingSources, NoDivergenceNoDispersionIsOneSourceAlongTheBeam) {
    const Experiment e = experiment_of({});
    ASSERT_EQ(e.sources.size(), 1u);
    EXPECT_EQ(e.sources[0].incident.x, 1.0);
    EXPECT_EQ(e.sources[0].weight, 1.0);
    EXPECT_EQ(e.divsteps, 1);
    EXPECT_EQ(e.dispsteps, 1);
}

// ---------------------------------------------------------------------------------
// Sensor layers

TEST(ResolveLayers, ReferenceRules) {
    expect_range(resolve_layers(-1, -1, -1), 0, 0, 1, "nothing");
    expect_range(resolve_layers(100e-6, -1, -1), 100e-6, 50e-6, 2, "thickness alone: two half-thickness layers");
    expect_range(resolve_layers(100e-6, -1, 3), 100e-6, 50e-6, 3, "thickness and 3 layers: thickness / (n - 1)");
    expect_range(resolve_layers(100e-6, -1, 1), 100e-6, 100e-6, 2, "one layer becomes two");
    expect_range(resolve_layers(-1, -1, 3), 0.5e-6, 0.5e-6 / 3, 3, "count alone: half a micron");
    expect_range(resolve_layers(100e-6, 30e-6, -1), 100e-6, 30e-6, 4, "thickness and step: ceil");
}

TEST(SamplingSensor, ThicknessWithoutAttenuationUsesOneOverThickness) {
    const Experiment e = experiment_of({"-detector_thick", "100", "-detector_thicksteps", "3"});
    EXPECT_EQ(e.sensor.layers, 3);
    EXPECT_NEAR(e.sensor.thickness, 1e-4, 1e-18);
    EXPECT_NEAR(e.sensor.layer_step, 5e-5, 1e-18);
    EXPECT_NEAR(e.sensor.mu, 1e4, 1e-9);
    const Experiment none = experiment_of({});
    EXPECT_EQ(none.sensor.layers, 1);
    EXPECT_EQ(none.sensor.thickness, 0.0);
}

// ---------------------------------------------------------------------------------
// Mosaic domains, oversampling, normalisation

TEST(SamplingMosaicDomains, ReferenceRules) {
    EXPECT_EQ(experiment_of({}).mosaic_umats.size(), 1u);
    EXPECT_EQ(experiment_of({"-mosaic", "0.5"}).mosaic_umats.size(), 10u) << "spread alone: 10 domains";
    EXPECT_EQ(experiment_of({"-mosaic_dom", "5"}).mosaic_umats.size(), 1u) << "domains without spread: 1";
    EXPECT_EQ(experiment_of({"-mosaic", "0", "-mosaic_dom", "5"}).mosaic_umats.size(), 1u);
    const Experiment e = experiment_of({"-mosaic", "0.5", "-mosaic_dom", "7", "-osc", "1", "-phisteps", "3"});
    EXPECT_EQ(e.mosaic_umats.size(), 7u);
    EXPECT_EQ(e.orientations.size(), 21u);
}

TEST(SamplingOversample, AutoSelectionFromCrystalSizeAndReciprocalPixel) {
    // 3 * (5 cells * 100 A) / (lambda * distance / pixel) = 3 * 5e-8 / 1e-7 = 1.5 -> 2
    EXPECT_EQ(experiment_of({}).oversample, 2);
    // lambda 6.2 A: 0.24 -> 1
    EXPECT_EQ(experiment_of({"-lambda", "6.2"}).oversample, 1);
    // -N 20: 6 -> 6
    EXPECT_EQ(experiment_of({"-N", "20"}).oversample, 6);
    EXPECT_EQ(experiment_of({"-oversample", "3"}).oversample, 3);
}

TEST(SamplingSteps, SourcesTimesDomainsTimesPhiTimesSubpixels) {
    const Experiment e = experiment_of({"-dispersion", "1", "-dispsteps", "2", "-mosaic", "0.2", "-mosaic_dom", "3",
                                        "-osc", "1", "-phisteps", "4", "-oversample", "3"});
    EXPECT_EQ(e.steps, 2 * 3 * 4 * 9);
}

TEST(SamplingRoi, UnsetBoundsBecomeTheDetector) {
    const Experiment e = experiment_of({});
    EXPECT_EQ(e.roi.fast_min, 0);
    EXPECT_EQ(e.roi.fast_max, 16);  // as the reference: the pixel count, not the last index
    EXPECT_EQ(e.roi.slow_max, 16);
    const Experiment r = experiment_of({"-roi", "2", "5", "3", "9"});
    EXPECT_EQ(r.roi.fast_min, 2);
    EXPECT_EQ(r.roi.slow_max, 9);
    EXPECT_THROW(experiment_of({"-roi", "5", "2", "0", "3"}), InputError);
    EXPECT_THROW(experiment_of({"-roi", "16", "20", "0", "3"}), InputError);
}

// ---------------------------------------------------------------------------------
// Every golden case: the sampling the reference printed.

TEST(SamplingGolden, EveryCaseMatchesTheReferenceLog) {
    const bool found = st::for_each_golden_setup([&](const st::GoldenCase& c, const Experiment& e) {
        const Params& p = e.params;
        const auto& L = c.lines;

        st::expect_printed(L, "hdivrange=", {e.hdivrange}, 1e-15);
        st::expect_printed(L, "hdivstep=", {e.hdivstep}, 1e-15);
        st::expect_printed(L, "vdivrange=", {e.vdivrange}, 1e-15);
        st::expect_printed(L, "vdivstep=", {e.vdivstep}, 1e-15);
        st::expect_printed(L, "wave=", {p.lambda0}, 1e-20);
        st::expect_printed(L, "meters +/-", {e.dispersion * 100}, 1e-12);
        st::expect_printed(L, "% in", {double(e.dispsteps)}, 0);

        // "  N sources", "  N mosaic domains over mosaic spread of S degrees",
        // "  N phi steps from A to B degrees", "  NxN pixel oversample steps"
        // the number that opens the line whose text goes on with `tail`
        auto count_before = [&](const std::string& tail) {
            for (const auto& line : L) {
                std::istringstream words(line);
                std::string first, rest;
                words >> first;
                std::getline(words, rest);
                st::Printed n;
                if (rest.rfind(tail, 0) == 0 && st::parse_printed(first, n)) return n.value;
            }
            ADD_FAILURE() << "no line '<N>" << tail << "'";
            return -1.0;
        };
        // A -sourcefile leaves the reference's divergence count unset (it prints -1).
        if (p.source_file.empty()) {
            EXPECT_EQ(count_before(" divergence steps"), double(e.divsteps));
        }
        EXPECT_EQ(count_before(" sources"), double(e.sources.size()));
        EXPECT_EQ(count_before(" mosaic domains over"), double(e.mosaic_umats.size()));
        st::expect_printed(L, "mosaic spread of", {p.mosaic_spread / kDeg}, 1e-12);
        EXPECT_EQ(count_before(" phi steps from"), double(e.phi_angles.size()));
        st::expect_printed(L, " phi steps from", {p.phi0 / kDeg}, 1e-12);
        const int phi_line = st::line_index(L, " phi steps from");
        ASSERT_GE(phi_line, 0);
        const auto phi_end = st::numbers_after({L[static_cast<std::size_t>(phi_line)]}, " to ");
        ASSERT_FALSE(phi_end.empty());
        EXPECT_TRUE(st::agrees((p.phi0 + p.osc) / kDeg, phi_end[0], 1e-12));
        for (std::size_t i = 0; i < e.phi_angles.size(); ++i)
            st::expect_printed(L, "phi" + std::to_string(i) + " = ", {e.phi_angles[i] / kDeg}, 1e-12);
        const int os = st::line_index(L, "pixel oversample steps");
        ASSERT_GE(os, 0);
        EXPECT_NE(
            L[static_cast<std::size_t>(os)].find(std::to_string(e.oversample) + "x" + std::to_string(e.oversample)),
            std::string::npos);

        // Sensor layer depths: "thickN = D um"
        for (int i = 0; i < e.sensor.layers; ++i)
            st::expect_printed(L, "thick" + std::to_string(i) + " = ", {e.sensor.layer_step * i * 1e6}, 1e-9);

        // The source list: "X Y Z   weight lambda" under "created a total of N sources:"
        const int list = st::line_index(L, "created a total of");
        ASSERT_GE(list, 0);
        for (std::size_t i = 0; i < e.sources.size(); ++i) {
            const Source& s = e.sources[i];
            const auto row = st::numbers_after({L[static_cast<std::size_t>(list) + 1 + i]}, "");
            ASSERT_EQ(row.size(), 5u) << "source " << i;
            EXPECT_TRUE(st::agrees(s.position.x, row[0], 1e-12)) << "source " << i;
            EXPECT_TRUE(st::agrees(s.position.y, row[1], 1e-12)) << "source " << i;
            EXPECT_TRUE(st::agrees(s.position.z, row[2], 1e-12)) << "source " << i;
            EXPECT_TRUE(st::agrees(s.weight, row[3], 1e-12)) << "source " << i;
            EXPECT_TRUE(st::agrees(s.lambda, row[4], 1e-22)) << "source " << i;
        }
    });
    if (!found) GTEST_SKIP() << "golden set not found";
}
