// The nanoBragg dialect on top of Boost.Program_options.
//
// Program_options supplies the option registry (names, help text, config-file syntax for
// job files); a custom style parser supplies what nanoBragg's dialect needs and POSIX
// style cannot express: single-dash long names, multi-value flags whose values may be
// negative numbers (-misset -89.9 ...), and the -misset random alternative.
// Flags are applied in command-line order because the reference lets later flags win
// (e.g. -distance after -twotheta switches the pivot back to the beam).
#include <tilebragg/command_line.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include <tilebragg/errors.hpp>
#include <tilebragg/image_header_defaults.hpp>
#include <tilebragg/job_file.hpp>
#include <tilebragg/text_columns.hpp>

namespace po = boost::program_options;

namespace tilebragg {
namespace {

// Same conversions as the reference (division by these), so doubles agree to the bit.
constexpr double kRTD = 180.0 * M_1_PI;
constexpr double kMm = 1000.0;

using Values = std::vector<std::string>;
using Apply = std::function<void(Params&, const Values&)>;

struct OptionSpec {
    std::vector<std::string> names;  // first is canonical
    int min_values;
    int max_values;
    std::string units;
    std::string help;
    Apply apply;
};

double to_double(const std::string& flag, const std::string& text) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == text.c_str() || *end != '\0')
        throw InputError("flag " + flag + ": '" + text + "' is not a number");
    if (errno == ERANGE) throw InputError("flag " + flag + ": '" + text + "' is out of range" + range_hint(v));
    if (!std::isfinite(v)) throw InputError("flag " + flag + ": value '" + text + "' is not finite");
    return v;
}

long to_long(const std::string& flag, const std::string& text) {
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (!text.empty() && end != text.c_str() && *end == '\0' && errno != ERANGE) return v;
    // A whole number written as 2e9 or 1000.0 is still that number; its size is judged
    // by the flag's own limit, not mistaken for "not an integer".
    errno = 0;
    const double d = std::strtod(text.c_str(), &end);
    const bool whole = !text.empty() && end != text.c_str() && *end == '\0' && std::isfinite(d) && d == std::floor(d);
    if (errno == ERANGE || (whole && std::fabs(d) >= 9.2e18))
        throw InputError("flag " + flag + ": '" + text + "' is out of range");
    if (!whole) throw InputError("flag " + flag + ": '" + text + "' is not an integer");
    return static_cast<long>(d);
}

int to_int(const std::string& flag, const std::string& text) {
    const long v = to_long(flag, text);
    if (v > 2147483647L || v < -2147483647L) throw InputError("flag " + flag + ": '" + text + "' is out of range");
    return static_cast<int>(v);
}

// %g: "-5" and "0.1", not std::to_string's "-5.000000".
std::string shown(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

double positive(const std::string& flag, double v) {
    if (!(v > 0)) throw InputError("flag " + flag + ": value " + shown(v) + " must be positive");
    return v;
}
double non_negative(const std::string& flag, double v) {
    if (v < 0) throw InputError("flag " + flag + ": value " + shown(v) + " must not be negative");
    return v;
}

Vec3 to_vec3(const std::string& flag, const Values& v) {
    return {to_double(flag, v[0]), to_double(flag, v[1]), to_double(flag, v[2])};
}

// An axis of length zero has no direction; normalising it later would give NaN or zeros.
Vec3 direction(const std::string& flag, Vec3 v) {
    if (v.x == 0.0 && v.y == 0.0 && v.z == 0.0) throw InputError("flag " + flag + ": 0 0 0 is not a direction");
    return v;
}

// Small builders keep the table below one line per option.
OptionSpec flag(std::vector<std::string> names, std::string help, std::function<void(Params&)> f) {
    return {std::move(names), 0, 0, "", std::move(help), [f](Params& p, const Values&) { f(p); }};
}
OptionSpec number(std::vector<std::string> names, std::string units, std::string help,
                  std::function<void(Params&, double)> f) {
    const std::string name = names.front();
    return {std::move(names), 1, 1, std::move(units), std::move(help), [f, name](Params& p, const Values& v) {
                f(p, to_double(name, v[0]));
            }};
}
OptionSpec integer(std::vector<std::string> names, std::string help, std::function<void(Params&, int)> f) {
    const std::string name = names.front();
    return {std::move(names),
            1,
            1,
            "",
            std::move(help),
            [f, name](Params& p, const Values& v) { f(p, to_int(name, v[0])); }};
}
// A count of steps or domains: 0 keeps the reference's meaning (automatic, or one step
// for -phisteps); a negative count is a mistake, not "unset".
OptionSpec count(std::vector<std::string> names, std::string help, std::function<void(Params&, int)> f) {
    const std::string name = names.front();
    return {std::move(names), 1, 1, "", std::move(help), [f, name](Params& p, const Values& v) {
                const int n = to_int(name, v[0]);
                if (n < 0) throw InputError("flag " + name + ": value " + std::to_string(n) + " must not be negative");
                f(p, n);
            }};
}
OptionSpec text(std::vector<std::string> names, std::string help, std::function<void(Params&, const std::string&)> f) {
    return {std::move(names), 1, 1, "file", std::move(help), [f](Params& p, const Values& v) { f(p, v[0]); }};
}
OptionSpec vector3(std::vector<std::string> names, std::string units, std::string help,
                   std::function<void(Params&, Vec3)> f) {
    const std::string name = names.front();
    return {std::move(names), 3, 3, std::move(units), std::move(help), [f, name](Params& p, const Values& v) {
                f(p, to_vec3(name, v));
            }};
}

void set_convention(Params& p, Convention c) {
    p.convention = c;
    p.pivot = (c == Convention::Xds || c == Convention::Dials) ? Pivot::Sample : Pivot::Beam;
}
void custom_convention(Params& p) { p.convention = Convention::Custom; }

const std::vector<OptionSpec>& option_table() {
    static const std::vector<OptionSpec> table = [] {
        std::vector<OptionSpec> t;
        // input files
        t.push_back(text({"-hkl"}, "structure factors: text lines of h k l F",
                         [](Params& p, const std::string& f) { p.hkl_file = f; }));
        t.push_back(text({"-mat", "-matrix"}, "MOSFLM-style orientation matrix (reciprocal cell times wavelength)",
                         [](Params& p, const std::string& f) { p.matrix_file = f; }));
        t.push_back(text({"-img"},
                         "SMV image whose header sets detector size, pixel, distance, beam centre, wavelength, phi",
                         [](Params& p, const std::string& f) { p.img_file = f; }));
        t.push_back(text({"-mask"}, "SMV image: pixels that are zero are not rendered; header read like -img",
                         [](Params& p, const std::string& f) { p.mask_file = f; }));
        t.push_back(text({"-sourcefile"}, "text columns X Y Z weight lambda(m), one source per line",
                         [](Params& p, const std::string& f) { p.source_file = f; }));
        t.push_back(text({"-dump", "-dumpfile"},
                         "structure-factor cache written after reading -hkl (default Fdump.bin)",
                         [](Params& p, const std::string& f) { p.fdump_file = f; }));
        t.push_back(number({"-default_F"}, "", "structure factor of reflections missing from -hkl",
                           [](Params& p, double v) { p.default_F = v; }));
        // crystal
        t.push_back({{"-cell"},
                     1,
                     6,
                     "A A A deg deg deg",
                     "unit cell a b c alpha beta gamma (missing: b=c=a, angles 90)",
                     [](Params& p, const Values& v) {
                         double x[6] = {0, 0, 0, 0, 0, 0};
                         for (size_t i = 0; i < v.size(); ++i) x[i] = non_negative("-cell", to_double("-cell", v[i]));
                         p.user_cell = true;
                         p.cell_a = positive("-cell", x[0]) / 1e10;
                         p.cell_b = x[1] / 1e10;
                         p.cell_c = x[2] / 1e10;
                         p.cell_alpha = x[3] / kRTD;
                         p.cell_beta = x[4] / kRTD;
                         p.cell_gamma = x[5] / kRTD;
                     }});
        t.push_back({{"-misset"},
                     1,
                     3,
                     "deg deg deg | random",
                     "crystal misset rotations about x, y, z, or 'random'",
                     [](Params& p, const Values& v) {
                         if (v.size() == 1 && v[0] == "random") {
                             p.misset_random = true;
                             p.misset_given = true;
                             return;
                         }
                         if (v.size() != 3)
                             throw InputError("flag -misset needs three angles or 'random', got " +
                                              std::to_string(v.size()) + " value(s)");
                         p.misset_random = false;
                         p.misset_given = true;
                         p.misset = to_vec3("-misset", v) / kRTD;
                     }});
        t.push_back(integer({"-N"}, "unit cells along a, b and c",
                            [](Params& p, int n) { p.Na = p.Nb = p.Nc = positive("-N", n); }));
        t.push_back(integer({"-Na"}, "unit cells along a", [](Params& p, int n) { p.Na = positive("-Na", n); }));
        t.push_back(integer({"-Nb"}, "unit cells along b", [](Params& p, int n) { p.Nb = positive("-Nb", n); }));
        t.push_back(integer({"-Nc"}, "unit cells along c", [](Params& p, int n) { p.Nc = positive("-Nc", n); }));
        t.push_back(number({"-samplesize", "-sample_size", "-xtalsize", "-xtal_size"}, "mm",
                           "crystal size along a, b and c (overrides -N)", [](Params& p, double v) {
                               p.sample_x = p.sample_y = p.sample_z = non_negative("-xtalsize", v) / kMm;
                           }));
        t.push_back(number({"-sample_thick", "-sample_x", "-xtal_thick", "-xtal_x"}, "mm", "crystal size along a",
                           [](Params& p, double v) { p.sample_x = non_negative("-xtal_x", v) / kMm; }));
        t.push_back(number({"-sample_width", "-sample_y", "-xtal_width", "-xtal_y", "-width"}, "mm",
                           "crystal size along b",
                           [](Params& p, double v) { p.sample_y = non_negative("-xtal_y", v) / kMm; }));
        t.push_back(number({"-sample_height", "-sample_z", "-xtal_height", "-xtal_z", "-height"}, "mm",
                           "crystal size along c",
                           [](Params& p, double v) { p.sample_z = non_negative("-xtal_z", v) / kMm; }));
        t.push_back(flag({"-square_xtal"}, "parallelepiped crystal: sincg lattice transform (default)",
                         [](Params& p) { p.shape = LatticeShape::Square; }));
        t.push_back(flag({"-round_xtal"}, "ellipsoidal crystal: sphere transform",
                         [](Params& p) { p.shape = LatticeShape::Round; }));
        t.push_back(flag({"-gauss_xtal"}, "Gaussian spots of the same volume",
                         [](Params& p) { p.shape = LatticeShape::Gauss; }));
        t.push_back(flag({"-tophat_spots", "-binary_spots"}, "flat-topped spots of the same volume",
                         [](Params& p) { p.shape = LatticeShape::Tophat; }));
        t.push_back(number({"-fudge"}, "", "scale of the spot-shape radius", [](Params& p, double v) { p.fudge = v; }));
        t.push_back(number({"-mosaic", "-mosaici", "-mosaic_spread"}, "deg", "mosaic spread (spherical cap diameter)",
                           [](Params& p, double v) { p.mosaic_spread = v / kRTD; }));
        t.push_back(count({"-mosaic_domains", "-mosaic_dom"}, "number of mosaic domains",
                          [](Params& p, int n) { p.mosaic_domains = n; }));
        // detector
        t.push_back(number({"-pixel"}, "mm", "pixel size",
                           [](Params& p, double v) { p.pixel_size = positive("-pixel", v) / kMm; }));
        t.push_back(integer({"-detpixels"}, "pixels along fast and slow", [](Params& p, int n) {
            p.fpixels = p.spixels = static_cast<int>(positive("-detpixels", n));
        }));
        t.push_back(integer({"-detpixels_f", "-detpixels_x"}, "pixels along fast",
                            [](Params& p, int n) { p.fpixels = static_cast<int>(positive("-detpixels_f", n)); }));
        t.push_back(integer({"-detpixels_s", "-detpixels_y"}, "pixels along slow",
                            [](Params& p, int n) { p.spixels = static_cast<int>(positive("-detpixels_s", n)); }));
        t.push_back(number({"-detsize"}, "mm", "detector size along fast and slow",
                           [](Params& p, double v) { p.detsize_f = p.detsize_s = positive("-detsize", v) / kMm; }));
        t.push_back(number({"-detsize_f"}, "mm", "detector size along fast",
                           [](Params& p, double v) { p.detsize_f = positive("-detsize_f", v) / kMm; }));
        t.push_back(number({"-detsize_s"}, "mm", "detector size along slow",
                           [](Params& p, double v) { p.detsize_s = positive("-detsize_s", v) / kMm; }));
        t.push_back(number({"-distance"}, "mm", "sample to beam spot distance (pivot: beam)", [](Params& p, double v) {
            p.distance = positive("-distance", v) / kMm;
            p.pivot = Pivot::Beam;
            // A distance typed by the user beats one found in an image header.
            if (p.close_distance_from_header) {
                p.replaced_header_close_distance = p.close_distance;
                p.close_distance = kUnset;
                p.close_distance_from_header = false;
            }
        }));
        t.push_back(number({"-close_distance"}, "mm", "sample to nearest detector point (pivot: sample)",
                           [](Params& p, double v) {
                               p.close_distance = positive("-close_distance", v) / kMm;
                               p.pivot = Pivot::Sample;
                               p.close_distance_from_header = false;
                               p.replaced_header_close_distance = kUnset;
                           }));
        t.push_back(flag({"-point_pixel"}, "solid angle by inverse square only, no obliquity",
                         [](Params& p) { p.point_pixel = true; }));
        t.push_back(flag({"-curved_det"}, "spherical detector: every pixel at the same distance",
                         [](Params& p) { p.curved_detector = true; }));
        t.push_back(number({"-detector_rotx"}, "deg", "detector rotation about x",
                           [](Params& p, double v) { p.detector_rotx = v / kRTD; }));
        t.push_back(number({"-detector_roty"}, "deg", "detector rotation about y",
                           [](Params& p, double v) { p.detector_roty = v / kRTD; }));
        t.push_back(number({"-detector_rotz"}, "deg", "detector rotation about z",
                           [](Params& p, double v) { p.detector_rotz = v / kRTD; }));
        t.push_back(number({"-twotheta"}, "deg", "detector swing about the two-theta axis (pivot: sample)",
                           [](Params& p, double v) {
                               p.twotheta = v / kRTD;
                               p.pivot = Pivot::Sample;
                           }));
        t.push_back(
            vector3({"-twotheta_axis"}, "", "two-theta rotation axis (custom convention)", [](Params& p, Vec3 v) {
                p.twotheta_axis = direction("-twotheta_axis", v);
                custom_convention(p);
            }));
        t.push_back({{"-detector_abs"},
                     1,
                     1,
                     "um | inf",
                     "sensor attenuation length; 0 or inf: no absorption",
                     [](Params& p, const Values& v) {
                         if (v[0] == "inf" || v[0] == "infinity") {
                             p.detector_thick = 0;
                             p.detector_mu = 0;
                             return;
                         }
                         const double um = to_double("-detector_abs", v[0]);
                         if (um == 0.0) {
                             p.detector_thick = 0;
                             p.detector_mu = 0;
                             return;
                         }
                         p.detector_mu = 1.0 / (positive("-detector_abs", um) * 1e-6);
                     }});
        t.push_back(number({"-detector_thick"}, "um", "sensor thickness",
                           [](Params& p, double v) { p.detector_thick = non_negative("-detector_thick", v) * 1e-6; }));
        t.push_back(count({"-detector_thicksteps", "-thicksteps"}, "sensor layers",
                          [](Params& p, int n) { p.detector_thicksteps = n; }));
        // conventions
        t.push_back(flag({"-mosflm"}, "MOSFLM beam-centre convention (default)",
                         [](Params& p) { set_convention(p, Convention::Mosflm); }));
        t.push_back(
            flag({"-xds"}, "XDS convention (pivot: sample)", [](Params& p) { set_convention(p, Convention::Xds); }));
        t.push_back(flag({"-adxv"}, "ADXV convention", [](Params& p) { set_convention(p, Convention::Adxv); }));
        t.push_back(flag({"-denzo"}, "DENZO convention", [](Params& p) { set_convention(p, Convention::Denzo); }));
        t.push_back(flag({"-dials"}, "DIALS convention (pivot: sample)",
                         [](Params& p) { set_convention(p, Convention::Dials); }));
        t.push_back(
            {{"-pivot"}, 1, 1, "sample|beam", "point the detector rotates about", [](Params& p, const Values& v) {
                 if (v[0] == "sample")
                     p.pivot = Pivot::Sample;
                 else if (v[0] == "beam")
                     p.pivot = Pivot::Beam;
                 else
                     throw InputError("flag -pivot: '" + v[0] + "' is not 'sample' or 'beam'");
             }});
        t.push_back(vector3({"-fdet_vector"}, "", "fast pixel axis (custom convention)", [](Params& p, Vec3 v) {
            p.fdet = direction("-fdet_vector", v);
            custom_convention(p);
        }));
        t.push_back(vector3({"-sdet_vector"}, "", "slow pixel axis (custom convention)", [](Params& p, Vec3 v) {
            p.sdet = direction("-sdet_vector", v);
            custom_convention(p);
        }));
        t.push_back(vector3({"-odet_vector"}, "", "detector normal (custom convention)", [](Params& p, Vec3 v) {
            p.odet = v;
            custom_convention(p);
        }));
        t.push_back(vector3({"-beam_vector"}, "", "direction of the beam (custom convention)", [](Params& p, Vec3 v) {
            p.beam = direction("-beam_vector", v);
            custom_convention(p);
        }));
        t.push_back(vector3({"-polar_vector"}, "", "E-vector of the beam (custom convention)", [](Params& p, Vec3 v) {
            p.polar_axis = direction("-polar_vector", v);
            custom_convention(p);
        }));
        t.push_back(vector3({"-spindle_axis"}, "", "phi rotation axis (custom convention)", [](Params& p, Vec3 v) {
            p.spindle = direction("-spindle_axis", v);
            custom_convention(p);
        }));
        t.push_back(vector3({"-pix0_vector"}, "m m m", "position of the first pixel's corner (custom convention)",
                            [](Params& p, Vec3 v) {
                                p.pix0 = v;
                                custom_convention(p);
                            }));
        t.push_back(number({"-Xbeam"}, "mm", "beam centre, convention's X (pivot: beam)", [](Params& p, double v) {
            p.Xbeam = v / kMm;
            p.pivot = Pivot::Beam;
        }));
        t.push_back(number({"-Ybeam"}, "mm", "beam centre, convention's Y (pivot: beam)", [](Params& p, double v) {
            p.Ybeam = v / kMm;
            p.pivot = Pivot::Beam;
        }));
        t.push_back(number({"-Xclose"}, "mm", "nearest detector point X (pivot: sample)", [](Params& p, double v) {
            p.Xclose = v / kMm;
            p.pivot = Pivot::Sample;
        }));
        t.push_back(number({"-Yclose"}, "mm", "nearest detector point Y (pivot: sample)", [](Params& p, double v) {
            p.Yclose = v / kMm;
            p.pivot = Pivot::Sample;
        }));
        t.push_back(number({"-ORGX"}, "pixels", "XDS origin along fast (pivot: sample)", [](Params& p, double v) {
            p.ORGX = v;
            p.pivot = Pivot::Sample;
        }));
        t.push_back(number({"-ORGY"}, "pixels", "XDS origin along slow (pivot: sample)", [](Params& p, double v) {
            p.ORGY = v;
            p.pivot = Pivot::Sample;
        }));
        // beam
        t.push_back(number({"-lambda", "-wave"}, "A", "wavelength",
                           [](Params& p, double v) { p.lambda0 = positive("-lambda", v) / 1e10; }));
        t.push_back(number({"-energy"}, "eV", "photon energy",
                           [](Params& p, double v) { p.lambda0 = 12398.42 / positive("-energy", v) / 1e10; }));
        t.push_back(number({"-dispersion"}, "%", "spectral width",
                           [](Params& p, double v) { p.dispersion = non_negative("-dispersion", v) / 100.0; }));
        t.push_back(
            count({"-dispsteps"}, "wavelengths across the spectral width", [](Params& p, int n) { p.dispsteps = n; }));
        t.push_back(number({"-divergence"}, "mrad", "horizontal and vertical divergence range",
                           [](Params& p, double v) { p.hdivrange = p.vdivrange = v / 1000.0; }));
        t.push_back(number({"-hdivrange"}, "mrad", "horizontal divergence range",
                           [](Params& p, double v) { p.hdivrange = v / 1000.0; }));
        t.push_back(number({"-vdivrange"}, "mrad", "vertical divergence range",
                           [](Params& p, double v) { p.vdivrange = v / 1000.0; }));
        t.push_back(number({"-hdivstep"}, "mrad", "horizontal divergence step",
                           [](Params& p, double v) { p.hdivstep = v / 1000.0; }));
        t.push_back(number({"-vdivstep"}, "mrad", "vertical divergence step",
                           [](Params& p, double v) { p.vdivstep = v / 1000.0; }));
        t.push_back(count({"-hdivsteps"}, "horizontal divergence steps", [](Params& p, int n) { p.hdivsteps = n; }));
        t.push_back(count({"-vdivsteps"}, "vertical divergence steps", [](Params& p, int n) { p.vdivsteps = n; }));
        t.push_back(count({"-divsteps"}, "horizontal and vertical divergence steps",
                          [](Params& p, int n) { p.hdivsteps = p.vdivsteps = n; }));
        t.push_back(flag({"-round_div"}, "trim the divergence grid to an ellipse (default)",
                         [](Params& p) { p.round_div = true; }));
        t.push_back(flag({"-square_div"}, "keep the whole divergence grid", [](Params& p) { p.round_div = false; }));
        t.push_back(number({"-polar"}, "", "Kahn polarization factor", [](Params& p, double v) {
            p.polarization = v;
            p.nopolar = false;
        }));
        t.push_back(flag({"-nopolar"}, "no polarization correction", [](Params& p) { p.nopolar = true; }));
        t.push_back(number({"-fluence"}, "photons/m^2", "integrated incident fluence",
                           [](Params& p, double v) { p.fluence = positive("-fluence", v); }));
        t.push_back(number({"-flux"}, "photons/s", "incident flux (with -exposure and -beamsize sets the fluence)",
                           [](Params& p, double v) { p.flux = non_negative("-flux", v); }));
        t.push_back(number({"-exposure"}, "s", "exposure time",
                           [](Params& p, double v) { p.exposure = non_negative("-exposure", v); }));
        t.push_back(number({"-beamsize"}, "mm", "beam size (square)",
                           [](Params& p, double v) { p.beamsize = non_negative("-beamsize", v) / kMm; }));
        // sampling
        t.push_back(number({"-phi"}, "deg", "starting spindle angle", [](Params& p, double v) { p.phi0 = v / kRTD; }));
        t.push_back(number({"-osc"}, "deg", "oscillation range", [](Params& p, double v) { p.osc = v / kRTD; }));
        t.push_back(number({"-phistep"}, "deg", "spindle step", [](Params& p, double v) { p.phistep = v / kRTD; }));
        t.push_back(
            count({"-phisteps"}, "spindle steps across the oscillation", [](Params& p, int n) { p.phisteps = n; }));
        t.push_back(number({"-dmin"}, "A", "skip scattering beyond this resolution",
                           [](Params& p, double v) { p.dmin = non_negative("-dmin", v) * 1e-10; }));
        t.push_back(count({"-oversample"}, "sub-pixels per pixel edge", [](Params& p, int n) { p.oversample = n; }));
        t.push_back(
            flag({"-oversample_thick"}, "absorption per sub-pixel", [](Params& p) { p.oversample_thick = true; }));
        t.push_back(
            flag({"-oversample_polar"}, "polarization per sub-pixel", [](Params& p) { p.oversample_polar = true; }));
        t.push_back(
            flag({"-oversample_omega"}, "solid angle per sub-pixel", [](Params& p) { p.oversample_omega = true; }));
        t.push_back(
            {{"-roi"},
             4,
             4,
             "pixels",
             "render only fast_min fast_max slow_min slow_max (inclusive)",
             [](Params& p, const Values& v) {
                 p.roi = {to_int("-roi", v[0]), to_int("-roi", v[1]), to_int("-roi", v[2]), to_int("-roi", v[3])};
             }});
        t.push_back(number({"-water"}, "um", "water droplet size for the diffuse background",
                           [](Params& p, double v) { p.water_size = non_negative("-water", v) / 1e6; }));
        t.push_back(flag({"-interpolate"}, "tricubic interpolation of F(hkl)",
                         [](Params& p) { p.interpolation = Interpolation::On; }));
        t.push_back(
            flag({"-nointerpolate"}, "nearest F(hkl) only", [](Params& p) { p.interpolation = Interpolation::Off; }));
        // outputs
        t.push_back(text({"-floatfile", "-floatimage"}, "raw float32 image (default floatimage.bin)",
                         [](Params& p, const std::string& f) { p.floatfile = f; }));
        t.push_back(text({"-intfile", "-intimage"}, "noiseless SMV image (default intimage.img)",
                         [](Params& p, const std::string& f) { p.intfile = f; }));
        t.push_back(text({"-noisefile", "-noiseimage"}, "SMV image with Poisson noise (default noiseimage.img)",
                         [](Params& p, const std::string& f) {
                             p.noisefile = f;
                             p.write_noise = true;
                         }));
        t.push_back(text({"-pgmfile", "-pgmimage"}, "8-bit PGM preview (default image.pgm)",
                         [](Params& p, const std::string& f) {
                             p.pgmfile = f;
                             p.write_pgm = true;
                         }));
        t.push_back(number({"-scale"}, "", "scale of -intfile (default: 55000/max_I)",
                           [](Params& p, double v) { p.intfile_scale = v; }));
        t.push_back(number({"-pgmscale"}, "", "scale of -pgmfile (default: 250/(5 rmsd))", [](Params& p, double v) {
            p.pgm_scale = v;
            p.write_pgm = true;
        }));
        t.push_back(
            number({"-adc"}, "counts", "offset added to SMV pixels", [](Params& p, double v) { p.adc_offset = v; }));
        t.push_back(flag({"-nonoise"}, "do not write the noise image", [](Params& p) { p.write_noise = false; }));
        t.push_back(flag({"-nopgm"}, "do not write the PGM image", [](Params& p) { p.write_pgm = false; }));
        // seeds (stored negated, as the reference stores them)
        t.push_back({{"-seed"}, 1, 1, "", "seed of the noise image (default: time)", [](Params& p, const Values& v) {
                         p.seed = -to_long("-seed", v[0]);
                         p.seed_given = true;
                     }});
        t.push_back({{"-mosaic_seed"},
                     1,
                     1,
                     "",
                     "seed of the mosaic domains (default 12345678)",
                     [](Params& p, const Values& v) { p.mosaic_seed = -to_long("-mosaic_seed", v[0]); }});
        t.push_back(
            {{"-misset_seed"}, 1, 1, "", "seed of -misset random (default: time)", [](Params& p, const Values& v) {
                 p.misset_seed = -to_long("-misset_seed", v[0]);
                 p.misset_seed_given = true;
             }});
        // run control
        t.push_back(flag({"-printout"}, "print the computation of every pixel", [](Params& p) { p.printout = true; }));
        t.push_back({{"-printout_pixel"},
                     2,
                     2,
                     "fast slow",
                     "print the computation of one pixel",
                     [](Params& p, const Values& v) {
                         p.printout = true;
                         p.printout_fpixel = to_int("-printout_pixel", v[0]);
                         p.printout_spixel = to_int("-printout_pixel", v[1]);
                     }});
        t.push_back(flag({"-noprogress"}, "no progress bar", [](Params& p) { p.progress = false; }));
        t.push_back(flag({"-progress"}, "show the progress bar", [](Params& p) { p.progress = true; }));
        t.push_back({{"-precision"},
                     1,
                     1,
                     "float|double",
                     "arithmetic of the kernel (default float)",
                     [](Params& p, const Values& v) {
                         if (v[0] == "float")
                             p.precision = Precision::Float;
                         else if (v[0] == "double")
                             p.precision = Precision::Double;
                         else
                             throw InputError("flag -precision: '" + v[0] + "' is not 'float' or 'double'");
                     }});
        t.push_back({{"-backend"},
                     1,
                     1,
                     "cpu|cuda|auto",
                     "where pixels are computed; auto: a CUDA GPU where one is visible (default cpu)",
                     [](Params& p, const Values& v) {
                         if (v[0] == "cpu")
                             p.backend = Backend::Cpu;
                         else if (v[0] == "cuda")
                             p.backend = Backend::Cuda;
                         else if (v[0] == "auto")
                             p.backend = Backend::Auto;
                         else
                             throw InputError("flag -backend: '" + v[0] + "' is not 'cpu', 'cuda' or 'auto'");
                     }});
        // distribution and HDF5 output
        t.push_back({{"-tile"},
                     2,
                     2,
                     "fast slow",
                     "tile size in pixels (default: automatic, a few tiles per thread per rank)",
                     [](Params& p, const Values& v) {
                         p.tile_fast = static_cast<int>(positive("-tile", to_int("-tile", v[0])));
                         p.tile_slow = static_cast<int>(positive("-tile", to_int("-tile", v[1])));
                     }});
        t.push_back({{"-schedule"},
                     1,
                     1,
                     "static|dynamic",
                     "how tiles are handed to MPI ranks (default dynamic)",
                     [](Params& p, const Values& v) {
                         if (v[0] == "static")
                             p.schedule = Schedule::Static;
                         else if (v[0] == "dynamic")
                             p.schedule = Schedule::Dynamic;
                         else
                             throw InputError("flag -schedule: '" + v[0] + "' is not 'static' or 'dynamic'");
                     }});
        t.push_back(text({"-h5file"}, "NeXus/HDF5 file with the image, parameters and timing",
                         [](Params& p, const std::string& f) { p.h5file = f; }));
        t.push_back(
            {{"-h5compress"},
             1,
             1,
             "auto|bslz4|deflate|none",
             "compression of the -h5file images; auto: bitshuffle+LZ4 where its HDF5 plugin is installed, else deflate",
             [](Params& p, const Values& v) {
                 if (v[0] == "auto")
                     p.h5_compression = Compression::Auto;
                 else if (v[0] == "bslz4")
                     p.h5_compression = Compression::Bitshuffle;
                 else if (v[0] == "deflate")
                     p.h5_compression = Compression::Deflate;
                 else if (v[0] == "none")
                     p.h5_compression = Compression::None;
                 else
                     throw InputError("flag -h5compress: '" + v[0] + "' is not 'auto', 'bslz4', 'deflate' or 'none'");
             }});
        t.push_back(text({"-job"},
                         "INI job file of options (key = value, keys without the dash); the command line overrides it",
                         [](Params&, const std::string&) {}));
        t.push_back(integer({"-images"},
                            "images in one run and one -h5file: a rotation series (phi0 + i*osc), or serial "
                            "orientations with -misset random",
                            [](Params& p, int n) { p.images = static_cast<int>(positive("-images", n)); }));
        t.push_back(flag({"-h5only"}, "write the images to -h5file only: no float, int, noise or PGM files",
                         [](Params& p) { p.h5_only = true; }));
        return t;
    }();
    return table;
}

const std::map<std::string, const OptionSpec*>& option_index() {
    static const std::map<std::string, const OptionSpec*> index = [] {
        std::map<std::string, const OptionSpec*> m;
        for (const auto& spec : option_table())
            for (const auto& name : spec.names) m[name] = &spec;
        return m;
    }();
    return index;
}

bool looks_like_number(const std::string& s) {
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return !s.empty() && end != s.c_str() && *end == '\0';
}

bool is_help(const std::string& s) { return s == "-h" || s == "-help" || s == "--help"; }

std::string value_hint(const OptionSpec& spec) {
    if (spec.max_values == 0) return "";
    return " <" + (spec.units.empty() ? std::string("value") : spec.units) + ">";
}

// Style parser for program_options: consumes one flag with its values per call.
std::vector<po::option> nanobragg_style(std::vector<std::string>& args) {
    std::vector<po::option> result;
    if (args.empty()) return result;
    const std::string token = args.front();
    if (token == "--help-markdown") {
        result.emplace_back("help-markdown", std::vector<std::string>{});
        args.erase(args.begin());
        return result;
    }
    if (is_help(token)) {
        result.emplace_back("help", std::vector<std::string>{});
        args.erase(args.begin());
        return result;
    }
    const auto& index = option_index();
    const auto it = index.find(token);
    if (it == index.end()) {
        if (!token.empty() && token[0] == '-') throw InputError("unknown flag " + token + " (see -h)");
        throw InputError("unexpected argument '" + token + "': values must follow a flag (see -h)");
    }
    const OptionSpec& spec = *it->second;
    std::vector<std::string> values;
    size_t i = 1;
    // Fixed-count values are taken whatever they look like (negative numbers included);
    // the optional tail of a variable-count flag stops at the next flag.
    for (; i < args.size() && static_cast<int>(values.size()) < spec.max_values; ++i) {
        const std::string& v = args[i];
        const bool required = static_cast<int>(values.size()) < spec.min_values;
        if (!required && (index.count(v) || !looks_like_number(v))) break;
        if (required && spec.min_values == spec.max_values && spec.max_values > 1 && index.count(v) &&
            !looks_like_number(v))
            break;
        values.push_back(v);
        if (spec.names.front() == "-misset" && values.size() == 1 && v == "random") {
            ++i;
            break;
        }
    }
    if (static_cast<int>(values.size()) < spec.min_values) {
        std::ostringstream msg;
        msg << "flag " << token << " needs " << spec.min_values;
        if (spec.max_values != spec.min_values) msg << " to " << spec.max_values;
        msg << " value(s)";
        if (!spec.units.empty()) msg << " (" << spec.units << ")";
        msg << ", got " << values.size();
        throw InputError(msg.str());
    }
    args.erase(args.begin(), args.begin() + static_cast<long>(i));
    result.emplace_back(spec.names.front(), values);
    return result;
}

po::options_description registry() {
    po::options_description desc("tilebragg options");
    for (const auto& spec : option_table()) {
        const std::string key = spec.names.front();
        if (spec.max_values == 0)
            desc.add_options()(key.c_str(), spec.help.c_str());
        else
            desc.add_options()(key.c_str(), po::value<std::vector<std::string>>()->multitoken(), spec.help.c_str());
    }
    desc.add_options()("help", "this text");
    desc.add_options()("help-markdown", "the option table as Markdown (for the README)");
    return desc;
}

// The options that decide the pixels of the HDF5 image, in order, canonical names: a
// resumed batch must have been started with the same ones. Outputs, tiles, schedule,
// progress and the noise seed leave /entry/data/data as it is.
std::vector<std::string> pixel_fingerprint(const std::vector<po::option>& options) {
    // The file's counts (/entry/data/data) are the noise image or the int image, so the
    // noise seed, -nonoise, -adc and -scale decide them too.
    static const std::vector<std::string> harmless = {
        "help",      "help-markdown",   "-floatfile",  "-intfile",  "-noisefile", "-pgmfile",  "-pgmscale", "-nopgm",
        "-printout", "-printout_pixel", "-noprogress", "-progress", "-tile",      "-schedule", "-h5file",   "-dump",
        "-job",      "-backend",        "-h5compress", "-h5only"};
    std::vector<std::string> fingerprint;
    for (const auto& opt : options) {
        if (std::find(harmless.begin(), harmless.end(), opt.string_key) != harmless.end()) continue;
        std::string text = opt.string_key;
        for (const auto& v : opt.value) text += " " + v;
        fingerprint.push_back(text);
    }
    return fingerprint;
}

// -job FILE, wherever it stands, is taken out of the arguments: its options come first.
std::string take_job_file(std::vector<std::string>& args) {
    std::string job;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] != "-job") continue;
        if (i + 1 >= args.size()) throw InputError("flag -job needs 1 value(s) (file), got 0");
        if (!job.empty()) throw InputError("flag -job given twice ('" + job + "' and '" + args[i + 1] + "')");
        job = args[i + 1];
        args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
        --i;
    }
    return job;
}

bool flag_value(const std::string& where, const std::string& key, const std::string& v) {
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
    if (v == "0" || v == "false" || v == "no" || v == "off") return false;
    throw InputError(where + "flag '" + key + "' takes 1/true/yes/on or 0/false/no/off, not '" + v + "'");
}

// The entries of a job file as options, each with its "FILE:LINE: " for messages.
std::vector<std::pair<po::option, std::string>> job_options(const std::string& path) {
    std::vector<std::pair<po::option, std::string>> out;
    const auto& index = option_index();
    for (const JobEntry& entry : read_job_file(path)) {
        const std::string where = path + ":" + std::to_string(entry.line) + ": ";
        if (entry.key == "job") throw InputError(where + "a job file cannot name another job file");
        const auto it = index.find("-" + entry.key);
        if (it == index.end()) throw InputError(where + "unknown option '" + entry.key + "' (see -h)");
        const OptionSpec& spec = *it->second;
        std::vector<std::string> values = entry.values;
        if (spec.max_values == 0) {
            if (values.size() != 1) throw InputError(where + "flag '" + entry.key + "' takes one value, 1 or 0");
            if (!flag_value(where, entry.key, values[0])) continue;
            values.clear();
        } else if (static_cast<int>(values.size()) < spec.min_values ||
                   static_cast<int>(values.size()) > spec.max_values) {
            std::ostringstream msg;
            msg << where << "option '" << entry.key << "' needs " << spec.min_values;
            if (spec.max_values != spec.min_values) msg << " to " << spec.max_values;
            msg << " value(s)";
            if (!spec.units.empty()) msg << " (" << spec.units << ")";
            msg << ", got " << values.size();
            throw InputError(msg.str());
        }
        out.emplace_back(po::option(spec.names.front(), values), where);
    }
    return out;
}

}  // namespace

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
    ParsedCommandLine out;
    out.params.command_line = args;
    const po::options_description desc = registry();
    po::parsed_options parsed(&desc);
    std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    out.params.job_file = take_job_file(rest);
    try {
        parsed = po::command_line_parser(rest).options(desc).style(0).extra_style_parser(&nanobragg_style).run();
    } catch (const po::error& e) {
        throw InputError(std::string("command line: ") + e.what());
    }

    // A job file's options go first, so that the command line overrides them (later
    // flags win); each remembers its file and line for error messages.
    std::vector<std::string> origins(parsed.options.size());
    if (!out.params.job_file.empty()) {
        auto job = job_options(out.params.job_file);
        std::vector<po::option> merged;
        std::vector<std::string> where;
        for (auto& [option, origin] : job) merged.push_back(option), where.push_back(origin);
        merged.insert(merged.end(), parsed.options.begin(), parsed.options.end());
        where.insert(where.end(), origins.begin(), origins.end());
        parsed.options.swap(merged);
        origins.swap(where);
    }

    // Header defaults of -mask and then -img come first, so that flags override them.
    std::string mask, img;
    for (const auto& opt : parsed.options) {
        if (opt.string_key == "-mask") mask = opt.value.at(0);
        if (opt.string_key == "-img") img = opt.value.at(0);
    }
    if (!mask.empty()) apply_image_header_defaults(out.params, mask, ImageRole::Mask);
    if (!img.empty()) apply_image_header_defaults(out.params, img, ImageRole::Img);

    out.params.fingerprint = pixel_fingerprint(parsed.options);
    const auto& index = option_index();
    for (std::size_t i = 0; i < parsed.options.size(); ++i) {
        const auto& opt = parsed.options[i];
        if (opt.string_key == "help") {
            out.help_requested = true;
            continue;
        }
        if (opt.string_key == "help-markdown") {
            out.markdown_help_requested = true;
            continue;
        }
        try {
            index.at(opt.string_key)->apply(out.params, opt.value);
        } catch (const InputError& e) {
            if (origins[i].empty()) throw;
            throw InputError(origins[i] + e.what());
        }
    }
    return out;
}

void print_usage(std::ostream& out) {
    out << "usage: tilebragg [options]   (nanoBragg's options, matched exactly)\n";
    for (const auto& spec : option_table()) {
        std::string names;
        for (const auto& n : spec.names) names += (names.empty() ? "" : " ") + n;
        out << "  " << std::left << std::setw(44) << (names + value_hint(spec)) << ' ' << spec.help << '\n';
    }
    out << "  -h -help --help                              this text\n";
}

void print_usage_markdown(std::ostream& out) {
    out << "| option | value | meaning |\n|---|---|---|\n";
    for (const auto& spec : option_table()) {
        std::string names;
        for (const auto& n : spec.names) names += (names.empty() ? "`" : "`, `") + n;
        std::string hint = value_hint(spec);
        if (!hint.empty()) hint = hint.substr(1);
        for (auto& ch : hint)
            if (ch == '|') ch = '/';
        std::string help = spec.help;
        for (auto& ch : help)
            if (ch == '|') ch = '/';
        out << "| " << names << "` | " << hint << " | " << help << " |\n";
    }
}

}  // namespace tilebragg
