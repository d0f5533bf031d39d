// Experiment -> KernelSetup<T>: convert once, in setup, to the kernel's precision and units.
#include <tilebragg/kernel.hpp>

#include <type_traits>

namespace tilebragg {

double electron_radius_sqr();

template <typename T>
KernelSetup<T> make_kernel_setup(const Experiment& e) {
    KernelSetup<T> k;
    const DetectorGeometry& d = e.detector;
    const Params& p = e.params;
    k.fpixels = d.fpixels;
    k.spixels = d.spixels;
    k.oversample = e.oversample;
    k.pixel = T(d.pixel_size);
    k.subpixel = T(d.pixel_size / e.oversample);
    k.layers = e.sensor.layers;
    k.layer_step = T(e.sensor.layer_step);
    k.mu = T(e.sensor.mu);
    k.thickness = T(e.sensor.thickness);
    k.close_distance = T(d.close_distance);
    k.distance = T(d.distance);
    k.fdet = d.fdet.as<T>();
    k.sdet = d.sdet.as<T>();
    k.odet = d.odet.as<T>();
    k.pix0 = d.pix0.as<T>();
    k.beam = d.beam.as<T>();
    k.curved = d.curved;
    k.point_pixel = d.point_pixel;
    k.oversample_thick = p.oversample_thick;
    k.oversample_polar = p.oversample_polar;
    k.oversample_omega = p.oversample_omega;

    for (const Source& s : e.sources) {
        k.incident.push_back(s.incident.as<T>());
        k.inv_lambda.push_back(T(1e-10 / s.lambda));
        // Polarization frame of this source: B normal to the E-vector axis and the beam.
        const Vec3 b_in = unit(cross(e.polar_axis, s.incident));
        const Vec3 e_in = unit(cross(s.incident, b_in));
        k.b_in.push_back(b_in.as<T>());
        k.e_in.push_back(e_in.as<T>());
    }
    k.kahn = T(p.polarization);
    k.nopolar = p.nopolar;
    k.dmin = T(p.dmin * 1e10);

    for (const CellOrientation& o : e.orientations) {
        k.a.push_back((o.a * 1e10).as<T>());
        k.b.push_back((o.b * 1e10).as<T>());
        k.c.push_back((o.c * 1e10).as<T>());
    }
    k.a_star = e.crystal.a_star.as<T>();
    k.b_star = e.crystal.b_star.as<T>();
    k.c_star = e.crystal.c_star.as<T>();
    k.Na = T(e.crystal.Na);
    k.Nb = T(e.crystal.Nb);
    k.Nc = T(e.crystal.Nc);
    k.fudge = T(e.crystal.fudge);
    k.shape = e.crystal.shape;
    k.F = &e.structure_factors;
    k.has_hkls = e.structure_factors.hkls > 0;
    k.interpolate = e.interpolate;
    // The double kernel reads the grid itself; only other precisions need a converted copy.
    if (k.has_hkls && !std::is_same_v<T, double>)
        k.F_box.assign(e.structure_factors.F.begin(), e.structure_factors.F.end());
    k.default_F = T(p.default_F);
    k.water = p.water_size != 0.0;
    k.I_bg = e.I_bg;
    k.scale = electron_radius_sqr() * e.fluence / e.steps;
    k.roi = e.roi;
    k.mask = e.mask.empty() ? nullptr : &e.mask;
    return k;
}

template KernelSetup<float> make_kernel_setup<float>(const Experiment&);
template KernelSetup<double> make_kernel_setup<double>(const Experiment&);

}  // namespace tilebragg
