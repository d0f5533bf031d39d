#!/usr/bin/python3
"""Whole-process timing of tilebragg against a reference nanoBragg binary.

Usage: bench/compare.py [TILEBRAGG_BIN] [--runs N] [--quick]
  TILEBRAGG_BIN   default: build/bin/tilebragg under the repository root
  NB_REF_BIN      environment: the reference binary; without it tilebragg is timed alone
  NB_INPUTS       environment: folder with P1.hkl and A.mat (default ../shared/golden/inputs)

Runs every case as a user would (same arguments, files written to a fresh scratch
folder per run), one warm-up run of each program, then N timed runs that alternate
between the programs so that a change in machine load hits all of them alike. Each run
is timed from fork to exit; its CPU time (user + system) and minor page faults come from
the kernel's account of the child (wait4); peak resident memory from one more run of
each under /usr/bin/time. Writes the medians,
the ratios (reference / tilebragg) to bench/results.json and to the table between the
markers in docs/performance.md.

Cases: S8 (B1 at 8 x 8: start-up), B1 at 256 ... 4096, B2, and H8 / M8, an 8 x 8 image
with the structure factors of P1.hkl / with -default_F instead: their difference is what
reading the 1.7 MB HKL file (and writing its Fdump cache) costs each program.
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
H8 = "-hkl P1.hkl -matrix A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 8 -floatfile out.bin -nonoise -nopgm"
M8 = "-default_F 100 -matrix A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 8 -floatfile out.bin -nonoise -nopgm"


def cases(quick):
    sizes = [256, 1024, 4096] if quick else [256, 512, 1024, 2048, 4096]
    out = [("S8", B1.format(n=8).split(), 64)]
    out += [("B1-%d" % n, B1.format(n=n).split(), n * n) for n in sizes]
    out.append(("B2", B2.split(), 1024 * 1024))
    out.append(("H8", H8.split(), 64))
    out.append(("M8", M8.split(), 64))
    return out


def run_once(cmd, workdir):
    """Wall seconds, CPU seconds and minor page faults of one run; raises on a failed run."""
    with open(os.path.join(workdir, "stderr.txt"), "w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), code, err.read().strip()[-400:]))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "faults": usage.ru_minflt}


def peak_kib(cmd, workdir):
    """Peak resident memory (KiB) of one run, measured by /usr/bin/time in a run of its own:
    the kernel's maximum for a child forked from this Python process starts at Python's
    own size, and the extra process would lengthen the timed runs."""
    mem_file = os.path.join(workdir, "peak_kib.txt")
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", mem_file] + cmd, cwd=workdir, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    with open(mem_file) as f:
        return int(f.read().strip().splitlines()[-1])


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
                for flag, name in (("-hkl", "P1.hkl"), ("-matrix", "A.mat")):
                    if flag in case_args:
                        shutil.copy(os.path.join(inputs, name), d)
                return d

            def timed(prog, measure=run_once):
                d = fresh_dir()
                try:
                    return measure(prog + case_args, d)
                finally:
                    shutil.rmtree(d, ignore_errors=True)

            runs = {p: [] for p, _ in programs}
            for p, prog in programs:  # warm-up: page cache, input files, libraries
                timed(prog)
            for _ in range(args.runs):
                for p, prog in programs:
                    runs[p].append(timed(prog))
            row = {"case": case, "pixels": pixels, "runs": args.runs, "programs": {}}
            for p, _ in programs:
                times = [r["wall"] for r in runs[p]]
                row["programs"][p] = {"median_s": statistics.median(times), "times_s": times,
                                      "median_cpu_s": statistics.median(r["cpu"] for r in runs[p]),
                                      "median_faults": statistics.median(r["faults"] for r in runs[p]),
                                      "peak_kib": timed(dict(programs)[p], peak_kib)}
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
                 "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
                 "load_average_at_end": os.getloadavg()},
        "tilebragg": {"binary": args.tilebragg, "revision": git_revision()},
        "reference": ref or None,
        "results": results,
    }


def summary_line(row):
    parts = [row["case"]]
    for p, v in row["programs"].items():
        s = "%s %.4f s (CPU %.4f)" % (p, v["median_s"], v["median_cpu_s"])
        if "speedup" in v:
            s += " (x%.1f)" % v["speedup"]
        parts.append(s)
    return " | ".join(parts)


# Goals of issue 13 (whole process, this machine): case -> least speed-up over the reference.
GOALS = {"S8": 1.0, "B1-256": 1.5, "B1-4096": 10.0, "B2": 30.0}
GOAL_READING = 4.0     # reading P1.hkl (H8 - M8)
GOAL_PEAK_MIB = 79.0   # B1-4096 float, peak resident memory


def reading_costs(report):
    """Per program, what reading P1.hkl adds: median H8 minus median M8 (wall, CPU)."""
    rows = {r["case"]: r["programs"] for r in report["results"]}
    if "H8" not in rows or "M8" not in rows:
        return {}
    return {p: (rows["H8"][p]["median_s"] - rows["M8"][p]["median_s"],
                rows["H8"][p]["median_cpu_s"] - rows["M8"][p]["median_cpu_s"]) for p in rows["H8"]}


def markdown(report):
    ref = report["reference"] is not None
    lines = ["Measured %s on %s (%d cores, OMP_NUM_THREADS %s, OMP_WAIT_POLICY %s), tilebragg %s, %d runs each, "
             "medians." % (report["date_utc"], report["host"]["cpu"], report["host"]["cores"],
                          report["host"]["omp_num_threads"], report["host"].get("omp_wait_policy", "(unset)"),
                          report["tilebragg"]["revision"], report["results"][0]["runs"]),
             "Load average at the end: %.1f / %.1f / %.1f." % tuple(report["host"]["load_average_at_end"]),
             "Times are wall seconds from fork to exit; CPU is user + system of the process; faults are minor page "
             "faults.",
             ""]
    if ref:
        lines.append("Reference: `%s`." % report["reference"])
        lines.append("")
        lines.append("| case | pixels | reference s | float s | float speed-up | double s | double speed-up "
                     "| reference CPU s | float CPU s | reference faults | float faults "
                     "| reference peak MiB | float peak MiB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    else:
        lines.append("| case | pixels | float s | double s | float CPU s | float faults | float peak MiB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for row in report["results"]:
        f = row["programs"]["tilebragg float"]
        d = row["programs"]["tilebragg double"]
        if ref:
            r = row["programs"]["reference"]
            lines.append("| %s | %d | %.4f | %.4f | %.1fx | %.4f | %.1fx | %.4f | %.4f | %d | %d | %.1f | %.1f |" % (
                row["case"], row["pixels"], r["median_s"], f["median_s"], f["speedup"], d["median_s"],
                d["speedup"], r["median_cpu_s"], f["median_cpu_s"], r["median_faults"], f["median_faults"],
                r["peak_kib"] / 1024, f["peak_kib"] / 1024))
        else:
            lines.append("| %s | %d | %.4f | %.4f | %.4f | %d | %.1f |" % (
                row["case"], row["pixels"], f["median_s"], d["median_s"], f["median_cpu_s"], f["median_faults"],
                f["peak_kib"] / 1024))
    reading = reading_costs(report)
    if reading:
        lines.append("")
        parts = ["%s %.1f ms (CPU %.1f ms)" % (p, w * 1e3, c * 1e3) for p, (w, c) in reading.items()]
        line = "Reading P1.hkl (H8 - M8): " + ", ".join(parts)
        if ref and reading["tilebragg float"][0] > 0:
            line += "; %.1fx faster than the reference (goal %.0fx)" % (
                reading["reference"][0] / reading["tilebragg float"][0], GOAL_READING)
        lines.append(line + ".")
    if ref:
        met = []
        for row in report["results"]:
            if row["case"] in GOALS:
                x = row["programs"]["tilebragg float"]["speedup"]
                met.append("%s %.1fx (goal %gx: %s)" % (row["case"], x, GOALS[row["case"]],
                                                         "met" if x >= GOALS[row["case"]] else "not met"))
        if met:
            lines.append("")
            lines.append("Speed-up goals, float: " + "; ".join(met) + ".")
    big = [r for r in report["results"] if r["case"] == "B1-4096"]
    if big:
        peak = big[0]["programs"]["tilebragg float"]["peak_kib"] / 1024
        lines.append("")
        lines.append("Peak memory on B1-4096 (float): %.1f MiB; goal: at most %.0f MiB (%s)."
                     % (peak, GOAL_PEAK_MIB, "met" if peak <= GOAL_PEAK_MIB else "not met"))
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
