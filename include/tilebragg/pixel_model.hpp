#pragma once
// The pixel model: how one step (sensor layer, sub-pixel, source, crystal orientation)
// of one pixel is computed, written once as small inline functions that the CPU kernel's
// vector loops, the pixel trace and the CUDA kernel all call. The spot shapes are in
// lattice_shape.hpp and the F_cell lookup in structure_factor.hpp.
//
// Every formula keeps the operation order the kernel has always used, so that a CPU image
// is the same to the bit whichever caller computes it. The functions the CPU kernel runs
// on vectors of pixels take the per-pixel quantities as V (T, or a vector of T: see
// "Lanes" in device_math.hpp) and the per-image ones as T.
#include <tilebragg/device_math.hpp>
#include <tilebragg/host_device.hpp>
#include <tilebragg/kernel_view.hpp>
#include <tilebragg/vec3.hpp>

namespace tilebragg {

// Distance along a detector axis to the centre of sub-pixel `sub` of pixel `pixel`, m.
// Sub-pixel indices in T, not int: pixels x oversample can pass 2^31 (the result is the
// same where it fits in T's mantissa, i.e. below 2^24 sub-pixels for float).
template <typename T, typename V>
TB_HD inline V subpixel_centre_at(const DetectorView<T>& d, V pixel, int sub) {
    return d.subpixel * (pixel * T(d.oversample) + T(sub)) + d.subpixel / T(2);
}
template <typename T>
TB_HD inline T subpixel_centre(const DetectorView<T>& d, int pixel, int sub) {
    return subpixel_centre_at(d, T(pixel), sub);
}

// Depth of sensor layer `layer` below the front face, m.
template <typename T>
TB_HD inline T layer_depth(const DetectorView<T>& d, int layer) {
    return T(layer) * d.layer_step;
}

// A point of the detector plane given its coordinates along fast, slow and normal, m.
template <typename T, typename V>
TB_HD inline Vec3T<V> detector_point(const DetectorView<T>& d, V Fdet, T Sdet, T Odet) {
    return {d.fdet.x * Fdet + d.sdet.x * Sdet + d.odet.x * Odet + d.pix0.x,
            d.fdet.y * Fdet + d.sdet.y * Sdet + d.odet.y * Odet + d.pix0.y,
            d.fdet.z * Fdet + d.sdet.z * Sdet + d.odet.z * Odet + d.pix0.z};
}

// Where a sub-pixel is in the lab frame, m. A -curved_det detector keeps every pixel at
// `distance` from the sample: the reference reads the flat point's lab y and z, divided
// by the distance, as rotation angles of the direct-beam spot about sdet and fdet.
template <typename T>
TB_HD inline Vec3T<T> subpixel_position(const DetectorView<T>& d, T Fdet, T Sdet, T Odet) {
    const Vec3T<T> flat = detector_point(d, Fdet, Sdet, Odet);
    if (!d.curved) return flat;
    const Vec3T<T> spot = d.beam * d.distance;
    return rotate_about_axis(rotate_about_axis(spot, d.sdet, flat.y / d.distance), d.fdet, flat.z / d.distance);
}

// The diffracted ray to a sub-pixel: its unit direction and the solid angle the pixel
// subtends from the sample (the obliquity factor close_distance / airpath included,
// except for -point_pixel).
template <typename T>
struct PixelRay {
    Vec3T<T> dir;
    T airpath, omega;
};

// Flat detector: one division, the rest multiplications by its result (the vectorised
// hot path).
template <typename T, typename V>
TB_HD inline PixelRay<V> flat_pixel_ray(const DetectorView<T>& d, const Vec3T<V>& position) {
    PixelRay<V> r;
    r.airpath = dmath::sqrt(position.x * position.x + position.y * position.y + position.z * position.z);
    const V inv_air = T(1) / r.airpath;
    r.dir = {position.x * inv_air, position.y * inv_air, position.z * inv_air};
    const V inv_air2 = inv_air * inv_air;
    r.omega = d.point_pixel ? inv_air2 : d.pixel * d.pixel * inv_air2 * d.close_distance * inv_air;
    return r;
}

template <typename T>
TB_HD inline PixelRay<T> curved_pixel_ray(const DetectorView<T>& d, const Vec3T<T>& position) {
    PixelRay<T> r;
    r.airpath = norm(position);
    r.dir = {position.x / r.airpath, position.y / r.airpath, position.z / r.airpath};
    r.omega = d.point_pixel ? T(1) / r.airpath / r.airpath
                            : d.pixel * d.pixel / r.airpath / r.airpath * d.close_distance / r.airpath;
    return r;
}

template <typename T>
TB_HD inline PixelRay<T> pixel_ray(const DetectorView<T>& d, const Vec3T<T>& position) {
    return d.curved ? curved_pixel_ray(d, position) : flat_pixel_ray(d, position);
}

// Fraction of the photons along `dir` absorbed in sensor layer `layer` (parallax-
// corrected path through a layer of thickness layer_step).
template <typename T>
TB_HD inline T capture_fraction(const DetectorView<T>& d, int layer, const Vec3T<T>& dir) {
    const T parallax = dir.x * d.odet.x + dir.y * d.odet.y + dir.z * d.odet.z;
    return dmath::exp(-T(layer) * d.layer_step * d.mu / parallax) -
           dmath::exp(-T(layer + 1) * d.layer_step * d.mu / parallax);
}

// Scattering vector S = (s - s0) / lambda, 1/Angstrom.
template <typename T, typename V>
TB_HD inline Vec3T<V> scattering_vector(const Vec3T<V>& dir, const Vec3T<T>& incident, T inv_lambda) {
    return {(dir.x - incident.x) * inv_lambda, (dir.y - incident.y) * inv_lambda, (dir.z - incident.z) * inv_lambda};
}

// sin(theta) / lambda of a scattering vector, 1/Angstrom.
template <typename V>
TB_HD inline V stol_of(const Vec3T<V>& S) {
    using T = dmath::lane_value_t<V>;
    return T(0.5) * dmath::sqrt(S.x * S.x + S.y * S.y + S.z * S.z);
}

// False when -dmin cuts this step (its resolution is finer than dmin); a mask for vectors.
template <typename T, typename V>
TB_HD inline auto passes_dmin(const Vec3T<V>& S, T dmin) {
    using Mask = decltype(S.x > T(0));
    if (!(dmin > T(0))) return Mask(true);
    const V stol = stol_of(S);
    return Mask(!(stol > T(0) && dmin > T(0.5) / stol));
}

// Kahn polarization factor of the ray `dir` for a source along `incident` whose
// polarization frame is (e_in, b_in); cos(2 psi) from projections instead of an atan2.
template <typename T, typename V>
TB_HD inline V polarization_factor(const Vec3T<T>& incident, const Vec3T<V>& dir, const Vec3T<T>& e_in,
                                   const Vec3T<T>& b_in, T kahn) {
    const V cos2theta = incident.x * dir.x + incident.y * dir.y + incident.z * dir.z;
    const V cos2theta_sqr = cos2theta * cos2theta;
    const V sin2theta_sqr = T(1) - cos2theta_sqr;
    V cos2psi = V(T(1));
    if (kahn != T(0)) {
        const V e = dir.x * e_in.x + dir.y * e_in.y + dir.z * e_in.z;
        const V b = dir.x * b_in.x + dir.y * b_in.y + dir.z * b_in.z;
        const V r2 = e * e + b * b;
        cos2psi = dmath::select(r2 > T(0), V((e * e - b * b) / r2), cos2psi);
    }
    return T(0.5) * (T(1) + cos2theta_sqr - kahn * cos2psi * sin2theta_sqr);
}

// Fractional Miller index along a real-space axis (Angstrom) for S (1/Angstrom).
template <typename T, typename V>
TB_HD inline V miller_index(const Vec3T<T>& axis, const Vec3T<V>& S) {
    return axis.x * S.x + axis.y * S.y + axis.z * S.z;
}

// The nearest whole index, halves rounded up (the reference's ceil(h - 0.5)).
template <typename V>
TB_HD inline V nearest_index(V h) {
    return dmath::ceil(h - dmath::lane_value_t<V>(0.5));
}

// What one step adds to a pixel's sum: |F_cell|^2 |F_latt|^2.
template <typename T>
TB_HD inline T step_intensity(T F_cell, T F_latt) {
    return F_cell * F_cell * F_latt * F_latt;
}

// A pixel's photons from its sum of steps and its "last value" factors; a factor that an
// -oversample_* switch applied per step is not applied again. Double (lanes of double).
template <typename T, typename V>
TB_HD inline auto pixel_photons(const DetectorView<T>& d, double scale, V I, V capture, V polar, V omega) {
    auto photons = scale * dmath::to_double(I);
    if (!d.oversample_thick) photons *= dmath::to_double(capture);
    if (!d.oversample_polar) photons *= dmath::to_double(polar);
    if (!d.oversample_omega) photons *= dmath::to_double(omega);
    return photons;
}

}  // namespace tilebragg
