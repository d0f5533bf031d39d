#!/usr/bin/env bash
# Builds the unit tests, the robustness tests and the program with AddressSanitizer and
# UndefinedBehaviorSanitizer in a second build tree (Debug, so findings carry line
# numbers) and runs ctest -L 'unit|robustness' there: the robustness table then drives the
# sanitized program through every bad input and full disk. Any finding ends the
# test that hit it (the build uses -fno-sanitize-recover=all), so the exit status is
# non-zero on the first leak, overflow or undefined operation.
#   scripts/sanitize.sh [extra ctest arguments]
# TILEBRAGG_SANITIZE_DIR overrides the build tree (default build-asan/ next to build/).
# ThreadSanitizer is not run: see docs/robustness.md (libgomp is not TSan-instrumented,
# so every OpenMP barrier would be reported, and a TSan build of the kernel tests would
# not fit in CI's time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TILEBRAGG_SANITIZE_DIR:-$root/build-asan}"

start=$(date +%s)
# Without the CUDA backend: nvcc's objects are not instrumented anyway, and this keeps
# the CPU-only configuration (make_renderer without CUDA) built and tested in every run.
# One copy of the CPU kernel (TILEBRAGG_ISA=native: the widest this CPU runs, no run-time
# choice): each copy of its std::experimental::simd code takes minutes to compile with the
# sanitizers, and at -O1 more than five. -O0, so the compile stays short; the tests that
# render (kernel contract, golden) are sized for it.
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DTILEBRAGG_ISA=native \
      -DTILEBRAGG_SANITIZE=address,undefined -DTILEBRAGG_CUDA=OFF >/dev/null
targets=(unit_tests tilebragg)
# tests/robustness brings its own GoogleTest executable once it has test_*.cpp files.
if compgen -G "$root/tests/robustness/test_*.cpp" >/dev/null; then targets+=(robustness_tests); fi
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# Leaks made and lost inside third-party libraries (each one named and explained there).
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# Tests that run the simulator through setup read the golden inputs; two threads each.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
status=0
ctest --test-dir "$build_dir" --output-on-failure -L 'unit|robustness' -j "${TILEBRAGG_TEST_JOBS:-2}" "$@" || status=$?
echo "sanitize: address,undefined build and unit+robustness tests took $(( $(date +%s) - start )) s (status $status)"
exit $status
