"""Read one detector image, whatever file it came in, as a float64 array [slow, fast].

Three kinds of file are understood, told apart by their content, not their name:

- a tilebragg HDF5 file (-h5file): image k of /entry/photons/photons [images, slow, fast];
  written ``FILE.h5:k`` or given as ``index``;
- an SMV image (-intfile, also ADSC/nanoBragg): a ``{...}`` text header of HEADER_BYTES
  bytes whose SIZE1 counts fast pixels and SIZE2 slow ones, then unsigned 16-bit pixels
  in BYTE_ORDER;
- a raw float file (-floatfile): little-endian float32, fast index fastest, with no
  header, so its shape is given or, for a square detector, taken from its length.

Errors are raised as ImageError with one line naming the file and the problem.
"""
import math
import os
import re

import numpy as np

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
# The noiseless photons (correlation with the reference is measured on them); files made
# before the photons had a dataset of their own kept them in the detector-data slot.
IMAGE_DATASET = "entry/photons/photons"
OLD_IMAGE_DATASET = "entry/data/data"


class ImageError(Exception):
    """An image that cannot be read as asked; the message is one line."""


class Image:
    """Pixels [slow, fast] as float64 plus a few words on where they came from."""

    def __init__(self, pixels, path, kind, index=None):
        self.pixels = pixels
        self.path = path
        self.kind = kind
        self.index = index

    @property
    def shape(self):
        return self.pixels.shape

    def describe(self, short=False):
        name = os.path.basename(self.path) if short else self.path
        where = name if self.index is None else f"{name} image {self.index}"
        slow, fast = self.shape
        return f"{where} ({self.kind}, {slow} slow x {fast} fast)"


def split_spec(spec):
    """'out.h5:3' -> ('out.h5', 3); a name without a trailing ':integer' keeps index None.

    Only a suffix that is all digits counts, so paths with colons elsewhere survive.
    """
    match = re.fullmatch(r"(.+):(\d+)", spec)
    if match and not os.path.exists(spec):
        return match.group(1), int(match.group(2))
    return spec, None


def sniff(path):
    """'hdf5', 'smv' or 'raw', from the first bytes of the file."""
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as err:
        raise ImageError(f"{path}: cannot open ({err.strerror})") from None
    if head.startswith(HDF5_SIGNATURE):
        return "hdf5"
    if head.startswith(b"{") and b"HEADER_BYTES" in head:
        return "smv"
    return "raw"


def read_image(spec, index=None, shape=None):
    """The image named by spec ('FILE', 'FILE.h5:k'); index overrides a ':k' in spec.

    shape = (slow, fast) is needed for a raw float file that is not square.
    """
    path, spec_index = split_spec(spec)
    if index is None:
        index = spec_index
    kind = sniff(path)
    if kind != "hdf5" and index not in (None, 0):
        raise ImageError(f"{path}: holds a single image, no image {index}")
    if kind == "hdf5":
        return read_hdf5(path, 0 if index is None else index)
    if kind == "smv":
        return read_smv(path)
    return read_raw_float(path, shape)


def read_hdf5(path, index=0):
    import h5py  # only HDF5 input needs it

    try:
        with h5py.File(path, "r") as f:
            name = IMAGE_DATASET if IMAGE_DATASET in f else OLD_IMAGE_DATASET
            if name not in f:
                raise ImageError(f"{path}: no dataset /{IMAGE_DATASET}")
            data = f[name]
            if data.ndim == 2:  # tolerate a single image stored without its image axis
                if index != 0:
                    raise ImageError(f"{path}: /{name} holds one image, no image {index}")
                pixels = data[()]
            elif data.ndim == 3:
                if not 0 <= index < data.shape[0]:
                    raise ImageError(f"{path}: has {data.shape[0]} image(s), no image {index}")
                pixels = data[index]
            else:
                raise ImageError(f"{path}: /{name} has {data.ndim} dimensions, expected 3")
    except OSError as err:
        raise ImageError(f"{path}: not a readable HDF5 file ({err})") from None
    return Image(np.asarray(pixels, dtype=np.float64), path, "HDF5", index)


def parse_smv_header(path, raw):
    """The key=value pairs of an SMV header, given the bytes of the file."""
    end = raw.find(b"}")
    if end < 0:
        raise ImageError(f"{path}: SMV header has no closing '}}'")
    fields = {}
    for item in raw[1:end].decode("ascii", errors="replace").split(";"):
        if "=" in item:
            key, value = item.split("=", 1)
            fields[key.strip().upper()] = value.strip()
    return fields


def read_smv(path):
    with open(path, "rb") as f:
        raw = f.read()
    fields = parse_smv_header(path, raw)
    try:
        header_bytes = int(fields["HEADER_BYTES"])
        fast = int(fields["SIZE1"])
        slow = int(fields["SIZE2"])
    except KeyError as err:
        raise ImageError(f"{path}: SMV header lacks {err.args[0]}") from None
    except ValueError as err:
        raise ImageError(f"{path}: SMV header has a bad number ({err})") from None
    kind = fields.get("TYPE", "unsigned_short").lower()
    if kind != "unsigned_short":
        raise ImageError(f"{path}: SMV TYPE={kind} not supported (only unsigned_short)")
    order = fields.get("BYTE_ORDER", "little_endian").lower()
    if order not in ("little_endian", "big_endian"):
        raise ImageError(f"{path}: SMV BYTE_ORDER={order} not understood")
    dtype = np.dtype("<u2" if order == "little_endian" else ">u2")
    need = header_bytes + slow * fast * dtype.itemsize
    if len(raw) < need:
        raise ImageError(f"{path}: SMV file has {len(raw)} bytes, header says {need}")
    pixels = np.frombuffer(raw, dtype=dtype, count=slow * fast, offset=header_bytes)
    return Image(pixels.reshape(slow, fast).astype(np.float64), path, "SMV")


def read_raw_float(path, shape=None):
    size = os.path.getsize(path)
    if size % 4:
        raise ImageError(f"{path}: {size} bytes is not a whole number of float32 pixels")
    count = size // 4
    if shape is None:
        side = math.isqrt(count)
        if side * side != count or count == 0:
            raise ImageError(f"{path}: {count} float32 pixels is not a square image; give --shape SLOW FAST")
        shape = (side, side)
    slow, fast = (int(n) for n in shape)
    if slow * fast != count:
        raise ImageError(f"{path}: {count} float32 pixels do not fill {slow} x {fast} (slow x fast)")
    pixels = np.fromfile(path, dtype="<f4").reshape(slow, fast)
    return Image(pixels.astype(np.float64), path, "raw float32")
