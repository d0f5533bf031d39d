"""Running tilebragg for the reader tests, and what it printed about its own geometry.

run() starts the program (under mpiexec when ranks > 0) with -printout on a small
detector, so that stdout holds, for every pixel, the lab-frame position of its centre
("at x y z", metres), and, once, the beam direction and spindle axis in the same frame.
Those are tilebragg's own numbers: the tests compare what a reader rebuilds from the
HDF5 file against them through quantities that do not depend on the frame (angles to
the beam and to the spindle, handedness, ray length), so no test converts frames itself.
"""
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

EXE = os.environ.get("TILEBRAGG_EXE")
MPIEXEC = shutil.which("mpiexec") or shutil.which("mpirun")

# A fast case: a tiny crystal, a handful of big pixels, no outputs but the HDF5 file.
QUIET = ["-cell", "50", "50", "50", "90", "90", "90", "-default_F", "100", "-N", "1", "-lambda", "1",
         "-nonoise", "-nopgm", "-noprogress", "-floatfile", "float.bin", "-intfile", "int.img"]

VECTOR = r"(-?[\d.eE+-]+) (-?[\d.eE+-]+) (-?[\d.eE+-]+)"


@dataclass
class Run:
    h5: Path
    stdout: str
    beam: np.ndarray                      # unit, lab frame, from source to sample
    spindle: np.ndarray                   # unit, lab frame
    pixels: dict = field(default_factory=dict)   # (fast, slow) -> centre, lab frame, metres


def parse(stdout):
    beam = np.array(re.search(r"INCIDENT_BEAM_DIRECTION= " + VECTOR, stdout).groups(), float)
    spindle = np.array(re.search(r"spindle ROTATION_AXIS= " + VECTOR, stdout).groups(), float)
    pixels = {}
    for m in re.finditer(r"^ *(\d+) +(\d+) : stol = .*\nat " + VECTOR, stdout, re.M):
        key = (int(m.group(1)), int(m.group(2)))
        pixels.setdefault(key, np.array(m.groups()[2:], float))
    return beam, spindle, pixels


def run(workdir, args, ranks=0, name="out.h5", printout=True):
    """tilebragg ARGS -h5file NAME in WORKDIR; ranks > 0: under mpiexec -n RANKS."""
    if not EXE:
        raise RuntimeError("TILEBRAGG_EXE is not set (ctest sets it)")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    command = [EXE, *QUIET, *args, "-h5file", name]
    if printout:
        command += ["-printout", "-oversample", "1"]   # pixel centres, not sub-pixels
    if ranks > 0:
        command = [MPIEXEC, "-n", str(ranks), "--oversubscribe", "--bind-to", "none", *command]
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    beam, spindle, pixels = parse(done.stdout)
    return Run(workdir / name, done.stdout, beam, spindle, pixels)


def invariants(position, beam, spindle):
    """What any proper rotation of the frame leaves alone: the angles that the ray from
    the sample to the pixel makes with the beam, the spindle and their cross product
    (the last tells a detector from its mirror image), and the ray's length."""
    ray = np.asarray(position, float)
    length = np.linalg.norm(ray)
    beam = beam / np.linalg.norm(beam)
    spindle = spindle / np.linalg.norm(spindle)
    third = np.cross(beam, spindle)

    def angle(a, b):
        return np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b))

    return np.array([angle(ray, beam), angle(ray, spindle), angle(ray, third) if np.linalg.norm(third) > 1e-6 else 0,
                     length])
