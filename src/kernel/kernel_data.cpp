// Experiment -> KernelData<T>: convert once, in setup, to the kernel's precision and units.
#include <tilebragg/kernel_data.hpp>

#include <type_traits>

#include <tilebragg/structure_factor.hpp>

namespace tilebragg {

template <typename T>
StructureFactorTable<T>::StructureFactorTable(std::shared_ptr<const HklGrid> grid, bool interpolate, double default_F)
    : grid_(std::move(grid)) {
    // The reference treats a table of no reflections as none at all (default_F everywhere).
    const bool has_hkls = grid_->hkls > 0;
    const StructureFactorView<double> g = structure_factor_view(*grid_, has_hkls, interpolate, default_F);
    view_.has_hkls = g.has_hkls;
    view_.interpolate = g.interpolate;
    view_.h_min = g.h_min, view_.k_min = g.k_min, view_.l_min = g.l_min;
    view_.h_count = g.h_count, view_.k_count = g.k_count, view_.l_count = g.l_count;
    view_.F_double = g.F_double;
    view_.default_F = T(default_F);
    if constexpr (std::is_same_v<T, double>) {
        view_.F = grid_->F.data();
    } else {
        // One gather of T per lookup instead of a double load and a conversion per lane.
        if (has_hkls) F_.assign(grid_->F.begin(), grid_->F.end());
        view_.F = F_.data();
    }
}

template <typename T>
std::shared_ptr<const StructureFactorTable<T>> make_structure_factor_table(const Experiment& e) {
    return std::make_shared<const StructureFactorTable<T>>(e.structure_factors, e.interpolate, e.params.default_F);
}

template <typename T>
KernelData<T>::KernelData(const Experiment& e, std::shared_ptr<const StructureFactorTable<T>> table)
    : table_(table ? std::move(table) : make_structure_factor_table<T>(e)) {
    const DetectorGeometry& d = e.detector;
    const Params& p = e.params;
    DetectorView<T>& det = view_.detector;
    det.fpixels = d.fpixels;
    det.spixels = d.spixels;
    det.oversample = e.oversample;
    det.layers = e.sensor.layers;
    det.pixel = T(d.pixel_size);
    det.subpixel = T(d.pixel_size / e.oversample);
    det.layer_step = T(e.sensor.layer_step);
    det.mu = T(e.sensor.mu);
    det.thickness = T(e.sensor.thickness);
    det.close_distance = T(d.close_distance);
    det.distance = T(d.distance);
    det.fdet = d.fdet.as<T>();
    det.sdet = d.sdet.as<T>();
    det.odet = d.odet.as<T>();
    det.pix0 = d.pix0.as<T>();
    det.beam = d.beam.as<T>();
    det.curved = d.curved;
    det.point_pixel = d.point_pixel;
    det.oversample_thick = p.oversample_thick;
    det.oversample_polar = p.oversample_polar;
    det.oversample_omega = p.oversample_omega;
    det.roi = e.roi;
    det.mask = e.mask.empty() ? nullptr : e.mask.data();

    for (const Source& s : e.sources) {
        incident_.push_back(s.incident.as<T>());
        inv_lambda_.push_back(T(1e-10 / s.lambda));
        // Polarization frame of this source: B normal to the E-vector axis and the beam.
        const Vec3 b_in = unit(cross(e.polar_axis, s.incident));
        const Vec3 e_in = unit(cross(s.incident, b_in));
        b_in_.push_back(b_in.as<T>());
        e_in_.push_back(e_in.as<T>());
    }
    BeamView<T>& beam = view_.beam;
    beam.sources = static_cast<int>(incident_.size());
    beam.incident = incident_.data();
    beam.inv_lambda = inv_lambda_.data();
    beam.e_in = e_in_.data();
    beam.b_in = b_in_.data();
    beam.kahn = T(p.polarization);
    beam.nopolar = p.nopolar;
    beam.dmin = T(p.dmin * 1e10);

    for (const CellOrientation& o : e.orientations) {
        a_.push_back((o.a * 1e10).as<T>());
        b_.push_back((o.b * 1e10).as<T>());
        c_.push_back((o.c * 1e10).as<T>());
    }
    CrystalView<T>& x = view_.crystal;
    x.orientations = static_cast<int>(a_.size());
    x.a = a_.data();
    x.b = b_.data();
    x.c = c_.data();
    x.a_star = e.crystal.a_star.as<T>();
    x.b_star = e.crystal.b_star.as<T>();
    x.c_star = e.crystal.c_star.as<T>();
    x.Na = T(e.crystal.Na);
    x.Nb = T(e.crystal.Nb);
    x.Nc = T(e.crystal.Nc);
    x.fudge = T(e.crystal.fudge);
    x.shape = e.crystal.shape;

    view_.F = table_->view();
    view_.water = p.water_size != 0.0;
    view_.I_bg = e.I_bg;
    view_.scale = e.photon_scale;
}

template class StructureFactorTable<float>;
template class StructureFactorTable<double>;
template class KernelData<float>;
template class KernelData<double>;
template std::shared_ptr<const StructureFactorTable<float>> make_structure_factor_table<float>(const Experiment&);
template std::shared_ptr<const StructureFactorTable<double>> make_structure_factor_table<double>(const Experiment&);

}  // namespace tilebragg
