#!/usr/bin/env bash
# Differential test of the two scan engines on real answers: `check --jsonl` over every answer and
# baseline of ../shared/corpora must give byte-identical output with Hyperscan and with RE2.
# Usage: differential_engines.sh MEDAUDIT RULES_DIR SHARED_DIR
set -euo pipefail
medaudit=$1 rules=$2 shared=$3
if [ ! -d "$shared/corpora" ]; then echo "skip: no $shared/corpora"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$shared/corpora" >"$work/in.jsonl" <<'PY'
import json, os, sys
root = sys.argv[1]
for folder in sorted(os.listdir(root)):
    path = os.path.join(root, folder, "items.jsonl")
    if not os.path.exists(path):
        continue
    for line in open(path, encoding="utf-8"):
        item = json.loads(line)
        for field in ("answer", "baseline"):
            if isinstance(item.get(field), str):
                print(json.dumps({"id": f"{folder}/{item['id']}/{field}", "answer": item[field],
                                  "question": item.get("question") or ""}, ensure_ascii=False))
PY
"$medaudit" check --jsonl --exit-zero --rules "$rules" --engine hyperscan <"$work/in.jsonl" >"$work/hs.jsonl"
# The RE2 engine is the slow side (most of this test's time): run it on one shard of the lines per core, in
# parallel, and join the shards in order; `check --jsonl` answers each line on its own.
shards=$(nproc)
split -n l/"$shards" -d -a 3 "$work/in.jsonl" "$work/shard."
pids=()
for shard in "$work"/shard.*; do
  "$medaudit" check --jsonl --exit-zero --rules "$rules" --engine re2 <"$shard" >"$shard.re2" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
cat "$work"/shard.*.re2 >"$work/re2.jsonl"
lines=$(wc -l <"$work/in.jsonl")
if ! cmp -s "$work/hs.jsonl" "$work/re2.jsonl"; then
  echo "engines differ on real answers:"
  diff <(cut -c1-300 "$work/hs.jsonl") <(cut -c1-300 "$work/re2.jsonl") | head -20
  exit 1
fi
echo "hyperscan and re2 agree on $lines answers"
