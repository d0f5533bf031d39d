"""DIALS's view of the file: the nxmx package (DIALS's own NXmx reader, from PyPI) opens
it, and the goniometer, beam, detector and scan are built the way dxtbx's FormatNXmx
builds them (dxtbx_steps.py). For a rotation series in every convention the result must
be a rotation scan with tilebragg's angles, and the panel must put every pixel where
tilebragg rendered it (angles to the beam and spindle, handedness, distance: the same
invariants as test_geometry.py, here through dxtbx's own reading of the chain).
The checks look at geometry and structure, not at the dtype or the noise of the data.
"""
import numpy as np
import pytest

import dxtbx_steps
import tilebragg_run as tr

DETECTOR = ["-detpixels_f", "12", "-detpixels_s", "8", "-pixel", "4", "-distance", "100"]
SERIES = ["-images", "3", "-phi", "10", "-osc", "0.5"]
CONVENTIONS = {
    "mosflm": [],
    "xds": ["-xds"],
    "dials": ["-dials"],
    "adxv": ["-adxv"],
    "denzo": ["-denzo"],
    "custom": ["-beam_vector", "0.6", "0.8", "0", "-fdet_vector", "0", "0", "1", "-sdet_vector", "0.8", "-0.6", "0",
               "-spindle_axis", "0.6", "0", "0.8", "-pivot", "sample", "-twotheta", "7"],
}


def pixel_errors(run, models):
    """Largest differences of the frame-free invariants over all pixels: three angles
    (rad) and the relative ray length."""
    panel = models.panels[0]
    travel = -models.beam_direction          # dxtbx's beam direction points at the source
    worst = np.zeros(4)
    for (f, s), printed in run.pixels.items():
        expected = tr.invariants(printed, run.beam, run.spindle)
        got = tr.invariants(panel.centre(f, s) * 1e-3, travel, models.goniometer_axis)
        worst = np.maximum(worst, np.abs(got - expected) / [1, 1, 1, expected[3]])
    return worst


@pytest.mark.parametrize("convention", list(CONVENTIONS))
def test_rotation_series_reads_as_a_scan_with_tilebragg_geometry(convention, tmp_path):
    run = tr.run(tmp_path, DETECTOR + CONVENTIONS[convention] + SERIES)
    m = dxtbx_steps.models(run.h5)
    print(f"{convention}: scan {m.scan}, axis {np.round(m.goniometer_axis, 6)}, "
          f"origin {np.round(m.panels[0].origin, 4)} mm, fast {np.round(m.panels[0].fast, 6)}, "
          f"slow {np.round(m.panels[0].slow, 6)}")
    assert m.scan is not None, "read as stills, not as a scan"
    (first, last), (start, width) = m.scan
    assert (first, last) == (1, 3) and m.num_images == 3
    assert start == pytest.approx(10.0) and width == pytest.approx(0.5)
    assert m.wavelength == pytest.approx(1.0) and m.spectrum is None

    panel = m.panels[0]
    assert len(m.panels) == 1
    assert panel.image_size == (12, 8)
    assert panel.pixel_size == pytest.approx((4.0, 4.0))
    assert panel.material == "Si" and panel.thickness_mm == 0.0
    assert panel.trusted_range[1] == 65535
    errors = pixel_errors(run, m)
    assert errors[:3].max() < 1e-5 and errors[3] < 1e-5, errors

    # dxtbx slices each image by the module's data_origin and data_size.
    assert dxtbx_steps.raw_image(run.h5, 2)[0].shape == (8, 12)
    assert m.static_mask is not None and m.static_mask[0].shape == (8, 12) and m.static_mask[0].all()


def test_mpi_rotation_series_reads_the_same(tmp_path):
    run = tr.run(tmp_path, DETECTOR + ["-xds", "-twotheta", "12"] + SERIES, ranks=3)
    m = dxtbx_steps.models(run.h5)
    assert m.scan == ((1, 3), (pytest.approx(10.0), pytest.approx(0.5)))
    errors = pixel_errors(run, m)
    assert errors[:3].max() < 1e-5 and errors[3] < 1e-5, errors


def test_serial_images_are_stills(tmp_path):
    # Random orientations all at phi0: no sweep from one image to the next.
    run = tr.run(tmp_path, DETECTOR + ["-images", "3", "-misset", "random", "-misset_seed", "3", "-osc", "0.2"],
                 printout=False)
    m = dxtbx_steps.models(run.h5)
    assert m.scan[1][1] == 0.0 and m.num_images == 3


def write_mask(path, keep):
    """An SMV -mask image: 16-bit pixels, 0 where the pixel is not to be rendered."""
    slow, fast = keep.shape
    header = (f"{{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=unsigned_short;\n"
              f"SIZE1={fast};\nSIZE2={slow};\n}}\n").encode().ljust(512, b" ")
    path.write_bytes(header + keep.astype("<u2").tobytes())


def test_roi_and_mask_reach_the_static_mask(tmp_path):
    keep = np.ones((8, 12), bool)
    keep[3, 4] = keep[0, 11] = keep[5, 2] = False
    write_mask(tmp_path / "mask.img", keep)
    run = tr.run(tmp_path, DETECTOR + ["-roi", "2", "9", "1", "5", "-mask", "mask.img"], printout=False)
    good = dxtbx_steps.models(run.h5).static_mask[0]
    expected = np.zeros((8, 12), bool)
    expected[1:6, 2:10] = True          # -roi is inclusive: fast 2..9, slow 1..5
    assert np.array_equal(good, expected & keep)


def test_dispersion_gives_a_spectrum_around_the_nominal_wavelength(tmp_path):
    run = tr.run(tmp_path, DETECTOR + ["-dispersion", "2", "-dispsteps", "3"], printout=False)
    m = dxtbx_steps.models(run.h5)
    assert m.wavelength == pytest.approx(1.0)
    lambdas, weights = m.spectrum
    assert len(lambdas) == 3 and lambdas.min() < 1.0 < lambdas.max()
    assert weights.sum() == pytest.approx(1.0)
