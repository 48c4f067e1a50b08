#!/usr/bin/env python3
"""Baseline for bench/check_bench: a plain Python `re` guard over the same drug lexicon and dose
patterns (one alternation of drug names, one of dose patterns, per text). Prints 'MBps <value>'."""
import argparse, json, os, re, time

ap = argparse.ArgumentParser()
ap.add_argument("--shared", required=True)
ap.add_argument("--rules", required=True)
ap.add_argument("--limit-mb", type=float, default=0.5, help="stop after this many MB (it is slow)")
args = ap.parse_args()

lexicon = json.load(open(os.path.join(args.rules, "knowledge", "drugs.json"), encoding="utf-8"))
names = set()
for d in lexicon["drugs"]:
    for group in ("names", "brands"):
        for lang_names in d.get(group, {}).values():
            names.update(n.lower() for n in lang_names)
drug_re = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
dose_re = re.compile(r"\d+(?:\.\d+)?\s*(?:mg|g|ml|mcg|毫克|克|毫升|微克|ملغ|مجم|غرام|مل)"
                     r"|every\s+\d+\s*hours?|\d+\s*times\s+(?:a|per)\s+day|每[日天]\s*\d+\s*次"
                     r"|كل\s*\d+\s*ساع")

texts = []
for folder in sorted(os.listdir(os.path.join(args.shared, "corpora"))):
    path = os.path.join(args.shared, "corpora", folder, "items.jsonl")
    if not os.path.exists(path):
        continue
    for line in open(path, encoding="utf-8"):
        item = json.loads(line)
        for field in ("answer", "baseline"):
            if isinstance(item.get(field), str) and item[field]:
                texts.append(item[field])

done = 0
hits = 0
start = time.perf_counter()
for text in texts:
    lowered = text.lower()
    hits += len(drug_re.findall(lowered)) + len(dose_re.findall(lowered))
    done += len(text.encode("utf-8"))
    if done > args.limit_mb * 1e6:
        break
elapsed = time.perf_counter() - start
print(f"hits {hits}")
print(f"MBps {done / 1e6 / elapsed:.4f}")
