#pragma once
// F_cell lookup, part of the pixel model (host and device code call these): the nearest
// reflection, or tricubic Lagrange interpolation between the 4x4x4 nearest reflections.
#include <algorithm>
#include <cmath>
#include <limits>

#include <tilebragg/device_math.hpp>
#include <tilebragg/hkl_grid.hpp>
#include <tilebragg/host_device.hpp>
#include <tilebragg/kernel_view.hpp>

namespace tilebragg {

// A view of a host grid (the double box serves both lookups).
inline StructureFactorView<double> structure_factor_view(const HklGrid& g, bool has_hkls, bool interpolate,
                                                         double default_F) {
    StructureFactorView<double> v;
    v.has_hkls = has_hkls;
    v.interpolate = interpolate;
    v.h_min = g.h_min, v.k_min = g.k_min, v.l_min = g.l_min;
    v.h_count = g.empty() ? 0 : g.h_count();
    v.k_count = g.empty() ? 0 : g.k_count();
    v.l_count = g.empty() ? 0 : g.l_count();
    v.F = g.F.data();
    v.F_double = g.F.data();
    v.default_F = default_F;
    return v;
}

template <typename T>
TB_HD inline bool box_contains(const StructureFactorView<T>& F, int h, int k, int l) {
    return h >= F.h_min && h - F.h_min < F.h_count && k >= F.k_min && k - F.k_min < F.k_count && l >= F.l_min &&
           l - F.l_min < F.l_count;
}

template <typename T>
TB_HD inline long long box_index(const StructureFactorView<T>& F, int h, int k, int l) {
    return (static_cast<long long>(h - F.h_min) * F.k_count + (k - F.k_min)) * F.l_count + (l - F.l_min);
}

// Nearest reflection (h0, k0, l0 already rounded); default_F outside the box or when no
// table was read.
template <typename T>
TB_HD inline T nearest_F(const StructureFactorView<T>& F, int h0, int k0, int l0) {
    if (F.has_hkls && box_contains(F, h0, k0, l0)) return dmath::read_only(F.F + box_index(F, h0, k0, l0));
    return F.default_F;
}

// nearest_F without a branch, for vector loops: lanes outside the box read entry 0 and
// then take default_F, so the lookup stays one gather. Preconditions: a table was read
// (has_hkls) and the box has fewer than 2^31 entries (32-bit signed offsets are what
// make it a single gather instruction).
template <typename T>
TB_HD inline T nearest_F_in_box(const StructureFactorView<T>& F, T h0, T k0, T l0) {
    const unsigned ih = unsigned(int(h0) - F.h_min), ik = unsigned(int(k0) - F.k_min), il = unsigned(int(l0) - F.l_min);
    const bool inside = (ih < unsigned(F.h_count)) & (ik < unsigned(F.k_count)) & (il < unsigned(F.l_count));
    const int at = inside ? int((ih * unsigned(F.k_count) + ik) * unsigned(F.l_count) + il) : 0;
    const T F_box = dmath::read_only(F.F + at);
    return inside ? F_box : F.default_F;
}

// nearest_F_in_box for indices known to lie inside the box (inside_box_s2 below): no
// bounds test, no mask and no blend, and the offset from reflection (0,0,0) computed in T,
// where it is exact (the box has fewer than 2^24 entries). `origin` points at F(0,0,0).
// With the bounds test the lookup is 26 of the 132 micro-ops of one vector of the square
// crystal's loop, without it 12 of 118 (docs/scaling.md, "The F lookup").
template <typename T>
inline T nearest_F_inside(const T* origin, T k_count, T l_count, T h0, T k0, T l0) {
    return origin[int((h0 * k_count + k0) * l_count + l0)];
}

// The largest |S|^2 (1/Angstrom^2) for which every orientation's nearest reflection is
// inside the box, -1 when the box does not hold (0,0,0) with a margin of one reflection.
// |h| = |a.S| <= |a| |S| whatever the direction, so |S| <= R / max|a| (R: the box's
// half-width about 0 along h) keeps round(h) inside; the margin (1e-4 relative, much more
// than the few ulps with which the kernel computes S, |S|^2 and a.S in T) makes it hold
// for the rounded numbers too. Needs fewer than 2^24 entries (nearest_F_inside's offset).
template <typename T>
double inside_box_s2(const StructureFactorView<T>& F, const Vec3T<T>* a, const Vec3T<T>* b, const Vec3T<T>* c,
                     int orientations) {
    if (!F.has_hkls || static_cast<long long>(F.h_count) * F.k_count * F.l_count >= (1LL << 24)) return -1;
    const int half_h = std::min(-F.h_min, F.h_min + F.h_count - 1);
    const int half_k = std::min(-F.k_min, F.k_min + F.k_count - 1);
    const int half_l = std::min(-F.l_min, F.l_min + F.l_count - 1);
    if (half_h < 1 || half_k < 1 || half_l < 1) return -1;
    const auto length2 = [](const Vec3T<T>& v) {
        const Vec3T<double> d = v.template as<double>();
        return dot(d, d);
    };
    double a2 = 0, b2 = 0, c2 = 0;
    for (int o = 0; o < orientations; ++o) {
        a2 = std::max(a2, length2(a[o]));
        b2 = std::max(b2, length2(b[o]));
        c2 = std::max(c2, length2(c[o]));
    }
    constexpr double kMargin = 1e-4;
    double s2 = std::numeric_limits<double>::infinity();
    if (a2 > 0) s2 = std::min(s2, double(half_h) * half_h / a2);
    if (b2 > 0) s2 = std::min(s2, double(half_k) * half_k / b2);
    if (c2 > 0) s2 = std::min(s2, double(half_l) * half_l / c2);
    return std::isfinite(s2) ? s2 * (1 - kMargin) / ((1 + kMargin) * (1 + kMargin)) : -1;
}

// 4-point Lagrange polynomial through (x0..x0+3, y[0..3]) at x.
TB_HD inline double lagrange4(double x0, const double y[4], double x) {
    const double t0 = x - x0, t1 = x - (x0 + 1), t2 = x - (x0 + 2), t3 = x - (x0 + 3);
    // Nodes are unit spaced, so the denominators are -6, 2, -2, 6.
    return t1 * t2 * t3 * y[0] / -6.0 + t0 * t2 * t3 * y[1] / 2.0 + t0 * t1 * t3 * y[2] / -2.0 +
           t0 * t1 * t2 * y[3] / 6.0;
}

// True when the 4x4x4 neighbourhood of (h, k, l) lies inside the box with the
// reference's margin; otherwise the caller falls back to nearest_F.
template <typename T>
TB_HD inline bool can_interpolate(const StructureFactorView<T>& F, double h, double k, double l) {
    return !(h - F.h_min + 3 > F.h_count || h - 2 < F.h_min || k - F.k_min + 3 > F.k_count || k - 2 < F.k_min ||
             l - F.l_min + 3 > F.l_count || l - 2 < F.l_min);
}

// Tricubic interpolation in double, as the reference; precondition can_interpolate.
template <typename T>
TB_HD inline double interpolated_F(const StructureFactorView<T>& F, double h, double k, double l) {
    const int h1 = static_cast<int>(dmath::floor(h)) - 1;
    const int k1 = static_cast<int>(dmath::floor(k)) - 1;
    const int l1 = static_cast<int>(dmath::floor(l)) - 1;
    double along_h[4];
    for (int i = 0; i < 4; ++i) {
        double along_k[4];
        for (int j = 0; j < 4; ++j) {
            double along_l[4];
            for (int m = 0; m < 4; ++m)
                along_l[m] = dmath::read_only(F.F_double + box_index(F, h1 + i, k1 + j, l1 + m));
            along_k[j] = lagrange4(double(l1), along_l, l);
        }
        along_h[i] = lagrange4(double(k1), along_k, k);
    }
    return lagrange4(double(h1), along_h, h);
}

// F_cell of one step: interpolated where asked and possible, else the nearest reflection.
template <typename T>
TB_HD inline T structure_factor(const StructureFactorView<T>& F, T h, T k, T l, int h0, int k0, int l0) {
    if (!F.has_hkls) return F.default_F;
    if (F.interpolate && can_interpolate(F, double(h), double(k), double(l)))
        return T(interpolated_F(F, double(h), double(k), double(l)));
    return nearest_F(F, h0, k0, l0);
}

// The host grid's own lookups (setup, tests).
inline bool can_interpolate(const HklGrid& g, double h, double k, double l) {
    return can_interpolate(structure_factor_view(g, true, true, g.default_F), h, k, l);
}
inline double interpolated_F(const HklGrid& g, double h, double k, double l) {
    return interpolated_F(structure_factor_view(g, true, true, g.default_F), h, k, l);
}
inline double nearest_F(const HklGrid& g, bool has_hkls, int h0, int k0, int l0, double default_F) {
    return nearest_F(structure_factor_view(g, has_hkls, false, default_F), h0, k0, l0);
}

}  // namespace tilebragg
