"""analysis/correlate.py on images the tests write themselves: raw float32, SMV, HDF5."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import correlate
import h5image

SHAPE = (64, 80)  # slow, fast: not square, so a swapped axis cannot pass unnoticed


def run(capsys, *argv):
    """correlate.main in this process (fast); returns (exit status, stdout, stderr)."""
    status = correlate.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def image(make, spot_centres):
    return make.spots(SHAPE, spot_centres)


def test_identical_images_correlate_perfectly_with_zero_peak_offsets(tmp_path, make, image, capsys):
    a = make.raw(tmp_path / "a.bin", image)
    b = make.raw(tmp_path / "b.bin", image)
    status, out, _ = run(capsys, a, b, "--shape", *SHAPE, "--json", tmp_path / "r.json")
    assert status == 0
    r = json.loads((tmp_path / "r.json").read_text())
    assert r["correlation"] == pytest.approx(1.0, abs=1e-12)
    assert r["rmse"] == 0 and r["max_abs_difference"] == 0
    assert r["sum_ratio_b_over_a"] == pytest.approx(1.0)
    assert r["sum_a"] == pytest.approx(float(image.astype(np.float32).astype(np.float64).sum()), rel=1e-9)
    p = r["peaks"]
    assert p["peaks_a"] == p["peaks_b"] == 12  # the twelve spots and nothing else
    assert p["matched_within_radius"] == 12
    assert p["max_offset_px"] == 0 and p["mean_shift_fast_px"] == 0 and p["mean_shift_slow_px"] == 0
    assert "correlation       1.000000000" in out


def test_peaks_are_the_spot_centres_in_slow_fast_order(make, image, spot_centres):
    peaks = correlate.find_peaks(image, 20)
    assert sorted(map(tuple, peaks)) == sorted(spot_centres)
    assert tuple(peaks[0]) == spot_centres[0]  # the tallest spot comes first


def test_flat_topped_spot_counts_once(make):
    image = np.zeros((20, 20))
    image[5:8, 5:8] = 7.0  # a 3 x 3 plateau, as a saturated spot would be
    image[14, 14] = 3.0
    peaks = correlate.find_peaks(image, 5)
    assert len(peaks) == 2
    assert tuple(peaks[1]) == (14, 14)


def test_shifted_copy_shows_the_shift_in_the_peak_offsets(tmp_path, make, spot_centres, capsys):
    d_slow, d_fast = 3, -2
    a = make.raw(tmp_path / "a.bin", make.spots(SHAPE, spot_centres))
    moved = [(s + d_slow, f + d_fast) for s, f in spot_centres]
    b = make.raw(tmp_path / "b.bin", make.spots(SHAPE, moved))
    status, _, _ = run(capsys, a, b, "--shape", *SHAPE, "--match-radius", 4, "--json", tmp_path / "r.json")
    assert status == 0
    p = json.loads((tmp_path / "r.json").read_text())["peaks"]
    assert p["matched"] == 12
    assert p["mean_shift_slow_px"] == pytest.approx(d_slow)
    assert p["mean_shift_fast_px"] == pytest.approx(d_fast)
    assert p["mean_offset_px"] == pytest.approx(np.hypot(d_slow, d_fast))
    assert p["max_offset_px"] == pytest.approx(np.hypot(d_slow, d_fast))
    assert p["matched_within_radius"] == 12  # 3.6 px <= 4
    for pair in p["pairs"]:
        assert pair["b"][0] - pair["a"][0] == d_slow and pair["b"][1] - pair["a"][1] == d_fast
    # The same pairs, but a radius of 2 px is closer than any of them.
    status, _, _ = run(capsys, a, b, "--shape", *SHAPE, "--match-radius", 2, "--json", tmp_path / "r2.json")
    assert json.loads((tmp_path / "r2.json").read_text())["peaks"]["matched_within_radius"] == 0


def test_scaled_image_correlates_perfectly_and_sums_in_ratio(tmp_path, make, image, capsys):
    a = make.raw(tmp_path / "a.bin", image)
    b = make.raw(tmp_path / "b.bin", 2 * image)
    run(capsys, a, b, "--shape", *SHAPE, "--json", tmp_path / "r.json")
    r = json.loads((tmp_path / "r.json").read_text())
    assert r["correlation"] == pytest.approx(1.0, abs=1e-9)
    assert r["sum_ratio_b_over_a"] == pytest.approx(2.0, rel=1e-6)
    assert r["max_abs_difference"] == pytest.approx(float(image.astype(np.float32).max()), rel=1e-6)


def test_rmse_and_max_difference_of_a_known_change(tmp_path, make, capsys):
    a_pixels = np.zeros((4, 4))
    b_pixels = np.zeros((4, 4))
    b_pixels[1, 2] = 4.0  # one pixel of 16 differs by 4: rmse = sqrt(16 / 16) = 1
    a = make.raw(tmp_path / "a.bin", a_pixels)
    b = make.raw(tmp_path / "b.bin", b_pixels)
    run(capsys, a, b, "--json", tmp_path / "r.json")
    r = json.loads((tmp_path / "r.json").read_text())
    assert r["rmse"] == pytest.approx(1.0)
    assert r["max_abs_difference"] == pytest.approx(4.0)
    assert r["sum_a"] == 0 and r["sum_ratio_b_over_a"] is None


def test_threshold_gives_exit_3_only_below_it(tmp_path, make, image, capsys):
    rng = np.random.default_rng(7)
    a = make.raw(tmp_path / "a.bin", image)
    b = make.raw(tmp_path / "b.bin", image + rng.normal(0, 200, SHAPE))
    status, _, _ = run(capsys, a, b, "--shape", *SHAPE, "--json", tmp_path / "r.json")
    corr = json.loads((tmp_path / "r.json").read_text())["correlation"]
    assert 0.1 < corr < 0.99
    status, _, err = run(capsys, a, b, "--shape", *SHAPE, "--threshold", 0.999)
    assert status == correlate.EXIT_BELOW_THRESHOLD == 3
    assert "below the threshold" in err
    status, _, _ = run(capsys, a, b, "--shape", *SHAPE, "--threshold", corr - 0.01)
    assert status == 0


def test_size_mismatch_is_exit_2_with_one_line(tmp_path, make, capsys):
    a = make.raw(tmp_path / "a.bin", np.ones((8, 8)))
    b = make.raw(tmp_path / "b.bin", np.ones((4, 4)))
    status, out, err = run(capsys, a, b)
    assert status == 2
    assert err.count("\n") == 1 and "differ in size" in err and "8 x 8" in err and "4 x 4" in err
    assert out == ""


@pytest.mark.parametrize("problem", ["missing", "odd_bytes", "not_square", "no_such_image", "bad_smv"])
def test_unreadable_input_is_exit_2_naming_the_file(tmp_path, make, capsys, problem):
    good = make.raw(tmp_path / "good.bin", np.ones((4, 4)))
    bad = tmp_path / "bad.bin"
    if problem == "odd_bytes":
        bad.write_bytes(b"\0" * 10)
    elif problem == "not_square":
        make.raw(bad, np.ones((4, 5)))
    elif problem == "no_such_image":
        bad = tmp_path / "bad.h5"
        make.h5_images(bad, np.ones((2, 4, 4)))
        bad = f"{bad}:2"
    elif problem == "bad_smv":
        bad.write_bytes(b"{\nHEADER_BYTES=512;\nSIZE1=4;\n}".ljust(512) + b"\0" * 32)
    status, _, err = run(capsys, good, bad)
    assert status == 2
    assert err.startswith("correlate.py: ") and err.count("\n") == 1
    assert "bad." in err


def test_raw_shape_given_or_square(tmp_path, make):
    pixels = np.arange(20, dtype=float).reshape(4, 5)
    path = make.raw(tmp_path / "r.bin", pixels)
    assert np.array_equal(h5image.read_image(path, shape=(4, 5)).pixels, pixels)
    square = make.raw(tmp_path / "s.bin", np.arange(36.0).reshape(6, 6))
    assert h5image.read_image(square).shape == (6, 6)


@pytest.mark.parametrize("byte_order", ["little_endian", "big_endian"])
def test_smv_reads_size1_as_fast_and_honours_byte_order(tmp_path, make, byte_order):
    pixels = (np.arange(6 * 10).reshape(6, 10) * 1000) % 65536  # values above 255 test the order
    path = make.smv(tmp_path / "i.img", pixels, byte_order=byte_order)
    image = h5image.read_image(path)
    assert image.kind == "SMV"
    assert image.shape == (6, 10)
    assert np.array_equal(image.pixels, pixels)


def test_smv_against_raw_float_of_the_same_counts(tmp_path, make, image, capsys):
    counts = np.rint(image)
    a = make.smv(tmp_path / "a.img", counts)
    b = make.raw(tmp_path / "b.bin", counts)
    status, _, _ = run(capsys, a, b, "--shape", *SHAPE, "--json", tmp_path / "r.json")
    r = json.loads((tmp_path / "r.json").read_text())
    assert status == 0 and r["max_abs_difference"] == 0 and r["sum_a"] == r["sum_b"] == counts.sum()


def test_hdf5_image_k_by_suffix_or_option(tmp_path, make, image, capsys):
    stack = np.stack([np.zeros(SHAPE), image, image[::-1]])
    h5 = make.h5_images(tmp_path / "s.h5", stack)
    raw = make.raw(tmp_path / "one.bin", image)
    for argv in ([f"{h5}:1", raw], [h5, raw, "--image-a", 1], [raw, h5, "--image-b", 1]):
        status, _, _ = run(capsys, *argv, "--shape", *SHAPE, "--json", tmp_path / "r.json")
        r = json.loads((tmp_path / "r.json").read_text())
        assert status == 0 and r["max_abs_difference"] == 0, argv
    run(capsys, f"{h5}:2", raw, "--shape", *SHAPE, "--json", tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["max_abs_difference"] > 0


def test_png_holds_both_images_and_their_difference(tmp_path, make, image, capsys):
    a = make.raw(tmp_path / "a.bin", image)
    b = make.raw(tmp_path / "b.bin", image * 1.1)
    status, _, _ = run(capsys, a, b, "--shape", *SHAPE, "--png", tmp_path / "c.png")
    assert status == 0
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_command_line_exit_status(tmp_path, make, image):
    """The script itself, as a shell or ctest runs it, reports 3 below the threshold."""
    a = make.raw(tmp_path / "a.bin", image)
    b = make.raw(tmp_path / "b.bin", image[:, ::-1])
    script = os.path.join(os.path.dirname(correlate.__file__), "correlate.py")
    done = subprocess.run([sys.executable, script, a, b, "--shape", *map(str, SHAPE), "--threshold", "0.99"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "correlation" in done.stdout


def test_tilebragg_hdf5_image_equals_its_float_file(tmp_path, capsys):
    """The real program: its -h5file image and its -floatfile are the same image."""
    exe = os.environ.get("TILEBRAGG_EXE")
    if not exe or not os.access(exe, os.X_OK):
        pytest.skip("set TILEBRAGG_EXE to the tilebragg executable to compare its outputs")
    args = [exe, "-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "5",
            "-lambda", "6.2", "-distance", "100", "-detpixels_f", "96", "-detpixels_s", "80",
            "-nonoise", "-nopgm", "-noprogress", "-floatfile", "out.bin", "-h5file", "out.h5"]
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env.setdefault("OMP_NUM_THREADS", "2")
    subprocess.run(args, cwd=tmp_path, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
    status, _, _ = run(capsys, tmp_path / "out.h5", tmp_path / "out.bin", "--shape", 80, 96,
                       "--threshold", 0.999999, "--json", tmp_path / "r.json")
    r = json.loads((tmp_path / "r.json").read_text())
    assert status == 0
    assert r["correlation"] == pytest.approx(1.0, abs=1e-12)
    assert r["max_abs_difference"] == 0
    assert r["peaks"]["max_offset_px"] == 0


def test_a_tie_on_top_of_a_spot_does_not_read_as_an_offset(make):
    # A spot centred between two pixels: rounding makes the left pixel the top in A and
    # the right one in B. The peak pixels differ by one; the spot has not moved.
    a = make.spots((32, 32), [(16, 15.5)], sigma=1.0)
    b = a.copy()
    a[16, 15] += 1e-3
    b[16, 16] += 1e-3
    pa, pb = correlate.find_peaks(a, 1), correlate.find_peaks(b, 1)
    assert abs(pb[0][1] - pa[0][1]) == 1
    match = correlate.match_peaks(correlate.centroids(a, pa), correlate.centroids(b, pb), 2.0)
    assert match["max_offset_px"] < 0.01
    assert correlate.centroids(a, pa)[0] == pytest.approx([16, 15.5], abs=0.01)
