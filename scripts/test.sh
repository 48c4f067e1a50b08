#!/usr/bin/env bash
# Builds medaudit if needed and runs the whole test suite (unit tests, rule-pack tests, lint).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export MEDAUDIT_CACHE_DIR="$PWD/build/cache"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
