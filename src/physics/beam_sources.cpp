#include <tilebragg/beam_sources.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/rotation.hpp>
#include <tilebragg/source_file.hpp>

namespace tilebragg {
namespace {

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// Sources sit this far from the sample; only their direction matters.
constexpr double kSourceDistance = 10.0;

// The reference trims the divergence grid to an ellipse inscribed in it; a grid of even
// size is measured from the centres of the middle cells.
bool outside_ellipse(double hdiv, double vdiv, int hsteps, double hstep, double hrange, int vsteps, double vstep,
                     double vrange) {
    double test = (hdiv * hdiv - hstep * hstep / 4.0 * (1 - hsteps % 2)) / hrange / hrange;
    test += (vdiv * vdiv - vstep * vstep / 4.0 * (1 - vsteps % 2)) / vrange / vrange;
    return test * 4.0 > 1.1;
}

}  // namespace

SourceGrid make_sources(const Params& p, const Vec3& beam, const Vec3& polar_axis, int hdivsteps, double hdivstep,
                        double hdivrange, int vdivsteps, double vdivstep, double vdivrange, int dispsteps,
                        double dispstep, double dispersion) {
    SourceGrid out;
    if (!p.source_file.empty()) {
        for (const SourceRow& row : read_source_file(p.source_file)) {
            Source s;
            s.position = {row.x.value_or(-kSourceDistance * beam.x), row.y.value_or(-kSourceDistance * beam.y),
                          row.z.value_or(-kSourceDistance * beam.z)};
            s.weight = row.weight.value_or(1.0);
            s.lambda = row.lambda.value_or(p.lambda0);
            // A source on the sample has no direction, and a wavelength of zero or less
            // no scattering: both would turn the whole image into NaN.
            const std::string where = p.source_file + ":" + std::to_string(row.line) + ": ";
            if (norm(s.position) == 0.0)
                throw InputError(where + "source at X Y Z = 0 0 0 (the sample) has no direction");
            if (!(s.lambda > 0.0))
                throw InputError(where + "source wavelength " + number_text(s.lambda) + " m is not positive");
            if (s.weight < 0.0) throw InputError(where + "source weight " + number_text(s.weight) + " is negative");
            out.sources.push_back(s);
        }
    } else {
        const Vec3 vert = unit(cross(beam, polar_axis));
        std::vector<std::pair<double, double>> directions;
        for (int ih = 0; ih < hdivsteps; ++ih)
            for (int iv = 0; iv < vdivsteps; ++iv) {
                const double hdiv = hdivstep * ih - hdivrange / 2.0;
                const double vdiv = vdivstep * iv - vdivrange / 2.0;
                if (p.round_div &&
                    outside_ellipse(hdiv, vdiv, hdivsteps, hdivstep, hdivrange, vdivsteps, vdivstep, vdivrange))
                    continue;
                directions.emplace_back(hdiv, vdiv);
                char buf[128];
                std::snprintf(buf, sizeof buf, "divergence deviation: %g %g", hdiv, vdiv);
                out.log.emplace_back(buf);
            }
        out.divsteps = static_cast<int>(directions.size());
        const double weight = 1.0 / static_cast<double>(directions.size() * static_cast<size_t>(dispsteps));
        for (const auto& [hdiv, vdiv] : directions) {
            // Divergence is an angle about the E-vector (vertical) and about the normal to it.
            const Vec3 along_beam = beam * -kSourceDistance;
            const Vec3 position = rotate_about_axis(rotate_about_axis(along_beam, polar_axis, vdiv), vert, hdiv);
            for (int id = 0; id < dispsteps; ++id) {
                Source s;
                s.position = position;
                s.weight = weight;
                s.lambda = p.lambda0 * (1.0 + dispstep * id - dispersion / 2.0);
                out.sources.push_back(s);
            }
        }
    }
    for (Source& s : out.sources) {
        // The beam travels from the source to the sample.
        s.incident = -unit(s.position);
    }
    return out;
}

}  // namespace tilebragg
