#pragma once
// The C library's math functions under one name for host and device code, overloaded for
// float and double. On the host they are exactly std::sqrt(float) etc. (sqrtf, expf, ...),
// so moving the kernel's formulas here changes no bit of a CPU image; on the device they
// are CUDA's functions of the same names.
#include <cmath>

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
