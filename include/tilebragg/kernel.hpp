#pragma once
// The pixel kernel: Experiment + a rectangle of pixels -> photons per pixel.
//
// KernelSetup<T> holds the experiment flattened into the arrays the inner loops read,
// in the kernel's precision T (float or double), lengths in Angstrom so that Miller
// indices come out of one dot product. render_tile() is a pure function of it: a
// pixel's value depends on the setup and the pixel's own index only, never on the tile
// it is rendered in or on the thread that renders it.
#include <cstdint>
#include <vector>

#include <tilebragg/experiment.hpp>

namespace tilebragg {

// A rectangle of pixels, half-open: [fast_begin, fast_end) x [slow_begin, slow_end).
struct Tile {
    int fast_begin = 0, fast_end = 0, slow_begin = 0, slow_end = 0;
    int width() const { return fast_end - fast_begin; }
    int height() const { return slow_end - slow_begin; }
    std::size_t pixels() const { return static_cast<std::size_t>(width()) * static_cast<std::size_t>(height()); }
};

template <typename T>
struct KernelSetup {
    // detector
    int fpixels = 0, spixels = 0, oversample = 1, layers = 1;
    T subpixel = 0, pixel = 0, layer_step = 0, mu = 0, thickness = 0, close_distance = 0, distance = 0;
    Vec3T<T> fdet, sdet, odet, pix0, beam;
    bool curved = false, point_pixel = false;
    bool oversample_thick = false, oversample_polar = false, oversample_omega = false;
    // beam
    std::vector<Vec3T<T>> incident;        // per source, unit
    std::vector<T> inv_lambda;             // per source, 1/Angstrom
    std::vector<Vec3T<T>> e_in, b_in;      // per source: polarization frame
    T kahn = 0;
    bool nopolar = false;
    T dmin = 0;                            // Angstrom
    // crystal
    std::vector<Vec3T<T>> a, b, c;         // per orientation, Angstrom
    Vec3T<T> a_star, b_star, c_star;       // unrotated, 1/Angstrom (spot shapes)
    T Na = 1, Nb = 1, Nc = 1, fudge = 1;
    LatticeShape shape = LatticeShape::Square;
    const HklGrid* F = nullptr;
    bool interpolate = false, has_hkls = false;
    // F of the HKL box in precision T, same layout as HklGrid::F: the inner loop reads
    // it with one gather instead of a double load and conversion per lane. Left empty
    // when T is double (the kernel then reads F->F directly).
    std::vector<T> F_box;
    T default_F = 0;
    bool water = false;
    // normalisation
    double I_bg = 0;                       // per pixel, before r_e^2 * fluence / steps
    double scale = 0;                      // r_e^2 * fluence / steps
    // region
    Roi roi;
    const std::vector<std::uint16_t>* mask = nullptr;
};

template <typename T>
KernelSetup<T> make_kernel_setup(const Experiment& e);

// What the reference accumulates on the side: the solid angle of every sub-pixel.
struct TileSideSums {
    double omega_sum = 0;
};

// Renders `tile` into `out` (tile-sized, row-major, fast fastest). Pixels outside the
// ROI or masked out are left untouched (the caller zero-fills). Runs OpenMP threads
// over rows when called outside a parallel region.
template <typename T>
void render_tile(const KernelSetup<T>& k, const Tile& tile, float* out, TileSideSums& sums);

}  // namespace tilebragg
