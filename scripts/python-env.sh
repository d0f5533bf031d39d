#!/usr/bin/env bash
# Makes the Python environment of the reader tests (tests/readers): a venv over Debian's
# /usr/bin/python3 made with --system-site-packages, so that Debian's h5py, numpy, scipy,
# pint, fabio, silx and pyFAI (scripts/install-deps.sh) are the ones used, plus the
# `nxmx` package from PyPI (DIALS's NXmx reader), installed without dependencies so that
# pip brings no second h5py built against another HDF5.
# usage: scripts/python-env.sh [VENV_DIR]   (default: build/readers-venv)
# Does nothing when the venv already imports nxmx at the pinned version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-${TILEBRAGG_BUILD_DIR:-$root/build}/readers-venv}"
nxmx_version=0.0.8

python="$venv/bin/python"
if [[ -x $python ]] && "$python" - "$nxmx_version" <<'PY' 2>/dev/null; then exit 0; fi
import sys
from importlib.metadata import version
import nxmx  # noqa: F401
sys.exit(version("nxmx") != sys.argv[1])
PY

echo "python-env: making $venv (nxmx $nxmx_version)" >&2
rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv"
"$python" -m pip install --quiet --disable-pip-version-check --no-deps "nxmx==$nxmx_version"
"$python" -c "import nxmx, h5py, pint, dateutil, scipy, fabio, silx, pyFAI"
