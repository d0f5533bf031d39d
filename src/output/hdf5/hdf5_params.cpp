#include "output/hdf5/file_metadata.hpp"
#include "output/hdf5/hdf5_attributes.hpp"

namespace tilebragg {
namespace {

const char* name(Convention c) { return convention_name(c); }
const char* name(LatticeShape s) {
    switch (s) {
        case LatticeShape::Square:
            return "square";
        case LatticeShape::Round:
            return "round";
        case LatticeShape::Gauss:
            return "gauss";
        case LatticeShape::Tophat:
            return "tophat";
    }
    return "?";
}
const char* name(Interpolation i) { return i == Interpolation::On ? "on" : i == Interpolation::Off ? "off" : "auto"; }

std::string joined(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

}  // namespace

void write_params_attributes(hid_t g, const Params& p) {
    // inputs
    write_attribute(g, "hkl_file", p.hkl_file);
    write_attribute(g, "matrix_file", p.matrix_file);
    write_attribute(g, "img_file", p.img_file);
    write_attribute(g, "mask_file", p.mask_file);
    write_attribute(g, "source_file", p.source_file);
    write_attribute(g, "fdump_file", p.fdump_file);
    write_attribute(g, "default_F", p.default_F);
    // crystal
    write_attribute(g, "user_cell", p.user_cell);
    write_attribute(g, "cell_a_m", p.cell_a);
    write_attribute(g, "cell_b_m", p.cell_b);
    write_attribute(g, "cell_c_m", p.cell_c);
    write_attribute(g, "cell_alpha_rad", p.cell_alpha);
    write_attribute(g, "cell_beta_rad", p.cell_beta);
    write_attribute(g, "cell_gamma_rad", p.cell_gamma);
    write_attribute(g, "misset_given", p.misset_given);
    write_attribute(g, "misset_random", p.misset_random);
    write_attribute(g, "misset_rad", p.misset);
    write_attribute(g, "Na", p.Na);
    write_attribute(g, "Nb", p.Nb);
    write_attribute(g, "Nc", p.Nc);
    write_attribute(g, "sample_x_m", p.sample_x);
    write_attribute(g, "sample_y_m", p.sample_y);
    write_attribute(g, "sample_z_m", p.sample_z);
    write_attribute(g, "shape", name(p.shape));
    write_attribute(g, "fudge", p.fudge);
    write_attribute(g, "mosaic_spread_rad", p.mosaic_spread);
    write_attribute(g, "mosaic_domains", p.mosaic_domains);
    // detector
    write_attribute(g, "pixel_size_m", p.pixel_size);
    write_attribute(g, "fpixels", p.fpixels);
    write_attribute(g, "spixels", p.spixels);
    write_attribute(g, "detsize_f_m", p.detsize_f);
    write_attribute(g, "detsize_s_m", p.detsize_s);
    write_attribute(g, "distance_m", p.distance);
    write_attribute(g, "close_distance_m", p.close_distance);
    write_attribute(g, "point_pixel", p.point_pixel);
    write_attribute(g, "curved_detector", p.curved_detector);
    write_attribute(g, "detector_rotx_rad", p.detector_rotx);
    write_attribute(g, "detector_roty_rad", p.detector_roty);
    write_attribute(g, "detector_rotz_rad", p.detector_rotz);
    write_attribute(g, "twotheta_rad", p.twotheta);
    write_attribute(g, "twotheta_axis", p.twotheta_axis);
    write_attribute(g, "pivot", p.pivot == Pivot::Sample ? "sample" : "beam");
    write_attribute(g, "convention", name(p.convention));
    write_attribute(g, "fdet", p.fdet);
    write_attribute(g, "sdet", p.sdet);
    write_attribute(g, "odet", p.odet);
    write_attribute(g, "beam", p.beam);
    write_attribute(g, "polar_axis", p.polar_axis);
    write_attribute(g, "spindle", p.spindle);
    if (p.pix0) write_attribute(g, "pix0_m", *p.pix0);
    write_attribute(g, "Xbeam_m", p.Xbeam);
    write_attribute(g, "Ybeam_m", p.Ybeam);
    write_attribute(g, "Xclose_m", p.Xclose);
    write_attribute(g, "Yclose_m", p.Yclose);
    write_attribute(g, "ORGX_pixels", p.ORGX);
    write_attribute(g, "ORGY_pixels", p.ORGY);
    write_attribute(g, "detector_mu_per_m", p.detector_mu);
    write_attribute(g, "detector_thick_m", p.detector_thick);
    write_attribute(g, "detector_thickstep_m", p.detector_thickstep);
    write_attribute(g, "detector_thicksteps", p.detector_thicksteps);
    // beam
    write_attribute(g, "lambda0_m", p.lambda0);
    write_attribute(g, "dispersion", p.dispersion);
    write_attribute(g, "dispstep", p.dispstep);
    write_attribute(g, "dispsteps", p.dispsteps);
    write_attribute(g, "hdivrange_rad", p.hdivrange);
    write_attribute(g, "hdivstep_rad", p.hdivstep);
    write_attribute(g, "vdivrange_rad", p.vdivrange);
    write_attribute(g, "vdivstep_rad", p.vdivstep);
    write_attribute(g, "hdivsteps", p.hdivsteps);
    write_attribute(g, "vdivsteps", p.vdivsteps);
    write_attribute(g, "round_div", p.round_div);
    write_attribute(g, "polarization", p.polarization);
    write_attribute(g, "nopolar", p.nopolar);
    write_attribute(g, "fluence_per_m2", p.fluence);
    write_attribute(g, "flux_per_s", p.flux);
    write_attribute(g, "exposure_s", p.exposure);
    write_attribute(g, "beamsize_m", p.beamsize);
    // sampling
    write_attribute(g, "phi0_rad", p.phi0);
    write_attribute(g, "osc_rad", p.osc);
    write_attribute(g, "phistep_rad", p.phistep);
    write_attribute(g, "phisteps", p.phisteps);
    write_attribute(g, "dmin_m", p.dmin);
    write_attribute(g, "oversample", p.oversample);
    write_attribute(g, "oversample_thick", p.oversample_thick);
    write_attribute(g, "oversample_polar", p.oversample_polar);
    write_attribute(g, "oversample_omega", p.oversample_omega);
    write_attribute(g, "roi",
                    std::vector<double>{double(p.roi.fast_min), double(p.roi.fast_max), double(p.roi.slow_min),
                                        double(p.roi.slow_max)});
    write_attribute(g, "water_size_m", p.water_size);
    write_attribute(g, "interpolation", name(p.interpolation));
    // outputs
    write_attribute(g, "floatfile", p.floatfile);
    write_attribute(g, "intfile", p.intfile);
    write_attribute(g, "pgmfile", p.pgmfile);
    write_attribute(g, "noisefile", p.noisefile);
    write_attribute(g, "write_pgm", p.write_pgm);
    write_attribute(g, "write_noise", p.write_noise);
    write_attribute(g, "h5_only", p.h5_only);
    write_attribute(g, "intfile_scale", p.intfile_scale);
    write_attribute(g, "pgm_scale", p.pgm_scale);
    write_attribute(g, "adc_offset", p.adc_offset);
    // seeds, as the user gave them
    write_attribute(g, "seed", -p.seed);
    write_attribute(g, "seed_given", p.seed_given);
    write_attribute(g, "mosaic_seed", -p.mosaic_seed);
    write_attribute(g, "misset_seed", -p.misset_seed);
    write_attribute(g, "misset_seed_given", p.misset_seed_given);
    // run control
    write_attribute(g, "printout", p.printout);
    write_attribute(g, "progress", p.progress);
    write_attribute(g, "precision", p.precision == Precision::Double ? "double" : "float");
    write_attribute(g, "command_line", joined(p.command_line));
    write_attribute(g, "tile_fast_requested", p.tile_fast);
    write_attribute(g, "tile_slow_requested", p.tile_slow);
    write_attribute(g, "schedule", p.schedule == Schedule::Static ? "static" : "dynamic");
    write_attribute(g, "h5file", p.h5file);
    write_attribute(g, "job_file", p.job_file);
}

}  // namespace tilebragg
