#pragma once
// Experiment: everything the kernel needs, computed once from Params by setup.
// Immutable after construction; SI units; no behaviour beyond small accessors.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tilebragg/hkl_grid.hpp>
#include <tilebragg/params.hpp>
#include <tilebragg/vec3.hpp>

namespace tilebragg {

// One incident-beam component: a direction and a wavelength, with its weight.
struct Source {
    Vec3 incident;  // unit vector along the beam, from source to sample
    double lambda;  // metres
    double weight;  // as the reference carries it (not applied to intensities)
    Vec3 position;  // as given or generated, before normalisation (for the log)
};

// Real-space cell axes of one (phi step, mosaic domain) pair, metres.
struct CellOrientation {
    Vec3 a, b, c;
};

struct DetectorGeometry {
    int fpixels = 0, spixels = 0;
    double pixel_size = 0;
    Vec3 fdet, sdet, odet, beam, pix0;
    Vec3 twotheta_axis;  // as the convention or -twotheta_axis gave it (the NXmx chain needs it)
    double distance = 0, close_distance = 0;
    // beam centres in every convention, for headers and the log
    double Xbeam = 0, Ybeam = 0, Fbeam = 0, Sbeam = 0, Xclose = 0, Yclose = 0, Fclose = 0, Sclose = 0;
    double ORGX = 0, ORGY = 0;
    Vec3 dials_origin;  // mm
    double detsize_f = 0, detsize_s = 0;
    bool curved = false, point_pixel = false;
    Convention convention = Convention::Mosflm;
    Pivot pivot = Pivot::Beam;
};

struct Sensor {
    int layers = 1;
    double thickness = 0, layer_step = 0, mu = 0;  // m, m, 1/m
};

struct CrystalModel {
    Vec3 a, b, c;                         // phi = 0, unmosaic orientation, metres
    Vec3 a_star, b_star, c_star;          // reciprocal axes in 1/Angstrom, unrotated (spot shapes use these)
    double cell[6] = {0, 0, 0, 0, 0, 0};  // a b c (A) alpha beta gamma (deg), for the log
    double reciprocal_cell[6] = {0, 0, 0, 0, 0, 0};
    double volume_A3 = 0;
    double Na = 1, Nb = 1, Nc = 1;
    LatticeShape shape = LatticeShape::Square;
    double fudge = 1;
    Vec3 misset_deg;  // applied misset (random draws included)
    bool misset_applied = false;
};

struct Experiment {
    Params params;  // resolved: every auto-selection filled in
    DetectorGeometry detector;
    Sensor sensor;
    CrystalModel crystal;
    std::vector<Source> sources;
    std::vector<double> phi_angles;                    // radians
    std::vector<std::array<double, 9>> mosaic_umats;   // row-major rotation matrices
    std::vector<CellOrientation> orientations;         // [phi][mosaic], phi slowest
    std::shared_ptr<const HklGrid> structure_factors;  // shared by the images of a series
    bool structure_factor_cache_due = false;           // read from -hkl: the Fdump cache is still to write
    std::size_t cache_log_position = 0;                // where its log line goes
    bool interpolate = false;
    int hdivsteps = 1, vdivsteps = 1, divsteps = 1, dispsteps = 1;
    double hdivstep = 0, vdivstep = 0, hdivrange = 0, vdivrange = 0, dispersion = 0, dispstep = 0;
    int oversample = 1;
    int steps = 1;    // sources * mosaic * phi * oversample^2: the normalisation
    double I_bg = 0;  // water background per step, photons/sr before r_e^2 fluence
    double fluence = 0;
    double photon_scale = 0;  // r_e^2 * fluence / steps: photons per unit of the kernel's sum
    Vec3 polar_axis, spindle;
    Roi roi;                          // resolved, inclusive bounds
    std::vector<std::uint16_t> mask;  // empty: no mask
    std::vector<std::string> log;     // lines setup wants printed (warnings, choices)
};

// Builds the experiment; throws InputError for anything unusable. Reads the inputs and
// writes nothing. Given `structure_factors` (the grid an earlier setup of the same inputs
// loaded), does not read -hkl again: the images of a series share one grid.
Experiment setup_experiment(const Params& params, std::shared_ptr<const HklGrid> structure_factors = nullptr);

// Writes the reference's structure-factor cache (Fdump) when the grid came from -hkl,
// and puts its log line where the reference prints it. One process of a job calls it,
// once every rank's setup has succeeded (a refused run leaves no file behind).
void write_structure_factor_cache(Experiment& e);

}  // namespace tilebragg
