#pragma once
// F_cell lookup: nearest reflection, or tricubic Lagrange interpolation between the
// 4x4x4 nearest reflections.
#include <cmath>

#include <tilebragg/hkl_grid.hpp>

namespace tilebragg {

// Nearest reflection (h0, k0, l0 already rounded); default_F outside the table or
// when no table was read.
inline double nearest_F(const HklGrid& F, bool has_hkls, int h0, int k0, int l0, double default_F) {
    if (has_hkls && F.contains(h0, k0, l0)) return F.at(h0, k0, l0);
    return default_F;
}

// 4-point Lagrange polynomial through (x0..x0+3, y[0..3]) at x.
inline double lagrange4(double x0, const double y[4], double x) {
    const double t0 = x - x0, t1 = x - (x0 + 1), t2 = x - (x0 + 2), t3 = x - (x0 + 3);
    // Nodes are unit spaced, so the denominators are -6, 2, -2, 6.
    return t1 * t2 * t3 * y[0] / -6.0 + t0 * t2 * t3 * y[1] / 2.0 + t0 * t1 * t3 * y[2] / -2.0 +
           t0 * t1 * t2 * y[3] / 6.0;
}

// True when the 4x4x4 neighbourhood of (h, k, l) lies inside the table with the
// reference's margin; otherwise the caller falls back to nearest_F.
inline bool can_interpolate(const HklGrid& F, double h, double k, double l) {
    return !(h - F.h_min + 3 > F.h_count() || h - 2 < F.h_min || k - F.k_min + 3 > F.k_count() ||
             k - 2 < F.k_min || l - F.l_min + 3 > F.l_count() || l - 2 < F.l_min);
}

// Tricubic interpolation; precondition can_interpolate(F, h, k, l).
inline double interpolated_F(const HklGrid& F, double h, double k, double l) {
    const int h1 = static_cast<int>(std::floor(h)) - 1;
    const int k1 = static_cast<int>(std::floor(k)) - 1;
    const int l1 = static_cast<int>(std::floor(l)) - 1;
    double along_h[4];
    for (int i = 0; i < 4; ++i) {
        double along_k[4];
        for (int j = 0; j < 4; ++j) {
            double along_l[4];
            for (int m = 0; m < 4; ++m) along_l[m] = F.at(h1 + i, k1 + j, l1 + m);
            along_k[j] = lagrange4(l1, along_l, l);
        }
        along_h[i] = lagrange4(k1, along_k, k);
    }
    return lagrange4(h1, along_h, h);
}

}  // namespace tilebragg
