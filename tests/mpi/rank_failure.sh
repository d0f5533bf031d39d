#!/usr/bin/env bash
# A rank that dies: every rank of a 3-rank batch holds after recording its first
# complete image (TILEBRAGG_TEST_HOLD_AFTER_IMAGES=1, so the batch cannot finish), and
# once rank 1 says it holds, it is killed with SIGKILL. The job must come down with a
# non-zero exit and a message naming the rank and the reason, leaving only FILE.tmp
# (never FILE) with complete = 0 and fewer than 8 images recorded; rerunning the same
# command resumes it to a file whose images are the bytes of an uninterrupted run.
# usage: rank_failure.sh MPIEXEC EXE WORKDIR PYTHON
set -uo pipefail
mpiexec=$1 exe=$2 workdir=$3 python=$4 np=3
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
source "$(dirname "${BASH_SOURCE[0]}")/interrupt_lib.sh"

reference_run
TILEBRAGG_TEST_HOLD_AFTER_IMAGES=1 "${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin \
    > part1.log 2> part1.err &
pid=$!
wait_for_line part1.err "^tilebragg: test hold after 1 image\(s\) \(pid [0-9]+, rank 1\)" $pid ||
    fail "rank 1 never held"
victim=$(grep -oE "pid [0-9]+, rank 1\)" part1.err | grep -oE "[0-9]+" | head -1)
kill -KILL "$victim"
wait $pid
rc=$?
killed_job_left $rc 1 3

"${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin > part2.log || fail "resumed run"
grep -E "^resuming: $done_images of 8 images already complete" part2.log || fail "no resuming line"
same_as_reference part.h5
for i in 0 1 2 3 4 5 6 7; do cmp "full_0000$i.bin" "part_0000$i.bin" || fail "legacy float file of image $i"; done
echo "rank 1 killed (job exit $rc) with $done_images of 8 images recorded, resumed: identical to the uninterrupted run"
