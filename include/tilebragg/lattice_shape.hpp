#pragma once
// Lattice transforms F_latt of a finite crystal: the spot shape in reciprocal space.
// Part of the pixel model: host and device code call these same functions.
#include <tilebragg/device_math.hpp>
#include <tilebragg/host_device.hpp>
#include <tilebragg/params.hpp>
#include <tilebragg/vec3.hpp>

namespace tilebragg {

// sin(N x) / sin(x), the grating function of N cells, N at x = 0.
// Called with x = pi * (h - h0): the fractional index keeps the argument small, which
// keeps single precision accurate next to the Bragg peak; the sign it loses cancels in
// F_latt^2.
template <typename T>
TB_HD inline T sincg(T x, T N) {
    return x == T(0) ? N : dmath::sin(x * N) / dmath::sin(x);
}

// Transform of a sphere, normalised to 1 at 0.
// Near 0 the closed form cancels catastrophically; double keeps the reference's formula
// (its numbers), float switches to the Taylor series below |x| = 0.1 (error < 3e-6).
template <typename T>
TB_HD inline T sinc3(T x) {
    if constexpr (sizeof(T) < sizeof(double)) {
        if (dmath::fabs(x) < T(0.1)) {
            const T x2 = x * x;
            return T(1) - x2 / T(10) + x2 * x2 / T(280);
        }
    }
    return x == T(0) ? T(1) : T(3) * (dmath::sin(x) / x - dmath::cos(x)) / (x * x);
}

// exp(x) of a double is exactly 0 below this (the result rounds to zero below half the
// smallest subnormal, 2^-1075).
inline constexpr double kDoubleExpUnderflow = -745.1332191019412;

// F_latt for fractional offsets (dh, dk, dl) from the nearest reciprocal-lattice point.
// a_star..c_star: reciprocal axes in 1/Angstrom (the unrotated ones, as the reference uses).
// `reference_zero` says whether the reference, which works in double, gets exactly 0:
// it then skips the step (no F_cell, no per-sub-pixel factor). A Gaussian spot
// underflows to 0 in float (exponent below -103) long before it does in double (below
// -745); the decision has to be double's or -oversample_* runs skip multiplications
// the reference makes.
template <typename T>
TB_HD inline T lattice_factor(LatticeShape shape, T dh, T dk, T dl, T Na, T Nb, T Nc, T fudge, const Vec3T<T>& a_star,
                              const Vec3T<T>& b_star, const Vec3T<T>& c_star, bool& reference_zero) {
    const T pi = T(M_PI);
    T F_latt = T(0);
    switch (shape) {
        case LatticeShape::Square: {
            F_latt = T(1);
            if (Na > T(1)) F_latt *= sincg(pi * dh, Na);
            if (Nb > T(1)) F_latt *= sincg(pi * dk, Nb);
            if (Nc > T(1)) F_latt *= sincg(pi * dl, Nc);
            break;
        }
        case LatticeShape::Round: {
            const T hrad_sqr = dh * dh * Na * Na + dk * dk * Nb * Nb + dl * dl * Nc * Nc;
            // 0.7236... matches the sphere's volume to the parallelepiped's.
            F_latt = Na * Nb * Nc * T(0.723601254558268) * sinc3(pi * dmath::sqrt(hrad_sqr * fudge));
            break;
        }
        case LatticeShape::Gauss:
        case LatticeShape::Tophat: {
            const Vec3T<T> d = a_star * dh + b_star * dk + c_star * dl;
            const T rad_star_sqr = dot(d, d) * Na * Na * Nb * Nb * Nc * Nc;
            if (shape == LatticeShape::Gauss) {
                const T exponent = -(rad_star_sqr / T(0.63) * fudge);
                F_latt = Na * Nb * Nc * dmath::exp(exponent);
                if constexpr (sizeof(T) < sizeof(double))
                    reference_zero = exponent < T(kDoubleExpUnderflow);
                else
                    reference_zero = F_latt == T(0);
                return F_latt;
            }
            F_latt = rad_star_sqr * fudge < T(0.3969) ? Na * Nb * Nc : T(0);
            break;
        }
    }
    reference_zero = F_latt == T(0);
    return F_latt;
}

template <typename T>
TB_HD inline T lattice_factor(LatticeShape shape, T dh, T dk, T dl, T Na, T Nb, T Nc, T fudge, const Vec3T<T>& a_star,
                              const Vec3T<T>& b_star, const Vec3T<T>& c_star) {
    bool zero = false;
    return lattice_factor(shape, dh, dk, dl, Na, Nb, Nc, fudge, a_star, b_star, c_star, zero);
}

}  // namespace tilebragg
