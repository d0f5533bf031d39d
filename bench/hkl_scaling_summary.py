#!/usr/bin/python3
"""Efficiencies of a bench/hkl_scaling.sh folder, from the HDF5 timing tables.

usage: hkl_scaling_summary.py DIR

DIR holds one folder per run: s1 (1 rank, the whole image), sR_k (R ranks, repeat k),
is_k/<i> (R independent single-rank processes, each one strip of the image, side by
side), w1_k (1 rank, the weak problem: one strip's worth of rows), iw_k/<i> (R
independent processes, each the weak problem); DIR/dF the same with -default_F.
Wall is a run's longest total_s; a group of independent processes is done when its
slowest is. Repeats: the median wall of each group.

  strong vs 1 rank        T(s1) / (R T(sR))
  strong vs independent   T(is) / T(sR)      (R processes on R cores, the same image)
  weak vs 1 rank          T(w1) / T(sR)      (sR is R times the weak problem)
  weak vs independent     T(iw) / T(sR)

and two figures that say where the difference from one rank went:

  compute, R ranks / 1 rank    C(sR) / C(s1), summed compute: above 1 when the cores
                               run slower with all of them busy (or work is repeated)
  after rendering, R ranks     T(sR) - C(sR) / R: what is not rendering (waiting for the
                               slowest rank, the owner's part, writing)
"""
import glob
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analysis"))
from scaling import Run  # noqa: E402


def runs(pattern):
    """Per repeat folder: (wall, summed compute) of a run or of a group of processes."""
    out = []
    for folder in sorted(glob.glob(pattern)):
        files = sorted(glob.glob(os.path.join(folder, "out.h5")) + glob.glob(os.path.join(folder, "*", "out.h5")))
        if not files:
            continue
        parts = [Run(f) for f in files]
        out.append((max(r.wall for r in parts), sum(float(r.compute.sum()) for r in parts)))
    return out


def median_wall(pattern):
    r = runs(pattern)
    return statistics.median(w for w, _ in r) if r else None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for d, label in ((sys.argv[1], "structure factors"), (os.path.join(sys.argv[1], "dF"), "-default_F")):
        counts = [os.path.basename(p)[1:].split("_")[0] for p in glob.glob(os.path.join(d, "s*_*"))]
        if not counts:
            continue
        R = max(int(c) for c in counts if c.isdigit())
        t1, tR = median_wall(os.path.join(d, "s1")), median_wall(os.path.join(d, f"s{R}_*"))
        if t1 is None or tR is None:
            continue
        print(f"{label}: 1 rank {t1:.3f} s, {R} ranks {tR:.3f} s (median of {len(runs(os.path.join(d, f's{R}_*')))})")
        print(f"  {'strong vs 1 rank':28s} {100 * t1 / (R * tR):6.1f} %")
        one, many = runs(os.path.join(d, "s1")), runs(os.path.join(d, f"s{R}_*"))
        c1 = statistics.median(c for _, c in one)
        print(f"  {f'compute, {R} ranks / 1 rank':28s} {statistics.median(c for _, c in many) / c1:6.2f}")
        after = statistics.median(w - c / R for w, c in many)
        print(f"  {f'after rendering, {R} ranks':28s} {after:6.3f} s")
        for name, other in (("strong vs independent", "is_*"), ("weak vs 1 rank", "w1_*"),
                            ("weak vs independent", "iw_*")):
            t = median_wall(os.path.join(d, other))
            if t is not None:
                print(f"  {name:28s} {100 * t / tR:6.1f} %")
        for pattern in ("s1", f"s{R}_*", "is_*", "w1_*", "iw_*"):
            for wall, compute in runs(os.path.join(d, pattern)):
                print(f"    {pattern:8s} wall {wall:7.3f} s  compute summed {compute:7.3f} s")

if __name__ == "__main__":
    main()
