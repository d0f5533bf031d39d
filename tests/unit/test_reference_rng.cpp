// The reference-compatible random stream. Expected values come from outside this code:
// the published Park-Miller check value, the golden reference run
// shared/golden/cases/misset_random (its stdout), and nanoBragg.c runs whose printed
// misset angles, float images and noise images are quoted below.
#include <tilebragg/reference_rng.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace tilebragg {
namespace {

constexpr double kDegreesPerRadian = 180.0 / 3.14159265358979323846;

std::array<double, 3> random_misset_degrees(std::int64_t user_seed) {
    ReferenceRandom rng(ReferenceRandom::stored_from_user_seed(user_seed));
    const auto angles = rotation_to_misset(random_cap_rotation(kRandomMissetCapRadians, rng));
    return {angles[0] * kDegreesPerRadian, angles[1] * kDegreesPerRadian, angles[2] * kDegreesPerRadian};
}

// The reference prints the angles with %f: six decimals.
void expect_printed_angles(std::int64_t user_seed, double rx, double ry, double rz) {
    const auto got = random_misset_degrees(user_seed);
    EXPECT_NEAR(got[0], rx, 5.1e-7) << "seed " << user_seed;
    EXPECT_NEAR(got[1], ry, 5.1e-7) << "seed " << user_seed;
    EXPECT_NEAR(got[2], rz, 5.1e-7) << "seed " << user_seed;
}

double rotation_angle(const RotationMatrix& u) {
    const double c = std::max(-1.0, std::min(1.0, (u[0] + u[4] + u[8] - 1.0) / 2.0));
    return std::acos(c);
}

TEST(MinimalStandard, TenThousandthValueFromSeedOne) {
    // Park & Miller (1988): starting from 1, x_10000 = 1043618065.
    std::int64_t x = 1;
    for (int i = 0; i < 10000; ++i) x = minimal_standard_next(x);
    EXPECT_EQ(x, 1043618065);
}

TEST(MinimalStandard, FirstStepsFromSeedOne) {
    // 16807^1, 16807^2 mod (2^31-1), 16807^3 mod (2^31-1).
    EXPECT_EQ(minimal_standard_next(1), 16807);
    EXPECT_EQ(minimal_standard_next(16807), 282475249);
    EXPECT_EQ(minimal_standard_next(282475249), 1622650073);
}

TEST(MinimalStandard, ModulusIsAFixedPointTrap) {
    // 16807 * (2^31 - 1) = 0 mod (2^31 - 1): the state collapses to 0.
    EXPECT_EQ(minimal_standard_next(2147483647), 0);
    EXPECT_EQ(minimal_standard_next(0), 0);
}

TEST(ReferenceRandom, UniformsStayInsideTheOpenUnitInterval) {
    ReferenceRandom rng(-42);
    for (int i = 0; i < 200000; ++i) {
        const float u = rng.uniform();
        ASSERT_GT(u, 0.0f);
        ASSERT_LT(u, 1.0f);
    }
}

TEST(ReferenceRandom, UniformMomentsAreThoseOfAUniform) {
    ReferenceRandom rng(-2024);
    const int n = 200000;
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        sum += u;
        sum_sq += u * u;
    }
    const double mean = sum / n;
    const double var = sum_sq / n - mean * mean;
    EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12.0 / n));
    EXPECT_NEAR(var, 1.0 / 12.0, 5 * std::sqrt(1.0 / 180.0 / n));
}

TEST(ReferenceRandom, GoldenMissetRandomCaseAngles) {
    // shared/golden/cases/misset_random: -misset random -misset_seed 777 printed
    // "random orientation misset angles: 2.946208 1.690512 5.060313 deg".
    expect_printed_angles(777, 2.946208, 1.690512, 5.060313);
}

TEST(ReferenceRandom, GoldenMissetRandomCaseCellVectors) {
    // The same run printed its real-space cell vectors (100 A cubic cell) after the
    // misset; for a rotation U they are 100 * the columns of U.
    ReferenceRandom rng(ReferenceRandom::stored_from_user_seed(777));
    const auto u = random_cap_rotation(kRandomMissetCapRadians, rng);
    const double printed[9] = {99.56688564, -8.65773829, 3.38804553, 8.81659574, 99.49195264,
                               -4.85993830, -2.95007192, 5.13759949, 99.82435648};
    for (int i = 0; i < 9; ++i) EXPECT_NEAR(100.0 * u[i], printed[i], 6e-9) << "element " << i;
}

TEST(ReferenceRandom, MoreSeedsAgainstReferenceRuns) {
    // nanoBragg.c -misset random -misset_seed N, printed angles in degrees.
    expect_printed_angles(12345, 105.720755, -34.951318, -97.823571);
    expect_printed_angles(2147483646, 31.467257, -62.987222, -1.263446);
    expect_printed_angles(778, 5.798782, 3.018549, -10.638060);
}

TEST(ReferenceRandom, SeedsZeroAndNegativeBehaveAsSeedOneOnAFreshTable) {
    // The reference printed 4.662957 -11.844979 17.622548 for seeds 1, 0, -5 and -777.
    for (std::int64_t seed : {1, 0, -5, -777}) {
        expect_printed_angles(seed, 4.662957, -11.844979, 17.622548);
    }
}

TEST(ReferenceRandom, SeedEqualToTheModulusStartsWithAnExactZero) {
    ReferenceRandom rng(ReferenceRandom::stored_from_user_seed(2147483647));
    EXPECT_EQ(rng.uniform(), 0.0f);
    // ...and the reference printed these angles for that seed.
    expect_printed_angles(2147483647, 0.751622, 21.781895, 3.904986);
}

TEST(ReferenceRandom, NegativeUserSeedContinuesAnEarlierStreamsTable) {
    // After a misset stream has used the table, a positive stored seed does not reload
    // it, so the stream differs from the seed-1 stream; a stored seed <= 0 does reload.
    ReferenceRandom shared(ReferenceRandom::stored_from_user_seed(777));
    random_cap_rotation(kRandomMissetCapRadians, shared);
    ReferenceRandom fresh_one(ReferenceRandom::stored_from_user_seed(1));

    ReferenceRandom continued = shared;
    continued.continue_with_seed(ReferenceRandom::stored_from_user_seed(-5));
    EXPECT_EQ(continued.state(), 5);
    EXPECT_NE(continued.uniform(), ReferenceRandom(-1).uniform());

    ReferenceRandom reloaded = shared;
    reloaded.continue_with_seed(ReferenceRandom::stored_from_user_seed(1));
    for (int i = 0; i < 100; ++i) ASSERT_EQ(reloaded.uniform(), fresh_one.uniform());
}

TEST(ReferenceRandom, CapRotationIsProperAndWithinTheCap) {
    const float cap = static_cast<float>(0.5 / kDegreesPerRadian);
    ReferenceRandom rng(-4242);
    for (int i = 0; i < 1000; ++i) {
        const auto u = random_cap_rotation(cap, rng);
        // Orthonormal rows, determinant +1.
        for (int r = 0; r < 3; ++r) {
            for (int s = 0; s < 3; ++s) {
                const double dot = u[3 * r] * u[3 * s] + u[3 * r + 1] * u[3 * s + 1] + u[3 * r + 2] * u[3 * s + 2];
                ASSERT_NEAR(dot, r == s ? 1.0 : 0.0, 1e-14);
            }
        }
        const double det = u[0] * (u[4] * u[8] - u[5] * u[7]) - u[1] * (u[3] * u[8] - u[5] * u[6]) +
                           u[2] * (u[3] * u[7] - u[4] * u[6]);
        ASSERT_NEAR(det, 1.0, 1e-14);
        ASSERT_LE(rotation_angle(u), cap * (1 + 1e-6));
    }
}

TEST(ReferenceRandom, CapOnlyScalesTheAngleNotTheAxis) {
    // Same three uniforms, different caps: the antisymmetric part (axis * sin angle)
    // points the same way.
    ReferenceRandom a(-99), b(-99);
    const auto small = random_cap_rotation(0.01f, a);
    const auto large = random_cap_rotation(0.02f, b);
    const double sx = small[7] - small[5], sy = small[2] - small[6], sz = small[3] - small[1];
    const double lx = large[7] - large[5], ly = large[2] - large[6], lz = large[3] - large[1];
    const double cos_between =
        (sx * lx + sy * ly + sz * lz) / std::sqrt((sx * sx + sy * sy + sz * sz) * (lx * lx + ly * ly + lz * lz));
    EXPECT_NEAR(cos_between, 1.0, 1e-12);
    EXPECT_NEAR(rotation_angle(large), 2 * rotation_angle(small), 1e-6 * rotation_angle(small));
}

TEST(ReferenceRandom, MosaicDomainZeroIsIdentityButStillConsumesDraws) {
    ReferenceRandom rng(-4242);
    const auto domains = mosaic_domain_rotations(12, static_cast<float>(0.5 / kDegreesPerRadian), rng);
    ASSERT_EQ(domains.size(), 12u);
    EXPECT_EQ(domains[0], (RotationMatrix{1, 0, 0, 0, 1, 0, 0, 0, 1}));
    for (std::size_t d = 1; d < domains.size(); ++d) EXPECT_GT(rotation_angle(domains[d]), 0.0);

    ReferenceRandom counter(-4242);
    for (int i = 0; i < 3 * 12; ++i) counter.uniform();
    EXPECT_EQ(rng.uniform(), counter.uniform());

    // Domain 1 is the second cap rotation of the stream.
    ReferenceRandom again(-4242);
    random_cap_rotation(static_cast<float>(0.5 / kDegreesPerRadian), again);
    EXPECT_EQ(domains[1], random_cap_rotation(static_cast<float>(0.5 / kDegreesPerRadian), again));
}

TEST(RotationToMisset, RecoversAnglesOfAKnownXyzRotation) {
    // U = Rz(c) Ry(b) Rx(a) built by hand.
    const double a = 0.3, b = -0.2, c = 1.1;
    const double ca = std::cos(a), sa = std::sin(a), cb = std::cos(b), sb = std::sin(b), cc = std::cos(c),
                 sc = std::sin(c);
    const RotationMatrix u{cc * cb,
                           cc * sb * sa - sc * ca,
                           cc * sb * ca + sc * sa,
                           sc * cb,
                           sc * sb * sa + cc * ca,
                           sc * sb * ca - cc * sa,
                           -sb,
                           cb * sa,
                           cb * ca};
    const auto m = rotation_to_misset(u);
    EXPECT_NEAR(m[0], a, 1e-14);
    EXPECT_NEAR(m[1], b, 1e-14);
    EXPECT_NEAR(m[2], c, 1e-14);
}

TEST(RotationToMisset, RebuildsAnEmptyRowAndHandlesGimbalLock) {
    // Third row missing: it is rebuilt as x cross y, so the identity's angles are zero.
    const auto m = rotation_to_misset(RotationMatrix{1, 0, 0, 0, 1, 0, 0, 0, 0});
    EXPECT_NEAR(m[0], 0.0, 1e-15);
    EXPECT_NEAR(m[1], 0.0, 1e-15);
    EXPECT_NEAR(m[2], 0.0, 1e-15);
    // zx = -1 (a +90 degree turn about y): the fixed gimbal-lock answer.
    const auto g = rotation_to_misset(RotationMatrix{0, 0, 1, 0, 1, 0, -1, 0, 0});
    EXPECT_DOUBLE_EQ(g[0], M_PI);
    EXPECT_DOUBLE_EQ(g[1], M_PI / 2);
    EXPECT_DOUBLE_EQ(g[2], std::atan2(0.0, -1.0));
}

// An 8x8 region (-roi 124 131 124 131) of nanoBragg.c runs with -cell 100 100 100 90 90 90
// -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 256; the expected photons are
// its float image and the counts its -noisefile (minus the ADC offset of 40).
const std::vector<float> kRegionAtTenthFluence = {
    6.52745867f, 7.79577875f, 8.86597538f, 9.64062214f, 10.0472546f, 10.0472546f, 9.64062214f, 8.86597538f,
    7.79577875f, 9.31056309f, 10.588726f,  11.5139074f, 11.9995604f, 11.9995604f, 11.5139074f, 10.588726f,
    8.86597538f, 10.588726f,  12.0423708f, 13.094574f,  13.646904f,  13.646904f,  13.094574f,  12.0423708f,
    9.64062214f, 11.5139074f, 13.094574f,  14.2387209f, 14.8393154f, 14.8393154f, 14.2387209f, 13.094574f,
    10.0472546f, 11.9995604f, 13.646904f,  14.8393154f, 15.4652443f, 15.4652443f, 14.8393154f, 13.646904f,
    10.0472546f, 11.9995604f, 13.646904f,  14.8393154f, 15.4652443f, 15.4652443f, 14.8393154f, 13.646904f,
    9.64062214f, 11.5139074f, 13.094574f,  14.2387209f, 14.8393154f, 14.8393154f, 14.2387209f, 13.094574f,
    8.86597538f, 10.588726f,  12.0423708f, 13.094574f,  13.646904f,  13.646904f,  13.094574f,  12.0423708f};

TEST(ReferenceRandom, PoissonReproducesAReferenceNoiseImage) {
    // -fluence 1.25932e28 -seed 2024: means 6.5..15.5 exercise both the product-of-
    // uniforms (< 12) and the rejection branch. It printed "709 photons on noise image".
    const int expected_with_offset[64] = {46, 47, 46, 47, 50, 52, 45, 46, 45, 52, 50, 50, 56, 52, 51, 59,
                                          48, 48, 54, 47, 55, 57, 58, 55, 50, 50, 53, 51, 53, 58, 55, 54,
                                          53, 46, 51, 54, 53, 53, 50, 55, 46, 54, 56, 58, 46, 53, 53, 54,
                                          47, 53, 49, 48, 51, 52, 49, 46, 52, 50, 45, 51, 52, 56, 43, 50};
    ReferenceRandom rng(ReferenceRandom::stored_from_user_seed(2024));
    double photons = 0;
    for (int i = 0; i < 64; ++i) {
        const float count = rng.poisson(kRegionAtTenthFluence[i]);
        photons += count;
        EXPECT_EQ(static_cast<int>(count) + 40, expected_with_offset[i]) << "pixel " << i;
    }
    EXPECT_EQ(photons, 709.0);
}

TEST(ReferenceRandom, PoissonReproducesTheReferenceAtNormalFluence) {
    // Default fluence, -seed 31337: means 65..155, all in the rejection branch. It
    // printed "7733 photons on noise image (0 overloads)".
    const float means[64] = {
        65.2745972f, 77.9577942f, 88.6597672f, 96.4062347f, 100.472557f, 100.472557f, 96.4062347f, 88.6597672f,
        77.9577942f, 93.1056366f, 105.887268f, 115.139084f, 119.995613f, 119.995613f, 115.139084f, 105.887268f,
        88.6597672f, 105.887268f, 120.423729f, 130.945755f, 136.469055f, 136.469055f, 130.945755f, 120.423729f,
        96.4062347f, 115.139084f, 130.945755f, 142.387222f, 148.393173f, 148.393173f, 142.387222f, 130.945755f,
        100.472557f, 119.995613f, 136.469055f, 148.393173f, 154.652466f, 154.652466f, 148.393173f, 136.469055f,
        100.472557f, 119.995613f, 136.469055f, 148.393173f, 154.652466f, 154.652466f, 148.393173f, 136.469055f,
        96.4062347f, 115.139084f, 130.945755f, 142.387222f, 148.393173f, 148.393173f, 142.387222f, 130.945755f,
        88.6597672f, 105.887268f, 120.423729f, 130.945755f, 136.469055f, 136.469055f, 130.945755f, 120.423729f};
    const int expected_with_offset[64] = {
        94,  116, 151, 136, 148, 132, 132, 150, 106, 136, 152, 152, 149, 144, 127, 141, 132, 159, 166, 174, 183, 175,
        147, 160, 130, 154, 153, 176, 196, 182, 185, 152, 155, 154, 166, 175, 176, 209, 196, 165, 144, 151, 191, 184,
        192, 191, 180, 169, 138, 175, 178, 186, 178, 185, 179, 180, 128, 152, 158, 168, 178, 175, 167, 180};
    ReferenceRandom rng(ReferenceRandom::stored_from_user_seed(31337));
    double photons = 0;
    for (int i = 0; i < 64; ++i) {
        const float count = rng.poisson(means[i]);
        photons += count;
        EXPECT_EQ(static_cast<int>(count) + 40, expected_with_offset[i]) << "pixel " << i;
    }
    EXPECT_EQ(photons, 7733.0);
}

TEST(ReferenceRandom, GaussianBranchReproducesTheReferencePhotonSum) {
    // -fluence 1.25932e34 -seed 99: means 6.5e6..1.5e7, all overloads; the reference
    // printed "781679245 photons on noise image (64 overloads)". Its float image is the
    // tenth-fluence one times 1e6, rounded to float; these are those floats.
    const std::vector<float> means = {
        6527459,  7795779,  8865975,  9640622,  10047255, 10047255, 9640622,  8865975,  7795779,  9310563,  10588726,
        11513907, 11999560, 11999560, 11513907, 10588726, 8865975,  10588726, 12042371, 13094574, 13646904, 13646904,
        13094574, 12042371, 9640622,  11513907, 13094574, 14238721, 14839315, 14839315, 14238721, 13094574, 10047255,
        11999560, 13646904, 14839315, 15465245, 15465245, 14839315, 13646904, 10047255, 11999560, 13646904, 14839315,
        15465245, 15465245, 14839315, 13646904, 9640622,  11513907, 13094574, 14238721, 14839315, 14839315, 14238721,
        13094574, 8865975,  10588726, 12042371, 13094574, 13646904, 13646904, 13094574, 12042371};
    ReferenceRandom rng(ReferenceRandom::stored_from_user_seed(99));
    double photons = 0;
    for (float m : means) photons += rng.poisson(m);
    EXPECT_NEAR(photons, 781679245.0, 0.5);
}

TEST(ReferenceRandom, PoissonOfNonPositiveMeanIsZero) {
    ReferenceRandom rng(-7);
    EXPECT_EQ(rng.poisson(0.0f), 0.0f);
    EXPECT_EQ(rng.poisson(-3.0f), 0.0f);
}

}  // namespace
}  // namespace tilebragg
