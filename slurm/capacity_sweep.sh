#!/usr/bin/env bash
# The machine's capacity for a sweep of slurm/local_sweep.sh: for each rank count R, R
# independent single-rank processes started together, each with one rank's share of the
# sweep's problem (weak: the whole per-rank job; strong: a band of 1/R of the detector's
# rows, through -roi). They share nothing but the machine, so their slowest run is what
# R cores deliver without any decomposition; analysis/capacity.py sets a sweep beside it.
#
# usage: slurm/capacity_sweep.sh strong|weak [options] [-- more tilebragg options]
#   --ranks "1 2 4"       process counts (default "1 2 4 8 16")
#   --out DIR             folder for the HDF5 files (default capacity-<mode>)
#   --exe PATH            tilebragg (default build/bin/tilebragg, then PATH)
#   --job FILE            job file (default jobs/<mode>_scaling.ini)
#   --rows-per-rank N     weak: detector rows per process (default 1024)
#   --repeat K            runs per count, files ..._k<i>_p<j>.h5 (default 1)
# Files: DIR/<mode>_c<R>[_k<i>]_p<j>.h5 (process j of R). Threads per process: 1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
mode=${1:-}
[[ $mode == strong || $mode == weak ]] || { sed -n '2,18p' "$0" >&2; exit 2; }
shift
ranks="1 2 4 8 16" out="" exe="" job="" rows=1024 repeat=1 tb_args=()
while (($#)); do
    case $1 in
        --ranks) ranks=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --exe) exe=$2; shift 2 ;;
        --job) job=$2; shift 2 ;;
        --rows-per-rank) rows=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --) shift; tb_args=("$@"); break ;;
        *) echo "capacity_sweep.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
out=${out:-capacity-$mode}
job=${job:-$root/jobs/${mode}_scaling.ini}
if [[ -z $exe ]]; then
    if [[ -x $root/build/bin/tilebragg ]]; then exe=$root/build/bin/tilebragg; else exe=$(command -v tilebragg); fi
fi
mkdir -p "$out"
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
# The strong problem's detector, from the job file (detpixels, or detpixels_f and _s).
size() { awk -F= -v k="$1" '$1 ~ "^ *(detpixels|" k ") *$" { gsub(/ /, "", $2); n = $2 } END { print n }' "$job"; }
fast=$(size detpixels_f) slow=$(size detpixels_s)
for r in $ranks; do
    for ((k = 1; k <= repeat; ++k)); do
        name=$(printf '%s_c%02d' "$mode" "$r")
        ((repeat > 1)) && name+="_k$k"
        pids=()
        for ((p = 0; p < r; ++p)); do
            part=()
            if [[ $mode == weak ]]; then
                part=(-detpixels_s "$rows")
            else
                part=(-roi 0 $((fast - 1)) $((p * slow / r)) $(((p + 1) * slow / r - 1)))
            fi
            rm -f "$out/${name}_p$p.h5" "$out/${name}_p$p.h5.tmp"
            "$exe" -job "$job" "${tb_args[@]}" "${part[@]}" -noprogress -nonoise -nopgm -h5file "$out/${name}_p$p.h5" \
                -floatfile "$out/${name}_p$p.bin" -intfile "$out/${name}_p$p.img" > "$out/${name}_p$p.log" &
            pids+=($!)
        done
        wait "${pids[@]}"
        rm -f "$out/${name}"_p*.bin "$out/${name}"_p*.img
        echo "$name: $r independent process(es) done"
    done
done
