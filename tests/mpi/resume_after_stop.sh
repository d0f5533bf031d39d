#!/usr/bin/env bash
# Interrupt and resume, deterministically: a batch of 8 images runs with the test switch
# TILEBRAGG_TEST_STOP_AFTER_IMAGES=1, so every process behaves as if SIGTERM had arrived
# right after it recorded its first complete image. The run must stop cleanly (exit
# 128 + 15 as a plain process, non-zero under the launcher, one message, a readable
# FILE.tmp with 1..2 x ranks images complete, the legacy files of those images only: a wave
# is `ranks` images here, and the first is recorded once the next has been rendered and
# handed to the writer, which finishes it before the run stops); a run with other
# parameters must refuse to resume into it; the same command then says "resuming: K of 8" and ends with the file
# of an uninterrupted run, to the bit. NP = 0 runs without a launcher.
# usage: resume_after_stop.sh MPIEXEC NP EXE WORKDIR PYTHON
set -uo pipefail
mpiexec=$1 np=$2 exe=$3 workdir=$4 python=$5
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
source "$(dirname "${BASH_SOURCE[0]}")/interrupt_lib.sh"
most=$((2 * (np > 0 ? np : 1)))

reference_run
TILEBRAGG_TEST_STOP_AFTER_IMAGES=1 "${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin \
    > part1.log 2> part1.err
rc=$?
if ((np == 0)); then ((rc == 143)) || fail "the stopped run exited $rc, not 143"
else ((rc != 0)) || fail "the stopped run exited 0"; fi
grep -qE "^tilebragg: stopped by signal 15 \(SIGTERM\): [1-$most] of 8 images complete in part.h5.tmp; rerun" part1.err ||
    fail "no stop message"
[[ -f part.h5.tmp && ! -f part.h5 ]] || fail "no part.h5.tmp left after the stop"
done_images=$(complete_count part.h5.tmp) || fail "part.h5.tmp is not readable"
((done_images >= 1 && done_images <= most)) || fail "$done_images images complete, expected 1..$most"
# Each image's legacy files are written when it is finished: a stopped run leaves those of
# its complete images, and no others.
legacy=$(ls part_0000*.bin 2>/dev/null | wc -l)
((legacy == done_images)) || fail "$legacy legacy float files after a stop with $done_images images complete"

# Another batch must not resume into it.
"${launch[@]}" "$exe" "${case_args[@]}" -phi 1 -h5file part.h5 -floatfile other.bin > other.log 2> other.err &&
    fail "resumed with other parameters"
grep -q "refusing to resume" other.err || fail "no refusal message: $(cat other.err)"

"${launch[@]}" "$exe" "${case_args[@]}" -h5file part.h5 -floatfile part.bin > part2.log 2> part2.err ||
    fail "resumed run"
grep -qE "^resuming: $done_images of 8 images already complete" part2.log || fail "no resuming line"
[[ -s part2.err ]] && fail "the resumed run wrote on stderr"
same_as_reference part.h5
for i in 0 1 2 3 4 5 6 7; do cmp "full_0000$i.bin" "part_0000$i.bin" || fail "legacy float file of image $i"; done
echo "stopped after $done_images of 8 images (exit $rc) and resumed: identical to the uninterrupted run"
