#include <tilebragg/legacy_outputs.hpp>

#include <cerrno>
#include <cmath>
#include <cstring>

#include <tilebragg/errors.hpp>
#include <tilebragg/float_image.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/noise.hpp>
#include <tilebragg/pgm.hpp>
#include <tilebragg/smv_writer.hpp>

namespace tilebragg {
namespace {

constexpr double kRTD = 180.0 * M_1_PI;

SmvHeaderFields header_fields(const Experiment& e) {
    const DetectorGeometry& d = e.detector;
    const Params& p = e.params;
    SmvHeaderFields h;
    h.fast_pixels = d.fpixels;
    h.slow_pixels = d.spixels;
    h.pixel_size_mm = d.pixel_size * 1000.0;
    h.distance_mm = d.distance * 1000.0;
    h.wavelength_A = p.lambda0 * 1e10;
    h.beam_center_x_mm = d.Xbeam * 1000.0;
    h.beam_center_y_mm = d.Ybeam * 1000;
    h.adxv_center_x_mm = d.Fbeam * 1000.0;
    h.adxv_center_y_mm = (d.detsize_s - d.Sbeam) * 1000;
    h.mosflm_center_x_mm = (d.Sbeam - 0.5 * d.pixel_size) * 1000.0;
    h.mosflm_center_y_mm = (d.Fbeam - 0.5 * d.pixel_size) * 1000;
    h.denzo_x_beam_mm = d.Sbeam * 1000.0;
    h.denzo_y_beam_mm = d.Fbeam * 1000;
    h.dials_origin_mm = {d.dials_origin.x, d.dials_origin.y, d.dials_origin.z};
    h.xds_orgx_pixels = d.ORGX;
    h.xds_orgy_pixels = d.ORGY;
    h.close_distance_mm = d.close_distance * 1000.0;
    h.phi_deg = p.phi0 * kRTD;
    h.osc_start_deg = p.phi0 * kRTD;
    h.osc_range_deg = p.osc * kRTD;
    h.twotheta_deg = p.twotheta * kRTD;
    return h;
}

PixelRoi pixel_roi(const Roi& r) { return {r.fast_min, r.fast_max, r.slow_min, r.slow_max}; }

void check_writable(const std::string& path) {
    const std::string probe = path + ".tmp";
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) throw InputError("cannot write output " + path + ": " + std::strerror(errno));
    std::fclose(f);
    std::remove(probe.c_str());
}

}  // namespace

void check_outputs_writable(const Params& p) {
    check_writable(p.floatfile);
    check_writable(p.intfile);
    if (p.write_pgm) check_writable(p.pgmfile);
    if (p.write_noise) check_writable(p.noisefile);
}

void write_legacy_outputs(const Experiment& e, const std::vector<float>& image, const ImageStatistics& stats,
                          std::FILE* log) {
    const Params& p = e.params;
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    const PixelRoi roi = pixel_roi(e.roi);

    std::fprintf(log, "writing %s as %zu 4-byte floats\n", p.floatfile.c_str(), image.size());
    write_float_image(p.floatfile, image);

    const double int_scale = resolve_intfile_scale(p.intfile_scale, stats.max_I);
    std::fprintf(log, "intfile_scale = %g\n", int_scale);
    std::fprintf(log, "writing %s as 2-byte integers\n", p.intfile.c_str());
    const SmvHeaderFields header = header_fields(e);
    write_smv_image(p.intfile, header, make_int_image(image, nf, ns, roi, int_scale, p.adc_offset));

    if (p.write_pgm) {
        const double pgm_scale = resolve_pgm_scale(p.pgm_scale, int_scale, stats.rmsd);
        std::fprintf(log, "pgm_scale = %g\n", pgm_scale);
        std::fprintf(log, "writing %s as 1-byte integers\n", p.pgmfile.c_str());
        write_pgm(p.pgmfile, nf, ns, make_pgm_image(image, nf, ns, roi, pgm_scale), pgm_scale);
    }
    if (p.write_noise) {
        NoiseSettings settings;
        settings.seed = static_cast<std::uint64_t>(-p.seed);
        settings.adc_offset = p.adc_offset;
        const NoiseImage noise = make_noise_image(image, nf, ns, roi, settings);
        std::fprintf(log, "%.0f photons on noise image (%lld overloads)\n", noise.tally.photons,
                     static_cast<long long>(noise.tally.overloads));
        std::fprintf(log, "writing %s as 2-byte integers\n", p.noisefile.c_str());
        write_smv_image(p.noisefile, header, noise.counts);
    }
    std::fflush(log);
}

}  // namespace tilebragg
