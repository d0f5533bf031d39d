#pragma once
// Small 3-vector used by every layer. Plain aggregate so that arrays of it stay
// trivially copyable and the compiler can keep components in registers.
#include <cmath>

namespace tilebragg {

template <typename T>
struct Vec3T {
    T x{0}, y{0}, z{0};

    constexpr Vec3T operator+(const Vec3T& o) const { return {x + o.x, y + o.y, z + o.z}; }
    constexpr Vec3T operator-(const Vec3T& o) const { return {x - o.x, y - o.y, z - o.z}; }
    constexpr Vec3T operator*(T s) const { return {x * s, y * s, z * s}; }
    constexpr Vec3T operator/(T s) const { return {x / s, y / s, z / s}; }
    constexpr Vec3T operator-() const { return {-x, -y, -z}; }
    Vec3T& operator+=(const Vec3T& o) { x += o.x; y += o.y; z += o.z; return *this; }
    Vec3T& operator-=(const Vec3T& o) { x -= o.x; y -= o.y; z -= o.z; return *this; }
    Vec3T& operator*=(T s) { x *= s; y *= s; z *= s; return *this; }

    template <typename U>
    constexpr Vec3T<U> as() const { return {U(x), U(y), U(z)}; }
};

template <typename T> constexpr Vec3T<T> operator*(T s, const Vec3T<T>& v) { return v * s; }
template <typename T> constexpr T dot(const Vec3T<T>& a, const Vec3T<T>& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
template <typename T> constexpr Vec3T<T> cross(const Vec3T<T>& a, const Vec3T<T>& b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
template <typename T> inline T norm(const Vec3T<T>& v) { return std::sqrt(dot(v, v)); }
// Unit vector; a zero vector stays zero rather than turning into NaN.
template <typename T> inline Vec3T<T> unit(const Vec3T<T>& v) {
    const T n = norm(v);
    return n > T(0) ? v / n : v;
}

using Vec3 = Vec3T<double>;

}  // namespace tilebragg
