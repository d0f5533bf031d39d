#!/usr/bin/env bash
# Ranks that share cores get one warning from rank 0; ranks on cores of their own get none.
#   core_sharing.sh MPIEXEC EXE
# Cases (two ranks of one thread each): both pinned to CPU 0 with taskset; OMP_PROC_BIND
# with a launcher that binds nothing (every rank's thread takes the first place); each
# rank pinned to a CPU of its own (needs two CPUs, skipped on one).
set -uo pipefail
mpiexec=$1 exe=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
args=(-default_F 100 -cell 100 100 100 90 90 90 -lambda 6.2 -N 5 -distance 100 -detpixels 32
      -nonoise -nopgm -noprogress -floatfile f.bin)
failed=0
check() {  # NAME EXPECTED_WARNINGS LAUNCH...
    local name=$1 want=$2
    shift 2
    "$@" "$exe" "${args[@]}" > out.txt 2> err.txt
    local rc=$? got
    got=$(grep -c "warning: ranks share cores" err.txt)
    echo "$name: exit $rc, $got warning(s), expected $want"
    sed 's/^/    /' err.txt
    if [[ $rc -ne 0 || $got -ne $want ]]; then failed=1; fi
}
launch=("$mpiexec" -n 2 --oversubscribe --bind-to none -x OMP_NUM_THREADS=1)
check "both ranks on CPU 0" 1 "${launch[@]}" -x OMP_PROC_BIND=false taskset -c 0
check "OMP_PROC_BIND=close, no launcher binding" 1 "${launch[@]}" -x OMP_PROC_BIND=close
if [[ $(nproc) -ge 2 ]]; then
    # Rank r on the r-th CPU this test may use.
    check "each rank on a CPU of its own" 0 "${launch[@]}" -x OMP_PROC_BIND=false bash -c \
        'cpu=$(taskset -c -p $$ | sed "s/.*: //" | tr "," "\n" | while IFS=- read a b; do seq "$a" "${b:-$a}"; done |
              sed -n "$((OMPI_COMM_WORLD_LOCAL_RANK + 1))p"); exec taskset -c "$cpu" "$0" "$@"'
else
    echo "each rank on a CPU of its own: skipped (one CPU)"
fi
exit $failed
