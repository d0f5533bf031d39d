// The nanoBragg command-line dialect: exact flag matching, values and units, synonyms,
// the order rules (later flags win), and one-line errors for unusable input.
#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;

namespace {

constexpr double kDeg = M_PI / 180.0;

std::vector<std::string> argv_of(std::initializer_list<std::string> args) {
    std::vector<std::string> v{"tilebragg"};
    v.insert(v.end(), args.begin(), args.end());
    return v;
}

Params parse(std::initializer_list<std::string> args) { return parse_command_line(argv_of(args)).params; }

// The InputError message for `args`; fails the test if nothing is thrown.
std::string error_of(std::initializer_list<std::string> args) {
    try {
        parse_command_line(argv_of(args));
    } catch (const InputError& e) {
        return e.what();
    }
    ADD_FAILURE() << "no InputError thrown";
    return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

// ---------------------------------------------------------------------------------
// Defaults

TEST(CommandLine, NoArgumentsGivesTheReferenceDefaults) {
    const Params p = parse({});
    EXPECT_DOUBLE_EQ(p.distance, 0.1);
    EXPECT_DOUBLE_EQ(p.lambda0, 1e-10);
    EXPECT_DOUBLE_EQ(p.pixel_size, 1e-4);
    EXPECT_DOUBLE_EQ(p.detsize_f, 0.1024);
    EXPECT_DOUBLE_EQ(p.detsize_s, 0.1024);
    EXPECT_EQ(p.convention, Convention::Mosflm);
    EXPECT_EQ(p.pivot, Pivot::Beam);
    EXPECT_EQ(p.shape, LatticeShape::Square);
    EXPECT_EQ(p.interpolation, Interpolation::Auto);
    EXPECT_EQ(p.precision, Precision::Float);
    EXPECT_FALSE(p.user_cell);
    EXPECT_FALSE(p.misset_given);
    EXPECT_FALSE(p.curved_detector);
    EXPECT_FALSE(p.printout);
    EXPECT_TRUE(p.progress);
    EXPECT_TRUE(p.write_noise);
    EXPECT_TRUE(p.write_pgm);
    EXPECT_EQ(p.mosaic_seed, -12345678);
    EXPECT_FALSE(p.seed_given);
    EXPECT_TRUE(std::isnan(p.Xbeam));
    EXPECT_TRUE(std::isnan(p.close_distance));
}

TEST(CommandLine, KeepsTheArgumentsForTheLog) {
    const auto args = argv_of({"-N", "5", "-nonoise"});
    EXPECT_EQ(parse_command_line(args).params.command_line, args);
}

TEST(CommandLine, HelpFlags) {
    for (const char* h : {"-h", "-help", "--help"}) {
        EXPECT_TRUE(parse_command_line(argv_of({h})).help_requested) << h;
    }
    EXPECT_FALSE(parse_command_line(argv_of({"-N", "3"})).help_requested);
    const ParsedCommandLine md = parse_command_line(argv_of({"--help-markdown"}));
    EXPECT_TRUE(md.markdown_help_requested);
    EXPECT_FALSE(md.help_requested);
}

// ---------------------------------------------------------------------------------
// Exact matching: the reference's substring matches do not leak into other flags.

TEST(CommandLine, MissetSeedDoesNotSetAMisset) {
    // In the reference "-misset" also matches "-misset_seed" and, with three more
    // arguments after it, reads them as misset angles.
    const Params p = parse({"-misset_seed", "5", "-N", "5"});
    EXPECT_FALSE(p.misset_given);
    EXPECT_FALSE(p.misset_random);
    EXPECT_EQ(p.misset_seed, -5);
    EXPECT_TRUE(p.misset_seed_given);
    EXPECT_FALSE(p.seed_given);
    EXPECT_DOUBLE_EQ(p.Na, 5);
}

TEST(CommandLine, CurvedDetectorAsTheLastArgument) {
    EXPECT_TRUE(parse({"-curved_det"}).curved_detector);
    EXPECT_TRUE(parse({"-N", "2", "-curved_det"}).curved_detector);
}

TEST(CommandLine, TwothetaAxisDoesNotSetTwotheta) {
    const Params p = parse({"-twotheta_axis", "0", "1", "0"});
    EXPECT_EQ(p.twotheta, 0.0);
    EXPECT_EQ(p.twotheta_axis.x, 0.0);
    EXPECT_EQ(p.twotheta_axis.y, 1.0);
    EXPECT_EQ(p.twotheta_axis.z, 0.0);
    EXPECT_EQ(p.convention, Convention::Custom);
    EXPECT_EQ(p.pivot, Pivot::Beam);  // only -twotheta itself moves the pivot
}

TEST(CommandLine, PrintoutPixelTurnsPrintoutOn) {
    const Params p = parse({"-printout_pixel", "12", "34"});
    EXPECT_TRUE(p.printout);
    EXPECT_EQ(p.printout_fpixel, 12);
    EXPECT_EQ(p.printout_spixel, 34);
    const Params q = parse({"-printout"});
    EXPECT_TRUE(q.printout);
    EXPECT_EQ(q.printout_fpixel, -1);
}

TEST(CommandLine, ProgressSwitchesLastOneWins) {
    EXPECT_FALSE(parse({"-noprogress"}).progress);
    EXPECT_TRUE(parse({"-noprogress", "-progress"}).progress);
    EXPECT_FALSE(parse({"-progress", "-noprogress"}).progress);
}

TEST(CommandLine, SeedFlagsAreSeparate) {
    const Params p = parse({"-mosaic_seed", "4242"});
    EXPECT_EQ(p.mosaic_seed, -4242);
    EXPECT_FALSE(p.seed_given);
    EXPECT_FALSE(p.misset_seed_given);
    const Params q = parse({"-seed", "99"});
    EXPECT_EQ(q.seed, -99);
    EXPECT_TRUE(q.seed_given);
    EXPECT_EQ(q.mosaic_seed, -12345678);
    // Seeds are stored negated, as the reference stores them.
    EXPECT_EQ(parse({"-seed", "-7"}).seed, 7);
}

TEST(CommandLine, PrefixesOfFlagsAreUnknown) {
    for (const char* flag : {"-dist", "-distances", "-Xbea", "-mosaic_s", "-detpixel", "-cel"}) {
        const std::string msg = error_of({flag, "1"});
        EXPECT_TRUE(contains(msg, flag)) << msg;
    }
}

// ---------------------------------------------------------------------------------
// Errors

TEST(CommandLineErrors, UnknownFlagIsNamed) {
    const std::string msg = error_of({"-N", "5", "-frobnicate", "3"});
    EXPECT_TRUE(contains(msg, "unknown flag")) << msg;
    EXPECT_TRUE(contains(msg, "-frobnicate")) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line";
}

TEST(CommandLineErrors, ReferenceFlagsWithoutEffectAreUnknown) {
    // The reference parses these but nothing it computes depends on them.
    for (const char* flag : {"-coherent", "-density", "-MW", "-stol", "-4stol", "-Q", "-stolout"}) {
        EXPECT_TRUE(contains(error_of({flag, "1"}), flag)) << flag;
    }
}

TEST(CommandLineErrors, StrayValueIsRefused) {
    const std::string msg = error_of({"-N", "5", "7"});
    EXPECT_TRUE(contains(msg, "'7'")) << msg;
}

TEST(CommandLineErrors, MalformedNumbersNameFlagAndValue) {
    std::string msg = error_of({"-distance", "abc"});
    EXPECT_TRUE(contains(msg, "-distance")) << msg;
    EXPECT_TRUE(contains(msg, "abc")) << msg;
    msg = error_of({"-lambda", "1.5A"});
    EXPECT_TRUE(contains(msg, "-lambda")) << msg;
    EXPECT_TRUE(contains(msg, "1.5A")) << msg;
    EXPECT_TRUE(contains(error_of({"-distance", "1e999"}), "-distance"));
    EXPECT_TRUE(contains(error_of({"-phi", "nan"}), "-phi"));
    EXPECT_TRUE(contains(error_of({"-phi", "inf"}), "-phi"));
    // -misset's optional angles stop at a word, which is then a stray argument.
    EXPECT_TRUE(contains(error_of({"-misset", "1", "x", "3"}), "'x'"));
    EXPECT_TRUE(contains(error_of({"-fdet_vector", "0", "0", "one"}), "-fdet_vector"));
}

TEST(CommandLineErrors, IntegerFlagsMustBeIntegers) {
    // The reference reads these with atoi: "5.5" would be 5 and "abc" 0.
    for (const char* flag : {"-N", "-Na", "-detpixels", "-oversample", "-phisteps", "-mosaic_domains", "-dispsteps"}) {
        EXPECT_TRUE(contains(error_of({flag, "5.5"}), flag)) << flag;
        EXPECT_TRUE(contains(error_of({flag, "abc"}), flag)) << flag;
    }
    EXPECT_TRUE(contains(error_of({"-seed", "1.5"}), "-seed"));
    EXPECT_TRUE(contains(error_of({"-roi", "0", "10", "0", "9.5"}), "-roi"));
    EXPECT_TRUE(contains(error_of({"-detpixels", "99999999999"}), "-detpixels"));
    // A whole number in exponent or decimal notation is that number.
    EXPECT_EQ(parse({"-detpixels", "6.4e1"}).fpixels, 64);
    EXPECT_EQ(parse({"-mosaic_dom", "2e9"}).mosaic_domains, 2000000000);
    EXPECT_EQ(error_of({"-detpixels", "1e30"}), "flag -detpixels: '1e30' is out of range");
}

TEST(CommandLineErrors, NegativeCountsAreMistakesNotUnset) {
    for (const char* flag : {"-phisteps", "-mosaic_domains", "-oversample", "-dispsteps", "-detector_thicksteps",
                             "-hdivsteps", "-vdivsteps", "-divsteps"})
        EXPECT_EQ(error_of({flag, "-2"}), std::string("flag ") + flag + ": value -2 must not be negative") << flag;
    // 0 keeps the reference's meaning (automatic; one phi step).
    EXPECT_EQ(parse({"-oversample", "0"}).oversample, 0);
    EXPECT_EQ(parse({"-phisteps", "0"}).phisteps, 0);
}

TEST(CommandLineErrors, NumbersBeyondADoubleAreOutOfRange) {
    EXPECT_EQ(error_of({"-distance", "1e309"}), "flag -distance: '1e309' is out of range (beyond 1.8e+308)");
    EXPECT_EQ(error_of({"-lambda", "1e-320"}), "flag -lambda: '1e-320' is out of range (closer to zero than 2.2e-308)");
    EXPECT_EQ(error_of({"-distance", "-1e400"}), "flag -distance: '-1e400' is out of range (beyond 1.8e+308)");
}

TEST(CommandLineErrors, TooFewValues) {
    std::string msg = error_of({"-cell"});
    EXPECT_TRUE(contains(msg, "-cell")) << msg;
    msg = error_of({"-roi", "1", "2"});
    EXPECT_TRUE(contains(msg, "-roi")) << msg;
    EXPECT_TRUE(contains(msg, "got 2")) << msg;
    // A flag in place of a required value is not taken as the value.
    msg = error_of({"-roi", "1", "2", "3", "-N", "5"});
    EXPECT_TRUE(contains(msg, "-roi")) << msg;
    EXPECT_TRUE(contains(error_of({"-distance"}), "-distance"));
    EXPECT_TRUE(contains(error_of({"-beam_vector", "1", "0"}), "-beam_vector"));
    EXPECT_TRUE(contains(error_of({"-printout_pixel", "3"}), "-printout_pixel"));
    EXPECT_TRUE(contains(error_of({"-hkl"}), "-hkl"));
}

TEST(CommandLineErrors, MissetNeedsThreeAnglesOrRandom) {
    EXPECT_TRUE(contains(error_of({"-misset", "10", "20"}), "-misset"));
    EXPECT_TRUE(contains(error_of({"-misset", "rand"}), "-misset"));
    EXPECT_TRUE(contains(error_of({"-misset"}), "-misset"));
}

TEST(CommandLineErrors, PhysicallyImpossibleValues) {
    EXPECT_TRUE(contains(error_of({"-pixel", "0"}), "-pixel"));
    EXPECT_TRUE(contains(error_of({"-distance", "-100"}), "-distance"));
    EXPECT_TRUE(contains(error_of({"-lambda", "0"}), "-lambda"));
    EXPECT_TRUE(contains(error_of({"-energy", "-5"}), "-energy"));
    EXPECT_TRUE(contains(error_of({"-N", "0"}), "-N"));
    EXPECT_TRUE(contains(error_of({"-Nb", "-3"}), "-Nb"));
    EXPECT_TRUE(contains(error_of({"-detpixels", "0"}), "-detpixels"));
    EXPECT_TRUE(contains(error_of({"-detsize", "0"}), "-detsize"));
    EXPECT_TRUE(contains(error_of({"-cell", "0"}), "-cell"));
    EXPECT_TRUE(contains(error_of({"-cell", "100", "-5"}), "-cell"));
    EXPECT_TRUE(contains(error_of({"-dispersion", "-1"}), "-dispersion"));
    EXPECT_TRUE(contains(error_of({"-dmin", "-1"}), "-dmin"));
    EXPECT_TRUE(contains(error_of({"-detector_abs", "-10"}), "-detector_abs"));
    EXPECT_TRUE(contains(error_of({"-fluence", "0"}), "-fluence"));
}

TEST(CommandLineErrors, WordValuesMustBeKnown) {
    EXPECT_TRUE(contains(error_of({"-pivot", "detector"}), "-pivot"));
    EXPECT_TRUE(contains(error_of({"-precision", "half"}), "-precision"));
}

// ---------------------------------------------------------------------------------
// Values, units and synonyms

TEST(CommandLine, CellTakesOneToSixNumbers) {
    Params p = parse({"-cell", "100"});
    EXPECT_TRUE(p.user_cell);
    EXPECT_DOUBLE_EQ(p.cell_a, 100e-10);
    EXPECT_EQ(p.cell_b, 0.0);  // setup fills in b = c = a and 90 degree angles
    EXPECT_EQ(p.cell_gamma, 0.0);

    p = parse({"-cell", "70", "80", "90", "75", "85", "95", "-N", "3"});
    EXPECT_DOUBLE_EQ(p.cell_a, 70e-10);
    EXPECT_DOUBLE_EQ(p.cell_b, 80e-10);
    EXPECT_DOUBLE_EQ(p.cell_c, 90e-10);
    EXPECT_NEAR(p.cell_alpha, 75 * kDeg, 1e-15);
    EXPECT_NEAR(p.cell_beta, 85 * kDeg, 1e-15);
    EXPECT_NEAR(p.cell_gamma, 95 * kDeg, 1e-15);
    EXPECT_DOUBLE_EQ(p.Na, 3);

    // The optional values stop at the next flag.
    p = parse({"-cell", "50", "60", "-N", "4"});
    EXPECT_DOUBLE_EQ(p.cell_a, 50e-10);
    EXPECT_DOUBLE_EQ(p.cell_b, 60e-10);
    EXPECT_EQ(p.cell_c, 0.0);
    EXPECT_DOUBLE_EQ(p.Nc, 4);
}

TEST(CommandLine, MissetRandomAndNegativeAngles) {
    Params p = parse({"-misset", "random"});
    EXPECT_TRUE(p.misset_given);
    EXPECT_TRUE(p.misset_random);

    p = parse({"-misset", "-89.968546", "-31.328953", "177.753396", "-N", "5"});
    EXPECT_TRUE(p.misset_given);
    EXPECT_FALSE(p.misset_random);
    EXPECT_NEAR(p.misset.x, -89.968546 * kDeg, 1e-15);
    EXPECT_NEAR(p.misset.y, -31.328953 * kDeg, 1e-15);
    EXPECT_NEAR(p.misset.z, 177.753396 * kDeg, 1e-14);
    EXPECT_DOUBLE_EQ(p.Na, 5);

    // An explicit misset after a random one replaces it.
    p = parse({"-misset", "random", "-misset", "1", "2", "3"});
    EXPECT_FALSE(p.misset_random);
    EXPECT_NEAR(p.misset.z, 3 * kDeg, 1e-15);
}

TEST(CommandLine, NegativeNumbersAreValuesNotFlags) {
    const Params p = parse({"-detector_rotx", "-5", "-phi", "-1.5", "-fdet_vector", "-1", "0", "-0.5", "-Xbeam", "-2"});
    EXPECT_NEAR(p.detector_rotx, -5 * kDeg, 1e-15);
    EXPECT_NEAR(p.phi0, -1.5 * kDeg, 1e-15);
    EXPECT_EQ(p.fdet.x, -1.0);
    EXPECT_EQ(p.fdet.z, -0.5);
    EXPECT_DOUBLE_EQ(p.Xbeam, -0.002);
}

TEST(CommandLine, LengthUnits) {
    const Params p = parse({"-distance", "100",  "-close_distance", "90",    "-pixel",  "0.172", "-detsize", "40",
                            "-Xbeam",    "8",    "-Ybeam",          "12.5",  "-Xclose", "3",     "-Yclose",  "4",
                            "-beamsize", "0.01", "-xtalsize",       "0.0004"});
    EXPECT_DOUBLE_EQ(p.distance, 0.1);
    EXPECT_DOUBLE_EQ(p.close_distance, 0.09);
    EXPECT_DOUBLE_EQ(p.pixel_size, 0.172e-3);
    EXPECT_DOUBLE_EQ(p.detsize_f, 0.04);
    EXPECT_DOUBLE_EQ(p.detsize_s, 0.04);
    EXPECT_DOUBLE_EQ(p.Xbeam, 0.008);
    EXPECT_DOUBLE_EQ(p.Ybeam, 0.0125);
    EXPECT_DOUBLE_EQ(p.Xclose, 0.003);
    EXPECT_DOUBLE_EQ(p.Yclose, 0.004);
    EXPECT_DOUBLE_EQ(p.beamsize, 1e-5);
    EXPECT_DOUBLE_EQ(p.sample_x, 4e-7);
    EXPECT_DOUBLE_EQ(p.sample_y, 4e-7);
    EXPECT_DOUBLE_EQ(p.sample_z, 4e-7);

    const Params q = parse({"-lambda", "1.5", "-dmin", "2", "-water", "0.2", "-detector_thick", "100", "-detector_abs",
                            "320", "-ORGX", "80", "-ORGY", "120.5"});
    EXPECT_DOUBLE_EQ(q.lambda0, 1.5e-10);
    EXPECT_DOUBLE_EQ(q.dmin, 2e-10);
    EXPECT_DOUBLE_EQ(q.water_size, 2e-7);
    EXPECT_DOUBLE_EQ(q.detector_thick, 1e-4);
    EXPECT_DOUBLE_EQ(q.detector_mu, 1.0 / 320e-6);
    EXPECT_EQ(q.ORGX, 80.0);  // pixels, not converted
    EXPECT_EQ(q.ORGY, 120.5);
}

TEST(CommandLine, AngleUnits) {
    const Params p =
        parse({"-detector_rotx", "10",  "-detector_roty", "90",  "-detector_rotz", "-2",   "-twotheta", "15",
               "-phi",           "5",   "-osc",           "3",   "-phistep",       "0.75", "-mosaic",   "0.5",
               "-divergence",    "0.8", "-hdivstep",      "0.1", "-vdivstep",      "0.2"});
    EXPECT_NEAR(p.detector_rotx, 10 * kDeg, 1e-15);
    EXPECT_NEAR(p.detector_roty, M_PI / 2, 1e-15);
    EXPECT_NEAR(p.detector_rotz, -2 * kDeg, 1e-15);
    EXPECT_NEAR(p.twotheta, 15 * kDeg, 1e-15);
    EXPECT_NEAR(p.phi0, 5 * kDeg, 1e-15);
    EXPECT_NEAR(p.osc, 3 * kDeg, 1e-15);
    EXPECT_NEAR(p.phistep, 0.75 * kDeg, 1e-15);
    EXPECT_NEAR(p.mosaic_spread, 0.5 * kDeg, 1e-15);
    // divergence in mrad
    EXPECT_DOUBLE_EQ(p.hdivrange, 8e-4);
    EXPECT_DOUBLE_EQ(p.vdivrange, 8e-4);
    EXPECT_DOUBLE_EQ(p.hdivstep, 1e-4);
    EXPECT_DOUBLE_EQ(p.vdivstep, 2e-4);
}

TEST(CommandLine, EnergyInElectronVoltsGivesTheWavelength) {
    EXPECT_DOUBLE_EQ(parse({"-energy", "12398.42"}).lambda0, 1e-10);
    EXPECT_DOUBLE_EQ(parse({"-energy", "6199.21"}).lambda0, 2e-10);
    // The later of -energy and -lambda wins.
    EXPECT_DOUBLE_EQ(parse({"-energy", "6199.21", "-lambda", "1.5"}).lambda0, 1.5e-10);
    EXPECT_DOUBLE_EQ(parse({"-lambda", "1.5", "-energy", "12398.42"}).lambda0, 1e-10);
}

TEST(CommandLine, DispersionPercentAndCounts) {
    const Params p = parse({"-dispersion", "0.5", "-dispsteps", "3", "-divsteps", "4", "-hdivrange", "1.0",
                            "-vdivrange", "0.6", "-hdivsteps", "5"});
    EXPECT_DOUBLE_EQ(p.dispersion, 0.005);
    EXPECT_EQ(p.dispsteps, 3);
    EXPECT_EQ(p.hdivsteps, 5);  // later -hdivsteps overrides -divsteps
    EXPECT_EQ(p.vdivsteps, 4);
    EXPECT_DOUBLE_EQ(p.hdivrange, 1e-3);
    EXPECT_DOUBLE_EQ(p.vdivrange, 6e-4);
}

TEST(CommandLine, DetectorAbsorptionSpecialValues) {
    for (const char* v : {"inf", "infinity", "0"}) {
        const Params p = parse({"-detector_thick", "100", "-detector_abs", v});
        EXPECT_EQ(p.detector_mu, 0.0) << v;
        EXPECT_EQ(p.detector_thick, 0.0) << v;  // as the reference: no sensor at all
    }
    EXPECT_EQ(parse({"-detector_thicksteps", "3"}).detector_thicksteps, 3);
    EXPECT_EQ(parse({"-thicksteps", "4"}).detector_thicksteps, 4);
}

TEST(CommandLine, CrystalSizeSynonyms) {
    for (const char* flag : {"-samplesize", "-sample_size", "-xtalsize", "-xtal_size"}) {
        const Params p = parse({flag, "0.002"});
        EXPECT_DOUBLE_EQ(p.sample_x, 2e-6) << flag;
        EXPECT_DOUBLE_EQ(p.sample_y, 2e-6) << flag;
        EXPECT_DOUBLE_EQ(p.sample_z, 2e-6) << flag;
    }
    for (const char* flag : {"-sample_thick", "-sample_x", "-xtal_thick", "-xtal_x"}) {
        const Params p = parse({flag, "0.003"});
        EXPECT_DOUBLE_EQ(p.sample_x, 3e-6) << flag;
        EXPECT_EQ(p.sample_y, 0.0) << flag;
    }
    for (const char* flag : {"-sample_width", "-sample_y", "-xtal_width", "-xtal_y", "-width"}) {
        const Params p = parse({flag, "0.004"});
        EXPECT_DOUBLE_EQ(p.sample_y, 4e-6) << flag;
        EXPECT_EQ(p.sample_z, 0.0) << flag;
    }
    for (const char* flag : {"-sample_height", "-sample_z", "-xtal_height", "-xtal_z", "-height"}) {
        const Params p = parse({flag, "0.005"});
        EXPECT_DOUBLE_EQ(p.sample_z, 5e-6) << flag;
        EXPECT_EQ(p.sample_x, 0.0) << flag;
    }
}

TEST(CommandLine, OtherSynonyms) {
    EXPECT_EQ(parse({"-mat", "A.mat"}).matrix_file, "A.mat");
    EXPECT_EQ(parse({"-matrix", "B.mat"}).matrix_file, "B.mat");
    EXPECT_DOUBLE_EQ(parse({"-wave", "6.2"}).lambda0, 6.2e-10);
    EXPECT_DOUBLE_EQ(parse({"-lambda", "6.2"}).lambda0, 6.2e-10);
    EXPECT_EQ(parse({"-mosaic_dom", "12"}).mosaic_domains, 12);
    EXPECT_EQ(parse({"-mosaic_domains", "13"}).mosaic_domains, 13);
    for (const char* flag : {"-mosaic", "-mosaici", "-mosaic_spread"})
        EXPECT_NEAR(parse({flag, "1"}).mosaic_spread, kDeg, 1e-15) << flag;
    EXPECT_EQ(parse({"-dump", "a.bin"}).fdump_file, "a.bin");
    EXPECT_EQ(parse({"-dumpfile", "b.bin"}).fdump_file, "b.bin");
    EXPECT_EQ(parse({"-floatimage", "f.bin"}).floatfile, "f.bin");
    EXPECT_EQ(parse({"-floatfile", "g.bin"}).floatfile, "g.bin");
    EXPECT_EQ(parse({"-intimage", "i.img"}).intfile, "i.img");
    EXPECT_EQ(parse({"-intfile", "j.img"}).intfile, "j.img");
    EXPECT_EQ(parse({"-noiseimage", "n.img"}).noisefile, "n.img");
    EXPECT_EQ(parse({"-pgmimage", "p.pgm"}).pgmfile, "p.pgm");
    EXPECT_EQ(parse({"-tophat_spots"}).shape, LatticeShape::Tophat);
    EXPECT_EQ(parse({"-binary_spots"}).shape, LatticeShape::Tophat);
    EXPECT_EQ(parse({"-round_xtal"}).shape, LatticeShape::Round);
    EXPECT_EQ(parse({"-gauss_xtal"}).shape, LatticeShape::Gauss);
    EXPECT_EQ(parse({"-round_xtal", "-square_xtal"}).shape, LatticeShape::Square);
    const Params d = parse({"-detpixels_x", "100", "-detpixels_y", "50"});
    EXPECT_EQ(d.fpixels, 100);
    EXPECT_EQ(d.spixels, 50);
    const Params e = parse({"-detpixels_f", "30", "-detpixels_s", "20"});
    EXPECT_EQ(e.fpixels, 30);
    EXPECT_EQ(e.spixels, 20);
    const Params f = parse({"-detpixels", "64"});
    EXPECT_EQ(f.fpixels, 64);
    EXPECT_EQ(f.spixels, 64);
    const Params g = parse({"-detsize_f", "20", "-detsize_s", "30"});
    EXPECT_DOUBLE_EQ(g.detsize_f, 0.02);
    EXPECT_DOUBLE_EQ(g.detsize_s, 0.03);
}

TEST(CommandLine, CellCountsAndShapes) {
    const Params p = parse({"-N", "5", "-Nb", "7"});
    EXPECT_DOUBLE_EQ(p.Na, 5);
    EXPECT_DOUBLE_EQ(p.Nb, 7);
    EXPECT_DOUBLE_EQ(p.Nc, 5);
    const Params q = parse({"-Nb", "7", "-N", "5"});
    EXPECT_DOUBLE_EQ(q.Nb, 5);  // in command-line order
    EXPECT_DOUBLE_EQ(parse({"-fudge", "1.5"}).fudge, 1.5);
}

TEST(CommandLine, InputFilesAndDefaultF) {
    const Params p = parse({"-hkl", "P1.hkl", "-sourcefile", "s.txt", "-default_F", "100"});
    EXPECT_EQ(p.hkl_file, "P1.hkl");
    EXPECT_EQ(p.source_file, "s.txt");
    EXPECT_DOUBLE_EQ(p.default_F, 100);
}

// ---------------------------------------------------------------------------------
// Order rules: pivot, convention, switches

TEST(CommandLinePivot, LaterFlagWins) {
    EXPECT_EQ(parse({"-twotheta", "10"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-twotheta", "10", "-distance", "100"}).pivot, Pivot::Beam);
    EXPECT_EQ(parse({"-distance", "100", "-twotheta", "10"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-close_distance", "100"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-close_distance", "100", "-Xbeam", "3"}).pivot, Pivot::Beam);
    EXPECT_EQ(parse({"-Ybeam", "3", "-Xclose", "3"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-Yclose", "3"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-ORGX", "3"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-ORGY", "3", "-pivot", "beam"}).pivot, Pivot::Beam);
    EXPECT_EQ(parse({"-pivot", "sample"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-pivot", "sample", "-distance", "90"}).pivot, Pivot::Beam);
}

TEST(CommandLinePivot, ConventionFlagsSetTheirPivot) {
    EXPECT_EQ(parse({"-xds"}).convention, Convention::Xds);
    EXPECT_EQ(parse({"-xds"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-dials"}).convention, Convention::Dials);
    EXPECT_EQ(parse({"-dials"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-adxv"}).convention, Convention::Adxv);
    EXPECT_EQ(parse({"-adxv"}).pivot, Pivot::Beam);
    EXPECT_EQ(parse({"-denzo"}).convention, Convention::Denzo);
    EXPECT_EQ(parse({"-pivot", "sample", "-mosflm"}).pivot, Pivot::Beam);
    EXPECT_EQ(parse({"-mosflm", "-pivot", "sample"}).pivot, Pivot::Sample);
    EXPECT_EQ(parse({"-xds", "-mosflm"}).convention, Convention::Mosflm);
}

TEST(CommandLinePivot, VectorsSelectTheCustomConvention) {
    for (const char* flag : {"-fdet_vector", "-sdet_vector", "-odet_vector", "-beam_vector", "-polar_vector",
                             "-spindle_axis", "-twotheta_axis", "-pix0_vector"}) {
        const Params p = parse({"-xds", flag, "0", "0.5", "1"});
        EXPECT_EQ(p.convention, Convention::Custom) << flag;
        EXPECT_EQ(p.pivot, Pivot::Sample) << flag << ": the vector flags leave the pivot alone";
    }
    const Params p = parse({"-fdet_vector",  "1",   "2",      "3",      "-sdet_vector",  "4", "5", "6",
                            "-odet_vector",  "7",   "8",      "9",      "-beam_vector",  "0", "0", "1",
                            "-polar_vector", "0",   "1",      "0",      "-spindle_axis", "1", "0", "0",
                            "-pix0_vector",  "0.1", "0.0064", "-0.0064"});
    EXPECT_EQ(p.fdet.y, 2.0);
    EXPECT_EQ(p.sdet.z, 6.0);
    EXPECT_EQ(p.odet.x, 7.0);
    EXPECT_EQ(p.beam.z, 1.0);
    EXPECT_EQ(p.polar_axis.y, 1.0);
    EXPECT_EQ(p.spindle.x, 1.0);
    ASSERT_TRUE(p.pix0.has_value());
    EXPECT_EQ(p.pix0->x, 0.1);
    EXPECT_EQ(p.pix0->z, -0.0064);
    // A convention flag after the vectors selects that convention again.
    EXPECT_EQ(parse({"-beam_vector", "0", "0", "1", "-adxv"}).convention, Convention::Adxv);
}

TEST(CommandLine, SwitchesInOrder) {
    EXPECT_FALSE(parse({"-nonoise"}).write_noise);
    EXPECT_TRUE(parse({"-nonoise", "-noisefile", "n.img"}).write_noise);
    EXPECT_FALSE(parse({"-noisefile", "n.img", "-nonoise"}).write_noise);
    EXPECT_FALSE(parse({"-nopgm"}).write_pgm);
    EXPECT_TRUE(parse({"-nopgm", "-pgmscale", "2"}).write_pgm);
    EXPECT_TRUE(parse({"-nopgm", "-pgmfile", "x.pgm"}).write_pgm);
    EXPECT_TRUE(parse({"-nopolar"}).nopolar);
    const Params p = parse({"-nopolar", "-polar", "0.9"});
    EXPECT_FALSE(p.nopolar);
    EXPECT_DOUBLE_EQ(p.polarization, 0.9);
    EXPECT_EQ(parse({"-interpolate"}).interpolation, Interpolation::On);
    EXPECT_EQ(parse({"-interpolate", "-nointerpolate"}).interpolation, Interpolation::Off);
    EXPECT_FALSE(parse({"-square_div"}).round_div);
    EXPECT_TRUE(parse({"-square_div", "-round_div"}).round_div);
    EXPECT_TRUE(parse({"-point_pixel"}).point_pixel);
    const Params o = parse({"-oversample", "3", "-oversample_thick", "-oversample_polar", "-oversample_omega"});
    EXPECT_EQ(o.oversample, 3);
    EXPECT_TRUE(o.oversample_thick);
    EXPECT_TRUE(o.oversample_polar);
    EXPECT_TRUE(o.oversample_omega);
    EXPECT_EQ(parse({"-precision", "double"}).precision, Precision::Double);
    EXPECT_EQ(parse({"-precision", "double", "-precision", "float"}).precision, Precision::Float);
}

TEST(CommandLine, OutputScalesAndFlux) {
    const Params p =
        parse({"-scale", "2.5", "-pgmscale", "3", "-adc", "10", "-flux", "1e12", "-exposure", "2", "-fluence", "1e20"});
    EXPECT_DOUBLE_EQ(p.intfile_scale, 2.5);
    EXPECT_DOUBLE_EQ(p.pgm_scale, 3);
    EXPECT_DOUBLE_EQ(p.adc_offset, 10);
    EXPECT_DOUBLE_EQ(p.flux, 1e12);
    EXPECT_DOUBLE_EQ(p.exposure, 2);
    EXPECT_DOUBLE_EQ(p.fluence, 1e20);
}

TEST(CommandLine, RegionOfInterestIsInclusiveAndVerbatim) {
    const Params p = parse({"-roi", "40", "150", "60", "170"});
    EXPECT_EQ(p.roi.fast_min, 40);
    EXPECT_EQ(p.roi.fast_max, 150);
    EXPECT_EQ(p.roi.slow_min, 60);
    EXPECT_EQ(p.roi.slow_max, 170);
}

TEST(CommandLine, SamplingCounts) {
    const Params p = parse({"-phisteps", "4", "-oversample", "2", "-mosaic_domains", "3", "-vdivsteps", "2"});
    EXPECT_EQ(p.phisteps, 4);
    EXPECT_EQ(p.oversample, 2);
    EXPECT_EQ(p.mosaic_domains, 3);
    EXPECT_EQ(p.vdivsteps, 2);
    EXPECT_EQ(p.hdivsteps, -1);
}

// ---------------------------------------------------------------------------------
// Every option the issue lists is accepted and shown by -h.

TEST(CommandLine, EveryOptionOfTheIssueIsInTheUsage) {
    std::ostringstream usage;
    print_usage(usage);
    std::istringstream words(usage.str());
    std::vector<std::string> tokens;
    for (std::string w; words >> w;) tokens.push_back(w);
    const char* names[] = {"-hkl",
                           "-mat",
                           "-matrix",
                           "-cell",
                           "-img",
                           "-mask",
                           "-sourcefile",
                           "-default_F",
                           "-pixel",
                           "-detpixels",
                           "-detpixels_f",
                           "-detpixels_s",
                           "-detpixels_x",
                           "-detpixels_y",
                           "-detsize",
                           "-detsize_f",
                           "-detsize_s",
                           "-distance",
                           "-close_distance",
                           "-point_pixel",
                           "-detector_rotx",
                           "-detector_roty",
                           "-detector_rotz",
                           "-twotheta",
                           "-twotheta_axis",
                           "-curved_det",
                           "-detector_abs",
                           "-detector_thick",
                           "-detector_thicksteps",
                           "-thicksteps",
                           "-mosflm",
                           "-xds",
                           "-adxv",
                           "-denzo",
                           "-dials",
                           "-pivot",
                           "-fdet_vector",
                           "-sdet_vector",
                           "-odet_vector",
                           "-beam_vector",
                           "-polar_vector",
                           "-spindle_axis",
                           "-pix0_vector",
                           "-Xbeam",
                           "-Ybeam",
                           "-Xclose",
                           "-Yclose",
                           "-ORGX",
                           "-ORGY",
                           "-lambda",
                           "-wave",
                           "-energy",
                           "-dispersion",
                           "-dispsteps",
                           "-divergence",
                           "-hdivrange",
                           "-vdivrange",
                           "-hdivstep",
                           "-vdivstep",
                           "-hdivsteps",
                           "-vdivsteps",
                           "-divsteps",
                           "-round_div",
                           "-square_div",
                           "-polar",
                           "-nopolar",
                           "-fluence",
                           "-flux",
                           "-exposure",
                           "-beamsize",
                           "-N",
                           "-Na",
                           "-Nb",
                           "-Nc",
                           "-samplesize",
                           "-xtalsize",
                           "-square_xtal",
                           "-round_xtal",
                           "-gauss_xtal",
                           "-tophat_spots",
                           "-binary_spots",
                           "-fudge",
                           "-mosaic",
                           "-mosaici",
                           "-mosaic_spread",
                           "-mosaic_domains",
                           "-mosaic_dom",
                           "-misset",
                           "-phi",
                           "-osc",
                           "-phistep",
                           "-phisteps",
                           "-dmin",
                           "-oversample",
                           "-oversample_thick",
                           "-oversample_polar",
                           "-oversample_omega",
                           "-roi",
                           "-water",
                           "-interpolate",
                           "-nointerpolate",
                           "-floatfile",
                           "-floatimage",
                           "-intfile",
                           "-intimage",
                           "-noisefile",
                           "-noiseimage",
                           "-pgmfile",
                           "-pgmimage",
                           "-scale",
                           "-adc",
                           "-pgmscale",
                           "-nonoise",
                           "-nopgm",
                           "-seed",
                           "-mosaic_seed",
                           "-misset_seed",
                           "-printout",
                           "-printout_pixel",
                           "-noprogress",
                           "-progress",
                           "-h",
                           "--help",
                           "-precision"};
    for (const char* name : names) {
        EXPECT_NE(std::find(tokens.begin(), tokens.end(), name), tokens.end()) << name << " missing from -h";
    }
}

// ---------------------------------------------------------------------------------
// -img / -mask header defaults

namespace {

// A 4x3 SMV image with the given header lines (each "KEY=value;").
void write_smv(const std::string& path, const std::vector<std::string>& lines, std::uint16_t fill = 1) {
    std::string header =
        "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\nSIZE1=4;\nSIZE2=3;\n";
    for (const auto& l : lines) header += l + "\n";
    header += "}\f";
    header.resize(512, ' ');
    std::string data;
    for (int i = 0; i < 12; ++i) {
        data.push_back(static_cast<char>(fill & 0xff));
        data.push_back(static_cast<char>(fill >> 8));
    }
    tilebragg::formats_test::write_file(path, header + data);
}

}  // namespace

TEST(CommandLineImageHeader, ImgHeaderSetsDefaultsThatFlagsOverride) {
    ScratchDir dir;
    const std::string img = dir.path("in.img");
    write_smv(img, {"PIXEL_SIZE=0.2;", "DISTANCE=150;", "WAVELENGTH=1.5;", "BEAM_CENTER_X=0.3;", "BEAM_CENTER_Y=0.25;",
                    "PHI=10;", "OSC_RANGE=0.5;", "TWOTHETA=20;"});
    const Params p = parse({"-img", img});
    EXPECT_EQ(p.img_file, img);
    EXPECT_EQ(p.fpixels, 4);
    EXPECT_EQ(p.spixels, 3);
    EXPECT_DOUBLE_EQ(p.pixel_size, 2e-4);
    EXPECT_DOUBLE_EQ(p.detsize_f, 8e-4);
    EXPECT_DOUBLE_EQ(p.detsize_s, 6e-4);
    EXPECT_DOUBLE_EQ(p.distance, 0.15);
    EXPECT_DOUBLE_EQ(p.lambda0, 1.5e-10);
    EXPECT_DOUBLE_EQ(p.Xbeam, 3e-4);
    EXPECT_DOUBLE_EQ(p.Ybeam, 2.5e-4);  // -img: not flipped
    EXPECT_NEAR(p.phi0, 10 * kDeg, 1e-15);
    EXPECT_NEAR(p.osc, 0.5 * kDeg, 1e-15);
    EXPECT_EQ(p.twotheta, 0.0);  // read but unused by the reference, ignored here

    // Flags win over the header wherever they stand on the command line.
    const Params q = parse({"-distance", "80", "-img", img, "-lambda", "1"});
    EXPECT_DOUBLE_EQ(q.distance, 0.08);
    EXPECT_DOUBLE_EQ(q.lambda0, 1e-10);
}

TEST(CommandLineImageHeader, MaskFlipsBeamCenterY) {
    ScratchDir dir;
    const std::string mask = dir.path("mask.img");
    write_smv(mask, {"PIXEL_SIZE=0.2;", "BEAM_CENTER_Y=0.25;"});
    const Params p = parse({"-mask", mask});
    EXPECT_EQ(p.mask_file, mask);
    EXPECT_NEAR(p.Ybeam, 6e-4 - 2.5e-4, 1e-18);  // detsize_s - value
}

TEST(CommandLineImageHeader, ImgHeaderOverridesMaskHeader) {
    ScratchDir dir;
    const std::string mask = dir.path("mask.img"), img = dir.path("in.img");
    write_smv(mask, {"PIXEL_SIZE=0.2;", "DISTANCE=150;"});
    write_smv(img, {"PIXEL_SIZE=0.2;", "DISTANCE=120;"});
    EXPECT_DOUBLE_EQ(parse({"-img", img, "-mask", mask}).distance, 0.12);
}

TEST(CommandLineImageHeader, KeysMatchExactly) {
    // The reference's lookup finds the last occurrence of the key as a substring, so its
    // DISTANCE can come from CLOSE_DISTANCE and its ORGX from XDS_ORGX.
    ScratchDir dir;
    const std::string img = dir.path("in.img");
    write_smv(img, {"CLOSE_DISTANCE=90;", "XDS_ORGX=7;", "XDS_ORGY=8;"});
    const Params p = parse({"-img", img});
    EXPECT_DOUBLE_EQ(p.distance, 0.1);  // default: no DISTANCE key
    EXPECT_DOUBLE_EQ(p.close_distance, 0.09);
    EXPECT_EQ(p.ORGX, 7.0);
    EXPECT_EQ(p.ORGY, 8.0);
    EXPECT_DOUBLE_EQ(p.pixel_size, 1e-4);  // no PIXEL_SIZE: default kept
}

TEST(CommandLineImageHeader, DistanceFlagReplacesTheHeadersCloseDistance) {
    // The reference keeps CLOSE_DISTANCE and ignores -distance; here the typed flag wins.
    ScratchDir dir;
    const std::string img = dir.path("in.img");
    write_smv(img, {"DISTANCE=150;", "CLOSE_DISTANCE=150;"});
    EXPECT_DOUBLE_EQ(parse({"-img", img}).close_distance, 0.15);
    for (const Params& p : {parse({"-img", img, "-distance", "200"}), parse({"-distance", "200", "-img", img})}) {
        EXPECT_DOUBLE_EQ(p.distance, 0.2);
        EXPECT_TRUE(std::isnan(p.close_distance));
        EXPECT_DOUBLE_EQ(p.replaced_header_close_distance, 0.15);  // for the log line
    }
    // A -close_distance the user gives still wins over -distance, as in the reference.
    const Params both = parse({"-img", img, "-close_distance", "120", "-distance", "200"});
    EXPECT_DOUBLE_EQ(both.close_distance, 0.12);
    EXPECT_TRUE(std::isnan(both.replaced_header_close_distance));
}

TEST(CommandLineImageHeader, UnreadableImageIsAnInputError) {
    ScratchDir dir;
    EXPECT_THROW(parse({"-img", dir.path("missing.img")}), InputError);
    tilebragg::formats_test::write_file(dir.path("junk.img"), "not an image");
    EXPECT_THROW(parse({"-mask", dir.path("junk.img")}), InputError);
}
