#!/usr/bin/env bash
# Builds the whole test suite with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/,
# Debug) and runs it. Any memory error, leak or undefined behaviour fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMEDAUDIT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$(nproc)" --target medaudit medaudit_tests
export MEDAUDIT_CACHE_DIR="$PWD/build-asan/cache"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1
cd build-asan
# The corpus-wide engine differential runs in the normal suite; under ASan it only costs time.
ctest --output-on-failure -j"$(nproc)" -E engines_differential_corpora "$@"
