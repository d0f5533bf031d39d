#pragma once
// Incident-beam sources: a -sourcefile list, or the divergence x dispersion grid.
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>

namespace tilebragg {

struct SourceGrid {
    std::vector<Source> sources;
    int divsteps = 0;  // divergence directions kept after the round_div trim
    std::vector<std::string> log;
};

// `beam`, `polar_axis`: unit vectors of the resolved detector convention.
SourceGrid make_sources(const Params& params, const Vec3& beam, const Vec3& polar_axis, int hdivsteps, double hdivstep,
                        double hdivrange, int vdivsteps, double vdivstep, double vdivrange, int dispsteps,
                        double dispstep, double dispersion);

}  // namespace tilebragg
