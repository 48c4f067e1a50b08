#!/usr/bin/env python3
"""Select the candidate texts for the fifth AI-prescription label set (holdout5, blind).

Usage (from the repository root):

    python3 scripts/select_rx_set5.py [--shared ../shared] > /tmp/set5_candidates.jsonl

Prints one JSON line per selected text: {"source", "id", "field", "lang", "pos", "bucket"}.
Ids only, no corpus text.  Stdlib only, deterministic (fixed seed SEED, different from set 4's).

Selection rules (mirrors scripts/select_rx_set4.py, with a heavier dose oversample):
  * texts from the `answer` / `baseline` fields of <shared>/corpora/*/items.jsonl, at most the
    per-source character limit in QUOTAS (2,000; 3,000 for HealthBench and ACI-Bench; 2,500 for K-QA);
    the WHO list (reference data, no answers) and AHD (all 42 Arabic texts already labelled) are not used;
  * excluded: every (source, id, field) in rx_labels.jsonl, rx_labels_dev2.jsonl, rx_labels_dev3.jsonl and
    rx_labels_set4.jsonl; texts whose wording is identical or nearly identical (after dropping whitespace,
    punctuation and case: same string, or Jaccard similarity >= NEAR_DUP of character 5-gram sets) to an
    already-labelled text or to an earlier pick;
  * each text goes into one bucket, using this script's own simple patterns (no medaudit rule is used):
      "dose"  a drug-like token within WINDOW characters of a dose / frequency / route / duration / usage cue
              (zh: number or Chinese numeral + 毫克/mg/片/粒/袋/ml/…, 每日/一日 N 次, 一次 N, 用法/用量, 口服,
              N 个疗程, …; en: number + mg/ml/tablets/…, twice a day, every N hours, for N days, by mouth, …);
              texts that also match the stricter numeric pattern STRONG near a drug token are drawn first;
      "drug"  a drug-like token but no such cue near it;
      "other" everything else;
  * per source and field, the quota q is split: 60% "dose", 20% "drug", the rest "random" (drawn from all
    remaining texts of that source/field, any bucket).  Inside a bucket the picks are a seeded random sample
    (random.Random(SEED + source offset)), spread over the whole file; a short bucket is topped up from
    "random".  The bucket is used for sampling only and is never a label;
  * a text marked `en` that is mostly French/Portuguese/Spanish is skipped when drawn;
  * output order: language (zh, en), then source, field, position in the file.
"""

import argparse
import json
import os
import random
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20250917
WINDOW = 40
NEAR_DUP = 0.8
DOSE_SHARE, DRUG_SHARE = 0.6, 0.2

# (source, field): (quota, max chars)
QUOTAS = {
    # zh: 200
    ("toyhom_chinese_medical_dialogue", "baseline"): (60, 2000),
    ("huatuo26m_testset", "baseline"): (55, 2000),
    ("cmtmedqa_test", "baseline"): (40, 2000),
    ("huatuo_llama_med_chinese", "answer"): (45, 2000),
    # en: 200
    ("aci_bench", "baseline"): (38, 3000),
    ("aci_bench", "answer"): (8, 3000),
    ("healthbench_context_seeking_subset", "baseline"): (20, 3000),
    ("healthbench_context_seeking_subset", "answer"): (10, 3000),
    ("medicationqa", "baseline"): (25, 2000),
    ("mts_dialog", "baseline"): (26, 2000),
    ("mts_dialog", "answer"): (10, 2000),
    ("kqa", "baseline"): (14, 2500),
    ("kqa", "answer"): (4, 2500),
    ("chatdoctor_genmedgpt5k", "answer"): (14, 2000),
    ("liveqa_med_2017", "answer"): (14, 2000),
    ("liveqa_med_2017", "baseline"): (2, 2000),
    ("medquad", "baseline"): (12, 2000),
    ("medquad", "answer"): (10, 2000),
    ("medsafetybench", "baseline"): (8, 2000),
}
LANG_ORDER = {"zh": 0, "en": 1, "ar": 2}
EARLIER_LABELS = ("rx_labels.jsonl", "rx_labels_dev2.jsonl", "rx_labels_dev3.jsonl", "rx_labels_set4.jsonl")

# ---- own patterns (independent of medaudit's rules) ----
ZH_NUM = r"[一二三四五六七八九十两半\d]"
ZH_DRUG = re.compile(
    r"[\u4e00-\u9fff]{1,8}(?:片|胶囊|颗粒|丸|散|膏|口服液|注射液|针剂|冲剂|糖浆|栓|喷雾剂|滴眼液|滴耳液|滴鼻液|软膏|乳膏|凝胶|合剂|酊|贴|粉)"
    r"|[\u4e00-\u9fff]{1,6}(?:霉素|沙星|西林|头孢[\u4e00-\u9fff]{1,4}|拉唑|替丁|洛尔|地平|普利|沙坦|他汀|硝唑|康唑|韦|司琼|米松|松龙|芬|酚|嗪|平|素|酸钠|酸钙)"
    r"|维生素[A-Za-z\d]*|阿司匹林|布洛芬|对乙酰氨基酚|二甲双胍|胰岛素|叶酸|钙片|黄体酮|甲硝唑|优甲乐|达英|妈富隆|乳果糖|益生菌|蒙脱石|疫苗"
    r"|[\u4e00-\u9fff]{2,6}(?:汤|饮)(?:加减)?"
    r"|[A-Za-z]{4,}")
ZH_DOSE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|g|ml|μg|ug|iu|u|毫克|克|毫升|微克|单位|片|粒|袋|丸|支|包|滴|喷|次)"
    + r"|" + ZH_NUM + r"\s*(?:片|粒|袋|丸|支|包|滴|喷|克|毫升|毫克)"
    r"|(?:每日|每天|一日|一天|日|每晚|每早|每周|每隔)\s*" + ZH_NUM + r"\s*(?:次|遍|回)"
    r"|" + ZH_NUM + r"\s*次\s*/\s*[日天周]"
    r"|(?:一次|每次|一回|每回)\s*" + ZH_NUM +
    r"|\b(?:qd|bid|tid|qid|qn|prn)\b"
    r"|" + ZH_NUM + r"+\s*(?:个)?疗程|连[用服续]\s*" + ZH_NUM + r"+\s*(?:天|日|周|个月)"
    r"|用法|用量|服用|服药|口服|外用|外涂|外敷|涂抹|静滴|静脉|肌注|注射|冲服|含服|煎服|水煎|泡水|睡前|饭前|饭后|餐前|餐后|早晚各"
    r"|" + ZH_NUM + r"+\s*(?:天|日|周|星期|个月)", re.I)
ZH_STRONG = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|g|ml|μg|毫克|克|毫升|微克|单位|片|粒|袋|丸|支|包)"
    r"|(?:每日|每天|一日|一天|日)\s*[一二三四两1-4]\s*次|[一二三四两半\d]\s*(?:片|粒|袋|丸|支|包)"
    r"|(?:一次|每次)\s*[一二三四两半\d]|用法用量", re.I)

EN_DRUG = re.compile(
    r"\b[a-z]{3,}(?:cillin|mycin|micin|prazole|statin|olol|pril|sartan|floxacin|cycline|azole|dipine|tidine|triptan"
    r"|oxetine|pam|lam|mab|vir|sone|olone|parin|gliptin|glitazone|formin|zepam|barbital|caine|profen|dronate|tropin"
    r"|lukast|terol|tadine|zosin|semide|thiazide|setron|pine|done|xaban|gatran)\b"
    r"|\b(?:acetaminophen|paracetamol|tylenol|ibuprofen|advil|motrin|aspirin|naproxen|aleve|metformin|insulin|prednisone"
    r"|melatonin|vitamin [a-z0-9]+|folic acid|iron|magnesium|zinc|calcium|loratadine|claritin|cetirizine|zyrtec"
    r"|diphenhydramine|benadryl|amoxicillin|augmentin|warfarin|coumadin|eliquis|xarelto|heparin|levothyroxine|synthroid"
    r"|lisinopril|amlodipine|gabapentin|tramadol|morphine|oxycodone|albuterol|epinephrine|epipen|nitroglycerin"
    r"|colchicine|allopurinol|furosemide|lasix|sertraline|zoloft|fluoxetine|prozac|escitalopram|lexapro|tamsulosin"
    r"|finasteride|metoprolol|ondansetron|zofran|clopidogrel|plavix|meloxicam|pepcid|famotidine|simethicone|miralax"
    r"|polyethylene glycol|senna|docusate|loperamide|imodium|hydrocortisone|triamcinolone|mupirocin|neosporin"
    r"|permethrin|vaccine|tdap|mmr|flonase|fluticasone|mucinex|guaifenesin|sudafed|pseudoephedrine|flexeril"
    r"|cyclobenzaprine|norco|percocet|toradol|keflex|cephalexin|bactrim|cipro|zithromax|azithromycin|doxycycline"
    r"|lipitor|crestor|humalog|lantus|ozempic|saxenda|wegovy|mounjaro|methotrexate|steroids?|cortisone)\b",
    re.I)
EN_DOSE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|µg|g|ml|cc|units?|iu|tablets?|tabs?|capsules?|caps?|puffs?|drops?|sprays?|teaspoons?"
    r"|milligrams?|micrograms?)\b"
    r"|\b(?:one|two|three|four|a|1|2|3|4)\s+(?:tablets?|pills?|capsules?|puffs?|drops?|sprays?|teaspoons?)\b"
    r"|\b(?:once|twice|three times|four times|[1-4]x)\s+(?:a|per|each|every)\s+(?:day|daily|night|week)\b"
    r"|\b(?:once|twice|three times) daily\b|\bevery \d+(?:\s*(?:-|to)\s*\d+)?\s*hours?\b|\bq\d+h\b"
    r"|\b(?:bid|tid|qid|qd|qhs|qam|qpm|po|prn|iv|im)\b|\bdaily\b|\bat bedtime\b|\bnightly\b"
    r"|\bfor \d+(?:\s*(?:-|to)\s*\d+)?\s*(?:days?|weeks?|months?)\b"
    r"|\b(?:a|per|each|every) (?:day|night|morning|evening)\b|\b\d+ times? (?:a|per) day\b|\bat night\b"
    r"|\bfor (?:a|one|two|three|four|five|six|seven|ten|several|a few) (?:days?|weeks?|months?)\b"
    r"|\b(?:by mouth|orally|topically|intramuscular(?:ly)?|intravenous(?:ly)?|subcutaneous(?:ly)?|with meals"
    r"|before meals|as needed)\b", re.I)
EN_STRONG = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|ml|units?|iu|tablets?|capsules?|puffs?|milligrams?)\b"
    r"|\b(?:once|twice|three times|four times) (?:a day|daily)\b|\bevery \d+ hours\b", re.I)

PATTERNS = {"zh": (ZH_DRUG, ZH_DOSE, ZH_STRONG), "en": (EN_DRUG, EN_DOSE, EN_STRONG)}

FOREIGN_WORDS = {"le", "la", "les", "des", "est", "une", "et", "du", "pour", "avec", "dans", "vous", "não", "uma",
                 "com", "para", "você", "el", "los", "por", "con", "usted"}
ENGLISH_WORDS = {"the", "and", "is", "of", "to", "you", "your", "with", "for", "are"}


def not_english(text):
    """True for a text marked en that is mostly French/Portuguese/Spanish (skipped, as in earlier sets)."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    return sum(w in FOREIGN_WORDS for w in words) > sum(w in ENGLISH_WORDS for w in words)


def near(spans, m):
    s, e = m.span()
    return any(ds - WINDOW <= e and s <= de + WINDOW for ds, de in spans)


def bucket(text, lang):
    """Return (bucket, strong): strong = a STRONG numeric cue near a drug-like token."""
    pats = PATTERNS.get(lang)
    if pats is None:
        return "other", False
    drug_re, dose_re, strong_re = pats
    drugs = [m.span() for m in drug_re.finditer(text)]
    if not drugs:
        return "other", False
    if not any(near(drugs, m) for m in dose_re.finditer(text)):
        return "drug", False
    return "dose", any(near(drugs, m) for m in strong_re.finditer(text))


def norm(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())


def shingles(n_text, k=5):
    return {n_text[i:i + k] for i in range(max(1, len(n_text) - k + 1))}


class Seen:
    """Identical or near-identical wording (normalised string, 5-gram Jaccard >= NEAR_DUP)."""

    def __init__(self):
        self.keys = set()
        self.sets = []

    def dup(self, text):
        n = norm(text)
        if n in self.keys:
            return True
        sh = shingles(n)
        for other in self.sets:
            small, big = sorted((len(sh), len(other)))
            if big and small / big < NEAR_DUP:
                continue
            inter = len(sh & other)
            if inter and inter / len(sh | other) >= NEAR_DUP:
                return True
        return False

    def add(self, text):
        n = norm(text)
        self.keys.add(n)
        self.sets.append(shingles(n))


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"))
    args = ap.parse_args()
    corpora = os.path.join(args.shared, "corpora")

    # label files that existed before set 5 (fixed list, so later files do not change the selection)
    labelled = set()
    for f in EARLIER_LABELS:
        for o in read_jsonl(os.path.join(REPO, "tests", "data", "devset", f)):
            if "source" in o:
                labelled.add((o["source"], o["id"], o["field"]))
    cache = {}

    def items(src):
        if src not in cache:
            cache[src] = read_jsonl(os.path.join(corpora, src, "items.jsonl"))
        return cache[src]

    seen = Seen()
    by_key = {}
    for src in sorted({k[0] for k in labelled}):
        if os.path.isfile(os.path.join(corpora, src, "items.jsonl")):
            for o in items(src):
                by_key[(src, o.get("id"))] = o
    for src, iid, fld in sorted(labelled):
        o = by_key.get((src, iid))
        if o is not None and isinstance(o.get(fld), str):
            seen.add(o[fld].strip())

    picks = []
    for n, ((src, fld), (quota, maxc)) in enumerate(sorted(QUOTAS.items())):
        path = os.path.join(corpora, src, "items.jsonl")
        if not os.path.isfile(path):
            sys.stderr.write("select_rx_set5: missing %s\n" % path)
            continue
        pool = {"dose": [], "drug": [], "other": []}
        strong = set()
        for pos, o in enumerate(items(src)):
            t = o.get(fld)
            if not isinstance(t, str) or not t.strip() or len(t) > maxc:
                continue
            if (src, o["id"], fld) in labelled:
                continue
            b, st = bucket(t, o["lang"])
            pool[b].append((pos, o))
            if st:
                strong.add(pos)
        rng = random.Random(SEED + n)
        want_dose = int(round(quota * DOSE_SHARE))
        want_drug = int(round(quota * DRUG_SHARE))
        chosen = []

        def take(cands, k, tag):
            cands = list(cands)
            rng.shuffle(cands)
            if tag == "dose":  # stable sort: strong numeric cue first, shuffled order kept inside each group
                cands.sort(key=lambda c: c[0] not in strong)
            got = 0
            for pos, o in cands:
                if got >= k:
                    break
                if any(c[0] == pos for c in chosen):
                    continue
                w = o[fld].strip()
                if o["lang"] == "en" and not_english(w):
                    continue
                if seen.dup(w):
                    continue
                seen.add(w)
                chosen.append((pos, o, tag))
                got += 1
            return got

        got_dose = take(pool["dose"], want_dose, "dose")
        got_drug = take(pool["drug"], want_drug, "drug")
        rest = min(quota, sum(len(v) for v in pool.values())) - got_dose - got_drug
        take(pool["dose"] + pool["drug"] + pool["other"], rest, "random")
        for pos, o, tag in chosen:
            picks.append({"source": src, "id": o["id"], "field": fld, "lang": o["lang"], "pos": pos, "bucket": tag})

    picks.sort(key=lambda p: (LANG_ORDER.get(p["lang"], 9), p["source"], p["field"], p["pos"]))
    for p in picks:
        sys.stdout.write(json.dumps(p, ensure_ascii=False) + "\n")
    by = {}
    for p in picks:
        by[(p["lang"], p["bucket"])] = by.get((p["lang"], p["bucket"]), 0) + 1
    sys.stderr.write("select_rx_set5: %d picks %s\n" % (len(picks), sorted(by.items())))


if __name__ == "__main__":
    main()
