#pragma once
// Params: what the user asked for, after parsing, before any physics.
// Plain data in SI units (metres, radians, seconds). "Unset" is encoded the way the
// reference's auto-selection logic needs it: NaN for positions, -1 for counts and
// ranges, so that setup can reproduce nanoBragg's defaults rule for rule.
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <tilebragg/vec3.hpp>

namespace tilebragg {

enum class Convention { Custom, Adxv, Mosflm, Xds, Dials, Denzo };
enum class Pivot { Sample, Beam };
enum class LatticeShape { Square, Round, Gauss, Tophat };
enum class Precision { Float, Double };
enum class Interpolation { Auto, On, Off };
enum class Schedule { Static, Dynamic };
// Where pixels are computed: the CPU, a CUDA GPU, or a GPU where one is visible.
enum class Backend { Cpu, Cuda, Auto };
// How the HDF5 file's images are compressed; Auto: bitshuffle+LZ4 where its plugin loads, else deflate.
enum class Compression { Auto, Bitshuffle, Deflate, None };

inline const char* backend_name(Backend b) {
    switch (b) {
        case Backend::Cpu:
            return "cpu";
        case Backend::Cuda:
            return "cuda";
        case Backend::Auto:
            return "auto";
    }
    return "?";
}

inline constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

// The convention's name as its flag spells it (logs, HDF5 attributes).
inline const char* convention_name(Convention c) {
    switch (c) {
        case Convention::Custom:
            return "custom";
        case Convention::Adxv:
            return "adxv";
        case Convention::Mosflm:
            return "mosflm";
        case Convention::Xds:
            return "xds";
        case Convention::Dials:
            return "dials";
        case Convention::Denzo:
            return "denzo";
    }
    return "?";
}

struct Roi {
    int fast_min = -1, fast_max = -1, slow_min = -1, slow_max = -1;  // inclusive; -1 = whole
};

struct Params {
    // --- inputs -------------------------------------------------------------
    std::string hkl_file, matrix_file, img_file, mask_file, source_file;
    std::string fdump_file = "Fdump.bin";
    double default_F = 0.0;

    // --- crystal ------------------------------------------------------------
    bool user_cell = false;
    double cell_a = 0, cell_b = 0, cell_c = 0;             // metres
    double cell_alpha = 0, cell_beta = 0, cell_gamma = 0;  // radians
    bool misset_given = false, misset_random = false;
    Vec3 misset{};  // radians about x, y, z
    double Na = 1, Nb = 1, Nc = 1;
    double sample_x = 0, sample_y = 0, sample_z = 0;  // crystal size, metres
    LatticeShape shape = LatticeShape::Square;
    double fudge = 1.0;
    double mosaic_spread = -1.0;  // radians, <0 unset
    int mosaic_domains = -1;

    // --- detector -----------------------------------------------------------
    double pixel_size = 0.1e-3;
    int fpixels = 0, spixels = 0;  // 0 = from detsize
    double detsize_f = 102.4e-3, detsize_s = 102.4e-3;
    double distance = 100.0e-3;
    double close_distance = kUnset;
    // -distance on the command line replaces a CLOSE_DISTANCE read from an -img/-mask
    // header (the reference would keep the header's; docs/cli.md): where it came from,
    // and the header value replaced (m, NaN if none), for the log.
    bool close_distance_from_header = false;
    double replaced_header_close_distance = kUnset;
    bool point_pixel = false, curved_detector = false;
    double detector_rotx = 0, detector_roty = 0, detector_rotz = 0;
    double twotheta = 0;
    Vec3 twotheta_axis{0, 0, 1};
    Pivot pivot = Pivot::Beam;  // last pivot-setting flag wins, conventions may override
    Convention convention = Convention::Mosflm;
    Vec3 fdet{0, 0, 1}, sdet{0, -1, 0}, odet{1, 0, 0};
    Vec3 beam{1, 0, 0}, polar_axis{0, 0, 1}, spindle{0, 0, 1};
    std::optional<Vec3> pix0;
    double Xbeam = kUnset, Ybeam = kUnset, Xclose = kUnset, Yclose = kUnset;
    double ORGX = kUnset, ORGY = kUnset;  // pixels
    double detector_mu = -1.0;            // 1/m, <0 unset
    double detector_thick = 0.0, detector_thickstep = -1.0;
    int detector_thicksteps = -1;

    // --- beam ---------------------------------------------------------------
    double lambda0 = 1.0e-10;
    double dispersion = 0.0, dispstep = -1.0;  // fraction of lambda0
    int dispsteps = -1;
    double hdivrange = -1, hdivstep = -1, vdivrange = -1, vdivstep = -1;  // radians
    int hdivsteps = -1, vdivsteps = -1;
    bool round_div = true;
    double polarization = 0.0;  // Kahn factor
    bool nopolar = false;
    double fluence = 125932015286227086360700780544.0;   // photons/m^2
    double flux = 0.0, exposure = 1.0, beamsize = 1e-4;  // photons/s, s, m

    // --- sampling -----------------------------------------------------------
    double phi0 = 0.0, osc = -1.0, phistep = -1.0;  // radians
    int phisteps = -1;
    double dmin = 0.0;  // metres
    int oversample = -1;
    bool oversample_thick = false, oversample_polar = false, oversample_omega = false;
    Roi roi;
    double water_size = 0.0;  // metres
    Interpolation interpolation = Interpolation::Auto;

    // --- outputs (the reference writes these by default) ----------------------
    std::string floatfile = "floatimage.bin";
    std::string intfile = "intimage.img";
    std::string pgmfile = "image.pgm";
    std::string noisefile = "noiseimage.img";
    bool write_pgm = true, write_noise = true;
    bool h5_only = false;  // -h5only: the images go to -h5file alone, no float, int, noise or PGM files
    double intfile_scale = 0.0, pgm_scale = 0.0, adc_offset = 40.0;

    // --- seeds, stored as the reference stores them (negated user value) ------
    long seed = 0;
    bool seed_given = false;
    long mosaic_seed = -12345678;
    long misset_seed = 0;
    bool misset_seed_given = false;

    // --- run control ----------------------------------------------------------
    bool printout = false;
    int printout_fpixel = -1, printout_spixel = -1;
    bool progress = true;
    Precision precision = Precision::Float;
    Backend backend = Backend::Cpu;
    std::vector<std::string> command_line;

    // --- distribution and the HDF5 file (not in the reference) -----------------
    int tile_fast = 0, tile_slow = 0;  // pixels; 0 = automatic
    Schedule schedule = Schedule::Dynamic;
    std::string h5file;  // empty: no HDF5 output
    Compression h5_compression = Compression::Auto;

    // --- batches (docs/batch.md) ------------------------------------------------
    int images = 1;                        // -images: images in one run (one HDF5 file)
    int image = 0;                         // which image of the batch these Params describe (driver)
    int misset_draw = 0;                   // -misset random takes draw number misset_draw (0 = first)
    std::string job_file;                  // -job: the INI file the options came from (for the record)
    std::vector<std::string> fingerprint;  // the options that decide the images, one per entry (resume check)
};

}  // namespace tilebragg
