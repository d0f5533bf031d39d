#!/usr/bin/env bash
# Static analysis of src/ with clang-tidy (the checks are listed, with the reasons for
# those left out, in .clang-tidy), and the format of every C++ and CUDA source of the
# project against .clang-format (clang-format --dry-run; fix with clang-format -i). Uses the compile_commands.json of the build tree
# (build/ unless TILEBRAGG_BUILD_DIR says otherwise; scripts/build.sh makes it).
#   scripts/lint.sh [file ...]        (default: every src/**/*.cpp)
# Exit status 1 if clang-tidy reports anything; 77 if clang-tidy is not installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TILEBRAGG_BUILD_DIR:-$root/build}"
tidy="${CLANG_TIDY:-clang-tidy}"
if ! command -v "$tidy" >/dev/null; then
    echo "lint: $tidy not found (apt-get install clang-tidy); skipping" >&2
    exit 77
fi
if [[ ! -f "$build_dir/compile_commands.json" ]]; then
    echo "lint: no $build_dir/compile_commands.json; run scripts/build.sh first" >&2
    exit 2
fi
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
    mapfile -t files < <(cd "$root" && find src -name '*.cpp' | sort)
fi
start=$(date +%s)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# One clang-tidy per core; findings are collected and printed sorted at the end.
printf '%s\n' "${files[@]}" | (cd "$root" && xargs -P "$(nproc)" -n 1 \
    "$tidy" -p "$build_dir" --quiet --extra-arg=-Wno-unknown-warning-option) >"$log" 2>/dev/null || true
# A header's finding is reported once per file that includes it: count it once.
found="$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error):' "$log" | sed "s|^$root/||" | sort -u || true)"
findings=0
[[ -n "$found" ]] && findings=$(printf '%s\n' "$found" | wc -l) && printf '%s\n' "$found"
# Format: only on a whole-tree run (a file list is for clang-tidy's findings).
unformatted=0
if [[ $# -eq 0 ]] && command -v "${CLANG_FORMAT:-clang-format}" >/dev/null; then
    mapfile -t sources < <(cd "$root" && git ls-files 'src/*.cpp' 'src/*.hpp' 'src/*.h' 'src/*.cu' 'src/*.cuh' \
        'include/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'tests/*.cu' 'bench/*.cpp' 2>/dev/null || true)
    if [[ ${#sources[@]} -gt 0 ]]; then
        unformatted=$(cd "$root" && "${CLANG_FORMAT:-clang-format}" --style=file --dry-run "${sources[@]}" 2>&1 |
            grep -c "warning: code should be clang-formatted" || true)
        [[ $unformatted -gt 0 ]] && (cd "$root" && "${CLANG_FORMAT:-clang-format}" --style=file --dry-run \
            "${sources[@]}" 2>&1 | grep "warning: code should be clang-formatted" | cut -d: -f1 | sort | uniq -c |
            sed 's/^/lint: not formatted (lines): /')
    fi
fi
echo "lint: ${#files[@]} files, $findings finding(s), $unformatted unformatted place(s), $(( $(date +%s) - start )) s"
[[ $findings -eq 0 && $unformatted -eq 0 ]]
