#!/usr/bin/env python3
"""Evaluate a medaudit detector category against the labelled dev set.

Usage (from the repository root):

    python3 scripts/eval_devset.py [--medaudit build/medaudit] [--shared ../shared]
        [--split dev|holdout|dev2|dev3|holdout3|dev4|holdout4|holdout5|tune|test|all] [--category ai_prescription]
        [--labels FILE ...] [--out docs/eval-rx.md] [--show-errors]

Label files (JSON Lines):
  * real texts:    {"source", "id", "field", "lang", "rx", "split", ...}
                   the text is read from <shared>/corpora/<source>/items.jsonl
  * written texts: {"id", "lang", "text", "rx", "split", "written": true, ...}

Every resolved item is sent to `<medaudit> check --jsonl` as one JSON line
{"id", "answer", "question", "lang"}; an item counts as predicted positive when
any finding has `category == --category`.

Exit status: 0 after a completed evaluation (whatever the scores), 2 on an
input / IO / binary error.  Stdlib only.
"""

import argparse
import json
import math
import os
import subprocess
import sys
from collections import OrderedDict, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LABELS = [
    os.path.join(REPO, "tests", "data", "devset", "rx_labels.jsonl"),
    os.path.join(REPO, "tests", "data", "devset", "rx_written_ar.jsonl"),
    os.path.join(REPO, "tests", "data", "devset", "rx_written_zh_en.jsonl"),
    os.path.join(REPO, "tests", "data", "devset", "rx_labels_dev2.jsonl"),
    os.path.join(REPO, "tests", "data", "devset", "rx_labels_dev3.jsonl"),
    os.path.join(REPO, "tests", "data", "devset", "rx_labels_set4.jsonl"),
    os.path.join(REPO, "tests", "data", "devset", "rx_labels_set5.jsonl"),
]
LANGS = ["zh", "en", "ar"]
# Split values in the label files, and the groups --split accepts on top of them.
# "tune" is everything tuning may look at; "test" is every holdout, scored once at the end.
SPLITS = ["dev", "holdout", "dev2", "dev3", "holdout3", "dev4", "holdout4", "holdout5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind12a", "blind12b", "blind14a", "blind14b", "blind15", "blind13h", "blind16", "blind14h", "blind17", "blind15h", "blind18", "blind16h", "blind19", "blind17h", "blind20", "blind18h", "blind21", "blind19h", "blind22", "blind20h", "blind23", "blind21h", "blind24", "blind22h", "blind25", "blind23h", "blind26", "blind24h", "blind27", "blind25h", "blind28", "blind26h", "blind29", "blind27h", "blind30", "blind28h", "blind31", "blind29h", "blind32", "blind30h", "blind33", "blind31h", "blind34", "blind32h", "blind35", "blind33h", "blind36", "blind34h", "blind37", "blind35h", "blind38", "blind36h", "blind39", "blind37h", "blind40", "blind38h", "blind41", "blind39h", "blind42", "blind40h", "blind43", "blind41h"]
SPLIT_GROUPS = {"tune": {"dev", "dev2", "dev3", "dev4"}, "test": {"holdout", "holdout3", "holdout4", "holdout5"}}


def split_selected(sp, split):
    """True when an item of split value sp belongs to the --split selection."""
    if split == "all":
        return True
    return sp in SPLIT_GROUPS.get(split, {split})


class InputError(Exception):
    pass


def die(msg):
    sys.stderr.write("eval_devset: error: %s\n" % msg)
    sys.exit(2)


def read_jsonl(path):
    out = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    out.append(json.loads(line))
                except ValueError as e:
                    raise InputError("%s:%d: invalid JSON (%s)" % (path, n, e))
    except OSError as e:
        raise InputError("cannot read %s: %s" % (path, e))
    return out


class Corpus:
    """Lazy index of <shared>/corpora/<source>/items.jsonl by id."""

    def __init__(self, shared):
        self.root = os.path.join(shared, "corpora")
        self.cache = {}

    def get(self, source, item_id):
        if source not in self.cache:
            path = os.path.join(self.root, source, "items.jsonl")
            if not os.path.isfile(path):
                raise InputError("corpus file not found: %s (check --shared)" % path)
            self.cache[source] = {o.get("id"): o for o in read_jsonl(path)}
        item = self.cache[source].get(item_id)
        if item is None:
            raise InputError("item %s not found in corpus %s" % (item_id, source))
        return item


def load_items(label_files, shared, split):
    corpus = Corpus(shared)
    items = []
    seen = set()
    for path in label_files:
        for n, lab in enumerate(read_jsonl(path), 1):
            where = "%s:%d" % (path, n)
            if "rx" not in lab or "lang" not in lab:
                raise InputError("%s: label needs 'rx' and 'lang'" % where)
            written = bool(lab.get("written")) or "text" in lab
            if written:
                if not isinstance(lab.get("text"), str):
                    raise InputError("%s: written label without 'text'" % where)
                key = "written/%s/text" % lab.get("id")
                text, question = lab["text"], ""
            else:
                for k in ("source", "id", "field"):
                    if k not in lab:
                        raise InputError("%s: label needs '%s'" % (where, k))
                if lab["field"] not in ("answer", "baseline"):
                    raise InputError("%s: field must be answer or baseline" % where)
                item = corpus.get(lab["source"], lab["id"])
                text = item.get(lab["field"])
                if not isinstance(text, str) or not text:
                    raise InputError("%s: %s/%s has no %s text" % (where, lab["source"], lab["id"], lab["field"]))
                question = item.get("question") or ""
                key = "%s/%s/%s" % (lab["source"], lab["id"], lab["field"])
            if key in seen:
                raise InputError("%s: duplicate item %s" % (where, key))
            seen.add(key)
            sp = lab.get("split", "dev")
            if not split_selected(sp, split):
                continue
            items.append({
                "key": key, "lang": lab["lang"], "rx": bool(lab["rx"]), "split": sp,
                "origin": "written" if written else "real", "text": text, "question": question,
                "kind": lab.get("kind", ""), "drug": lab.get("drug", ""), "note": lab.get("note", ""),
            })
    return items


def run_medaudit(binary, items, timeout, rules=None):
    if not os.path.exists(binary):
        die("medaudit binary not found: %s (build it first, or pass --medaudit PATH)" % binary)
    if not os.access(binary, os.X_OK):
        die("medaudit binary is not executable: %s" % binary)
    payload = "".join(
        json.dumps({"id": it["key"], "answer": it["text"], "question": it["question"], "lang": it["lang"]},
                   ensure_ascii=False) + "\n"
        for it in items)
    try:
        cmd = [binary, "check", "--jsonl"] + (["--rules", rules] if rules else [])
        proc = subprocess.run(cmd, input=payload.encode("utf-8"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except OSError as e:
        die("cannot run %s: %s" % (binary, e))
    except subprocess.TimeoutExpired:
        die("%s check --jsonl timed out after %ss" % (binary, timeout))
    lines = [l for l in proc.stdout.decode("utf-8", "replace").splitlines() if l.strip()]
    if len(lines) != len(items):
        err = proc.stderr.decode("utf-8", "replace").strip()
        die("medaudit returned %d output lines for %d inputs (exit %d)%s"
            % (len(lines), len(items), proc.returncode, (": " + err[:500]) if err else ""))
    results = []
    for it, line in zip(items, lines):
        try:
            out = json.loads(line)
        except ValueError:
            die("medaudit output is not JSON: %r" % line[:200])
        if out.get("id") != it["key"]:
            die("medaudit output out of order: expected id %s, got %s" % (it["key"], out.get("id")))
        results.append(out)
    return results


def wilson(k, n, z=1.96):
    if n == 0:
        return (float("nan"), float("nan"))
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def fmt_rate(k, n):
    if n == 0:
        return "n/a"
    lo, hi = wilson(k, n)
    return "%.3f [%.3f, %.3f]" % (k / n, lo, hi)


def score(rows):
    c = {"n": len(rows), "pos": 0, "tp": 0, "fp": 0, "fn": 0, "err": 0}
    for r in rows:
        c["pos"] += r["rx"]
        c["err"] += r["error"]
        if r["pred"] and r["rx"]:
            c["tp"] += 1
        elif r["pred"]:
            c["fp"] += 1
        elif r["rx"]:
            c["fn"] += 1
    c["precision"] = fmt_rate(c["tp"], c["tp"] + c["fp"])
    c["recall"] = fmt_rate(c["tp"], c["tp"] + c["fn"])
    return c


def build_tables(rows, split):
    present = [sp for sp in SPLITS if any(r["split"] == sp for r in rows)]
    if split == "all":
        splits = present + ["tune", "test", "all"]
    elif split in SPLIT_GROUPS:
        splits = present + [split]
    else:
        splits = [split]
    table = []
    for sp in splits:
        for lang in LANGS + ["all"]:
            for origin in ["real", "written", "combined"]:
                sel = [r for r in rows
                       if split_selected(r["split"], sp)
                       and (lang == "all" or r["lang"] == lang)
                       and (origin == "combined" or r["origin"] == origin)]
                if not sel:
                    continue
                c = score(sel)
                table.append(OrderedDict([("split", sp), ("lang", lang), ("origin", origin)] +
                                         [(k, c[k]) for k in ("n", "pos", "tp", "fp", "fn", "precision", "recall", "err")]))
    return table


HEAD = ["split", "lang", "origin", "n", "pos", "tp", "fp", "fn", "precision", "recall", "err"]


def render_text(table):
    widths = {h: max(len(h), *(len(str(r[h])) for r in table)) for h in HEAD} if table else {h: len(h) for h in HEAD}
    lines = ["  ".join(h.ljust(widths[h]) for h in HEAD)]
    lines.append("  ".join("-" * widths[h] for h in HEAD))
    for r in table:
        lines.append("  ".join(str(r[h]).ljust(widths[h]) for h in HEAD))
    return "\n".join(lines)


def render_md(table, args, rows):
    out = ["# AI-prescription detector: dev-set evaluation", "",
           "Generated by `scripts/eval_devset.py` (category `%s`, split `%s`)." % (args.category, args.split),
           "Precision and recall are shown with Wilson 95% intervals; `err` counts items medaudit answered with an error "
           "(scored as not flagged). Ids only; no corpus text.",
           "How the detector decides (document type, references back, moods), what changed in each round, the "
           "before/after figures and the error classification: `docs/prescription-detector.md`. Labels and label "
           "corrections: `docs/devset.md`.", "",
           "| " + " | ".join(HEAD) + " |", "|" + "|".join("---" for _ in HEAD) + "|"]
    for r in table:
        out.append("| " + " | ".join(str(r[h]) for h in HEAD) + " |")
    fps = [r["key"] for r in rows if r["pred"] and not r["rx"]]
    fns = [r["key"] for r in rows if r["rx"] and not r["pred"]]
    out += ["", "## False positives (%d)" % len(fps), ""] + ["- `%s`" % k for k in fps]
    out += ["", "## False negatives (%d)" % len(fns), ""] + ["- `%s`" % k for k in fns]
    return "\n".join(out) + "\n"


def show_errors(rows, category):
    for title, want in (("FALSE POSITIVES", lambda r: r["pred"] and not r["rx"]),
                        ("FALSE NEGATIVES", lambda r: r["rx"] and not r["pred"])):
        sel = [r for r in rows if want(r)]
        print("\n== %s (%d) ==" % (title, len(sel)))
        for r in sel:
            print("- %s [%s/%s/%s] label kind=%s drug=%s note=%s"
                  % (r["key"], r["lang"], r["split"], r["origin"], r["kind"], r["drug"], r["note"]))
            for f in r["findings"]:
                if f.get("category") == category or not r["pred"]:
                    span = f.get("span")
                    ev = f.get("evidence")
                    if ev is None and isinstance(span, list) and len(span) == 2:
                        try:
                            ev = r["text"][span[0]:span[1]]
                        except (TypeError, IndexError):
                            ev = None
                    print("    finding %s/%s span=%s evidence=%r" % (f.get("rule"), f.get("category"), span, ev))
            if r["error"]:
                print("    medaudit error: %s" % json.dumps(r["error_obj"], ensure_ascii=False))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--medaudit", default=os.path.join("build", "medaudit"))
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared"))
    ap.add_argument("--split", choices=SPLITS + sorted(SPLIT_GROUPS) + ["all"], default="dev",
                    help="a split value, 'tune' (dev+dev2+dev3+dev4), 'test' (holdout+holdout3+holdout4+holdout5) or 'all'")
    ap.add_argument("--category", default="ai_prescription")
    ap.add_argument("--rules", default=None, help="rules directory passed to medaudit check")
    ap.add_argument("--labels", nargs="+", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds allowed for medaudit")
    ap.add_argument("--harm", action="store_true",
                    help="evaluate the clinical-harm packs on tests/data/devset/harm_*.jsonl (see harm_main)")
    ap.add_argument("--corpora", action="store_true",
                    help="with --harm: also report the share of real corpus answers flagged per category")
    args = ap.parse_args()
    if args.harm:
        return harm_main(args)

    try:
        items = load_items(args.labels or DEFAULT_LABELS, args.shared, args.split)
    except InputError as e:
        die(str(e))
    if not items:
        die("no labelled items selected (split=%s)" % args.split)

    results = run_medaudit(args.medaudit, items, args.timeout, args.rules)
    rows = []
    for it, res in zip(items, results):
        findings = res.get("findings") or []
        if not isinstance(findings, list):
            findings = []
        pred = any(isinstance(f, dict) and f.get("category") == args.category for f in findings)
        rows.append(dict(it, pred=pred, findings=[f for f in findings if isinstance(f, dict)],
                         error="error" in res, error_obj=res.get("error")))

    table = build_tables(rows, args.split)
    print("category=%s split=%s items=%d" % (args.category, args.split, len(rows)))
    print(render_text(table))
    if args.show_errors:
        show_errors(rows, args.category)
    if args.out:
        try:
            d = os.path.dirname(os.path.abspath(args.out))
            os.makedirs(d, exist_ok=True)
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(render_md(table, args, rows))
        except OSError as e:
            die("cannot write %s: %s" % (args.out, e))
        print("wrote %s" % args.out)
    return 0


# ---------------------------------------------------------------------------------------------
# --harm: clinical-harm packs (harm-dose, harm-ci, harm-ix, harm-er, harm-care).
# Labels: tests/data/devset/harm_written.jsonl ({"id", "lang", "question", "answer", "category",
# "written": true, "split"}; category "none" = safe answer) and, when present,
# tests/data/devset/harm_labels.jsonl ({"source", "id", "field", "lang", "category", "split"}).
# Writes a Markdown report (default docs/eval-harm.md); text after the line
# "<!-- manual -->" in an existing report is kept, so hand-written judgements survive reruns.

HARM_CATEGORIES = ["overdose", "contraindication", "interaction", "missed_emergency", "self_harm",
                   "discourages_care"]
HARM_FILES = [os.path.join(REPO, "tests", "data", "devset", "harm_written.jsonl"),
              os.path.join(REPO, "tests", "data", "devset", "harm_labels.jsonl")]
MANUAL_MARK = "<!-- manual -->"


def load_harm_items(paths, shared):
    corpus = Corpus(shared)
    items, seen = [], set()
    for path in paths:
        if not os.path.isfile(path):
            continue
        for n, lab in enumerate(read_jsonl(path), 1):
            where = "%s:%d" % (path, n)
            for k in ("id", "lang", "category", "split"):
                if k not in lab:
                    raise InputError("%s: harm label needs '%s'" % (where, k))
            if lab["category"] != "none" and lab["category"] not in HARM_CATEGORIES:
                raise InputError("%s: unknown category %r" % (where, lab["category"]))
            if lab.get("written"):
                text, question, key = lab.get("answer"), lab.get("question") or "", "written/%s" % lab["id"]
            else:
                item = corpus.get(lab["source"], lab["id"])
                text, question = item.get(lab.get("field", "answer")), item.get("question") or ""
                key = "%s/%s/%s" % (lab["source"], lab["id"], lab.get("field", "answer"))
            if not isinstance(text, str) or not text:
                raise InputError("%s: no answer text" % where)
            if key in seen:
                raise InputError("%s: duplicate item %s" % (where, key))
            seen.add(key)
            items.append({"key": key, "lang": lab["lang"], "text": text, "question": question,
                          "category": lab["category"], "split": lab["split"],
                          # the category a safe answer imitates: blind sets name it hard_negative_for
                          "near": lab.get("hard_negative_for") or lab.get("near", "")})
    return items


def harm_main(args):
    try:
        items = load_harm_items(args.labels or HARM_FILES, args.shared)
    except InputError as e:
        die(str(e))
    if not items:
        die("no harm labels found")
    results = run_medaudit(args.medaudit, items, args.timeout, args.rules)
    for it, out in zip(items, results):
        it["pred"] = sorted({f.get("category") for f in out.get("findings", []) if isinstance(f, dict)}
                            & set(HARM_CATEGORIES))
    lines = ["# Clinical-harm packs: evaluation", "",
             "Generated by `scripts/eval_devset.py --harm%s` over `tests/data/devset/harm_written.jsonl`"
             % (" --corpora" if args.corpora else "") + " (written answers; `category: none` = safe answer).",
             "Recall: share of harmful answers of a category on which a rule of that category fires. "
             "False-positive rate: share of safe answers on which any clinical-harm rule fires "
             "(per-category columns: safe answers written as hard negatives for that category, any harm rule). "
             "95% Wilson intervals.", ""]
    for split in ("dev", "holdout", "all"):
        sel = [it for it in items if split == "all" or it["split"] == split]
        lines += ["## Split: %s" % split, "",
                  "| category | recall | recall zh | recall en | recall ar | FP on its hard negatives |",
                  "|---|---|---|---|---|---|"]
        for cat in HARM_CATEGORIES:
            pos = [it for it in sel if it["category"] == cat]
            tp = [it for it in pos if cat in it["pred"]]
            by = []
            for lang in LANGS:
                pl = [it for it in pos if it["lang"] == lang]
                by.append("%d/%d" % (sum(1 for it in pl if cat in it["pred"]), len(pl)))
            negs = [it for it in sel if it["category"] == "none" and it["near"] == cat]
            fpn = [it for it in negs if it["pred"]]
            lines.append("| %s | %s (%d/%d) | %s | %s | %s | %d/%d |" % (
                cat, fmt_rate(len(tp), len(pos)), len(tp), len(pos), by[0], by[1], by[2], len(fpn), len(negs)))
        safe = [it for it in sel if it["category"] == "none"]
        fp = [it for it in safe if it["pred"]]
        lines += ["", "Safe answers flagged by any clinical-harm rule: %s (%d/%d); by language: %s." % (
            fmt_rate(len(fp), len(safe)), len(fp), len(safe),
            ", ".join("%s %d/%d" % (l, sum(1 for it in safe if it["lang"] == l and it["pred"]),
                                    sum(1 for it in safe if it["lang"] == l)) for l in LANGS)), ""]
        errs = [it for it in sel if (it["category"] != "none" and it["category"] not in it["pred"])
                or (it["category"] == "none" and it["pred"])]
        if errs:
            lines.append("Errors: " + "; ".join("%s (%s, expected %s, got %s)" % (
                it["key"], it["lang"], it["category"], ",".join(it["pred"]) or "none") for it in errs) + ".")
            lines.append("")
    if args.corpora:
        rows = []
        root = os.path.join(args.shared, "corpora")
        for src in sorted(os.listdir(root)) if os.path.isdir(root) else []:
            path = os.path.join(root, src, "items.jsonl")
            if not os.path.isfile(path):
                continue
            for o in read_jsonl(path):
                for field in ("answer", "baseline"):
                    t = o.get(field)
                    if isinstance(t, str) and t.strip():
                        rows.append({"key": "%s/%s/%s" % (src, o.get("id"), field), "text": t,
                                     "question": o.get("question") or "", "lang": o.get("lang") or "en"})
        outs = run_medaudit(args.medaudit, rows, args.timeout, args.rules)
        n, k = defaultdict(int), defaultdict(int)
        for r, o in zip(rows, outs):
            n[r["lang"]] += 1
            for c in {f.get("category") for f in o.get("findings", [])}:
                k[(c, r["lang"])] += 1
        lines += ["## Real corpora (answer and baseline fields of `../shared/corpora/*/items.jsonl`)", "",
                  "| category | " + " | ".join("%s (n=%d)" % (l, n[l]) for l in LANGS) + " |",
                  "|---|" + "---|" * len(LANGS)]
        for cat in HARM_CATEGORIES:
            lines.append("| %s | " % cat + " | ".join(
                "%d (%.2f%%)" % (k[(cat, l)], 100.0 * k[(cat, l)] / n[l] if n[l] else 0.0) for l in LANGS) + " |")
        lines.append("")
    text = "\n".join(lines) + "\n"
    out = args.out or os.path.join(REPO, "docs", "eval-harm.md")
    manual = ""
    if os.path.isfile(out):
        old = open(out, encoding="utf-8").read()
        if MANUAL_MARK in old:
            manual = old[old.index(MANUAL_MARK):]
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text + ("\n" + manual if manual else ""))
    except OSError as e:
        die("cannot write %s: %s" % (out, e))
    print("\n".join(lines[:0]) + "wrote %s" % out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head etc.
        try:
            sys.stdout.close()
        except Exception:
            pass
        sys.exit(0)
