#!/usr/bin/env bash
# Builds the libFuzzer targets of the file readers (tests/fuzz/fuzz_*.cpp) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs each for a bounded time on a
# copy of its seed corpus (tests/fuzz/corpus/<name>/).
#   scripts/fuzz.sh [seconds-per-target] [target ...]      (default 20 s, all targets)
# Exit status is non-zero if any target finds a crash; the input that crashed is kept
# in <build>/fuzz/artifacts/ and should become a regression test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-20}"; shift || true
out="${TILEBRAGG_BUILD_DIR:-$root/build}/fuzz"
cxx="${TILEBRAGG_FUZZ_CXX:-clang++}"
if ! command -v "$cxx" >/dev/null; then
    echo "fuzz: $cxx not found (install clang and libclang-rt-14-dev); skipping" >&2
    exit 77
fi
mkdir -p "$out/artifacts"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    for f in "$root"/tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp | sed 's/^fuzz_//')"); done
fi
flags=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$root/include" -I"$root/src")
status=0
for t in "${targets[@]}"; do
    bin="$out/fuzz_$t"
    "$cxx" "${flags[@]}" "$root/tests/fuzz/fuzz_$t.cpp" "$root"/src/formats/*.cpp -o "$bin"
    work="$out/corpus_$t"
    mkdir -p "$work"
    echo "fuzz: $t for ${seconds}s"
    # Inputs may legitimately ask for big boxes; the readers must refuse them politely
    # below the fuzzer's own 2 GiB limit.
    export TILEBRAGG_MEMORY_LIMIT_MB=256
    if ! (cd "$out" && "$bin" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$out/artifacts/${t}-" \
            -print_final_stats=1 "$work" "$root/tests/fuzz/corpus/$t" 2>&1 | tail -n 12); then
        echo "fuzz: $t FOUND A CRASH (see $out/artifacts)" >&2
        status=1
    fi
done
exit $status
