// Unit cell, reciprocal cell, misset, crystal size and orientations per (phi, mosaic
// domain), against closed forms and the cells the reference printed for the golden cases.
#include <tilebragg/command_line.hpp>
#include <tilebragg/crystal_setup.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/rotation.hpp>

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

CrystalModel crystal_of(std::initializer_list<std::string> args) {
    std::vector<std::string> log;
    return setup_crystal(parse(args), log);
}

// Full setup, with the structure-factor cache pointed at a file that does not exist.
Experiment experiment_of(std::initializer_list<std::string> args) {
    Params p = parse(args);
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return setup_experiment(p);
}

void expect_vec(const Vec3& actual, const Vec3& expected, double tol, const std::string& what) {
    EXPECT_NEAR(actual.x, expected.x, tol) << what << ".x";
    EXPECT_NEAR(actual.y, expected.y, tol) << what << ".y";
    EXPECT_NEAR(actual.z, expected.z, tol) << what << ".z";
}

double angle_deg(const Vec3& u, const Vec3& v) { return std::acos(dot(u, v) / norm(u) / norm(v)) / kDeg; }

// Reciprocal axes are normal to the other two real axes (a.b* = 0, ...) and a.a* =
// b.b* = c.c* = `diagonal`. For orthogonal cells diagonal = 1. For oblique cells the
// reference's construction gives slightly more (see TriclinicCellAsTheReferenceBuildsIt).
void expect_reciprocal_metric(const CrystalModel& m, double diagonal) {
    const Vec3 real[3] = {m.a * 1e10, m.b * 1e10, m.c * 1e10};
    const Vec3 recip[3] = {m.a_star, m.b_star, m.c_star};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            EXPECT_NEAR(dot(real[i], recip[j]), i == j ? diagonal : 0.0, 1e-13) << i << "," << j;
}

}  // namespace

TEST(Crystal, CubicCellAlongTheAxes) {
    const CrystalModel m = crystal_of({"-cell", "100", "100", "100", "90", "90", "90"});
    expect_vec(m.a, {1e-8, 0, 0}, 1e-22, "a");
    expect_vec(m.b, {0, 1e-8, 0}, 1e-22, "b");
    expect_vec(m.c, {0, 0, 1e-8}, 1e-22, "c");
    expect_vec(m.a_star, {0.01, 0, 0}, 1e-17, "a*");
    expect_vec(m.c_star, {0, 0, 0.01}, 1e-17, "c*");
    EXPECT_NEAR(m.volume_A3, 1e6, 1e-6);
    for (int i = 0; i < 3; ++i) {
        EXPECT_NEAR(m.cell[i], 100, 1e-10);
        EXPECT_NEAR(m.cell[3 + i], 90, 1e-10);
        EXPECT_NEAR(m.reciprocal_cell[i], 0.01, 1e-15);
        EXPECT_NEAR(m.reciprocal_cell[3 + i], 90, 1e-10);
    }
    EXPECT_FALSE(m.misset_applied);
}

TEST(Crystal, OneNumberCellIsCubic) {
    const CrystalModel m = crystal_of({"-cell", "80"});
    EXPECT_NEAR(m.cell[1], 80, 1e-10);
    EXPECT_NEAR(m.cell[2], 80, 1e-10);
    EXPECT_NEAR(m.cell[5], 90, 1e-10);
    EXPECT_NEAR(m.volume_A3, 512000, 1e-6);
}

TEST(Crystal, OrthorhombicCellIsExact) {
    const CrystalModel m = crystal_of({"-cell", "50", "60", "70"});
    expect_vec(m.a, {50e-10, 0, 0}, 1e-22, "a");
    expect_vec(m.b, {0, 60e-10, 0}, 1e-22, "b");
    expect_vec(m.c, {0, 0, 70e-10}, 1e-22, "c");
    EXPECT_NEAR(m.volume_A3, 210000, 1e-8);
    expect_reciprocal_metric(m, 1.0);
}

TEST(Crystal, TriclinicCellAsTheReferenceBuildsIt) {
    // The reference builds an oblique cell from reciprocal axes whose c*_z it takes as
    // c* V / (a b c sin gamma*) (the geometry needs 1/c); the real axes are then rescaled
    // to the requested lengths and the volume is kept at the requested cell's. So the
    // lengths and the volume are the user's, the angles come out a little off (golden
    // stdout: "Unit Cell: 70 80 90 75.0391 85.0136 95.0081"), and a.a* is not quite 1.
    // tilebragg keeps all of it for parity with the reference images.
    const CrystalModel m = crystal_of({"-cell", "70", "80", "90", "75", "85", "95"});
    const double ca = std::cos(75 * kDeg), cb = std::cos(85 * kDeg), cg = std::cos(95 * kDeg);
    const double V = 70.0 * 80 * 90 * std::sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg);
    EXPECT_NEAR(m.volume_A3, V, 1e-9 * V);
    EXPECT_NEAR(norm(m.a) * 1e10, 70, 1e-10);
    EXPECT_NEAR(norm(m.b) * 1e10, 80, 1e-10);
    EXPECT_NEAR(norm(m.c) * 1e10, 90, 1e-10);
    EXPECT_NEAR(m.cell[0], 70, 1e-10);
    // The reported angles are the angles between the axes built ...
    EXPECT_NEAR(m.cell[3], angle_deg(m.b, m.c), 1e-9);
    EXPECT_NEAR(m.cell[4], angle_deg(m.a, m.c), 1e-9);
    EXPECT_NEAR(m.cell[5], angle_deg(m.a, m.b), 1e-9);
    // ... which are within a few hundredths of a degree of the request.
    EXPECT_NEAR(m.cell[3], 75, 0.05);
    EXPECT_NEAR(m.cell[4], 85, 0.05);
    EXPECT_NEAR(m.cell[5], 95, 0.05);
    const double triple = dot(m.a * 1e10, cross(m.b * 1e10, m.c * 1e10));
    EXPECT_GT(triple, 0.0);  // right-handed
    expect_reciprocal_metric(m, triple / V);
    EXPECT_NEAR(triple / V, 1.0, 1e-3);
    EXPECT_NEAR(m.reciprocal_cell[0], norm(m.a_star), 1e-15);
    // The reference's frame: a* along x, b* in the xy plane.
    EXPECT_NEAR(m.a_star.y, 0, 1e-17);
    EXPECT_NEAR(m.a_star.z, 0, 1e-17);
    EXPECT_NEAR(m.b_star.z, 0, 1e-17);
}

TEST(Crystal, MissetRotatesXThenYThenZ) {
    const CrystalModel plain = crystal_of({"-cell", "70", "80", "90", "75", "85", "95"});
    const CrystalModel m = crystal_of({"-cell", "70", "80", "90", "75", "85", "95", "-misset", "10", "20", "30"});
    EXPECT_TRUE(m.misset_applied);
    expect_vec(m.misset_deg, {10, 20, 30}, 1e-12, "misset");
    const double rx = 10 * kDeg, ry = 20 * kDeg, rz = 30 * kDeg;
    expect_vec(m.a, rotate_xyz(plain.a, rx, ry, rz), 1e-22, "a");
    expect_vec(m.b, rotate_xyz(plain.b, rx, ry, rz), 1e-22, "b");
    expect_vec(m.c, rotate_xyz(plain.c, rx, ry, rz), 1e-22, "c");
    expect_vec(m.a_star, rotate_xyz(plain.a_star, rx, ry, rz), 1e-17, "a*");
    EXPECT_NEAR(m.volume_A3, plain.volume_A3, 1e-9 * plain.volume_A3);
    for (int i = 0; i < 6; ++i) EXPECT_NEAR(m.cell[i], plain.cell[i], 1e-9) << i;
    EXPECT_NEAR(dot(m.a, m.a_star), dot(plain.a, plain.a_star), 1e-22);
    EXPECT_NEAR(dot(m.a * 1e10, m.b_star), 0.0, 1e-13);
}

TEST(Crystal, MatrixFileGivesReciprocalAxesOverWavelength) {
    ScratchDir dir;
    const std::string mat = dir.path("cubic50.mat");
    // columns a*, b*, c* times lambda (2 A): a 50 A cubic cell rotated 90 degrees about z
    tilebragg::formats_test::write_file(mat, " 0.00 -0.04 0.00\n 0.04 0.00 0.00\n 0.00 0.00 0.04\n");
    std::vector<std::string> log;
    const CrystalModel m = setup_crystal(parse({"-matrix", mat, "-lambda", "2"}), log);
    expect_vec(m.a_star, {0, 0.02, 0}, 1e-17, "a*");
    expect_vec(m.b_star, {-0.02, 0, 0}, 1e-17, "b*");
    expect_vec(m.a, {0, 50e-10, 0}, 1e-22, "a");
    expect_vec(m.b, {-50e-10, 0, 0}, 1e-22, "b");
    EXPECT_NEAR(m.volume_A3, 125000, 1e-6);
    // -cell given as well keeps the user's lengths and takes the orientation from the matrix.
    const CrystalModel both = setup_crystal(parse({"-matrix", mat, "-lambda", "2", "-cell", "60"}), log);
    expect_vec(both.a, {0, 60e-10, 0}, 1e-21, "a with -cell");
}

TEST(Crystal, NoCellOrImpossibleAnglesAreInputErrors) {
    std::vector<std::string> log;
    EXPECT_THROW(setup_crystal(parse({}), log), InputError);
    EXPECT_THROW(setup_crystal(parse({"-cell", "100", "100", "100", "10", "10", "170"}), log), InputError);
    EXPECT_THROW(setup_crystal(parse({"-cell", "100", "100", "100", "120", "120", "120"}), log), InputError);
    ScratchDir dir;
    const std::string flat = dir.path("flat.mat");
    tilebragg::formats_test::write_file(flat, "0.01 0.02 0\n0.01 0.02 0\n0 0 0\n");
    EXPECT_THROW(setup_crystal(parse({"-matrix", flat}), log), InputError);
}

TEST(Crystal, SizeInCellsFromNOrFromTheCrystalSize) {
    CrystalModel m = crystal_of({"-cell", "100", "-N", "5", "-Nc", "7"});
    EXPECT_EQ(m.Na, 5);
    EXPECT_EQ(m.Nc, 7);
    // Sizes round up to whole cells: 1.234 um / 100 A = 123.4 -> 124, 0.0555 um -> 6.
    m = crystal_of({"-cell", "100", "-N", "5", "-xtalsize", "0.001234", "-xtal_z", "0.0000555"});
    EXPECT_EQ(m.Na, 124);
    EXPECT_EQ(m.Nb, 124);
    EXPECT_EQ(m.Nc, 6);
    // A size smaller than one cell still gives one cell.
    EXPECT_EQ(crystal_of({"-cell", "100", "-sample_y", "0.000001"}).Nb, 1);
}

TEST(Crystal, RandomMissetFromItsSeedAsTheReferenceDrawsIt) {
    // Golden case misset_random: "random orientation misset angles: 2.946208 1.690512
    // 5.060313 deg" for -misset random -misset_seed 777.
    const Experiment e = experiment_of({"-cell", "100", "-default_F", "100", "-N", "5", "-detpixels", "8", "-misset",
                                        "random", "-misset_seed", "777", "-oversample", "1"});
    EXPECT_TRUE(e.crystal.misset_applied);
    EXPECT_NEAR(e.crystal.misset_deg.x, 2.946208, 5e-7);
    EXPECT_NEAR(e.crystal.misset_deg.y, 1.690512, 5e-7);
    EXPECT_NEAR(e.crystal.misset_deg.z, 5.060313, 5e-7);
    // Another seed, another orientation; the same seed, the same one.
    const Experiment other = experiment_of({"-cell", "100", "-default_F", "100", "-detpixels", "8", "-misset", "random",
                                            "-misset_seed", "778", "-oversample", "1"});
    EXPECT_GT(std::fabs(other.crystal.misset_deg.x - 2.946208), 1e-3);
    const Experiment again = experiment_of({"-cell", "100", "-default_F", "100", "-detpixels", "8", "-misset", "random",
                                            "-misset_seed", "777", "-oversample", "1"});
    EXPECT_EQ(again.crystal.misset_deg.z, e.crystal.misset_deg.z);
}

TEST(Crystal, GoldenXtalSizeCaseCellCounts) {
    // Golden case xtal_size: the reference printed "parallelpiped xtal: 58x50x45 cells"
    // and "crystal is 0.406 x 0.4 x 0.405 microns" (0.4 um over 70, 80 and 90 A).
    const CrystalModel m =
        crystal_of({"-cell", "70", "80", "90", "75", "85", "95", "-xtalsize", "0.0004", "-misset", "10", "20", "30"});
    EXPECT_EQ(m.Na, 58);
    EXPECT_EQ(m.Nb, 50);
    EXPECT_EQ(m.Nc, 45);
    EXPECT_NEAR(norm(m.a) * m.Na * 1e6, 0.406, 5e-7);
    EXPECT_NEAR(norm(m.b) * m.Nb * 1e6, 0.4, 5e-7);
    EXPECT_NEAR(norm(m.c) * m.Nc * 1e6, 0.405, 5e-7);
}

TEST(Crystal, BeamSmallerThanTheCrystalClipsItsHeightAndWidth) {
    const Experiment e = experiment_of({"-cell", "100", "-default_F", "1", "-detpixels", "8", "-xtalsize", "0.001234",
                                        "-beamsize", "0.000555", "-oversample", "1"});
    EXPECT_EQ(e.crystal.Na, 124);  // along the beam: not clipped
    EXPECT_EQ(e.crystal.Nb, 56);   // 0.555 um / 100 A = 55.5
    EXPECT_EQ(e.crystal.Nc, 56);
}

TEST(Crystal, ShapeAndFudgeCarriedThrough) {
    const CrystalModel m = crystal_of({"-cell", "100", "-gauss_xtal", "-fudge", "1.5"});
    EXPECT_EQ(m.shape, LatticeShape::Gauss);
    EXPECT_EQ(m.fudge, 1.5);
}

// ---------------------------------------------------------------------------------
// Orientations per phi step and mosaic domain

TEST(CrystalOrientations, PhiZeroUsesTheUnrotatedCellAndMosaicActsAfterPhi) {
    const CrystalModel m = crystal_of({"-cell", "70", "80", "90", "75", "85", "95"});
    const Vec3 spindle{0, 0, 1};
    const std::array<double, 9> identity{1, 0, 0, 0, 1, 0, 0, 0, 1};
    const std::array<double, 9> quarter_x{1, 0, 0, 0, 0, -1, 0, 1, 0};  // 90 degrees about x
    const std::vector<double> phis{0.0, 30 * kDeg};
    const auto o = crystal_orientations(m, spindle, phis, {identity, quarter_x}, true);
    ASSERT_EQ(o.size(), 4u);  // phi slowest
    expect_vec(o[0].a, m.a, 0, "phi 0, domain 0");
    expect_vec(o[1].a, rotate_by(quarter_x, m.a), 0, "phi 0, domain 1");
    const Vec3 a30 = rotate_about_axis(m.a, spindle, 30 * kDeg);
    expect_vec(o[2].a, a30, 1e-24, "phi 30, domain 0");
    expect_vec(o[3].a, {a30.x, -a30.z, a30.y}, 1e-24, "phi 30, domain 1");
    // 30 degrees about z: the length and the z component stay.
    EXPECT_NEAR(norm(o[2].c), norm(m.c), 1e-22);
    EXPECT_NEAR(o[2].c.z, m.c.z, 1e-22);
    EXPECT_NEAR((std::atan2(o[2].a.y, o[2].a.x) - std::atan2(m.a.y, m.a.x)) / kDeg, 30.0, 1e-9);
}

TEST(CrystalOrientations, PhiStepAtZeroInASweepIsTheUnrotatedCell) {
    // -phi -1 -osc 2 -phisteps 2: steps at -1 and 0 degrees. (The reference would reuse
    // the cell rotated to -1 degree at the 0 step; tilebragg uses the unrotated cell.)
    const Experiment e = experiment_of({"-cell", "70", "80", "90", "75", "85", "95", "-default_F", "1", "-detpixels",
                                        "8", "-phi", "-1", "-osc", "2", "-phisteps", "2", "-oversample", "1"});
    ASSERT_EQ(e.phi_angles.size(), 2u);
    EXPECT_NEAR(e.phi_angles[0], -kDeg, 1e-15);
    EXPECT_EQ(e.phi_angles[1], 0.0);
    ASSERT_EQ(e.orientations.size(), 2u);
    expect_vec(e.orientations[0].a, rotate_about_axis(e.crystal.a, e.spindle, -kDeg), 1e-24, "phi -1");
    expect_vec(e.orientations[1].a, e.crystal.a, 0, "phi 0");
    expect_vec(e.orientations[1].c, e.crystal.c, 0, "phi 0");
}

TEST(CrystalOrientations, WithoutMosaicSpreadTheDomainMatricesAreIgnored) {
    const CrystalModel m = crystal_of({"-cell", "100"});
    const std::array<double, 9> quarter_x{1, 0, 0, 0, 0, -1, 0, 1, 0};
    const auto o = crystal_orientations(m, {0, 0, 1}, {0.0}, {quarter_x}, false);
    ASSERT_EQ(o.size(), 1u);
    expect_vec(o[0].b, m.b, 0, "b");
}

TEST(CrystalOrientations, MosaicDomainsAreRotationsAndTheFirstIsAligned) {
    const Experiment e = experiment_of({"-cell", "100", "-default_F", "1", "-detpixels", "8", "-mosaic", "0.5",
                                        "-mosaic_dom", "12", "-mosaic_seed", "4242", "-oversample", "1"});
    ASSERT_EQ(e.mosaic_umats.size(), 12u);
    ASSERT_EQ(e.orientations.size(), 12u);
    const auto& u0 = e.mosaic_umats[0];
    for (int i = 0; i < 9; ++i) EXPECT_EQ(u0[i], (i % 4 == 0) ? 1.0 : 0.0) << i;
    for (const auto& u : e.mosaic_umats) {
        const Vec3 r0{u[0], u[1], u[2]}, r1{u[3], u[4], u[5]}, r2{u[6], u[7], u[8]};
        EXPECT_NEAR(dot(r0, r0), 1, 1e-6);
        EXPECT_NEAR(dot(r0, r1), 0, 1e-6);
        EXPECT_NEAR(dot(cross(r0, r1), r2), 1, 1e-6);  // proper rotation
        // a rotation by a few tenths of a degree, not more than a few spreads
        const double angle = std::acos(std::min(1.0, (u[0] + u[4] + u[8] - 1) / 2)) / kDeg;
        EXPECT_LT(angle, 2.0);
    }
}

// ---------------------------------------------------------------------------------
// Every golden case: the cell the reference printed.

TEST(CrystalGolden, EveryCaseMatchesTheReferenceLog) {
    const bool found = st::for_each_golden_setup([&](const st::GoldenCase& c, const Experiment& e) {
        const CrystalModel& m = e.crystal;
        const auto& L = c.lines;

        st::expect_printed(L, "Unit Cell:", {m.cell[0], m.cell[1], m.cell[2], m.cell[3], m.cell[4], m.cell[5]}, 1e-9);
        st::expect_printed(L, "Recp Cell:",
                           {m.reciprocal_cell[0], m.reciprocal_cell[1], m.reciprocal_cell[2], m.reciprocal_cell[3],
                            m.reciprocal_cell[4], m.reciprocal_cell[5]},
                           1e-12);
        st::expect_printed(L, "volume =", {m.volume_A3}, 1e-6);

        const Vec3 real[3] = {m.a * 1e10, m.b * 1e10, m.c * 1e10};
        const Vec3 recip[3] = {m.a_star, m.b_star, m.c_star};
        const auto real_rows = st::table_after(L, "real-space cell vectors");
        const auto recip_rows = st::table_after(L, "reciprocal-space cell vectors");
        ASSERT_EQ(real_rows.size(), 3u);
        ASSERT_EQ(recip_rows.size(), 3u);
        for (int col = 0; col < 3; ++col) {
            const double r[3] = {real[col].x, real[col].y, real[col].z};
            const double q[3] = {recip[col].x, recip[col].y, recip[col].z};
            for (int row = 0; row < 3; ++row) {
                ASSERT_EQ(real_rows[row].size(), 3u);
                EXPECT_TRUE(st::agrees(r[row], real_rows[row][col], 1e-12)) << "real row " << row << " col " << col;
                EXPECT_TRUE(st::agrees(q[row], recip_rows[row][col], 1e-12)) << "recip row " << row << " col " << col;
            }
        }

        const char* shapes[] = {"parallelpiped", "ellipsoidal", "gaussian", "tophat-spot"};
        const int at = st::line_index(L, " xtal: ");
        ASSERT_GE(at, 0);
        const std::string& line = L[static_cast<std::size_t>(at)];
        EXPECT_NE(line.find(shapes[static_cast<int>(m.shape)]), std::string::npos) << line;
        char cells[64];
        std::snprintf(cells, sizeof cells, "xtal: %.0fx%.0fx%.0f cells", m.Na, m.Nb, m.Nc);
        EXPECT_NE(line.find(cells), std::string::npos) << line << " vs " << cells;

        st::expect_printed(L, "crystal is", {norm(m.a) * m.Na * 1e6}, 1e-12);

        if (st::line_index(L, "random orientation misset angles:") >= 0) {
            EXPECT_TRUE(m.misset_applied);
            st::expect_printed(L, "random orientation misset angles:", {m.misset_deg.x, m.misset_deg.y, m.misset_deg.z},
                               1e-9);
        }
    });
    if (!found) GTEST_SKIP() << "golden set not found";
}
