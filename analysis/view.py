#!/usr/bin/python3
"""PNG preview of a tilebragg HDF5 file: one image, log-scaled, with a colour bar and
the direct-beam position marked.

usage: view.py FILE.h5 [-o OUT.png] [--image N] [--tiles]

--tiles draws the tile grid and colours nothing else: handy to see how the detector
was cut. Needs numpy, h5py and matplotlib (Debian's /usr/bin/python3 has them).
"""
import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402


def read(path, image):
    with h5py.File(path, "r") as f:
        # The noiseless photons; the detector counts (/entry/data/data) carry the ADC offset and noise.
        data = f["entry/photons/photons"] if "entry/photons/photons" in f else f["entry/data/data"]
        if not 0 <= image < data.shape[0]:
            raise SystemExit(f"view.py: {path} has {data.shape[0]} image(s), no image {image}")
        pixels = data[image].astype(np.float64)
        det = f["entry/instrument/detector"]
        # beam_center_* count pixels from the outer corner of the first pixel; pixel i's
        # centre is at i + 0.5, so the plot (centres at integers) is half a pixel off.
        # A detector NXmx cannot describe (-curved_det) has neither them nor a distance.
        beam = None
        if "beam_center_x" in det and "beam_center_y" in det:
            beam = (float(det["beam_center_x"][()]) - 0.5, float(det["beam_center_y"][()]) - 0.5)
        sim = f["entry/simulation"].attrs
        complete = int(sim.get("complete", 0))
        tile = (int(sim.get("tile_fast", 0)), int(sim.get("tile_slow", 0)))
        wavelength = float(f["entry/instrument/beam/incident_wavelength"][()])
        distance_mm = float(det["distance"][()]) * 1000 if "distance" in det else float("nan")
    return pixels, beam, complete, tile, wavelength, distance_mm


def render(pixels, beam, title, tile=None):
    positive = pixels[pixels > 0]
    fig, ax = plt.subplots(figsize=(7, 6), dpi=120)
    if positive.size:
        # The floor keeps empty pixels visible without letting them set the scale.
        floor = max(positive.min(), positive.max() * 1e-6)
        shown = ax.imshow(np.maximum(pixels, floor), cmap="inferno", origin="upper",
                          norm=LogNorm(vmin=floor, vmax=positive.max()), interpolation="nearest")
        fig.colorbar(shown, ax=ax, label="photons per pixel (log scale)")
    else:
        ax.imshow(pixels, cmap="gray", origin="upper")
    if beam is not None:
        ax.plot(*beam, marker="+", color="cyan", markersize=14, markeredgewidth=1.5, label="direct beam")
    if tile and tile[0] > 0 and tile[1] > 0:
        for x in np.arange(tile[0], pixels.shape[1], tile[0]):
            ax.axvline(x - 0.5, color="white", linewidth=0.3, alpha=0.5)
        for y in np.arange(tile[1], pixels.shape[0], tile[1]):
            ax.axhline(y - 0.5, color="white", linewidth=0.3, alpha=0.5)
    ax.set_xlabel("fast pixel")
    ax.set_ylabel("slow pixel")
    ax.set_title(title, fontsize=9)
    if beam is not None:
        ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="tilebragg HDF5 file (-h5file)")
    parser.add_argument("-o", "--output", help="PNG to write (default: FILE with .png)")
    parser.add_argument("--image", type=int, default=0, help="image index (default 0)")
    parser.add_argument("--tiles", action="store_true", help="draw the tile grid")
    args = parser.parse_args(argv)
    output = args.output or (args.file.rsplit(".", 1)[0] + ".png")

    pixels, beam, complete, tile, wavelength, distance_mm = read(args.file, args.image)
    title = (f"{args.file} image {args.image}: {pixels.shape[1]} x {pixels.shape[0]} pixels, "
             f"{wavelength:g} A, {distance_mm:g} mm, max {pixels.max():.4g}")
    if not complete:
        title += " (INCOMPLETE)"
    fig = render(pixels, beam, title, tile if args.tiles else None)
    fig.savefig(output)
    print(f"view.py: wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
