#!/usr/bin/env bash
# Strong and weak scaling of the structure-factor image of issue 15 on one node, beside
# R independent single-rank processes on the same cores, and the same with -default_F
# (no F lookup) as a control; then bench/hkl_scaling_summary.py. docs/scaling.md, "Structure
# factors at 16 ranks", has the figures and what they mean.
#
# usage: bench/hkl_scaling.sh [options]
#   --exe PATH       tilebragg (default build/bin/tilebragg)
#   --ranks R        ranks, one thread each, one core each (default 16)
#   --size N         image N x N pixels of 0.05 mm (default 2048); weak problem N x N/R
#   --repeat K       repeats of the R-rank and independent runs (default 3)
#   --inputs DIR     P1.hkl and A.mat (default ../shared/golden/inputs)
#   --mpirun "CMD"   launcher and its options (default: mpirun --bind-to core)
#   --probe PATH     a bench/core_probe.c binary: runs it on CPU 0 alone, then on every
#                    CPU at once, first
#   --out DIR        working folder (default hkl-scaling)
#   -- ARGS          tilebragg options added to every run (e.g. -- -h5only)
# Independent processes are pinned with taskset to CPUs 0..R-1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exe=$root/build/bin/tilebragg ranks=16 size=2048 repeat=3 inputs=$root/../shared/golden/inputs
launcher="mpirun --bind-to core" probe="" out=hkl-scaling
extra=()
while (($#)); do
    case $1 in
        --exe) exe=$(realpath "$2"); shift 2 ;;
        --ranks) ranks=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --inputs) inputs=$(realpath "$2"); shift 2 ;;
        --mpirun) launcher=$2; shift 2 ;;
        --probe) probe=$(realpath "$2"); shift 2 ;;
        --out) out=$2; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        *) sed -n '2,20p' "$0" >&2; exit 2 ;;
    esac
done
[[ $(id -u) -ne 0 ]] || launcher="$launcher --allow-run-as-root"
strip=$((size / ranks))
mkdir -p "$out"
out=$(realpath "$out")

if [[ -n $probe ]]; then
    echo "core probe, CPU 0 alone: $(taskset -c 0 "$probe")"
    pids=()
    for i in $(seq 0 $((ranks - 1))); do taskset -c "$i" "$probe" > "$out/probe$i.txt" & pids+=($!); done
    wait "${pids[@]}"
    for i in $(seq 0 $((ranks - 1))); do echo "core probe, CPU $i of $ranks at once: $(cat "$out/probe$i.txt")"; done
fi

physics=(-matrix "$inputs/A.mat" -lambda 6.2 -N 5 -distance 100 -pixel 0.05 -mosaic 0.2 -mosaic_dom 50
         -mosaic_seed 7 -oversample 2 -phisteps 4 -osc 0.1 -nonoise -nopgm -noprogress "${extra[@]}")
run() {  # FOLDER TILEBRAGG_ARGS...: one run of one rank on CPU 0
    mkdir -p "$1" && (cd "$1" && OMP_NUM_THREADS=1 taskset -c 0 "$exe" "${@:2}" -h5file out.h5 > log 2>&1)
}
run_mpi() {
    mkdir -p "$1" && (cd "$1" && $launcher -np "$ranks" -x OMP_NUM_THREADS=1 "$exe" "${@:2}" -h5file out.h5 > log 2>&1)
}
run_each() {  # FOLDER STRIPS TILEBRAGG_ARGS...: R processes side by side; STRIPS=1: strip i of the image
    local pids=() folder=$1 strips=$2 i roi
    shift 2
    for i in $(seq 0 $((ranks - 1))); do
        roi=()
        [[ $strips == 1 ]] && roi=(-roi 0 $((size - 1)) $((i * strip)) $((i * strip + strip - 1)))
        mkdir -p "$folder/$i"
        (cd "$folder/$i" && OMP_NUM_THREADS=1 taskset -c "$i" "$exe" "$@" "${roi[@]}" -h5file out.h5 > log 2>&1) &
        pids+=($!)
    done
    wait "${pids[@]}"
}
for case in hkl dF; do
    d=$out
    f=(-hkl "$inputs/P1.hkl")
    if [[ $case == dF ]]; then d=$out/dF f=(-default_F 100); fi
    run "$d/s1" "${f[@]}" "${physics[@]}" -detpixels "$size"
    for k in $(seq "$repeat"); do
        run_mpi "$d/s${ranks}_$k" "${f[@]}" "${physics[@]}" -detpixels "$size"
        run_each "$d/is_$k" 1 "${f[@]}" "${physics[@]}" -detpixels "$size"
        run "$d/w1_$k" "${f[@]}" "${physics[@]}" -detpixels_f "$size" -detpixels_s "$strip"
        run_each "$d/iw_$k" 0 "${f[@]}" "${physics[@]}" -detpixels_f "$size" -detpixels_s "$strip"
    done
done
grep -h "warning" "$out"/s*/log "$out"/dF/s*/log 2>/dev/null | sort | uniq -c || true
"${TILEBRAGG_PYTHON:-/usr/bin/python3}" "$root/bench/hkl_scaling_summary.py" "$out"
