#!/usr/bin/env bash
# Throughput of `medaudit audit` (2 threads, SQLite store included) next to `check --jsonl` alone
# and `audit --no-store`, on the demo corpus replicated to N items (default 12000).
# Prints items/s of each, the audit/check ratio and the store's cost (must stay <= 30%).
# Usage: bench/audit_bench.sh [BUILD_DIR] [ITEMS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
items=${2:-12000}
bin=$build/medaudit
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$items" "$work/corpus.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
src = [json.loads(l) for l in open("corpora/demo/items.jsonl", encoding="utf-8")]
with open(path, "w", encoding="utf-8") as out:
    for i in range(n):
        d = dict(src[i % len(src)]); d["id"] = f"{d['id']}-{i}"
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
best() {  # best wall time of 3 runs of "$@", in seconds
  local best=999999
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $t1 - $t0))")
  done
  echo "$best"
}
"$bin" check --jsonl --exit-zero <"$work/corpus.jsonl" >/dev/null  # warm the rules cache
t_check=$(best sh -c "taskset -c 0,1 $bin check --jsonl --exit-zero < $work/corpus.jsonl")
t_nostore=$(best taskset -c 0,1 "$bin" audit "$work/corpus.jsonl" --model bench --threads 2 \
  --no-store --out "$work/out")
t_audit=$(best sh -c "rm -f $work/m.db*; taskset -c 0,1 $bin audit $work/corpus.jsonl \
  --model bench --threads 2 --db $work/m.db --out $work/out")
python3 - "$items" "$t_check" "$t_nostore" "$t_audit" <<'PY'
import sys
n = int(sys.argv[1]); check, nostore, audit = map(float, sys.argv[2:])
print(f"items                         {n}")
print(f"check --jsonl (1 thread)      {n / check:10.0f} items/s  ({check:.2f} s)")
print(f"audit --no-store (2 threads)  {n / nostore:10.0f} items/s  ({nostore:.2f} s)")
print(f"audit with store (2 threads)  {n / audit:10.0f} items/s  ({audit:.2f} s)")
print(f"audit / check ratio           {check / audit:10.2f}  (audit checks answer AND baseline, "
      f"then compares them)")
cost = 1 - nostore / audit
print(f"store cost                    {100 * cost:9.1f} %  (limit 30 %)")
sys.exit(0 if cost <= 0.30 else 1)
PY
