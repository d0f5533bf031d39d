#include <tilebragg/run_report.hpp>

#include <cmath>

namespace tilebragg {
namespace {
constexpr double kRTD = 180.0 * M_1_PI;

const char* shape_name(LatticeShape s) {
    switch (s) {
        case LatticeShape::Round:
            return "ellipsoidal";
        case LatticeShape::Square:
            return "parallelpiped";
        case LatticeShape::Gauss:
            return "gaussian";
        case LatticeShape::Tophat:
            return "tophat-spot";
    }
    return "?";
}
}  // namespace

void print_setup_report(const Experiment& e, std::FILE* out) {
    const Params& p = e.params;
    const DetectorGeometry& d = e.detector;
    const CrystalModel& x = e.crystal;
    std::fprintf(out, "tilebragg: nanoBragg-compatible diffraction simulator\n");
    std::fprintf(out, "%s convention selected.\n", convention_name(d.convention));
    std::fprintf(out, d.pivot == Pivot::Sample ? "pivoting detector around sample\n"
                                               : "pivoting detector around direct beam spot\n");
    for (const auto& line : e.log) std::fprintf(out, "%s\n", line.c_str());
    std::fprintf(out, "Unit Cell: %g %g %g %g %g %g\n", x.cell[0], x.cell[1], x.cell[2], x.cell[3], x.cell[4],
                 x.cell[5]);
    std::fprintf(out, "Recp Cell: %g %g %g %g %g %g\n", x.reciprocal_cell[0], x.reciprocal_cell[1],
                 x.reciprocal_cell[2], x.reciprocal_cell[3], x.reciprocal_cell[4], x.reciprocal_cell[5]);
    std::fprintf(out, "volume = %g A^3\n", x.volume_A3);
    std::fprintf(out, "real-space cell vectors (Angstrom):\n     %-10s  %-10s  %-10s\n", "a", "b", "c");
    std::fprintf(out, "X: %11.8f %11.8f %11.8f\n", x.a.x * 1e10, x.b.x * 1e10, x.c.x * 1e10);
    std::fprintf(out, "Y: %11.8f %11.8f %11.8f\n", x.a.y * 1e10, x.b.y * 1e10, x.c.y * 1e10);
    std::fprintf(out, "Z: %11.8f %11.8f %11.8f\n", x.a.z * 1e10, x.b.z * 1e10, x.c.z * 1e10);
    std::fprintf(out, "reciprocal-space cell vectors (Angstrom^-1):\n     %-10s  %-10s  %-10s\n", "a_star", "b_star",
                 "c_star");
    std::fprintf(out, "X: %11.8f %11.8f %11.8f\n", x.a_star.x, x.b_star.x, x.c_star.x);
    std::fprintf(out, "Y: %11.8f %11.8f %11.8f\n", x.a_star.y, x.b_star.y, x.c_star.y);
    std::fprintf(out, "Z: %11.8f %11.8f %11.8f\n", x.a_star.z, x.b_star.z, x.c_star.z);
    std::fprintf(out, "crystal is %g x %g x %g microns\n", norm(x.a) * x.Na * 1e6, norm(x.b) * x.Nb * 1e6,
                 norm(x.c) * x.Nc * 1e6);
    std::fprintf(out, "  created a total of %zu sources:\n", e.sources.size());
    for (const Source& s : e.sources)
        std::fprintf(out, "%g %g %g   %g %g\n", s.position.x, s.position.y, s.position.z, s.weight, s.lambda);
    std::fprintf(out, "  created a total of %zu mosaic domains\n", e.mosaic_umats.size());
    std::fprintf(out, "  %lld initialized hkls (all others =%g)\n", e.structure_factors->hkls, p.default_F);
    std::fprintf(out, "  %s xtal: %.0fx%.0fx%.0f cells\n", shape_name(x.shape), x.Na, x.Nb, x.Nc);
    std::fprintf(out, "  wave=%g meters +/- %g%% in %d steps\n", p.lambda0, e.dispersion * 100, e.dispsteps);
    if (p.nopolar)
        std::fprintf(out, "  polarization effect disabled\n");
    else
        std::fprintf(out, "  Kahn polarization factor: %f\n", p.polarization);
    if (d.curved) std::fprintf(out, "  curved detector: all pixels same distance from origin\n");
    if (d.point_pixel) std::fprintf(out, "  pixel obliquity effect disabled\n");
    std::fprintf(out, "  incident fluence: %g photons/m^2\n", e.fluence);
    std::fprintf(out, "  distance=%g detsize=%gx%g  pixel=%g meters (%dx%d pixels)\n", d.distance, d.detsize_f,
                 d.detsize_s, d.pixel_size, d.fpixels, d.spixels);
    std::fprintf(out, "  sensor is %g m thick in %d layers with mu= %g\n", e.sensor.thickness, e.sensor.layers,
                 e.sensor.mu);
    std::fprintf(out, "  Xbeam=%g Ybeam=%g\n  Fbeam=%g Sbeam=%g\n", d.Xbeam, d.Ybeam, d.Fbeam, d.Sbeam);
    std::fprintf(out, "  Xclose=%g Yclose=%g\n  Fclose=%g Sclose=%g\n", d.Xclose, d.Yclose, d.Fclose, d.Sclose);
    std::fprintf(out, "  DIRECTION_OF_DETECTOR_X-AXIS= %g %g %g\n", d.fdet.x, d.fdet.y, d.fdet.z);
    std::fprintf(out, "  DIRECTION_OF_DETECTOR_Y-AXIS= %g %g %g\n", d.sdet.x, d.sdet.y, d.sdet.z);
    std::fprintf(out, "  DIRECTION_OF_DETECTOR_Z-AXIS= %g %g %g\n", d.odet.x, d.odet.y, d.odet.z);
    std::fprintf(out, "  INCIDENT_BEAM_DIRECTION= %g %g %g\n", d.beam.x, d.beam.y, d.beam.z);
    std::fprintf(out, "  spindle ROTATION_AXIS= %g %g %g\n", e.spindle.x, e.spindle.y, e.spindle.z);
    const Vec3 normal = cross(d.beam, e.polar_axis);
    std::fprintf(out, "  POLARIZATION_PLANE_NORMAL= %g %g %g\n", normal.x, normal.y, normal.z);
    std::fprintf(out, "  dials origin= %g %g %g\n", d.dials_origin.x, d.dials_origin.y, d.dials_origin.z);
    std::fprintf(out, "  roi: %d < x < %d && %d < y < %d\n", e.roi.fast_min, e.roi.fast_max, e.roi.slow_min,
                 e.roi.slow_max);
    std::fprintf(out, "  hdivrange=%g hdivstep=%g  radians\n", e.hdivrange, e.hdivstep);
    std::fprintf(out, "  vdivrange=%g vdivstep=%g  radians\n", e.vdivrange, e.vdivstep);
    std::fprintf(out, "  %d divergence steps\n  %zu sources\n", e.divsteps, e.sources.size());
    std::fprintf(out, "  %zu mosaic domains over mosaic spread of %g degrees\n", e.mosaic_umats.size(),
                 p.mosaic_spread * kRTD);
    std::fprintf(out, "  %d phi steps from %g to %g degrees\n", p.phisteps, p.phi0 * kRTD, (p.phi0 + p.osc) * kRTD);
    std::fprintf(out, "  %dx%d pixel oversample steps%s%s%s\n", e.oversample, e.oversample,
                 p.oversample_thick ? " +thick" : "", p.oversample_polar ? " +polar" : "",
                 p.oversample_omega ? " +omega" : "");
    if (!e.mask.empty()) std::fprintf(out, "  skipping zero-flagged pixels in %s\n", p.mask_file.c_str());
    std::fprintf(out, "  kernel precision: %s\n", p.precision == Precision::Float ? "float" : "double");
    if (p.write_noise)
        std::fprintf(out, "\n  noise image paramters:\n  seed: %ld\n  water droplet size: %g m\n", p.seed,
                     p.water_size);
    std::fflush(out);
}

void print_statistics(const Experiment& e, const ImageStatistics& s, double omega_sum, std::FILE* out) {
    std::fprintf(out, "\nsolid angle subtended by detector = %g steradian ( %g%% sphere)\n", omega_sum / e.steps,
                 100 * omega_sum / e.steps / 4 / M_PI);
    // Like the reference, report the brightest pixel at its last sub-pixel's position (m).
    const double sub = e.detector.pixel_size / e.oversample;
    const double x = s.max_fpixel < 0 ? 0 : sub * (s.max_fpixel * e.oversample + e.oversample - 1) + sub / 2.0;
    const double y = s.max_spixel < 0 ? 0 : sub * (s.max_spixel * e.oversample + e.oversample - 1) + sub / 2.0;
    std::fprintf(out, "max_I = %g  at %g %g\n", s.max_I, x, y);
    std::fprintf(out, "mean= %g rms= %g rmsd= %g\n", s.mean, s.rms, s.rmsd);
    std::fflush(out);
}

}  // namespace tilebragg
