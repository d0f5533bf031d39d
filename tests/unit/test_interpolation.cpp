// Structure factors between reflections: the 4-point Lagrange polynomial, the tricubic
// interpolation built from it, the reference's safety margin, and the nearest-F lookup.
#include <tilebragg/errors.hpp>
#include <tilebragg/hkl_grid.hpp>
#include <tilebragg/structure_factor.hpp>

#include <gtest/gtest.h>

#include <cmath>

using namespace tilebragg;

namespace {

double cubic(double x) { return 2 * x * x * x - 3 * x * x + 0.5 * x - 5; }

// At most cubic in each index separately, so tricubic interpolation is exact.
double tricubic(double h, double k, double l) {
    return 1 + h - 2 * k * k + 0.1 * l * l * l + h * k * l / 3 + 0.5 * h * h * l - 0.05 * h * h * h * k * k * l * l * l;
}

HklGrid grid_of_tricubic() {
    HklGrid F = HklGrid::filled(-5, 5, -6, 4, -4, 6, 0.0);
    for (int h = F.h_min; h <= F.h_max; ++h)
        for (int k = F.k_min; k <= F.k_max; ++k)
            for (int l = F.l_min; l <= F.l_max; ++l) F.at(h, k, l) = tricubic(h, k, l);
    F.hkls = static_cast<long long>(F.F.size());
    return F;
}

}  // namespace

TEST(Lagrange4, ThroughItsNodes) {
    const double y[4] = {3, -1, 4, 1.5};
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(lagrange4(-2, y, -2 + i), y[i], 1e-14) << i;
}

TEST(Lagrange4, ReproducesCubicsExactly) {
    for (double x0 : {-1.0, 0.0, 7.0}) {
        const double y[4] = {cubic(x0), cubic(x0 + 1), cubic(x0 + 2), cubic(x0 + 3)};
        for (double x : {x0 + 0.37, x0 + 1.5, x0 + 2.99, x0 - 0.8, x0 + 4.2})
            EXPECT_NEAR(lagrange4(x0, y, x), cubic(x), 1e-9 * (1 + std::fabs(cubic(x)))) << x0 << " " << x;
    }
}

TEST(Lagrange4, IsNotExactForAQuartic) {
    auto quartic = [](double x) { return x * x * x * x; };
    const double y[4] = {quartic(0), quartic(1), quartic(2), quartic(3)};
    // x^4 - p(x) = x (x-1) (x-2) (x-3): 0.5 * -0.5 * -1.5 * -2.5 = -0.9375 at 0.5
    EXPECT_NEAR(lagrange4(0, y, 0.5) - quartic(0.5), 0.9375, 1e-12);
}

TEST(InterpolatedF, EqualsATricubicPolynomialOfTheIndices) {
    const HklGrid F = grid_of_tricubic();
    const double points[][3] = {{0.3, -1.7, 2.2}, {-2.5, 0.5, 0.01}, {1.99, -3.2, 3.0}, {-0.4, 1.0, -1.6}};
    for (const auto& p : points) {
        ASSERT_TRUE(can_interpolate(F, p[0], p[1], p[2]));
        const double expected = tricubic(p[0], p[1], p[2]);
        EXPECT_NEAR(interpolated_F(F, p[0], p[1], p[2]), expected, 1e-9 * (1 + std::fabs(expected)))
            << p[0] << " " << p[1] << " " << p[2];
    }
}

TEST(InterpolatedF, AtAReflectionIsItsF) {
    const HklGrid F = grid_of_tricubic();
    EXPECT_NEAR(interpolated_F(F, 1, -2, 3), F.at(1, -2, 3), 1e-10);
    EXPECT_NEAR(interpolated_F(F, 0, 0, 0), F.at(0, 0, 0), 1e-12);
}

TEST(CanInterpolate, KeepsTheReferenceMargin) {
    // The reference interpolates only while h - h_min + 3 <= h_range and h - 2 >= h_min
    // (same for k and l): h in [h_min + 2, h_max - 2] here.
    const HklGrid F = HklGrid::filled(-5, 5, -5, 5, -5, 5, 1.0);
    EXPECT_TRUE(can_interpolate(F, 0, 0, 0));
    EXPECT_TRUE(can_interpolate(F, 3.0, 0, 0));
    EXPECT_FALSE(can_interpolate(F, 3.01, 0, 0));
    EXPECT_TRUE(can_interpolate(F, -3.0, 0, 0));
    EXPECT_FALSE(can_interpolate(F, -3.01, 0, 0));
    EXPECT_FALSE(can_interpolate(F, 0, 3.5, 0));
    EXPECT_FALSE(can_interpolate(F, 0, 0, -4));
    EXPECT_FALSE(can_interpolate(F, 0, 0, 100));
}

TEST(NearestF, TableDefaultAndNoTable) {
    HklGrid F = HklGrid::filled(-1, 1, -1, 1, -1, 1, 7.0);
    F.at(1, 0, -1) = 42;
    EXPECT_EQ(nearest_F(F, true, 1, 0, -1, 3.0), 42.0);
    EXPECT_EQ(nearest_F(F, true, 0, 0, 0, 3.0), 7.0);    // unlisted inside the box: the box's fill
    EXPECT_EQ(nearest_F(F, true, 2, 0, 0, 3.0), 3.0);    // outside: default_F
    EXPECT_EQ(nearest_F(F, false, 1, 0, -1, 3.0), 3.0);  // no reflections read: default_F everywhere
}

TEST(HklGridFilled, RefusesEmptyRanges) { EXPECT_THROW(HklGrid::filled(2, 1, 0, 0, 0, 0, 1.0), InputError); }
