#!/usr/bin/env bash
# Images per second of a rotation series into one compressed HDF5 file, whole process and
# inside the render loop (the slowest rank's total_s of the timing table), for several
# layouts of ranks x threads. One Markdown table on stdout (docs/performance.md).
#   bench/series_rate.sh [--backend cpu|cuda] [--case b2|light] [--images N]
#                        [--layouts "1x16 2x8 4x4"] [--exe PATH] [--inputs DIR] [--out DIR]
# b2: the GPU goal's series (1024^2, P1.hkl + A.mat, 10 domains, 2 phi steps, oversample
#   2, noise); light: 1024^2 with one orientation and -default_F, rendered in about 2 ms
#   per image on a CPU core, so that the figure is the write path's.
# Layouts RxT run as mpirun -np R with OMP_NUM_THREADS=T (R = 1 too, so that every
# layout pays the same start-up). Each layout runs TILEBRAGG_BENCH_RUNS times (default 3);
# the table gives the median run (by whole-process time). `mpirun` is the one on PATH;
# TILEBRAGG_PYTHON names a Python with h5py (default /usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backend=cpu case=b2 images=1000 layouts="1x2" exe="$root/build/bin/tilebragg-mpi"
inputs="$root/../shared/golden/inputs" out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --backend) backend="$2"; shift 2 ;;
        --case) case="$2"; shift 2 ;;
        --images) images="$2"; shift 2 ;;
        --layouts) layouts="$2"; shift 2 ;;
        --exe) exe="$2"; shift 2 ;;
        --inputs) inputs="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        *) echo "series_rate.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
runs="${TILEBRAGG_BENCH_RUNS:-3}"
exe="$(realpath "$exe")" inputs="$(realpath "$inputs")"
case "$case" in
    b2) args="-hkl $inputs/P1.hkl -matrix $inputs/A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 1024 \
-mosaic 0.2 -mosaic_dom 10 -mosaic_seed 7 -oversample 2 -phisteps 2 -osc 0.1" ;;
    light) args="-default_F 100 -cell 100 100 100 90 90 90 -N 1 -lambda 1 -distance 100 -detpixels 1024 \
-pixel 0.1 -osc 0.1" ;;
    *) echo "series_rate.sh: --case b2 or light" >&2; exit 2 ;;
esac
if [[ -z "$out" ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
[[ $(id -u) -ne 0 ]] || export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

echo "| layout | whole process | images/s whole | images/s in the loop | io_s, rank 0 | file |"
echo "|---|---:|---:|---:|---:|---:|"
for layout in $layouts; do
    ranks="${layout%x*}" threads="${layout#*x}"
    results=()
    for ((k = 0; k < runs; k++)); do
        file="$out/series_${layout}_$k.h5"
        rm -f "$file"
        start=$(date +%s.%N)
        # shellcheck disable=SC2086
        mpirun -np "$ranks" --oversubscribe --bind-to none -x OMP_NUM_THREADS="$threads" "$exe" -backend "$backend" \
            $args -seed 4321 -images "$images" -h5file "$file" -h5only -noprogress > "$out/log_${layout}_$k.txt" 2>&1
        end=$(date +%s.%N)
        results+=("$("${TILEBRAGG_PYTHON:-/usr/bin/python3}" - "$file" "$start" "$end" "$images" <<'PY'
import os, sys
import h5py
path, start, end, images = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
with h5py.File(path, "r") as f:
    t = f["/entry/simulation/timing/per_rank"]
    loop = max(t["total_s"][()])
    io0 = t["io_s"][0]
whole = end - start
print("%.3f %.1f %.1f %.3f %.0f" % (whole, images / whole, images / loop, io0, os.path.getsize(path) / 1e6))
PY
)")
        rm -f "$file"  # 4.4 GB per B2 run: the next run must not find a disk full of old ones
    done
    median="$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")"
    read -r whole rate loop io0 mb <<<"$median"
    echo "| $ranks x $threads | $whole s | $rate | $loop | $io0 s | $mb MB |"
done
