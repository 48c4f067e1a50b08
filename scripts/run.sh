#!/usr/bin/env bash
# The main job: builds medaudit if needed and checks every model answer of the shipped demo
# corpus (corpora/demo/items.jsonl, zh/en/ar), printing per-answer results to reports/ and a
# summary table to the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
corpus=${1:-corpora/demo/items.jsonl}
mkdir -p reports
out=reports/check-$(basename "$(dirname "$corpus")").jsonl
echo "medaudit $(build/medaudit --version) checking $corpus" >&2
set +e
build/medaudit check --jsonl --summary --exit-zero <"$corpus" >"$out"
code=$?
set -e
echo "" >&2
echo "per-answer verdicts and findings: $out" >&2
exit $code
