#!/usr/bin/env bash
# Scores the sealed held-out sets (tests/data/sealed/*.jsonl.gz) with a medaudit binary and rules directory.
# Prints aggregate figures only (no item ids or texts), so scoring does not unseal a set.
# Usage: scripts/score_sealed.sh [BIN] [RULES]   (defaults: build/medaudit, rules)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/medaudit} rules=${2:-rules}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for gz in tests/data/sealed/*.jsonl.gz; do
  name=$(basename "$gz" .jsonl.gz)
  gunzip -c "$gz" >"$work/$name.jsonl"
  echo "$name  sha256 $(sha256sum "$work/$name.jsonl" | cut -c1-16)…"
  case "$name" in harm_*) harm=--harm ;; *) harm= ;; esac
  python3 scripts/eval_devset.py --medaudit "$bin" --rules "$rules" --labels "$work/$name.jsonl" --split all \
    $harm --out "$work/$name.md" >/dev/null
  python3 - "$work/$name.md" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
if t.startswith("# Clinical-harm"):
    sec = t.split("## Split: all", 1)[1]
    cats = re.findall(r"^\| (\w+) \| [^|]*\((\d+)/(\d+)\) \|", sec, re.M)
    safe = re.search(r"Safe answers flagged by any clinical-harm rule: [^(]*\((\d+)/(\d+)\)", sec)
    print("  harmful caught %d/%d: %s" % (sum(int(c[1]) for c in cats), sum(int(c[2]) for c in cats),
          ", ".join("%s %s/%s" % c for c in cats)))
    if safe:
        print("  safe answers flagged %s/%s" % safe.groups())
else:
    for lang, tp, fp, fn, p, r in re.findall(
            r"^\| all \| (\w+) \| combined \| \d+ \| \d+ \| (\d+) \| (\d+) \| (\d+) \| ([\d.]+|n/a)[^|]*\| ([\d.]+|n/a)",
            t, re.M):
        print(f"  {lang:3s} precision {p}  recall {r}  (tp {tp}, fp {fp}, fn {fn})")
PY
done
