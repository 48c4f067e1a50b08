#!/usr/bin/env bash
# Builds the whole test suite with AddressSanitizer + UndefinedBehaviorSanitizer (clang, build-san/,
# shared with the fuzz targets: scripts/configure-sanitized.sh) and runs it. Any memory error, leak
# or undefined behaviour fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/configure-sanitized.sh
cmake --build build-san -j"$(nproc)" --target medaudit medaudit_tests
export MEDAUDIT_CACHE_DIR="$PWD/build-san/cache"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-san
# The corpus-wide engine differential runs in the normal suite; under ASan it only costs time.
ctest --output-on-failure -j"$(nproc)" -E engines_differential_corpora "$@"
