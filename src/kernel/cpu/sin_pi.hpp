#pragma once
// sin(pi x) as straight-line code, so that a `#pragma omp simd` loop over pixels keeps
// it in vector registers (the C library's sinf/sin are calls the compiler will not
// vectorise without -ffast-math).
//
// Working in units of pi makes the range reduction exact: x - rint(x) is computed
// without rounding error, so the only error is the polynomial's. On |r| <= 1/2,
// sin(pi r) = r * P(r^2) with P a near-minimax polynomial (Chebyshev fit of
// sin(pi sqrt(u)) / sqrt(u) on [0, 1/4], made with 40-digit arithmetic):
//   float:  5 coefficients, relative error < 7e-9  (float's rounding unit: 6e-8)
//   double: 9 coefficients, relative error < 4e-19 (double's rounding unit: 1.1e-16)
#include <cmath>
#include <cstdint>
#include <type_traits>

#include <tilebragg/device_math.hpp>

namespace tilebragg::kernel_math {

// sin(pi r) for |r| <= 1/2; T is float or double, or a vector of them (device_math.hpp).
template <typename T>
inline T sin_pi_reduced(T r) {
    const T u = r * r;
    if constexpr (std::is_same_v<dmath::lane_value_t<T>, float>) {
        return r *
               (3.14159264007720325175f +
                u * (-5.16771007666831440926f +
                     u * (2.5500773865289118653f + u * (-0.598290411283427534901f + u * 0.0776559122760138694129f))));
    } else {
        T p = T(7.6978267682241906454e-7);
        p = p * u - 0.000021903497074626017191;
        p = p * u + 0.00046629981618983938014;
        p = p * u - 0.0073704305059169434047;
        p = p * u + 0.08214588657310289502;
        p = p * u - 0.59926452931894468132;
        p = p * u + 2.5501640398773004745;
        p = p * u - 5.1677127800499696077;
        p = p * u + 3.1415926535897932378;
        return r * p;
    }
}

// sin(pi x) for |x| < 2^30: x = m + r with m integer, sin(pi x) = (-1)^m sin(pi r).
template <typename T>
inline T sin_pi(T x) {
    const T m = std::rint(x);
    const T s = sin_pi_reduced(x - m);
    const std::int32_t odd = static_cast<std::int32_t>(m) & 1;
    return odd ? -s : s;
}

// sin(pi x) up to its sign, for callers that only use its square: skips the parity test.
template <typename T>
inline T sin_pi_unsigned(T x) {
    return sin_pi_reduced(x - dmath::rint(x));
}

}  // namespace tilebragg::kernel_math
