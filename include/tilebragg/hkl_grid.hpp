#pragma once
// Structure factors |F(hkl)| on a dense box of Miller indices, as nanoBragg keeps them:
// every index inside [h_min,h_max] x [k_min,k_max] x [l_min,l_max] has a value (listed
// reflections their F, the rest default_F), and indices outside the box are default_F.
#include <cstddef>
#include <vector>

namespace tilebragg {

struct HklGrid {
    int h_min = 0, h_max = -1;
    int k_min = 0, k_max = -1;
    int l_min = 0, l_max = -1;
    // F of the box, l fastest: index ((h - h_min) * k_count() + (k - k_min)) * l_count() + (l - l_min).
    std::vector<double> F;
    // F of every hkl not in the box; also what unlisted hkls inside the box were set to.
    double default_F = 0.0;
    // What nanoBragg reports as "N initialized hkls": the number of reflection lines read
    // from an HKL file (duplicates included), or for an Fdump cache the product of the
    // three index ranges. The reference treats 0 as "no structure factors at all" (it
    // then uses default_F everywhere and switches interpolation off).
    long long hkls = 0;

    int h_count() const { return h_max - h_min + 1; }
    int k_count() const { return k_max - k_min + 1; }
    int l_count() const { return l_max - l_min + 1; }
    bool empty() const { return F.empty(); }

    bool contains(int h, int k, int l) const {
        return h >= h_min && h <= h_max && k >= k_min && k <= k_max && l >= l_min && l <= l_max;
    }
    // Position of (h,k,l) in F; only meaningful when contains(h,k,l).
    std::size_t index(int h, int k, int l) const {
        return (static_cast<std::size_t>(h - h_min) * static_cast<std::size_t>(k_count()) +
                static_cast<std::size_t>(k - k_min)) *
                   static_cast<std::size_t>(l_count()) +
               static_cast<std::size_t>(l - l_min);
    }
    // F inside the box; precondition contains(h,k,l).
    double at(int h, int k, int l) const { return F[index(h, k, l)]; }
    double& at(int h, int k, int l) { return F[index(h, k, l)]; }
    // F inside the box, default_F outside it.
    double value_or_default(int h, int k, int l) const { return contains(h, k, l) ? at(h, k, l) : default_F; }

    // A box with every value set to `fill`; hkls stays 0. Throws InputError when a
    // range is empty, the box would not fit in memory, or one index range is longer than
    // 16 edges of the largest cube the memory budget holds (a stray index: hkl_grid.cpp).
    static HklGrid filled(int h_min, int h_max, int k_min, int k_max, int l_min, int l_max, double fill);
};

}  // namespace tilebragg
