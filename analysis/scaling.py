#!/usr/bin/python3
"""Scaling table and plots of a sweep of tilebragg runs, from the timing in their HDF5 files.

usage: scaling.py FILES.h5... [--mode auto|strong|weak] [--wall total|items]
                  [--out-dir DIR] [--prefix NAME] [--no-plots] [--markdown] [--json OUT]

Each file is one run of the sweep (-h5file). Its /entry/simulation/timing tables give,
per rank, the threads, pixels and the seconds spent computing, on I/O and waiting, and
per work item when it started and ended. From them, for every run:

  cores       ranks x threads (summed over the ranks): the unit that speedup counts
  GPUs        for runs with GPU ranks (the per_rank backend column says "cuda"): the
              different GPUs they used (host and device); these runs count GPUs instead
              of cores, and a sweep may not mix runs with and without GPUs
  images/s    images rendered by the run (images - images_resumed) per second of wall
  wall        the longest total_s of any rank (common start to end of the gather);
              --wall items takes the span of the work items instead (first start to
              last end), which leaves out the final writes and the gather
  speedup     strong: wall_base / wall          ideal: cores / cores_base
              weak:   cores/cores_base * wall_base / wall (scaled speedup), same ideal
  efficiency  speedup / ideal (weak: wall_base / wall)
  imbalance   max / mean compute time over the ranks (1 = perfectly even)
  I/O share   sum of io / sum of (compute + io + wait) over the ranks

The base is the run with the fewest cores. A sweep is strong when every run computes the
same number of pixels and weak when the pixels per core, GPU or rank stay the same;
--mode says so when the files cannot. Plots: PREFIX_speedup.png and PREFIX_efficiency.png
in --out-dir. Exit status 2 for a file without the timing tables or a sweep of no kind.
"""
import argparse
import json
import os
import sys

import numpy as np

TIMING = "entry/simulation/timing"
SIMULATION = "entry/simulation"
EXIT_BAD_INPUT = 2


class SweepError(Exception):
    """A file or a sweep that cannot be analysed; the message is one line."""


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def column(group, name):
    """A 1-D column of a timing table as a numpy array, or None when it is not there."""
    return np.asarray(group[name][()]) if group is not None and name in group else None


class Run:
    """The timing of one file, reduced to what the scaling table needs."""

    def __init__(self, path, wall_from="total"):
        import h5py

        self.path = path
        try:
            f = h5py.File(path, "r")
        except OSError as err:
            raise SweepError(f"{path}: not a readable HDF5 file ({err})") from None
        with f:
            if TIMING + "/per_rank" not in f:
                complete = f[SIMULATION].attrs.get("complete", None) if SIMULATION in f else None
                why = " (file incomplete: complete = 0)" if complete == 0 else ""
                raise SweepError(f"{path}: no /{TIMING}/per_rank table{why}")
            sim = f[SIMULATION].attrs
            per_rank = f[TIMING + "/per_rank"]
            per_item = f[TIMING + "/per_item"] if TIMING + "/per_item" in f else None
            self.complete = int(sim.get("complete", 1))
            compute = column(per_rank, "compute_s")
            if compute is None or compute.size == 0:
                raise SweepError(f"{path}: /{TIMING}/per_rank has no compute_s")
            n = compute.size
            self.ranks = int(sim.get("ranks", n))
            zeros = np.zeros(n)
            self.compute = compute.astype(float)
            self.io = column(per_rank, "io_s").astype(float) if "io_s" in per_rank else zeros
            self.wait = column(per_rank, "wait_s").astype(float) if "wait_s" in per_rank else zeros
            total = column(per_rank, "total_s")
            threads = column(per_rank, "threads")
            # A table without threads is taken as one thread per rank.
            self.threads_per_rank = threads.astype(int) if threads is not None else np.ones(n, dtype=int)
            hosts = column(per_rank, "host")
            self.hosts = sorted({text(h) for h in hosts}) if hosts is not None else []
            # GPU ranks, and the different GPUs they used (ranks may share one).
            backend, device = column(per_rank, "backend"), column(per_rank, "device")
            self.backends = [text(b) for b in backend] if backend is not None else ["cpu"] * n
            host_of = [text(h) for h in hosts] if hosts is not None else [""] * n
            device_of = [text(d) for d in device] if device is not None else [""] * n
            self.gpus = len({(host_of[i], device_of[i]) for i in range(n) if self.backends[i] == "cuda"})
            self.images = int(sim.get("images", 1)) - int(sim.get("images_resumed", 0))
            pixels = column(per_rank, "pixels")
            self.image_shape = tuple(int(x) for x in f["entry/data/data"].shape) \
                if "entry/data/data" in f else None
            if pixels is not None:
                self.pixels = int(pixels.sum())
            elif self.image_shape is not None:
                self.pixels = int(np.prod(self.image_shape))
            else:
                self.pixels = int(sim.get("fpixels", 0)) * int(sim.get("spixels", 0)) * int(sim.get("images", 1))
            if self.pixels <= 0:
                raise SweepError(f"{path}: cannot tell how many pixels the run computed")
            self.items_span = None
            starts, ends = column(per_item, "t_start"), column(per_item, "t_end")
            if starts is not None and ends is not None and starts.size:
                self.items_span = float(ends.max() - starts.min())
            self.total_max = float(total.max()) if total is not None and total.size else None
        self.wall = self.pick_wall(wall_from)

    def pick_wall(self, wall_from):
        order = ["total", "items"] if wall_from == "total" else ["items", "total"]
        for source in order:
            value = self.total_max if source == "total" else self.items_span
            if value is not None and value > 0:
                self.wall_source = source
                return value
        # Neither table has it: the busiest rank's own sum is the best remaining guess.
        self.wall_source = "rank sums"
        value = float((self.compute + self.io + self.wait).max())
        if value <= 0:
            raise SweepError(f"{self.path}: no positive wall time in the timing tables")
        return value

    @property
    def cores(self):
        return int(self.threads_per_rank.sum())

    @property
    def units(self):
        """What speedup counts: GPUs for runs with GPU ranks, else cores."""
        return self.gpus if self.gpus > 0 else self.cores

    @property
    def threads(self):
        """Threads per rank; a string when the ranks differ."""
        distinct = sorted(set(int(t) for t in self.threads_per_rank))
        return distinct[0] if len(distinct) == 1 else "/".join(str(t) for t in distinct)

    @property
    def imbalance(self):
        mean = float(self.compute.mean())
        return float(self.compute.max()) / mean if mean > 0 else float("nan")

    @property
    def io_share(self):
        busy = float((self.compute + self.io + self.wait).sum())
        return float(self.io.sum()) / busy if busy > 0 else float("nan")


def same(values, rel=1e-6):
    values = [float(v) for v in values]
    return max(values) - min(values) <= rel * max(abs(v) for v in values)


def check_units(runs):
    """A sweep counts cores or GPUs, not both."""
    if len({r.gpus > 0 for r in runs}) > 1:
        raise SweepError("the files mix runs with GPU ranks and runs without: a sweep counts cores or GPUs")


def detect_mode(runs):
    """'strong' when every run computes the same pixels, 'weak' when pixels per core
    (GPU, or rank) are constant; ambiguous sweeps are refused."""
    if same([r.pixels for r in runs]):
        return "strong"
    if same([r.pixels / r.units for r in runs]) or same([r.pixels / r.ranks for r in runs]):
        return "weak"
    raise SweepError("the files are neither a strong sweep (same pixels) nor a weak one "
                     "(same pixels per core); give --mode strong or --mode weak")


def analyse(runs, mode):
    """Rows of the table, fewest cores first; the first row is the base."""
    runs = sorted(runs, key=lambda r: (r.units, r.cores, r.ranks, r.path))
    base = runs[0]
    rows = []
    for r in runs:
        ideal = r.units / base.units
        ratio = base.wall / r.wall
        speedup = ratio if mode == "strong" else ideal * ratio
        rows.append({
            "file": r.path, "ranks": r.ranks, "threads": r.threads, "cores": r.cores, "gpus": r.gpus,
            "backends": sorted(set(r.backends)), "images": r.images, "images_per_s": r.images / r.wall,
            "pixels": r.pixels, "pixels_per_rank": r.pixels / r.ranks,
            "image_shape": list(r.image_shape) if r.image_shape else None,
            "hosts": r.hosts, "complete": r.complete,
            "wall_s": r.wall, "wall_source": r.wall_source,
            "items_span_s": r.items_span, "max_total_s": r.total_max,
            "speedup": speedup, "ideal_speedup": ideal, "efficiency": speedup / ideal,
            "load_imbalance": r.imbalance, "io_share": r.io_share,
            "compute_s_sum": float(r.compute.sum()), "io_s_sum": float(r.io.sum()),
            "wait_s_sum": float(r.wait.sum()),
        })
    return rows


HEADER = ["ranks", "threads", "cores", "pixels/rank", "wall (s)", "speedup", "ideal", "efficiency",
          "imbalance", "I/O share"]
# GPU sweeps: the GPUs after the cores, and the images per second at the end.
GPU_HEADER = HEADER[:3] + ["GPUs"] + HEADER[3:] + ["images/s"]


def gpu_sweep(rows):
    return any(r["gpus"] > 0 for r in rows)


def header(rows):
    return GPU_HEADER if gpu_sweep(rows) else HEADER


def cells(row, gpus=False):
    out = [str(row["ranks"]), str(row["threads"]), str(row["cores"]), f"{row['pixels_per_rank']:.0f}",
           f"{row['wall_s']:.3f}", f"{row['speedup']:.2f}", f"{row['ideal_speedup']:.2f}",
           f"{100 * row['efficiency']:.1f}%", f"{row['load_imbalance']:.3f}", f"{100 * row['io_share']:.1f}%"]
    if gpus:
        out = out[:3] + [str(row["gpus"])] + out[3:] + [f"{row['images_per_s']:.1f}"]
    return out


def table_text(rows, mode):
    gpus = gpu_sweep(rows)
    names = header(rows)
    body = [cells(r, gpus) for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(names)]
    base = f"{rows[0]['gpus']} GPU(s)" if gpus else f"{rows[0]['cores']} core(s)"
    lines = [f"{mode} scaling, base: {base}, wall from {rows[0]['wall_source']}",
             "  ".join(h.rjust(w) for h, w in zip(names, widths))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(b, widths)) for b in body]
    return "\n".join(lines)


def table_markdown(rows):
    gpus = gpu_sweep(rows)
    names = header(rows)
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---:" for _ in names) + "|"]
    lines += ["| " + " | ".join(cells(r, gpus)) + " |" for r in rows]
    return "\n".join(lines)


def plot(rows, mode, out_dir, prefix, title=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    os.makedirs(out_dir, exist_ok=True)
    gpus = gpu_sweep(rows)
    cores = np.array([r["gpus"] if gpus else r["cores"] for r in rows], dtype=float)
    unit = "GPUs" if gpus else "cores (ranks x threads)"
    ideal = np.array([r["ideal_speedup"] for r in rows])
    speedup = np.array([r["speedup"] for r in rows])
    efficiency = np.array([r["efficiency"] for r in rows])
    label = title or f"{mode} scaling"
    written = []

    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=110)
    ax.plot(cores, ideal, "--", color="grey", label="ideal")
    ax.plot(cores, speedup, "o-", color="tab:blue", label="measured")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xticks(cores, [f"{c:g}" for c in cores])
    ax.set_xlabel(unit)
    ax.set_ylabel("scaled speedup" if mode == "weak" else "speedup")
    ax.set_title(f"{label}: speedup", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    written.append(os.path.join(out_dir, f"{prefix}_speedup.png"))
    fig.savefig(written[-1])
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=110)
    ax.axhline(100, linestyle="--", color="grey", label="ideal")
    ax.plot(cores, 100 * efficiency, "o-", color="tab:orange", label="measured")
    ax.set_xscale("log", base=2)
    ax.set_xticks(cores, [f"{c:g}" for c in cores])
    ax.set_ylim(0, max(110, 100 * efficiency.max() + 5))
    ax.set_xlabel(unit)
    ax.set_ylabel("efficiency (%)")
    ax.set_title(f"{label}: efficiency", fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    written.append(os.path.join(out_dir, f"{prefix}_efficiency.png"))
    fig.savefig(written[-1])
    plt.close(fig)
    return written


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE.h5", help="one HDF5 file per run of the sweep")
    parser.add_argument("--mode", choices=["auto", "strong", "weak"], default="auto",
                        help="kind of sweep (default: told from the pixels of each run)")
    parser.add_argument("--wall", choices=["total", "items"], default="total",
                        help="wall time from the ranks' total_s (default) or from the span of the work items")
    parser.add_argument("--out-dir", default=".", help="where the plots go (default: .)")
    parser.add_argument("--prefix", help="file name start of the plots (default: scaling_MODE)")
    parser.add_argument("--title", help="title of the plots (default: MODE scaling)")
    parser.add_argument("--no-plots", action="store_true", help="print the table only")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", metavar="OUT.json", help="write the rows with every number here")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        runs = [Run(path, args.wall) for path in args.files]
        check_units(runs)
        mode = detect_mode(runs) if args.mode == "auto" else args.mode
    except SweepError as err:
        print(f"scaling.py: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for r in runs:
        if not r.complete:
            print(f"scaling.py: warning: {r.path} is marked incomplete", file=sys.stderr)
    rows = analyse(runs, mode)
    print(table_markdown(rows) if args.markdown else table_text(rows, mode))
    if args.json:
        with open(args.json, "w") as f:
            clean = json.loads(json.dumps({"mode": mode, "rows": rows}), parse_constant=lambda _: None)
            json.dump(clean, f, indent=1)
            f.write("\n")
    if not args.no_plots:
        for path in plot(rows, mode, args.out_dir, args.prefix or f"scaling_{mode}", args.title):
            print(f"scaling.py: wrote {path}", file=sys.stderr if args.markdown else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
