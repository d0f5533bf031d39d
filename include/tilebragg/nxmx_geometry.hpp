#pragma once
// The experiment's geometry as NXmx describes it: vectors in the NeXus (McStas) frame and
// chains of NXtransformations. Pure geometry, no HDF5: the writers in src/output/hdf5/
// put it into the file, the unit tests recompose it.
//
// NeXus frame: the beam travels along +z. tilebragg's lab frame is the one its convention
// (or the custom -beam_vector, -fdet_vector, ...) defines, with the beam along +x for
// MOSFLM and DENZO and along +z for XDS, DIALS and ADXV. NexusFrame is the one conversion
// between the two; every vector that goes into an NXmx field passes through it.
#include <array>
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>

namespace tilebragg {

// The proper rotation taking the lab frame to the NeXus frame: the shortest one that turns
// the incident beam onto +z (half a turn about y for a beam along -z). It keeps lengths,
// angles and handedness, so what tilebragg computed (pixel rays, their angles to the beam
// and to the spindle) is unchanged; the convention only decides which way the detector
// and the spindle point around the beam (MOSFLM: y stays y, the spindle +z becomes -x).
class NexusFrame {
public:
    explicit NexusFrame(const Vec3& beam);
    Vec3 operator()(const Vec3& lab) const;

private:
    std::array<double, 9> m_{1, 0, 0, 0, 1, 0, 0, 0, 1};  // row-major
};

// One NXtransformations axis. Applied to a point: a rotation by `value` degrees about
// `vector` (right-handed), or a translation by `value` metres along it.
struct NxTransformation {
    std::string name;
    bool rotation = false;
    double value = 0;
    Vec3 vector;             // unit length, NeXus frame
    std::string depends_on;  // the next axis of the chain, by name; empty: the chain ends (".")
    std::string description;
};

// The flat detector as one NXdetector_module on a chain of positioner axes. A point p of
// the module (metres along fast_pixel.vector and slow_pixel.vector from the outer corner
// of pixel (0, 0)) sits in the NeXus frame at
//     axes[n-1]( ... axes[0]( module_offset(p) ) ... )
// which reproduces tilebragg's pix0 + fast * fdet + slow * sdet for every convention,
// pivot, detector rotation and two-theta.
//   pivot sample: close_distance along the unrotated normal, then detector_rotx, _roty,
//                 _rotz (about the lab's x, y, z), then twotheta (about the two-theta axis);
//   pivot beam:   detector_rotx, _roty, _rotz, twotheta, then distance along the beam,
//                 so the detector turns about the point where the beam meets it.
struct NxmxDetector {
    bool describable = false;  // false: NXmx has no words for this detector, see `why_not`
    std::string why_not;
    std::vector<NxTransformation> axes;       // innermost first
    NxTransformation module_offset;           // depends on axes[0]
    NxTransformation fast_pixel, slow_pixel;  // depend on module_offset; value: pixel size
    // Where the direct beam meets the detector plane: its distance from the sample (m)
    // and its position in pixels from the outer corner of pixel (0, 0). NaN when the beam
    // runs parallel to the plane.
    double beam_distance = 0, beam_centre_fast = 0, beam_centre_slow = 0;
};

NxmxDetector nxmx_detector(const Experiment& e);

// A point of the module (metres along fast and slow) through the whole chain, in the
// NeXus frame: what a reader of the file computes. The writer checks itself with it.
Vec3 nxmx_module_point(const NxmxDetector& d, double fast_m, double slow_m);

// `v` rotated (right-handed, degrees) or translated by one axis.
Vec3 apply_transformation(const NxTransformation& t, const Vec3& v);

}  // namespace tilebragg
