#!/usr/bin/env bash
# Configures build-san/: clang with AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer
# coverage, shared by the sanitized test suite (scripts/test-sanitizers.sh) and the fuzz targets
# (scripts/fuzz.sh), so that CI compiles the libraries once for both. -O1 keeps the suite quick
# under ASan; -gline-tables-only gives file:line stack traces at a fraction of -g's compile time.
#
# The sanitizer flags go through CMAKE_CXX_FLAGS (not -DMEDAUDIT_SANITIZE=ON) so that
# -fno-sanitize=pointer-overflow,builtin comes last: RapidJSON 1.1.0 (Debian 12) computes
# nullptr + n in internal::Stack::Reserve on a document's first push, and its full-precision
# strtod calls __builtin_clzll(0) for numbers like 0e200; both harmless, fixed upstream, not ours.
# docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MEDAUDIT_WITH_SANITIZERS=1 scripts/install-deps.sh
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_COMPILER=clang++ \
  -DMEDAUDIT_SANITIZE=OFF -DMEDAUDIT_BUILD_TESTS=ON -DMEDAUDIT_BUILD_FUZZERS=ON \
  -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only -fsanitize=fuzzer-no-link $san -fno-sanitize=pointer-overflow,builtin" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
