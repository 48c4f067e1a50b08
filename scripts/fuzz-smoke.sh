#!/usr/bin/env bash
# A short fuzzing pass for CI: every libFuzzer target for 15 s (6 targets: 90 s of fuzzing, under
# 2 minutes in all once build-fuzz/ is built). Exits non-zero when any target crashes, times out,
# leaks or runs out of memory. docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-15}" "$@"
