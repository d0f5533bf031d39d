#!/usr/bin/env bash
# A strong- or weak-scaling sweep with plain mpirun (no Slurm): one run per rank count,
# one after another, each writing its own HDF5 file named by its shape into a folder,
# then the table and plots of analysis/scaling.py.
#
# usage: slurm/local_sweep.sh strong|weak [options] [-- more tilebragg options]
#   --ranks "1 2 4"       rank counts (default "1 2 4 8 16")
#   --threads T           OpenMP threads per rank (default 1)
#   --out DIR             folder for the HDF5 files and plots (default sweep-<mode>)
#   --exe PATH            tilebragg (default build/bin/tilebragg, then PATH)
#   --job FILE            job file (default jobs/<mode>_scaling.ini)
#   --rows-per-rank N     weak sweeps: detector rows per rank (default 1024)
#   --images-per-rank N   weak sweeps of a series instead: N images per rank (-images
#                         N x ranks into the one HDF5 file, -h5only)
#   --backend B           -backend B for every run (cpu, cuda, auto); with cuda the files
#                         are named ..._cuda.h5 and the ranks share the node's GPUs
#                         round-robin (backend_choice.hpp)
#   --repeat K            runs per rank count, files ..._k<i>.h5; the analysis takes
#                         the fastest of them (default 1)
#   --mpirun "CMD"        launcher and its options (default: mpirun --oversubscribe
#                         --bind-to none, plus --allow-run-as-root as root)
# Files: DIR/<mode>_r<ranks>_t<threads>.h5; the analysis goes to DIR/scaling.txt (and
# .md, .json) and DIR/<mode>_speedup.png, DIR/<mode>_efficiency.png.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
mode=${1:-}
[[ $mode == strong || $mode == weak ]] || { sed -n '2,22p' "$0" >&2; exit 2; }
shift
ranks="1 2 4 8 16" threads=1 out="" exe="" job="" rows=1024 images=0 backend="" repeat=1 launcher="" tb_args=()
while (($#)); do
    case $1 in
        --ranks) ranks=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --exe) exe=$2; shift 2 ;;
        --job) job=$2; shift 2 ;;
        --rows-per-rank) rows=$2; shift 2 ;;
        --images-per-rank) images=$2; shift 2 ;;
        --backend) backend=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --mpirun) launcher=$2; shift 2 ;;
        --) shift; tb_args=("$@"); break ;;
        *) echo "local_sweep.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
out=${out:-sweep-$mode}
job=${job:-$root/jobs/${mode}_scaling.ini}
if [[ -z $exe ]]; then
    if [[ -x $root/build/bin/tilebragg ]]; then exe=$root/build/bin/tilebragg; else exe=$(command -v tilebragg); fi
fi
if [[ -z $launcher ]]; then
    launcher="mpirun --oversubscribe --bind-to none"
    [[ $(id -u) -eq 0 ]] && launcher+=" --allow-run-as-root"
fi
python=${TILEBRAGG_PYTHON:-/usr/bin/python3}
mkdir -p "$out"
export OMP_NUM_THREADS=$threads OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
files=()
for r in $ranks; do
    repeats=()
    for ((k = 1; k <= repeat; ++k)); do
        name=$(printf '%s_r%02d_t%02d' "$mode" "$r" "$threads")
        [[ -n $backend && $backend != cpu ]] && name+="_$backend"
        ((repeat > 1)) && name+="_k$k"
        shape=()
        if [[ $mode == weak ]] && ((images > 0)); then shape=(-images $((images * r)) -h5only)
        elif [[ $mode == weak ]]; then shape=(-detpixels_s $((rows * r))); fi
        [[ -n $backend ]] && shape+=(-backend "$backend")
        rm -f "$out/$name.h5" "$out/$name.h5.tmp"
        start=$(date +%s.%N)
        # shellcheck disable=SC2086
        $launcher -n "$r" "$exe" -job "$job" "${tb_args[@]}" "${shape[@]}" -noprogress -nonoise -nopgm \
            -h5file "$out/$name.h5" -floatfile "$out/$name.bin" -intfile "$out/$name.img" > "$out/$name.log"
        rm -f "$out/$name.bin" "$out/$name.img"
        awk -v n="$name" -v r="$r" -v t="$threads" -v s="$start" -v e="$(date +%s.%N)" \
            'BEGIN { printf "%s: %d rank(s) x %d thread(s): %.2f s (launch included)\n", n, r, t, e - s }'
        repeats+=("$out/$name.h5")
    done
    # Of the repeats, the fastest (the least disturbed by whatever else runs here).
    files+=("$("$python" -c '
import sys, h5py
def wall(p):
    with h5py.File(p, "r") as f:
        return max(f["entry/simulation/timing/per_rank/total_s"][:])
print(min(sys.argv[1:], key=wall))' "${repeats[@]}")")
done
"$python" "$root/analysis/scaling.py" "${files[@]}" --mode "$mode" --out-dir "$out" --prefix "$mode" \
    --json "$out/scaling.json" | tee "$out/scaling.txt"
"$python" "$root/analysis/scaling.py" "${files[@]}" --mode "$mode" --no-plots --markdown > "$out/scaling.md"
