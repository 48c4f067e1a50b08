#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang + ASan + UBSan in build-san/ and runs each one,
# one process at a time, for SECONDS (default 60) over its seeds in tests/fuzz/<target>/ (read
# only) plus the growing corpus in build-san/corpus/<target>/. Crash, timeout, leak and OOM
# inputs go to build-san/crashes/. Prints executions, exec/s and new crashes per target and exits
# 1 when any target found something. docs/fuzzing.md.
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]        e.g. scripts/fuzz.sh 30 fuzz_check
# FUZZ_SEED=N fixes libFuzzer's seed (CI); FUZZ_BUILD_JOBS=N builds in parallel (default 1);
# FUZZ_TIMEOUT=S is libFuzzer's -timeout per input (default 10 s; raise it on a starved machine,
# where a slow input is not a hang: replay it alone first, docs/fuzzing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift
scripts/configure-sanitized.sh  # clang + ASan + UBSan + libFuzzer coverage, in build-san/
if [ $# -gt 0 ]; then
  targets=("$@")
  cmake --build build-san -j"${FUZZ_BUILD_JOBS:-1}" --target "${targets[@]}"  # only those named
else
  targets=()
  for src in fuzz/fuzz_*.cc; do targets+=("$(basename "$src" .cc)"); done
  cmake --build build-san -j"${FUZZ_BUILD_JOBS:-1}" --target fuzzers
fi

mkdir -p build-san/crashes build-san/cache build-san/logs
export MEDAUDIT_CACHE_DIR="$PWD/build-san/cache"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

found=0
printf '%-16s %12s %10s %12s\n' target executions exec/s new-crashes
for t in "${targets[@]}"; do
  bin="build-san/fuzz/$t"
  seeds="tests/fuzz/$t"
  corpus="build-san/corpus/$t"
  log="build-san/logs/$t.log"
  mkdir -p "$corpus" "$seeds"
  before=$(find build-san/crashes -type f -name "$t-*" | wc -l)
  set +e
  "$bin" -max_total_time="$seconds" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
    -print_final_stats=1 -artifact_prefix="build-san/crashes/$t-" "$corpus" "$seeds" \
    >"$log" 2>&1
  rc=$?
  set -e
  after=$(find build-san/crashes -type f -name "$t-*" | wc -l)
  new=$((after - before))
  if [ "$rc" -ne 0 ] && [ "$new" -eq 0 ]; then new=1; fi  # died without an artifact
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
  if [ -z "$execs" ]; then execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true); fi
  printf '%-16s %12s %10s %12s\n' "$t" "${execs:-?}" "${rate:-?}" "$new"
  if [ "$new" -ne 0 ]; then
    found=1
    echo "  $t: see $log and build-san/crashes/$t-*" >&2
  fi
done
exit "$found"
