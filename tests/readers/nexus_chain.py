"""NeXus transformation chains evaluated from the file alone, with numpy and h5py (no
NXmx library): each axis is a 4x4 matrix (rotation by value about @vector, or
translation by value along it, after @offset), and an axis that depends on another is
applied first, so a chain T1 -> T2 -> T3 -> "." acts on a point as T3 T2 T1.
Lengths in metres, angles in radians, whatever units the file uses.
"""
import h5py
import numpy as np

TO_METRES = {"m": 1.0, "metre": 1.0, "meter": 1.0, "mm": 1e-3, "um": 1e-6, "micron": 1e-6, "nm": 1e-9}
TO_RADIANS = {"rad": 1.0, "radian": 1.0, "radians": 1.0, "deg": np.pi / 180, "degree": np.pi / 180,
              "degrees": np.pi / 180}


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def rotation(axis, angle):
    axis = np.asarray(axis, float) / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k


def axis_matrix(dataset, index=0):
    """The 4x4 matrix of one axis (value `index` of a scan axis)."""
    kind = text(dataset.attrs["transformation_type"])
    units = text(dataset.attrs["units"])
    value = float(np.atleast_1d(dataset[()])[index])
    vector = np.asarray(dataset.attrs["vector"], float)
    m = np.eye(4)
    if kind == "rotation":
        m[:3, :3] = rotation(vector, value * TO_RADIANS[units])
    elif kind == "translation":
        m[:3, 3] = value * TO_METRES[units] * vector / np.linalg.norm(vector)
    else:
        raise ValueError(f"{dataset.name}: transformation_type {kind}")
    if "offset" in dataset.attrs:
        scale = TO_METRES[text(dataset.attrs.get("offset_units", units))]
        m[:3, 3] += scale * np.asarray(dataset.attrs["offset"], float)
    return m


def chain(h5, path):
    """The datasets of the chain that starts at `path`, first applied first."""
    out = []
    while path and path != ".":
        dataset = h5[path]
        out.append(dataset)
        target = text(dataset.attrs["depends_on"])
        if target != "." and not target.startswith("/"):
            target = dataset.parent.name.rstrip("/") + "/" + target
        path = target
    return out


def chain_matrix(h5, path, index=0):
    m = np.eye(4)
    for dataset in chain(h5, path):
        m = axis_matrix(dataset, index) @ m
    return m


def module_pixel_centres(h5, module_path, pixels):
    """Centres (NeXus frame, metres) of pixels (fast, slow) of an NXdetector_module:
    fast_pixel_direction and slow_pixel_direction step one pixel each from the module's
    origin, the outer corner of pixel (0, 0), which their chain places in the frame."""
    module = h5[module_path]
    fast, slow = module["fast_pixel_direction"], module["slow_pixel_direction"]
    step_fast = float(fast[()]) * TO_METRES[text(fast.attrs["units"])] * np.asarray(fast.attrs["vector"], float)
    step_slow = float(slow[()]) * TO_METRES[text(slow.attrs["units"])] * np.asarray(slow.attrs["vector"], float)
    place = chain_matrix(h5, text(fast.attrs["depends_on"]))
    place_slow = chain_matrix(h5, text(slow.attrs["depends_on"]))
    assert np.allclose(place, place_slow), "fast and slow pixel directions hang on different chains"
    out = {}
    for f, s in pixels:
        local = (f + 0.5) * step_fast + (s + 0.5) * step_slow
        out[(f, s)] = (place @ np.append(local, 1.0))[:3]
    return out


def sample_rotation_axis(h5):
    """The spindle: the one rotation axis on the sample's chain, unit vector."""
    sample = h5["entry/sample"]
    rotations = [d for d in chain(h5, text(sample["depends_on"][()]))
                 if text(d.attrs["transformation_type"]) == "rotation"]
    assert len(rotations) == 1, [d.name for d in rotations]
    vector = np.asarray(rotations[0].attrs["vector"], float)
    return vector / np.linalg.norm(vector), rotations[0]


def open_file(path):
    return h5py.File(path, "r")
