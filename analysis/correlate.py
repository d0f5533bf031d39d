#!/usr/bin/python3
"""Compare two diffraction images: correlation, differences, totals and matched Bragg peaks.

usage: correlate.py A B [--image-a K] [--image-b K] [--shape SLOW FAST] [--peaks N]
                        [--match-radius PX] [--threshold R] [--json OUT.json] [--png OUT.png]

A and B are each a tilebragg HDF5 file (image k as FILE.h5:k or --image-a/--image-b),
an SMV image (-intfile) or a raw little-endian float32 file (-floatfile; square unless
--shape SLOW FAST is given). The peaks are the N brightest local maxima of each image,
placed at their intensity-weighted centroid in a --peak-window box; they are paired by
the Hungarian method on their distances in pixels, so a shifted spot pattern shows up as
offsets rather than as a mismatch of ranks.

Exit status: 0 done, 2 unreadable input or images of different sizes, 3 correlation
below --threshold. Needs numpy, scipy (and h5py, matplotlib for HDF5 input and --png);
Debian's /usr/bin/python3 has them.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
from scipy import ndimage
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from h5image import ImageError, read_image  # noqa: E402  (after the path is set)

EXIT_OK, EXIT_BAD_INPUT, EXIT_BELOW_THRESHOLD = 0, 2, 3


def pearson(a, b):
    """Pearson correlation; two identical flat images count as perfectly correlated."""
    da, db = a - a.mean(), b - b.mean()
    norm = math.sqrt(float((da * da).sum()) * float((db * db).sum()))
    if norm == 0:
        return 1.0 if np.array_equal(a, b) else float("nan")
    return float((da * db).sum()) / norm


def find_peaks(pixels, count, window=5):
    """The `count` brightest local maxima as (slow, fast) rows, brightest first.

    A pixel is a candidate when nothing in the window x window box around it is brighter.
    Flat tops (saturated or clipped spots, empty background) make many equal candidates,
    so they are thinned greedily: a candidate inside the box of a brighter pick is dropped.
    """
    if count <= 0:
        return np.empty((0, 2), dtype=int)
    local_max = ndimage.maximum_filter(pixels, size=window, mode="constant", cval=-np.inf)
    candidates = pixels == local_max
    if pixels.max() > pixels.min():
        candidates &= pixels > pixels.min()  # the floor of an image is no peak
    flat = np.flatnonzero(candidates)
    flat = flat[np.argsort(-pixels.ravel()[flat], kind="stable")]
    reach = window // 2
    picks = []
    for index in flat:
        s, f = divmod(int(index), pixels.shape[1])
        if all(abs(s - ps) > reach or abs(f - pf) > reach for ps, pf in picks):
            picks.append((s, f))
            if len(picks) == count:
                break
    return np.array(picks, dtype=int).reshape(-1, 2)


def centroids(pixels, peaks, window=5):
    """Intensity-weighted centre (slow, fast) of the top of each peak, within its
    window x window box.

    Two images that differ by rounding can pick neighbouring pixels of a spot whose top is
    split between them; the centroids of the top still agree, so the offsets measure where
    the spots are, not which pixel won a tie.
    """
    reach = window // 2
    centres = np.empty((len(peaks), 2))
    for k, (s, f) in enumerate(peaks):
        s0, s1 = max(s - reach, 0), min(s + reach + 1, pixels.shape[0])
        f0, f1 = max(f - reach, 0), min(f + reach + 1, pixels.shape[1])
        box = pixels[s0:s1, f0:f1]
        # Only the part of the spot above half its height (over the box's floor) counts:
        # that part lies inside the box whichever of two tied top pixels it is centred on.
        floor = box.min()
        weight = np.clip(box - (floor + 0.5 * (pixels[s, f] - floor)), 0, None)
        total = weight.sum()
        if total > 0:
            rows, cols = np.mgrid[s0:s1, f0:f1]
            centres[k] = ((weight * rows).sum() / total, (weight * cols).sum() / total)
        else:
            centres[k] = (s, f)
    return centres


def match_peaks(peaks_a, peaks_b, radius):
    """Pair the peaks of A and B, (slow, fast) rows, with the least total distance (Hungarian method)."""
    result = {"peaks_a": len(peaks_a), "peaks_b": len(peaks_b), "pairs": [],
              "matched": 0, "matched_within_radius": 0, "match_radius_px": radius,
              "mean_offset_px": None, "max_offset_px": None,
              "mean_shift_fast_px": None, "mean_shift_slow_px": None,
              "mean_offset_within_radius_px": None, "max_offset_within_radius_px": None}
    if len(peaks_a) == 0 or len(peaks_b) == 0:
        return result
    delta = peaks_b[None, :, :] - peaks_a[:, None, :]
    cost = np.hypot(delta[..., 0], delta[..., 1])
    rows, cols = linear_sum_assignment(cost)
    distances = cost[rows, cols]
    shifts = peaks_b[cols] - peaks_a[rows]  # (slow, fast), B minus A
    close = distances <= radius
    result.update({
        "matched": int(len(rows)),
        "matched_within_radius": int(close.sum()),
        "mean_offset_px": float(distances.mean()),
        "max_offset_px": float(distances.max()),
        "mean_shift_slow_px": float(shifts[:, 0].mean()),
        "mean_shift_fast_px": float(shifts[:, 1].mean()),
        "pairs": [{"a": [float(x) for x in peaks_a[r]], "b": [float(x) for x in peaks_b[c]],
                   "offset_px": float(d)} for r, c, d in zip(rows, cols, distances)],
    })
    if close.any():
        result["mean_offset_within_radius_px"] = float(distances[close].mean())
        result["max_offset_within_radius_px"] = float(distances[close].max())
    return result


def compare(a, b, peaks=20, match_radius=2.0, peak_window=5):
    """Every number of the summary, as a dict that json can write."""
    if a.shape != b.shape:
        raise ImageError(f"images differ in size: A is {a.shape[0]} x {a.shape[1]}, "
                         f"B is {b.shape[0]} x {b.shape[1]} (slow x fast)")
    diff = b - a
    sum_a, sum_b = float(a.sum()), float(b.sum())
    stats = {
        "slow": int(a.shape[0]), "fast": int(a.shape[1]), "pixels": int(a.size),
        "correlation": pearson(a, b),
        "rmse": float(np.sqrt(np.mean(diff * diff))),
        "max_abs_difference": float(np.abs(diff).max()),
        "sum_a": sum_a, "sum_b": sum_b,
        "sum_ratio_b_over_a": sum_b / sum_a if sum_a != 0 else None,
        "max_a": float(a.max()), "max_b": float(b.max()),
    }
    peaks_a, peaks_b = find_peaks(a, peaks, peak_window), find_peaks(b, peaks, peak_window)
    stats["peaks"] = match_peaks(centroids(a, peaks_a, peak_window), centroids(b, peaks_b, peak_window),
                                 match_radius)
    return stats


def fmt(value, spec=".6g"):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if spec.endswith("f"):  # no "-0.000" for a shift that rounds to nothing
        value = round(value, int(spec.rstrip("f").split(".")[-1])) + 0.0
    return format(value, spec)


def summary(stats, image_a, image_b):
    p = stats["peaks"]
    lines = [
        f"A: {image_a.describe()}",
        f"B: {image_b.describe()}",
        f"pixels            {stats['pixels']}",
        f"correlation       {fmt(stats['correlation'], '.9f')}",
        f"rmse              {fmt(stats['rmse'])}",
        f"max |B - A|       {fmt(stats['max_abs_difference'])}",
        f"sum A             {fmt(stats['sum_a'], '.10g')}",
        f"sum B             {fmt(stats['sum_b'], '.10g')}",
        f"sum B / sum A     {fmt(stats['sum_ratio_b_over_a'], '.9f')}",
        f"peaks             {p['peaks_a']} in A, {p['peaks_b']} in B; {p['matched']} paired, "
        f"{p['matched_within_radius']} within {fmt(p['match_radius_px'], 'g')} px",
    ]
    if p["matched"]:
        lines.append(f"peak offset       mean {fmt(p['mean_offset_px'], '.3f')} px, "
                     f"max {fmt(p['max_offset_px'], '.3f')} px, mean shift B - A "
                     f"(fast, slow) = ({fmt(p['mean_shift_fast_px'], '+.3f')}, "
                     f"{fmt(p['mean_shift_slow_px'], '+.3f')}) px")
    return "\n".join(lines)


def write_png(path, a, b, stats, label_a, label_b):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    positive = np.concatenate([a[a > 0], b[b > 0]])
    fig, axes = plt.subplots(1, 3, figsize=(16, 5.2), dpi=100)
    if positive.size:
        # One scale for both images so equal pixels look equal; the floor keeps empty
        # pixels from setting the bottom of the scale.
        top = float(positive.max())
        floor = max(float(positive.min()), top * 1e-6)
        norm = LogNorm(vmin=floor, vmax=top)
    else:
        floor, norm = None, None
    for ax, pixels, label in ((axes[0], a, "A: " + label_a), (axes[1], b, "B: " + label_b)):
        shown = pixels if floor is None else np.maximum(pixels, floor)
        im = ax.imshow(shown, cmap="inferno", norm=norm, origin="upper", interpolation="nearest")
        fig.colorbar(im, ax=ax, shrink=0.8, label="photons (log scale)" if norm else "photons")
        ax.set_title(label, fontsize=8)
    peaks = stats["peaks"]["pairs"]
    if peaks:
        pa = np.array([q["a"] for q in peaks])
        pb = np.array([q["b"] for q in peaks])
        axes[0].plot(pa[:, 1], pa[:, 0], "o", mfc="none", mec="cyan", ms=8, label="peaks")
        axes[1].plot(pb[:, 1], pb[:, 0], "o", mfc="none", mec="cyan", ms=8, label="peaks")
    diff = b - a
    span = float(np.abs(diff).max()) or 1.0
    im = axes[2].imshow(diff, cmap="RdBu_r", vmin=-span, vmax=span, origin="upper", interpolation="nearest")
    fig.colorbar(im, ax=axes[2], shrink=0.8, label="B - A (photons)")
    axes[2].set_title(f"B - A: correlation {fmt(stats['correlation'], '.6f')}, "
                      f"rmse {fmt(stats['rmse'], '.3g')}", fontsize=8)
    for ax in axes:
        ax.set_xlabel("fast pixel")
        ax.set_ylabel("slow pixel")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", metavar="A", help="first image: FILE.h5[:k], SMV .img or raw float32")
    parser.add_argument("b", metavar="B", help="second image, same kinds")
    parser.add_argument("--image-a", type=int, metavar="K", help="image index in A (HDF5; default 0)")
    parser.add_argument("--image-b", type=int, metavar="K", help="image index in B (HDF5; default 0)")
    parser.add_argument("--shape", type=int, nargs=2, metavar=("SLOW", "FAST"),
                        help="size of raw float32 inputs (default: square, from the file length)")
    parser.add_argument("--peaks", type=int, default=20, metavar="N", help="peaks per image (default 20)")
    parser.add_argument("--peak-window", type=int, default=5, metavar="PX",
                        help="box edge within which a peak is the brightest pixel (default 5)")
    parser.add_argument("--match-radius", type=float, default=2.0, metavar="PX",
                        help="a pair of peaks this close or closer counts as matched (default 2)")
    parser.add_argument("--threshold", type=float, metavar="R", help="exit 3 when the correlation is below R")
    parser.add_argument("--json", metavar="OUT.json", help="write every number here")
    parser.add_argument("--png", metavar="OUT.png", help="write both images and their difference here")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        image_a = read_image(args.a, args.image_a, args.shape)
        image_b = read_image(args.b, args.image_b, args.shape)
        stats = compare(image_a.pixels, image_b.pixels, args.peaks, args.match_radius, args.peak_window)
    except ImageError as err:
        print(f"correlate.py: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    stats["a"] = image_a.describe()
    stats["b"] = image_b.describe()
    stats["threshold"] = args.threshold
    corr = stats["correlation"]
    below = args.threshold is not None and not (corr >= args.threshold)  # NaN is below too
    stats["below_threshold"] = below
    if not args.quiet:
        print(summary(stats, image_a, image_b))
    if args.json:
        with open(args.json, "w") as f:
            # NaN (a flat image against a varying one) has no JSON spelling: write null.
            clean = json.loads(json.dumps(stats), parse_constant=lambda _: None)
            json.dump(clean, f, indent=1)
            f.write("\n")
    if args.png:
        write_png(args.png, image_a.pixels, image_b.pixels, stats, image_a.describe(short=True),
                  image_b.describe(short=True))
    if below:
        print(f"correlate.py: correlation {fmt(corr, '.9f')} is below the threshold {args.threshold}",
              file=sys.stderr)
        return EXIT_BELOW_THRESHOLD
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
