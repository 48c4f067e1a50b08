#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang + ASan + UBSan in build-fuzz/ and runs each one,
# one process at a time, for SECONDS (default 60) over its seeds in tests/fuzz/<target>/ (read
# only) plus the growing corpus in build-fuzz/corpus/<target>/. Crash, timeout, leak and OOM
# inputs go to build-fuzz/crashes/. Prints executions, exec/s and new crashes per target and exits
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
if ! command -v clang++ >/dev/null ||
  ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  MEDAUDIT_WITH_SANITIZERS=1 scripts/install-deps.sh
fi

# The sanitizer flags are those of -DMEDAUDIT_SANITIZE=ON, given through CMAKE_CXX_FLAGS instead so
# that -fno-sanitize=pointer-overflow comes last: RapidJSON 1.1.0 (Debian 12) computes nullptr + n
# in internal::Stack::Reserve on a document's first push, which clang's UBSan reports on every
# parse (harmless, fixed upstream, not ours; gcc's UBSan in scripts/test-sanitizers.sh does not
# check it). -fno-sanitize=builtin likewise: RapidJSON 1.1.0's full-precision strtod calls
# __builtin_clzll(0) in DiyFp::Normalize for numbers like 0e200 (UB in theory, a zero result in
# practice). docs/fuzzing.md.
san="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMEDAUDIT_SANITIZE=OFF -DMEDAUDIT_BUILD_TESTS=OFF -DMEDAUDIT_BUILD_FUZZERS=ON \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link $san -fno-sanitize=pointer-overflow,builtin" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
if [ $# -gt 0 ]; then
  targets=("$@")
  cmake --build build-fuzz -j"${FUZZ_BUILD_JOBS:-1}" --target "${targets[@]}"  # only those named
else
  targets=()
  for src in fuzz/fuzz_*.cc; do targets+=("$(basename "$src" .cc)"); done
  cmake --build build-fuzz -j"${FUZZ_BUILD_JOBS:-1}" --target fuzzers
fi

mkdir -p build-fuzz/crashes build-fuzz/cache build-fuzz/logs
export MEDAUDIT_CACHE_DIR="$PWD/build-fuzz/cache"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

found=0
printf '%-16s %12s %10s %12s\n' target executions exec/s new-crashes
for t in "${targets[@]}"; do
  bin="build-fuzz/fuzz/$t"
  seeds="tests/fuzz/$t"
  corpus="build-fuzz/corpus/$t"
  log="build-fuzz/logs/$t.log"
  mkdir -p "$corpus" "$seeds"
  before=$(find build-fuzz/crashes -type f -name "$t-*" | wc -l)
  set +e
  "$bin" -max_total_time="$seconds" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t-" "$corpus" "$seeds" \
    >"$log" 2>&1
  rc=$?
  set -e
  after=$(find build-fuzz/crashes -type f -name "$t-*" | wc -l)
  new=$((after - before))
  if [ "$rc" -ne 0 ] && [ "$new" -eq 0 ]; then new=1; fi  # died without an artifact
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
  if [ -z "$execs" ]; then execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#' || true); fi
  printf '%-16s %12s %10s %12s\n' "$t" "${execs:-?}" "${rate:-?}" "$new"
  if [ "$new" -ne 0 ]; then
    found=1
    echo "  $t: see $log and build-fuzz/crashes/$t-*" >&2
  fi
done
exit "$found"
