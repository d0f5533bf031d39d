#!/usr/bin/env bash
# A rank that dies: one rank (not rank 0) of a running 3-rank batch is killed with
# SIGKILL once the first image is recorded complete. The job must come down with a
# non-zero exit and a message naming the rank and the reason, leaving only FILE.tmp
# (never FILE) with complete = 0; rerunning the same command resumes it to a file whose
# images are the bytes of an uninterrupted run.
# usage: rank_failure.sh MPIEXEC EXE WORKDIR PYTHON
set -uo pipefail
mpiexec=$1 exe=$2 workdir=$3 python=$4
case_args=(-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 512
           -mosaic 0.5 -mosaic_dom 400 -mosaic_seed 4242 -osc 0.1 -phisteps 4 -images 6
           -nonoise -nopgm -noprogress -tile 96 32)
export HDF5_USE_FILE_LOCKING=FALSE OMP_NUM_THREADS=1
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
launch=("$mpiexec" -n 3 --oversubscribe --bind-to none)
fail() { echo "FAIL: $*"; exit 1; }

"${launch[@]}" "$exe" "${case_args[@]}" -h5file full.h5 -floatfile full.bin > full.log || fail "uninterrupted run"

"${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin > part1.log 2> part1.err &
pid=$!
victim=""
for ((k = 0; k < 600; ++k)); do
    sleep 0.05
    kill -0 $pid 2>/dev/null || break
    done_images=$("$python" -c 'import h5py; print(int(h5py.File("part.h5.tmp", "r")["/entry/simulation/images_complete"][:].sum()))' 2>/dev/null || echo 0)
    ((done_images >= 1)) || continue
    # The launcher's children are the ranks; pick the one whose environment says rank 1.
    for child in $(pgrep -P $pid); do
        if tr '\0' '\n' < /proc/$child/environ 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then victim=$child; fi
    done
    [[ -n $victim ]] && break
done
[[ -n $victim ]] || fail "no rank 1 process found while the batch ran"
kill -KILL "$victim"
wait $pid
rc=$?
cat part1.err
((rc != 0)) || fail "the job exited 0 although rank 1 was killed"
grep -qiE "rank 1" part1.err || fail "the message does not name rank 1"
grep -qiE "signal 9|killed" part1.err || fail "the message does not give the reason"
[[ -f part.h5.tmp && ! -f part.h5 ]] || fail "expected part.h5.tmp and no part.h5 after the failure"
"$python" -c 'import h5py, sys; sys.exit(0 if h5py.File("part.h5.tmp", "r")["/entry/simulation"].attrs["complete"] == 0 else 1)' \
    || fail "the unfinished file does not say complete = 0"

"${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin > part2.log || fail "resumed run"
grep -E "^resuming: [1-6] of 6 images already complete" part2.log || fail "no resuming line"
"$python" - <<'PY' || fail "files differ"
import h5py
with h5py.File("full.h5", "r") as a, h5py.File("part.h5", "r") as b:
    assert b["/entry/simulation"].attrs["complete"] == 1
    for d in ("/entry/data/data", "/entry/photons/photons"):
        assert a[d][:].tobytes() == b[d][:].tobytes(), "resumed images differ in " + d
PY
echo "rank 1 killed (job exit $rc), file left incomplete, resumed: identical to the uninterrupted run"
