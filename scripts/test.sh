#!/usr/bin/env bash
# Builds, then runs every test (unit, golden parity, and whatever else ctest knows).
# Extra arguments go to ctest, e.g.  scripts/test.sh -L unit   or   -R simple_cubic
# TILEBRAGG_TEST_JOBS sets ctest's parallelism (default 2, what CI has).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TILEBRAGG_BUILD_DIR:-$root/build}"
if [[ $(id -u) -eq 0 ]]; then
    # Open MPI refuses to start as root without both of these (containers, CI).
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

"$root/scripts/build.sh"
# The reader tests' Python (nxmx from PyPI over Debian's h5py, fabio, silx, pyFAI).
"$root/scripts/python-env.sh" "$build_dir/readers-venv"
ctest --test-dir "$build_dir" --output-on-failure \
     -j "${TILEBRAGG_TEST_JOBS:-2}" "$@" && status=0 || status=$?
# Whole-suite runs (no ctest arguments, as in CI) also run the unit tests under ASan+UBSan.
[[ $# -gt 0 || -n ${TILEBRAGG_NO_SANITIZE:-} ]] || "$root/scripts/sanitize.sh" || status=1; exit $status
