#!/usr/bin/env python3
"""Select the candidate texts for the fourth AI-prescription label set (dev4 / holdout4).

Usage (from the repository root):

    python3 scripts/select_rx_set4.py [--shared ../shared] > /tmp/set4_candidates.jsonl

Prints one JSON line per selected text: {"source", "id", "field", "lang", "pos", "bucket"}.
Ids only, no corpus text.  Stdlib only, deterministic (fixed seed, file order).

Selection:
  * texts from the `answer` / `baseline` fields of <shared>/corpora/*/items.jsonl, at most
    MAX_CHARS characters (per-source limit below, never more than 3,000);
  * not already in rx_labels.jsonl, rx_labels_dev2.jsonl or rx_labels_dev3.jsonl (by source, id, field) and with
    wording different from every already-labelled text and from every earlier pick;
  * each text goes into one bucket, using this script's own simple patterns:
      "dose"  a drug-like token within WINDOW characters of a dose / frequency / route / duration pattern
              (texts that also match the stricter numeric pattern STRONG are drawn first),
      "drug"  a drug-like token but no such dose pattern near it,
      "other" everything else;
  * per source and field, a quota q is split: half "dose", a quarter "drug", the rest "random"
    (drawn from all remaining texts of that source/field, any bucket).  Inside a bucket the picks
    are a seeded random sample (random.Random(SEED + source offset)), which spreads them over the
    whole file, including the later parts of big files; a short bucket is topped up from "random".
  * a text marked `en` that is mostly French/Portuguese/Spanish is skipped when drawn (the next
    candidate in the shuffled order takes its place);
  * output order: language (zh, en, ar), then source, field, position in the file.
  * every remaining real Arabic text would be included (none is left: all 42 AHD texts are labelled).
"""

import argparse
import json
import os
import random
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20240604
WINDOW = 40

# (source, field): (quota, max chars)
QUOTAS = {
    # zh: 200
    ("toyhom_chinese_medical_dialogue", "baseline"): (60, 2000),
    ("huatuo26m_testset", "baseline"): (55, 2000),
    ("cmtmedqa_test", "baseline"): (50, 2000),
    ("huatuo_llama_med_chinese", "answer"): (35, 2000),
    # en: 160
    ("healthbench_context_seeking_subset", "answer"): (10, 3000),
    ("healthbench_context_seeking_subset", "baseline"): (20, 3000),
    ("medicationqa", "baseline"): (18, 2000),
    ("kqa", "baseline"): (12, 2500),
    ("kqa", "answer"): (4, 2500),
    ("chatdoctor_genmedgpt5k", "answer"): (8, 2000),
    ("liveqa_med_2017", "answer"): (10, 2000),
    ("liveqa_med_2017", "baseline"): (2, 2000),
    ("medquad", "answer"): (6, 2000),
    ("medquad", "baseline"): (10, 2000),
    ("mts_dialog", "baseline"): (18, 2000),
    ("mts_dialog", "answer"): (9, 2000),
    ("aci_bench", "baseline"): (24, 3000),
    ("aci_bench", "answer"): (7, 3000),
    ("medsafetybench", "baseline"): (3, 2000),
    # ar: every remaining text
    ("ahd_arabic_healthcare_excerpt", "baseline"): (10 ** 6, 3000),
}
LANG_ORDER = {"zh": 0, "en": 1, "ar": 2}

# ---- own patterns (independent of medaudit's rules) ----
ZH_DRUG = re.compile(
    r"[\u4e00-\u9fff]{1,8}(?:片|胶囊|颗粒|丸|散|膏|口服液|注射液|针剂|冲剂|糖浆|栓|喷雾剂|滴眼液|滴耳液|滴鼻液|软膏|乳膏|凝胶|合剂|酊|贴)"
    r"|[\u4e00-\u9fff]{1,6}(?:霉素|沙星|西林|头孢[\u4e00-\u9fff]{1,4}|拉唑|替丁|洛尔|地平|普利|沙坦|他汀|硝唑|康唑|韦|司琼|米松|松龙|芬|酚|嗪|平|素)"
    r"|维生素[A-Z\d]*|阿司匹林|布洛芬|对乙酰氨基酚|二甲双胍|胰岛素|叶酸|钙片|黄体酮|甲硝唑|优甲乐|达英|妈富隆|乳果糖|益生菌|蒙脱石"
    r"|[\u4e00-\u9fff]{2,6}(?:汤|饮)(?:加减)?")
ZH_DOSE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|g|ml|μg|ug|iu|u|毫克|克|毫升|微克|单位|片|粒|袋|丸|支|包|滴|喷)"
    r"|[一二三四两半\d]\s*(?:片|粒|袋|丸|支|包|滴|喷)"
    r"|(?:每日|每天|一日|日|每晚|每早)\s*[一二三四两1-4]\s*次|[一二三四两1-4]\s*次\s*/\s*[日天]"
    r"|(?:一次|每次)\s*[一二三四两半\d]"
    r"|\b(?:qd|bid|tid|qid|qn)\b"
    r"|[一二三四五六七八九十\d]+\s*(?:个)?疗程|连[用服续]\s*[一二三四五六七八九十\d]+\s*[天日周]"
    r"|[一二三四五六七八九十\d]+\s*[天日周]\s*(?:为一|一个)?疗程"
    r"|水煎服|煎服|煎水|泡水|冲服|含服|口服|外用|外涂|外敷|涂抹|静滴|静脉|肌注|睡前|饭前|饭后|早晚各|每晚|每早"
    r"|(?:一天|每天|每日|一日|日)\s*[一二三四两\d]\s*[次遍]|[一二三四五六七八九十两\d]+\s*(?:个月|周|星期)"
    r"|适量|少量|按说明", re.I)

EN_DRUG = re.compile(
    r"\b[a-z]{3,}(?:cillin|mycin|micin|prazole|statin|olol|pril|sartan|floxacin|cycline|azole|dipine|tidine|triptan"
    r"|oxetine|pam|lam|mab|vir|sone|olone|parin|gliptin|glitazone|formin|zepam|azepam|barbital|caine|profen|dronate)\b"
    r"|\b(?:acetaminophen|paracetamol|tylenol|ibuprofen|advil|motrin|aspirin|naproxen|aleve|metformin|insulin|prednisone"
    r"|melatonin|vitamin [a-z0-9]+|folic acid|iron|magnesium|zinc|loratadine|claritin|cetirizine|zyrtec|diphenhydramine"
    r"|benadryl|amoxicillin|augmentin|warfarin|heparin|levothyroxine|lisinopril|amlodipine|gabapentin|tramadol|morphine"
    r"|oxycodone|albuterol|epinephrine|epipen|nitroglycerin|colchicine|allopurinol|hydrochlorothiazide|furosemide"
    r"|lasix|sertraline|zoloft|fluoxetine|prozac|escitalopram|lexapro|tamsulosin|finasteride|metoprolol|ondansetron"
    r"|zofran|clopidogrel|plavix|meloxicam|tylenol|pepcid|famotidine|simethicone|miralax|polyethylene glycol|senna"
    r"|docusate|loperamide|imodium|hydrocortisone|triamcinolone|mupirocin|neosporin|permethrin|vaccine|tdap|mmr)\b",
    re.I)
EN_DOSE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|µg|g|ml|cc|units?|iu|tablets?|tabs?|capsules?|caps?|puffs?|drops?|sprays?|teaspoons?)\b"
    r"|\b(?:once|twice|three times|four times|[1-4]x)\s+(?:a|per|each|every)\s+(?:day|daily|night|week)\b"
    r"|\b(?:once|twice) daily\b|\bevery \d+(?:\s*(?:-|to)\s*\d+)?\s*hours?\b|\bq\d+h\b"
    r"|\b(?:bid|tid|qid|qd|qhs|qam|qpm|po|prn)\b|\bdaily\b|\bat bedtime\b|\bnightly\b"
    r"|\bfor \d+(?:\s*(?:-|to)\s*\d+)?\s*(?:days?|weeks?|months?)\b"
    r"|\b(?:a|per|each|every) (?:day|night|morning|evening)\b|\b\d+ times? (?:a|per) day\b|\bat night\b"
    r"|\bfor (?:a|one|two|three|four|five|six|seven|ten|several|a few) (?:days?|weeks?|months?)\b"
    r"|\b(?:by mouth|orally|topically|intramuscular(?:ly)?|intravenous(?:ly)?|subcutaneous(?:ly)?|with meals|before meals)\b", re.I)

PATTERNS = {"zh": (ZH_DRUG, ZH_DOSE), "en": (EN_DRUG, EN_DOSE), "ar": (None, None)}
# a stricter numeric dose / frequency pattern: "dose" texts that also match it are drawn first
STRONG = {
    "zh": re.compile(r"\d+(?:\.\d+)?\s*(?:mg|g|ml|μg|毫克|克|毫升|微克|单位|片|粒|袋|丸|支|包)"
                     r"|(?:每日|每天|一日|一天|日)\s*[一二三四两1-4]\s*次|[一二三四两半\d]\s*(?:片|粒|袋|丸|支|包)"
                     r"|(?:一次|每次)\s*[一二三四两半\d]", re.I),
    "en": re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|ml|units?|iu|tablets?|capsules?|puffs?)\b", re.I),
}


FOREIGN_WORDS = {"le", "la", "les", "des", "est", "une", "et", "du", "pour", "avec", "dans", "vous", "não", "uma",
                 "com", "para", "você", "el", "los", "por", "con", "usted"}
ENGLISH_WORDS = {"the", "and", "is", "of", "to", "you", "your", "with", "for", "are"}


def not_english(text):
    """True for a text marked en that is mostly French/Portuguese/Spanish (skipped, as in earlier sets)."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    return sum(w in FOREIGN_WORDS for w in words) > sum(w in ENGLISH_WORDS for w in words)


def bucket(text, lang):
    drug_re, dose_re = PATTERNS.get(lang, (None, None))
    if drug_re is None:
        return "other"
    drugs = [m.span() for m in drug_re.finditer(text)]
    if not drugs:
        return "other"
    for m in dose_re.finditer(text):
        s, e = m.span()
        if any(ds - WINDOW <= e and s <= de + WINDOW for ds, de in drugs):
            return "dose"
    return "drug"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"))
    args = ap.parse_args()
    corpora = os.path.join(args.shared, "corpora")

    # already labelled: keys and wordings
    # the label files that existed before set 4 (fixed list, so later files do not change the selection)
    labelled = set()
    label_files = [os.path.join(REPO, "tests", "data", "devset", f)
                   for f in ("rx_labels.jsonl", "rx_labels_dev2.jsonl", "rx_labels_dev3.jsonl")]
    for p in label_files:
        for o in read_jsonl(p):
            labelled.add((o["source"], o["id"], o["field"]))
    cache = {}

    def items(src):
        if src not in cache:
            cache[src] = read_jsonl(os.path.join(corpora, src, "items.jsonl"))
        return cache[src]

    seen_text = set()
    for src, iid, fld in labelled:
        for o in items(src):
            if o.get("id") == iid and isinstance(o.get(fld), str):
                seen_text.add(o[fld].strip())
                break

    picks = []
    for n, ((src, fld), (quota, maxc)) in enumerate(sorted(QUOTAS.items())):
        path = os.path.join(corpora, src, "items.jsonl")
        if not os.path.isfile(path):
            sys.stderr.write("select_rx_set4: missing %s\n" % path)
            continue
        pool = {"dose": [], "drug": [], "other": []}
        for pos, o in enumerate(items(src)):
            t = o.get(fld)
            if not isinstance(t, str) or not t.strip() or len(t) > maxc:
                continue
            if (src, o["id"], fld) in labelled:
                continue
            pool[bucket(t, o["lang"])].append((pos, o))
        rng = random.Random(SEED + n)
        want = {"dose": quota // 2, "drug": quota // 4}
        chosen = []

        def take(cands, k, tag):
            cands = list(cands)
            rng.shuffle(cands)
            if tag == "dose":  # stable: strong numeric matches first, shuffled order kept inside each group
                cands.sort(key=lambda c: not (STRONG.get(c[1]["lang"]) and STRONG[c[1]["lang"]].search(c[1][fld])))
            got = 0
            for pos, o in cands:
                if got >= k:
                    break
                w = o[fld].strip()
                if w in seen_text or any(c[0] == pos for c in chosen):
                    continue
                if o["lang"] == "en" and not_english(w):
                    continue
                seen_text.add(w)
                chosen.append((pos, o, tag))
                got += 1
            return got

        got_dose = take(pool["dose"], want["dose"], "dose")
        got_drug = take(pool["drug"], want["drug"], "drug")
        rest = min(quota, sum(len(v) for v in pool.values())) - got_dose - got_drug
        take(pool["dose"] + pool["drug"] + pool["other"], rest, "random")
        for pos, o, tag in chosen:
            picks.append({"source": src, "id": o["id"], "field": fld, "lang": o["lang"], "pos": pos, "bucket": tag})

    picks.sort(key=lambda p: (LANG_ORDER.get(p["lang"], 9), p["source"], p["field"], p["pos"]))
    for p in picks:
        sys.stdout.write(json.dumps(p, ensure_ascii=False) + "\n")
    by = {}
    for p in picks:
        by.setdefault((p["lang"], p["bucket"]), 0)
        by[(p["lang"], p["bucket"])] += 1
    sys.stderr.write("select_rx_set4: %d picks %s\n" % (len(picks), sorted(by.items())))


if __name__ == "__main__":
    main()
