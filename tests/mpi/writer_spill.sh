#!/usr/bin/env bash
# Rank 0 keeps a wave's compressed images for its writer thread up to a bound and writes
# the rest as they arrive. The same 2-rank series, written with every image kept
# (the default bound), with none kept (TILEBRAGG_TEST_DEFERRED_WAVE_BYTES=0) and with a
# bound that keeps the first image of each wave and not the second, must give the same
# images, checksums and complete flags, each file finished.
# usage: writer_spill.sh MPIEXEC EXE WORKDIR PYTHON
set -euo pipefail
mpiexec=$1 exe=$2 workdir=$3 python=$4
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir"
args=(-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 128
      -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 4242 -seed 77 -osc 0.1 -images 6 -h5only -noprogress)
launch=("$mpiexec" -n 2 --oversubscribe --bind-to none)

"${launch[@]}" "$exe" "${args[@]}" -h5file kept.h5 > kept.log
TILEBRAGG_TEST_DEFERRED_WAVE_BYTES=0 "${launch[@]}" -x TILEBRAGG_TEST_DEFERRED_WAVE_BYTES "$exe" "${args[@]}" \
    -h5file spilled.h5 > spilled.log
# One image and a half of the first image's compressed bytes: a wave keeps one image.
bound=$("$python" - <<'PY'
import h5py
with h5py.File("kept.h5", "r") as f:
    size = sum(f[p].id.get_chunk_info(0).size for p in ("/entry/data/data", "/entry/photons/photons"))
print(size * 3 // 2)
PY
)
TILEBRAGG_TEST_DEFERRED_WAVE_BYTES=$bound "${launch[@]}" -x TILEBRAGG_TEST_DEFERRED_WAVE_BYTES "$exe" "${args[@]}" \
    -h5file mixed.h5 > mixed.log

"$python" - <<'PY'
import sys
import h5py
import numpy as np
paths = ("/entry/data/data", "/entry/photons/photons", "/entry/simulation/image_checksums",
         "/entry/simulation/images_complete")
with h5py.File("kept.h5", "r") as k, h5py.File("spilled.h5", "r") as s, h5py.File("mixed.h5", "r") as m:
    for f in (k, s, m):
        sim = f["/entry/simulation"]
        if sim.attrs["complete"] != 1 or not (sim["images_complete"][:] == 1).all():
            sys.exit("FAIL: %s is not finished with every image complete" % f.filename)
    for p in paths:
        a = k[p][()]
        for other in (s, m):
            if a.dtype != other[p].dtype or not np.array_equal(a, other[p][()]):
                sys.exit("FAIL: %s of %s differs from the file written with every image kept" % (p, other.filename))
print("kept, spilled and mixed writes give the same 6 images, checksums and flags")
PY
