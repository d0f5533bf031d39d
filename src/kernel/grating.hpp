#pragma once
// The grating function sin(N pi d) / sin(pi d) for a whole number N known at compile
// time, without sines or a division: it is the Chebyshev polynomial U_{N-1}(cos pi d),
// evaluated with the recurrence U_{k+1} = 2 cos(pi d) U_k - U_{k-1} rewritten in terms of
// w = 2 (1 - cos pi d) and D_k = U_k - U_{k-1}:
//   D_{k+1} = D_k - w U_k,   U_{k+1} = U_k + D_{k+1},   U_0 = D_0 = 1.
// Next to a Bragg peak w is tiny and U_k grows by ~1 per step, so nothing cancels (the
// plain three-term recurrence would lose the digits of cos(pi d) near 1). The error
// grows about linearly with N, which is why this is only used for small N.
// |d| <= 1/2; at d = 0 the result is exactly N.
// Shared by the CPU and CUDA kernels (TB_HD), which choose it by the same rule
// (orientation_path.hpp).
#include <type_traits>

#include <tilebragg/device_math.hpp>
#include <tilebragg/host_device.hpp>

namespace tilebragg::kernel_math {

// Crystals of up to this many cells along every axis (the same number on all three) get
// the recurrence; it costs about two operations per cell per axis, so beyond ~10 cells the
// sines are cheaper.
constexpr int kMaxRecurrenceN = 10;

// w = 2 (1 - cos(pi d)) = u Q(u), u = d^2, with Q a near-minimax polynomial on [0, 1/4]
// (Chebyshev fit in 40-digit arithmetic): relative error < 9e-10 (float, 5 coefficients),
// < 3e-20 (double, 9 coefficients).
// T is float or double, or a vector of them (one lane per pixel, device_math.hpp).
template <typename T>
TB_HD inline T grating_w(T d) {
    const T u = d * d;
    if constexpr (std::is_same_v<dmath::lane_value_t<T>, float>) {
        return u *
               (9.86960439397397049791f +
                u * (-8.11742282936687561531f +
                     u * (2.67047992140179038322f + u * (-0.470148736644791869877f + u * 0.0492542231904569162361f))));
    } else {
        T q = T(2.69581096727162363711e-7);
        q = q * u - 0.00000860240744170322868367;
        q = q * u + 0.000209275268681451977905;
        q = q * u - 0.00385914848033423025902;
        q = q * u + 0.0516137827680545696236;
        q = q * u - 0.470661260717204664237;
        q = q * u + 2.67052553770916483043;
        q = q * u - 8.11742425283353630363;
        q = q * u + 9.86960440108935861863;
        return u * q;
    }
}

// Steps of the recurrence, expanded at compile time (a loop would have to be unrolled by
// the optimiser before the vectoriser sees it, which it does not always do).
template <int Steps>
struct GratingSteps {
    template <typename T>
    TB_HD static inline void run(T w, T& U, T& D) {
        D = D - w * U;
        U = U + D;
        GratingSteps<Steps - 1>::run(w, U, D);
    }
};
template <>
struct GratingSteps<0> {
    template <typename T>
    TB_HD static inline void run(T, T&, T&) {}
};

// sin(N pi d) / sin(pi d) for |d| <= 1/2, N >= 1.
template <int N, typename T>
TB_HD inline T grating(T d) {
    static_assert(N >= 1, "grating needs N >= 1");
    T U = T(1), D = T(1);
    GratingSteps<N - 1>::run(grating_w(d), U, D);
    return U;
}

}  // namespace tilebragg::kernel_math
