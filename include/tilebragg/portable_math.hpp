#pragma once
// exp, log and cos(2 pi u) in double that give the same bits on the host and on a GPU.
// The C library's and CUDA's versions of these functions round differently in the last
// place now and then; a Poisson draw that compares against them would then differ by a
// count between the CPU and the GPU. These are written with +, -, *, / and exact bit
// operations only, which IEEE 754 defines to the bit, so they agree wherever the
// compiler does not fuse a multiply and an add: the host build has -ffp-contract=off,
// and device code that calls them is compiled with --fmad=false (CMakeLists.txt).
// Accuracy: within about 2 units in the last place (Taylor series, Cody-Waite reduction).
#include <cstdint>
#include <cstring>

#include <tilebragg/host_device.hpp>

namespace tilebragg::pmath {

TB_HD inline std::uint64_t bits_of(double x) {
#if defined(__CUDA_ARCH__)
    return static_cast<std::uint64_t>(__double_as_longlong(x));
#else
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
#endif
}

TB_HD inline double double_of(std::uint64_t b) {
#if defined(__CUDA_ARCH__)
    return __longlong_as_double(static_cast<long long>(b));
#else
    double x;
    std::memcpy(&x, &b, sizeof x);
    return x;
#endif
}

// floor for |x| < 2^52 (what the callers pass), from the conversion to an integer.
TB_HD inline double floor_small(double x) {
    const double t = static_cast<double>(static_cast<std::int64_t>(x));
    return t > x ? t - 1.0 : t;
}

// 2^k for -1022 <= k <= 1023.
TB_HD inline double two_to(int k) { return double_of(static_cast<std::uint64_t>(k + 1023) << 52); }

// ln 2 in two parts: the first has 21 trailing zero bits, so k * kLn2High is exact.
inline constexpr double kLn2High = 6.93147180369123816490e-01;
inline constexpr double kLn2Low = 1.90821492927058770002e-10;
inline constexpr double kInvLn2 = 1.44269504088896338700e+00;

// e^x.
TB_HD inline double exp(double x) {
    if (!(x == x)) return x;
    if (x > 709.78) return double_of(0x7ff0000000000000ull);
    if (x < -745.2) return 0.0;
    // x = k ln 2 + r, |r| <= ln 2 / 2 (Cody-Waite: the product k * kLn2High is exact).
    // k = x / ln 2 rounded by adding and taking away 1.5 * 2^52 (no conversions in the
    // chain of dependent operations); the sum's low bits are k as an integer.
    constexpr double kShifter = 6755399441055744.0;
    const double shifted = x * kInvLn2 + kShifter;
    const double k = shifted - kShifter;
    const int n = static_cast<std::int32_t>(static_cast<std::uint32_t>(bits_of(shifted)));
    const double r = (x - k * kLn2High) - k * kLn2Low;
    // e^r by its Taylor series to r^13 / 13! (the next term is below 4e-18), evaluated in
    // Estrin's scheme: a third of Horner's chain of dependent operations, which without
    // fused multiply-adds is what the time goes to.
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double q0 = 1.0 + r, q1 = 0.5 + r * (1.0 / 6.0), q2 = 1.0 / 24.0 + r * (1.0 / 120.0),
                 q3 = 1.0 / 720.0 + r * (1.0 / 5040.0), q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0),
                 q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0), q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    const double t0 = (q0 + q1 * r2) + (q2 + q3 * r2) * r4;
    const double t1 = (q4 + q5 * r2) + q6 * r4;
    const double p = t0 + t1 * r8;
    // 2^n in two steps where one would leave the normal range.
    if (n < -1020) return p * two_to(n + 60) * two_to(-60);
    if (n > 1023) return p * two_to(n - 1) * 2.0;
    return p * two_to(n);
}

// ln x (x > 0; NaN for x < 0 or NaN, -inf for 0, inf for inf).
TB_HD inline double log(double x) {
    if (!(x > 0.0)) return x == 0.0 ? -double_of(0x7ff0000000000000ull) : double_of(0x7ff8000000000000ull);
    if (x == double_of(0x7ff0000000000000ull)) return x;
    int e = 0;
    if (x < two_to(-1022)) {  // subnormal: scale into the normal range first
        x *= two_to(60);
        e = -60;
    }
    const std::uint64_t b = bits_of(x);
    e += static_cast<int>((b >> 52) & 0x7ff) - 1023;
    // x = m 2^e with m in [1, 2), then m in [sqrt(1/2), sqrt(2)).
    double m = double_of((b & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > 1.4142135623730951) {
        m *= 0.5;
        ++e;
    }
    // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the series to s^23 / 23.
    const double f = m - 1.0;  // exact
    const double s = f / (2.0 + f);
    const double s2 = s * s, s4 = s2 * s2, s8 = s4 * s4;
    // p = 1/3 + s2/5 + s2^2/7 + ... + s2^10/23, in Estrin's scheme (see exp).
    const double a0 = 1.0 / 3.0 + s2 * (1.0 / 5.0), a1 = 1.0 / 7.0 + s2 * (1.0 / 9.0),
                 a2 = 1.0 / 11.0 + s2 * (1.0 / 13.0), a3 = 1.0 / 15.0 + s2 * (1.0 / 17.0),
                 a4 = 1.0 / 19.0 + s2 * (1.0 / 21.0);
    const double p = ((a0 + a1 * s4) + (a2 + a3 * s4) * s8) + (a4 + s4 * (1.0 / 23.0)) * (s8 * s8);
    const double ln_m = 2.0 * s + 2.0 * s * (s2 * p);
    const double k = static_cast<double>(e);
    return k * kLn2High + (ln_m + k * kLn2Low);
}

// cos(2 pi u) for u in [0, 1] (Box-Muller's angle). The reduction to an eighth of a turn
// is exact; the rest are Taylor series to x^16 / 16! and x^17 / 17! on |x| <= pi / 4.
TB_HD inline double cos_two_pi(double u) {
    const double t = u - floor_small(u + 0.5);    // [-1/2, 1/2], exact
    const double q = floor_small(4.0 * t + 0.5);  // quarter turns, -2 ... 2
    const double x = (t - 0.25 * q) * 6.28318530717958647692;
    const double x2 = x * x;
    double c = 1.0 / 20922789888000.0;
    c = c * x2 - 1.0 / 87178291200.0;
    c = c * x2 + 1.0 / 479001600.0;
    c = c * x2 - 1.0 / 3628800.0;
    c = c * x2 + 1.0 / 40320.0;
    c = c * x2 - 1.0 / 720.0;
    c = c * x2 + 1.0 / 24.0;
    c = c * x2 - 0.5;
    c = c * x2 + 1.0;
    double s = 1.0 / 355687428096000.0;
    s = s * x2 - 1.0 / 1307674368000.0;
    s = s * x2 + 1.0 / 6227020800.0;
    s = s * x2 - 1.0 / 39916800.0;
    s = s * x2 + 1.0 / 362880.0;
    s = s * x2 - 1.0 / 5040.0;
    s = s * x2 + 1.0 / 120.0;
    s = s * x2 - 1.0 / 6.0;
    s = s * x2 + 1.0;
    s *= x;
    // cos(x + q pi / 2)
    const int quarter = static_cast<int>(q) & 3;
    if (quarter == 0) return c;
    if (quarter == 1) return -s;
    if (quarter == 2) return -c;
    return s;
}

}  // namespace tilebragg::pmath
