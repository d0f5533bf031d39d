"""analysis/scaling.py on sweeps whose timing tables the tests make up, with known answers."""
import json

import pytest

import scaling

# A strong sweep of one 64 x 64 image on 1, 2 and 4 ranks of one thread each. total_s
# gives walls of 9, 5 and 3 s; the work items span 8, 4 and 2.5 s.
STRONG = {
    1: dict(compute_s=[8.0], io_s=[0.5], wait_s=[0.0], total_s=[9.0], span=8.0),
    2: dict(compute_s=[4.0, 4.4], io_s=[0.3, 0.3], wait_s=[0.5, 0.1], total_s=[5.0, 4.9], span=4.0),
    4: dict(compute_s=[2.0, 2.2, 2.4, 1.4], io_s=[0.2] * 4, wait_s=[0.6, 0.4, 0.2, 1.2],
            total_s=[3.0, 2.9, 3.0, 2.8], span=2.5),
}


def items(ranks, span, start=0.25):
    """Work items spread over the ranks; the first starts at `start`, the last ends span later."""
    rows = [(0, t, t % ranks, start + 0.1 * t, start + 0.1 * t + 0.05) for t in range(8)]
    rows[-1] = (0, 7, 7 % ranks, start + 0.7, start + span)
    return rows


def strong_sweep(tmp_path, make, **drop):
    files = []
    for ranks, t in STRONG.items():
        columns = {k: (None if k in drop else v) for k, v in t.items() if k != "span"}
        files.append(make.h5_timing(tmp_path / f"strong_{ranks}.h5", (1, 64, 64), ranks,
                                    items=None if "items" in drop else items(ranks, t["span"]), **columns))
    return files


def rows_of(capsys, *argv):
    status = scaling.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def analysed(tmp_path, capsys, files, *options):
    status, out, err = rows_of(capsys, *files, "--no-plots", "--json", tmp_path / "s.json", *options)
    assert status == 0, err
    return json.loads((tmp_path / "s.json").read_text()), out


def test_strong_sweep_speedup_efficiency_imbalance_and_io_share(tmp_path, make, capsys):
    files = strong_sweep(tmp_path, make)
    result, out = analysed(tmp_path, capsys, reversed(files))  # order of the files does not matter
    assert result["mode"] == "strong"
    rows = result["rows"]
    assert [r["ranks"] for r in rows] == [1, 2, 4]
    assert [r["wall_s"] for r in rows] == pytest.approx([9.0, 5.0, 3.0])
    assert [r["speedup"] for r in rows] == pytest.approx([1.0, 1.8, 3.0])
    assert [r["ideal_speedup"] for r in rows] == pytest.approx([1.0, 2.0, 4.0])
    assert [r["efficiency"] for r in rows] == pytest.approx([1.0, 0.9, 0.75])
    assert [r["load_imbalance"] for r in rows] == pytest.approx([1.0, 4.4 / 4.2, 2.4 / 2.0])
    assert [r["io_share"] for r in rows] == pytest.approx([0.5 / 8.5, 0.6 / 9.6, 0.8 / 11.2])
    assert "strong scaling" in out and "90.0%" in out and "75.0%" in out


def test_wall_from_the_span_of_the_work_items(tmp_path, make, capsys):
    result, _ = analysed(tmp_path, capsys, strong_sweep(tmp_path, make), "--wall", "items")
    rows = result["rows"]
    assert [r["wall_s"] for r in rows] == pytest.approx([8.0, 4.0, 2.5])
    assert [r["efficiency"] for r in rows] == pytest.approx([1.0, 1.0, 0.8])
    assert {r["wall_source"] for r in rows} == {"items"}


def test_missing_optional_columns_fall_back(tmp_path, make, capsys):
    # Without total_s the items give the wall; without io_s and wait_s the I/O share is 0.
    files = strong_sweep(tmp_path, make, total_s=True, io_s=True, wait_s=True)
    result, _ = analysed(tmp_path, capsys, files)
    rows = result["rows"]
    assert [r["wall_s"] for r in rows] == pytest.approx([8.0, 4.0, 2.5])
    assert [r["io_share"] for r in rows] == pytest.approx([0.0, 0.0, 0.0])
    # Without items either, the busiest rank's compute + io + wait is all there is.
    files = strong_sweep(tmp_path, make, total_s=True, items=True)
    result, _ = analysed(tmp_path, capsys, files)
    assert [r["wall_s"] for r in result["rows"]] == pytest.approx([8.5, 4.8, 2.8])


def test_weak_sweep_is_recognised_and_uses_scaled_speedup(tmp_path, make, capsys):
    shapes = {1: (1, 64, 64), 2: (1, 64, 128), 4: (1, 128, 128)}  # 4096 pixels per rank
    walls = {1: 10.0, 2: 10.5, 4: 12.5}
    files = [make.h5_timing(tmp_path / f"weak_{n}.h5", shapes[n], n, compute_s=[walls[n] - 1] * n,
                            io_s=[0.5] * n, wait_s=[0.5] * n, total_s=[walls[n]] * n) for n in (1, 2, 4)]
    result, out = analysed(tmp_path, capsys, files)
    assert result["mode"] == "weak"
    rows = result["rows"]
    assert [r["pixels_per_rank"] for r in rows] == [4096, 4096, 4096]
    assert [r["efficiency"] for r in rows] == pytest.approx([1.0, 10 / 10.5, 0.8])
    assert [r["speedup"] for r in rows] == pytest.approx([1.0, 2 * 10 / 10.5, 3.2])
    assert [r["load_imbalance"] for r in rows] == pytest.approx([1.0, 1.0, 1.0])
    assert "weak scaling" in out


def test_threads_count_as_cores(tmp_path, make, capsys):
    one = make.h5_timing(tmp_path / "t1.h5", (1, 32, 32), 1, compute_s=[4.0], io_s=[0], wait_s=[0], total_s=[4.0])
    four = make.h5_timing(tmp_path / "t4.h5", (1, 32, 32), 1, compute_s=[1.25], io_s=[0], wait_s=[0],
                          total_s=[1.25], threads=4)
    result, _ = analysed(tmp_path, capsys, [four, one])
    r1, r4 = result["rows"]
    assert (r1["cores"], r4["cores"], r4["threads"]) == (1, 4, 4)
    assert r4["ideal_speedup"] == pytest.approx(4.0)
    assert r4["speedup"] == pytest.approx(3.2) and r4["efficiency"] == pytest.approx(0.8)


def test_sweep_of_no_kind_needs_mode(tmp_path, make, capsys):
    a = make.h5_timing(tmp_path / "a.h5", (1, 32, 32), 1, compute_s=[1], io_s=[0], wait_s=[0], total_s=[1])
    b = make.h5_timing(tmp_path / "b.h5", (1, 32, 48), 2, compute_s=[1, 1], io_s=[0, 0], wait_s=[0, 0],
                       total_s=[1, 1])
    status, _, err = rows_of(capsys, a, b, "--no-plots")
    assert status == 2 and "--mode" in err and err.count("\n") == 1
    status, out, _ = rows_of(capsys, a, b, "--no-plots", "--mode", "strong")
    assert status == 0 and "strong scaling" in out


def test_file_without_timing_is_exit_2_naming_it(tmp_path, make, capsys):
    good = strong_sweep(tmp_path, make)[0]
    bare = make.h5_images(tmp_path / "bare.h5", [[[0.0]]])
    status, _, err = rows_of(capsys, good, bare, "--no-plots")
    assert status == 2 and "bare.h5" in err and "per_rank" in err


def test_markdown_table(tmp_path, make, capsys):
    status, out, _ = rows_of(capsys, *strong_sweep(tmp_path, make), "--markdown", "--no-plots")
    assert status == 0
    lines = out.strip().splitlines()
    assert len(lines) == 2 + 3
    assert lines[0].startswith("| ranks | threads |") and "efficiency" in lines[0]
    assert set(lines[1]) <= set("|-:")
    assert lines[3].startswith("| 2 | 1 | 2 |") and "| 90.0% |" in lines[3]


def test_plots_of_speedup_and_efficiency(tmp_path, make, capsys):
    files = strong_sweep(tmp_path, make)
    status, out, _ = rows_of(capsys, *files, "--out-dir", tmp_path / "plots", "--prefix", "sweep")
    assert status == 0
    for name in ("sweep_speedup.png", "sweep_efficiency.png"):
        assert (tmp_path / "plots" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert name in out


def gpu_run(tmp_path, make, name, devices, total_s, images=8):
    """A run whose ranks are GPU ranks on the given devices (ranks may share one)."""
    n = len(devices)
    return make.h5_timing(tmp_path / name, (images, 32, 32), n, compute_s=[total_s - 0.5] * n, io_s=[0.25] * n,
                          wait_s=[0.25] * n, total_s=[total_s] * n, backends=["cuda"] * n, devices=devices)


def test_gpu_sweep_counts_gpus_not_cores(tmp_path, make, capsys):
    one = gpu_run(tmp_path, make, "g1.h5", ["H200 (GPU 0)"] * 4, 8.0)  # four ranks share one GPU
    two = gpu_run(tmp_path, make, "g2.h5", ["H200 (GPU 0)", "H200 (GPU 1)"] * 2, 4.5)
    result, out = analysed(tmp_path, capsys, [one, two])
    r1, r2 = result["rows"]
    assert (r1["gpus"], r2["gpus"]) == (1, 2)
    assert r2["ideal_speedup"] == pytest.approx(2.0)
    assert r2["efficiency"] == pytest.approx(8.0 / 4.5 / 2)
    assert r1["images_per_s"] == pytest.approx(1.0)
    assert "base: 1 GPU(s)" in out and "images/s" in out
    status, md, _ = rows_of(capsys, one, two, "--no-plots", "--markdown")
    assert status == 0 and md.splitlines()[0].startswith("| ranks | threads | cores | GPUs |")


def test_sweep_mixing_gpu_and_cpu_runs_is_refused(tmp_path, make, capsys):
    gpu = gpu_run(tmp_path, make, "g.h5", ["H200 (GPU 0)"], 2.0)
    cpu = make.h5_timing(tmp_path / "c.h5", (8, 32, 32), 2, compute_s=[1, 1], io_s=[0, 0], wait_s=[0, 0],
                         total_s=[1.5, 1.5], backends=["cpu", "cpu"], devices=["2 OpenMP threads"] * 2)
    status, _, err = rows_of(capsys, gpu, cpu, "--no-plots")
    assert status == 2 and "mix" in err
