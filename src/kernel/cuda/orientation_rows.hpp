#pragma once
// The crystal orientations as the CUDA kernel reads them: one row of kRowLength numbers
// per orientation (a, b, c and 3 of padding), so that a thread reads an orientation in
// three float4 (float) or six double2 (double) loads. Built on the host from the view's
// arrays; the renderer uploads the rows beside them.
#include <cstddef>
#include <vector>

#include <tilebragg/kernel_view.hpp>

namespace tilebragg::cuda {

constexpr int kRowLength = 12;

template <typename T>
std::vector<T> orientation_rows(const CrystalView<T>& x) {
    std::vector<T> rows(static_cast<std::size_t>(x.orientations) * kRowLength, T(0));
    for (int o = 0; o < x.orientations; ++o) {
        T* r = &rows[static_cast<std::size_t>(o) * kRowLength];
        const Vec3T<T> a = x.a[o], b = x.b[o], c = x.c[o];
        r[0] = a.x, r[1] = a.y, r[2] = a.z, r[3] = b.x, r[4] = b.y, r[5] = b.z, r[6] = c.x, r[7] = c.y, r[8] = c.z;
    }
    return rows;
}

}  // namespace tilebragg::cuda
