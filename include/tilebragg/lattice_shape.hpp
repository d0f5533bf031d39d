#pragma once
// Lattice transforms F_latt of a finite crystal: the spot shape in reciprocal space.
#include <cmath>

#include <tilebragg/params.hpp>
#include <tilebragg/vec3.hpp>

namespace tilebragg {

// sin(N x) / sin(x), the grating function of N cells, N at x = 0.
// Called with x = pi * (h - h0): the fractional index keeps the argument small, which
// keeps single precision accurate next to the Bragg peak; the sign it loses cancels in
// F_latt^2.
template <typename T>
inline T sincg(T x, T N) {
    return x == T(0) ? N : std::sin(x * N) / std::sin(x);
}

// Transform of a sphere, normalised to 1 at 0.
// Near 0 the closed form cancels catastrophically; double keeps the reference's formula
// (its numbers), float switches to the Taylor series below |x| = 0.1 (error < 3e-6).
template <typename T>
inline T sinc3(T x) {
    if constexpr (sizeof(T) < sizeof(double)) {
        if (std::fabs(x) < T(0.1)) {
            const T x2 = x * x;
            return T(1) - x2 / T(10) + x2 * x2 / T(280);
        }
    }
    return x == T(0) ? T(1) : T(3) * (std::sin(x) / x - std::cos(x)) / (x * x);
}

// F_latt for fractional offsets (dh, dk, dl) from the nearest reciprocal-lattice point.
// a_star..c_star: reciprocal axes in 1/Angstrom (the unrotated ones, as the reference uses).
template <typename T>
inline T lattice_factor(LatticeShape shape, T dh, T dk, T dl, T Na, T Nb, T Nc, T fudge,
                        const Vec3T<T>& a_star, const Vec3T<T>& b_star, const Vec3T<T>& c_star) {
    const T pi = T(M_PI);
    switch (shape) {
        case LatticeShape::Square: {
            T f = T(1);
            if (Na > T(1)) f *= sincg(pi * dh, Na);
            if (Nb > T(1)) f *= sincg(pi * dk, Nb);
            if (Nc > T(1)) f *= sincg(pi * dl, Nc);
            return f;
        }
        case LatticeShape::Round: {
            const T hrad_sqr = dh * dh * Na * Na + dk * dk * Nb * Nb + dl * dl * Nc * Nc;
            // 0.7236... matches the sphere's volume to the parallelepiped's.
            return Na * Nb * Nc * T(0.723601254558268) * sinc3(pi * std::sqrt(hrad_sqr * fudge));
        }
        case LatticeShape::Gauss:
        case LatticeShape::Tophat: {
            const Vec3T<T> d = a_star * dh + b_star * dk + c_star * dl;
            const T rad_star_sqr = dot(d, d) * Na * Na * Nb * Nb * Nc * Nc;
            if (shape == LatticeShape::Gauss) return Na * Nb * Nc * std::exp(-(rad_star_sqr / T(0.63) * fudge));
            return rad_star_sqr * fudge < T(0.3969) ? Na * Nb * Nc : T(0);
        }
    }
    return T(0);
}

}  // namespace tilebragg
