#!/usr/bin/env bash
# Builds tilebragg and renders one image of a small cubic crystal into demo/:
# out.bin (raw float32, 1024 x 1024), out.pgm (a preview), out.img (SMV, 16-bit) and
# noise.img (SMV with Poisson noise).
# This is the single-process run; the MPI-distributed run with HDF5 output builds on it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TILEBRAGG_BUILD_DIR:-$root/build}"
if [[ $(id -u) -eq 0 ]]; then
    # Open MPI refuses to start as root without both of these (containers, CI).
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

"$root/scripts/build.sh"

demo_dir="$root/demo"
mkdir -p "$demo_dir"
cd "$demo_dir"   # cached structure factors (Fdump.bin) stay in here
"$build_dir/bin/tilebragg" \
    -default_F 100 -cell 100 100 100 90 90 90 -lambda 6.2 -N 5 \
    -distance 100 -detpixels 1024 \
    -floatfile "$demo_dir/out.bin" -pgmfile "$demo_dir/out.pgm" \
    -intfile "$demo_dir/out.img" -noisefile "$demo_dir/noise.img" -noprogress

for f in out.bin out.pgm out.img noise.img; do
    if [[ ! -s "$demo_dir/$f" ]]; then
        echo "demo: tilebragg finished but $demo_dir/$f was not written" >&2
        exit 1
    fi
done
echo "demo: wrote out.bin, out.pgm, out.img and noise.img in $demo_dir"
