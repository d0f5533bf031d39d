"""The models DIALS builds from an NXmx file, built here the way dxtbx's FormatNXmx
does it (cctbx/dxtbx, src/dxtbx/format/FormatNXmx.py and src/dxtbx/nexus/__init__.py),
on top of DIALS's own NXmx reader, the `nxmx` package. dxtbx itself needs cctbx and has
no working wheel on PyPI, so its steps are followed here with numpy:

  goniometer  the rotation axes on NXsample/depends_on's chain, McStas -> imgCIF
  beam        incident_wavelength; with _weights, or a @variant that has them, a
              spectrum (the beam keeps the primary value when it came from a variant)
  detector    one flat panel per NXdetector_module: fast and slow axes turned by the
              rotations of fast_pixel_direction's chain, origin = fast_pixel_direction's
              offset plus the translation of the whole chain it depends on; pixel size
              from the two directions' values; image size from data_size reversed;
              trusted range up to saturation_value; sensor material must be known
  scan        the first rotation axis on the sample's chain whose values vary (else the
              sample's depends_on axis): images 1..N, oscillation (start, median of
              _end - start, or of the steps); a negative width turns axis and angles over
  mask        pixel_mask == 0 over the module's slice is "good"
Lengths in mm, angles in degrees, vectors in imgCIF (dxtbx's frame), as dxtbx has them.
"""
from dataclasses import dataclass

import h5py
import numpy as np
import nxmx

MCSTAS_TO_IMGCIF = np.diag([-1.0, 1.0, -1.0])
KNOWN_SENSOR_MATERIALS = {"Si": "Si", "Silicon": "Si", "CdTe": "CdTe", "GaAs": "GaAs"}


@dataclass
class Panel:
    origin: np.ndarray       # mm, imgCIF, outer corner of pixel (0, 0)
    fast: np.ndarray
    slow: np.ndarray
    pixel_size: tuple        # mm (fast, slow)
    image_size: tuple        # pixels (fast, slow)
    trusted_range: tuple
    material: str
    thickness_mm: float
    slices: tuple            # of the data array, slow then fast

    def centre(self, f, s):
        return self.origin + (f + 0.5) * self.pixel_size[0] * self.fast + (s + 0.5) * self.pixel_size[1] * self.slow


@dataclass
class Models:
    goniometer_axis: np.ndarray | None
    wavelength: float                 # angstrom
    spectrum: tuple | None            # (wavelengths in angstrom, weights)
    beam_direction: np.ndarray        # dxtbx's: from the sample towards the source
    panels: list
    scan: tuple | None                # (image_range, (start, width) in degrees)
    num_images: int
    static_mask: list | None          # per panel, True = good


def goniometer_axis(sample):
    if not sample.depends_on:
        return None
    axes = nxmx.get_rotation_axes(nxmx.get_dependency_chain(sample.depends_on))
    assert len(axes.axes) == 1, "one rotation axis is what tilebragg writes"
    return MCSTAS_TO_IMGCIF @ axes.axes[0]


def beam(nxbeam):
    handle = nxbeam._handle
    wavelength = handle["incident_wavelength"]
    weights = handle.get("incident_wavelength_weights")
    spectrum_source, from_variant = wavelength, False
    probe = wavelength
    while weights is None and "variant" in probe.attrs:
        key = nxmx.h5str(probe.attrs["variant"])
        probe = handle[key]
        weights = handle.get(key + "_weights")
        if weights is not None:
            spectrum_source, from_variant = probe, True
    primary = float((np.atleast_1d(wavelength[()])[0] * nxmx.units(wavelength)).to("angstrom").magnitude)
    if weights is None:
        return primary, None
    lambdas = (np.atleast_1d(spectrum_source[()]) * nxmx.units(spectrum_source)).to("angstrom").magnitude
    w = np.atleast_1d(weights[()])
    if from_variant:
        return primary, (lambdas, w)
    energies = 12398.419843320026 / lambdas      # dxtbx: the weighted mean energy
    return 12398.419843320026 / (np.sum(energies * w) / np.sum(w)), (lambdas, w)


def rotations_of(axis):
    if axis is None:
        return np.identity(3)
    rotations = [t for t in nxmx.get_dependency_chain(axis) if t.transformation_type == "rotation"]
    return nxmx.get_cumulative_transformation(rotations)[0, :3, :3] if rotations else np.identity(3)


def flat_panel(detector, module):
    fast_axis = MCSTAS_TO_IMGCIF @ rotations_of(module.fast_pixel_direction.depends_on) @ \
        module.fast_pixel_direction.vector
    slow_axis = MCSTAS_TO_IMGCIF @ rotations_of(module.slow_pixel_direction.depends_on) @ \
        module.slow_pixel_direction.vector
    top = module.fast_pixel_direction.depends_on or module.module_offset.depends_on
    placed = nxmx.get_cumulative_transformation(nxmx.get_dependency_chain(top))
    offset = module.fast_pixel_direction.offset
    offset = offset.to("mm").magnitude if offset is not None else np.zeros(3)
    origin = MCSTAS_TO_IMGCIF @ (offset + placed[0, :3, 3])
    pixel_size = (module.fast_pixel_direction[()].to("mm").magnitude.item(),
                  module.slow_pixel_direction[()].to("mm").magnitude.item())
    if origin[0] == 0 and origin[1] == 0 and detector.beam_center_x and detector.beam_center_y:
        origin = origin - detector.beam_center_x.magnitude * pixel_size[0] * fast_axis \
            - detector.beam_center_y.magnitude * pixel_size[1] * slow_axis
    material = KNOWN_SENSOR_MATERIALS.get(detector.sensor_material)
    if not material:
        raise ValueError(f"Unknown material: {detector.sensor_material}")
    underload = float(detector.underload_value) if detector.underload_value is not None else -0x7FFFFFFF
    overload = float(detector.saturation_value) if detector.saturation_value is not None else 0x7FFFFFFF
    slices = tuple(slice(int(o), int(o + n)) for o, n in zip(module.data_origin, module.data_size))
    return Panel(origin, fast_axis, slow_axis, pixel_size, (int(module.data_size[-1]), int(module.data_size[-2])),
                 (underload, overload), material, float(detector.sensor_thickness.to("mm").magnitude), slices)


def scan(sample):
    if not sample.depends_on:
        return None
    chain = nxmx.get_dependency_chain(sample.depends_on)
    varying = [t for t in chain if len(t) > 1 and not np.all(t[()] == t[0])]
    rotating = [t for t in varying if t.transformation_type == "rotation"]
    axis = (rotating or varying or [sample.depends_on])[0]
    n = len(axis)
    if axis.transformation_type != "rotation":
        return (1, n), (0.0, 0.0)
    start = axis[0].to("degree").magnitude
    if axis.end:
        steps = axis.end[()] - axis[()]
    elif n > 1:
        steps = np.diff(axis[()])
    else:
        steps = nxmx.ureg.Quantity(0, "degree")
    width = np.median(steps).to("degree").magnitude
    return (1, n), (float(start), float(width))


def static_mask(detector, panels):
    mask = detector.pixel_mask
    if mask is None or not mask.size:
        return None
    return [np.ascontiguousarray(mask[p.slices]) == 0 for p in panels]


def models(path):
    with h5py.File(path, "r") as f:
        entry = nxmx.NXmx(f).entries[0]
        sample, instrument, data = entry.samples[0], entry.instruments[0], entry.data[0]
        detector = instrument.detectors[0]
        axis = goniometer_axis(sample)
        wavelength, spectrum = beam(instrument.beams[0])
        panels = [flat_panel(detector, m) for m in detector.modules]
        beam_direction = np.array([0.0, 0.0, 1.0])
        # FormatNXmx turns a single perpendicular panel upstream of the sample round.
        if len(panels) == 1:
            p = panels[0]
            normal = np.cross(p.fast, p.slow)
            if abs(np.dot(normal, beam_direction)) > 0.99 and np.dot(p.origin, beam_direction) > 0:
                p.origin = p.origin * np.array([1, 1, -1])
        image_scan = scan(sample)
        if image_scan is not None and image_scan[1][1] < 0:
            image_scan = (image_scan[0], (-image_scan[1][0], -image_scan[1][1]))
            axis = -axis
        signal = data[data.signal] if data.signal else list(data.values())[0]
        num_images = image_scan[0][1] if image_scan else signal.shape[0]
        return Models(axis, wavelength, spectrum, beam_direction, panels, image_scan, num_images,
                      static_mask(detector, panels))


def raw_image(path, index):
    """Image `index`, module by module, as FormatNXmx.get_raw_data slices it."""
    with h5py.File(path, "r") as f:
        entry = nxmx.NXmx(f).entries[0]
        data = entry.data[0]
        signal = data[data.signal] if data.signal else list(data.values())[0]
        frame = signal[index]
        slices = [tuple(slice(int(o), int(o + n)) for o, n in zip(m.data_origin, m.data_size))
                  for m in entry.instruments[0].detectors[0].modules]
        return [np.ascontiguousarray(frame[s]) for s in slices]
