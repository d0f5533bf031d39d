#pragma once
// The C library's math functions under one name for host and device code, overloaded for
// float and double. On the host they are exactly std::sqrt(float) etc. (sqrtf, expf, ...),
// so moving the kernel's formulas here changes no bit of a CPU image; on the device they
// are CUDA's functions of the same names.
#include <cmath>
#include <type_traits>

#include <tilebragg/host_device.hpp>

namespace tilebragg::dmath {

#if defined(__CUDA_ARCH__)
TB_HD inline float sqrt(float x) { return ::sqrtf(x); }
TB_HD inline double sqrt(double x) { return ::sqrt(x); }
TB_HD inline float exp(float x) { return ::expf(x); }
TB_HD inline double exp(double x) { return ::exp(x); }
TB_HD inline float sin(float x) { return ::sinf(x); }
TB_HD inline double sin(double x) { return ::sin(x); }
TB_HD inline float cos(float x) { return ::cosf(x); }
TB_HD inline double cos(double x) { return ::cos(x); }
TB_HD inline float ceil(float x) { return ::ceilf(x); }
TB_HD inline double ceil(double x) { return ::ceil(x); }
TB_HD inline float floor(float x) { return ::floorf(x); }
TB_HD inline double floor(double x) { return ::floor(x); }
TB_HD inline float rint(float x) { return ::rintf(x); }
TB_HD inline double rint(double x) { return ::rint(x); }
TB_HD inline float fabs(float x) { return ::fabsf(x); }
TB_HD inline double fabs(double x) { return ::fabs(x); }
#else
using std::ceil;
using std::cos;
using std::exp;
using std::fabs;
using std::floor;
using std::rint;
using std::sin;
using std::sqrt;
#endif

// ---------------------------------------------------------------------------
// Lanes. The CPU kernel runs the pixel model on vectors of neighbouring pixels: a type V
// with a value_type (float or double) and the arithmetic operators, whose comparisons
// give per-lane masks. The pixel model's functions are written once for T and for such a
// V; where a scalar formula branches on a per-pixel condition it computes both sides and
// calls select, which gives the same numbers as the branch. What a V needs beyond its
// operators (square root, rounding, select, widening to double) it supplies through a
// specialisation of LaneOps (src/kernel/cpu/lanes.hpp); float and double use the
// functions above, and nothing here changes which of them a scalar call gets.

// The number type of one lane: T itself for float and double.
template <typename V, typename = void>
struct LaneValue {
    using type = V;
};
template <typename V>
struct LaneValue<V, std::void_t<typename V::value_type>> {
    using type = typename V::value_type;
};
template <typename V>
using lane_value_t = typename LaneValue<V>::type;

template <typename V>
struct LaneOps;  // specialised by each vector type; never for float or double

// Only class types with a value_type take these templates: a float or double argument
// gets the C library function above (a better match than any template).
template <typename V, typename = typename V::value_type>
inline V sqrt(const V& x) {
    return LaneOps<V>::sqrt(x);
}
template <typename V, typename = typename V::value_type>
inline V ceil(const V& x) {
    return LaneOps<V>::ceil(x);
}
template <typename V, typename = typename V::value_type>
inline V rint(const V& x) {
    return LaneOps<V>::rint(x);
}

// c ? a : b, per lane for vectors (both sides already computed).
template <typename T>
TB_HD inline T select(bool c, T a, T b) {
    return c ? a : b;
}
template <typename M, typename V, typename = typename V::value_type>
inline V select(const M& c, const V& a, const V& b) {
    return LaneOps<V>::select(c, a, b);
}

// A lane widened to double (the photon count is formed in double).
TB_HD inline double to_double(float x) { return double(x); }
TB_HD inline double to_double(double x) { return x; }
template <typename V, typename = typename V::value_type>
inline auto to_double(const V& x) {
    return LaneOps<V>::to_double(x);
}

// A load from an array that nothing writes while a kernel runs (the structure-factor
// box): through the GPU's read-only data cache on the device, a plain load on the host.
template <typename T>
TB_HD inline T read_only(const T* p) {
#if defined(__CUDA_ARCH__)
    return __ldg(p);
#else
    return *p;
#endif
}

}  // namespace tilebragg::dmath
