"""Pixel positions rebuilt from the file's NeXus transformation chains alone (numpy, no
NXmx library) against the positions tilebragg printed for the same run (-printout):
for every pixel, the angles of the ray from the sample to the pixel centre with the beam
(+z, as NXmx defines it), with the spindle (the sample's rotation axis in the file) and
with their cross product, and the ray's length. These do not depend on the frame, so
the test compares tilebragg's lab frame with the file's NeXus frame without converting
either. Every convention, both pivots, detector rotations, two-theta, -twotheta_axis,
-spindle_axis, non-square detectors, MPI runs of 1 to 4 ranks and -images series.
"""
import numpy as np
import pytest

import nexus_chain as nc
import tilebragg_run as tr

# Printed with %g: six significant digits of metres and of unit vectors.
ANGLE_TOLERANCE = 1e-5      # rad; half a pixel here is 2e-2
LENGTH_TOLERANCE = 1e-5     # relative

DETECTOR = ["-detpixels_f", "12", "-detpixels_s", "8", "-pixel", "4", "-distance", "100"]
CUSTOM = ["-beam_vector", "0.6", "0.8", "0", "-fdet_vector", "0", "0", "1", "-sdet_vector", "0.8", "-0.6", "0",
          "-spindle_axis", "0.6", "0", "0.8"]

CASES = {
    "mosflm": ([], 0),
    "mosflm_off_centre": (["-Xbeam", "21", "-Ybeam", "33"], 0),
    "denzo": (["-denzo"], 0),
    "adxv": (["-adxv"], 0),
    "xds": (["-xds", "-ORGX", "5", "-ORGY", "3"], 0),
    "dials": (["-dials", "-close_distance", "90"], 0),
    "mosflm_rotations": (["-detector_rotx", "5", "-detector_roty", "-7", "-detector_rotz", "11"], 0),
    "mosflm_twotheta_rotx": (["-twotheta", "10", "-detector_rotx", "5"], 0),
    "xds_twotheta_roty": (["-xds", "-twotheta", "20", "-detector_roty", "3"], 0),
    "dials_twotheta": (["-dials", "-twotheta", "-15"], 0),
    "custom_twotheta_axis_sample_pivot": (["-twotheta_axis", "0", "0.6", "0.8", "-twotheta", "12", "-pivot", "sample"],
                                          0),
    "custom_vectors_beam_pivot": (CUSTOM + ["-pivot", "beam", "-detector_rotz", "4", "-twotheta", "6"], 0),
    "custom_vectors_sample_pivot": (CUSTOM + ["-pivot", "sample", "-detector_rotx", "-4"], 0),
    "custom_spindle": (["-spindle_axis", "0", "1", "1"], 0),
    "non_square_xds": (["-xds", "-detpixels_f", "5", "-detpixels_s", "13"], 0),
    "np1_rotation_series": (["-images", "3", "-osc", "1"], 1),
    "np2_xds_twotheta_series": (["-xds", "-images", "3", "-osc", "1", "-twotheta", "5"], 2),
    "np3_dials_serial_series": (["-dials", "-images", "2", "-misset", "random", "-misset_seed", "7"], 3),
    "np4_mosflm_rotated_series": (["-images", "4", "-osc", "0.5", "-detector_rotx", "3", "-detpixels_s", "9"], 4),
}


@pytest.mark.parametrize("name", list(CASES))
def test_chains_put_every_pixel_where_tilebragg_rendered_it(name, tmp_path):
    args, ranks = CASES[name]
    run = tr.run(tmp_path, DETECTOR + args, ranks=ranks)
    assert run.pixels, "no pixel positions printed"
    with nc.open_file(run.h5) as f:
        assert nc.text(f["entry/definition"][()]) == "NXmx"
        data = f["entry/data/data"]
        size = f["entry/instrument/detector/module/data_size"][()]
        assert tuple(size) == data.shape[1:]
        assert len(run.pixels) == size[0] * size[1]
        centres = nc.module_pixel_centres(f, "entry/instrument/detector/module", run.pixels)
        spindle, _ = nc.sample_rotation_axis(f)
    beam = np.array([0.0, 0.0, 1.0])
    worst = np.zeros(4)
    for pixel, printed in run.pixels.items():
        expected = tr.invariants(printed, run.beam, run.spindle)
        got = tr.invariants(centres[pixel], beam, spindle)
        worst = np.maximum(worst, np.abs(got - expected) / [1, 1, 1, expected[3]])
    assert worst[:3].max() < ANGLE_TOLERANCE, f"angle off by {worst[:3]} rad"
    assert worst[3] < LENGTH_TOLERANCE, f"ray length off by {worst[3]} (relative)"


def test_curved_detector_is_not_written_as_a_flat_nxmx_detector(tmp_path):
    run = tr.run(tmp_path, DETECTOR + ["-curved_det"], printout=False)
    assert "will not be an NXmx file: -curved_det" in run.stdout
    with nc.open_file(run.h5) as f:
        assert "definition" not in f["entry"], "a curved detector must not claim NXmx"
        detector = f["entry/instrument/detector"]
        assert "module" not in detector and "depends_on" not in detector
        assert "-curved_det" in nc.text(detector["description"][()])
        assert f["entry/data/data"].shape == (1, 8, 12)
