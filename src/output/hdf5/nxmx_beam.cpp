// /entry/instrument/beam (NXbeam): wavelength (with the spectrum of the sources when they
// have several wavelengths), flux, beam size and polarisation.
#include <cmath>
#include <map>

#include "output/hdf5/nexus_fields.hpp"
#include "output/hdf5/nxmx_writers.hpp"

namespace tilebragg {
namespace {

// The wavelengths the sources carry, in angstrom, each with the share of the sources
// that have it: every source adds to the pixels with the same weight.
std::map<double, double> spectrum(const std::vector<Source>& sources) {
    std::map<double, double> share;
    for (const Source& s : sources) share[s.lambda * 1e10] += 1.0 / static_cast<double>(sources.size());
    return share;
}

void write_spectrum(hid_t beam, hid_t wavelength, const std::vector<Source>& sources) {
    const std::map<double, double> lines = spectrum(sources);
    if (lines.size() < 2) return;
    std::vector<double> lambdas, weights;
    for (const auto& [lambda, weight] : lines) lambdas.push_back(lambda), weights.push_back(weight);
    // A NeXus variant: the nominal wavelength stays the value, the spectrum its variant.
    write_attribute(wavelength, "variant", "incident_wavelength_sources");
    H5Dataset d = write_dataset(beam, "incident_wavelength_sources", lambdas, "angstrom");
    write_attribute(d, "description", "the distinct wavelengths of the simulated sources (-dispersion, -sourcefile)");
    write_dataset(beam, "incident_wavelength_sources_weights", weights, "");
}

// Stokes I Q U V of the incident beam in the NeXus frame: a fraction K (the Kahn factor
// of -polar) linearly polarised with its electric field along the polarisation axis.
std::vector<double> stokes(const Experiment& e) {
    const Vec3 field = NexusFrame(e.detector.beam)(e.polar_axis);
    const double psi = std::atan2(field.y, field.x), k = e.params.polarization;
    return {1.0, k * std::cos(2 * psi), k * std::sin(2 * psi), 0.0};
}

}  // namespace

void write_nxmx_beam(hid_t instrument, const Experiment& e) {
    const Params& p = e.params;
    H5Group beam = create_group(instrument, "beam", "NXbeam");
    H5Dataset wavelength = write_dataset(beam, "incident_wavelength", p.lambda0 * 1e10, "angstrom");
    write_spectrum(beam, wavelength, e.sources);

    // Photons per area over the exposure: the fluence the simulation used.
    write_dataset(beam, "flux_integrated", e.fluence, "m^-2");
    if (p.flux > 0) {
        write_dataset(beam, "total_flux", p.flux, "s^-1");
        write_dataset(beam, "flux", p.flux / (p.beamsize * p.beamsize), "m^-2 s^-1");
        write_attribute(beam, "flux", "total_flux");
    } else {
        write_attribute(beam, "flux", "flux_integrated");
    }
    // nanoBragg's beam is a square of side -beamsize carrying the fluence evenly.
    write_dataset(beam, "incident_beam_size", std::vector<double>{p.beamsize, p.beamsize}, "m");
    write_dataset(beam, "profile", std::string("rectangular"));
    if (!p.nopolar) {
        H5Dataset s = write_dataset(beam, "incident_polarization_stokes", stokes(e), "", {1, 4});
        write_attribute(s, "description",
                        "I Q U V, Q = I_x - I_y in the NeXus frame (Kahn factor of -polar along "
                        "-polar_vector)");
    }
}

}  // namespace tilebragg
