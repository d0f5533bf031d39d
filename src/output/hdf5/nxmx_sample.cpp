// /entry/sample (NXsample): the goniometer (one spindle axis, phi per image, so a rotation
// series reads as a scan), the unit cell and the crystal's orientation per image.
#include <cmath>
#include <limits>

#include "output/hdf5/nexus_fields.hpp"
#include "output/hdf5/nxmx_writers.hpp"

namespace tilebragg {
namespace {

constexpr double kRTD = 180.0 * M_1_PI;

// Busing & Levy's UB maps Miller indices to the reciprocal-lattice vector in the
// goniometer frame at phi = 0: its columns are a*, b*, c*. U is the rotation of the QR
// factorisation UB = U B with B upper triangular (positive diagonal).
struct Orientation {
    double ub[9], u[9];
};

Orientation orientation(const NexusFrame& frame, const Hdf5ImageRecord& r) {
    const Vec3 a = frame(r.a_star), b = frame(r.b_star), c = frame(r.c_star);
    const Vec3 u1 = unit(a), u2 = unit(b - u1 * dot(b, u1)), u3 = cross(u1, u2);
    return {{a.x, b.x, c.x, a.y, b.y, c.y, a.z, b.z, c.z}, {u1.x, u2.x, u3.x, u1.y, u2.y, u3.y, u1.z, u2.z, u3.z}};
}

void write_goniometer(hid_t sample, const Experiment& e, const std::vector<Hdf5ImageRecord>& images, bool scan) {
    write_dataset(sample, "depends_on", std::string("/entry/sample/transformations/phi"));
    H5Group axes = create_group(sample, "transformations", "NXtransformations");
    const NxTransformation phi{"phi", true,
                               0,     NexusFrame(e.detector.beam)(e.spindle),
                               "",    "the spindle (-spindle_axis): the crystal turns right-handed about it"};
    const double osc = e.params.osc * kRTD;
    std::vector<double> starts, ends;
    for (const Hdf5ImageRecord& r : images) {
        starts.push_back(r.phi_deg);
        if (scan) ends.push_back(r.phi_deg + osc);
    }
    // Serial images all start at phi0 with crystals oriented at random: stills to a
    // reader, so no _end (which would make them one continuous sweep).
    write_scan_axis(axes, phi, starts, ends, scan ? osc : std::numeric_limits<double>::quiet_NaN());
}

}  // namespace

void write_nxmx_sample(hid_t entry, const Experiment& e, const std::vector<Hdf5ImageRecord>& images, bool scan) {
    H5Group sample = create_group(entry, "sample", "NXsample");
    write_dataset(sample, "name", std::string("simulated crystal"));
    write_goniometer(sample, e, images, scan);

    const NexusFrame frame(e.detector.beam);
    std::vector<double> abc, angles, cell, ub, u;
    for (const Hdf5ImageRecord& r : images) {
        abc.insert(abc.end(), {r.cell[0], r.cell[1], r.cell[2]});
        angles.insert(angles.end(), {r.cell[3], r.cell[4], r.cell[5]});
        cell.insert(cell.end(), r.cell, r.cell + 6);
        const Orientation o = orientation(frame, r);
        ub.insert(ub.end(), o.ub, o.ub + 9);
        u.insert(u.end(), o.u, o.u + 9);
    }
    const hsize_t n = static_cast<hsize_t>(images.size());
    write_dataset(sample, "unit_cell_abc", abc, "angstrom", {n, 3});
    write_dataset(sample, "unit_cell_alphabetagamma", angles, "deg", {n, 3});
    H5Dataset uc = write_dataset(sample, "unit_cell", cell, "", {n, 6});
    write_attribute(uc, "description", "a b c (angstrom) alpha beta gamma (deg)");
    H5Dataset ubm = write_dataset(sample, "ub_matrix", ub, "angstrom^-1", {n, 3, 3});
    write_attribute(ubm, "description",
                    "Busing-Levy UB without 2 pi: columns a*, b*, c* in the NeXus frame at "
                    "phi = 0, misset applied");
    H5Dataset om = write_dataset(sample, "orientation_matrix", u, "", {n, 3, 3});
    write_attribute(om, "description", "Busing-Levy U: UB = U B with B upper triangular");
}

}  // namespace tilebragg
