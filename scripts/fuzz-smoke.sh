#!/usr/bin/env bash
# A short fuzzing pass for CI: every libFuzzer target for 15 s (7 targets: 105 s of fuzzing, under
# 2 minutes in all once build-san/ is built), with a fixed seed so that a CI run can be replayed.
# Exits non-zero when any target crashes, times out, leaks or runs out of memory. docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_SEED="${FUZZ_SEED:-20261128}"
exec scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-15}" "$@"
