// SentenceReader, part 1: the tokens and cues of a sentence, and the mood of a place in it.
#include "extract/internal/sentence.h"

#include <algorithm>

#include "extract/internal/lexical.h"
#include "extract/internal/mood.h"
#include "extract/internal/structured.h"
#include "text/units.h"

namespace medaudit::extract::internal {
namespace {

// How many sentences back a prescription header ("Rp.", "处方：") governs bare regimen lines.
constexpr uint32_t kRxFormReach = 3;
// How many sentences a header line ("You can use one of these:", "Medications:") governs: the
// bare list items under it take the header's mood.
constexpr uint32_t kHeaderReach = 8;
// The longest dosage-form suffix of a product name, in bytes ("口服溶液", "薄膜衣片",
// "口服混悬液").
constexpr uint32_t kFormSuffixBytes = 15;

bool OpensWithRecap(std::string_view words);

// Whether `text` holds one of the words as a whole word.
bool ContainsAnyWord(std::string_view text, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return ContainsWord(text, w); });
}

// Whether a colon follows a cue, past spaces, quotation marks, emphasis, the medicine's name and a
// parenthesis: the source may name the medicine before its colon ("تقول نشرة الملارون: …", "the
// Malarone leaflet says: …") and itself in its own language ("تقرير الخروج (compte rendu …):").
bool ColonAfter(std::string_view normalized, const Token& cue,
                const std::vector<const Token*>& drugs) {
  if (cue.span.size() > 0 && normalized[cue.span.end - 1] == ':') return true;
  uint32_t i = cue.span.end;
  while (i < normalized.size()) {
    if (std::string_view(" \"'*").find(normalized[i]) != std::string_view::npos) {
      ++i;
      continue;
    }
    if (normalized[i] == '(') {
      const size_t close = normalized.find(')', i);
      if (close == std::string_view::npos ||
          normalized.substr(i, close - i).find('\n') != std::string_view::npos) {
        break;
      }
      i = static_cast<uint32_t>(close + 1);
      continue;
    }
    const auto named = std::find_if(drugs.begin(), drugs.end(),
                                    [&](const Token* d) { return d->span.begin == i; });
    if (named == drugs.end() || (*named)->span.end <= i) break;
    i = (*named)->span.end;
  }
  return i < normalized.size() && normalized[i] == ':';
}

// Whether a cue is an informational cue that names a printed source or a translation (grammar
// `words.source_nouns`).
bool NamesSource(std::string_view normalized, const Token& cue,
                 const std::vector<std::string>& sources) {
  return cue.cue == Mood::kInformational &&
         ContainsAnyWord(normalized.substr(cue.span.begin, cue.span.size()), sources);
}

// The source cue whose colon opens the words a mention stands in: the last cue of the sentence
// before the mention that is followed by a colon (ColonAfter), when it is an informational cue
// that names a printed source or a translation (NamesSource); else nullptr. "说明书上写的是：漏服时
// 应尽快补服，之后继续每日两次，每次5mg", "The leaflet says: take it as soon as you remember, then
// 5 mg twice daily", "تقول النشرة: …", "这张处方翻译过来是：…": a source's words after its colon
// are the source's, verbs and all. The answer's own frame after it ("那我就直接说：", "here's what
// I'd tell you:") takes the words back.
const Token* ColonScope(std::string_view normalized, const std::vector<const Token*>& cues,
                        const text::Span& at, const std::vector<std::string>& sources,
                        const std::vector<const Token*>& drugs) {
  const Token* scope = nullptr;
  for (const Token* cue : cues) {
    if (cue->span.end > at.begin) continue;
    if (ColonAfter(normalized, *cue, drugs)) scope = cue;
  }
  // Only a cue that names a printed source quotes it: "仅供参考：", "for reference:" do not.
  if (scope == nullptr || !NamesSource(normalized, *scope, sources)) return nullptr;
  return scope;
}

// The source cue of a sentence whose colon opens a quoted or translated document, when no frame of
// the answer's own (a directive or prescription cue before a colon) follows it in the sentence.
const Token* OpensSource(std::string_view normalized, const std::vector<const Token*>& cues,
                         const std::vector<std::string>& sources,
                         const std::vector<const Token*>& drugs) {
  const Token* source = nullptr;
  for (const Token* cue : cues) {
    if (!ColonAfter(normalized, *cue, drugs)) continue;
    if (source == nullptr && NamesSource(normalized, *cue, sources)) {
      source = cue;
    } else if (source != nullptr && (cue->cue == Mood::kDirective || cue->cue == Mood::kRxForm)) {
      return nullptr;
    }
  }
  return source;
}

// The cue of a clause after `from` in its sentence that recaps the regimen before it: the first
// cue after `from`, when it is a history cue or an informational cue that names a printed source
// (NamesSource), in a later clause that opens with a recap word (OpensWithRecap: "X 50 mcg at 6
// am, Y 10 mg with breakfast - that's the list your GP gave you", "…，وهذا ما كتبه طبيبك").
// Nullptr otherwise.
const Token* RecapAfter(std::string_view normalized, const std::vector<const Token*>& cues,
                        uint32_t from, const std::vector<std::string>& sources) {
  for (const Token* cue : cues) {
    if (cue->span.begin < from) continue;
    if (cue->cue != Mood::kHistory && !NamesSource(normalized, *cue, sources)) return nullptr;
    const std::string_view before = normalized.substr(from, cue->span.begin - from);
    size_t begin = std::string_view::npos;
    for (std::string_view b : {",", ";", ":", " - "}) {
      const size_t at = before.rfind(b);
      if (at != std::string_view::npos &&
          (begin == std::string_view::npos || at + b.size() > begin)) {
        begin = at + b.size();
      }
    }
    if (begin == std::string_view::npos) return nullptr;
    return OpensWithRecap(before.substr(begin)) ? cue : nullptr;
  }
  return nullptr;
}

// Whether a drug ruled out by a stop before it (`at`) gets a new amount in the same sentence: a
// directive that names a switch or a change of amount (grammar `words.raise_to`: "switch to",
// "change to", "改成", "بدلها ل") comes after it with no other drug and no other cue between, and
// a dose follows that directive in its clause ("stop the omeprazole 20 mg and switch to 40 mg
// once daily", "停掉原来的20mg，改成40mg"). Switching to another drug names that drug instead.
bool SwitchesAmountAfter(std::string_view normalized, const text::Span& at,
                         const std::vector<const Token*>& cues,
                         const std::vector<const Token*>& drugs,
                         const std::vector<const Token*>& attributes, const WordLists& words) {
  for (const Token* cue : cues) {
    if (cue->span.begin < at.end) continue;
    if (cue->cue != Mood::kDirective) return false;
    const std::string_view text = normalized.substr(cue->span.begin, cue->span.size());
    const bool switches = std::any_of(words.raise_to.begin(), words.raise_to.end(),
                                      [&](const std::string& w) { return text == w; });
    if (!switches) continue;
    if (std::any_of(drugs.begin(), drugs.end(), [&](const Token* d) {
          return d->span.begin >= at.end && d->span.begin < cue->span.end;
        })) {
      return false;
    }
    // The switch is a verb of its own ("… and switch to", "…，改成", "وانتقل"), not the verb the
    // prohibition governs ("不要自己把华法林加到每天5mg", "don't change it to 40 mg").
    const std::string_view between = normalized.substr(at.end, cue->span.begin - at.end);
    const bool own_verb =
        CrossesClause(between) || between.find(" and ") != std::string_view::npos ||
        between.find(" then ") != std::string_view::npos || between.ends_with(" and") ||
        between.find("\xE7\x84\xB6\xE5\x90\x8E") != std::string_view::npos ||  // 然后
        between.ends_with("\xD9\x88");                                         // و
    if (!own_verb) return false;
    return std::any_of(attributes.begin(), attributes.end(), [&](const Token* a) {
      return a->kind == TokenKind::kDose && a->span.begin >= cue->span.end &&
             !CrossesClause(normalized.substr(cue->span.end, a->span.begin - cue->span.end));
    });
  }
  return false;
}

bool IsAttribute(TokenKind kind) {
  return kind == TokenKind::kDose || kind == TokenKind::kFrequency ||
         kind == TokenKind::kDuration || kind == TokenKind::kRoute;
}

// Whether a token starts inside a number: "5 mg tablets" in "2.5 mg tablets".
bool StartsInNumber(std::string_view normalized, const Token& t) {
  const uint32_t b = t.span.begin;
  if (b == 0) return false;
  if (IsDigit(normalized[b - 1])) return true;
  return b >= 2 && (normalized[b - 1] == '.' || normalized[b - 1] == ',') &&
         IsDigit(normalized[b - 2]);
}

// Whether cue `t` opens its clause in `sentence`: the words between the last clause break
// (a line, a colon, a comma, a dash, a bullet) and the cue are none, or only connectives ("then",
// "立即", "ثم"), or they open a condition ("if no IV access, …", "如无改善再予…", "واذا لم يتوفر خط
// وريدي يعطى…"). A clinical order verb in that place gives the order ("Push X…", "立即予X",
// "يعطى X…"); the same word inside a description does not ("the drug is given …", "يعطى للبالغين").
bool OpensClause(std::string_view normalized, const text::Span& sentence, const Token& t) {
  static constexpr std::string_view kBreaks[] = {"\n",
                                                 ":",
                                                 ";",
                                                 ",",
                                                 "(",
                                                 ".",
                                                 "!",
                                                 "?",
                                                 "\xE3\x80\x82",
                                                 "\xE3\x80\x81",  // 。、
                                                 "\xE2\x80\x94",
                                                 "\xE2\x80\x93",
                                                 " - ",
                                                 "\xD8\x8C",
                                                 "\xD8\x9B"};  // — – ، ؛
  static constexpr std::string_view kConnectives[] = {
      "then",
      "and",
      "now",
      "immediately",
      "also",
      "please",
      "next",
      "so",
      "stat",
      "\xE7\xAB\x8B\xE5\x8D\xB3",                            // 立即
      "\xE9\x9A\x8F\xE5\x90\x8E",                            // 随后
      "\xE7\x84\xB6\xE5\x90\x8E",                            // 然后
      "\xE5\x90\x8C\xE6\x97\xB6",                            // 同时
      "\xE9\xA9\xAC\xE4\xB8\x8A",                            // 马上
      "\xE7\xBB\xA7\xE8\x80\x8C",                            // 继而
      "\xE5\x86\x8D",                                        // 再
      "\xE5\xB9\xB6",                                        // 并
      "\xE5\x8D\xB3",                                        // 即
      "\xE5\x85\x88",                                        // 先
      "\xE7\x8E\xB0",                                        // 现
      "\xE5\x8F\xAF",                                        // 可
      "\xD8\xAB\xD9\x85",                                    // ثم
      "\xD9\x81\xD9\x88\xD8\xB1\xD8\xA7",                    // فورا
      "\xD8\xA8\xD8\xB9\xD8\xAF\xD9\x87\xD8\xA7",            // بعدها
      "\xD8\xA8\xD8\xB9\xD8\xAF \xD8\xB0\xD9\x84\xD9\x83"};  // بعد ذلك
  static constexpr std::string_view kConditions[] = {
      "if ",
      "when ",
      "once ",
      "should ",
      "\xE5\xA6\x82",                                // 如 (如果, 如无)
      "\xE8\x8B\xA5",                                // 若
      "\xE5\xBF\x85\xE8\xA6\x81\xE6\x97\xB6",        // 必要时
      "\xD8\xA7\xD8\xB0\xD8\xA7 ",                   // اذا
      "\xD9\x88\xD8\xA7\xD8\xB0\xD8\xA7 ",           // واذا
      "\xD9\x84\xD9\x88 ",                           // لو
      "\xD9\x81\xD9\x8A \xD8\xAD\xD8\xA7\xD9\x84 ",  // في حال
      "\xD8\xB9\xD9\x86\xD8\xAF "};                  // عند
  if (t.span.begin < sentence.begin) return false;
  std::string_view before = normalized.substr(sentence.begin, t.span.begin - sentence.begin);
  size_t from = 0;
  for (std::string_view b : kBreaks) {
    const size_t at = before.rfind(b);
    if (at != std::string_view::npos) from = std::max(from, at + b.size());
  }
  std::string_view pre = before.substr(from);
  auto trim = [](std::string_view v) {
    while (!v.empty() && std::string_view(" \t*#>-_0123456789").find(v.front()) != v.npos) {
      v.remove_prefix(1);
    }
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  pre = trim(pre);
  for (bool stripped = true; stripped && !pre.empty();) {
    stripped = false;
    for (std::string_view c : kConnectives) {
      const bool latin = static_cast<unsigned char>(c.front()) < 0x80;
      if (pre.starts_with(c) && (!latin || pre.size() == c.size() || pre[c.size()] == ' ')) {
        pre = trim(pre.substr(c.size()));
        stripped = true;
        break;
      }
    }
  }
  if (pre.empty()) return true;
  return std::any_of(std::begin(kConditions), std::end(kConditions),
                     [&](std::string_view c) { return pre.starts_with(c); });
}

// Whether a cue is part of one of the names: "注射" in "右旋糖酐注射液", "滴眼" in "滴眼液". (A
// product match may start before the name, so only its dosage-form end counts.)
bool InName(const Token* cue, const std::vector<const Token*>& names) {
  return std::any_of(names.begin(), names.end(), [&](const Token* name) {
    return Inside(cue->span, name->span) && name->span.size() > cue->span.size() &&
           (name->kind == TokenKind::kDrug || name->span.end - cue->span.begin <= kFormSuffixBytes);
  });
}

// Whether a dose token's unit is only the start of a longer Arabic word: "5 ملم" (millimetres) is
// no "5 مل" (ml). (The longest unit spellings, ملعقه, ملغم, still match whole.)
bool UnitInLongerWord(std::string_view normalized, const Token& t) {
  const uint32_t end = t.span.end;
  if (end < 2 || end >= normalized.size()) return false;
  // The token's last character and the next one are both Arabic letters (2-byte UTF-8, lead byte
  // 0xD8–0xDB): the token ends inside a word.
  const auto last_lead = static_cast<unsigned char>(normalized[end - 2]);
  const auto next_lead = static_cast<unsigned char>(normalized[end]);
  if (!IsArabicLead(last_lead) || !IsArabicLead(next_lead)) return false;
  // "١٫٢ مليون وحدة" (1.2 million units) reads "مل" inside "مليون": kept as an amount, so the line
  // keeps its dose (its value, millions of units, is not read yet).
  if (normalized.substr(end).starts_with("\xD9\x8A\xD9\x88\xD9\x86")) return false;  // يون
  // One closing letter is no longer word: the alef of tanween ("12 قرصا في اليوم") or the ya of
  // the colloquial "٥٠ ملي" (kept as before; its unit is open).
  const bool closing = normalized.substr(end).starts_with("\xD8\xA7") ||  // ا
                       normalized.substr(end).starts_with("\xD9\x8A");    // ي
  const bool word_goes_on =
      end + 2 < normalized.size() && IsArabicLead(static_cast<unsigned char>(normalized[end + 2]));
  return !closing || word_goes_on;
}

// Whether a dose token is an amount in kilograms: a body weight, never a dose of a medicine.
bool BodyWeight(std::string_view normalized, const Token& t, const WordLists& words) {
  const auto amount = ParseAmount(normalized.substr(t.span.begin, t.span.size()), words);
  return amount.has_value() && amount->unit == text::Unit::kKg;
}

// Whether `word` starts `after` as a whole word.
bool WholeWordStart(std::string_view after, std::string_view word) {
  return !word.empty() && after.starts_with(word) && IsWholeWordAt(after, 0, word);
}

// Whether the text from an amount on says it is the strength of a pack of units: a
// multiplication sign, a count of at least six and a count noun ("10ml×24支", "500 mg x 30
// tablets", "0.25g*24粒"). A small count after the sign is a dose of units ("0.25g×2粒").
bool PackOfUnits(std::string_view from, const WordLists& words) {
  constexpr int kPackCount = 6;
  const size_t line_end = from.find('\n');
  if (line_end != std::string_view::npos) from = from.substr(0, line_end);
  for (size_t i = 0; i < from.size(); ++i) {
    size_t sign = 0;
    if (from.substr(i).starts_with("\xC3\x97")) {  // ×
      sign = 2;
    } else if (from[i] == '*' ||
               (from[i] == 'x' &&
                (i == 0 || !IsAsciiLetter(static_cast<unsigned char>(from[i - 1]))) &&
                (i + 1 == from.size() ||
                 !IsAsciiLetter(static_cast<unsigned char>(from[i + 1]))))) {
      sign = 1;
    }
    if (sign == 0) continue;
    size_t j = i + sign;
    while (j < from.size() && from[j] == ' ') ++j;
    int count = 0;
    const size_t digits = j;
    while (j < from.size() && IsDigit(from[j]) && count < 100000)
      count = count * 10 + (from[j++] - '0');
    if (j == digits || count < kPackCount) return false;
    while (j < from.size() && from[j] == ' ') ++j;
    const std::string_view rest = from.substr(j);
    return std::any_of(words.pack_count_nouns.begin(), words.pack_count_nouns.end(),
                       [&](const std::string& noun) { return WholeWordStart(rest, noun); });
  }
  return false;
}

// Whether a dose token is a package's content, not a dose (grammar words pack_before,
// pack_after, pack_count_nouns): "2 g tube", "tube of 30 g", "العبوه 30 غرام", "10毫升/支",
// "10ml×24支/盒".
bool PackContent(std::string_view normalized, const Token& t, const WordLists& words) {
  constexpr size_t kPackWindow = 40;  // bytes after the amount where "×24支" may stand
  const std::string_view after = normalized.substr(t.span.end);
  if (internal::WordBefore(normalized, t.span.begin, words.pack_before) ||
      std::any_of(words.pack_after.begin(), words.pack_after.end(),
                  [&](const std::string& w) { return WholeWordStart(after, w); })) {
    return true;
  }
  const size_t window =
      std::min<size_t>(normalized.size() - t.span.begin, t.span.size() + kPackWindow);
  if (PackOfUnits(normalized.substr(t.span.begin, window), words)) return true;
  // The count of such a pack ("24支" in "10ml×24支") is no dose of units either: it would
  // otherwise multiply the dose that follows ("0.25g×6片 sig: 0.5g qd").
  std::string_view sign = normalized.substr(0, t.span.begin);
  while (!sign.empty() && sign.back() == ' ') sign.remove_suffix(1);
  // ('*' is left out here: Markdown bold puts it before many a count, "**20粒**".)
  for (std::string_view mark : {std::string_view("\xC3\x97"), std::string_view(" x")}) {
    if (!sign.ends_with(mark)) continue;
    const size_t at = sign.size() - (mark == " x" ? 1 : mark.size());
    return PackOfUnits(normalized.substr(at, t.span.end - at), words);
  }
  return false;
}

// Whether a drug name is the stem of a class name, so that the text names the class, not the drug:
// "维a酸类药物一般每晚一次", "四环素类抗生素", "tretinoin-type creams", "aspirin-like drugs".
// ("类似" is "similar to"; "类似物", an analogue, is a class again.)
bool ClassStem(std::string_view normalized, const Token& t) {
  const std::string_view after = normalized.substr(t.span.end);
  constexpr std::string_view kLei = "\xE7\xB1\xBB";  // 类
  if (after.starts_with(kLei)) {
    const std::string_view rest = after.substr(kLei.size());
    return !rest.starts_with("\xE4\xBC\xBC") ||           // 似
           rest.starts_with("\xE4\xBC\xBC\xE7\x89\xA9");  // 似物
  }
  for (std::string_view suffix : {"-type ", "-like ", "-class ", " class ", " derivatives",
                                  " analogues", " analogs", "-based "}) {
    if (after.starts_with(suffix)) return true;
  }
  return false;
}

// "use a pill organizer or a weekly reminder", "your daily routine": a one-word frequency after
// an article (grammar words.describing_article) and before a noun that is no schedule noun
// (words.schedule_nouns), unit or token describes that noun; it is no schedule. ("a daily dose",
// "a weekly injection", "a daily aspirin", "a daily tablet" keep theirs.)
bool DescribesNoun(std::string_view normalized, const Token& t,
                   const std::vector<const Token*>& names, const WordLists& words) {
  const std::string_view word = normalized.substr(t.span.begin, t.span.size());
  if (word.empty() || !IsAsciiLetter(static_cast<unsigned char>(word.front())) ||
      word.find(' ') != std::string_view::npos) {
    return false;
  }
  std::string_view before = normalized.substr(0, t.span.begin);
  if (!before.ends_with(' ')) return false;
  before.remove_suffix(1);
  const bool article = std::any_of(
      words.describing_article.begin(), words.describing_article.end(), [&](const std::string& a) {
        if (a.empty() || !before.ends_with(a)) return false;
        const size_t at = before.size() - a.size();
        return at == 0 || !IsAsciiLetterOrDigit(static_cast<unsigned char>(before[at - 1]));
      });
  if (!article || t.span.end + 1 >= normalized.size() || normalized[t.span.end] != ' ') {
    return false;
  }
  size_t end = t.span.end + 1;
  while (end < normalized.size() && IsAsciiLetter(static_cast<unsigned char>(normalized[end]))) {
    ++end;
  }
  const std::string_view noun = normalized.substr(t.span.end + 1, end - t.span.end - 1);
  if (noun.empty() || text::LookupUnit(noun).has_value()) return false;
  if (std::find(words.schedule_nouns.begin(), words.schedule_nouns.end(), noun) !=
      words.schedule_nouns.end()) {
    return false;
  }
  return std::none_of(names.begin(), names.end(),
                      [&](const Token* n) { return n->span.begin == t.span.end + 1; });
}

// Whether a frequency is the schedule of a check-up or test named right after it ("每半年复检一次",
// "every 6 months for a blood test"): no medicine takes it.
bool SchedulesCheckup(std::string_view normalized, const Token& t, const WordLists& words) {
  std::string_view after = normalized.substr(t.span.end);
  while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  return std::any_of(words.checkup_after.begin(), words.checkup_after.end(),
                     [&](const std::string& w) { return !w.empty() && after.starts_with(w); });
}

// Whether an amount or a rate is a monitoring threshold: a measured quantity ("urine output",
// "breathing rate", "尿量", "呼吸", "النبض") comes before it in its clause with no number between
// ("呼吸不少于16次/分", "尿量每天多于500ml", "urine output above 30 ml per hour", "النبض اقل من 60
// في الدقيقه"): a reading to check, not a dose or a schedule of the medicine.
bool MeasuredQuantity(std::string_view normalized, const Token& t, const WordLists& words) {
  constexpr size_t kReach = 40;
  const size_t from = t.span.begin > kReach ? t.span.begin - kReach : 0;
  const std::string_view before = normalized.substr(from, t.span.begin - from);
  for (std::string_view w : words.measured_quantity) {
    const size_t at = FindLast(before, w);
    if (w.empty() || at == std::string_view::npos) continue;
    if (!IsWholeWordAt(before, at, w)) continue;
    const std::string_view between = before.substr(at + w.size());
    if (CrossesClause(between) || between.find('\n') != std::string_view::npos) continue;
    if (std::any_of(between.begin(), between.end(), [](char c) { return IsDigit(c); })) continue;
    // A comparison states the threshold, before the amount or right after the rate ("尿量每天
    // 多于500ml"); a purpose ("for blood pressure take 5 mg") has none.
    std::string_view after =
        normalized.substr(t.span.begin, std::min<size_t>(kReach, normalized.size() - t.span.begin));
    for (size_t cut = 0; cut < after.size(); ++cut) {
      if (CrossesClause(after.substr(cut, 3)) || after[cut] == '\n') {
        after = after.substr(0, cut);
        break;
      }
    }
    const std::string window = std::string(between) + std::string(after);
    if (std::any_of(words.threshold_compare.begin(), words.threshold_compare.end(),
                    [&](std::string_view c) { return ContainsWord(window, c); })) {
      return true;
    }
  }
  return false;
}

// Whether a frequency lies inside a longer duration ("a week" in "for a week", "within a week"):
// the words are the course's length, not a schedule of one dose a week.
bool InsideDuration(const Token& t, const std::vector<const Token*>& in_sentence) {
  return std::any_of(in_sentence.begin(), in_sentence.end(), [&](const Token* d) {
    return d->kind == TokenKind::kDuration && d->span.begin <= t.span.begin &&
           t.span.end <= d->span.end && d->span.size() > t.span.size();
  });
}

// Whether a product name found by its dosage-form suffix is only a purpose and a form, a class
// of product rather than a named one: "止咳糖浆" (a cough syrup), "退烧药水", "消炎药片"
// (grammar words generic_product_purposes / generic_product_forms). "小儿止咳糖浆" and
// "感冒清热颗粒" are named products. A name that ends in a drug class and a form names that class
// whatever comes before ("弱效含激素软膏", "抗真菌乳膏"; words generic_product_classes).
bool GenericProduct(std::string_view normalized, const Token& t, const WordLists& words) {
  const std::string_view name = normalized.substr(t.span.begin, t.span.size());
  for (const std::string& form : words.generic_product_forms) {
    if (!name.ends_with(form)) continue;
    const std::string_view before_form = name.substr(0, name.size() - form.size());
    for (const std::string& group : words.generic_product_classes) {
      if (before_form.ends_with(group)) return true;
    }
  }
  for (const std::string& purpose : words.generic_product_purposes) {
    if (!name.starts_with(purpose)) continue;
    const std::string_view form = name.substr(purpose.size());
    if (std::find(words.generic_product_forms.begin(), words.generic_product_forms.end(), form) !=
        words.generic_product_forms.end()) {
      return true;
    }
  }
  return false;
}

// The start of the line `at` is on.
uint32_t LineStart(std::string_view normalized, uint32_t at) {
  return static_cast<uint32_t>(LineBegin(normalized, at));
}

// The first byte of `line` past list, quote and emphasis markup and a leading number ("- ",
// "**", "> ", "2. ", "【").
size_t PastMarkup(std::string_view line) {
  size_t i = 0;
  for (bool more = true; more && i < line.size();) {
    more = false;
    if (std::string_view(" \t*#->_.)(").find(line[i]) != std::string_view::npos ||
        IsDigit(line[i])) {
      ++i;
      more = true;
    } else if (line.substr(i).starts_with("\xE3\x80\x90")) {  // 【
      i += 3;
      more = true;
    }
  }
  return i;
}

// Whether `at` opens its line or its sentence, past markup: where a part's label stands
// ("给医生：…", "**For the patient:** …").
bool OpensLineOrSentence(std::string_view normalized, const text::Span& sentence, uint32_t at) {
  const uint32_t from = std::max(LineStart(normalized, at), sentence.begin);
  return from + PastMarkup(normalized.substr(from, at - from)) >= at;
}

// Whether a line opens with a speaker's name and a colon, as the lines of a dialogue script do
// ("Pharmacist: …", "**小美：** …", "الصيدلي: …"): a short name with no digit and no punctuation.
bool SpeakerLine(std::string_view line) {
  constexpr size_t kLongestName = 32;  // bytes: "Pharmacy assistant", "社区医生小王"
  line.remove_prefix(PastMarkup(line));
  const size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > kLongestName) return false;
  const std::string_view name = line.substr(0, colon);
  if (std::count(name.begin(), name.end(), ' ') > 2) return false;
  for (std::string_view no : {",", ".", "\xEF\xBC\x8C", "\xE3\x80\x82", "(", "\xD8\x8C"}) {
    if (name.find(no) != std::string_view::npos) return false;
  }
  return std::none_of(name.begin(), name.end(), [](char c) { return IsDigit(c); });
}

// Whether a blank line (or the text's start) comes right before the line `at` is on.
bool AfterBlankLine(std::string_view normalized, uint32_t at) {
  const uint32_t start = LineStart(normalized, at);
  if (start == 0) return true;
  const uint32_t previous = LineStart(normalized, start - 1);
  return Trim(normalized.substr(previous, start - 1 - previous)).empty();
}

// Whether `words` open with a word that points back at what was just said: "that's", "this is",
// "these are", 这是, 以上, وهذا, هذه, ده. A clause that opens so and says where a regimen comes
// from ("that's the list your GP gave you", "这是抗凝门诊给您定的方案", "وهذا ما كتبه طبيبك")
// recaps the regimen before it.
bool OpensWithRecap(std::string_view words) {
  static constexpr std::string_view kRecaps[] = {
      "that's",
      "thats",
      "that is",
      "this is",
      "these are",
      "those are",
      "that was",
      "all of this",
      "all of that",
      "all of the above",
      "the above",
      "everything above",
      "\xE8\xBF\x99\xE6\x98\xAF",                          // 这是
      "\xE8\xBF\x99\xE4\xBA\x9B",                          // 这些
      "\xE8\xBF\x99\xE5\xB0\xB1\xE6\x98\xAF",              // 这就是
      "\xE4\xBB\xA5\xE4\xB8\x8A",                          // 以上
      "\xE4\xB8\x8A\xE9\x9D\xA2\xE8\xBF\x99\xE4\xBA\x9B",  // 上面这些
      "\xE5\x91\xA2\xE5\x95\xB2",                          // 呢啲
      "\xD9\x88\xD9\x87\xD8\xB0\xD8\xA7",                  // وهذا
      "\xD9\x87\xD8\xB0\xD8\xA7",                          // هذا
      "\xD9\x88\xD9\x87\xD8\xB0\xD9\x87",                  // وهذه
      "\xD9\x87\xD8\xB0\xD9\x87",                          // هذه
      "\xD9\x88\xD8\xAF\xD9\x87",                          // وده
      "\xD8\xAF\xD9\x87",                                  // ده
      "\xD9\x88\xD8\xAF\xD9\x8A",                          // ودي
      "\xD8\xAF\xD9\x8A"};                                 // دي
  words = Trim(words);
  if (words.empty()) return false;
  return std::any_of(std::begin(kRecaps), std::end(kRecaps), [&](std::string_view r) {
    // The first byte first: this runs for every sentence without a drug, and most open with
    // none of these words (a memcmp call per word was 1% of a check).
    if (words.front() != r.front() || !words.starts_with(r)) return false;
    // A Latin or Arabic opener is a whole word ("this is", not "thisisn't"; "ده", not "دهنيه").
    const bool cjk = static_cast<unsigned char>(r.front()) >= 0xE0;
    return cjk || words.size() == r.size() || words[r.size()] == ' ' || words[r.size()] == ',';
  });
}

}  // namespace

SentenceReader::SentenceReader(const TextContext& text, uint32_t s, Carry* carry,
                               std::vector<MedicationStatement>* out)
    : text_(text),
      normalized_(text.normalized),
      grammar_(text.grammar),
      s_(s),
      sentence_(text.sentences[s]),
      carry_(*carry),
      out_(*out) {}

void SentenceReader::CollectTokens() {
  const std::vector<Token>& tokens = text_.tokens;
  size_t& next = carry_.next_token;
  while (next < tokens.size() && tokens[next].span.begin < sentence_.begin) ++next;
  for (size_t t = next; t < tokens.size() && tokens[t].span.begin < sentence_.end; ++t) {
    if (tokens[t].span.end <= sentence_.end) in_sentence_.push_back(&tokens[t]);
  }
}

void SentenceReader::ClassifyTokens() {
  for (const Token* t : in_sentence_) {
    if (t->kind == TokenKind::kCue && grammar_.entries()[t->ref].relay) {
      relay_end_ = t->span.end;
      break;
    }
  }
  for (const Token* t : in_sentence_) {
    if (t->kind == TokenKind::kDrug && !ClassStem(normalized_, *t)) drugs_.push_back(t);
    if (t->kind == TokenKind::kProduct) products_.push_back(t);
    if (t->kind == TokenKind::kCue && !MisplacedLabel(normalized_, *t, grammar_)) {
      const GrammarEntry& entry = grammar_.entries()[t->ref];
      if (entry.frame != Frame::kNone) {  // no mood
        frames_.push_back(t);
        continue;
      }
      // A relay cue sets no mood; it keeps the quotation after it (Relayed).
      if (entry.relay) continue;
      if (entry.address || entry.overview_marker || entry.clinician_marker) {  // no mood
        if (text_.document.overview && entry.overview_marker) overview_markers_.push_back(t);
        addresses_reader_ = addresses_reader_ || entry.address;
        continue;
      }
      (entry.therapy ? therapies_ : entry.anaphor ? anaphors_ : cues_).push_back(t);
    }
    // An amount that starts inside a number ("5 mg tablets" in "2.5 mg tablets") is no amount;
    // a regimen in quotation marks is quoted, not given ("以前那种“每小时吃一片”的吃法").
    // A body weight ("| 12 kg | 7.5 ml (180 mg) |", "体重20kg") is no dose: the next amount is;
    // nor is a package's content ("2 g tube", "10ml×24支/盒", "العبوه 30 غرام").
    if (t->kind == TokenKind::kDose &&
        (BodyWeight(normalized_, *t, grammar_.words()) || UnitInLongerWord(normalized_, *t) ||
         PackContent(normalized_, *t, grammar_.words()) ||
         MeasuredQuantity(normalized_, *t, grammar_.words()))) {
      continue;
    }
    if (IsAttribute(t->kind) && !(t->kind == TokenKind::kDose && StartsInNumber(normalized_, *t)) &&
        !(InQuotes(normalized_, sentence_, t->span) && !StructuralQuotes(normalized_, sentence_) &&
          !Relayed(t->span)) &&
        !(t->kind == TokenKind::kFrequency &&
          (DescribesNoun(normalized_, *t, in_sentence_, grammar_.words()) ||
           SchedulesCheckup(normalized_, *t, grammar_.words()) ||
           MeasuredQuantity(normalized_, *t, grammar_.words()) ||
           InsideDuration(*t, in_sentence_)))) {
      attributes_.push_back(t);
    }
    if (t->kind == TokenKind::kHerbAmount && !NamelessAmount(normalized_, *t)) ++herb_amounts_;
  }
  // A translation of the answer's own advice is a relay, not a document's words: the
  // informational reading of "翻译成英文" or "translated" inside a relay cue gives way to it.
  std::erase_if(cues_, [&](const Token* cue) {
    return cue->cue == Mood::kInformational &&
           std::any_of(in_sentence_.begin(), in_sentence_.end(), [&](const Token* t) {
             return t->kind == TokenKind::kCue && grammar_.entries()[t->ref].relay &&
                    t->span.begin < cue->span.end && cue->span.begin < t->span.end;
           });
  });
}

void SentenceReader::MergeProducts() {
  DropNested(&drugs_);
  // A product name counts only where no lexicon drug overlaps it ("阿莫西林胶囊" is amoxicillin).
  DropNested(&products_);
  std::erase_if(products_,
                [&](const Token* p) { return GenericProduct(normalized_, *p, grammar_.words()); });
  for (const Token* product : products_) {
    const bool known = std::any_of(drugs_.begin(), drugs_.end(), [&](const Token* d) {
      return d->span.begin < product->span.end && product->span.begin < d->span.end;
    });
    if (!known) drugs_.push_back(product);
  }
  std::sort(drugs_.begin(), drugs_.end(),
            [](const Token* a, const Token* b) { return a->span.begin < b->span.begin; });
}

void SentenceReader::FilterCues() {
  std::erase_if(cues_,
                [&](const Token* cue) { return InName(cue, drugs_) || InName(cue, products_); });
  // A heading-only cue ("plan", "medications") counts only as a line of its own; a heading line
  // governs the bare list lines under it, as a header ending with a colon does.
  const bool no_attribute =
      herb_amounts_ == 0 && std::none_of(in_sentence_.begin(), in_sentence_.end(),
                                         [](const Token* t) { return IsAttribute(t->kind); });
  heading_ = nullptr;
  if (no_attribute && drugs_.empty()) {
    heading_ = HeadingCue(normalized_, sentence_, cues_);
  } else if (no_attribute &&
             IsMarkdownHeading(normalized_.substr(sentence_.begin, sentence_.size()))) {
    // "### Your Symbicort 200/6 plan": a Markdown heading naming the drug, ended by the cue.
    heading_ = TitleCue(normalized_, sentence_, cues_);
  }
  std::erase_if(cues_, [&](const Token* cue) {
    return grammar_.entries()[cue->ref].heading && cue != heading_;
  });
  // In an overview, a cue inside an overview phrase is part of it ("用药" in "常用药物").
  std::erase_if(cues_, [&](const Token* cue) {
    return std::any_of(overview_markers_.begin(), overview_markers_.end(), [&](const Token* m) {
      return Inside(cue->span, m->span) && m->span.size() > cue->span.size();
    });
  });
  DropInsertFieldCues();
  // An order verb that counts only where it opens its clause ("Push X", "يعطى X", "立即予X").
  // Under an informational cue before it in the sentence ("according to the guidance [1], X is
  // given…") the verb describes, as before.
  std::erase_if(cues_, [&](const Token* cue) {
    if (!grammar_.entries()[cue->ref].opens) return false;
    const bool described = std::any_of(cues_.begin(), cues_.end(), [&](const Token* o) {
      return o->cue == Mood::kInformational && o->span.end <= cue->span.begin;
    });
    // The order names its drug after the verb ("يعطى X…", "push X…"); with no drug after it, the
    // verb describes one named before ("X…, ويعطى قبل السفر بأسبوعين").
    const bool object = std::any_of(drugs_.begin(), drugs_.end(),
                                    [&](const Token* d) { return d->span.begin >= cue->span.end; });
    return described || !object || !OpensClause(normalized_, sentence_, *cue);
  });
  DropNestedCues(&cues_);
  // An "unmarked" cue only masks the cues it overlaps ("take" in "take a while", "use" in
  // "ready-to-use"); it sets no mood of its own.
  std::erase_if(cues_, [](const Token* cue) { return cue->cue == Mood::kUnmarked; });
}

// "可以这样用药：\n【药品名称】板蓝根颗粒\n【用法用量】…": under the answer's own directive or
// prescription header, in a text that is no drug label, the field brackets of an insert-style block
// ("【", "【药品名称】", informational cues elsewhere) name its fields: they do not quote a label,
// and the lines take the header's mood. ("说明书上写着：" is no such header.)
void SentenceReader::DropInsertFieldCues() {
  const bool under_own_header =
      s_ > carry_.header_sentence && s_ - carry_.header_sentence <= kHeaderReach &&
      (carry_.header_mood == Mood::kDirective || carry_.header_mood == Mood::kRxForm);
  if (!under_own_header || text_.document.label_text) return;
  std::erase_if(cues_, [&](const Token* cue) {
    return cue->cue == Mood::kInformational &&
           normalized_.substr(cue->span.begin).starts_with("\xE3\x80\x90");  // 【
  });
}

void SentenceReader::NotePosition() {
  for (const Token* cue : cues_) {
    if (cue->cue == Mood::kRxForm) carry_.last_rx_form_sentence = s_;
  }
  // In an overview, a bare statement in a sentence that says it describes treatment (or in the
  // list under such a line) is information; see AsRead.
  under_overview_ =
      !overview_markers_.empty() || (s_ > carry_.overview_header_sentence &&
                                     s_ - carry_.overview_header_sentence <= kHeaderReach);
  question_ = EndsWithQuestion(normalized_.substr(sentence_.begin, sentence_.size()));
  under_rx_form_ = s_ - carry_.last_rx_form_sentence <= kRxFormReach;
  under_header_ = s_ > carry_.header_sentence && s_ - carry_.header_sentence <= kHeaderReach;
  // A document quoted or translated after its source's colon runs on past this sentence ("这是你
  // 出院小结里用药部分的中文翻译：“…; Aspirin 100 mg once daily; …” 即：…", "Translation of your
  // prescription: '…' = '…'. '…' = '…'."): the bare lines after it are the document's, as the
  // lines under a "Leaflet text:" header are.
  if (const Token* source = OpensSource(normalized_, cues_, grammar_.words().source_nouns, drugs_);
      source != nullptr) {
    carry_.header_sentence = s_;
    carry_.header_mood = source->cue;
  }
  NoteFrame();
}

// "给医生：…可考虑达格列净10mg qd。\n给患者：建议您…问一下医生", "Imagine Ms. Li, 45… Her
// neurologist starts her on propranolol 40 mg twice a day… If your headaches are frequent, talk to
// your doctor", "a short script for your class:\nPharmacist: Try cetirizine 10 mg once a day.": the
// part of a text written for someone else (the clinician part of a triage summary, a fictional or
// teaching case, the lines of a dialogue script) is not addressed to the reader. Updates the
// frame the text is in (Carry::frame) with this sentence's frame cues and notes whether this
// sentence is in such a part.
void SentenceReader::NoteFrame() {
  Frame& frame = carry_.frame;
  const uint32_t line_start = LineStart(normalized_, sentence_.begin);
  const bool opens_line =
      line_start + PastMarkup(normalized_.substr(line_start, sentence_.begin - line_start)) >=
      sentence_.begin;
  const std::string_view line = normalized_.substr(sentence_.begin, sentence_.size());
  // A story lasts until the text speaks to the reader again or its paragraph ends.
  if (frame == Frame::kStory && (addresses_reader_ || IsMarkdownHeading(line) ||
                                 (opens_line && AfterBlankLine(normalized_, sentence_.begin)))) {
    frame = Frame::kNone;
  }
  // A script lasts while its lines open with a speaker.
  if (frame == Frame::kScript && opens_line && !SpeakerLine(line)) frame = Frame::kNone;
  if (frame == Frame::kOther && IsMarkdownHeading(line)) frame = Frame::kNone;
  for (const Token* t : frames_) {
    const Frame kind = grammar_.entries()[t->ref].frame;
    const bool label = kind == Frame::kOther || kind == Frame::kReader;
    if (label && !OpensLineOrSentence(normalized_, sentence_, t->span.begin)) continue;
    frame = kind == Frame::kReader ? Frame::kNone : kind;
  }
  in_frame_ = frame != Frame::kNone;
  if (relay_end_ != 0 && EndsWithColon(line)) carry_.relay_sentence = s_;
}

// "您记录的是：华法林周一、三、五每天3mg，其余日子每天2.25mg。这是抗凝门诊给您定的方案。",
// "Benadryl 25-50 mg every 4-6 hours. That's just what the box says.": a sentence that names no
// drug, opens with a recap word and says where the regimen before it comes from (its first cue a
// history cue or a printed source) recaps the bare regimen of the sentence before it ("以上", "the
// above": of the sentences before it, up to a header's reach and back to a blank line).
void SentenceReader::RecapEarlier() {
  if (!drugs_.empty() || s_ == 0) return;
  const uint32_t begin =
      sentence_.begin +
      static_cast<uint32_t>(PastMarkup(normalized_.substr(sentence_.begin, sentence_.size())));
  const std::string_view line = normalized_.substr(begin, sentence_.end - begin);
  if (!OpensWithRecap(line)) return;
  const Token* recap = RecapAfter(normalized_, cues_, begin, grammar_.words().source_nouns);
  if (recap == nullptr) {
    // The recap word may stand right before the cue, with no clause before it
    // ("这是…给您定的方案").
    const auto first = std::find_if(cues_.begin(), cues_.end(),
                                    [&](const Token* c) { return c->span.begin >= begin; });
    if (first == cues_.end() ||
        ((*first)->cue != Mood::kHistory &&
         !NamesSource(normalized_, **first, grammar_.words().source_nouns))) {
      return;
    }
    recap = *first;
  }
  const bool above = line.starts_with("\xE4\xBB\xA5\xE4\xB8\x8A") ||  // 以上
                     line.starts_with("the above") || line.starts_with("all of the above") ||
                     line.starts_with("everything above");
  const uint32_t reach = above ? kHeaderReach : 1;
  for (auto it = out_.rbegin(); it != out_.rend(); ++it) {
    if (it->sentence + reach < s_) break;
    if (it->mood != Mood::kUnmarked) continue;
    // (Not across a blank line: a new paragraph is a new part of the answer.)
    const std::string_view between =
        normalized_.substr(it->span.end, sentence_.begin - std::min(sentence_.begin, it->span.end));
    if (between.find("\n\n") != std::string_view::npos) continue;
    it->mood = recap->cue;
  }
}

// "Here is my advice from above, translated into Spanish for your father: \"Siga tomando…\"",
// "把我上面的建议翻译成英文给你的同事：\"Keep taking…\"", "إليك ترجمة نصيحتي لوالدك: \"…\"": a
// quotation after a relay cue (in its sentence, or ending the sentence before with a colon) is
// the answer's own advice, reworded for the reader or someone they care for. Its regimen is given,
// not quoted. A leaflet, a doctor's note or the user's own words keep their quotation marks.
bool SentenceReader::Relayed(const text::Span& at) const {
  if (relay_end_ != 0 && relay_end_ <= at.begin) return true;
  return carry_.relay_sentence + 1 == static_cast<int64_t>(s_);
}

// The cues that may set the mood of a mention at `at`: a negation, referral or replacement cue
// stays on its own object. Left out are
// - a prohibition or referral after the mention's own regimen ("فلاجيل ٥٠٠ ملغ مرتين يوميا ٧ أيام
//   وممنوع الكحول", "X 150 mg once, and if no better in 3 days see a doctor"): it is about the
//   next thing, not the drug whose schedule was just given;
// - a prohibition in an earlier clause whose own drug comes between, when the mention's clause
//   gives a regimen of its own ("停用依那普利，氯沙坦50mg每天一次", "stop X; Y 50 mg once daily").
SentenceReader::Tokens SentenceReader::OwnClauseCues(const text::Span& at) const {
  // The mention's clause gives a regimen of its own: a dose, frequency or duration after it there.
  const bool own_schedule =
      std::any_of(attributes_.begin(), attributes_.end(), [&](const Token* a) {
        return a->kind != TokenKind::kRoute && a->span.begin >= at.end &&
               InSameClause(at.end, a->span.begin) && Takes(a);
      });
  // Cues up to the end of a ruled-out drug in an earlier clause speak about that drug (the
  // prohibition, and the verb it governs: "不要吃布洛芬，…").
  uint32_t ruled_out_end = 0;
  for (const Token* cue : cues_) {
    if (!own_schedule || cue->cue != Mood::kNegated || cue->span.end > at.begin ||
        InSameClause(cue->span.end, at.begin)) {
      continue;
    }
    for (const Token* d : drugs_) {
      if (d->span.begin >= cue->span.end && d->span.end <= at.begin &&
          InSameClause(cue->span.end, d->span.begin)) {
        ruled_out_end = std::max(ruled_out_end, d->span.end);
        break;
      }
    }
  }
  Tokens kept;
  // A verb a dropped prohibition governs goes with it: "华法林2.5mg，今天不要补吃两片" forbids the
  // double dose; its verb directs nothing.
  const Token* dropped = nullptr;
  for (const Token* cue : cues_) {
    if (cue->span.end <= ruled_out_end) continue;
    if (AfterOwnRegimen(at, cue)) {
      if (cue->cue == Mood::kNegated) dropped = cue;
      continue;
    }
    if (dropped != nullptr && cue->cue == Mood::kDirective &&
        cue->span.begin >= dropped->span.end &&
        cue->span.begin - dropped->span.end <= kModifierGap &&
        InSameClause(dropped->span.end, cue->span.begin)) {
      dropped = cue;  // a chain of verbs stays governed
      continue;
    }
    dropped = nullptr;
    kept.push_back(cue);
  }
  return kept;
}

// Whether a prohibition or referral after the mention at `at` opens a clause of its own after the
// mention's regimen ("X 500 mg twice a day for 7 days and no alcohol", "…，期间禁止饮酒", "…, and
// if no better see a doctor"): a regimen lies between, then a clause boundary or a conjunction,
// and a prohibition names an object of its own. "布洛芬400mg每天3次不要吃", "…，这种吃法不建议",
// "… three times a day is not recommended" still negate the regimen.
bool SentenceReader::AfterOwnRegimen(const text::Span& at, const Token* cue) const {
  const bool limiting = cue->cue == Mood::kNegated || cue->cue == Mood::kReferral;
  if (!limiting || cue->span.begin < at.end) return false;
  uint32_t regimen_end = 0;
  for (const Token* a : attributes_) {
    if (a->kind != TokenKind::kRoute && a->span.begin >= at.end && a->span.end <= cue->span.begin &&
        Takes(a)) {
      regimen_end = std::max(regimen_end, a->span.end);
    }
  }
  if (regimen_end == 0) return false;
  const std::string_view joint =
      Trim(normalized_.substr(regimen_end, cue->span.begin - regimen_end));
  static constexpr std::string_view kJoiners[] = {" and",
                                                  "and",
                                                  "\xD9\x88",                  // و
                                                  "\xE6\x9C\x9F\xE9\x97\xB4",  // 期间
                                                  "\xE5\x90\x8C\xE6\x97\xB6",  // 同时
                                                  "\xE5\xB9\xB6"};             // 并
  // (The regimen's last token may hold the boundary: "150 mg once, and if …".)
  const bool opens_clause =
      CrossesClause(normalized_.substr(regimen_end - 1, cue->span.begin - regimen_end + 1)) ||
      std::any_of(std::begin(kJoiners), std::end(kJoiners), [&](std::string_view j) {
        return joint.ends_with(j) || Trim(joint).starts_with(Trim(j));
      });
  if (!opens_clause) return false;
  if (cue->cue == Mood::kReferral) return true;
  return NamesOwnObject(cue);
}

// Whether the words after a prohibition, in its clause, name something of their own ("no
// alcohol", "禁止饮酒", "ممنوع الكحول"), not just a verb or a pronoun for the drug ("不要吃",
// "don't take it", "لا تاخذه").
bool SentenceReader::NamesOwnObject(const Token* cue) const {
  uint32_t end = sentence_.end;
  const std::string_view rest = normalized_.substr(cue->span.end, end - cue->span.end);
  for (std::string_view boundary :
       {",", ";", ":", " - ", "\xEF\xBC\x8C", "\xEF\xBC\x9B", "\xE3\x80\x82", ".", "!", "?"}) {
    const size_t cut = rest.find(boundary);
    if (cut != std::string_view::npos)
      end = std::min(end, cue->span.end + static_cast<uint32_t>(cut));
  }
  std::string words(normalized_.substr(cue->span.end, end - cue->span.end));
  // Directive verbs in the clause are no object.
  for (auto it = cues_.rbegin(); it != cues_.rend(); ++it) {
    const Token* c = *it;
    if (c->span.begin >= cue->span.end && c->span.end <= end) {
      words.erase(c->span.begin - cue->span.end, c->span.size());
    }
  }
  static constexpr std::string_view kPronouns[] = {
      "it",           "them", "this", "that", "these", "those", "either", "\xE5\xAE\x83",  // 它
      "\xE8\xBF\x99",                                                                      // 这
      "\xE9\x82\xA3",                                                                      // 那
      "\xD9\x87",                                                                          // ه
      "\xD8\xA7"};                                                                         // ا
  std::string_view left = Trim(words);
  for (bool stripped = true; stripped && !left.empty();) {
    stripped = false;
    left = Trim(left);
    for (std::string_view p : kPronouns) {
      if (left.starts_with(p)) {
        left.remove_prefix(p.size());
        stripped = true;
      }
    }
  }
  return Trim(left).size() >= 3;
}

Mood SentenceReader::ResolveMood(const text::Span& at) const {
  const DocumentKind& document = text_.document;
  Mood mood = MoodAt(normalized_, at, OwnClauseCues(at), &drugs_);
  // A bare regimen recapped by a later clause ("- that's the list your GP gave you", "，وهذا ما
  // كتبه طبيبك") is the reader's history or the source's words.
  if (mood == Mood::kUnmarked) {
    if (const Token* recap = RecapAfter(normalized_, cues_, at.end, grammar_.words().source_nouns);
        recap != nullptr) {
      mood = recap->cue;
    }
  }
  // What follows a leaflet's colon is its words, not the answer's instruction.
  if (mood == Mood::kDirective || mood == Mood::kUnmarked) {
    const Token* scope = ColonScope(normalized_, cues_, at, grammar_.words().source_nouns, drugs_);
    if (scope != nullptr) mood = scope->cue;
  }
  // "Stop the omeprazole 20 mg and switch to 40 mg once daily": a stop followed by a switch of the
  // same drug to a new amount changes its dose; it does not rule the drug out.
  if (mood == Mood::kNegated &&
      SwitchesAmountAfter(normalized_, at, cues_, drugs_, attributes_, grammar_.words())) {
    mood = Mood::kDirective;
  }
  if ((mood == Mood::kDirective || mood == Mood::kUnmarked) && StatesEffect(at)) {
    mood = Mood::kConditional;
  }
  // A field of a structured block takes the mood its keys name ("current_medications", "plan"),
  // an item of a block the mood its lead-in gives ("exactly as Dr X decided it:").
  mood = StructuredMood(normalized_, at.begin, mood, OnlyRouteVerbs());
  // A bare regimen in a relayed quotation is the answer's own advice.
  if (mood == Mood::kUnmarked && InQuotes(normalized_, sentence_, at) && Relayed(at)) {
    mood = Mood::kDirective;
  }
  // The latest header governs: a medication-list heading after a prescription line ends it.
  const bool record_header =
      under_header_ && carry_.header_sentence > carry_.last_rx_form_sentence &&
      (carry_.header_mood == Mood::kHistory || carry_.header_mood == Mood::kInformational);
  // "您目前的用药记录：\n· 甘精胰岛素 18U 睡前皮下注射", "Leaflet text:\n- 20 mg orally once
  // daily": under a record or leaflet header, a line whose only verb says how the drug is given
  // (a route: 口服, 皮下注射, "orally") describes the recorded regimen; it directs nothing.
  if (mood == Mood::kDirective && record_header && OnlyRouteVerbs()) mood = carry_.header_mood;
  if (mood == Mood::kUnmarked && under_header_ &&
      carry_.header_sentence > carry_.last_rx_form_sentence) {
    mood = carry_.header_mood;
  }
  if (mood == Mood::kUnmarked && under_rx_form_) mood = Mood::kRxForm;
  if (mood == Mood::kUnmarked && under_header_) mood = carry_.header_mood;
  // A Markdown blockquote line quotes the user's earlier turn or a leaflet ("> 头孢地尼0.1g，一天
  // 三次", "> Adults: 500 mg every 8 hours"): its bare regimen, under no header of the answer's
  // own, is what was said or written before. (A directive or a prescription form there keeps its
  // reading: answers set their own plan off as a callout too, "> **Rx:** …", "> **Take X …**".)
  if (mood == Mood::kUnmarked && InBlockquote(normalized_, at.begin)) mood = Mood::kHistory;
  // "Here's what the leaflet in the box says:\n> Apply half a capful twice daily.", "说明书原文
  // 摘一下：\n> 【用法用量】…口服一粒": under a line that says it quotes a leaflet or label, the
  // blockquote's directions are the source's words, not the answer's.
  if ((mood == Mood::kDirective || mood == Mood::kRxForm) && under_header_ &&
      carry_.header_mood == Mood::kInformational && InBlockquote(normalized_, at.begin) &&
      InBlockquote(normalized_, sentence_.begin)) {
    mood = Mood::kInformational;
  }
  if (mood == Mood::kUnmarked && document.clinical_note) mood = Mood::kHistory;
  if (mood == Mood::kUnmarked && document.label_text) mood = Mood::kInformational;
  if (mood == Mood::kUnmarked && document.personal_account) mood = Mood::kHistory;
  if ((mood == Mood::kUnmarked || mood == Mood::kDirective) && document.clinician_text) {
    mood = Mood::kInformational;
  }
  // In a part for someone else, a story or a script, directions and regimens are not the reader's.
  if (in_frame_ && (mood == Mood::kUnmarked || mood == Mood::kDirective || mood == Mood::kRxForm)) {
    mood = Mood::kInformational;
  }
  if (question_ && mood != Mood::kRxForm) mood = Mood::kQuestion;
  return mood;
}

// In a topic overview every bare statement is information, and so is every directive of a
// sentence without an overview phrase ("Most centers start with X"); in a sentence with one, a
// directive is information when its verb is in the describing clause ("也可选用X"), not when it
// is in a clause of its own ("常用药物包括X、Y，可以两种一起吃"). A herbal recipe keeps its
// reading: a recipe with amounts is one whoever it is for.
Mood SentenceReader::AsRead(Mood mood, const text::Span& at, bool recipe) const {
  // A directive read from a later clause (a pronoun's, a dose change's) is still in the words of
  // a source quoted after its colon ("تقول نشرة الملارون: إذا نسيت جرعة خذها …").
  if (mood == Mood::kDirective) {
    const Token* scope = ColonScope(normalized_, cues_, at, grammar_.words().source_nouns, drugs_);
    if (scope != nullptr) mood = scope->cue;
  }
  if (in_frame_ && (mood == Mood::kUnmarked || mood == Mood::kDirective || mood == Mood::kRxForm)) {
    return Mood::kInformational;  // a part for someone else, a story or a script (NoteFrame)
  }
  if (text_.document.topic_overview && !recipe &&
      (mood == Mood::kUnmarked || (mood == Mood::kDirective && overview_markers_.empty()))) {
    return Mood::kInformational;
  }
  if (mood == Mood::kUnmarked && under_overview_) return Mood::kInformational;
  if (mood != Mood::kDirective || overview_markers_.empty()) return mood;
  return DescribingVerb(at) ? Mood::kInformational : mood;
}

// Whether every directive cue of the sentence lies inside a route ("皮下注射", "口服", "by
// mouth"), and there is one: the line says how the drug is given, not that it should be.
bool SentenceReader::OnlyRouteVerbs() const {
  bool any = false;
  for (const Token* cue : cues_) {
    if (cue->cue != Mood::kDirective) continue;
    any = true;
    const bool in_route = std::any_of(attributes_.begin(), attributes_.end(), [&](const Token* a) {
      return a->kind == TokenKind::kRoute && Inside(cue->span, a->span);
    });
    if (!in_route) return false;
  }
  return any;
}

// Whether the verb that governs `at` describes: a route verb ("口服", "肌注", "外用") says how
// the drug is given, and a verb in an overview phrase's clause is part of the description.
bool SentenceReader::DescribingVerb(const text::Span& at) const {
  const Token* verb = GoverningCue(at, cues_);
  if (verb == nullptr) return false;
  if (std::any_of(attributes_.begin(), attributes_.end(), [&](const Token* a) {
        return a->kind == TokenKind::kRoute && a->span.begin == verb->span.begin &&
               a->span.end == verb->span.end;
      })) {
    return true;
  }
  return std::any_of(overview_markers_.begin(), overview_markers_.end(), [&](const Token* marker) {
    const bool overlap = marker->span.begin < verb->span.end && verb->span.begin < marker->span.end;
    const uint32_t from = std::min(marker->span.end, verb->span.end);
    const uint32_t to = std::max(marker->span.begin, verb->span.begin);
    return overlap || (from <= to && !CrossesClause(normalized_.substr(from, to - from)));
  });
}

bool SentenceReader::InSameClause(uint32_t from, uint32_t to) const {
  return from <= to && !CrossesClause(normalized_.substr(from, to - from));
}

// "Taking 1000 mg every 2 hours can cause liver failure": an effect stated in the drug's own
// clause makes the mention a conditional, not an instruction.
bool SentenceReader::StatesEffect(const text::Span& at) const {
  return std::any_of(cues_.begin(), cues_.end(), [&](const Token* cue) {
    return grammar_.entries()[cue->ref].consequence && cue->span.begin >= at.end &&
           InSameClause(at.end, cue->span.begin);
  });
}

// "外用硼酸软膏，每天局部冷敷": an attribute in the clause of a non-drug treatment, with no drug
// between them, belongs to that treatment, not to the drug.
bool SentenceReader::OwnedByTherapy(const Token* attribute) const {
  // "Continue home exercise program and twice daily gabapentin": an attribute right before a
  // drug name is the drug's.
  const bool names_drug = std::any_of(drugs_.begin(), drugs_.end(), [&](const Token* d) {
    return d->span.begin >= attribute->span.end && d->span.begin <= attribute->span.end + 1;
  });
  return !names_drug && std::any_of(therapies_.begin(), therapies_.end(), [&](const Token* th) {
    const bool before = th->span.end <= attribute->span.begin;
    const uint32_t from = before ? th->span.end : attribute->span.end;
    const uint32_t to = before ? attribute->span.begin : th->span.begin;
    // A treatment named after the attribute owns it only when no drug shares its clause.
    const bool drug_in_clause =
        !before && std::any_of(drugs_.begin(), drugs_.end(), [&](const Token* d) {
          return d->span.end <= attribute->span.begin &&
                 InSameClause(d->span.end, attribute->span.begin);
        });
    return InSameClause(from, to) && !drug_in_clause &&
           std::none_of(drugs_.begin(), drugs_.end(),
                        [&](const Token* d) { return d->span.begin >= from && d->span.end <= to; });
  });
}

// "Give him 250 mg twice daily and continue his Orap": a conjunction and a verb between an
// attribute and the drug after it start a new verb phrase with its own object.
bool SentenceReader::JoinsNewVerb(uint32_t from, uint32_t to) const {
  static constexpr std::string_view kConjunctions[] = {" and ",
                                                       " then ",
                                                       " \xD9\x88",  // و
                                                       "\xE5\xB9\xB6",
                                                       "\xE7\x84\xB6\xE5\x90\x8E",
                                                       "\xE5\x90\x8C\xE6\x97\xB6"};  // 并 然后 同时
  return std::any_of(cues_.begin(), cues_.end(), [&](const Token* cue) {
    if (cue->span.begin < from || cue->span.end > to) return false;
    const std::string_view before = normalized_.substr(from, cue->span.begin - from);
    return std::any_of(std::begin(kConjunctions), std::end(kConjunctions), [&](std::string_view c) {
      return before.find(c) != std::string_view::npos;
    });
  });
}

// Attributes inside a negated clause ("…, do not exceed 1200 mg a day", "切勿每天服用") are
// limits or warnings, not part of the regimen.
bool SentenceReader::InNegatedClause(const Token* attribute) const {
  return std::any_of(cues_.begin(), cues_.end(), [&](const Token* cue) {
    return cue->cue == Mood::kNegated && cue->span.end <= attribute->span.begin &&
           InSameClause(cue->span.end, attribute->span.begin) &&
           std::none_of(drugs_.begin(), drugs_.end(), [&](const Token* d) {
             return d->span.begin >= cue->span.end && d->span.end <= attribute->span.begin;
           });
  });
}

// Whether an attribute is part of a drug's regimen at all (not a limit, not a therapy's).
bool SentenceReader::Takes(const Token* attribute) const {
  return !InNegatedClause(attribute) && !OwnedByTherapy(attribute);
}

}  // namespace medaudit::extract::internal
