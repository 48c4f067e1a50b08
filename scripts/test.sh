#!/usr/bin/env bash
# Builds medaudit if needed and runs the whole test suite (unit tests, rule-pack tests, lint).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export MEDAUDIT_CACHE_DIR="$PWD/build/cache"
# Compile the shipped rules' databases into the cache once, before the parallel tests would each
# compile them.
build/medaudit rules list --rules rules >/dev/null
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
