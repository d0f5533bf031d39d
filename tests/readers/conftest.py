"""Reader tests: tilebragg's HDF5 files through the tools crystallographers use on them.
They run under the venv of scripts/python-env.sh (Debian's h5py, fabio, silx, pyFAI and
the nxmx package); ctest sets TILEBRAGG_EXE."""
import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def needs_tilebragg():
    if not os.environ.get("TILEBRAGG_EXE"):
        pytest.fail("TILEBRAGG_EXE is not set: run these tests through ctest (scripts/test.sh)")
