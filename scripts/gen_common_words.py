#!/usr/bin/env python3
"""Generate rules/knowledge/common_words.json: ordinary English words that the fuzzy drug-name
lookup (src/knowledge/fuzzy.h) would otherwise read as a misspelled drug name.

A word is listed when it is within the lookup's edit distance of a Latin name or brand of
rules/knowledge/drugs.json (same first letter; optimal-string-alignment distance 1 when both have
>= 6 letters, 2 when both have >= 9), when its sound key (sound_key) equals a name's (>= 5
letters), or when it spells the pinyin of a Chinese name
(rules/knowledge/pinyin.json), and is not itself a drug name. Source word list: the
`wamerican-large` Debian package (/usr/share/dict/american-english-large); lowercase entries only
(no proper nouns),
each with its regular inflections (-s, -es, -ed, -ing, -er, -ly).

Arabic ("ar_words"): ordinary Arabic words that the lookup's Arabic matching (one edit, or the
same consonant skeleton) would read as a drug name: بروتين (protein) one letter from بروفين,
مترين (two metres) and ألفين (two thousand) a vowel from موترين and أولفين. Source word list: the
stems of the `hunspell-ar` Debian package (Ayaspell, /usr/share/hunspell/ar.dic), each alone and
with the common suffixes (ات ة ي ين ون ان ها هم), folded as the engine folds Arabic. A word
listed when it differs from the name in a consonant (a different word); a word with the name's
skeleton (only vowel letters differ) is a spelling variant of the loanword (بندول) and is left
out, unless it writes a native letter where the name has the loanword's (ص ط ظ ق غ for س ت ز ج:
مطرين, اصبرون) or is one of REAL_SAME_SKELETON (checked by hand).
Run from the repository root after changing drugs.json or pinyin.json:

    python3 scripts/gen_common_words.py [--words /usr/share/dict/american-english-large ...]
        [--ar-words /usr/share/hunspell/ar.dic]

then `build/medaudit rules manifest`. Stdlib only.
"""
import argparse
import json
import os
import re

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KNOWLEDGE = os.path.join(REPO, "rules", "knowledge")
MIN_EXACT, MIN_FUZZY, MIN_FUZZY2 = 5, 6, 9
MIN_SOUND = 5


def allowed(a, b):
    shorter = min(a, b)
    return 2 if shorter >= MIN_FUZZY2 else 1 if shorter >= MIN_FUZZY else 0


def osa(a, b, bound):
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            v = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, d[i - 2][j - 2] + 1)
            d[i][j] = v
    return d[len(a)][len(b)]


def deletes(s, depth):
    out, frontier = {s}, {s}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def sound_key(word):
    """The lookup's SoundKey (src/knowledge/fuzzy.cc): a Latin word as it sounds, so that names
    spelled by ear match (banadol, fentolin, kataflam, advill)."""
    out = []
    i = 0
    while i < len(word):
        c = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == "p":
            c = "f" if nxt == "h" else "b"
        elif c == "v":
            c = "f"
        elif c == "c":
            c = "k" if nxt == "h" else "s" if nxt in "eiy" and nxt else "k"
        elif c == "q":
            c = "k"
        elif c == "z":
            c = "s"
        elif c in "ey":
            c = "i"
        elif c == "o":
            c = "u"
        elif c == "h" and i > 0:
            i += 1
            continue
        if not out or out[-1] != c:
            out.append(c)
        i += 1
    return "".join(out)


def inflections(word):
    """The word and its regular inflections, which the word list often leaves out (morph ->
    morphing, one edit from morphine)."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "er", word + "ly"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing", word + "r"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


def deinflect(word):
    """Stems a regular inflection might come from (aspirins -> aspirin; aspiring -> aspire)."""
    stems = set()
    for ending, back in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(ending):
            stems.add(word[: -len(ending)] + back)
    return stems


AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ـ": None})
AR_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670]")
AR_WORD = re.compile(r"[\u0621-\u064A]+")
AR_VOWELS = set("اويىءؤئ")
# Letters that write one foreign sound (src/knowledge/fuzzy.cc ArabicSkeleton): native words use
# the first of each pair, loanwords the second.
AR_MERGE = {"غ": "ج", "ق": "ج", "ط": "ت", "ث": "ت", "ص": "س", "ذ": "ز", "ظ": "ز"}
AR_NATIVE = set("صطظقغ")
AR_SUFFIXES = ("", "ات", "ه", "ي", "ين", "ون", "ان", "ها", "هم")
# Ordinary words whose consonants are a name's and whose vowels differ by one letter: ألفين
# (two thousand) ~ أولفين, مترين (two metres) ~ موترين.
# Checked by hand: بروتين protein (بيريتون's skeleton), اليفين / اليفان tame (اولفين's), غلوتينين
# glutenin and the gluten forms (غلوتاثيون's).
REAL_SAME_SKELETON = {"الفين", "مترين", "بروتين", "اليفين", "اليفان", "غلوتينين", "غلوتينان", "غلوتينون"}
MIN_AR_EXACT, MIN_AR_SKELETON, MIN_AR_SKELETON_TWO = 5, 4, 10


def ar_fold(word):
    return AR_DIACRITICS.sub("", word).translate(AR_FOLD)


def ar_skeleton(word):
    out = []
    for i, c in enumerate(word):
        if i > 0 and c in AR_VOWELS:
            continue
        c = AR_MERGE.get(c, c)
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def ar_matches(word, names, index, skeletons):
    """Every name the lookup's whole-word Arabic match (MatchArabicStripped) could give, sorted."""
    if len(word) < MIN_AR_EXACT or word in names:
        return []
    found = set()
    if len(word) >= MIN_FUZZY:
        for d in deletes(word, 1):
            for name in index.get(d, ()):
                if name[0] == word[0] and osa(word, name, 1) <= 1:
                    found.add(name)
    skeleton = ar_skeleton(word)
    if len(skeleton) >= MIN_AR_SKELETON:
        for name in skeletons.get(skeleton, ()):
            bound = 2 if len(name) >= MIN_AR_SKELETON_TWO and len(word) + 1 >= MIN_AR_SKELETON_TWO else 1
            if abs(len(word) - len(name)) <= bound:
                found.add(name)
    return sorted(found)


def ar_spelling_variant(word, name):
    """True when word is a spelling of the loanword name (only vowel letters differ), not a native word."""
    if ar_skeleton(word) != ar_skeleton(name):
        return False
    native = any(a in AR_NATIVE and AR_MERGE[a] == b for a, b in zip(word, name)) or \
        any(c in AR_NATIVE for c in word) and not any(c in AR_NATIVE for c in name)
    return not native and word not in REAL_SAME_SKELETON


def arabic_common(drugs, paths):
    names = set()
    for drug in drugs:
        for group in ("names", "brands"):
            for name in (drug.get(group) or {}).get("ar", []):
                folded = ar_fold(name)
                if AR_WORD.fullmatch(folded):
                    names.add(folded)
    index, skeletons = {}, {}
    for name in names:
        if len(name) >= MIN_FUZZY:
            for d in deletes(name, 1):
                index.setdefault(d, set()).add(name)
            if not name.startswith("ال") and len(ar_skeleton(name)) >= MIN_AR_SKELETON:
                skeletons.setdefault(ar_skeleton(name), set()).add(name)
    stems = set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                stem = ar_fold(line.strip().split("/")[0])
                if AR_WORD.fullmatch(stem):
                    stems.add(stem)
    common = set()
    for stem in stems:
        if stem in names:
            continue  # أسبرينة is the drug with a suffix, not another word
        for suffix in AR_SUFFIXES:
            word = stem + suffix
            matched = ar_matches(word, names, index, skeletons)
            # A word that spells one of the names it matches is that drug (كوكاين is كوكايين), whatever
            # else it is near: listing it would hide the drug from the lookup. Real words with a
            # name's skeleton are in REAL_SAME_SKELETON. Deciding on every match, not the first one
            # found, keeps the output independent of set iteration order.
            if not matched or any(ar_spelling_variant(word, name) for name in matched):
                continue
            common.add(word)
    return common


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", nargs="+", default=["/usr/share/dict/american-english-large"])
    ap.add_argument("--ar-words", nargs="+", default=["/usr/share/hunspell/ar.dic"])
    args = ap.parse_args()
    with open(os.path.join(KNOWLEDGE, "drugs.json"), encoding="utf-8") as f:
        drugs = json.load(f)["drugs"]
    with open(os.path.join(KNOWLEDGE, "pinyin.json"), encoding="utf-8") as f:
        syllables = json.load(f)["syllables"]
    reading = {ch: s for s, chars in syllables.items() for ch in chars}
    latin, pinyin = set(), set()
    for drug in drugs:
        for group in ("names", "brands"):
            for lang, names in (drug.get(group) or {}).items():
                for name in names:
                    low = name.lower()
                    if re.fullmatch(r"[a-z]+", low) and len(low) >= MIN_EXACT:
                        latin.add(low)
                    if lang == "zh" and 3 <= len(name) <= 8 and all(ch in reading for ch in name):
                        pinyin.add("".join(reading[ch] for ch in name))
    index = {}
    for name in latin:
        if len(name) < MIN_FUZZY:
            continue
        for d in deletes(name, allowed(len(name), len(name))):
            index.setdefault(d, set()).add(name)
    # Sound keys of the names (kLatinSound), matched exactly from MIN_SOUND letters.
    sounds = {sound_key(name) for name in latin}
    common = set()
    bases = set()
    for path in args.words:
        with open(path, encoding="utf-8", errors="replace") as f:
            bases.update(line.strip() for line in f)
    bases = {b for b in bases if re.fullmatch(r"[a-z]+", b)}
    ordinary = bases - latin
    # A drug name's own inflections (morphines) are not ordinary words.
    words = {w for b in ordinary for w in inflections(b)}
    for word in sorted(words):
        if len(word) < MIN_EXACT or word in latin:
            continue
        stems = deinflect(word)
        if stems & latin and not stems & ordinary:
            continue  # aspirins is the drug; regained (regain, not Regaine) is a word
        if word in pinyin:
            common.add(word)
            continue
        key = sound_key(word)
        if len(key) >= MIN_SOUND and key in sounds:
            common.add(word)
            continue
        if len(word) < MIN_FUZZY:
            continue
        candidates = set()
        for d in deletes(word, allowed(len(word), len(word))):
            candidates |= index.get(d, set())
        for name in candidates:
            bound = allowed(len(word), len(name))
            if bound and name[0] == word[0] and osa(word, name, bound) <= bound:
                common.add(word)
                break
    ar_common = arabic_common(drugs, args.ar_words)
    doc = {
        "about": "GENERATED by scripts/gen_common_words.py from the wamerican-large word list; do not edit "
                 "by hand. English words (and regular inflections) that are within the fuzzy drug-name lookup's edit distance of a "
                 "drug name (or spell a Chinese name's pinyin); the lookup never reads them as a drug. ar_words: Arabic words "
                 "(hunspell-ar stems and suffixed forms, folded) that the Arabic lookup would otherwise read as a drug name.",
        "version": "2",
        "words": sorted(common),
        "ar_words": sorted(ar_common),
    }
    out = os.path.join(KNOWLEDGE, "common_words.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print("wrote %s: %d words, %d Arabic words" % (out, len(common), len(ar_common)))


if __name__ == "__main__":
    main()
