#!/usr/bin/env python3
"""Validate rules/knowledge/drugs.json (the medaudit drug lexicon).

Usage: python3 scripts/check_lexicon.py [rules/knowledge/drugs.json]

Exits 0 when the file passes every check, 1 when any check fails (each
failure is printed as "ERROR: ..."), 2 when the file cannot be read or parsed.
Warnings ("WARN: ...") do not change the exit status.

Optional `limits` fields checked besides the adult mg maxima: adult_max_single_iu /
adult_max_daily_iu, weekly_strengths_mg, child_max_single_mg_per_kg /
child_max_daily_mg_per_kg + child_source, and elderly_age_years /
elderly_max_single_mg / elderly_max_daily_mg + elderly_source (see
rules/knowledge/SOURCES.md).
Standard library only.
"""
import json
import re
import sys
import unicodedata

LANGS = ("en", "zh", "ar")
CONTROLLED = {None, "narcotic", "psychotropic_1", "psychotropic_2"}
PREGNANCY = {"contraindicated", "avoid"}
MIN_DRUGS = 400
MIN_AR_COVERAGE = 0.90
MIN_ZH_COVERAGE = 0.95
# Single Chinese herbs (decoction pieces) often have no standard Arabic name, so
# the Arabic coverage rule is computed over the drugs without these classes.
AR_EXEMPT_CLASSES = {"tcm_herb"}
ID_RE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
ATC_RE = re.compile(r"^[A-Z](?:\d{2}(?:[A-Z](?:[A-Z](?:\d{2})?)?)?)?$")
LIMIT_KEYS = {
    "adult_max_single_mg", "adult_max_daily_mg", "source", "weekly_only",
    "min_age_years", "age_source", "pregnancy", "pregnancy_source",
    "adult_max_single_iu", "adult_max_daily_iu", "weekly_strengths_mg",
    "child_max_single_mg_per_kg", "child_max_daily_mg_per_kg", "child_source",
    "elderly_age_years", "elderly_max_single_mg", "elderly_max_daily_mg", "elderly_source",
    "renal", "renal_source", "child_by_age", "child_age_source",
}
# Figures that need the dose 'source' key.
ADULT_DOSE_KEYS = ("adult_max_single_mg", "adult_max_daily_mg", "adult_max_single_iu",
                   "adult_max_daily_iu", "weekly_strengths_mg", "weekly_only")
CHILD_KEYS = ("child_max_single_mg_per_kg", "child_max_daily_mg_per_kg")
ELDERLY_KEYS = ("elderly_max_single_mg", "elderly_max_daily_mg")
# Sanity bounds that catch unit slips (mg entered as g, mg/kg entered as mg, ...).
MAX_CHILD_MG_PER_KG = 200
ELDERLY_AGE_RANGE = (50, 100)
# The engine applies the per-kg figures only below this weight (kg).
CHILD_WEIGHT_CUTOFF_KG = 40
DRUG_KEYS = {
    "id", "atc", "class", "names", "brands", "forms", "rx_only", "controlled",
    "limits", "ambiguous_names", "abbreviations", "guarded_abbreviations",
}
# Abbreviations ("abbreviations": matched everywhere like a name; "guarded_abbreviations": only by
# the fuzzy lookup, in a sentence with a dose, frequency or duration and no other drug).
# Clinical shorthand that is not one drug, or is also another word or abbreviation in running
# text (inh = inhaled, asa = ASA class, pcm in "Pcm-La"): never an "abbreviations" entry, and the
# first group never a guarded one either.
ABBR_NOT_A_DRUG = {
    "ppi", "nsaid", "nsaids", "ssri", "snri", "ocp", "coc", "tca", "ace", "acei", "arb", "ccb",
    "bp", "iv", "po", "im", "sc", "sl", "pr", "prn", "bid", "tid", "qid", "od", "bd", "tds", "qds",
    "qd", "qhs", "hs", "ns", "lr", "d5w", "tpn", "otc", "rx", "abx", "pcn", "pred", "levo",
    "tmp", "smx", "epi", "mag", "pot", "vit", "hep", "ins",
}
ABBR_GUARDED_ONLY = {"asa", "pcm", "inh", "nac", "aza", "epo"}
ABBR_RE = re.compile(r"^[a-z0-9]+(?:[-/][a-z0-9]+)*$")
WORD_LISTS = ("/usr/share/dict/american-english-large", "/usr/share/dict/words")
# Everyday words / substrings that must never be a drug name or brand: they
# would make the literal matcher fire on ordinary text.
STOP_EN = {
    "oxygen", "water", "water for injection", "salt", "sodium chloride", "saline",
    "glucose", "dextrose", "sugar", "iron", "zinc", "calcium", "magnesium",
    "potassium", "charcoal", "alcohol", "ethanol", "vitamin", "vitamins",
    "caffeine", "nicotine", "lithium", "urea", "iodine", "adrenaline",
    "dopamine", "folate", "plan b", "soma", "sonata", "muse", "tabloid",
    "ella", "alli", "dona", "day nurse", "slow fe", "neut", "occlusal",
    "anti-d", "medicine", "drug", "tablet", "capsule", "pill", "pills",
    "injection", "cream", "syrup", "vaccine", "antibiotic", "painkiller",
    "morning-after pill", "opium", "baking soda",
}
STOP_ZH = {
    "维生素", "钙片", "中药", "西药", "药片", "胶囊", "安定", "氧气", "葡萄糖",
    "生理盐水", "盐水", "酒精", "乙醇", "注射用水", "铁剂", "补钙", "补铁",
    "小苏打", "咖啡因", "尼古丁", "尿素", "阿片", "肾上腺素", "多巴胺",
    "消炎药", "退烧药", "止痛药", "感冒药", "抗生素", "疫苗",
}
STOP_AR = {"أكسجين", "ماء", "ملح", "جلوكوز", "سكر", "حديد", "زنك", "كالسيوم",
           "فيتامين", "كحول", "دواء", "مضاد حيوي", "لقاح"}

AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
AR_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670]")


def fold(text, lang):
    """Approximate the engine's matcher normalisation."""
    t = unicodedata.normalize("NFKC", text).casefold().strip()
    t = re.sub(r"\s+", " ", t)
    if lang == "ar":
        t = AR_DIACRITICS.sub("", t).translate(AR_FOLD)
    return t


def latin_letters(s):
    return sum(1 for ch in s if "a" <= ch <= "z")


def has_cjk(s):
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in s)


def has_arabic(s):
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def err(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_name(rep, where, lang, name):
    """Length / word rules for one name or brand string."""
    if not isinstance(name, str) or not name.strip():
        rep.err(f"{where}: empty or non-string name {name!r}")
        return
    if name != name.strip():
        rep.err(f"{where}: name {name!r} has leading/trailing whitespace")
    f = fold(name, lang)
    if lang == "en":
        if has_cjk(name) or has_arabic(name):
            rep.err(f"{where}: en name {name!r} contains CJK/Arabic characters")
        # A short brand is a name only with its strength ("Pan 40"): three letters alone are a word.
        has_strength = re.search(r"\d", f) is not None
        if latin_letters(f) < (3 if has_strength else 4):
            rep.err(f"{where}: en name {name!r} has fewer than 4 Latin letters "
                    "(3 with a strength)")
        if f in STOP_EN:
            rep.err(f"{where}: en name {name!r} is an everyday/ambiguous word (use ambiguous_names)")
    elif lang == "zh":
        if not has_cjk(name):
            rep.err(f"{where}: zh name {name!r} contains no Chinese characters")
        if len(f) < 2:
            rep.err(f"{where}: zh name {name!r} is a single character")
        if f in STOP_ZH:
            rep.err(f"{where}: zh name {name!r} is an ordinary word (use ambiguous_names)")
    elif lang == "ar":
        if not has_arabic(name):
            rep.err(f"{where}: ar name {name!r} contains no Arabic letters")
        letters = sum(1 for ch in f if "\u0621" <= ch <= "\u064A")
        if letters < 3:
            rep.err(f"{where}: ar name {name!r} has fewer than 3 Arabic letters")
        if f in {fold(w, 'ar') for w in STOP_AR}:
            rep.err(f"{where}: ar name {name!r} is an ordinary word (use ambiguous_names)")


_ENGLISH = None


def english_words():
    """Lowercase entries of the installed English word list (empty when none is installed)."""
    global _ENGLISH
    if _ENGLISH is None:
        _ENGLISH = set()
        for path in WORD_LISTS:
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    _ENGLISH.update(w.strip() for w in f if w.strip().islower())
            except OSError:
                continue
            break
    return _ENGLISH


def check_abbreviations(rep, where, obj, guarded):
    """An abbreviation map: en letters/digits joined by - or / (2-8 characters, >= 2 letters, not
    an English word, not shorthand for a class or a route); zh 2-4 Chinese characters."""
    if not isinstance(obj, dict):
        rep.err(f"{where}: must be an object keyed by language")
        return {}
    out = {}
    for lang, lst in obj.items():
        if lang not in LANGS or not isinstance(lst, list):
            rep.err(f"{where}: {lang!r} must be one of {LANGS} with a list")
            continue
        for a in lst:
            if not isinstance(a, str) or not a.strip() or a != a.strip():
                rep.err(f"{where}.{lang}: bad abbreviation {a!r}")
                continue
            f = fold(a, lang)
            if lang == "en":
                if not ABBR_RE.match(f) or not 2 <= len(f) <= 8 or latin_letters(f) < 2:
                    rep.err(f"{where}.en: {a!r} is not an abbreviation (2-8 letters/digits, - or /)")
                if f in ABBR_NOT_A_DRUG:
                    rep.err(f"{where}.en: {a!r} is shorthand for a class, a route or a schedule")
                if not guarded and f in ABBR_GUARDED_ONLY:
                    rep.err(f"{where}.en: {a!r} is also an ordinary abbreviation: use guarded_abbreviations")
                if f.isalpha() and f in english_words():
                    rep.err(f"{where}.en: {a!r} is an English word")
            elif lang == "zh":
                if not 2 <= len(f) <= 4 or not all(has_cjk(ch) for ch in f):
                    rep.err(f"{where}.zh: {a!r} must be 2-4 Chinese characters")
                if f in STOP_ZH:
                    rep.err(f"{where}.zh: {a!r} is an ordinary word")
            else:
                rep.err(f"{where}.ar: Arabic abbreviations are not used; add spellings to names")
            out.setdefault(lang, []).append(a)
    return out


def check_lang_map(rep, where, obj, required):
    if not isinstance(obj, dict):
        rep.err(f"{where}: must be an object with keys {LANGS}")
        return {}
    for lang in obj:
        if lang not in LANGS:
            rep.err(f"{where}: unknown language key {lang!r}")
    out = {}
    for lang in LANGS:
        if lang not in obj:
            if required:
                rep.err(f"{where}: missing language key {lang!r}")
            continue
        lst = obj[lang]
        if not isinstance(lst, list):
            rep.err(f"{where}.{lang}: must be a list")
            continue
        seen = set()
        for n in lst:
            check_name(rep, f"{where}.{lang}", lang, n)
            if isinstance(n, str):
                k = fold(n, lang)
                if k in seen:
                    rep.warn(f"{where}.{lang}: {n!r} listed twice")
                seen.add(k)
        out[lang] = [n for n in lst if isinstance(n, str)]
    return out


def check_limits(rep, where, lim, sources):
    if not isinstance(lim, dict):
        rep.err(f"{where}: limits must be an object")
        return
    for k in lim:
        if k not in LIMIT_KEYS:
            rep.err(f"{where}: unknown limits key {k!r}")
    dose_keys = [k for k in ADULT_DOSE_KEYS if k in lim]
    num_keys = ("adult_max_single_mg", "adult_max_daily_mg", "adult_max_single_iu", "adult_max_daily_iu") \
        + CHILD_KEYS + ELDERLY_KEYS
    for k in num_keys:
        if k in lim and (not is_num(lim[k]) or lim[k] <= 0):
            rep.err(f"{where}: {k} must be a positive number, got {lim[k]!r}")
    s, d = lim.get("adult_max_single_mg"), lim.get("adult_max_daily_mg")
    if is_num(s) and is_num(d) and s > d:
        rep.err(f"{where}: adult_max_single_mg {s} > adult_max_daily_mg {d}")
    if is_num(d) and d > 20000:
        rep.warn(f"{where}: adult_max_daily_mg {d} is unusually large")
    # No single <= daily rule for IU: a single vitamin D dose (50,000 IU weekly, loading doses)
    # is legitimately larger than the daily ceiling.
    # weekly_strengths_mg: strengths that exist only as once-weekly (or rarer) products.
    if "weekly_strengths_mg" in lim:
        ws = lim["weekly_strengths_mg"]
        if not isinstance(ws, list) or not ws or not all(is_num(x) and x > 0 for x in ws):
            rep.err(f"{where}: weekly_strengths_mg must be a non-empty list of positive numbers, got {ws!r}")
        else:
            if len(set(ws)) != len(ws):
                rep.err(f"{where}: weekly_strengths_mg has duplicates: {ws!r}")
            if ws != sorted(ws):
                rep.warn(f"{where}: weekly_strengths_mg is not sorted: {ws!r}")
            if is_num(d):
                low = [x for x in ws if x <= d]
                if low:
                    rep.err(f"{where}: weekly_strengths_mg {low} <= adult_max_daily_mg {d}: "
                            "a daily regimen at that strength would not be an overdose")
    # Paediatric weight-based maxima (mg/kg).
    cs, cd = lim.get("child_max_single_mg_per_kg"), lim.get("child_max_daily_mg_per_kg")
    for k, v in (("child_max_single_mg_per_kg", cs), ("child_max_daily_mg_per_kg", cd)):
        if is_num(v) and v > MAX_CHILD_MG_PER_KG:
            rep.err(f"{where}: {k} {v} > {MAX_CHILD_MG_PER_KG} mg/kg (unit slip?)")
    if is_num(cs) and is_num(cd) and cs > cd:
        rep.err(f"{where}: child_max_single_mg_per_kg {cs} > child_max_daily_mg_per_kg {cd}")
    if is_num(cd) and is_num(d) and cd * CHILD_WEIGHT_CUTOFF_KG > 1.5 * d:
        rep.warn(f"{where}: child_max_daily_mg_per_kg {cd} x {CHILD_WEIGHT_CUTOFF_KG} kg is far above adult_max_daily_mg {d}")
    if any(k in lim for k in CHILD_KEYS):
        if lim.get("child_source") not in sources:
            rep.err(f"{where}: child per-kg limits need a child_source defined in 'sources' (got {lim.get('child_source')!r})")
    elif "child_source" in lim:
        rep.err(f"{where}: child_source without child_max_single_mg_per_kg / child_max_daily_mg_per_kg")
    # Bands: kidney function ("renal", below_ml_min) and a child's age ("child_by_age", below_years).
    for key, below, src, top in (("renal", "below_ml_min", "renal_source", 150),
                                 ("child_by_age", "below_years", "child_age_source", 18)):
        if key not in lim:
            if src in lim:
                rep.err(f"{where}: {src} without {key}")
            continue
        bands = lim[key]
        if not isinstance(bands, list) or not bands:
            rep.err(f"{where}: {key} must be a non-empty list of bands")
            continue
        if lim.get(src) not in sources:
            rep.err(f"{where}: {key} needs a {src} defined in 'sources' (got {lim.get(src)!r})")
        for b in bands:
            if not isinstance(b, dict) or set(b) - {below, "max_single_mg", "max_daily_mg"}:
                rep.err(f"{where}: {key} band {b!r}: keys are {below}, max_single_mg, max_daily_mg")
                continue
            if not is_num(b.get(below)) or not 0 < b[below] <= top:
                rep.err(f"{where}: {key} band {b!r}: {below} must be in (0, {top}]")
            bs, bd = b.get("max_single_mg"), b.get("max_daily_mg")
            if bs is None and bd is None:
                rep.err(f"{where}: {key} band {b!r} needs max_single_mg or max_daily_mg")
            for k, v in (("max_single_mg", bs), ("max_daily_mg", bd)):
                if v is not None and (not is_num(v) or v < 0):
                    rep.err(f"{where}: {key} band {b!r}: {k} must be a number >= 0")
                if is_num(v) and is_num(lim.get("adult_" + k)) and v > lim["adult_" + k]:
                    rep.err(f"{where}: {key} band {b!r}: {k} {v} above the adult maximum")
            if is_num(bs) and is_num(bd) and bs > bd:
                rep.err(f"{where}: {key} band {b!r}: max_single_mg > max_daily_mg")
    # Older-adult maxima.
    es, ed = lim.get("elderly_max_single_mg"), lim.get("elderly_max_daily_mg")
    if is_num(es) and is_num(ed) and es > ed:
        rep.err(f"{where}: elderly_max_single_mg {es} > elderly_max_daily_mg {ed}")
    for ek, ak in (("elderly_max_single_mg", "adult_max_single_mg"), ("elderly_max_daily_mg", "adult_max_daily_mg")):
        if is_num(lim.get(ek)) and is_num(lim.get(ak)) and lim[ek] > lim[ak]:
            rep.err(f"{where}: {ek} {lim[ek]} > {ak} {lim[ak]}")
    has_elderly = any(k in lim for k in ELDERLY_KEYS)
    if has_elderly:
        a = lim.get("elderly_age_years")
        lo, hi = ELDERLY_AGE_RANGE
        if not is_num(a) or not lo <= a <= hi:
            rep.err(f"{where}: elderly limits need elderly_age_years in [{lo}, {hi}], got {a!r}")
        if lim.get("elderly_source") not in sources:
            rep.err(f"{where}: elderly limits need an elderly_source defined in 'sources' (got {lim.get('elderly_source')!r})")
    else:
        for k in ("elderly_age_years", "elderly_source"):
            if k in lim:
                rep.err(f"{where}: {k} without elderly_max_single_mg / elderly_max_daily_mg")
    if "weekly_only" in lim and lim["weekly_only"] is not True:
        rep.err(f"{where}: weekly_only must be true when present")
    if dose_keys:
        if "source" not in lim:
            rep.err(f"{where}: dose limits without a 'source' key")
        elif lim["source"] not in sources:
            rep.err(f"{where}: source {lim['source']!r} is not defined in top-level 'sources'")
    elif "source" in lim:
        rep.warn(f"{where}: 'source' present but no dose figure")
    if "min_age_years" in lim:
        a = lim["min_age_years"]
        if not is_num(a) or a <= 0 or a > 21:
            rep.err(f"{where}: min_age_years must be a number in (0, 21], got {a!r}")
        if lim.get("age_source") not in sources:
            rep.err(f"{where}: min_age_years needs an age_source defined in 'sources' (got {lim.get('age_source')!r})")
    elif "age_source" in lim:
        rep.err(f"{where}: age_source without min_age_years")
    if "pregnancy" in lim:
        if lim["pregnancy"] not in PREGNANCY:
            rep.err(f"{where}: pregnancy must be one of {sorted(PREGNANCY)}, got {lim['pregnancy']!r}")
        if lim.get("pregnancy_source") not in sources:
            rep.err(f"{where}: pregnancy needs a pregnancy_source defined in 'sources' (got {lim.get('pregnancy_source')!r})")
    elif "pregnancy_source" in lim:
        rep.err(f"{where}: pregnancy_source without pregnancy")
    if not lim:
        rep.warn(f"{where}: empty limits object")


def main(argv):
    path = argv[1] if len(argv) > 1 else "rules/knowledge/drugs.json"
    try:
        with open(path, encoding="utf-8") as fh:
            raw = fh.read()
    except OSError as e:
        print(f"ERROR: cannot read {path}: {e}")
        return 2
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        print(f"ERROR: {path} is not valid JSON: {e}")
        return 2

    rep = Report()
    if not isinstance(data, dict):
        print("ERROR: top level must be an object")
        return 1
    for k in ("version", "sources", "drugs"):
        if k not in data:
            rep.err(f"top level: missing key {k!r}")
    if not isinstance(data.get("version"), str) or not data.get("version"):
        rep.err("top level: 'version' must be a non-empty string")
    sources = data.get("sources")
    if not isinstance(sources, dict) or not sources:
        rep.err("top level: 'sources' must be a non-empty object")
        sources = {}
    for k, v in sources.items():
        if not isinstance(v, str) or not v.strip():
            rep.err(f"sources.{k}: description must be a non-empty string")
    drugs = data.get("drugs")
    if not isinstance(drugs, list):
        rep.err("top level: 'drugs' must be a list")
        drugs = []

    ids = {}
    owners = {lang: {} for lang in LANGS}  # folded name -> set of ids (names + brands)
    stats = {"names": {l: 0 for l in LANGS}, "brands": {l: 0 for l in LANGS},
             "limits": 0, "dose_limits": 0, "iu_limits": 0, "child_limits": 0,
             "elderly_limits": 0, "weekly_strengths": 0, "controlled": 0, "ar": 0, "zh": 0,
             "ar_base": 0, "ar_base_with": 0, "herbs": 0, "herbs_ar": 0,
             "abbreviations": 0, "guarded": 0}
    for i, d in enumerate(drugs):
        where = f"drugs[{i}]"
        if not isinstance(d, dict):
            rep.err(f"{where}: must be an object")
            continue
        did = d.get("id")
        if isinstance(did, str):
            where = f"drug {did!r}"
        for k in d:
            if k not in DRUG_KEYS:
                rep.err(f"{where}: unknown key {k!r}")
        for k in ("id", "names", "forms", "rx_only", "controlled"):
            if k not in d:
                rep.err(f"{where}: missing required key {k!r}")
        if not isinstance(did, str) or not ID_RE.match(did):
            rep.err(f"{where}: id must be lowercase ascii snake_case, got {did!r}")
        elif did in ids:
            rep.err(f"{where}: duplicate id (also drugs[{ids[did]}])")
        else:
            ids[did] = i
        if "atc" in d and (not isinstance(d["atc"], str) or not ATC_RE.match(d["atc"])):
            rep.err(f"{where}: malformed ATC code {d['atc']!r}")
        cls = d.get("class", [])
        if not isinstance(cls, list) or not all(isinstance(c, str) and re.match(r"^[a-z0-9_]+$", c) for c in cls):
            rep.err(f"{where}: class must be a list of lowercase tags")
        forms = d.get("forms")
        if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and re.match(r"^[a-z0-9_]+$", f) for f in forms):
            rep.err(f"{where}: forms must be a non-empty list of lowercase snake_case strings")
        if "rx_only" in d and not isinstance(d["rx_only"], bool):
            rep.err(f"{where}: rx_only must be true/false")
        if "controlled" in d and d["controlled"] not in CONTROLLED:
            rep.err(f"{where}: controlled must be one of narcotic/psychotropic_1/psychotropic_2/null, got {d['controlled']!r}")
        if d.get("controlled"):
            stats["controlled"] += 1

        names = check_lang_map(rep, f"{where}.names", d.get("names"), required=True)
        brands = check_lang_map(rep, f"{where}.brands", d.get("brands", {}), required=False)
        abbreviations = check_abbreviations(rep, f"{where}.abbreviations",
                                            d.get("abbreviations", {}), guarded=False)
        guarded = check_abbreviations(rep, f"{where}.guarded_abbreviations",
                                      d.get("guarded_abbreviations", {}), guarded=True)
        for lang in LANGS:
            stats["abbreviations"] += len(abbreviations.get(lang, []))
            stats["guarded"] += len(guarded.get(lang, []))
        if "ambiguous_names" in d:
            amb = d["ambiguous_names"]
            if not isinstance(amb, dict) or any(l not in LANGS or not isinstance(v, list) for l, v in amb.items()):
                rep.err(f"{where}.ambiguous_names: must map en/zh/ar to lists")
        if not names.get("en"):
            rep.err(f"{where}: needs at least one English name")
        for lang in LANGS:
            stats["names"][lang] += len(names.get(lang, []))
            stats["brands"][lang] += len(brands.get(lang, []))
            for n in names.get(lang, []) + brands.get(lang, []) + abbreviations.get(lang, []) \
                    + guarded.get(lang, []):
                owners[lang].setdefault(fold(n, lang), set()).add(did if isinstance(did, str) else where)
        if names.get("ar"):
            stats["ar"] += 1
        if isinstance(cls, list) and AR_EXEMPT_CLASSES.intersection(cls):
            stats["herbs"] += 1
            stats["herbs_ar"] += bool(names.get("ar"))
        else:
            stats["ar_base"] += 1
            stats["ar_base_with"] += bool(names.get("ar"))
        if names.get("zh"):
            stats["zh"] += 1

        if "limits" in d:
            check_limits(rep, f"{where}.limits", d["limits"], sources)
            stats["limits"] += 1
            if any(k in d["limits"] for k in ("adult_max_single_mg", "adult_max_daily_mg")):
                stats["dose_limits"] += 1
            if isinstance(d["limits"], dict):
                lim = d["limits"]
                stats["iu_limits"] += any(k in lim for k in ("adult_max_single_iu", "adult_max_daily_iu"))
                stats["child_limits"] += any(k in lim for k in CHILD_KEYS)
                stats["elderly_limits"] += any(k in lim for k in ELDERLY_KEYS)
                stats["weekly_strengths"] += "weekly_strengths_mg" in lim

    for lang in LANGS:
        for n, who in sorted(owners[lang].items()):
            if len(who) > 1:
                rep.err(f"name collision ({lang}): {n!r} is listed under {sorted(who)}")

    n = len(drugs)
    if n < MIN_DRUGS:
        rep.err(f"only {n} drugs; at least {MIN_DRUGS} required")
    if n:
        zh_cov = stats["zh"] / n
        # Arabic coverage leaves out the AR_EXEMPT_CLASSES drugs (see above).
        ar_cov = stats["ar_base_with"] / stats["ar_base"] if stats["ar_base"] else 1.0
        if ar_cov < MIN_AR_COVERAGE:
            rep.err(f"Arabic coverage {ar_cov:.1%} < {MIN_AR_COVERAGE:.0%} (over drugs not in {sorted(AR_EXEMPT_CLASSES)})")
        if zh_cov < MIN_ZH_COVERAGE:
            rep.err(f"Chinese coverage {zh_cov:.1%} < {MIN_ZH_COVERAGE:.0%}")
    else:
        ar_cov = zh_cov = 0.0

    for w in rep.warnings:
        print(f"WARN: {w}")
    for e in rep.errors:
        print(f"ERROR: {e}")
    nm, br = stats["names"], stats["brands"]
    print(
        f"SUMMARY: drugs={n} names en={nm['en']} zh={nm['zh']} ar={nm['ar']} "
        f"brands en={br['en']} zh={br['zh']} ar={br['ar']} "
        f"with_limits={stats['limits']} with_dose_limits={stats['dose_limits']} "
        f"iu={stats['iu_limits']} child_per_kg={stats['child_limits']} "
        f"elderly={stats['elderly_limits']} weekly_strengths={stats['weekly_strengths']} "
        f"controlled={stats['controlled']} coverage zh={zh_cov:.1%} ar={ar_cov:.1%} "
        f"tcm_herb={stats['herbs']} (with ar={stats['herbs_ar']}) "
        f"abbreviations={stats['abbreviations']} guarded={stats['guarded']} "
        f"errors={len(rep.errors)} warnings={len(rep.warnings)}"
    )
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
