#!/usr/bin/env bash
# Installs the Debian packages tilebragg needs to build, test and analyse. Does nothing
# (and prints nothing) when they are all present, so every other script can call it.
set -euo pipefail

packages=(
    build-essential cmake
    libopenmpi-dev openmpi-bin
    libhdf5-openmpi-dev hdf5-tools liblz4-dev zlib1g-dev
    libboost-program-options-dev
    libgtest-dev libbenchmark-dev
    clang libclang-rt-14-dev
    python3-numpy python3-h5py python3-matplotlib python3-scipy python3-pytest
    python3-venv python3-pint python3-fabio python3-silx python3-pyfai hdf5-filter-plugin bitshuffle
    slurm-wlm munge
    iproute2
)

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
run_as_root=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        run_as_root=(sudo)
    else
        echo "install-deps: missing packages (${missing[*]}) and neither root nor sudo" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
