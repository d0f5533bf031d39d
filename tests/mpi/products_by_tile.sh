#!/usr/bin/env bash
# With tiles of whole rows, every rank makes the statistics and the detector counts (noise
# or int image) of the rows it rendered and compresses their blocks; the image's owner
# finishes the image from them. Whatever the decomposition, the files must be those of
# one plain process: the legacy float, int and noise images, the HDF5 chunks as stored
# (bytes), their values and checksums, and the printed statistics and noise tally. Cases:
# tiles of whole rows whose edges fall inside compression blocks, tiles that are not whole
# rows (the owner makes everything), -nonoise (the int image's scale is agreed first),
# deflate (no blocks exchanged), pixels bright enough for non-integer noise draws, a
# series (in bands, and in whole-image tiles), and an image of NaNs (refused on every
# rank).
# usage: products_by_tile.sh MPIEXEC EXE WORKDIR PYTHON
set -euo pipefail
shopt -s nullglob
mpiexec=$1 exe=$2 workdir=$3 python=$4
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir"
case_args=(-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 160
           -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 4242 -seed 77 -roi 10 150 20 140 -nopgm -noprogress)

# run NAME RANKS ARGS...: one run in folder NAME (RANKS 0: a plain process, one thread).
run() {
    local name=$1 np=$2
    shift 2
    mkdir -p "$name"
    if [[ $np == 0 ]]; then
        (cd "$name" && OMP_NUM_THREADS=1 "$exe" "${case_args[@]}" "$@" -h5file out.h5 > log 2>&1)
    else
        (cd "$name" && "$mpiexec" -n "$np" --oversubscribe --bind-to none "$exe" "${case_args[@]}" "$@" \
            -h5file out.h5 > log 2>&1)
    fi
}

# same A B: the two runs wrote the same files and printed the same figures.
same() {
    local f
    for f in "$1"/*.bin "$1"/*.img; do cmp "$f" "$2/$(basename "$f")"; done
    local figures='max_I|mean=|photons on noise|intfile_scale'
    diff <(grep -E "$figures" "$1/log") <(grep -E "$figures" "$2/log")
    "$python" - "$1/out.h5" "$2/out.h5" <<'PY'
import sys
import h5py
import numpy as np
def content(name):
    with h5py.File(name, "r") as f:
        if f["/entry/simulation"].attrs["complete"] != 1:
            sys.exit("FAIL: %s is not finished" % name)
        out = {"checksums": f["/entry/simulation/image_checksums"][()]}
        for path in ("/entry/data/data", "/entry/photons/photons"):
            d = f[path]
            out[path] = d[()]
            out[path + " chunks"] = [d.id.read_direct_chunk((i, 0, 0))[1] for i in range(d.shape[0])]
        return out
a, b = content(sys.argv[1]), content(sys.argv[2])
for key in a:
    same = np.array_equal(a[key], b[key]) if isinstance(a[key], np.ndarray) else a[key] == b[key]
    if not same:
        sys.exit("FAIL: %s differs between %s and %s" % (key, sys.argv[1], sys.argv[2]))
PY
    echo "same: $2 and $1"
}

run one 0
grep -q "photons on noise image" one/log || { echo "FAIL: the noise tally was not printed"; exit 1; }
run rows3 3                        # whole-row tiles of 3 rows: block edges fall inside tiles
same one rows3
run rows3_tall 3 -tile 160 16      # 2560 pixels a tile, a photons block 2048
same one rows3_tall
run squares2 2 -tile 40 40         # not whole rows: the owner makes everything
same one squares2
run deflate3 3 -h5compress deflate
run deflate_one 0 -h5compress deflate
same deflate_one deflate3

# Pixels of more than 1e6 expected photons: their noise is drawn from a normal
# distribution (not whole numbers), so the tally's order of additions matters.
run bright_one 0 -fluence 1e34
run bright3 3 -fluence 1e34 -tile 160 16
same bright_one bright3

run nonoise_one 0 -nonoise
run nonoise3 3 -nonoise -schedule static
same nonoise_one nonoise3

run series_one 0 -images 3 -osc 0.1 -h5only
run series3 3 -images 3 -osc 0.1 -h5only
same series_one series3
run series_whole2 2 -images 3 -osc 0.1 -h5only -tile 160 160  # whole-image tiles stay where rendered
same series_one series_whole2

# An image of NaNs: every rank stops with the one message, no file is published.
mkdir -p nan && cd nan
if "$mpiexec" -n 3 --oversubscribe --bind-to none "$exe" "${case_args[@]}" -fluence 1e300 -h5file out.h5 \
    > log 2> err; then
    echo "FAIL: an image of NaNs was accepted"; exit 1
fi
grep -q "NaN or infinite" err || { echo "FAIL: no message for an image of NaNs"; cat err; exit 1; }
[[ ! -e out.h5 ]] || { echo "FAIL: out.h5 published for an image of NaNs"; exit 1; }
echo "refused: an image of NaNs"
