#!/usr/bin/env bash
# Kernel times on the GPU of B1, B2 and B3, tilebragg's CUDA kernel beside nanoBraggCUDA,
# in float and double, one Markdown table on stdout (docs/performance.md, GPU section).
#   bench/gpu_compare.sh NANOBRAGG_CUDA [GPU_KERNEL_BENCH] [INPUTS_DIR]
# NANOBRAGG_CUDA: nanoBraggCUDA from bl831/nanoBragg cuda/, built outside this repository,
#   or "-" to time tilebragg alone. It prints KERNEL_MS on stderr; its "double" is its
#   own double-float arithmetic.
# GPU_KERNEL_BENCH: default build/bench/gpu_kernel_bench. INPUTS_DIR: P1.hkl and A.mat,
#   default ../shared/golden/inputs.
# Each program runs in a fresh empty folder (nanoBragg reads an Fdump.bin left there).
# tilebragg: the fastest of 20 launches after 3 warm-ups, in one process; nanoBraggCUDA:
# one launch per process, the fastest of TILEBRAGG_BENCH_RUNS (default 3) processes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nb="${1:?usage: bench/gpu_compare.sh NANOBRAGG_CUDA|- [GPU_KERNEL_BENCH] [INPUTS_DIR]}"
bench="$(realpath "${2:-$root/build/bench/gpu_kernel_bench}")"
inputs="$(realpath "${3:-$root/../shared/golden/inputs}")"
runs="${TILEBRAGG_BENCH_RUNS:-3}"
[[ "$nb" == "-" ]] || nb="$(realpath "$nb")"

b1="-default_F 100 -cell 100 100 100 90 90 90 -lambda 6.2 -N 5 -distance 100 -detpixels 4096"
b2="-hkl $inputs/P1.hkl -matrix $inputs/A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 1024 -mosaic 0.2 \
-mosaic_dom 10 -mosaic_seed 7 -oversample 2 -phisteps 2 -osc 0.1"
b3="${b2/-mosaic_dom 10/-mosaic_dom 50}"
b3="${b3/-phisteps 2/-phisteps 4}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fresh() { rm -rf "$scratch/run"; mkdir -p "$scratch/run"; cd "$scratch/run"; }

# tilebragg: "kernel_ms memory_mib"
tilebragg_time() {
    fresh
    # shellcheck disable=SC2086
    out="$("$bench" -repeats 20 -warmup 3 $1 -precision "$2")"
    echo "$out" >&2
    echo "$(awk '/^GPU_KERNEL_MS/ {print $4}' <<<"$out") $(awk '/^GPU_MEMORY_MIB/ {print $3}' <<<"$out")"
}

# nanoBraggCUDA: the fastest KERNEL_MS of $runs processes.
nanobragg_time() {
    local best=""
    for _ in $(seq "$runs"); do
        fresh
        # shellcheck disable=SC2086
        ms="$("$nb" $1 -precision "$2" -floatfile out.bin -nonoise -nopgm -noprogress 2>&1 >/dev/null |
              awk '/^KERNEL_MS/ {print $2}')"
        [[ -n "$ms" ]] || { echo "nanoBraggCUDA printed no KERNEL_MS for: $1" >&2; echo "n/a"; return; }
        best="$(awk -v a="$ms" -v b="$best" 'BEGIN {print (b == "" || a < b) ? a : b}')"
    done
    echo "$best"
}

echo "| case | precision | tilebragg kernel (ms) | nanoBraggCUDA kernel (ms) | tilebragg GPU memory (MiB) |"
echo "|---|---|---|---|---|"
for case in B1 B2 B3; do
    case $case in B1) args="$b1";; B2) args="$b2";; B3) args="$b3";; esac
    for precision in float double; do
        read -r ms mib < <(tilebragg_time "$args" "$precision")
        nb_ms="-"
        if [[ "$nb" != "-" ]]; then
            nb_ms="$(nanobragg_time "$args" "$([[ $precision == float ]] && echo single || echo double)")"
        fi
        echo "| $case | $precision | $ms | $nb_ms | $mib |"
    done
done
