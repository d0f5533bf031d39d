"""Shared pieces of the analysis tests: the analysis/ folder on the import path, and
writers of the small files the tests make themselves (raw float, SMV, HDF5)."""
import os
import sys

import numpy as np
import pytest

SOURCE_DIR = os.environ.get("TILEBRAGG_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
ANALYSIS_DIR = os.path.join(SOURCE_DIR, "analysis")
if ANALYSIS_DIR not in sys.path:
    sys.path.insert(0, ANALYSIS_DIR)


def write_raw(path, pixels):
    """-floatfile layout: little-endian float32, fast index fastest."""
    np.asarray(pixels, dtype="<f4").tofile(path)
    return str(path)


def write_smv(path, pixels, byte_order="little_endian", header_bytes=512):
    """An SMV image written by hand: '{' key=value; ... '}' padded to header_bytes, then
    unsigned 16-bit pixels. SIZE1 is the fast size, SIZE2 the slow one."""
    slow, fast = pixels.shape
    text = (f"{{\nHEADER_BYTES={header_bytes:5d};\nDIM=2;\nBYTE_ORDER={byte_order};\nTYPE=unsigned_short;\n"
            f"SIZE1={fast};\nSIZE2={slow};\nPIXEL_SIZE=0.1;\n}}\f")
    header = text.encode("ascii").ljust(header_bytes, b" ")
    assert len(header) == header_bytes
    dtype = "<u2" if byte_order == "little_endian" else ">u2"
    with open(path, "wb") as f:
        f.write(header)
        f.write(np.asarray(pixels).astype(dtype).tobytes())
    return str(path)


def write_h5_images(path, images):
    """A file with /entry/data/data [images, slow, fast] float32, as tilebragg writes it."""
    import h5py

    images = np.asarray(images, dtype=np.float32)
    with h5py.File(path, "w") as f:
        f.create_group("entry").attrs["NX_class"] = "NXentry"
        f["entry"].create_group("data").create_dataset("data", data=images)
        f["entry"].create_group("simulation").attrs["complete"] = 1
    return str(path)


def write_h5_timing(path, image_shape, ranks, compute_s, io_s, wait_s, total_s, items=None,
                    threads=1, pixels=None, backends=None, devices=None):
    """A tilebragg-like file with the timing tables of docs/hdf5-layout.md.

    items: rows (image, tile, rank, t_start, t_end); pixels: per rank (default: the
    image's pixels shared out as evenly as possible); backends, devices: per rank
    (default: no such columns, as in files from before the CUDA backend)."""
    import h5py

    n_images, slow, fast = image_shape
    if pixels is None:
        total = n_images * slow * fast
        pixels = [total // ranks + (1 if r < total % ranks else 0) for r in range(ranks)]
    with h5py.File(path, "w") as f:
        entry = f.create_group("entry")
        entry.create_group("data").create_dataset("data", shape=image_shape, dtype="f4")
        sim = entry.create_group("simulation")
        sim.attrs["complete"] = 1
        sim.attrs["ranks"] = ranks
        sim.attrs["fpixels"] = fast
        sim.attrs["spixels"] = slow
        sim.attrs["images"] = n_images
        per_rank = sim.create_group("timing/per_rank")
        per_rank["rank"] = np.arange(ranks)
        per_rank["host"] = np.array([b"node0"] * ranks, dtype=h5py.string_dtype())
        per_rank["threads"] = np.full(ranks, threads)
        if backends is not None:
            per_rank["backend"] = np.array([b.encode() for b in backends], dtype=h5py.string_dtype())
            per_rank["device"] = np.array([d.encode() for d in devices], dtype=h5py.string_dtype())
        per_rank["tiles"] = np.full(ranks, 4)
        per_rank["pixels"] = np.asarray(pixels)
        for name, values in (("compute_s", compute_s), ("io_s", io_s), ("wait_s", wait_s), ("total_s", total_s)):
            if values is not None:
                per_rank[name] = np.asarray(values, dtype=float)
        if items is not None:
            items = np.asarray(items, dtype=float).reshape(-1, 5)
            per_item = sim.create_group("timing/per_item")
            for i, name in enumerate(("image", "tile", "rank")):
                per_item[name] = items[:, i].astype(int)
            per_item["t_start"] = items[:, 3]
            per_item["t_end"] = items[:, 4]
    return str(path)


def spots(shape, centres, sigma=1.2, height=1000.0, background=1.0):
    """A synthetic diffraction image: Gaussian spots of decreasing height on a flat floor."""
    slow, fast = np.mgrid[0:shape[0], 0:shape[1]]
    image = np.full(shape, background, dtype=float)
    for k, (s, f) in enumerate(centres):
        image += height * (1.0 - 0.02 * k) * np.exp(-((slow - s) ** 2 + (fast - f) ** 2) / (2 * sigma**2))
    return image


@pytest.fixture
def spot_centres():
    """Twelve spots far enough from each other and from the edges of a 64 x 80 image
    that a shift of a few pixels keeps them all inside."""
    return [(10, 10), (10, 30), (10, 50), (10, 68), (26, 18), (26, 40),
            (26, 62), (40, 12), (40, 34), (40, 56), (54, 24), (54, 46)]


class Writers:
    """The writers above, handed to tests as one fixture (tests do not import conftest)."""
    raw = staticmethod(write_raw)
    smv = staticmethod(write_smv)
    h5_images = staticmethod(write_h5_images)
    h5_timing = staticmethod(write_h5_timing)
    spots = staticmethod(spots)


@pytest.fixture
def make():
    return Writers
