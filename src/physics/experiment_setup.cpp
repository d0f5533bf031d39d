// Params -> Experiment: every auto-selection of the reference, in its order.
#include <tilebragg/experiment.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include <tilebragg/beam_sources.hpp>
#include <tilebragg/crystal_setup.hpp>
#include <tilebragg/detector_setup.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/fdump.hpp>
#include <tilebragg/hkl_file.hpp>
#include <tilebragg/mask_image.hpp>
#include <tilebragg/memory_budget.hpp>
#include <tilebragg/nxmx_geometry.hpp>
#include <tilebragg/output_paths.hpp>
#include <tilebragg/reference_rng.hpp>
#include <tilebragg/sampling_grid.hpp>
#include <tilebragg/work_limits.hpp>

namespace tilebragg {
namespace {

constexpr double kAvogadro = 6.02214179e23;
constexpr double kWaterF = 2.57;   // forward-scattering amplitude of a water molecule
constexpr double kWaterMW = 18.0;  // g/mol
constexpr double kRTD = 180.0 * M_1_PI;
constexpr int kMaxOversample = 10000;                        // sub-pixels per edge; 10^8 per pixel is already years
constexpr double kElectronRadiusSqr = 7.94079248018965e-30;  // m^2

// One number formatted into a line of any length (the sensor messages pass 256 bytes).
std::string printf_line(const char* fmt, double a) {
    const int n = std::snprintf(nullptr, 0, fmt, a);
    std::string line(static_cast<std::size_t>(std::max(n, 0)) + 1, '\0');
    std::snprintf(line.data(), line.size(), fmt, a);
    line.resize(static_cast<std::size_t>(std::max(n, 0)));
    return line;
}

// Whether anything is there (without opening it: a FIFO would wait for a writer); what
// it is, the reader judges.
bool file_exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

HklGrid load_structure_factors(const Params& p, std::vector<std::string>& log) {
    if (!p.hkl_file.empty()) return read_hkl_file(p.hkl_file, p.default_F);
    // Like the reference, a cache left by an earlier -hkl run stands in for the file.
    if (file_exists(p.fdump_file)) {
        log.push_back("reading Fs from " + p.fdump_file);
        return read_fdump(p.fdump_file, p.default_F);
    }
    if (p.default_F == 0.0)
        throw InputError("no structure factors: give -hkl FILE or -default_F (no " + p.fdump_file + " cache either)");
    HklGrid none;
    none.default_F = p.default_F;
    return none;
}

// Sensor settings that the reference silently ignores, or that give an image of zeros.
void check_sensor(const Params& p, const Sensor& sensor, std::vector<std::string>& log) {
    if (sensor.thickness > 0.0 && sensor.mu == 0.0)
        throw InputError(
            printf_line("flag -detector_thick %g um with no absorption (-detector_abs inf or 0, given before "
                        "it): a sensor that absorbs nothing records no photons, so the image would be all "
                        "zero; give a finite -detector_abs, or -detector_abs inf after -detector_thick for "
                        "no sensor",
                        p.detector_thick * 1e6));
    if (p.oversample_thick && sensor.thickness == 0.0)
        throw InputError(
            "flag -oversample_thick without a sensor (-detector_thick): the capture fraction of a sensor of "
            "no thickness is 0, so the image would be all zero");
    if (p.detector_thick == 0.0 && p.detector_thicksteps > 0)
        log.push_back("WARNING: -thicksteps " + std::to_string(p.detector_thicksteps) +
                      " without -detector_thick: a "
                      "sensor of no thickness has no layers; no sensor absorption is modelled");
    if (p.detector_thick == 0.0 && p.detector_mu > 0.0)
        log.push_back(
            printf_line("WARNING: -detector_abs %g um without -detector_thick: a sensor of no thickness "
                        "absorbs nothing; no sensor absorption is modelled",
                        1e6 / p.detector_mu));
}

// The seeds default to the clock, as in the reference (the misset stream takes the clock
// value, not -seed); fluence from flux, and a narrow beam limits the illuminated crystal.
void derive_seeds_and_fluence(Params& p, Experiment& e) {
    const long clock_seed = -static_cast<long>(std::time(nullptr));
    if (!p.seed_given) p.seed = clock_seed;
    if (!p.misset_seed_given) p.misset_seed = clock_seed;

    if (p.flux != 0.0 && p.exposure > 0.0 && p.beamsize >= 0) p.fluence = p.flux * p.exposure / p.beamsize / p.beamsize;
    if (p.beamsize >= 0) {
        if (p.beamsize < p.sample_y) p.sample_y = p.beamsize;
        if (p.beamsize < p.sample_z) p.sample_z = p.beamsize;
    }
    if (p.exposure > 0.0) p.flux = p.fluence / p.exposure * p.beamsize * p.beamsize;
    e.fluence = p.fluence;
}

// The divergence and dispersion ranges of the beam (step counts resolved), for the sources.
struct BeamSampling {
    SampledRange hdiv, vdiv, disp;
};

// Spindle, divergence, dispersion, sensor layers and mosaic domains: the reference's
// range/step/count rules and its warnings.
BeamSampling resolve_sampling(Params& p, Experiment& e) {
    std::vector<std::string>& log = e.log;
    const SampledRange phi = resolve_phi(p.osc, p.phistep, p.phisteps);
    p.osc = phi.range;
    p.phistep = phi.step;
    p.phisteps = phi.count;
    SampledRange hdiv = resolve_span(p.hdivrange, p.hdivstep, p.hdivsteps, 1.0);
    SampledRange vdiv = resolve_span(p.vdivrange, p.vdivstep, p.vdivsteps, 1.0);
    SampledRange disp = resolve_span(p.dispersion, p.dispstep, p.dispsteps, 1.0);
    SampledRange thick = resolve_layers(p.detector_thick, p.detector_thickstep, p.detector_thicksteps);
    if (thick.range > 0.0 && p.detector_mu < 0.0) {
        p.detector_mu = 1.0 / thick.range;
        log.push_back(printf_line("WARNING: setting detector attenuation depth to %g m", p.detector_mu));
    }
    if (p.mosaic_domains <= 0) {
        if (p.mosaic_spread < 0.0) {
            p.mosaic_domains = 1;
            p.mosaic_spread = 0.0;
        } else if (p.mosaic_spread == 0.0)
            p.mosaic_domains = 1;
        else {
            log.push_back("WARNING: finite mosaicity with only one domain! upping to 10 mosaic domains");
            p.mosaic_domains = 10;
        }
    } else if (p.mosaic_spread < 0.0) {
        log.push_back("WARNING: no mosaic spread specified.  setting mosaic_domains = 1");
        p.mosaic_spread = 0.0;
        p.mosaic_domains = 1;
    } else if (p.mosaic_spread == 0.0) {
        log.push_back("WARNING: zero mosaic spread specified.  setting mosaic_domains = 1");
        p.mosaic_domains = 1;
    }
    auto sane = [](SampledRange& r) {
        if (r.range <= 0.0 || r.step <= 0.0 || r.count <= 0) r = {0.0, 0.0, 1};
    };
    sane(hdiv);
    sane(vdiv);
    sane(disp);
    sane(thick);
    e.hdivsteps = hdiv.count;
    e.hdivstep = hdiv.step;
    e.hdivrange = hdiv.range;
    e.vdivsteps = vdiv.count;
    e.vdivstep = vdiv.step;
    e.vdivrange = vdiv.range;
    e.dispsteps = disp.count;
    e.dispstep = disp.step;
    e.dispersion = disp.range;
    e.sensor = {thick.count, thick.range, thick.step, p.detector_mu};
    check_sensor(p, e.sensor, log);
    return {hdiv, vdiv, disp};
}

// The detector frame, and what must fit before any input is read.
void place_detector(Params& p, Experiment& e) {
    std::vector<std::string>& log = e.log;
    if (!std::isnan(p.replaced_header_close_distance))
        log.push_back(
            printf_line("note: -distance replaces the image header's CLOSE_DISTANCE of %g mm (the command "
                        "line wins; nanoBragg would keep the header's)",
                        p.replaced_header_close_distance * 1000));
    DetectorSetup det = setup_detector(p);
    e.detector = det.geometry;
    e.polar_axis = det.polar_axis;
    e.spindle = det.spindle;
    const int fpixels = e.detector.fpixels, spixels = e.detector.spixels;
    if (fpixels <= 0 || spixels <= 0) throw InputError("detector has no pixels: check -detpixels / -detsize / -pixel");
    // Refuse an image that cannot fit before reading inputs or writing the Fdump cache:
    // the float image, the -noisefile counts and the -pgmfile bytes held whole (the
    // -intfile is converted a band of rows at a time).
    require_memory(static_cast<std::size_t>(fpixels) * static_cast<std::size_t>(spixels) *
                       (sizeof(float) + sizeof(std::uint16_t) + sizeof(std::uint8_t)),
                   "a " + std::to_string(fpixels) + "x" + std::to_string(spixels) + " detector image");
    if (!p.h5file.empty()) check_tiles_per_image(p.tile_fast, p.tile_slow, fpixels, spixels);
    if (p.printout_fpixel >= fpixels || p.printout_spixel >= spixels || p.printout_fpixel < -1 ||
        p.printout_spixel < -1)
        throw InputError("flag -printout_pixel: pixel " + std::to_string(p.printout_fpixel) + " " +
                         std::to_string(p.printout_spixel) + " is outside the " + std::to_string(fpixels) + "x" +
                         std::to_string(spixels) + " detector");
}

// Region of interest (inclusive) and mask.
void region_and_mask(const Params& p, Experiment& e) {
    const int fpixels = e.detector.fpixels, spixels = e.detector.spixels;
    e.roi = p.roi;
    if (e.roi.fast_min < 0) e.roi.fast_min = 0;
    if (e.roi.fast_max < 0) e.roi.fast_max = fpixels;
    if (e.roi.slow_min < 0) e.roi.slow_min = 0;
    if (e.roi.slow_max < 0) e.roi.slow_max = spixels;
    if (e.roi.fast_min > e.roi.fast_max || e.roi.slow_min > e.roi.slow_max)
        throw InputError("flag -roi: minimum beyond maximum (" + std::to_string(e.roi.fast_min) + " " +
                         std::to_string(e.roi.fast_max) + " " + std::to_string(e.roi.slow_min) + " " +
                         std::to_string(e.roi.slow_max) + ")");
    if (e.roi.fast_min >= fpixels || e.roi.slow_min >= spixels)
        throw InputError("flag -roi: region starts outside the " + std::to_string(fpixels) + "x" +
                         std::to_string(spixels) + " detector");
    if (!p.mask_file.empty()) e.mask = read_mask_pixels(p.mask_file, fpixels, spixels);
}

// Interpolation is chosen from the -N values, before a crystal size can change them.
bool choose_interpolation(const Params& p, std::vector<std::string>& log) {
    bool interpolate = p.interpolation == Interpolation::On;
    if (p.interpolation == Interpolation::Auto) {
        interpolate = p.Na <= 2 || p.Nb <= 2 || p.Nc <= 2;
        log.push_back(interpolate ? "auto-selected tricubic interpolation of structure factors"
                                  : "auto-selected no interpolation");
    }
    return interpolate;
}

// The crystal. A random misset comes from the misset stream; the mosaic stream then
// continues on the same generator table, as in the reference: the generator the mosaic
// domains are drawn from is returned.
ReferenceRandom orient_crystal(Params& p, Experiment& e) {
    std::vector<std::string>& log = e.log;
    ReferenceRandom rng(p.mosaic_seed);
    if (p.misset_given && p.misset_random) {
        ReferenceRandom misset_stream(p.misset_seed);
        // Image k of a serial batch takes the k-th orientation of the one stream.
        RotationMatrix drawn = random_cap_rotation(kRandomMissetCapRadians, misset_stream);
        for (int draw = 0; draw < p.misset_draw; ++draw)
            drawn = random_cap_rotation(kRandomMissetCapRadians, misset_stream);
        const auto angles = rotation_to_misset(drawn);
        p.misset = {angles[0], angles[1], angles[2]};
        p.misset_random = false;
        char buf[160];
        std::snprintf(buf, sizeof buf, "random orientation misset angles: %f %f %f deg", p.misset.x * kRTD,
                      p.misset.y * kRTD, p.misset.z * kRTD);
        log.emplace_back(buf);
        misset_stream.continue_with_seed(p.mosaic_seed);
        rng = misset_stream;
    }
    e.crystal = setup_crystal(p, log);
    return rng;
}

// Sub-pixels per pixel edge: the reference's auto-selection from the crystal's size.
void choose_oversampling(Params& p, Experiment& e) {
    std::vector<std::string>& log = e.log;
    const CrystalModel& xtal = e.crystal;
    const double size_max = std::max({norm(xtal.a) * xtal.Na, norm(xtal.b) * xtal.Nb, norm(xtal.c) * xtal.Nc});
    const double reciprocal_pixel = p.lambda0 * e.detector.distance / p.pixel_size;
    const double wanted = std::ceil(3.0 * size_max / reciprocal_pixel);
    // Tens of thousands of sub-pixels per edge would run for years; refuse rather than overflow.
    if (p.oversample <= 0 && !(wanted <= kMaxOversample))
        throw InputError("auto-selected oversampling of " + printf_line("%g", wanted) +
                         " sub-pixels per pixel edge is absurd (crystal " + printf_line("%g", size_max * 1e10) +
                         " A across): check -N / -xtalsize, or give -oversample");
    int recommended = wanted <= kMaxOversample ? static_cast<int>(wanted) : kMaxOversample;
    if (recommended <= 0) recommended = 1;
    if (p.oversample <= 0) {
        p.oversample = recommended;
        log.push_back("auto-selected " + std::to_string(p.oversample) + "-fold oversampling");
    }
    if (p.oversample < recommended) {
        log.push_back(printf_line("WARNING: maximum dimension of sample is %g A", size_max * 1e10));
        log.push_back(printf_line("         but reciprocal pixel size is %g A", reciprocal_pixel * 1e10));
        log.push_back("         intensity may vary significantly across a pixel!");
        log.push_back("         recommend -oversample " + std::to_string(recommended) + " to work around this");
    }
    e.oversample = p.oversample;
}

// Every count that multiplies the work, known before structure factors are read or
// orientations made: sizes beyond the loops, memory or a lifetime are refused here.
SamplingCounts check_work_counts(const Params& p, const Experiment& e, const BeamSampling& b) {
    const SampledRange &hdiv = b.hdiv, &vdiv = b.vdiv, &disp = b.disp;
    const int fpixels = e.detector.fpixels, spixels = e.detector.spixels;
    SamplingCounts counts;
    counts.sources = p.source_file.empty() ? static_cast<double>(hdiv.count) * vdiv.count * disp.count : 1.0;
    counts.mosaic_domains = p.mosaic_domains;
    counts.phi_steps = p.phisteps;
    counts.oversample = p.oversample;
    counts.layers = e.sensor.layers;
    counts.pixels = static_cast<double>(std::min(e.roi.fast_max, fpixels - 1) - e.roi.fast_min + 1) *
                    (std::min(e.roi.slow_max, spixels - 1) - e.roi.slow_min + 1);
    counts.images = p.images;
    check_sampling_before_setup(counts);
    return counts;
}

// Spindle angles, mosaic domains and every orientation the kernel will visit.
void make_orientations(const Params& p, Experiment& e, ReferenceRandom& rng) {
    for (int i = 0; i < p.phisteps; ++i) e.phi_angles.push_back(p.phi0 + p.phistep * i);
    e.mosaic_umats = mosaic_domain_rotations(p.mosaic_domains, static_cast<float>(p.mosaic_spread), rng);
    e.orientations = crystal_orientations(e.crystal, e.spindle, e.phi_angles, e.mosaic_umats, p.mosaic_spread > 0.0);
}

// The X-ray sources (divergence x dispersion grid, or -sourcefile); the work they make
// checked again with their real number.
void make_beam_sources(const Params& p, Experiment& e, const BeamSampling& b, SamplingCounts counts) {
    std::vector<std::string>& log = e.log;
    const SampledRange &hdiv = b.hdiv, &vdiv = b.vdiv, &disp = b.disp;
    SourceGrid grid = make_sources(p, e.detector.beam, e.polar_axis, hdiv.count, hdiv.step, hdiv.range, vdiv.count,
                                   vdiv.step, vdiv.range, disp.count, disp.step, disp.range);
    e.sources = std::move(grid.sources);
    e.divsteps = grid.divsteps;
    for (auto& line : grid.log) log.push_back(std::move(line));
    if (e.sources.empty()) throw InputError("no X-ray sources: the divergence settings leave none");
    for (const Source& s : e.sources)
        if (!(s.lambda > 0.0))
            throw InputError("flag -dispersion: the spectrum reaches a wavelength of " +
                             printf_line("%g", s.lambda * 1e10) + " A, which is not positive");
    counts.sources = static_cast<double>(e.sources.size());
    check_run_work(counts);
}

// Steps per pixel and the factors that turn the kernel's sums into photons. Water: the
// reference folds r_e^2 and fluence into the background per step and applies them again
// at the end; kept, since it changes the numbers.
void scale_factors(const Params& p, Experiment& e) {
    e.steps = static_cast<int>(e.sources.size()) * p.mosaic_domains * p.phisteps * p.oversample * p.oversample;
    e.I_bg = kWaterF * kWaterF * kElectronRadiusSqr * p.fluence * p.water_size * p.water_size * p.water_size * 1e6 *
             kAvogadro / kWaterMW;
    e.photon_scale = kElectronRadiusSqr * e.fluence / e.steps;
}

}  // namespace

Experiment setup_experiment(const Params& input, std::shared_ptr<const HklGrid> structure_factors) {
    Experiment e;
    Params p = input;
    check_output_paths(input);
    derive_seeds_and_fluence(p, e);
    const BeamSampling sampling = resolve_sampling(p, e);
    place_detector(p, e);
    region_and_mask(p, e);
    bool interpolate = choose_interpolation(p, e.log);
    ReferenceRandom rng = orient_crystal(p, e);
    choose_oversampling(p, e);
    const SamplingCounts counts = check_work_counts(p, e, sampling);

    // Structure factors.
    e.structure_factor_cache_due = structure_factors == nullptr && !p.hkl_file.empty();
    e.structure_factors = structure_factors ? std::move(structure_factors)
                                            : std::make_shared<const HklGrid>(load_structure_factors(p, e.log));
    e.cache_log_position = e.log.size();
    if (e.structure_factors->hkls == 0) interpolate = false;
    e.interpolate = interpolate;

    make_orientations(p, e, rng);
    make_beam_sources(p, e, sampling, counts);
    scale_factors(p, e);

    p.mosaic_spread = std::max(p.mosaic_spread, 0.0);
    e.params = p;
    // Said before the long work starts: a detector the HDF5 file cannot describe as NXmx.
    if (!p.h5file.empty()) {
        const NxmxDetector nexus = nxmx_detector(e);
        if (!nexus.describable) e.log.push_back("WARNING: " + p.h5file + " will not be an NXmx file: " + nexus.why_not);
    }
    return e;
}

void write_structure_factor_cache(Experiment& e) {
    if (!e.structure_factor_cache_due) return;
    e.structure_factor_cache_due = false;
    std::string line;
    try {
        write_fdump(e.params.fdump_file, *e.structure_factors);
        line = "writing dump file for next time: " + e.params.fdump_file;
    } catch (const InputError& err) {
        line = std::string("WARNING: unable to write dump file: ") + err.what();
    }
    e.log.insert(e.log.begin() + static_cast<std::ptrdiff_t>(std::min(e.cache_log_position, e.log.size())), line);
}

}  // namespace tilebragg
