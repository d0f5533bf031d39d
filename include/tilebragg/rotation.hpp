#pragma once
// Rotations used by setup: the reference's conventions, reproduced numerically.
#include <array>
#include <cmath>

#include <tilebragg/vec3.hpp>

namespace tilebragg {

// Rotate about x, then y, then z (right-handed, radians); the misset and detector order.
inline Vec3 rotate_xyz(Vec3 v, double rx, double ry, double rz) {
    if (rx != 0) {
        const double c = std::cos(rx), s = std::sin(rx);
        v = {v.x, v.y * c - v.z * s, v.y * s + v.z * c};
    }
    if (ry != 0) {
        const double c = std::cos(ry), s = std::sin(ry);
        v = {v.x * c + v.z * s, v.y, -v.x * s + v.z * c};
    }
    if (rz != 0) {
        const double c = std::cos(rz), s = std::sin(rz);
        v = {v.x * c - v.y * s, v.x * s + v.y * c, v.z};
    }
    return v;
}

// rotate_about_axis (Rodrigues) lives in vec3.hpp: the pixel model uses it too.

// Row-major 3x3 matrix times vector.
inline Vec3 rotate_by(const std::array<double, 9>& u, const Vec3& v) {
    return {u[0] * v.x + u[1] * v.y + u[2] * v.z, u[3] * v.x + u[4] * v.y + u[5] * v.z,
            u[6] * v.x + u[7] * v.y + u[8] * v.z};
}

}  // namespace tilebragg
