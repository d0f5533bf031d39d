#pragma once
// Small 3-vector used by every layer. Plain aggregate so that arrays of it stay
// trivially copyable (host to device as they are) and the compiler can keep components
// in registers.
#include <tilebragg/device_math.hpp>
#include <tilebragg/host_device.hpp>

namespace tilebragg {

template <typename T>
struct Vec3T {
    T x{0}, y{0}, z{0};

    TB_HD constexpr Vec3T operator+(const Vec3T& o) const { return {x + o.x, y + o.y, z + o.z}; }
    TB_HD constexpr Vec3T operator-(const Vec3T& o) const { return {x - o.x, y - o.y, z - o.z}; }
    TB_HD constexpr Vec3T operator*(T s) const { return {x * s, y * s, z * s}; }
    TB_HD constexpr Vec3T operator/(T s) const { return {x / s, y / s, z / s}; }
    TB_HD constexpr Vec3T operator-() const { return {-x, -y, -z}; }
    TB_HD Vec3T& operator+=(const Vec3T& o) {
        x += o.x;
        y += o.y;
        z += o.z;
        return *this;
    }
    TB_HD Vec3T& operator-=(const Vec3T& o) {
        x -= o.x;
        y -= o.y;
        z -= o.z;
        return *this;
    }
    TB_HD Vec3T& operator*=(T s) {
        x *= s;
        y *= s;
        z *= s;
        return *this;
    }

    template <typename U>
    TB_HD constexpr Vec3T<U> as() const {
        return {U(x), U(y), U(z)};
    }
};

template <typename T>
TB_HD constexpr Vec3T<T> operator*(T s, const Vec3T<T>& v) {
    return v * s;
}
template <typename T>
TB_HD constexpr T dot(const Vec3T<T>& a, const Vec3T<T>& b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
template <typename T>
TB_HD constexpr Vec3T<T> cross(const Vec3T<T>& a, const Vec3T<T>& b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
template <typename T>
TB_HD inline T norm(const Vec3T<T>& v) {
    return dmath::sqrt(dot(v, v));
}
// Unit vector; a zero vector stays zero rather than turning into NaN.
template <typename T>
TB_HD inline Vec3T<T> unit(const Vec3T<T>& v) {
    const T n = norm(v);
    return n > T(0) ? v / n : v;
}

// Rodrigues rotation of v about a unit axis by `angle` (radians). Setup (spindle,
// two-theta, divergence) and the curved detector of the pixel model share this one.
template <typename T>
TB_HD inline Vec3T<T> rotate_about_axis(const Vec3T<T>& v, const Vec3T<T>& axis, T angle) {
    const T s = dmath::sin(angle), c = dmath::cos(angle);
    const T along = dot(axis, v) * (T(1) - c);
    return {axis.x * along + v.x * c + (-axis.z * v.y + axis.y * v.z) * s,
            axis.y * along + v.y * c + (axis.z * v.x - axis.x * v.z) * s,
            axis.z * along + v.z * c + (-axis.y * v.x + axis.x * v.y) * s};
}

using Vec3 = Vec3T<double>;

}  // namespace tilebragg
