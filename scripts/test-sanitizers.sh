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
# Compile the shipped rules' databases into the cache once (minutes under ASan), before the three
# processes below would each compile them. The plain suite's cache, when there is one, holds the same
# databases (keyed by the packs' specs; the Hyperscan library is the same, uninstrumented one, and every
# cached file is checked on load): seeding from it saves that compile, while the unit tests still compile
# their own small packs under ASan.
mkdir -p "$MEDAUDIT_CACHE_DIR"
if [ -d build/cache ]; then cp -n build/cache/*.hsdb "$MEDAUDIT_CACHE_DIR"/ 2>/dev/null || true; fi
build-san/medaudit rules list --rules rules >/dev/null
cd build-san
# The unit tests run as one process rather than one per test case (as ctest runs them in the normal
# suite): each process loads the shipped rules, which under ASan costs seconds, 430 times over.
# The packs' own tests run beside it. The lint (every expression compiled alone in both engines),
# the same pack tests through RE2 and the corpus-wide engine differential run in the normal suite:
# their time goes to the uninstrumented engine libraries, so under ASan they only cost time
# (the lint alone took 14 minutes).
tests/medaudit_tests "$@" &
unit=$!
ctest --output-on-failure -j"$(nproc)" -R '^rules_' -E '^rules_(lint|test_re2)$' &
packs=$!
status=0
wait "$unit" || status=1
wait "$packs" || status=1
exit "$status"
