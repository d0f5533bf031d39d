#!/usr/bin/env bash
# A batch (-images N) against single runs: image i of the HDF5 file, and its indexed
# legacy float file, must be the bytes of the single-image run that image stands for.
#   rotation: the single run with -phi <the image's phi from /entry/sample/transformations/phi>
#   serial:   image 0 is the single run; every image equals the same image of a batch
#             run as one process, and the recorded orientations all differ.
# With NP = 0 the batch runs as a plain process (no launcher).
# usage: batch_equals_single.sh MPIEXEC NP EXE WORKDIR PYTHON rotation|serial
set -euo pipefail
mpiexec=$1 np=$2 exe=$3 workdir=$4 python=$5 mode=$6
case_args=(-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 72
           -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 4242 -nonoise -nopgm -noprogress)
if [[ $mode == rotation ]]; then series=(-phi 10 -osc 0.1 -phisteps 3)
else series=(-misset random -misset_seed 31337 -osc 0.05 -phisteps 2); fi
images=4
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir"

launch=()
((np > 0)) && launch=("$mpiexec" -n "$np" --oversubscribe --bind-to none)
"${launch[@]}" "$exe" "${case_args[@]}" "${series[@]}" -images $images -tile 24 20 \
    -h5file batch.h5 -floatfile batch.bin -intfile batch.img > batch.log

phis=$("$python" - <<'PY'
import h5py
with h5py.File("batch.h5", "r") as f:
    s = f["/entry/simulation"]
    assert s.attrs["complete"] == 1 and (s["images_complete"][:] == 1).all()
    assert f["/entry/photons/photons"].shape[0] == 4 and f["/entry/data/data"].shape[0] == 4
    print(" ".join(repr(float(p)) for p in f["/entry/sample/transformations/phi"][:]))
PY
)
read -r -a phi <<< "$phis"
for ((i = 0; i < images; ++i)); do
    if [[ $mode == rotation ]]; then
        "$exe" "${case_args[@]}" -phi "${phi[i]}" -osc 0.1 -phisteps 3 -floatfile single$i.bin -intfile s.img > single$i.log
    elif ((i == 0)); then
        "$exe" "${case_args[@]}" "${series[@]}" -floatfile single0.bin -intfile s.img > single0.log
    fi
done
if [[ $mode == serial ]]; then
    "$exe" "${case_args[@]}" "${series[@]}" -images $images -h5file one.h5 -floatfile one.bin -intfile one.img > one.log
    for ((i = 1; i < images; ++i)); do cp "one_0000$i.bin" "single$i.bin"; done
fi
for ((i = 0; i < images; ++i)); do cmp "single$i.bin" "batch_0000$i.bin"; done
"$python" - "$mode" <<'PY'
import sys, h5py, numpy as np
mode = sys.argv[1]
with h5py.File("batch.h5", "r") as f:
    data = f["/entry/photons/photons"][:]
    om = f["/entry/sample/ub_matrix"][:]
    phi = f["/entry/sample/transformations/phi"][:]
for i in range(data.shape[0]):
    single = np.fromfile(f"single{i}.bin", dtype="<f4").reshape(data.shape[1:])
    assert data[i].tobytes() == single.tobytes(), f"HDF5 image {i} differs from its single run"
    if i: assert data[i].tobytes() != data[0].tobytes(), f"image {i} is the same as image 0"
if mode == "rotation":
    assert np.allclose(phi, [10.0, 10.1, 10.2, 10.3]), phi
    assert all(np.array_equal(om[0], m) for m in om)
else:
    assert (phi == phi[0]).all()
    assert len({m.tobytes() for m in om}) == len(om), "serial orientations repeat"
PY
echo "batch of $images ($mode, np=$np) equals the single runs"
