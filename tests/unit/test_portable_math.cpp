// exp, log and cos(2 pi u) written to give the same bits on host and GPU
// (portable_math.hpp): close to the C library's, and exact where they must be.
#include <tilebragg/portable_math.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace tilebragg {
namespace {

TEST(PortableMath, ExpIsWithinTwoUnitsInTheLastPlace) {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> x(-745.0, 709.0);
    for (int i = 0; i < 200000; ++i) {
        const double v = i < 1000 ? -12.0 * i / 1000.0 : x(rng);
        const double want = std::exp(v);
        if (want < std::numeric_limits<double>::min()) continue;  // subnormal results: fewer digits
        EXPECT_LE(std::fabs(pmath::exp(v) - want), 4.5e-16 * want) << v;
    }
    EXPECT_EQ(pmath::exp(0.0), 1.0);
    EXPECT_EQ(pmath::exp(-800.0), 0.0);
    EXPECT_TRUE(std::isinf(pmath::exp(710.0)));
    EXPECT_TRUE(std::isnan(pmath::exp(std::nan(""))));
    EXPECT_GT(pmath::exp(-740.0), 0.0);  // subnormal, not zero
}

TEST(PortableMath, LogIsWithinTwoUnitsInTheLastPlace) {
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> exponent(-700.0, 700.0);
    for (int i = 0; i < 200000; ++i) {
        const double v = i < 1000 ? 1.0 + (i - 500) * 1e-6 : std::exp(exponent(rng));
        const double want = std::log(v);
        EXPECT_LE(std::fabs(pmath::log(v) - want), 4.5e-16 * std::max(std::fabs(want), 1e-300) + 1e-300) << v;
    }
    EXPECT_EQ(pmath::log(1.0), 0.0);
    EXPECT_NEAR(pmath::log(4.9e-324), std::log(4.9e-324), 1e-12);
    EXPECT_TRUE(std::isinf(pmath::log(0.0)) && pmath::log(0.0) < 0);
    EXPECT_TRUE(std::isnan(pmath::log(-1.0)));
}

TEST(PortableMath, CosineOfATurnFractionIsAccurateAndExactAtQuarters) {
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double two_pi = 6.283185307179586476925;
    for (int i = 0; i < 200000; ++i) {
        const double v = u(rng);
        EXPECT_NEAR(pmath::cos_two_pi(v), std::cos(two_pi * v), 2e-15) << v;
    }
    EXPECT_EQ(pmath::cos_two_pi(0.0), 1.0);
    EXPECT_EQ(pmath::cos_two_pi(0.25), 0.0);
    EXPECT_EQ(pmath::cos_two_pi(0.5), -1.0);
    EXPECT_EQ(pmath::cos_two_pi(1.0), 1.0);
}

}  // namespace
}  // namespace tilebragg
