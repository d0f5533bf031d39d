#pragma once
// Detector frame: conventions, pivots, rotations, beam centres in every convention.
#include <tilebragg/experiment.hpp>

namespace tilebragg {

struct DetectorSetup {
    DetectorGeometry geometry;
    Vec3 polar_axis, spindle, twotheta_axis;  // after the convention's choice, unit length
    Vec3 beam_in_detector_frame;              // the reference's "XDS incident beam"
};

// Reads the detector part of Params (taking the convention's pivot rule into account).
DetectorSetup setup_detector(Params& params);

}  // namespace tilebragg
