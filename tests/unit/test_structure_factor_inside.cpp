// The F lookup without a bounds test: for every |S| up to inside_box_s2's limit, each
// orientation's nearest reflection lies inside the box and nearest_F_inside reads the
// value nearest_F_in_box reads; past the limit the kernel keeps the checked lookup.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include <tilebragg/pixel_model.hpp>
#include <tilebragg/structure_factor.hpp>

namespace tilebragg {
namespace {

template <typename T>
void check_inside(int h_min, int h_max, int k_min, int k_max, int l_min, int l_max) {
    const int hc = h_max - h_min + 1, kc = k_max - k_min + 1, lc = l_max - l_min + 1;
    std::vector<T> box(static_cast<std::size_t>(hc) * kc * lc);
    for (std::size_t i = 0; i < box.size(); ++i) box[i] = T(1 + i % 977);
    StructureFactorView<T> F;
    F.has_hkls = true;
    F.h_min = h_min, F.k_min = k_min, F.l_min = l_min;
    F.h_count = hc, F.k_count = kc, F.l_count = lc;
    F.F = box.data();
    F.default_F = T(-1);

    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-1, 1);
    std::vector<Vec3T<T>> a, b, c;
    for (int o = 0; o < 20; ++o) {
        // Cell axes of 40 to 300 Angstrom in random directions.
        const auto axis = [&](double length) {
            Vec3T<double> v{u(rng), u(rng), u(rng)};
            const double n = std::sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
            return Vec3T<T>{T(v.x / n * length), T(v.y / n * length), T(v.z / n * length)};
        };
        a.push_back(axis(281 + 20 * u(rng)));
        b.push_back(axis(150 + 100 * u(rng)));
        c.push_back(axis(60 + 20 * u(rng)));
    }
    const double limit = inside_box_s2(F, a.data(), b.data(), c.data(), 20);
    ASSERT_GT(limit, 0.0);
    const T* origin = F.F + box_index(F, 0, 0, 0);
    long reached_edge = 0;
    for (int n = 0; n < 200000; ++n) {
        // S on or just inside the limit's sphere, where the margin is thinnest.
        Vec3T<double> d{u(rng), u(rng), u(rng)};
        const double len = std::sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
        const double r = std::sqrt(limit) * (n % 2 ? 1.0 : std::abs(u(rng)));
        const Vec3T<T> S{T(d.x / len * r), T(d.y / len * r), T(d.z / len * r)};
        if (!(S.x * S.x + S.y * S.y + S.z * S.z <= T(limit))) continue;  // the kernel's own test
        for (int o = 0; o < 20; ++o) {
            const T h0 = nearest_index(miller_index(a[o], S)), k0 = nearest_index(miller_index(b[o], S)),
                    l0 = nearest_index(miller_index(c[o], S));
            ASSERT_TRUE(box_contains(F, int(h0), int(k0), int(l0))) << h0 << " " << k0 << " " << l0;
            ASSERT_EQ(nearest_F_inside(origin, T(kc), T(lc), h0, k0, l0), nearest_F_in_box(F, h0, k0, l0));
            reached_edge += int(h0) == h_min || int(h0) == h_max || int(l0) == l_min || int(l0) == l_max;
        }
    }
    // The limit is not so cautious that the box's edge is never used.
    EXPECT_GT(reached_edge, 0);
}

TEST(StructureFactorInside, SymmetricBoxFloat) { check_inside<float>(-30, 30, -30, 30, -18, 18); }
TEST(StructureFactorInside, SymmetricBoxDouble) { check_inside<double>(-30, 30, -30, 30, -18, 18); }
TEST(StructureFactorInside, LopsidedBoxFloat) { check_inside<float>(-12, 40, -25, 9, -3, 7); }

TEST(StructureFactorInside, NoLimitWithoutTheOriginInside) {
    std::vector<float> box(10 * 10 * 10, 1.0f);
    StructureFactorView<float> F;
    F.has_hkls = true;
    F.h_min = 1, F.k_min = -5, F.l_min = -5;
    F.h_count = F.k_count = F.l_count = 10;
    F.F = box.data();
    const Vec3T<float> a{100, 0, 0}, b{0, 100, 0}, c{0, 0, 100};
    EXPECT_LT(inside_box_s2(F, &a, &b, &c, 1), 0.0);
    F.h_min = -5;
    EXPECT_GT(inside_box_s2(F, &a, &b, &c, 1), 0.0);
    F.has_hkls = false;
    EXPECT_LT(inside_box_s2(F, &a, &b, &c, 1), 0.0);
}

}  // namespace
}  // namespace tilebragg
