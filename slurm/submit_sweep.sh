#!/usr/bin/env bash
# Submits a strong- or weak-scaling sweep to Slurm, one job per rank count, and prints
# one line per job: "<job id> <mode> ranks=<R> threads=<T> <HDF5 file>".
#
# usage: slurm/submit_sweep.sh strong|weak [options] [-- more tilebragg options]
#   --ranks "1 2 4 8 16"   rank counts (default "1 2 4 8 16")
#   --threads T            OpenMP threads per rank = --cpus-per-task (default 1)
#   --out DIR              folder for the HDF5 files (default sweep-<mode>)
#   --exe PATH             tilebragg (default: build/bin/tilebragg, then PATH)
#   --job FILE             job file (default jobs/strong_scaling.ini or jobs/weak_scaling.ini)
#   --rows-per-rank N      weak sweeps: detector rows per rank (default 1024)
#   --images-per-rank N    weak sweeps of a series instead: N images per rank (-images
#                          N x ranks, -h5only), the detector as the job file has it
#   --gpus-per-task G      GPU ranks: G GPUs per task (--gpus-per-task, each task bound to
#                          its own: --gpu-bind=per_task:G) and -backend cuda; files
#                          <mode>_r<R>_t<T>_g<G>.h5. One rank per GPU: G = 1.
#   --nodes N              nodes per job (default: let Slurm choose)
#   --time T  --partition P  --account A    passed to sbatch
#   --exclusive            ask for whole nodes (recommended for timing)
# Jobs run one after another (--dependency=singleton under one job name), so runs do
# not share cores and their timings are comparable.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
mode=${1:-}
[[ $mode == strong || $mode == weak ]] || { sed -n '2,23p' "$0" >&2; exit 2; }
shift
ranks="1 2 4 8 16" threads=1 out="" exe="" job="" rows=1024 images=0 gpus=0 extra_sbatch=() tb_args=()
while (($#)); do
    case $1 in
        --ranks) ranks=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --exe) exe=$2; shift 2 ;;
        --job) job=$2; shift 2 ;;
        --rows-per-rank) rows=$2; shift 2 ;;
        --images-per-rank) images=$2; shift 2 ;;
        --gpus-per-task) gpus=$2; extra_sbatch+=(--gpus-per-task="$2"); shift 2 ;;
        --nodes) extra_sbatch+=(--nodes="$2"); shift 2 ;;
        --time) extra_sbatch+=(--time="$2"); shift 2 ;;
        --partition) extra_sbatch+=(--partition="$2"); shift 2 ;;
        --account) extra_sbatch+=(--account="$2"); shift 2 ;;
        --exclusive) extra_sbatch+=(--exclusive); shift ;;
        --) shift; tb_args=("$@"); break ;;
        *) echo "submit_sweep.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
out=$(realpath -m "${out:-sweep-$mode}")
job=$(realpath "${job:-$root/jobs/${mode}_scaling.ini}")
if [[ -z $exe ]]; then
    if [[ -x $root/build/bin/tilebragg ]]; then exe=$root/build/bin/tilebragg; else exe=$(command -v tilebragg); fi
fi
exe=$(realpath "$exe")
mkdir -p "$out"
for r in $ranks; do
    jid=$(cd "$out" && TB_EXE=$exe TB_JOB=$job TB_OUT=$out TB_ARGS="${tb_args[*]:-}" TB_ROWS_PER_RANK=$rows \
          TB_IMAGES_PER_RANK=$images TB_GPUS_PER_TASK=$gpus TB_SLURM_DIR=$here \
          sbatch --parsable --export=ALL --job-name="tb-$mode-sweep" --dependency=singleton \
                 --ntasks="$r" --cpus-per-task="$threads" "${extra_sbatch[@]}" "$here/${mode}_scaling.sbatch")
    name=$(printf '%s_r%02d_t%02d' "$mode" "$r" "$threads")
    ((gpus > 0)) && name+="_g$gpus"
    printf '%s %s ranks=%d threads=%d gpus_per_task=%d %s\n' "${jid%%;*}" "$mode" "$r" "$threads" "$gpus" \
        "$out/$name.h5"
done
