// The pixel kernel. One pixel at a time, in the reference's loop order
//   sensor layer > sub-pixel (slow, fast) > source > phi step > mosaic domain
// because that order decides the numbers when the -oversample_* switches multiply the
// running sum, and because the per-pixel factors (solid angle, polarization, capture
// fraction) are taken from the first sub-pixel that computes them unless those switches
// ask for them per sub-pixel: the reference's "last value" rule.
#include <tilebragg/kernel.hpp>

#include <cmath>

#include <tilebragg/lattice_shape.hpp>
#include <tilebragg/rotation.hpp>
#include <tilebragg/structure_factor.hpp>

namespace tilebragg {
namespace {

template <typename T>
Vec3T<T> rotate_axis_t(const Vec3T<T>& v, const Vec3T<T>& axis, T angle) {
    const T s = std::sin(angle), c = std::cos(angle);
    const T along = dot(axis, v) * (T(1) - c);
    return {axis.x * along + v.x * c + (-axis.z * v.y + axis.y * v.z) * s,
            axis.y * along + v.y * c + (axis.z * v.x - axis.x * v.z) * s,
            axis.z * along + v.z * c + (-axis.y * v.x + axis.x * v.y) * s};
}

// Kahn polarization factor; cos(2 psi) from the projections instead of an atan2.
template <typename T>
T polarization_factor(const KernelSetup<T>& k, std::size_t source, const Vec3T<T>& diffracted) {
    const T cos2theta = dot(k.incident[source], diffracted);
    const T cos2theta_sqr = cos2theta * cos2theta;
    const T sin2theta_sqr = T(1) - cos2theta_sqr;
    T cos2psi = T(1);
    if (k.kahn != T(0)) {
        const T e = dot(diffracted, k.e_in[source]);
        const T b = dot(diffracted, k.b_in[source]);
        const T r2 = e * e + b * b;
        if (r2 > T(0)) cos2psi = (e * e - b * b) / r2;
    }
    return T(0.5) * (T(1) + cos2theta_sqr - k.kahn * cos2psi * sin2theta_sqr);
}

template <typename T>
T structure_factor(const KernelSetup<T>& k, T h, T kk, T l, int h0, int k0, int l0) {
    if (!k.has_hkls) return k.default_F;
    if (k.interpolate && can_interpolate(*k.F, h, kk, l)) return T(interpolated_F(*k.F, h, kk, l));
    return T(nearest_F(*k.F, true, h0, k0, l0, k.default_F));
}

template <typename T>
float render_pixel(const KernelSetup<T>& k, int fpixel, int spixel, double& omega_sum) {
    const int os = k.oversample;
    const std::size_t n_sources = k.incident.size();
    const std::size_t n_orient = k.a.size();
    const bool water = k.water;

    T I = T(k.I_bg);
    T polar = k.nopolar ? T(1) : T(0);
    T omega = T(0);
    T capture = T(0);
    for (int layer = 0; layer < k.layers; ++layer) {
        const T Odet = T(layer) * k.layer_step;
        capture = k.thickness == T(0) ? T(1) : T(0);
        for (int sub_s = 0; sub_s < os; ++sub_s) {
            for (int sub_f = 0; sub_f < os; ++sub_f) {
                const T Fdet = k.subpixel * T(fpixel * os + sub_f) + k.subpixel / T(2);
                const T Sdet = k.subpixel * T(spixel * os + sub_s) + k.subpixel / T(2);
                Vec3T<T> pos = k.fdet * Fdet + k.sdet * Sdet + k.odet * Odet + k.pix0;
                if (k.curved) {
                    // Every pixel at `distance`: detector coordinates read as angles.
                    const Vec3T<T> spot = k.beam * k.distance;
                    pos = rotate_axis_t(rotate_axis_t(spot, k.sdet, pos.y / k.distance), k.fdet, pos.z / k.distance);
                }
                const T airpath = norm(pos);
                const Vec3T<T> diffracted = pos / airpath;
                if (omega == T(0) || k.oversample_omega) {
                    omega = k.point_pixel ? T(1) / airpath / airpath
                                          : k.pixel * k.pixel / airpath / airpath * k.close_distance / airpath;
                }
                omega_sum += double(omega);
                if (capture == T(0) || k.oversample_thick) {
                    const T parallax = dot(diffracted, k.odet);
                    capture = std::exp(-T(layer) * k.layer_step * k.mu / parallax) -
                              std::exp(-T(layer + 1) * k.layer_step * k.mu / parallax);
                }
                for (std::size_t src = 0; src < n_sources; ++src) {
                    const Vec3T<T> S = (diffracted - k.incident[src]) * k.inv_lambda[src];
                    if (k.dmin > T(0)) {
                        const T stol = T(0.5) * norm(S);
                        if (stol > T(0) && k.dmin > T(0.5) / stol) continue;
                    }
                    if (polar == T(0) || k.oversample_polar) polar = polarization_factor(k, src, diffracted);
                    for (std::size_t o = 0; o < n_orient; ++o) {
                        const T h = dot(k.a[o], S), kk = dot(k.b[o], S), l = dot(k.c[o], S);
                        const T h0 = std::ceil(h - T(0.5)), k0 = std::ceil(kk - T(0.5)), l0 = std::ceil(l - T(0.5));
                        const T F_latt = lattice_factor(k.shape, h - h0, kk - k0, l - l0, k.Na, k.Nb, k.Nc, k.fudge,
                                                        k.a_star, k.b_star, k.c_star);
                        if (F_latt == T(0) && !water) continue;
                        const T F_cell = structure_factor(k, h, kk, l, int(h0), int(k0), int(l0));
                        I += F_cell * F_cell * F_latt * F_latt;
                        if (k.oversample_thick) I *= capture;
                        if (k.oversample_polar) I *= polar;
                        if (k.oversample_omega) I *= omega;
                    }
                }
            }
        }
    }
    double photons = k.scale * double(I);
    if (!k.oversample_thick) photons *= double(capture);
    if (!k.oversample_polar) photons *= double(polar);
    if (!k.oversample_omega) photons *= double(omega);
    return float(photons);
}

}  // namespace

template <typename T>
void render_tile(const KernelSetup<T>& k, const Tile& tile, float* out, TileSideSums& sums) {
    const int width = tile.width();
    double omega_total = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : omega_total) if (tile.height() > 1)
    for (int row = 0; row < tile.height(); ++row) {
        const int spixel = tile.slow_begin + row;
        if (spixel < k.roi.slow_min || spixel > k.roi.slow_max) continue;
        float* line = out + static_cast<std::size_t>(row) * static_cast<std::size_t>(width);
        for (int col = 0; col < width; ++col) {
            const int fpixel = tile.fast_begin + col;
            if (fpixel < k.roi.fast_min || fpixel > k.roi.fast_max) continue;
            if (k.mask && (*k.mask)[static_cast<std::size_t>(spixel) * k.fpixels + fpixel] == 0) continue;
            double omega_sum = 0;
            line[col] = render_pixel(k, fpixel, spixel, omega_sum);
            omega_total += omega_sum;
        }
    }
    sums.omega_sum += omega_total;
}

template void render_tile<float>(const KernelSetup<float>&, const Tile&, float*, TileSideSums&);
template void render_tile<double>(const KernelSetup<double>&, const Tile&, float*, TileSideSums&);

}  // namespace tilebragg
