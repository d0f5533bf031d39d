#!/usr/bin/python3
"""Do two tilebragg builds write the same files? Byte for byte, on every golden case.

Usage: same_images.py OLD_EXE NEW_EXE [--golden DIR] [--precision float double]
                      [--env NAME=VALUE ...] [--cases NAME ...]

Runs both programs on every case of the golden set (DIR/cases/manifest.json, default
../shared/golden next to the repository, or TILEBRAGG_GOLDEN_DIR) in each precision,
each run in a fresh empty folder, and compares the float image, the int (SMV) image and
the noise image byte for byte, and stdout. Prints one line per case and precision and a
summary; exit status 1 if any file differs. For checking that a change to the kernel,
the build or the driver leaves every image as it was.
"""
import argparse
import filecmp
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

OUTPUTS = ["float.bin", "int.img", "noise.img"]


def run(exe, args, folder, env):
    cmd = [exe] + args + ["-floatfile", "float.bin", "-intfile", "int.img", "-noisefile", "noise.img", "-nopgm",
                          "-noprogress", "-seed", "7"]
    p = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise RuntimeError(f"{exe} failed ({p.returncode}): {p.stderr.strip()}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    default_golden = os.environ.get("TILEBRAGG_GOLDEN_DIR") or str(Path(__file__).resolve().parents[1] / ".." /
                                                                   "shared" / "golden")
    ap.add_argument("--golden", default=default_golden)
    ap.add_argument("--precision", nargs="+", default=["float", "double"])
    ap.add_argument("--env", nargs="*", default=[], help="NAME=VALUE for both programs")
    ap.add_argument("--cases", nargs="*", default=None)
    a = ap.parse_args()
    a.old, a.new = os.path.abspath(a.old), os.path.abspath(a.new)

    golden = Path(a.golden)
    manifest = json.loads((golden / "cases" / "manifest.json").read_text())
    placeholder = "@inputs"
    env = dict(os.environ)
    env.update(kv.split("=", 1) for kv in a.env)
    differ = same = 0
    for case in manifest["cases"]:
        if a.cases and case["name"] not in a.cases:
            continue
        args = shlex.split(case["args"].replace(placeholder, str(golden / "inputs")))
        for precision in a.precision:
            with tempfile.TemporaryDirectory() as d_old, tempfile.TemporaryDirectory() as d_new:
                full = args + ["-precision", precision]
                out_old, out_new = run(a.old, full, d_old, env), run(a.new, full, d_new, env)
                bad = [f for f in OUTPUTS if not filecmp.cmp(Path(d_old) / f, Path(d_new) / f, shallow=False)]
                if out_old != out_new:
                    bad.append("stdout")
                size = (Path(d_new) / "float.bin").stat().st_size
            status = "same" if not bad else "DIFFER: " + ", ".join(bad)
            print(f"{case['name']:<20} {precision:<6} {size:>9} bytes of floats  {status}", flush=True)
            differ += bool(bad)
            same += not bad
    print(f"{same} same, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
