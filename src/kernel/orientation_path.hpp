#pragma once
// Which inner loop over crystal orientations a view runs, decided once per image by the
// same rule in the CPU and CUDA kernels: the general one (every spot shape, interpolated
// F_cell, the -oversample_* switches), or the square-crystal one for a given F_cell
// source and a given N (0 = any N, through sines; 1..kMaxRecurrenceN = the grating
// recurrence). Host code only.
#include <algorithm>
#include <cmath>

#include <tilebragg/kernel_view.hpp>
#include <tilebragg/structure_factor.hpp>

#include "kernel/grating.hpp"

namespace tilebragg {

struct OrientationPath {
    bool general = true;
    bool box = false;  // F_cell from the box (nearest reflection); false: default_F
    int N = 0;
    // The CPU kernel's: |S|^2 under which every nearest reflection is inside the box
    // (inside_box_s2), -1: none.
    double inside_s2 = -1;
};

template <typename T>
OrientationPath choose_path(const KernelView<T>& k) {
    OrientationPath p;
    const CrystalView<T>& x = k.crystal;
    const DetectorView<T>& det = k.detector;
    if (x.shape != LatticeShape::Square || (k.F.has_hkls && k.F.interpolate)) return p;
    if (det.oversample_thick || det.oversample_polar || det.oversample_omega) return p;
    // The box is indexed with 32-bit signed offsets.
    if (k.F.has_hkls && static_cast<long long>(k.F.h_count) * k.F.k_count * k.F.l_count >= (1LL << 31)) return p;
    p.general = false;
    p.box = k.F.has_hkls;
    if (p.box) p.inside_s2 = inside_box_s2(k.F, x.a, x.b, x.c, x.orientations);
    // N <= 1 on an axis means a factor 1 there, which is also what U_0 gives.
    const T Na = std::max(x.Na, T(1)), Nb = std::max(x.Nb, T(1)), Nc = std::max(x.Nc, T(1));
    if (Na == Nb && Nb == Nc && Na <= T(kernel_math::kMaxRecurrenceN) && Na == std::floor(Na)) p.N = int(Na);
    return p;
}

}  // namespace tilebragg
