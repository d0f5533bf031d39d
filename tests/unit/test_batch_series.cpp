// Batches (-images): which phi and which orientation each image of a series takes, the
// names of the legacy files of image i, and that a per-image setup sharing the first
// image's structure factors is the setup of the equivalent single run.
#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/image_series.hpp>
#include <tilebragg/reference_rng.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

using namespace tilebragg;

namespace {

constexpr double kRTD = 180.0 * M_1_PI;

Params parse(std::initializer_list<std::string> args) {
    std::vector<std::string> v{"tilebragg"};
    v.insert(v.end(), args.begin(), args.end());
    Params p = parse_command_line(v).params;
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return p;
}

const std::initializer_list<std::string> kCrystal = {"-cell",      "70", "80", "90", "85",         "95", "105",
                                                     "-default_F", "10", "-N", "3",  "-detpixels", "32"};

Params with(std::initializer_list<std::string> extra) {
    std::vector<std::string> v{"tilebragg"};
    v.insert(v.end(), kCrystal.begin(), kCrystal.end());
    v.insert(v.end(), extra.begin(), extra.end());
    Params p = parse_command_line(v).params;
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return p;
}

}  // namespace

TEST(BatchSeries, ImagesFlagIsParsedAndMustBePositive) {
    EXPECT_EQ(parse({"-images", "12"}).images, 12);
    EXPECT_EQ(parse({}).images, 1);
    EXPECT_THROW(parse({"-images", "0"}), InputError);
    EXPECT_THROW(parse({"-images", "two"}), InputError);
}

TEST(BatchSeries, RotationImagesStartOneOscillationApart) {
    const Params p = with({"-phi", "10", "-osc", "0.1", "-phisteps", "3"});
    EXPECT_EQ(series_kind(p), SeriesKind::Rotation);
    // Rounded to what a person would type, so "-phi 10.3" is the same double.
    EXPECT_EQ(series_phi_degrees(p, 0), 10.0);
    EXPECT_EQ(series_phi_degrees(p, 1), 10.1);
    EXPECT_EQ(series_phi_degrees(p, 3), 10.3);
    EXPECT_EQ(series_phi_degrees(p, 25), 12.5);
    const Params third = params_for_image(p, 3);
    EXPECT_EQ(third.phi0, with({"-phi", "10.3", "-osc", "0.1", "-phisteps", "3"}).phi0);
    EXPECT_EQ(third.osc, p.osc);
    EXPECT_EQ(third.phisteps, p.phisteps);
    EXPECT_EQ(third.misset_draw, 0);
    EXPECT_EQ(third.image, 3);
}

TEST(BatchSeries, OscillationIsTheResolvedOne) {
    // -phistep and -phisteps without -osc: the reference's rules make the oscillation
    // one step wide (and two steps), so images start one step apart.
    EXPECT_DOUBLE_EQ(series_phi_degrees(with({"-phistep", "0.25", "-phisteps", "4"}), 2), 0.5);
    // -osc with -phisteps: the whole oscillation per image.
    EXPECT_DOUBLE_EQ(series_phi_degrees(with({"-osc", "1.5", "-phisteps", "4"}), 2), 3.0);
    // No oscillation at all: every image at phi0.
    EXPECT_DOUBLE_EQ(series_phi_degrees(with({"-phi", "7"}), 5), 7.0);
}

TEST(BatchSeries, ImageZeroIsTheParsedRun) {
    const Params p = with({"-phi", "0.123456789012345678", "-osc", "1"});
    const Params zero = params_for_image(p, 0);
    EXPECT_EQ(zero.phi0, p.phi0);
    EXPECT_EQ(zero.misset_draw, 0);
}

TEST(BatchSeries, SerialImagesTakeSuccessiveDrawsOfTheMissetStream) {
    const Params p = with({"-misset", "random", "-misset_seed", "99", "-phi", "5"});
    ASSERT_EQ(series_kind(p), SeriesKind::Serial);
    // The i-th orientation of one stream seeded like the run, drawn by hand.
    ReferenceRandom stream(ReferenceRandom::stored_from_user_seed(99));
    std::vector<std::array<double, 3>> draws;
    for (int i = 0; i < 3; ++i)
        draws.push_back(rotation_to_misset(random_cap_rotation(kRandomMissetCapRadians, stream)));
    for (int i = 0; i < 3; ++i) {
        const Params pi = params_for_image(p, i);
        EXPECT_EQ(pi.misset_draw, i);
        EXPECT_EQ(pi.phi0, p.phi0);  // serial images do not rotate
        EXPECT_EQ(series_phi_degrees(p, i), p.phi0 * kRTD);
        const Experiment e = setup_experiment(pi);
        EXPECT_NEAR(e.crystal.misset_deg.x, draws[i][0] * kRTD, 1e-9) << "image " << i;
        EXPECT_NEAR(e.crystal.misset_deg.y, draws[i][1] * kRTD, 1e-9) << "image " << i;
        EXPECT_NEAR(e.crystal.misset_deg.z, draws[i][2] * kRTD, 1e-9) << "image " << i;
    }
    EXPECT_NE(draws[0], draws[1]);
}

TEST(BatchSeries, SharedStructureFactorsGiveTheSameSetupAsAFreshOne) {
    const Params p =
        with({"-phi", "3", "-osc", "0.5", "-phisteps", "2", "-mosaic", "1", "-mosaic_dom", "3", "-mosaic_seed", "5"});
    const Experiment first = setup_experiment(p);
    const Params two = params_for_image(p, 2);
    const Experiment shared = setup_experiment(two, first.structure_factors);
    const Experiment fresh = setup_experiment(
        with({"-phi", "4", "-osc", "0.5", "-phisteps", "2", "-mosaic", "1", "-mosaic_dom", "3", "-mosaic_seed", "5"}));
    ASSERT_EQ(shared.orientations.size(), fresh.orientations.size());
    for (std::size_t i = 0; i < fresh.orientations.size(); ++i) {
        EXPECT_EQ(shared.orientations[i].a.x, fresh.orientations[i].a.x);
        EXPECT_EQ(shared.orientations[i].c.z, fresh.orientations[i].c.z);
    }
    ASSERT_EQ(shared.phi_angles.size(), 2u);
    EXPECT_EQ(shared.phi_angles[0], fresh.phi_angles[0]);
    EXPECT_EQ(shared.phi_angles[1], fresh.phi_angles[1]);
    EXPECT_EQ(shared.structure_factors->default_F, 10.0);
}

TEST(BatchSeries, IndexedLegacyNamesKeepTheExtension) {
    EXPECT_EQ(indexed_file_name("floatimage.bin", 3), "floatimage_00003.bin");
    EXPECT_EQ(indexed_file_name("out/run.1/image.img", 12), "out/run.1/image_00012.img");
    EXPECT_EQ(indexed_file_name("out/run.1/image", 0), "out/run.1/image_00000");
    EXPECT_EQ(indexed_file_name(".hidden", 7), ".hidden_00007");
    EXPECT_EQ(indexed_file_name("a.tar.gz", 100000), "a.tar_100000.gz");
}
