#!/usr/bin/env bash
# Interrupt and resume: a batch of 8 images is started in the background, sent SIGTERM
# once its first image is recorded complete, and must stop cleanly (non-zero exit, a
# readable FILE.tmp); the same command then says "resuming: K of 8" and ends with a file
# whose images are the bytes of an uninterrupted run. A different command must refuse
# to resume into it. NP = 0 runs without a launcher.
# usage: resume_after_sigterm.sh MPIEXEC NP EXE WORKDIR PYTHON
set -uo pipefail
mpiexec=$1 np=$2 exe=$3 workdir=$4 python=$5
# Heavy enough (about a second per image on one core) for the signal to land mid-batch.
case_args=(-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 512
           -mosaic 0.5 -mosaic_dom 400 -mosaic_seed 4242 -osc 0.1 -phisteps 4 -images 8
           -nonoise -nopgm -noprogress -tile 96 32)
export HDF5_USE_FILE_LOCKING=FALSE   # lets the probe below read the file being written
# One thread per process: an image then takes about a second even on a fast core, far
# longer than the probe needs to see it recorded.
export OMP_NUM_THREADS=1
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
launch=()
((np > 0)) && launch=("$mpiexec" -n "$np" --oversubscribe --bind-to none)
fail() { echo "FAIL: $*"; exit 1; }

"${launch[@]}" "$exe" "${case_args[@]}" -h5file full.h5 -floatfile full.bin > full.log || fail "uninterrupted run"

"${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin > part1.log 2> part1.err &
pid=$!
done_images=0
for ((k = 0; k < 600; ++k)); do
    sleep 0.05
    done_images=$("$python" -c 'import h5py; print(int(h5py.File("part.h5.tmp", "r")["/entry/simulation/images_complete"][:].sum()))' 2>/dev/null || echo 0)
    ((done_images >= 1)) && break
    kill -0 $pid 2>/dev/null || break
done
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
cat part1.err
((rc != 0)) || fail "the interrupted run exited 0"
[[ -f part.h5.tmp && ! -f part.h5 ]] || fail "no part.h5.tmp left after the interruption"

# Another batch must not resume into it.
"${launch[@]}" "$exe" "${case_args[@]}" -phi 1 -h5file part.h5 -floatfile other.bin > other.log 2> other.err && fail "resumed with other parameters"
grep -q "refusing to resume" other.err || fail "no refusal message: $(cat other.err)"

"${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin > part2.log || fail "resumed run"
grep -E "^resuming: [1-8] of 8 images already complete" part2.log || fail "no resuming line"
"$python" - <<'PY' || fail "files differ"
import h5py
with h5py.File("full.h5", "r") as a, h5py.File("part.h5", "r") as b:
    assert b["/entry/simulation"].attrs["complete"] == 1
    assert (b["/entry/simulation/images_complete"][:] == 1).all()
    for d in ("/entry/data/data", "/entry/photons/photons"):
        assert a[d][:].tobytes() == b[d][:].tobytes(), "resumed images differ in " + d
    assert (a["/entry/sample/transformations/phi"][:] == b["/entry/sample/transformations/phi"][:]).all()
PY
for i in 0 1 2 3 4 5 6 7; do cmp "full_0000$i.bin" "part_0000$i.bin" || fail "legacy float file of image $i"; done
echo "interrupted (exit $rc) and resumed: identical to the uninterrupted run"
