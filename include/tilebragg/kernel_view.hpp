#pragma once
// What the pixel kernel reads, as trivially copyable views: numbers, and raw pointers
// with counts into arrays owned elsewhere (KernelData on the host, device buffers for a
// GPU). A view is copied to a device as it is. Lengths are in Angstrom so that Miller
// indices come out of one dot product; the precision T (float or double) is the kernel's.
// Split by concept, as the physics is: detector, beam, crystal, structure factors.
#include <cstdint>
#include <type_traits>

#include <tilebragg/params.hpp>
#include <tilebragg/vec3.hpp>

namespace tilebragg {

template <typename T>
struct DetectorView {
    int fpixels = 0, spixels = 0;             // the whole detector
    int oversample = 1, layers = 1;           // sub-pixels per pixel edge, sensor layers
    T pixel = 0, subpixel = 0;                // m
    T layer_step = 0, mu = 0, thickness = 0;  // m, 1/m, m
    T close_distance = 0, distance = 0;       // m
    Vec3T<T> fdet, sdet, odet, pix0, beam;    // unit axes; pix0 in m
    bool curved = false, point_pixel = false;
    bool oversample_thick = false, oversample_polar = false, oversample_omega = false;
    Roi roi;                              // inclusive bounds, resolved
    const std::uint16_t* mask = nullptr;  // fpixels * spixels, 0 = skip; null: none
};

template <typename T>
struct BeamView {
    int sources = 0;
    const Vec3T<T>* incident = nullptr;  // unit, source to sample
    const T* inv_lambda = nullptr;       // 1/Angstrom
    const Vec3T<T>* e_in = nullptr;      // polarization frame of each source
    const Vec3T<T>* b_in = nullptr;
    T kahn = 0;  // Kahn polarization factor
    bool nopolar = false;
    T dmin = 0;  // Angstrom; 0: no cut
};

template <typename T>
struct CrystalView {
    int orientations = 0;         // phi steps x mosaic domains, phi slowest
    const Vec3T<T>* a = nullptr;  // real-space axes per orientation, Angstrom
    const Vec3T<T>* b = nullptr;
    const Vec3T<T>* c = nullptr;
    Vec3T<T> a_star, b_star, c_star;  // unrotated, 1/Angstrom (spot shapes)
    T Na = 1, Nb = 1, Nc = 1, fudge = 1;
    LatticeShape shape = LatticeShape::Square;
};

// F(hkl) on a dense box of Miller indices, l fastest; default_F outside it.
template <typename T>
struct StructureFactorView {
    bool has_hkls = false;  // false: default_F everywhere (no table read)
    bool interpolate = false;
    int h_min = 0, k_min = 0, l_min = 0;
    int h_count = 0, k_count = 0, l_count = 0;
    const T* F = nullptr;              // the box in precision T (nearest reflection)
    const double* F_double = nullptr;  // the box in double (interpolation, as the reference)
    T default_F = 0;
};

template <typename T>
struct KernelView {
    DetectorView<T> detector;
    BeamView<T> beam;
    CrystalView<T> crystal;
    StructureFactorView<T> F;
    bool water = false;  // a water background: lattice zeros still count as steps
    double I_bg = 0;     // background per pixel, before scale
    double scale = 0;    // r_e^2 * fluence / steps
};

static_assert(std::is_trivially_copyable_v<KernelView<float>>, "a view goes to a device as it is");
static_assert(std::is_trivially_copyable_v<KernelView<double>>, "a view goes to a device as it is");

}  // namespace tilebragg
