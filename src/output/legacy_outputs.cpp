#include <tilebragg/legacy_outputs.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/float_image.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/noise.hpp>
#include <tilebragg/output_paths.hpp>
#include <tilebragg/pgm.hpp>
#include <tilebragg/smv_writer.hpp>
#include <tilebragg/thread_team.hpp>

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

// Creates and removes "<path>.tmp": proves the directory takes new files (permissions,
// read-only file system) before hours of rendering.
void check_writable(const std::string& flag, const std::string& path) {
    // A device or FIFO (-floatfile /dev/null) is written in place, so probe it in place.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        if (::access(path.c_str(), W_OK) != 0)
            throw InputError("cannot write output " + path + " (" + flag + "): " + std::strerror(errno));
        return;
    }
    // The driver checks the outputs before setup and again after it, mostly with the same
    // names; a probe costs an inode allocation (80 us here), so each path is probed once
    // per process (only rank 0's main thread gets here).
    static std::set<std::string> probed;
    const std::string probe = path + ".tmp";
    if (probed.count(probe) != 0) return;
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) throw InputError("cannot write output " + path + " (" + flag + "): " + std::strerror(errno));
    std::fclose(f);
    std::remove(probe.c_str());
    probed.insert(probe);
}

// Any pixel that is NaN or infinite means an input overflowed the arithmetic (e.g.
// -fluence 1e300); an image full of them is worse than no image. The statistics pass
// has counted them.
void require_finite(const ImageStatistics& stats, std::size_t pixels) {
    if (stats.nonfinite != 0)
        throw InputError("the rendered image has " + std::to_string(stats.nonfinite) + " of " + std::to_string(pixels) +
                         " pixels NaN or infinite (an input such as -fluence, -water, -lambda or the beam "
                         "centre is out of range); no image written");
}

// Rows of the int image converted per write: about 256 KiB, so that the band is still in
// the cache when write() copies it into the page cache, and no second full-size image.
int int_band_rows(int fpixels) { return std::max(1, (1 << 17) / std::max(1, fpixels)); }

// Writes an image of ns rows a band at a time: convert_rows(s0, s1, band) fills the band
// with rows [s0, s1), which is then written.
template <typename Pixel, typename Convert>
void write_rows_in_bands(AtomicFileWriter& out, int nf, int ns, Convert convert_rows) {
    const int band = int_band_rows(nf);
    std::vector<Pixel> rows(static_cast<std::size_t>(std::min(band, ns)) * static_cast<std::size_t>(nf));
    for (int s0 = 0; s0 < ns; s0 += band) {
        const int s1 = std::min(ns, s0 + band);
        convert_rows(s0, s1, rows.data());
        out.write(rows.data(), static_cast<std::size_t>(s1 - s0) * static_cast<std::size_t>(nf) * sizeof(Pixel));
    }
}

void write_int_image(AtomicFileWriter& out, const std::vector<float>& image, int nf, int ns, const PixelRoi& roi,
                     double scale, double adc_offset, const std::string& header) {
    out.write(header);
    write_rows_in_bands<std::uint16_t>(out, nf, ns, [&](int s0, int s1, std::uint16_t* rows) {
        make_int_rows(image, nf, s0, s1, roi, scale, adc_offset, rows);
    });
}

void write_pgm_image(AtomicFileWriter& out, const std::vector<float>& image, int nf, int ns, const PixelRoi& roi,
                     double scale) {
    write_pgm_header(out, nf, ns, scale);
    write_rows_in_bands<std::uint8_t>(
        out, nf, ns, [&](int s0, int s1, std::uint8_t* rows) { make_pgm_rows(image, nf, s0, s1, roi, scale, rows); });
}

// The noise image, drawn a band of rows at a time by every thread of the team and written
// in band order; the rows' tallies are added in row order (noise_rows), so neither the
// file nor the printed tally depends on the number of threads. Drawing (a Poisson deviate per
// pixel) costs far more than writing, so unlike the other files it is worth all threads.
NoiseTally write_noise_image(AtomicFileWriter& out, const std::vector<float>& image, int nf, int ns,
                             const PixelRoi& roi, const NoiseSettings& settings, const std::string& header) {
    out.write(header);
    const int band = int_band_rows(nf), bands = (ns + band - 1) / band;
    NoiseTally tally;
    std::exception_ptr error;
#pragma omp parallel if (image.size() >= kThreadTeamMinPixels)
    {
        std::vector<std::uint16_t> counts;
        std::vector<NoiseTally> drawn;
#pragma omp for ordered schedule(static, 1)
        for (int b = 0; b < bands; ++b) {
            const int s0 = b * band, rows = std::min(ns - s0, band);
            std::exception_ptr failed;
            try {
                counts.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(nf));
                drawn.resize(static_cast<std::size_t>(rows));
                noise_rows(image.data() + static_cast<std::size_t>(s0) * static_cast<std::size_t>(nf), nf, s0, rows,
                           roi, settings, counts.data(), drawn.data());
            } catch (...) {
                failed = std::current_exception();
            }
#pragma omp ordered
            {
                if (!error && failed) error = failed;
                if (!error) {
                    try {
                        out.write(counts.data(), counts.size() * sizeof(std::uint16_t));
                        for (const NoiseTally& row : drawn) tally += row;
                    } catch (...) {
                        error = std::current_exception();
                    }
                }
            }
        }
    }
    if (error) std::rethrow_exception(error);
    return tally;
}

}  // namespace

void check_outputs_writable(const Params& p) {
    check_output_paths(p);
    if (p.h5_only) return;
    check_writable("-floatfile", p.floatfile);
    check_writable("-intfile", p.intfile);
    if (p.write_pgm) check_writable("-pgmfile", p.pgmfile);
    if (p.write_noise) check_writable("-noisefile", p.noisefile);
    // The HDF5 file is probed by the driver under its own temporary name.
}

void write_legacy_outputs(const Experiment& e, const std::vector<float>& image, const ImageProducts& products,
                          std::FILE* log) {
    const Params& p = e.params;
    const int nf = e.detector.fpixels, ns = e.detector.spixels;
    const PixelRoi roi = pixel_roi(e.roi);
    const ImageStatistics& stats = products.stats;

    require_finite(stats, image.size());
    // Every file is written to its temporary name and finished (flushed, closed: where a
    // full disk shows up) before any is renamed, so a failure leaves none of them behind.
    std::vector<std::unique_ptr<AtomicFileWriter>> staged;
    auto stage = [&staged](const std::string& path) -> AtomicFileWriter& {
        staged.push_back(std::make_unique<AtomicFileWriter>(path));
        return *staged.back();
    };

    std::fprintf(log, "writing %s as %zu 4-byte floats\n", p.floatfile.c_str(), image.size());
    AtomicFileWriter& float_out = stage(p.floatfile);
    const double int_scale = products.int_scale;
    std::fprintf(log, "intfile_scale = %g\n", int_scale);
    std::fprintf(log, "writing %s as 2-byte integers\n", p.intfile.c_str());
    AtomicFileWriter& int_out = stage(p.intfile);
    const SmvHeaderFields header = header_fields(e);
    double pgm_scale = 0;
    AtomicFileWriter* pgm_out = nullptr;
    if (p.write_pgm) {
        pgm_scale = resolve_pgm_scale(p.pgm_scale, int_scale, stats.rmsd);
        std::fprintf(log, "pgm_scale = %g\n", pgm_scale);
        std::fprintf(log, "writing %s as 1-byte integers\n", p.pgmfile.c_str());
        pgm_out = &stage(p.pgmfile);
    }
    AtomicFileWriter* noise_out = p.write_noise ? &stage(p.noisefile) : nullptr;

    // Two threads of the OpenMP team that rendered the image (idle now, and on a busy
    // machine spinning if left out): one copies the float image into the page cache, the
    // other converts and writes the int and PGM images. On a large detector the copies
    // dominate the run. The noise image follows, drawn by the whole team.
    std::exception_ptr float_error, other_error;
#pragma omp parallel sections num_threads(2) if (image.size() >= kThreadTeamMinPixels)
    {
#pragma omp section
        {
            try {
                write_float_image(float_out, image.data(), image.size());
            } catch (...) {
                float_error = std::current_exception();
            }
        }
#pragma omp section
        {
            try {
                // The int image the HDF5 file holds is written as it is; otherwise it is
                // converted a band at a time.
                if (!products.counts.empty() && !products.counts_are_noise)
                    write_smv_image(int_out, header, products.counts.data(), products.counts.size());
                else
                    write_int_image(int_out, image, nf, ns, roi, int_scale, p.adc_offset, format_smv_header(header));
                if (pgm_out) write_pgm_image(*pgm_out, image, nf, ns, roi, pgm_scale);
            } catch (...) {
                other_error = std::current_exception();
            }
        }
    }
    if (other_error) std::rethrow_exception(other_error);
    if (float_error) std::rethrow_exception(float_error);
    if (noise_out) {
        // The noise image the HDF5 file holds is written as it is; otherwise it is drawn
        // and written a band at a time.
        NoiseTally noise_tally = products.noise;
        if (products.counts_are_noise)
            write_smv_image(*noise_out, header, products.counts.data(), products.counts.size());
        else
            noise_tally =
                write_noise_image(*noise_out, image, nf, ns, roi, noise_settings(p), format_smv_header(header));
        std::fprintf(log, "%.0f photons on noise image (%lld overloads)\n", noise_tally.photons,
                     static_cast<long long>(noise_tally.overloads));
        std::fprintf(log, "writing %s as 2-byte integers\n", p.noisefile.c_str());
    }
    for (auto& file : staged) file->finish();
    for (auto& file : staged) file->commit();
    std::fflush(log);
}

}  // namespace tilebragg
