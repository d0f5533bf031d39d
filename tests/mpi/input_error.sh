#!/usr/bin/env bash
# A bad flag under mpiexec: every rank must stop (no hang), the job must exit non-zero,
# and the error must be printed once, not once per rank.
# usage: input_error.sh MPIEXEC NP EXE
set -uo pipefail
mpiexec=$1 np=$2 exe=$3
err=$(mktemp)
"$mpiexec" -n "$np" --oversubscribe --bind-to none "$exe" -default_F 100 -cell 100 100 100 90 90 90 \
    -detpixels 32 -tile 8 -5 2> "$err" > /dev/null
rc=$?
lines=$(grep -c "tilebragg: error:" "$err")
cat "$err" | grep "tilebragg:" || true
rm -f "$err"
if [[ $rc -eq 0 ]]; then echo "expected a non-zero exit code"; exit 1; fi
if [[ $lines -ne 1 ]]; then echo "expected one error line, got $lines"; exit 1; fi
echo "one message, exit code $rc"
