// Rotations: right-handed, x then y then z for misset and detector angles, Rodrigues
// about an arbitrary axis for phi and two-theta, and row-major matrices for mosaic
// domains.
#include <tilebragg/rotation.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace tilebragg;

namespace {

constexpr double kDeg = M_PI / 180.0;

void expect_vec(const Vec3& actual, const Vec3& expected, double tol, const std::string& what = "") {
    EXPECT_NEAR(actual.x, expected.x, tol) << what << ".x";
    EXPECT_NEAR(actual.y, expected.y, tol) << what << ".y";
    EXPECT_NEAR(actual.z, expected.z, tol) << what << ".z";
}

const Vec3 X{1, 0, 0}, Y{0, 1, 0}, Z{0, 0, 1};

}  // namespace

TEST(RotateXyz, QuarterTurnsAreRightHanded) {
    expect_vec(rotate_xyz(Y, M_PI / 2, 0, 0), Z, 1e-15, "y about x");
    expect_vec(rotate_xyz(Z, M_PI / 2, 0, 0), -Y, 1e-15, "z about x");
    expect_vec(rotate_xyz(Z, 0, M_PI / 2, 0), X, 1e-15, "z about y");
    expect_vec(rotate_xyz(X, 0, M_PI / 2, 0), -Z, 1e-15, "x about y");
    expect_vec(rotate_xyz(X, 0, 0, M_PI / 2), Y, 1e-15, "x about z");
    expect_vec(rotate_xyz(Y, 0, 0, M_PI / 2), -X, 1e-15, "y about z");
}

TEST(RotateXyz, AppliesXThenYThenZ) {
    // y -(90 about x)-> z -(90 about y)-> x; the other order would leave z.
    expect_vec(rotate_xyz(Y, M_PI / 2, M_PI / 2, 0), X, 1e-15);
    // x -(90 about y)-> -z, which z leaves alone; z first would send x to y, then y stays.
    expect_vec(rotate_xyz(X, 0, M_PI / 2, M_PI / 2), -Z, 1e-15);
    expect_vec(rotate_xyz(X, M_PI / 2, 0, M_PI / 2), Y, 1e-15);
    const Vec3 v{0.3, -1.2, 2.5};
    const double rx = 10 * kDeg, ry = -20 * kDeg, rz = 30 * kDeg;
    const Vec3 stepwise = rotate_xyz(rotate_xyz(rotate_xyz(v, rx, 0, 0), 0, ry, 0), 0, 0, rz);
    expect_vec(rotate_xyz(v, rx, ry, rz), stepwise, 1e-15);
}

TEST(RotateXyz, PreservesLengthAndZeroIsIdentity) {
    const Vec3 v{0.3, -1.2, 2.5};
    EXPECT_NEAR(norm(rotate_xyz(v, 0.7, -1.9, 2.4)), norm(v), 1e-14);
    const Vec3 same = rotate_xyz(v, 0, 0, 0);
    EXPECT_EQ(same.x, v.x);
    EXPECT_EQ(same.y, v.y);
    EXPECT_EQ(same.z, v.z);
}

TEST(RotateAboutAxis, QuarterTurnAboutZMapsXToY) {
    expect_vec(rotate_about_axis(X, Z, M_PI / 2), Y, 1e-15);
    expect_vec(rotate_about_axis(Y, Z, M_PI / 2), -X, 1e-15);
    expect_vec(rotate_about_axis(Z, Z, 1.234), Z, 1e-15, "the axis itself");
    expect_vec(rotate_about_axis(X, -Z, M_PI / 2), -Y, 1e-15, "reversed axis turns the other way");
}

TEST(RotateAboutAxis, ThirdOfATurnAboutTheBodyDiagonalCyclesTheAxes) {
    const Vec3 d = Vec3{1, 1, 1} / std::sqrt(3.0);
    expect_vec(rotate_about_axis(X, d, 2 * M_PI / 3), Y, 1e-15);
    expect_vec(rotate_about_axis(Y, d, 2 * M_PI / 3), Z, 1e-15);
    expect_vec(rotate_about_axis(Z, d, 2 * M_PI / 3), X, 1e-15);
}

TEST(RotateAboutAxis, PreservesLengthAndAngleToTheAxis) {
    const Vec3 axis = unit(Vec3{0.2, -0.5, 0.8});
    const Vec3 v{1.5, 0.4, -2.0};
    for (double angle : {0.1, 1.0, 2.5, -0.7, 7.0}) {
        const Vec3 r = rotate_about_axis(v, axis, angle);
        EXPECT_NEAR(norm(r), norm(v), 1e-14) << angle;
        EXPECT_NEAR(dot(r, axis), dot(v, axis), 1e-14) << angle;
    }
    // Back and forth is the identity; two halves make the whole.
    expect_vec(rotate_about_axis(rotate_about_axis(v, axis, 0.9), axis, -0.9), v, 1e-14);
    expect_vec(rotate_about_axis(rotate_about_axis(v, axis, 0.45), axis, 0.45), rotate_about_axis(v, axis, 0.9), 1e-14);
}

TEST(RotateAboutAxis, AgreesWithRotateXyzAboutCoordinateAxes) {
    const Vec3 v{0.3, -1.2, 2.5};
    expect_vec(rotate_about_axis(v, X, 0.4), rotate_xyz(v, 0.4, 0, 0), 1e-15);
    expect_vec(rotate_about_axis(v, Y, 0.4), rotate_xyz(v, 0, 0.4, 0), 1e-15);
    expect_vec(rotate_about_axis(v, Z, 0.4), rotate_xyz(v, 0, 0, 0.4), 1e-15);
}

TEST(RotateBy, RowMajorMatrixTimesVector) {
    const std::array<double, 9> m{1, 2, 3, 4, 5, 6, 7, 8, 10};
    expect_vec(rotate_by(m, {1, 0, 0}), {1, 4, 7}, 0);
    expect_vec(rotate_by(m, {0, 1, 0}), {2, 5, 8}, 0);
    expect_vec(rotate_by(m, {1, 1, 1}), {6, 15, 25}, 0);
    const std::array<double, 9> quarter_z{0, -1, 0, 1, 0, 0, 0, 0, 1};
    expect_vec(rotate_by(quarter_z, X), Y, 0);
}
