# Shared by the interruption tests (sourced): the case, the launcher, waiting for a
# state, and the comparison with an uninterrupted run. Nothing here waits for time: a
# wait is for a line a process has written, bounded only so that a broken program fails
# the test instead of hanging it.
# Needs: mpiexec np exe python set by the caller, and the current folder its own.

# Eight light images (about 20 ms each on one core): a test switch or a held process,
# not the cost of an image, decides where the batch is interrupted.
case_args=(-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 256
           -mosaic 0.5 -mosaic_dom 20 -mosaic_seed 4242 -osc 0.1 -phisteps 2 -images 8
           -nonoise -nopgm -noprogress -tile 64 32)
export OMP_NUM_THREADS=1
launch=()
((np > 0)) && launch=("$mpiexec" -n "$np" --oversubscribe --bind-to none)

fail() { echo "FAIL: $*"; for f in *.err; do [[ -s $f ]] && { echo "== $f"; cat "$f"; }; done; exit 1; }

# wait_for_line FILE REGEX PID: returns 0 once FILE has a line matching REGEX, 1 if the
# process PID ended first (or after 60 s, which only a broken build takes).
wait_for_line() {
    local file=$1 regex=$2 pid=$3 k
    for ((k = 0; k < 3000; ++k)); do
        grep -qE "$regex" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { grep -qE "$regex" "$file" 2>/dev/null; return; }
        sleep 0.02
    done
    return 1
}

# The uninterrupted run every interrupted one must end up equal to.
reference_run() {
    "${launch[@]}" "$exe" "${case_args[@]}" "$@" -h5file full.h5 -floatfile full.bin > full.log 2> full.err ||
        fail "uninterrupted run"
}

# same_as_reference FILE: complete, every image recorded, images and phi identical.
same_as_reference() {
    "$python" - "$1" <<'PY' || fail "$1 differs from the uninterrupted run"
import sys, h5py
with h5py.File("full.h5", "r") as a, h5py.File(sys.argv[1], "r") as b:
    assert b["/entry/simulation"].attrs["complete"] == 1
    assert (b["/entry/simulation/images_complete"][:] == 1).all()
    for d in ("/entry/data/data", "/entry/photons/photons"):
        assert a[d][:].tobytes() == b[d][:].tobytes(), "images differ in " + d
    phi = "/entry/sample/transformations/phi"
    assert (a[phi][:] == b[phi][:]).all()
PY
}

# complete_count FILE: images recorded complete in an unfinished file.
complete_count() {
    "$python" -c 'import sys, h5py; print(int(h5py.File(sys.argv[1], "r")["/entry/simulation/images_complete"][:].sum()))' "$1"
}

# killed_job_left RC RANK_REGEX MAX: a job whose ranks matching RANK_REGEX were killed
# (exit RC, messages in part1.err) must have failed naming such a rank and the signal,
# and left part.h5.tmp (never part.h5) with complete = 0 and 1..MAX images recorded.
# Sets done_images.
killed_job_left() {
    local rc=$1 ranks=$2 max=$3
    cat part1.err
    ((rc != 0)) || fail "the job exited 0 although ranks were killed"
    grep -qE "rank $ranks .*(signal 9|Killed)" part1.err || fail "the message does not name a killed rank and the signal"
    [[ -f part.h5.tmp && ! -f part.h5 ]] || fail "expected part.h5.tmp and no part.h5 after the failure"
    "$python" -c 'import h5py, sys; sys.exit(int(h5py.File("part.h5.tmp", "r")["/entry/simulation"].attrs["complete"] != 0))' ||
        fail "the unfinished file does not say complete = 0"
    done_images=$(complete_count part.h5.tmp) || fail "part.h5.tmp is not readable"
    ((done_images >= 1 && done_images <= max)) || fail "$done_images images recorded, expected 1..$max"
}
