#!/usr/bin/python3
"""A scaling sweep beside the machine's capacity (slurm/capacity_sweep.sh).

usage: capacity.py SWEEP_JSON CAPACITY_DIR [--markdown]

SWEEP_JSON is the --json of analysis/scaling.py for a sweep (slurm/local_sweep.sh leaves
it as DIR/scaling.json); CAPACITY_DIR holds the files of capacity_sweep.sh for the same
mode, <mode>_c<R>[_k<i>]_p<j>.h5. For each rank count R:

  wall          the sweep's wall (its slowest rank's total_s)
  eff vs 1      strong: wall_1 / (R wall); weak: wall_1 / wall (as scaling.py)
  capacity      the slowest total_s of R independent single-rank processes, each with
                one rank's share of the problem (fastest of the repeats)
  eff vs cap    capacity / wall: how much of what R cores deliver without any
                decomposition the sweep reaches (1 = the decomposition costs nothing)
"""
import argparse
import glob
import json
import os
import re
import sys

import h5py

TOTAL = "entry/simulation/timing/per_rank/total_s"


def capacity_walls(folder, mode):
    """{R: slowest total_s of the R processes}, the fastest repeat of each R."""
    runs = {}
    for path in glob.glob(os.path.join(folder, f"{mode}_c*_p*.h5")):
        m = re.search(r"_c(\d+)(?:_k(\d+))?_p(\d+)\.h5$", path)
        if not m:
            continue
        with h5py.File(path, "r") as f:
            total = float(max(f[TOTAL][()]))
        key = (int(m.group(1)), int(m.group(2) or 1))
        runs[key] = max(runs.get(key, 0.0), total)
    walls = {}
    for (r, _), wall in runs.items():
        walls[r] = min(walls.get(r, wall), wall)
    return walls


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sweep_json")
    ap.add_argument("capacity_dir")
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    with open(a.sweep_json) as f:
        sweep = json.load(f)
    mode = sweep["mode"]
    rows = sorted(sweep["rows"], key=lambda r: r["ranks"])
    cap = capacity_walls(a.capacity_dir, mode)
    if not rows or not cap:
        print("capacity.py: nothing to compare", file=sys.stderr)
        return 2
    base = rows[0]
    head = ["ranks", "wall (s)", "eff vs 1 rank", "capacity (s)", "eff vs capacity"]
    lines = []
    for r in rows:
        n = r["ranks"] / base["ranks"]
        eff1 = base["wall_s"] / r["wall_s"] / (n if mode == "strong" else 1)
        c = cap.get(r["ranks"])
        lines.append([str(r["ranks"]), f"{r['wall_s']:.3f}", f"{100 * eff1:.1f}%",
                      f"{c:.3f}" if c else "-", f"{100 * c / r['wall_s']:.1f}%" if c else "-"])
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---:|" * len(head))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        print("  ".join(f"{h:>15}" for h in head))
        for line in lines:
            print("  ".join(f"{v:>15}" for v in line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
