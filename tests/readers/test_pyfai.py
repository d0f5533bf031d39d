"""pyFAI (Debian's python3-pyfai) integrates a powder-like image of a cubic crystal with
the geometry read from the file; its rings must sit at d = a / sqrt(h^2 + k^2 + l^2).

The powder: a 10 A cubic cell in 3000 mosaic domains spread over all orientations
(-mosaic 180), every hkl with the same F, no ADC offset (the counts are the int image
with nothing added, so weak rings stand out of a zero background). The geometry comes from the file's chains
(nexus_chain.py): detector origin and pixel axes, the beam along +z, the wavelength from
NXbeam. pyFAI is given the point of normal incidence and the distance; the test first
checks that the detector in the file is indeed normal to the beam, so no tilt is lost.
"""
import numpy as np
import pytest

import nexus_chain as nc
import tilebragg_run as tr

pyFAI = pytest.importorskip("pyFAI")
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator  # noqa: E402
from pyFAI.detectors import Detector  # noqa: E402
from scipy.signal import find_peaks  # noqa: E402

A = 10.0  # angstrom
POWDER = ["-cell", "10", "10", "10", "90", "90", "90", "-N", "10", "-mosaic", "180", "-mosaic_dom", "3000",
          "-mosaic_seed", "1234", "-detpixels", "200", "-pixel", "0.25", "-distance", "100",
          "-Xbeam", "27", "-Ybeam", "22", "-adc", "0"]
RINGS = sorted({A / np.sqrt(h * h + k * k + l * l) for h in range(5) for k in range(5) for l in range(5)
                if h * h + k * k + l * l > 0}, reverse=True)


def geometry_from_file(path):
    """(distance, poni1, poni2, pixel1, pixel2, wavelength) in metres, from the file."""
    with nc.open_file(path) as f:
        module = "entry/instrument/detector/module"
        corner = nc.module_pixel_centres(f, module, [(0, 0), (1, 0), (0, 1)])
        fast = corner[(1, 0)] - corner[(0, 0)]
        slow = corner[(0, 1)] - corner[(0, 0)]
        origin = corner[(0, 0)] - 0.5 * fast - 0.5 * slow
        wavelength = float(f["entry/instrument/beam/incident_wavelength"][()]) * 1e-10
        image = f["entry/data/data"][0].astype(np.float64)
    normal = np.cross(fast, slow)
    normal /= np.linalg.norm(normal)
    beam = np.array([0.0, 0.0, 1.0])
    assert abs(abs(normal @ beam) - 1) < 1e-12, "the detector is tilted: give pyFAI its rotations"
    distance = abs(origin @ normal)
    foot = distance * beam - origin                    # from the corner to the beam's foot
    pixel2, pixel1 = np.linalg.norm(fast), np.linalg.norm(slow)
    poni2, poni1 = foot @ fast / pixel2, foot @ slow / pixel1
    return (distance, poni1, poni2, pixel1, pixel2, wavelength), image


def ring_d_spacings(image, distance, poni1, poni2, pixel1, pixel2, wavelength):
    detector = Detector(pixel1=pixel1, pixel2=pixel2, max_shape=image.shape)
    ai = AzimuthalIntegrator(dist=distance, poni1=poni1, poni2=poni2, detector=detector, wavelength=wavelength)
    result = ai.integrate1d(image, 400, unit="q_A^-1", correctSolidAngle=False)
    q, intensity = result.radial, result.intensity
    beyond_direct_beam = q > 0.4
    q, intensity = q[beyond_direct_beam], intensity[beyond_direct_beam]
    peaks, _ = find_peaks(intensity, prominence=np.median(intensity))
    return 2 * np.pi / q[peaks], q[1] - q[0]


def matched(found, bin_width):
    """For each expected ring (d > the last found one), whether a peak lies within a bin."""
    q_found = 2 * np.pi / np.asarray(found)
    return [np.min(np.abs(q_found - 2 * np.pi / d)) <= 1.5 * bin_width for d in RINGS if d >= min(found)]


def test_rings_at_the_cubic_d_spacings(tmp_path):
    run = tr.run(tmp_path, POWDER, printout=False)
    geometry, image = geometry_from_file(run.h5)
    found, bin_width = ring_d_spacings(image, *geometry)
    print("rings found at d =", np.round(found, 3))
    assert len(found) >= 6
    hits = matched(found, bin_width)
    assert all(hits[:6]), f"the first rings {np.round(RINGS[:6], 3)} not all found in {np.round(found, 3)}"
    # Every peak pyFAI finds is a ring of the cell.
    for d in found:
        assert min(abs(2 * np.pi / d - 2 * np.pi / r) for r in RINGS) <= 1.5 * bin_width, d
    # A distance 3% off moves the rings away: the test can tell a wrong geometry.
    wrong = list(geometry)
    wrong[0] *= 1.03
    found_wrong, _ = ring_d_spacings(image, *wrong)
    assert sum(matched(found_wrong, bin_width)) < sum(hits) - 2
