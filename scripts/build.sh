#!/usr/bin/env bash
# Configures and builds tilebragg in build/ (Release unless the cache says otherwise).
# Extra arguments go to CMake, e.g.  scripts/build.sh -DTILEBRAGG_ISA=x86-64-v3
# TILEBRAGG_BUILD_DIR overrides the build folder.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TILEBRAGG_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"

configure_args=()
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    configure_args+=(-DCMAKE_BUILD_TYPE=Release)
fi
cmake -S "$root" -B "$build_dir" "${configure_args[@]}" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
