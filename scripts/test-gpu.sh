#!/usr/bin/env bash
# Runs the GPU tests on a machine with a CUDA GPU, and fails if any test fails or is
# skipped (there, a skip means the GPU was not seen).
#   scripts/test-gpu.sh                 build (scripts/build.sh), then ctest -L gpu
#   scripts/test-gpu.sh GPU_TESTS [...] run a gpu_tests binary built elsewhere (a GPU
#                                       machine without the build tree); further
#                                       arguments go to it (e.g. --gtest_filter=...)
# The golden cases are found through TILEBRAGG_GOLDEN_DIR (default ../shared/golden).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

if [[ $# -gt 0 ]]; then
    binary="$1"; shift
    status=0
    "$binary" "$@" 2>&1 | tee "$log" || status=$?
    skipped="$(grep -cE '^\[  SKIPPED \] .* \([0-9]+ ms\)$' "$log" || true)"
    # The binary names the revision it was built from ("gpu_tests: tilebragg <rev> ...").
    revision="$(grep -m1 -o 'gpu_tests: tilebragg [^ ]*' "$log" | awk '{print $3}' || true)"
else
    build_dir="${TILEBRAGG_BUILD_DIR:-$root/build}"
    "$root/scripts/build.sh"
    if [[ ! -x "$build_dir/tests/gpu/gpu_tests" ]]; then
        echo "test-gpu: this build has no CUDA backend (TILEBRAGG_CUDA)" >&2
        exit 2
    fi
    status=0
    ctest --test-dir "$build_dir" -L gpu --output-on-failure -j "${TILEBRAGG_TEST_JOBS:-2}" 2>&1 | tee "$log" ||
        status=$?
    skipped="$(grep -cE '\(Skipped\)|Not Run' "$log" || true)"
    revision="$(git -C "$root" describe --always --dirty 2>/dev/null || true)"
fi
if [[ "$skipped" -gt 0 ]]; then
    echo "test-gpu: $skipped test(s) skipped: on a GPU machine that is a failure (is the GPU visible?)" >&2
    status=1
fi
[[ $status -eq 0 ]] && echo "test-gpu: passed on ${revision:-an unknown revision}"
exit $status
