#!/usr/bin/python3
"""Whole-process timing of tilebragg against a reference nanoBragg binary.

Usage: bench/compare.py [TILEBRAGG_BIN] [--runs N] [--quick]
  TILEBRAGG_BIN   default: build/bin/tilebragg under the repository root
  NB_REF_BIN      environment: the reference binary; without it tilebragg is timed alone
  NB_INPUTS       environment: folder with P1.hkl and A.mat (default ../shared/golden/inputs)

Runs every case as a user would (same arguments, files written to a scratch folder),
one warm-up run of each program, then N timed runs that alternate between the programs
so that a change in machine load hits all of them alike. Writes the medians, the
ratios (reference / tilebragg) and the peak resident memory (/usr/bin/time %M) to
bench/results.json and to the table between the markers in docs/performance.md.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARK_BEGIN = "<!-- compare.py: begin -->"
MARK_END = "<!-- compare.py: end -->"

B1 = ("-default_F 100 -cell 100 100 100 90 90 90 -lambda 6.2 -N 5 -distance 100 -detpixels {n} "
      "-floatfile out.bin -nonoise -nopgm")
B2 = ("-hkl P1.hkl -matrix A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 1024 -mosaic 0.2 "
      "-mosaic_dom 10 -mosaic_seed 7 -oversample 2 -phisteps 2 -osc 0.1 -floatfile out.bin -nonoise -nopgm")


def cases(quick):
    sizes = [256, 1024, 4096] if quick else [256, 512, 1024, 2048, 4096]
    out = [("B1-%d" % n, B1.format(n=n).split(), n * n) for n in sizes]
    out.append(("B2", B2.split(), 1024 * 1024))
    return out


def run_once(cmd, workdir):
    """Wall seconds and peak RSS (KiB) of one run; raises on a failed run."""
    mem_file = os.path.join(workdir, "peak_kib.txt")
    full = ["/usr/bin/time", "-f", "%M", "-o", mem_file] + cmd
    start = time.perf_counter()
    r = subprocess.run(full, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.strip()[-400:]))
    with open(mem_file) as f:
        peak = int(f.read().strip().splitlines()[-1])
    return wall, peak


def git_revision():
    try:
        r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        rev = r.stdout.strip() or "uncommitted"
        d = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
        return rev + ("+changes" if d.stdout.strip() else "")
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def measure(args):
    inputs = os.environ.get("NB_INPUTS", os.path.join(ROOT, "..", "shared", "golden", "inputs"))
    ref = os.environ.get("NB_REF_BIN")
    programs = [("tilebragg float", [args.tilebragg]), ("tilebragg double", [args.tilebragg, "-precision", "double"])]
    if ref:
        programs.append(("reference", [ref]))
    results = []
    scratch = tempfile.mkdtemp(prefix="tb-compare-")
    try:
        for case, case_args, pixels in cases(args.quick):
            # A fresh folder per case: without -hkl both programs read an Fdump.bin cache
            # from the working folder, which an earlier -hkl case would have left there.
            # And a fresh folder per run: a run that overwrites the previous run's output
            # would also time the release of those files' pages (tens of ms for B1-4096).
            serial = [0]

            def fresh_dir():
                serial[0] += 1
                d = os.path.join(scratch, "%s-%d" % (case, serial[0]))
                os.mkdir(d)
                if "-hkl" in case_args:
                    for name in ("P1.hkl", "A.mat"):
                        shutil.copy(os.path.join(inputs, name), d)
                return d

            def timed(prog):
                d = fresh_dir()
                try:
                    return run_once(prog + case_args, d)
                finally:
                    shutil.rmtree(d, ignore_errors=True)

            times = {p: [] for p, _ in programs}
            peaks = {p: [] for p, _ in programs}
            for p, prog in programs:  # warm-up: page cache, input files, libraries
                timed(prog)
            for _ in range(args.runs):
                for p, prog in programs:
                    wall, peak = timed(prog)
                    times[p].append(wall)
                    peaks[p].append(peak)
            row = {"case": case, "pixels": pixels, "runs": args.runs, "programs": {}}
            for p, _ in programs:
                row["programs"][p] = {"median_s": statistics.median(times[p]), "times_s": times[p],
                                      "peak_kib": max(peaks[p])}
            if ref:
                ref_median = row["programs"]["reference"]["median_s"]
                for p in ("tilebragg float", "tilebragg double"):
                    row["programs"][p]["speedup"] = ref_median / row["programs"][p]["median_s"]
            results.append(row)
            print(summary_line(row), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "date_utc": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
        "host": {"cpu": cpu_model(), "cores": os.cpu_count(),
                 "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "(unset)"),
                 "load_average_at_end": os.getloadavg()},
        "tilebragg": {"binary": args.tilebragg, "revision": git_revision()},
        "reference": ref or None,
        "results": results,
    }


def summary_line(row):
    parts = [row["case"]]
    for p, v in row["programs"].items():
        s = "%s %.3f s" % (p, v["median_s"])
        if "speedup" in v:
            s += " (x%.1f)" % v["speedup"]
        parts.append(s)
    return " | ".join(parts)


def markdown(report):
    ref = report["reference"] is not None
    lines = ["Measured %s on %s (%d cores, OMP_NUM_THREADS %s), tilebragg %s, %d runs each, medians."
             % (report["date_utc"], report["host"]["cpu"], report["host"]["cores"],
                report["host"]["omp_num_threads"], report["tilebragg"]["revision"], report["results"][0]["runs"]),
             "Load average at the end: %.1f / %.1f / %.1f." % tuple(report["host"]["load_average_at_end"]),
             ""]
    if ref:
        lines.append("Reference: `%s`." % report["reference"])
        lines.append("")
        lines.append("| case | pixels | reference s | float s | float speed-up | double s | double speed-up "
                     "| float peak MiB | reference peak MiB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    else:
        lines.append("| case | pixels | float s | double s | float peak MiB |")
        lines.append("|---|---:|---:|---:|---:|")
    for row in report["results"]:
        f = row["programs"]["tilebragg float"]
        d = row["programs"]["tilebragg double"]
        if ref:
            r = row["programs"]["reference"]
            lines.append("| %s | %d | %.3f | %.3f | %.1fx | %.3f | %.1fx | %.1f | %.1f |" % (
                row["case"], row["pixels"], r["median_s"], f["median_s"], f["speedup"], d["median_s"],
                d["speedup"], f["peak_kib"] / 1024, r["peak_kib"] / 1024))
        else:
            lines.append("| %s | %d | %.3f | %.3f | %.1f |" % (
                row["case"], row["pixels"], f["median_s"], d["median_s"], f["peak_kib"] / 1024))
    big = [r for r in report["results"] if r["case"] == "B1-4096"]
    if big:
        peak = big[0]["programs"]["tilebragg float"]["peak_kib"] / 1024
        limit = 4096 * 4096 * 4 / 2**20 + 32
        lines.append("")
        lines.append("Peak memory on B1-4096 (float): %.1f MiB; goal: float image + 32 MiB = %.0f MiB (%s)."
                     % (peak, limit, "met" if peak <= limit else "not met"))
    return "\n".join(lines) + "\n"


def write_markdown(table, path):
    text = open(path).read() if os.path.exists(path) else "# Performance\n\n%s\n%s\n" % (MARK_BEGIN, MARK_END)
    if MARK_BEGIN not in text or MARK_END not in text:
        text += "\n%s\n%s\n" % (MARK_BEGIN, MARK_END)
    head, rest = text.split(MARK_BEGIN, 1)
    _, tail = rest.split(MARK_END, 1)
    with open(path, "w") as f:
        f.write(head + MARK_BEGIN + "\n" + table + MARK_END + tail)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tilebragg", nargs="?", default=os.path.join(ROOT, "build", "bin", "tilebragg"))
    ap.add_argument("--runs", type=int, default=5, help="timed runs per program and case (default 5)")
    ap.add_argument("--quick", action="store_true", help="B1 at 256, 1024, 4096 only")
    ap.add_argument("--json", default=os.path.join(ROOT, "bench", "results.json"))
    ap.add_argument("--markdown", default=os.path.join(ROOT, "docs", "performance.md"))
    args = ap.parse_args()
    args.tilebragg = os.path.abspath(args.tilebragg)
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    if not os.access(args.tilebragg, os.X_OK):
        sys.exit("not an executable: %s" % args.tilebragg)
    report = measure(args)
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)
    write_markdown(markdown(report), args.markdown)
    print("wrote %s and %s" % (args.json, args.markdown))


if __name__ == "__main__":
    main()
