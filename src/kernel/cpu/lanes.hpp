#pragma once
// The CPU kernel's vectors: std::experimental::simd (GCC's libstdc++, C++17 TS). A
// Lanes<T> holds as many pixels as one register of the instruction set this file is
// compiled for (SSE: 4 floats, AVX2: 8, AVX-512: 16; half as many doubles), and every
// operation on it is a vector instruction by construction, whatever the compiler's
// vectoriser or inliner decide. The kernel source is compiled once per instruction set
// (CMakeLists.txt) and the widest one the CPU runs is chosen at start (cpu_kernels.cpp).
//
// Every operation is an IEEE operation of its own (the project builds with
// -ffp-contract=off and nothing here forms a fused multiply-add), so a lane computes the
// same bits as the scalar formula, on every instruction set.
#include <experimental/simd>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <tilebragg/device_math.hpp>

namespace tilebragg {

namespace stdx = std::experimental;

template <typename T>
using Lanes = stdx::native_simd<T>;
// Integers, unsigned integers and doubles with one lane per lane of Lanes<T>.
template <typename T>
using IntLanes = stdx::rebind_simd_t<int, Lanes<T>>;
template <typename T>
using UintLanes = stdx::rebind_simd_t<unsigned, Lanes<T>>;
template <typename T>
using DoubleLanes = stdx::rebind_simd_t<double, Lanes<T>>;
template <typename T>
using FloatLanes = stdx::rebind_simd_t<float, Lanes<T>>;

namespace dmath {

template <typename T, typename Abi>
struct LaneOps<stdx::simd<T, Abi>> {
    using V = stdx::simd<T, Abi>;
    static V sqrt(const V& x) { return stdx::sqrt(x); }
    static V ceil(const V& x) { return stdx::ceil(x); }
    static V rint(const V& x) { return stdx::rint(x); }
    static V select(const typename V::mask_type& c, const V& a, const V& b) {
        V r = b;
        stdx::where(c, r) = a;
        return r;
    }
    static auto to_double(const V& x) { return stdx::static_simd_cast<stdx::rebind_simd_t<double, V>>(x); }
};

}  // namespace dmath

// Aligned loads and stores of the kernel's 64-byte aligned per-lane arrays.
template <typename T>
inline Lanes<T> load_lanes(const T* p) {
    return Lanes<T>(p, stdx::vector_aligned);
}
template <typename T>
inline void store_lanes(const Lanes<T>& v, T* p) {
    v.copy_to(p, stdx::vector_aligned);
}

// The mask of one vector type as the mask of another with the same number of lanes.
template <typename To, typename From, typename Abi>
inline typename To::mask_type mask_as(const stdx::simd_mask<From, Abi>& m) {
    return stdx::__proposed::static_simd_cast<To>(m);
}

// base[index] per lane: one gather instruction on AVX2 and AVX-512, lane by lane on SSE.
template <typename T>
inline Lanes<T> gather_lanes(const T* base, const IntLanes<T>& index) {
    using V = Lanes<T>;
#if defined(__AVX512F__)
    if constexpr (std::is_same_v<T, float> && V::size() == 16)
        return V(_mm512_i32gather_ps(static_cast<__m512i>(index), base, 4));
    if constexpr (std::is_same_v<T, double> && V::size() == 8)
        return V(_mm512_i32gather_pd(static_cast<__m256i>(index), base, 8));
#endif
#if defined(__AVX2__)
    if constexpr (std::is_same_v<T, float> && V::size() == 8)
        return V(_mm256_i32gather_ps(base, static_cast<__m256i>(index), 4));
    if constexpr (std::is_same_v<T, double> && V::size() == 4)
        return V(_mm256_i32gather_pd(base, static_cast<__m128i>(index), 8));
#endif
    return V([&](auto lane) { return base[index[lane]]; });
}

}  // namespace tilebragg
