#include <tilebragg/legacy_outputs.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <future>
#include <cmath>
#include <cstring>
#include <memory>
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
    const std::string probe = path + ".tmp";
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    if (!f) throw InputError("cannot write output " + path + " (" + flag + "): " + std::strerror(errno));
    std::fclose(f);
    std::remove(probe.c_str());
}

}  // namespace

void check_outputs_writable(const Params& p) {
    check_output_paths(p);
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

    // Every file is written to its temporary name and finished (flushed, closed: where a
    // full disk shows up) before any is renamed, so a failure leaves none of them behind.
    std::vector<std::unique_ptr<AtomicFileWriter>> staged;
    auto stage = [&staged](const std::string& path) -> AtomicFileWriter& {
        staged.push_back(std::make_unique<AtomicFileWriter>(path));
        return *staged.back();
    };

    std::fprintf(log, "writing %s as %zu 4-byte floats\n", p.floatfile.c_str(), image.size());
    // The float file is copied into the page cache by a second thread while this one
    // converts and writes the others: on a large detector the copies dominate the run.
    AtomicFileWriter& float_out = stage(p.floatfile);
    std::future<void> float_written = std::async(std::launch::async, [&float_out, &image] {
        write_float_image(float_out, image.data(), image.size());
    });
    // Joined on every path out of here, so the thread never outlives `image`.
    struct Join {
        std::future<void>& f;
        ~Join() { if (f.valid()) f.wait(); }
    } join_float{float_written};

    const double int_scale = products.int_scale;
    std::fprintf(log, "intfile_scale = %g\n", int_scale);
    std::fprintf(log, "writing %s as 2-byte integers\n", p.intfile.c_str());
    const SmvHeaderFields header = header_fields(e);
    if (!products.counts.empty() && !products.counts_are_noise) {
        // The int image is already made (the HDF5 file holds it): written as it is.
        write_smv_image(stage(p.intfile), header, products.counts.data(), products.counts.size());
    } else {
        // Converted and written a band of rows at a time: no second full-size image.
        AtomicFileWriter& out = stage(p.intfile);
        out.write(format_smv_header(header));
        const int band = std::max(1, (1 << 20) / std::max(1, nf));
        std::vector<std::uint16_t> rows;
        for (int s0 = 0; s0 < ns; s0 += band) {
            const int s1 = std::min(ns, s0 + band);
            rows.resize(static_cast<std::size_t>(s1 - s0) * static_cast<std::size_t>(nf));
            make_int_rows(image, nf, s0, s1, roi, int_scale, p.adc_offset, rows.data());
            out.write(rows.data(), rows.size() * sizeof(std::uint16_t));
        }
    }

    if (p.write_pgm) {
        const double pgm_scale = resolve_pgm_scale(p.pgm_scale, int_scale, stats.rmsd);
        std::fprintf(log, "pgm_scale = %g\n", pgm_scale);
        std::fprintf(log, "writing %s as 1-byte integers\n", p.pgmfile.c_str());
        const std::vector<std::uint8_t> bytes = make_pgm_image(image, nf, ns, roi, pgm_scale);
        write_pgm(stage(p.pgmfile), nf, ns, bytes.data(), bytes.size(), pgm_scale);
    }
    if (p.write_noise && products.counts_are_noise) {
        std::fprintf(log, "%.0f photons on noise image (%lld overloads)\n", products.noise.photons,
                     static_cast<long long>(products.noise.overloads));
        std::fprintf(log, "writing %s as 2-byte integers\n", p.noisefile.c_str());
        write_smv_image(stage(p.noisefile), header, products.counts.data(), products.counts.size());
    }
    float_written.get();  // rethrows a write error of the float file
    for (auto& file : staged) file->finish();
    for (auto& file : staged) file->commit();
    std::fflush(log);
}

}  // namespace tilebragg
