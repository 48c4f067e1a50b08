#!/usr/bin/env bash
# The main job: builds medaudit if needed and audits the shipped demo corpus
# (corpora/demo/items.jsonl: model answers, clinician baselines and labels in zh/en/ar). Prints
# the summary (harm rate of the model vs the clinician baseline with 95% intervals, categories,
# agreement with the labels), stores the run in reports/medaudit.db and writes the reports to
# reports/<run-id>/. Pass another corpus path (and model name) to audit that instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
corpus=${1:-corpora/demo/items.jsonl}
model=${2:-demo-model}
mkdir -p reports
echo "medaudit $(build/medaudit --version) auditing $corpus" >&2
build/medaudit audit "$corpus" --model "$model"
