#pragma once
// Unit cell (from -cell or a MOSFLM matrix), misset, and crystal size in cells.
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>

namespace tilebragg {

// Cell, orientation and the number of unit cells; `log` receives the lines the
// reference prints about them. Throws InputError when no cell can be formed.
CrystalModel setup_crystal(const Params& params, std::vector<std::string>& log);

// Real-space axes of every (phi step, mosaic domain) pair, phi slowest.
std::vector<CellOrientation> crystal_orientations(const CrystalModel& crystal, const Vec3& spindle,
                                                  const std::vector<double>& phi_angles,
                                                  const std::vector<std::array<double, 9>>& mosaic_umats, bool mosaic);

}  // namespace tilebragg
