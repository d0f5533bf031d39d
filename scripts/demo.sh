#!/usr/bin/env bash
# Builds tilebragg and renders one image of a small cubic crystal on 2 MPI ranks into
# demo/: out.h5 (NeXus/HDF5: image, parameters, per-rank and per-tile timing), out.png
# (a log-scaled preview of out.h5 by analysis/view.py), and the reference's files:
# out.bin (raw float32, 1024 x 1024), out.pgm, out.img (SMV) and noise.img.
# TILEBRAGG_DEMO_RANKS changes the number of ranks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TILEBRAGG_BUILD_DIR:-$root/build}"
ranks="${TILEBRAGG_DEMO_RANKS:-2}"
python=/usr/bin/python3   # Debian's, with h5py and matplotlib
if [[ $(id -u) -eq 0 ]]; then
    # Open MPI refuses to start as root without both of these (containers, CI).
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

"$root/scripts/build.sh"

demo_dir="$root/demo"
mkdir -p "$demo_dir"
cd "$demo_dir"   # cached structure factors (Fdump.bin) stay in here
# --bind-to none: Open MPI would otherwise pin each rank to one core, leaving OpenMP
# one thread; --oversubscribe lets the demo run with more ranks than cores.
mpirun -np "$ranks" --bind-to none --oversubscribe "$build_dir/bin/tilebragg" \
    -default_F 100 -cell 100 100 100 90 90 90 -lambda 6.2 -N 5 \
    -distance 100 -detpixels 1024 \
    -h5file "$demo_dir/out.h5" \
    -floatfile "$demo_dir/out.bin" -pgmfile "$demo_dir/out.pgm" \
    -intfile "$demo_dir/out.img" -noisefile "$demo_dir/noise.img" -noprogress

"$python" "$root/analysis/view.py" "$demo_dir/out.h5" -o "$demo_dir/out.png"

for f in out.h5 out.png out.bin out.pgm out.img noise.img; do
    if [[ ! -s "$demo_dir/$f" ]]; then
        echo "demo: tilebragg finished but $demo_dir/$f was not written" >&2
        exit 1
    fi
done
echo "demo: wrote out.h5, out.png, out.bin, out.pgm, out.img and noise.img in $demo_dir ($ranks ranks)"
