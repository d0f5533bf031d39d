"""The HDF5 file of an MPI run has the NeXus/NXmx layout of docs/hdf5-layout.md.

Runs tilebragg under mpiexec with two ranks on a small case (the program is
$TILEBRAGG_EXE, set by ctest) and reads the file back with h5py.
"""
import os
import shutil
import subprocess

import h5py
import numpy as np
import pytest

EXE = os.environ.get("TILEBRAGG_EXE")
MPIEXEC = shutil.which("mpiexec") or shutil.which("mpirun")
CASE = ["-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "5", "-lambda", "6.2",
        "-distance", "100", "-detpixels_f", "96", "-detpixels_s", "80", "-mosaic", "0.5", "-mosaic_dom", "4",
        "-nonoise", "-nopgm", "-noprogress"]
RANKS = 2
TILE = (32, 16)

pytestmark = pytest.mark.skipif(not EXE or not MPIEXEC, reason="needs $TILEBRAGG_EXE and mpiexec")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("h5")
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    cmd = [MPIEXEC, "-n", str(RANKS), "--oversubscribe", "--bind-to", "none", EXE, *CASE,
           "-tile", str(TILE[0]), str(TILE[1]), "-schedule", "dynamic",
           "-floatfile", "out.bin", "-intfile", "out.img", "-h5file", "out.h5"]
    subprocess.run(cmd, cwd=work, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
    with h5py.File(work / "out.h5", "r") as f:
        yield work, f


def test_no_temporary_file_is_left(run):
    work, _ = run
    assert (work / "out.h5").exists()
    assert not (work / "out.h5.tmp").exists()


def test_entry_is_an_nxmx_entry(run):
    _, f = run
    assert text(f["entry"].attrs["NX_class"]) == "NXentry"
    assert text(f["entry/definition"][()]) == "NXmx"


def test_photons_are_float32_one_chunk_per_image_and_equal_the_float_file(run):
    work, f = run
    photons = f["entry/photons/photons"]
    assert text(f["entry/photons"].attrs["NX_class"]) == "NXdata"
    assert text(f["entry/photons"].attrs["signal"]) == "photons"
    assert photons.dtype == np.float32
    assert photons.shape == (1, 80, 96)
    assert photons.chunks == (1, 80, 96)
    raw = np.fromfile(work / "out.bin", dtype="<f4").reshape(80, 96)
    assert np.array_equal(photons[0], raw)
    assert photons[0].max() > 0


def test_detector_counts_are_the_int_image_one_chunk_per_image(run):
    # -nonoise: the counts are the int image (-intfile), pixel for pixel.
    work, f = run
    counts = f["entry/data/data"]
    assert text(f["entry/data"].attrs["NX_class"]) == "NXdata"
    assert text(f["entry/data"].attrs["signal"]) == "data"
    assert counts.dtype == np.uint16
    assert counts.shape == (1, 80, 96)
    assert counts.chunks == (1, 80, 96)
    raw = np.fromfile(work / "out.img", dtype=np.uint8)
    pixels = raw[len(raw) - 80 * 96 * 2:].view("<u2").reshape(80, 96)
    assert np.array_equal(counts[0], pixels)
    # compressed: bitshuffle+LZ4 where its plugin is installed, else deflate; and the
    # filter really compresses (this int image to 54%; a filter that only shuffled would
    # leave it as large)
    assert counts.compression is not None or len(counts._filters) > 0
    assert counts.id.get_storage_size() < 0.7 * counts.size * counts.dtype.itemsize


def test_beam_and_detector_carry_units(run):
    _, f = run
    beam = f["entry/instrument/beam"]
    assert text(beam.attrs["NX_class"]) == "NXbeam"
    assert beam["incident_wavelength"][()] == pytest.approx(6.2)
    assert text(beam["incident_wavelength"].attrs["units"]) == "angstrom"
    det = f["entry/instrument/detector"]
    assert text(det.attrs["NX_class"]) == "NXdetector"
    assert det["distance"][()] == pytest.approx(0.1)
    assert text(det["distance"].attrs["units"]) == "m"
    assert det["x_pixel_size"][()] == pytest.approx(1e-4)
    assert det["y_pixel_size"][()] == pytest.approx(1e-4)
    for name in ("beam_center_x", "beam_center_y"):
        assert text(det[name].attrs["units"]) == "pixel"
    # MOSFLM default: Xbeam = Ybeam = (detector size + one pixel) / 2, and the beam
    # position along fast/slow is that plus half a pixel: N/2 + 1 pixels.
    assert det["beam_center_x"][()] == pytest.approx(96 / 2 + 1)
    assert det["beam_center_y"][()] == pytest.approx(80 / 2 + 1)


def test_pixel_axes_are_in_the_module_on_a_chain_of_detector_axes(run):
    _, f = run
    module = f["entry/instrument/detector/module"]
    assert text(module.attrs["NX_class"]) == "NXdetector_module"
    assert list(module["data_origin"][()]) == [0, 0]
    assert list(module["data_size"][()]) == [80, 96]
    for axis in ("fast_pixel_direction", "slow_pixel_direction"):
        assert text(module[axis].attrs["transformation_type"]) == "translation"
        assert np.linalg.norm(module[axis].attrs["vector"]) == pytest.approx(1.0)
        assert text(module[axis].attrs["depends_on"]) == "/entry/instrument/detector/module/module_offset"
    assert np.dot(module["fast_pixel_direction"].attrs["vector"], module["slow_pixel_direction"].attrs["vector"]) == \
        pytest.approx(0.0, abs=1e-12)
    target = text(f["entry/instrument/detector/depends_on"][()])
    assert target in f
    assert text(module["module_offset"].attrs["depends_on"]) == target


def test_sample_has_goniometer_cell_and_orientation(run):
    _, f = run
    s = f["entry/sample"]
    assert text(s.attrs["NX_class"]) == "NXsample"
    assert text(s["depends_on"][()]) == "/entry/sample/transformations/phi"
    phi = s["transformations/phi"]
    assert phi.shape == (1,)
    assert text(phi.attrs["units"]) == "deg"
    assert text(phi.attrs["transformation_type"]) == "rotation"
    assert np.allclose(s["unit_cell"][0], [100, 100, 100, 90, 90, 90])
    assert s["ub_matrix"].shape == (1, 3, 3)
    # A cubic 100 A cell: every reciprocal axis (a column of UB) is 1/100 per angstrom long.
    assert np.allclose(np.linalg.norm(s["ub_matrix"][0], axis=0), 0.01)
    u = s["orientation_matrix"][0]
    assert np.allclose(u @ u.T, np.eye(3)) and np.linalg.det(u) == pytest.approx(1.0)


def test_simulation_records_parameters_version_and_completion(run):
    _, f = run
    sim = f["entry/simulation"].attrs
    assert sim["complete"] == 1
    assert "-h5file out.h5" in text(sim["command_line"])
    assert text(sim["program_version"])
    assert text(sim["git_revision"])
    assert text(sim["precision"]) == "float"
    assert sim["ranks"] == RANKS
    assert (sim["tile_fast"], sim["tile_slow"]) == TILE
    assert sim["distance_m"] == pytest.approx(0.1)
    assert sim["lambda0_m"] == pytest.approx(6.2e-10)
    assert sim["mosaic_domains"] == 4


def test_per_rank_timing_has_one_row_per_rank(run):
    _, f = run
    g = f["entry/simulation/timing/per_rank"]
    for column in ("rank", "host", "threads", "tiles", "pixels", "compute_s", "io_s", "wait_s"):
        assert g[column].shape == (RANKS,), column
    assert list(g["rank"][:]) == list(range(RANKS))
    assert g["pixels"][:].sum() == 96 * 80
    tiles = (96 // TILE[0]) * (80 // TILE[1])
    assert g["tiles"][:].sum() == tiles
    # Under the dynamic schedule a rank may get no tile of so small an image (rank 0 did,
    # once in seven suite runs); every rank that rendered has rendering time.
    rendered = g["tiles"][:] > 0
    assert (g["compute_s"][:][rendered] > 0).all() and (g["compute_s"][:] >= 0).all()
    assert text(g["compute_s"].attrs["units"]) == "s"


def test_per_item_timing_has_one_row_per_tile(run):
    _, f = run
    g = f["entry/simulation/timing/per_item"]
    tiles = (96 // TILE[0]) * (80 // TILE[1])
    for column in ("image", "tile", "rank", "t_start", "t_end"):
        assert g[column].shape == (tiles,), column
    assert sorted(g["tile"][:]) == list(range(tiles))
    assert set(g["rank"][:]) <= set(range(RANKS))
    assert (g["t_end"][:] >= g["t_start"][:]).all()
    assert (g["t_start"][:] >= 0).all()
    per_rank = f["entry/simulation/timing/per_rank/tiles"][:]
    assert [int((g["rank"][:] == r).sum()) for r in range(RANKS)] == list(per_rank)
