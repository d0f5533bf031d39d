#!/usr/bin/env bash
# One MPI parity test: renders the same case once as a plain single process (one
# OpenMP thread) and once under mpiexec with the given ranks, tile size and schedule,
# and requires the two float images to be identical to the bit. With -h5file among the
# MPI flags, the image in the HDF5 file must be those same bytes too.
#
# usage: compare_ranks.sh MPIEXEC NP EXE WORKDIR PYTHON  case args...  --mpi  MPI-only args...
set -euo pipefail
mpiexec=$1 np=$2 exe=$3 workdir=$4 python=$5
shift 5
case_args=() mpi_args=()
while (($#)); do
    if [[ $1 == --mpi ]]; then shift; mpi_args=("$@"); break; fi
    case_args+=("$1"); shift
done
common=(-nonoise -nopgm -noprogress)

rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir"
OMP_NUM_THREADS=1 "$exe" "${case_args[@]}" "${common[@]}" -floatfile single.bin -intfile single.img > single.log
"$mpiexec" -n "$np" --oversubscribe --bind-to none \
    "$exe" "${case_args[@]}" "${common[@]}" "${mpi_args[@]}" -floatfile ranks.bin -intfile ranks.img > ranks.log

cmp single.bin ranks.bin
cmp single.img ranks.img
if [[ -f out.h5 ]]; then
    "$python" - <<'PY'
import h5py, numpy as np
single = np.fromfile("single.bin", dtype="<f4")
with h5py.File("out.h5", "r") as f:
    assert f["/entry/simulation"].attrs["complete"] == 1, "file not marked complete"
    data = f["/entry/photons/photons"][0].ravel()
assert data.tobytes() == single.tobytes(), "HDF5 image differs from the single-process image"
PY
fi
echo "identical: $np ranks (${mpi_args[*]}) vs one process"
