#include "extract/statement.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace medaudit::extract {
namespace {

// A directive cue in the same clause as a preceding negation/referral/history/... cue, and at
// most this many bytes after it, takes that cue's mood: "do not take", "不要空腹服用",
// "ask your doctor before taking", "您提到目前每天早上服用".
constexpr uint32_t kModifierGap = 48;
// How many sentences back a prescription header ("Rp.", "处方：") governs bare regimen lines.
constexpr uint32_t kRxFormReach = 3;
constexpr int kMinHerbAmounts = 3;
// How many sentences after one or two herb amounts a decoction instruction may come ("炒谷芽15克，
// 金桔2-3枚。…功效…。将…放入砂锅内…煎煮10分钟…当茶饮").
constexpr uint32_t kDecoctionReach = 3;
// How many sentences a header line ("You can use one of these:", "Medications:") governs: the
// bare list items under it take the header's mood.
constexpr uint32_t kHeaderReach = 8;
// How many sentences back "the medication" in a directive can refer to the drug named last (a
// Markdown answer lists the options, then gives the "How to use" steps in many short lines).
constexpr uint32_t kAnaphorReach = 16;

constexpr int kNoteMarkersForNote = 2;
constexpr int kLabelMarkersForLabel = 2;
constexpr int kOverviewMarkersForOverview = 1;
constexpr int kAuthorMarkersForAccount = 2;
constexpr int kClinicianMarkersForText = 2;
// The longest dosage-form suffix of a product name, in bytes ("口服溶液", "薄膜衣片").
constexpr uint32_t kFormSuffixBytes = 12;

// A note marker written as a label ("patient:", "meds:") marks a transcript or a note section
// only at the start of a line; "for a 70 kg male patient:" in an answer is a header of its own.
bool MisplacedLabel(std::string_view normalized, const Token& t, const Grammar& grammar) {
  if (t.kind != TokenKind::kCue || !grammar.entries()[t.ref].note_marker || t.span.size() == 0 ||
      normalized[t.span.end - 1] != ':') {
    return false;
  }
  for (uint32_t i = t.span.begin; i > 0; --i) {
    const char c = normalized[i - 1];
    if (c == '\n') return false;
    if (std::string_view(" \t*#->_.0123456789").find(c) == std::string_view::npos) return true;
  }
  return false;
}

// Distinct markers of one document type in a text (each place counts once), up to `enough`.
int CountMarkers(std::string_view normalized, const std::vector<Token>& tokens,
                 const Grammar& grammar, bool GrammarEntry::*marker, int enough) {
  std::vector<uint32_t> seen;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kCue && grammar.entries()[t.ref].*marker &&
        !MisplacedLabel(normalized, t, grammar) &&
        std::find(seen.begin(), seen.end(), t.span.begin) == seen.end()) {
      seen.push_back(t.span.begin);
      if (static_cast<int>(seen.size()) >= enough) break;
    }
  }
  return static_cast<int>(seen.size());
}

// Where the words of a sentence begin, past list and Markdown markup ("- ", "2. ", "**").
uint32_t WordsBegin(std::string_view normalized, const text::Span& sentence) {
  uint32_t begin = sentence.begin;
  while (begin < sentence.end &&
         std::string_view(" \t\n*#->_.0123456789()").find(normalized[begin]) !=
             std::string_view::npos) {
    ++begin;
  }
  return begin;
}

// Whether a text speaks to its reader: a word of address ("you", "your", "您", "你", "يمكنك",
// "I recommend"; grammar cue type `address`) or a directive cue that opens a sentence, an
// imperative ("Take …", "Apply …", "تناول …", "口服…"), unless a longer masking cue starts there
// ("Use of …"). Walks the tokens once, with the sentences in step.
bool AddressesReader(std::string_view normalized, const std::vector<text::Span>& sentences,
                     const std::vector<Token>& tokens, const Grammar& grammar) {
  size_t s = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kCue) continue;
    const GrammarEntry& entry = grammar.entries()[t.ref];
    if (entry.address) return true;
    if (t.cue != Mood::kDirective || entry.heading) continue;
    while (s < sentences.size() && sentences[s].end <= t.span.begin) ++s;
    if (s == sentences.size()) break;
    if (WordsBegin(normalized, sentences[s]) != t.span.begin) continue;
    auto masks = [&](const Token& o) {
      return o.kind == TokenKind::kCue && o.cue == Mood::kUnmarked &&
             o.span.size() > t.span.size() && !grammar.entries()[o.ref].address &&
             !grammar.entries()[o.ref].overview_marker &&
             !grammar.entries()[o.ref].clinician_marker;
    };
    bool masked = false;
    for (size_t j = i; j-- > 0 && tokens[j].span.begin == t.span.begin && !masked;) {
      masked = masks(tokens[j]);
    }
    for (size_t j = i + 1; j < tokens.size() && tokens[j].span.begin == t.span.begin && !masked;
         ++j) {
      masked = masks(tokens[j]);
    }
    if (!masked) return true;
  }
  return false;
}

bool EndsWithColon(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '*')) {
    sentence.remove_suffix(1);
  }
  return !sentence.empty() && sentence.back() == ':';
}

bool EndsWithSemicolon(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '\n')) {
    sentence.remove_suffix(1);
  }
  return !sentence.empty() && sentence.back() == ';';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The cue that makes up a whole line on its own, apart from list and Markdown markup and a final
// colon: a section heading ("CURRENT MEDICATIONS", "## Plan", "Medications:"). Nullptr otherwise.
const Token* HeadingCue(std::string_view normalized, const text::Span& sentence,
                        const std::vector<const Token*>& cues) {
  uint32_t begin = sentence.begin, end = sentence.end;
  while (begin < end && std::string_view(" \t\n*#->_.0123456789").find(normalized[begin]) !=
                            std::string_view::npos) {
    ++begin;
  }
  while (end > begin &&
         std::string_view(" \t\n*#_:.").find(normalized[end - 1]) != std::string_view::npos) {
    --end;
  }
  const Token* heading = nullptr;
  for (const Token* cue : cues) {
    if (cue->span.begin == begin && cue->span.end == end) heading = cue;
  }
  return heading;
}

// A sentence that opens with "或" / "or" / "او" is the next option of a list begun in the sentence
// before it ("主要采用…（如X，口服，每天5次；或Y，口服，每天2次）").
bool OpensWithAlternative(std::string_view sentence) {
  while (!sentence.empty() &&
         std::string_view(" \t*-(").find(sentence.front()) != std::string_view::npos) {
    sentence.remove_prefix(1);
  }
  static constexpr std::string_view kAlternatives[] = {"\xE6\x88\x96", "or ", "\xD8\xA7\xD9\x88 "};
  for (auto a : kAlternatives) {
    if (sentence.substr(0, a.size()) == a) return true;
  }
  return false;
}

struct NumberWord {
  std::string_view word;
  double value;
};
// Longer words first where one is a prefix of another ("fourteen" before "four").
constexpr std::array<NumberWord, 28> kNumberWords = {
    {{"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
     {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
     {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"sixty", 60},    {"seventy", 70},
     {"eighty", 80},  {"ninety", 90},    {"one", 1},       {"two", 2},       {"three", 3},
     {"four", 4},     {"five", 5},       {"six", 6},       {"seven", 7},     {"eight", 8},
     {"nine", 9},     {"ten", 10},       {"hundred", 100}}};

bool IsLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// The number word starting at hit[i] (a whole word), or nullptr.
const NumberWord* NumberWordAt(std::string_view hit, size_t i) {
  if (i > 0 && IsLetter(hit[i - 1])) return nullptr;
  for (const auto& w : kNumberWords) {
    if (hit.substr(i, w.word.size()) == w.word &&
        (i + w.word.size() >= hit.size() || !IsLetter(hit[i + w.word.size()]))) {
      return &w;
    }
  }
  if (hit.substr(i, 8) == "thousand" && (i + 8 >= hit.size() || !IsLetter(hit[i + 8]))) {
    static constexpr NumberWord kThousand{"thousand", 1000};
    return &kThousand;
  }
  return nullptr;
}

// Reads an English number written in words at hit[*i] ("six", "twenty-five", "four hundred",
// "two hundred and fifty", "one thousand"), advancing *i past it. False when none starts there.
bool ReadNumberWords(std::string_view hit, size_t* i, double* value) {
  const NumberWord* word = NumberWordAt(hit, *i);
  if (word == nullptr || word->value >= 100) return false;
  double total = 0, current = word->value;
  size_t end = *i + word->word.size();
  for (;;) {  // joiners: spaces, a hyphen, "and" after hundred/thousand
    size_t next = end;
    while (next < hit.size() && (hit[next] == ' ' || hit[next] == '-')) ++next;
    if (next == end) break;
    if (hit.substr(next, 3) == "and" && (total > 0 || current >= 100)) {
      size_t after = next + 3;
      while (after < hit.size() && hit[after] == ' ') ++after;
      if (after > next + 3) next = after;
    }
    const NumberWord* w = NumberWordAt(hit, next);
    if (w == nullptr) break;
    if (w->value == 100) {
      current *= 100;
    } else if (w->value == 1000) {
      total += current * 1000;
      current = 0;
    } else if (w->value < 10 && static_cast<int>(current) % 100 >= 20 &&
               static_cast<int>(current) % 10 == 0) {
      current += w->value;  // "twenty five"
    } else if (static_cast<int>(current) % 100 == 0 && (current > 0 || total > 0)) {
      current += w->value;  // "four hundred (and) fifty"
    } else {
      break;  // "one two": two numbers
    }
    end = next + w->word.size();
  }
  *value = total + current;
  *i = end;
  return true;
}

// Every number in a hit, in order ("1,000" is one number; "2 x 500" are two).
std::vector<double> Numbers(std::string_view hit) {
  std::vector<double> numbers;
  for (size_t i = 0; i < hit.size();) {
    if (!IsDigit(hit[i])) {
      double value = 0;
      if (ReadNumberWords(hit, &i, &value)) {
        numbers.push_back(value);
      } else {
        ++i;
      }
      continue;
    }
    std::string digits;
    while (i < hit.size() && (IsDigit(hit[i]) || hit[i] == '.' ||
                              (hit[i] == ',' && i + 3 < hit.size() + 1 && i + 1 < hit.size() &&
                               IsDigit(hit[i + 1])))) {
      if (hit[i] != ',') digits.push_back(hit[i]);
      ++i;
    }
    if (!digits.empty() && digits.back() == '.') digits.pop_back();
    numbers.push_back(std::strtod(digits.c_str(), nullptr));
  }
  return numbers;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '.')) s.remove_suffix(1);
  return s;
}

bool EndsWithQuestion(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '"')) {
    sentence.remove_suffix(1);
  }
  return !sentence.empty() && sentence.back() == '?';
}

bool Inside(const text::Span& inner, const text::Span& outer) {
  return inner.begin >= outer.begin && inner.end <= outer.end;
}

// Drops tokens of the same kind contained in a longer one ("do not" inside "do not take",
// "服" inside "服用", a drug name inside a longer brand name).
void DropNested(std::vector<const Token*>* tokens) {
  std::vector<const Token*> kept;
  for (const Token* t : *tokens) {
    bool nested = false;
    for (const Token* o : *tokens) {
      if (o == t || o->kind != t->kind) continue;
      if (t->kind == TokenKind::kCue && o->kind == TokenKind::kCue) {
        // any cue inside a longer cue
      }
      if (Inside(t->span, o->span) && (o->span.size() > t->span.size() || o < t)) {
        nested = true;
        break;
      }
    }
    if (!nested) kept.push_back(t);
  }
  tokens->swap(kept);
}

// Cues overlap across kinds too ("if you take" vs "take"); the longer one wins.
void DropNestedCues(std::vector<const Token*>* cues) {
  std::vector<const Token*> kept;
  for (const Token* t : *cues) {
    bool nested = false;
    for (const Token* o : *cues) {
      if (o == t) continue;
      const bool overlaps = t->span.begin < o->span.end && o->span.begin < t->span.end;
      if (overlaps &&
          (o->span.size() > t->span.size() || (o->span.size() == t->span.size() && o < t))) {
        nested = true;
        break;
      }
    }
    if (!nested) kept.push_back(t);
  }
  cues->swap(kept);
}

// Whether "the medication" in a later directive can mean a drug mentioned in this mood: a drug
// listed, described or recommended, not one ruled out, recorded as history or left to a doctor.
bool RefersBack(Mood mood) {
  return mood == Mood::kUnmarked || mood == Mood::kDirective || mood == Mood::kRxForm ||
         mood == Mood::kInformational || mood == Mood::kConditional;
}

bool Modifies(Mood mood) {
  return mood == Mood::kNegated || mood == Mood::kReferral || mood == Mood::kRefusal ||
         mood == Mood::kConditional || mood == Mood::kInformational || mood == Mood::kHistory;
}

// Whether a clause boundary (comma, semicolon, colon, a spaced dash as normalized from "—")
// lies between two cues: "which you said they are — take X" is two clauses.
bool CrossesClause(std::string_view between) {
  static constexpr std::string_view kBoundaries[] = {
      ",", ";", ":", " - ", "\xEF\xBC\x8C", "\xEF\xBC\x9B", "\xE3\x80\x82"};
  for (auto b : kBoundaries) {
    if (between.find(b) != std::string_view::npos) return true;
  }
  return false;
}

// The mood of a drug mention at `at`: the nearest cue before it (a directive cue right after a
// modifying cue takes that cue's mood), else the first cue after it, else unmarked.
// The parenthesis enclosing byte `at` ("(" to ")", innermost, within `limit`), or an empty span.
text::Span EnclosingParenthesis(std::string_view normalized, uint32_t at, const text::Span& limit) {
  // Most texts have no parenthesis before `at`: one memrchr says so without the byte loop.
  if (at <= limit.begin ||
      memrchr(normalized.data() + limit.begin, '(', at - limit.begin) == nullptr) {
    return {};
  }
  int depth = 0;
  uint32_t open = limit.begin;
  bool found = false;
  for (uint32_t i = at; i > limit.begin; --i) {
    const char c = normalized[i - 1];
    if (c == ')') ++depth;
    if (c == '(' && depth-- == 0) {
      open = i - 1;
      found = true;
      break;
    }
  }
  if (!found) return {};
  depth = 0;
  for (uint32_t i = at; i < limit.end; ++i) {
    const char c = normalized[i];
    if (c == '(') ++depth;
    if (c == ')' && depth-- == 0) return {open, i + 1};
  }
  return {};
}

Mood MoodAt(std::string_view normalized, const text::Span& at,
            const std::vector<const Token*>& all_cues) {
  // A cue inside a parenthesis speaks about the parenthesis:
  // "阿莫西林(有青霉素过敏史者禁用)加甲硝唑" does not forbid metronidazole.
  std::vector<const Token*> cues;
  for (const Token* cue : all_cues) {
    const text::Span limit{0, static_cast<uint32_t>(normalized.size())};
    const text::Span paren = EnclosingParenthesis(normalized, cue->span.begin, limit);
    if (paren.size() > 0 && !(at.begin >= paren.begin && at.end <= paren.end)) continue;
    cues.push_back(cue);
  }
  const Token* before = nullptr;
  size_t before_index = 0;
  for (size_t i = 0; i < cues.size(); ++i) {
    if (cues[i]->span.end <= at.begin) {
      before = cues[i];
      before_index = i;
    }
  }
  if (before != nullptr) {
    Mood mood = before->cue;
    // Walk back through a chain of directive verbs in one clause ("do not take or use",
    // "we decided to take her off X and start her on Y"): the modifying cue before the chain
    // gives its mood to every verb in it.
    for (size_t i = before_index; mood == Mood::kDirective && i > 0; --i) {
      const Token* here = cues[i];
      const Token* prev = cues[i - 1];
      if (prev->span.end > here->span.begin) break;
      const uint32_t gap = here->span.begin - prev->span.end;
      if (gap > kModifierGap || CrossesClause(normalized.substr(prev->span.end, gap))) break;
      // (Past the first verb, a hedge does not carry: "通常建议口服X" is still advice.)
      if (Modifies(prev->cue) && (i == before_index || prev->cue != Mood::kInformational)) {
        mood = prev->cue;
      } else if (prev->cue != Mood::kDirective) {
        break;
      }
    }
    return mood;
  }
  for (const Token* cue : cues) {
    if (cue->span.begin < at.end) continue;
    // A cue in a later table cell ("| drug | dose | avoid if …") speaks about that cell. A verb or
    // a description may follow its drug over a comma ("叶酸0.4mg，口服", "when X is prescribed,
    // doses are usually…"), but a prohibition in a later clause is a limit or a warning, not a
    // negation of the drug before it ("最多三天，不要多吃", "400 mg, do not exceed 1200 mg a day").
    const std::string_view between = normalized.substr(at.end, cue->span.begin - at.end);
    if (between.find('|') != std::string_view::npos) break;
    if (cue->cue == Mood::kNegated && CrossesClause(between)) break;
    return cue->cue;
  }
  return Mood::kUnmarked;
}

// The cue MoodAt reads a mention's mood from, before any walk back over a verb chain: the nearest
// cue before it, else the first cue after it. Nullptr when none.
const Token* GoverningCue(const text::Span& at, const std::vector<const Token*>& cues) {
  const Token* before = nullptr;
  for (const Token* cue : cues) {
    if (cue->span.end <= at.begin) before = cue;
  }
  if (before != nullptr) return before;
  for (const Token* cue : cues) {
    if (cue->span.begin >= at.end) return cue;
  }
  return nullptr;
}

void Extend(text::Span* span, const text::Span& other) {
  span->begin = std::min(span->begin, other.begin);
  span->end = std::max(span->end, other.end);
}

// Whether the text between two amounts restates the first: "(" or a restating word
// ("4片，也就是20毫克", "10 مل (يعني 240 ملغ)").
bool RestatingGap(std::string_view between, const WordLists& words) {
  between = Trim(between);
  if (between == "(") return true;
  while (!between.empty() && (between.front() == '(' || between.front() == ',')) {
    between = Trim(between.substr(1));
  }
  return std::find(words.restate.begin(), words.restate.end(), between) != words.restate.end();
}

// Whether amount `b` restates amount `a` in parentheses (or after "i.e.") right after it ("4
// tablets (10 mg)", "1000 mg (2 tablets)", "3片（7.5毫克）"), one a count and the other not, and
// the parenthesis does not say the amount is per unit ("(500 mg each)", "(每片0.5mg)").
bool RestatesInParentheses(std::string_view normalized, const text::Span& a, const text::Span& b,
                           const WordLists& words) {
  if (b.begin < a.end) return false;
  if (!RestatingGap(normalized.substr(a.end, b.begin - a.end), words)) return false;
  const auto ka = ParseAmount(normalized.substr(a.begin, a.size()), words);
  const auto kb = ParseAmount(normalized.substr(b.begin, b.size()), words);
  if (!ka || !kb) return false;
  if ((ka->kind == text::UnitKind::kCount) == (kb->kind == text::UnitKind::kCount)) return false;
  const bool parenthesis =
      normalized.substr(a.end, b.begin - a.end).find('(') != std::string_view::npos;
  const size_t close = parenthesis ? normalized.find(')', b.end) : b.end + 8;
  const std::string_view rest = normalized.substr(
      b.end, close == std::string_view::npos ? 0 : std::min<size_t>(close - b.end, 24));
  return std::none_of(words.per_unit.begin(), words.per_unit.end(),
                      [&](const std::string& w) { return rest.find(w) != std::string_view::npos; });
}

bool StartsWithAny(std::string_view text, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return text.starts_with(w); });
}

bool EndsWithAny(std::string_view text, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return text.ends_with(w); });
}

// Whether the amount at `at` is stated as a total for the day: followed by "a day", "over the
// day", "في اليوم" (past a parenthesis: "16 حبه (8 ملغ) في اليوم"), or preceded in its clause
// by 一天共 / 一天最多 / 每日总量 ("一天最多可以吃到16片").
bool StatesDayTotal(std::string_view normalized, const text::Span& at, const WordLists& words) {
  std::string_view after = normalized.substr(at.end, 48);
  while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  if (!after.empty() && after.front() == '(') {
    const size_t close = after.find(')');
    if (close != std::string_view::npos) after.remove_prefix(close + 1);
    while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  }
  if (StartsWithAny(after, words.day_total_after)) return true;
  // Before, in the same clause, at most 8 Chinese characters back: 天共, 天最多, 日总量…
  const uint32_t from = at.begin > 24 ? at.begin - 24 : 0;
  std::string_view before = normalized.substr(from, at.begin - from);
  for (std::string_view boundary : {",", ";", ":", "\xE3\x80\x82"}) {
    const size_t cut = before.rfind(boundary);
    if (cut != std::string_view::npos) before.remove_prefix(cut + boundary.size());
  }
  return std::any_of(
      words.day_total_before.begin(), words.day_total_before.end(),
      [&](const std::string& w) { return before.find(w) != std::string_view::npos; });
}

// The strength inside a count ("four 2.5 mg tablets" → 2.5 mg): the number after the count and
// the mass unit right after it. Nullopt when there is none.
std::optional<Amount> InnerStrength(std::string_view hit, const WordLists& words) {
  size_t i = 0;
  while (i < hit.size() && !IsDigit(hit[i])) ++i;  // a count in words has no digit before
  if (i < hit.size() && i == 0) {                  // a count in digits: skip it
    while (i < hit.size() && (IsDigit(hit[i]) || hit[i] == '.')) ++i;
    while (i < hit.size() && !IsDigit(hit[i])) ++i;
  }
  if (i >= hit.size()) return std::nullopt;
  size_t end = i;
  while (end < hit.size() && (IsDigit(hit[end]) || hit[end] == '.')) ++end;
  while (end < hit.size() && hit[end] == ' ') ++end;
  size_t word_end = end;
  while (word_end < hit.size() && hit[word_end] != ' ') ++word_end;
  auto info = text::LookupUnit(hit.substr(end, word_end - end));
  if (!info || info->kind != text::UnitKind::kMass) return std::nullopt;
  return ParseAmount(hit.substr(i, word_end - i), words);
}

// Whether the amount at `at` replaces one read before it: the amount of every administration
// ("首次1毫克…每次0.5毫克", "each time 500 mg", "كل مره 500 ملغ") or a new amount ("go up to 20
// mg", "加到20毫克").
bool ReplacesAmount(std::string_view normalized, const text::Span& at, const WordLists& words) {
  const uint32_t from = at.begin > 16 ? at.begin - 16 : 0;
  std::string_view before = normalized.substr(from, at.begin - from);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return EndsWithAny(before, words.per_time) || EndsWithAny(before, words.raise_to);
}

void Attach(MedicationStatement* statement, const Token& token, std::string_view normalized,
            const Grammar& grammar) {
  const std::string_view hit = normalized.substr(token.span.begin, token.span.size());
  const WordLists& words = grammar.words();
  switch (token.kind) {
    case TokenKind::kDose:
    case TokenKind::kHerbAmount: {
      auto amount = ParseAmount(hit, words);
      if (!amount) return;
      const bool count = amount->kind == text::UnitKind::kCount;
      const text::Span previous = statement->last_amount;
      if (token.span.end > previous.end) statement->last_amount = token.span;
      if (previous.size() > 0 && RestatesInParentheses(normalized, previous, token.span, words)) {
        // "1000 mg (2 tablets)": the same quantity counted; "4 tablets (10 mg)": the total of the
        // tablets, so each holds a share of it.
        const auto& before = count ? statement->dose : statement->count_dose;
        if (before && before->high > 0 && !count && !statement->dose &&
            amount->kind == text::UnitKind::kMass) {
          Amount each = *amount;
          each.low /= before->high;
          each.high /= before->high;
          statement->dose = each;
        }
        Extend(&statement->span, token.span);
        return;
      }
      // "…, up to 18 caplets a day", "一天共4000毫克": a day total besides the amount per
      // administration read before it.
      const auto& per_time = count ? statement->count_dose : statement->dose;
      if (per_time && per_time->kind == amount->kind &&
          StatesDayTotal(normalized, token.span, words)) {
        if (!statement->daily_total ||
            statement->daily_total->HighInBase() < amount->HighInBase()) {
          statement->daily_total = amount;
        }
        Extend(&statement->span, token.span);
        return;
      }
      if (count) {
        if (!statement->count_dose) statement->count_dose = amount;
        if (!statement->dose) statement->dose = InnerStrength(hit, words);
      } else if (!statement->dose || ReplacesAmount(normalized, token.span, words)) {
        statement->dose =
            amount;  // "首次1毫克…每次0.5毫克": the amount of every time, not the first
      }
      break;
    }
    case TokenKind::kFrequency: {
      const auto& rule = grammar.entries()[token.ref].frequency;
      if (rule.as_needed) {
        statement->as_needed = true;
      } else {
        // "2 g a day", "1.5g/日": once-a-day wording right after the amount makes it a daily total.
        if (rule.per_day == 1 && !rule.event && statement->dose &&
            token.span.begin <= statement->span.end + 2 &&
            token.span.begin >= statement->span.end) {
          statement->dose_is_daily_total = true;
        }
        statement->per_day = std::max(statement->per_day, ParseFrequency(hit, rule));
      }
      break;
    }
    case TokenKind::kDuration:
      statement->duration_days = std::max(statement->duration_days, ParseDurationDays(hit));
      break;
    case TokenKind::kRoute:
      statement->has_route = true;
      break;
    default:
      return;
  }
  Extend(&statement->span, token.span);
}

// The words that join the ingredients of a combination: "paracetamol and codeine",
// "amoxicillin/clavulanate", "对乙酰氨基酚和可待因", "باراسيتامول وكودايين".
bool JoinsIngredients(std::string_view between) {
  between = Trim(between);
  static constexpr std::string_view kJoiners[] = {
      "",        "/", "+", "&", "-", "and", "with", "\xE5\x92\x8C", "\xE4\xB8\x8E", "\xE5\x8F\x8A",
      "\xD9\x88"};
  return std::find(std::begin(kJoiners), std::end(kJoiners), between) != std::end(kJoiners);
}

bool IsAttribute(TokenKind kind) {
  return kind == TokenKind::kDose || kind == TokenKind::kFrequency ||
         kind == TokenKind::kDuration || kind == TokenKind::kRoute;
}

bool IsAsciiLetterOrDigit(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsAsciiLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The lead byte of an Arabic letter in UTF-8 (U+0600–U+06FF).
bool IsArabicLead(unsigned char c) { return c >= 0xD8 && c <= 0xDB; }

// Whether the Arabic letter before `at` is a proclitic "و"/"ف" that starts its word ("وانا").
bool ArabicProcliticBefore(std::string_view text, size_t at) {
  if (at < 2) return false;
  const std::string_view letter = text.substr(at - 2, 2);
  if (letter != "\xD9\x88" && letter != "\xD9\x81") return false;
  return at < 4 || !IsArabicLead(static_cast<unsigned char>(text[at - 4]));
}

// Whether `word` occurs in `text` as a whole word. A Latin end needs no Latin letter or digit
// next to it, an Arabic end no Arabic letter (a proclitic و/ف may come before); Chinese needs no
// boundary.
bool ContainsWord(std::string_view text, std::string_view word) {
  const auto first = static_cast<unsigned char>(word.front());
  const auto last = static_cast<unsigned char>(word.back());
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    if (IsAsciiLetter(first) && at > 0 &&
        IsAsciiLetterOrDigit(static_cast<unsigned char>(text[at - 1]))) {
      continue;
    }
    if (IsArabicLead(first) && at >= 2 && IsArabicLead(static_cast<unsigned char>(text[at - 2])) &&
        !ArabicProcliticBefore(text, at)) {
      continue;
    }
    if (IsAsciiLetter(last) && end < text.size() &&
        IsAsciiLetterOrDigit(static_cast<unsigned char>(text[end]))) {
      continue;
    }
    // The last byte of an Arabic letter is a continuation byte; the word's first byte tells.
    if (IsArabicLead(static_cast<unsigned char>(word[word.size() >= 2 ? word.size() - 2 : 0])) &&
        end < text.size() && IsArabicLead(static_cast<unsigned char>(text[end]))) {
      continue;
    }
    return true;
  }
  return false;
}

// Whether a token starts inside a number: "5 mg tablets" in "2.5 mg tablets".
bool StartsInNumber(std::string_view normalized, const Token& t) {
  const uint32_t b = t.span.begin;
  if (b == 0) return false;
  if (IsDigit(normalized[b - 1])) return true;
  return b >= 2 && (normalized[b - 1] == '.' || normalized[b - 1] == ',') &&
         IsDigit(normalized[b - 2]);
}

// Whether a drug is named in an allergy clause: "penicillin allergy", "allergic to penicillin",
// "青霉素过敏", "对青霉素过敏", "حساسيه من البنسلين", "حساسيه للبنسلين".
bool InAllergyClause(std::string_view normalized, const text::Span& drug, const WordLists& words) {
  std::string_view after = normalized.substr(drug.end, 16);
  while (!after.empty() && (after.front() == ' ' || after.front() == '-')) after.remove_prefix(1);
  if (StartsWithAny(after, words.allergy_after)) return true;
  const uint32_t from = drug.begin > 32 ? drug.begin - 32 : 0;
  std::string_view before = normalized.substr(from, drug.begin - from);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return EndsWithAny(before, words.allergy_before);
}

// A unit spelling, or a count noun the unit table lacks ("caplets", "softgels").
std::optional<text::UnitInfo> LookupAmountUnit(std::string_view word, const WordLists& words) {
  if (auto info = text::LookupUnit(word)) return info;
  for (const auto& [noun, unit] : words.count_nouns) {
    if (word == noun) return text::LookupUnit(unit);
  }
  return std::nullopt;
}

// Whether the numbers of an amount are joined as a range ("1-2", "2 to 3", "1至2", "2 او 3").
bool IsRange(std::string_view hit) {
  static constexpr std::string_view kJoiners[] = {"-",
                                                  "~",
                                                  " to ",
                                                  " or ",
                                                  "\xE8\x87\xB3",
                                                  "\xE5\x88\xB0",
                                                  "\xE6\x88\x96",
                                                  "\xD8\xA7\xD9\x84\xD9\x89",
                                                  "\xD8\xA7\xD9\x84\xD9\x8A",
                                                  "\xD8\xA7\xD9\x88"};
  return std::any_of(std::begin(kJoiners), std::end(kJoiners),
                     [&](std::string_view j) { return hit.find(j) != std::string_view::npos; });
}

// An Arabic count written in words (normalized spellings): "ثلاث حبات" (3), the duals "حبتين",
// "كبسولتين" (2), a singular noun "خذ حبه", "حبه واحده" (1).
std::optional<Amount> ParseArabicCount(std::string_view hit, const WordLists& words) {
  double value = 0;
  std::optional<text::UnitInfo> unit;
  std::string_view rest = Trim(hit);
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : Trim(rest.substr(space + 1));
    for (const auto& [dual, singular] : words.arabic_duals) {
      if (word == dual) {
        value = 2;
        unit = text::LookupUnit(singular);
      }
    }
    for (const auto& [number, number_value] : words.arabic_numbers) {
      if (word == number && value == 0) value = number_value;
    }
    if (!unit) {
      if (auto info = text::LookupUnit(word); info && info->kind == text::UnitKind::kCount) {
        unit = info;
      }
    }
  }
  if (!unit) return std::nullopt;
  Amount amount;
  amount.unit = unit->unit;
  amount.kind = unit->kind;
  amount.low = amount.high = value > 0 ? value : 1;
  return amount;
}

// A stated day total as administrations per day: 18 caplets a day at 3 caplets a time is 6 a day;
// 4000 mg a day at 1000 mg a time is 4. Only ever raises per_day (a total lower than the
// regimen is a cap the regimen already meets).
void FoldDailyTotal(MedicationStatement* st) {
  if (!st->daily_total) return;
  const Amount& total = *st->daily_total;
  double per_time = 0;
  if (total.kind == text::UnitKind::kCount) {
    if (st->count_dose && st->count_dose->kind == text::UnitKind::kCount) {
      per_time = st->count_dose->high;
    }
    if (per_time > 0) st->per_day = std::max(st->per_day, total.high / per_time);
    return;
  }
  if (!st->dose || st->dose->kind != total.kind) return;
  per_time = st->dose->HighInBase() * (st->count_dose ? st->count_dose->high : 1);
  if (per_time > 0) st->per_day = std::max(st->per_day, total.HighInBase() / per_time);
}

// The drug a question asks about: the one lexicon drug its statements name (none when they name
// several), with the strength the question gives it: an amount right after the name
// ("普拿疼500毫克", "zolpidem 5 mg", "ترامادول 50 ملغ") or the amount of one tablet
// ("每天一片0.25mg").
struct QuestionDrug {
  uint32_t drug = kUnknownProduct;
  std::optional<Amount> strength;
};

QuestionDrug ReadQuestionDrug(const std::vector<MedicationStatement>* statements) {
  QuestionDrug q;
  if (statements == nullptr) return q;
  for (const MedicationStatement& st : *statements) {
    if (!IsLexiconDrug(st.drug) || st.allergy) continue;
    if (q.drug != kUnknownProduct && q.drug != st.drug) return {};
    q.drug = st.drug;
    if (q.strength || !st.dose || st.dose->kind != text::UnitKind::kMass ||
        st.dose_is_daily_total) {
      continue;
    }
    const bool named_with =
        st.last_amount.begin >= st.drug_span.end && st.last_amount.begin <= st.drug_span.end + 2;
    const bool one_unit =
        st.count_dose && st.count_dose->kind == text::UnitKind::kCount && st.count_dose->high == 1;
    if (named_with || one_unit) q.strength = st.dose;
  }
  return q;
}

// A bare number right after a drug name, its strength in mg ("خد قرص فولتارين 75",
// "Panadol 500"): a space, the number, and no unit, letter, digit or range after it.
std::optional<Amount> StrengthAfterName(std::string_view normalized, const text::Span& name,
                                        const WordLists& words) {
  size_t i = name.end;
  if (i + 1 >= normalized.size() || normalized[i] != ' ' || !IsDigit(normalized[i + 1])) {
    return std::nullopt;
  }
  const size_t begin = ++i;
  while (i < normalized.size() && (IsDigit(normalized[i]) || normalized[i] == '.')) ++i;
  if (i < normalized.size() &&
      (IsAsciiLetterOrDigit(static_cast<unsigned char>(normalized[i])) ||
       std::string_view("%/-~:x*.").find(normalized[i]) != std::string_view::npos)) {
    return std::nullopt;
  }
  std::string_view next = normalized.substr(i, 24);
  while (!next.empty() && next.front() == ' ') next.remove_prefix(1);
  next = next.substr(0, next.find(' '));
  if (!next.empty() && LookupAmountUnit(next, words)) return std::nullopt;
  Amount amount;
  double value = 0;
  std::from_chars(normalized.data() + begin, normalized.data() + i, value);
  if (value <= 0) return std::nullopt;
  amount.low = amount.high = value;
  return amount;
}

// Whether a statement's drug span is a drug name the scan found (not a reference back or a line
// that continues the question's drug).
bool NamedByToken(const std::vector<Token>& tokens, const text::Span& span) {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), span.begin,
                             [](const Token& t, uint32_t at) { return t.span.begin < at; });
  for (; it != tokens.end() && it->span.begin == span.begin; ++it) {
    if ((it->kind == TokenKind::kDrug || it->kind == TokenKind::kProduct) &&
        it->span.end == span.end) {
      return true;
    }
  }
  return false;
}

// Whether `at` is inside quotation marks of its sentence: after an opening “ or 「 with no
// closing mark between, or after an odd number of ASCII double quotes.
// Whether a sentence is a Markdown table row ("| 年龄 | 每次剂量 | 次数 |", "|---|---|").
bool IsTableRow(std::string_view normalized, const text::Span& sentence) {
  const std::string_view line = normalized.substr(sentence.begin, sentence.size());
  const size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '|';
}

bool InQuotes(std::string_view normalized, const text::Span& sentence, const text::Span& at) {
  const std::string_view before = normalized.substr(sentence.begin, at.begin - sentence.begin);
  for (const auto& [open, close] :
       {std::pair<std::string_view, std::string_view>{"\xE2\x80\x9C", "\xE2\x80\x9D"},  // “ ”
        {"\xE3\x80\x8C", "\xE3\x80\x8D"}}) {                                            // 「 」
    const size_t o = before.rfind(open);
    if (o != std::string_view::npos && before.find(close, o) == std::string_view::npos) return true;
  }
  return std::count(before.begin(), before.end(), '"') % 2 == 1;
}

// Whether a sentence is only a drug and its regimen ("Cipro for 2 days only."): the drug opens
// it (past list markup), an attribute follows it right away, and at most one short word
// ("only", "more") comes after.
bool RegimenFragment(std::string_view normalized, const text::Span& sentence,
                     const MedicationStatement& st, const std::vector<const Token*>& attributes) {
  const bool adjacent = std::any_of(attributes.begin(), attributes.end(), [&](const Token* a) {
    return a->span.begin >= st.drug_span.end && a->span.begin <= st.drug_span.end + 1;
  });
  if (!adjacent) return false;
  if (st.drug_span.begin != WordsBegin(normalized, sentence) ||
      st.span.begin != st.drug_span.begin || st.span.end > sentence.end ||
      st.span.end - st.drug_span.end > 32) {
    return false;
  }
  std::string_view after = Trim(normalized.substr(st.span.end, sentence.end - st.span.end));
  for (std::string_view stop : {".", ";", "!", "\xE3\x80\x82"}) {  // 。
    if (after.ends_with(stop)) after.remove_suffix(stop.size());
  }
  after = Trim(after);
  return after.size() <= 8 && after.find(' ') == std::string_view::npos;
}

// Whether a statement counts tablets or capsules without saying how strong they are.
bool CountsUnitsOnly(const MedicationStatement& st) {
  return !st.dose && st.count_dose &&
         (st.count_dose->unit == text::Unit::kTablet ||
          st.count_dose->unit == text::Unit::kCapsule || st.count_dose->unit == text::Unit::kPill);
}

}  // namespace

QuestionKind ReadQuestion(std::string_view normalized_question, const Grammar& grammar) {
  if (normalized_question.empty()) return QuestionKind::kNone;
  bool topic = false;
  for (const QuestionCue& cue : grammar.question_cues()) {
    if (cue.personal ? !ContainsWord(normalized_question, cue.text)
                     : topic || !ContainsWord(normalized_question, cue.text)) {
      continue;
    }
    if (cue.personal) return QuestionKind::kPersonal;
    topic = true;
  }
  return topic ? QuestionKind::kTopic : QuestionKind::kNone;
}

double Amount::HighInBase() const {
  const char* spelling = nullptr;
  (void)spelling;
  switch (unit) {
    case text::Unit::kG:
      return high * 1000;
    case text::Unit::kMcg:
      return high / 1000;
    case text::Unit::kKg:
      return high * 1e6;
    case text::Unit::kL:
      return high * 1000;
    default:
      return high;
  }
}

std::optional<double> MedicationStatement::DailyMg() const {
  if (!dose || dose->kind != text::UnitKind::kMass || per_day <= 0) return std::nullopt;
  const double count = count_dose ? count_dose->high : 1;
  return dose->HighInBase() * count * per_day;
}

std::optional<Amount> ParseAmount(std::string_view hit) {
  static const WordLists kNoWords;
  return ParseAmount(hit, kNoWords);
}

std::optional<Amount> ParseAmount(std::string_view hit, const WordLists& words) {
  auto numbers = Numbers(hit);
  if (numbers.empty()) return ParseArabicCount(hit, words);
  // "four 2.5 mg tablets": two numbers not joined as a range are a count and a strength; the
  // count comes first. ("1-2 tablets", "2 to 3 g" are ranges; "2 x 500 mg" is a product.)
  if (numbers.size() >= 2 && !IsRange(hit) && hit.find_first_of("x*") == std::string_view::npos &&
      hit.find("\xC3\x97") == std::string_view::npos) {
    numbers.erase(numbers.begin() + 1, numbers.end());
  }
  const size_t last_digit = hit.find_last_of("0123456789");
  std::string_view rest;
  if (last_digit != std::string_view::npos) {
    rest = Trim(hit.substr(last_digit + 1));
  } else {  // a number in words ("four hundred milligrams"): the unit is the last word
    const std::string_view trimmed = Trim(hit);
    const size_t space = trimmed.find_last_of(' ');
    if (space == std::string_view::npos) return std::nullopt;
    rest = trimmed.substr(space + 1);
  }
  auto info = LookupAmountUnit(rest, words);
  if (!info) {  // "3 Tylenol Extra Strength tablets": the unit is the last word
    const size_t space = rest.find_last_of(' ');
    if (space != std::string_view::npos) info = LookupAmountUnit(rest.substr(space + 1), words);
  }
  // "take 3 every 4 hours": a bare number after the verb counts tablets.
  if (!info && (hit.starts_with("take") || hit.starts_with("give") || hit.starts_with("chew") ||
                hit.starts_with("swallow"))) {
    info = text::LookupUnit("tablet");
  }
  if (!info) return std::nullopt;
  Amount amount;
  amount.unit = info->unit;
  amount.kind = info->kind;
  const bool multiplied = hit.find_first_of("x*") != std::string_view::npos ||
                          hit.find("\xC3\x97") != std::string_view::npos;  // ×
  if (multiplied && numbers.size() >= 2) {
    amount.low = amount.high = numbers[0] * numbers[1];
  } else {
    amount.low = numbers.front();
    amount.high = numbers.size() >= 2 ? std::max(numbers[0], numbers[1]) : numbers.front();
  }
  return amount;
}

double ParseFrequency(std::string_view hit, const FrequencyRule& rule) {
  if (rule.per_day > 0) return rule.per_day;
  const auto numbers = Numbers(hit);
  if (numbers.empty()) return 0;
  if (rule.interval_hours) {
    const double hours = *std::min_element(numbers.begin(), numbers.end());
    return hours > 0 ? 24.0 / hours : 0;
  }
  const double count = *std::max_element(numbers.begin(), numbers.end());
  if (rule.count_per_week) return count / 7.0;
  if (rule.count) {
    // "1日3次": the count is the last number, not the "1" of "one day".
    return numbers.back() > 0 ? numbers.back() : count;
  }
  return 0;
}

double ParseDurationDays(std::string_view hit) {
  const auto numbers = Numbers(hit);
  double n = numbers.empty() ? 1 : numbers.back();
  auto has = [&](std::string_view s) { return hit.find(s) != std::string_view::npos; };
  if (has("اسبوعين")) return 14;
  if (has("يومين")) return 2;
  if (has("week") || has("wk") || has("周") || has("星期") || has("اسبوع") || has("اسابيع")) {
    return n * 7;
  }
  if (has("month") || has("月") || has("شهر") || has("اشهر")) return n * 30;
  return n;
}

void ExtractStatements(std::string_view normalized, const std::vector<text::Span>& sentences,
                       const std::vector<Token>& tokens, const Grammar& grammar,
                       std::vector<MedicationStatement>* out, QuestionKind question,
                       const std::vector<MedicationStatement>* question_statements) {
  out->clear();
  const QuestionDrug asked = ReadQuestionDrug(question_statements);
  size_t next_token = 0;
  int64_t last_rx_form_sentence = -1000;
  // A clinical note (section headings, third-person narrative) records medications: its bare
  // "drug dose frequency" lines are history, not instructions to the reader.
  const bool clinical_note = CountMarkers(normalized, tokens, grammar, &GrammarEntry::note_marker,
                                          kNoteMarkersForNote) >= kNoteMarkersForNote;
  // A drug label, package insert or study abstract ("active ingredient … inactive ingredients",
  // "interventions: … placebo") states facts about a drug: its bare regimen lines are label
  // facts, not instructions to the reader.
  const bool label_text =
      !clinical_note && CountMarkers(normalized, tokens, grammar, &GrammarEntry::label_marker,
                                     kLabelMarkersForLabel) >= kLabelMarkersForLabel;
  // An impersonal overview (a treatment overview, an encyclopedia entry, a study summary) that
  // never speaks to its reader (no "you", no imperative) describes regimens: in its sentences that
  // say so ("treatment consists of…", "X is managed with…", "治疗方案包括…", "يشمل العلاج…"), and
  // in the list under such a line, directive and bare regimen statements are information. A bare
  // regimen line of its own ("Amoxicillin 500 mg tid x 7 days") keeps its reading.
  // A personal account (a forum post: "I was prescribed…", "I usually take…") recounts its
  // author's own medication: its bare regimen lines are the author's history.
  const bool personal_account =
      !clinical_note && !label_text &&
      CountMarkers(normalized, tokens, grammar, &GrammarEntry::author_marker,
                   kAuthorMarkersForAccount) >= kAuthorMarkersForAccount;
  // Text written to clinicians (a label's dosing section, an emergency protocol: "train patients
  // on…", "refer all patients…") gives its directions to the prescriber, not to the reader.
  const bool clinician_text =
      !clinical_note && CountMarkers(normalized, tokens, grammar, &GrammarEntry::clinician_marker,
                                     kClinicianMarkersForText) >= kClinicianMarkersForText;
  // The question, when known, settles what the text alone cannot: an impersonal answer to a
  // personal question ("what can my son take?") is addressed to the asker, so it is no overview;
  // an impersonal answer to a topic question ("what are the treatments for X?", 如何治疗X) is an
  // overview throughout, its modal and descriptive phrasings included ("may be treated with",
  // "most centers use X"), whatever overview phrase it has or lacks.
  const bool may_be_overview = !clinical_note && question != QuestionKind::kPersonal;
  const bool topic_overview = may_be_overview && question == QuestionKind::kTopic &&
                              !AddressesReader(normalized, sentences, tokens, grammar);
  const bool overview =
      topic_overview || (may_be_overview &&
                         CountMarkers(normalized, tokens, grammar, &GrammarEntry::overview_marker,
                                      kOverviewMarkersForOverview) >= kOverviewMarkersForOverview &&
                         !AddressesReader(normalized, sentences, tokens, grammar));
  // Sentences with a decoction instruction ("水煎服", "煎煮", "当茶饮"): one or two herb amounts
  // make a recipe when a decoction instruction follows in the same sentence or one of the next
  // kDecoctionReach.
  // Per sentence: -1 not looked at yet (only sentences near herb amounts ever are), 0 no, 1 yes.
  std::vector<signed char> decoction(sentences.size(), -1);
  auto has_decoction = [&](uint32_t t) {
    if (decoction[t] < 0) {
      const std::string_view text = normalized.substr(sentences[t].begin, sentences[t].size());
      decoction[t] = std::any_of(grammar.decoctions().begin(), grammar.decoctions().end(),
                                 [&](const std::string& w) { return text.find(w) != text.npos; });
    }
    return decoction[t] == 1;
  };
  auto decoction_follows = [&](uint32_t s) {
    for (uint32_t t = s; t < sentences.size() && t <= s + kDecoctionReach; ++t) {
      if (has_decoction(t)) return true;
    }
    return false;
  };
  int64_t overview_header_sentence = -1000;
  int64_t header_sentence = -1000;
  Mood header_mood = Mood::kUnmarked;
  std::vector<const Token*> in_sentence, drugs, cues;
  for (uint32_t s = 0; s < sentences.size(); ++s) {
    const text::Span sentence = sentences[s];
    in_sentence.clear();
    while (next_token < tokens.size() && tokens[next_token].span.begin < sentence.begin) {
      ++next_token;
    }
    for (size_t t = next_token; t < tokens.size() && tokens[t].span.begin < sentence.end; ++t) {
      if (tokens[t].span.end <= sentence.end) in_sentence.push_back(&tokens[t]);
    }
    drugs.clear();
    cues.clear();
    std::vector<const Token*> attributes, products, therapies, anaphors;
    int herb_amounts = 0;
    std::vector<const Token*> overview_markers;
    for (const Token* t : in_sentence) {
      if (t->kind == TokenKind::kDrug) drugs.push_back(t);
      if (t->kind == TokenKind::kProduct) products.push_back(t);
      if (t->kind == TokenKind::kCue && !MisplacedLabel(normalized, *t, grammar)) {
        const GrammarEntry& entry = grammar.entries()[t->ref];
        if (entry.address || entry.overview_marker || entry.clinician_marker) {  // no mood
          if (overview && entry.overview_marker) overview_markers.push_back(t);
          continue;
        }
        (entry.therapy ? therapies : entry.anaphor ? anaphors : cues).push_back(t);
      }
      // An amount that starts inside a number ("5 mg tablets" in "2.5 mg tablets") is no amount;
      // a regimen in quotation marks is quoted, not given ("以前那种“每小时吃一片”的吃法").
      if (IsAttribute(t->kind) &&
          !(t->kind == TokenKind::kDose && StartsInNumber(normalized, *t)) &&
          !InQuotes(normalized, sentence, t->span)) {
        attributes.push_back(t);
      }
      if (t->kind == TokenKind::kHerbAmount) ++herb_amounts;
    }
    DropNested(&drugs);
    // A product name counts only where no lexicon drug overlaps it ("阿莫西林胶囊" is amoxicillin).
    DropNested(&products);
    for (const Token* product : products) {
      const bool known = std::any_of(drugs.begin(), drugs.end(), [&](const Token* d) {
        return d->span.begin < product->span.end && product->span.begin < d->span.end;
      });
      if (!known) drugs.push_back(product);
    }
    std::sort(drugs.begin(), drugs.end(),
              [](const Token* a, const Token* b) { return a->span.begin < b->span.begin; });
    // A cue inside a name is part of the name: "注射" in "右旋糖酐注射液", "滴眼" in "滴眼液".
    // (A product match may start before the name, so only its dosage-form end counts.)
    cues.erase(std::remove_if(cues.begin(), cues.end(),
                              [&](const Token* cue) {
                                auto in_name = [&](const Token* name) {
                                  return Inside(cue->span, name->span) &&
                                         name->span.size() > cue->span.size() &&
                                         (name->kind == TokenKind::kDrug ||
                                          name->span.end - cue->span.begin <= kFormSuffixBytes);
                                };
                                return std::any_of(drugs.begin(), drugs.end(), in_name) ||
                                       std::any_of(products.begin(), products.end(), in_name);
                              }),
               cues.end());
    // A heading-only cue ("plan", "medications") counts only as a line of its own; a heading line
    // governs the bare list lines under it, as a header ending with a colon does.
    const Token* heading = drugs.empty() && herb_amounts == 0 &&
                                   std::none_of(in_sentence.begin(), in_sentence.end(),
                                                [](const Token* t) { return IsAttribute(t->kind); })
                               ? HeadingCue(normalized, sentence, cues)
                               : nullptr;
    cues.erase(std::remove_if(cues.begin(), cues.end(),
                              [&](const Token* cue) {
                                return grammar.entries()[cue->ref].heading && cue != heading;
                              }),
               cues.end());
    // In an overview, a cue inside an overview phrase is part of it ("用药" in "常用药物").
    cues.erase(std::remove_if(cues.begin(), cues.end(),
                              [&](const Token* cue) {
                                return std::any_of(overview_markers.begin(), overview_markers.end(),
                                                   [&](const Token* m) {
                                                     return Inside(cue->span, m->span) &&
                                                            m->span.size() > cue->span.size();
                                                   });
                              }),
               cues.end());
    DropNestedCues(&cues);
    // An "unmarked" cue only masks the cues it overlaps ("take" in "take a while", "use" in
    // "ready-to-use"); it sets no mood of its own.
    cues.erase(std::remove_if(cues.begin(), cues.end(),
                              [](const Token* cue) { return cue->cue == Mood::kUnmarked; }),
               cues.end());
    DropNested(&attributes);
    for (const Token* cue : cues) {
      if (cue->cue == Mood::kRxForm) last_rx_form_sentence = s;
    }
    // In an overview, a bare statement in a sentence that says it describes treatment (or in the
    // list under such a line) is information; so is a directive whose verb is in the describing
    // clause
    // ("也可选用X"), not one in a clause of its own ("常用药物包括X、Y，可以两种一起吃").
    const bool under_overview =
        !overview_markers.empty() ||
        (s > overview_header_sentence && s - overview_header_sentence <= kHeaderReach);
    // In a topic overview every bare statement is information, and so is every directive of a
    // sentence without an overview phrase ("Most centers start with X"); in a sentence with one,
    // a directive in a clause of its own keeps its reading as below ("常用药物包括X、Y，可以两种
    // 一起吃"). A herbal recipe keeps its reading: a recipe with amounts is one whoever it is for.
    auto as_read = [&](Mood mood, const text::Span& at, bool recipe = false) {
      if (topic_overview && !recipe &&
          (mood == Mood::kUnmarked || (mood == Mood::kDirective && overview_markers.empty()))) {
        return Mood::kInformational;
      }
      if (mood == Mood::kUnmarked && under_overview) return Mood::kInformational;
      if (mood != Mood::kDirective || overview_markers.empty()) return mood;
      const Token* verb = GoverningCue(at, cues);
      if (verb == nullptr) return mood;
      // A route verb ("口服", "肌注", "外用") says how the drug is given: in a describing sentence
      // it describes.
      if (std::any_of(attributes.begin(), attributes.end(), [&](const Token* a) {
            return a->kind == TokenKind::kRoute && a->span.begin == verb->span.begin &&
                   a->span.end == verb->span.end;
          })) {
        return Mood::kInformational;
      }
      for (const Token* marker : overview_markers) {
        const bool overlap =
            marker->span.begin < verb->span.end && verb->span.begin < marker->span.end;
        const uint32_t from = std::min(marker->span.end, verb->span.end);
        const uint32_t to = std::max(marker->span.begin, verb->span.begin);
        if (overlap || (from <= to && !CrossesClause(normalized.substr(from, to - from)))) {
          return Mood::kInformational;
        }
      }
      return mood;
    };
    const bool question = EndsWithQuestion(normalized.substr(sentence.begin, sentence.size()));
    const bool under_rx_form = s - last_rx_form_sentence <= kRxFormReach;
    const bool under_header = s > header_sentence && s - header_sentence <= kHeaderReach;
    auto in_same_clause = [&](uint32_t from, uint32_t to) {
      return from <= to && !CrossesClause(normalized.substr(from, to - from));
    };
    // "Taking 1000 mg every 2 hours can cause liver failure": an effect stated in the drug's own
    // clause makes the mention a conditional, not an instruction.
    auto states_effect = [&](const text::Span& at) {
      return std::any_of(cues.begin(), cues.end(), [&](const Token* cue) {
        return grammar.entries()[cue->ref].consequence && cue->span.begin >= at.end &&
               in_same_clause(at.end, cue->span.begin);
      });
    };
    auto resolve_mood = [&](const text::Span& at) {
      Mood mood = MoodAt(normalized, at, cues);
      if ((mood == Mood::kDirective || mood == Mood::kUnmarked) && states_effect(at)) {
        mood = Mood::kConditional;
      }
      // The latest header governs: a medication-list heading after a prescription line ends it.
      if (mood == Mood::kUnmarked && under_header && header_sentence > last_rx_form_sentence) {
        mood = header_mood;
      }
      if (mood == Mood::kUnmarked && under_rx_form) mood = Mood::kRxForm;
      if (mood == Mood::kUnmarked && under_header) mood = header_mood;
      if (mood == Mood::kUnmarked && clinical_note) mood = Mood::kHistory;
      if (mood == Mood::kUnmarked && label_text) mood = Mood::kInformational;
      if (mood == Mood::kUnmarked && personal_account) mood = Mood::kHistory;
      if ((mood == Mood::kUnmarked || mood == Mood::kDirective) && clinician_text) {
        mood = Mood::kInformational;
      }
      if (question && mood != Mood::kRxForm) mood = Mood::kQuestion;
      return mood;
    };

    // "外用硼酸软膏，每天局部冷敷": an attribute in the clause of a non-drug treatment, with no
    // drug between them, belongs to that treatment, not to the drug.
    auto owned_by_therapy = [&](const Token* attribute) {
      // "Continue home exercise program and twice daily gabapentin": an attribute right before a
      // drug name is the drug's.
      const bool names_drug = std::any_of(drugs.begin(), drugs.end(), [&](const Token* d) {
        return d->span.begin >= attribute->span.end && d->span.begin <= attribute->span.end + 1;
      });
      return !names_drug && std::any_of(therapies.begin(), therapies.end(), [&](const Token* th) {
        const bool before = th->span.end <= attribute->span.begin;
        const uint32_t from = before ? th->span.end : attribute->span.end;
        const uint32_t to = before ? attribute->span.begin : th->span.begin;
        // A treatment named after the attribute owns it only when no drug shares its clause.
        const bool drug_in_clause =
            !before && std::any_of(drugs.begin(), drugs.end(), [&](const Token* d) {
              return d->span.end <= attribute->span.begin &&
                     in_same_clause(d->span.end, attribute->span.begin);
            });
        return in_same_clause(from, to) && !drug_in_clause &&
               std::none_of(drugs.begin(), drugs.end(), [&](const Token* d) {
                 return d->span.begin >= from && d->span.end <= to;
               });
      });
    };

    // "Give him 250 mg twice daily and continue his Orap": a conjunction and a verb between an
    // attribute and the drug after it start a new verb phrase with its own object.
    auto joins_new_verb = [&](uint32_t from, uint32_t to) {
      static constexpr std::string_view kConjunctions[] = {
          " and ",
          " then ",
          " \xD9\x88",  // و
          "\xE5\xB9\xB6",
          "\xE7\x84\xB6\xE5\x90\x8E",
          "\xE5\x90\x8C\xE6\x97\xB6"};  // 并 然后 同时
      return std::any_of(cues.begin(), cues.end(), [&](const Token* cue) {
        if (cue->span.begin < from || cue->span.end > to) return false;
        const std::string_view before = normalized.substr(from, cue->span.begin - from);
        return std::any_of(
            std::begin(kConjunctions), std::end(kConjunctions),
            [&](std::string_view c) { return before.find(c) != std::string_view::npos; });
      });
    };

    // Attributes inside a negated clause ("…, do not exceed 1200 mg a day", "切勿每天服用") are
    // limits or warnings, not part of the regimen.
    auto in_negated_clause = [&](const Token* attribute) {
      return std::any_of(cues.begin(), cues.end(), [&](const Token* cue) {
        return cue->cue == Mood::kNegated && cue->span.end <= attribute->span.begin &&
               in_same_clause(cue->span.end, attribute->span.begin) &&
               std::none_of(drugs.begin(), drugs.end(), [&](const Token* d) {
                 return d->span.begin >= cue->span.end && d->span.end <= attribute->span.begin;
               });
      });
    };

    // A table's header and rule rows carry the drug named above the table to its first data row
    // ("按下面的量给蒙脱石散：| 年龄 | 每次剂量 | 次数 | |---|…| | 1岁以下 | 1/3袋 | 每日3次 |").
    if (drugs.empty() && attributes.empty() && !out->empty() && out->back().sentence + 1 == s &&
        IsTableRow(normalized, sentence)) {
      out->back().sentence = s;
    }
    const size_t first_new = out->size();
    // The next option of a list ("；或Y，口服，每天2次") has the mood of the option before it,
    // unless a cue of its own comes before the drug.
    // So has the next item of a list split at semicolons ("目前用药：X 5mg，每日1次；Y
    // 0.5g，每日2次").
    const bool list_option =
        !drugs.empty() && !out->empty() && out->back().sentence + 1 == s &&
        out->back().drug != kHerbalRecipe &&
        (OpensWithAlternative(normalized.substr(sentence.begin, sentence.size())) ||
         EndsWithSemicolon(normalized.substr(sentences[s - 1].begin, sentences[s - 1].size())));
    const Mood option_mood = list_option ? out->back().mood : Mood::kUnmarked;
    for (const Token* drug : drugs) {
      MedicationStatement statement;
      statement.drug = drug->kind == TokenKind::kProduct ? kUnknownProduct : drug->ref;
      statement.drug_span = drug->span;
      statement.span = drug->span;
      statement.sentence = s;
      statement.mood = resolve_mood(drug->span);
      if (list_option && !question && std::none_of(cues.begin(), cues.end(), [&](const Token* c) {
            return c->span.end <= drug->span.begin;
          })) {
        statement.mood = option_mood;
      }
      statement.mood = as_read(statement.mood, drug->span);
      statement.allergy = InAllergyClause(normalized, drug->span, grammar.words());
      out->push_back(statement);
    }
    // A herb of the lexicon named in its own amount ("炒谷芽15克") is an ingredient, not a medicine
    // of its own.
    auto in_amount = [&](const Token* d) {
      return std::any_of(in_sentence.begin(), in_sentence.end(), [&](const Token* t) {
        return t->kind == TokenKind::kHerbAmount && Inside(d->span, t->span);
      });
    };
    const bool only_herbs = std::all_of(drugs.begin(), drugs.end(), [&](const Token* d) {
      return std::any_of(drugs.begin(), drugs.end(), [&](const Token* e) {
        return e->kind == d->kind && e->ref == d->ref && in_amount(e);
      });
    });
    // An ingredient amount names what is weighed ("炒谷芽15克"), not how much is taken
    // ("每次50克").
    const bool ingredient =
        std::any_of(in_sentence.begin(), in_sentence.end(), [&](const Token* t) {
          if (t->kind != TokenKind::kHerbAmount) return false;
          const std::string_view hit = normalized.substr(t->span.begin, t->span.size());
          static constexpr std::string_view kIntake[] = {"\xE6\xAF\x8F", "\xE6\xAC\xA1",  // 每 次
                                                         "\xE6\x9C\x8D", "\xE5\x90\x83",  // 服 吃
                                                         "\xE5\x89\x82"};                 // 剂
          return std::none_of(std::begin(kIntake), std::end(kIntake),
                              [&](std::string_view w) { return hit.find(w) != hit.npos; });
        });
    if (herb_amounts >= kMinHerbAmounts || (ingredient && only_herbs && decoction_follows(s))) {
      MedicationStatement recipe;
      recipe.drug = kHerbalRecipe;
      recipe.sentence = s;
      bool first = true;
      for (const Token* t : in_sentence) {
        if (t->kind != TokenKind::kHerbAmount) continue;
        if (first) recipe.drug_span = recipe.span = t->span;
        first = false;
        Attach(&recipe, *t, normalized, grammar);
      }
      recipe.mood = as_read(resolve_mood(recipe.drug_span), recipe.drug_span, /*recipe=*/true);
      out->push_back(recipe);
    }

    // Attributes of this sentence that no drug of it takes ("Take the four tablets every
    // morning, and don't forget the folic acid"): they may continue the previous sentence's drug.
    std::vector<const Token*> orphans;
    if (out->size() > first_new) {
      // "Paracetamol and codeine caplets 500 mg/30 mg": amounts joined by "/" after drugs joined by
      // "and" or "/" are the strengths of those drugs, in order.
      std::vector<std::pair<const Token*, size_t>> strengths;
      for (size_t i = 0; i < attributes.size(); ++i) {
        if (attributes[i]->kind != TokenKind::kDose) continue;
        size_t j = i;
        while (j + 1 < attributes.size() && attributes[j + 1]->kind == TokenKind::kDose &&
               attributes[j + 1]->span.begin >= attributes[j]->span.end &&
               Trim(normalized.substr(attributes[j]->span.end,
                                      attributes[j + 1]->span.begin - attributes[j]->span.end)) ==
                   "/") {
          ++j;
        }
        const size_t k = j - i + 1;
        std::vector<size_t> before;
        for (size_t m = first_new; m < out->size() && k >= 2; ++m) {
          const auto& st = (*out)[m];
          if (st.drug != kHerbalRecipe && st.drug_span.end <= attributes[i]->span.begin) {
            before.push_back(m);
          }
        }
        if (k >= 2 && before.size() >= k) {
          bool joined = true;
          for (size_t m = before.size() - k; m + 1 < before.size() && joined; ++m) {
            const auto& a = (*out)[before[m]].drug_span;
            const auto& b = (*out)[before[m + 1]].drug_span;
            joined =
                a.end <= b.begin && JoinsIngredients(normalized.substr(a.end, b.begin - a.end));
          }
          for (size_t m = 0; joined && m < k; ++m) {
            strengths.emplace_back(attributes[i + m], before[before.size() - k + m]);
          }
        }
        i = j;
      }
      // Each attribute goes to the nearest drug before it, else the nearest after it.
      for (const Token* attribute : attributes) {
        if (in_negated_clause(attribute) || owned_by_therapy(attribute)) continue;
        MedicationStatement* target = nullptr;
        for (const auto& [amount, index] : strengths) {
          if (amount == attribute) target = &(*out)[index];
        }
        // "3 Tylenol Extra Strength tablets": the drug inside a count belongs to it.
        for (size_t i = first_new; i < out->size() && target == nullptr; ++i) {
          auto& st = (*out)[i];
          if (st.drug != kHerbalRecipe && Inside(st.drug_span, attribute->span)) target = &st;
        }
        for (size_t i = first_new; i < out->size() && target == nullptr; ++i) {
          auto& st = (*out)[i];  // the nearest drug before the attribute: the last one found
          if (st.drug == kHerbalRecipe || st.allergy || st.drug_span.end > attribute->span.begin) {
            continue;
          }
          for (size_t j = i; j < out->size(); ++j) {
            auto& later = (*out)[j];
            if (later.drug != kHerbalRecipe && !later.allergy &&
                later.drug_span.end <= attribute->span.begin) {
              target = &later;
            }
          }
        }
        if (target == nullptr) {
          // An attribute before its drug must be in the drug's clause ("每天摄取…，…维生素C" is not
          // a dose of vitamin C).
          for (size_t i = first_new; i < out->size(); ++i) {
            auto& st = (*out)[i];
            if (st.drug != kHerbalRecipe && st.drug_span.begin >= attribute->span.end) {
              if (in_same_clause(attribute->span.end, st.drug_span.begin) && !st.allergy &&
                  !joins_new_verb(attribute->span.end, st.drug_span.begin)) {
                target = &st;
              }
              break;
            }
          }
          if (target == nullptr) {
            orphans.push_back(attribute);
            continue;
          }
        }
        Attach(target, *attribute, normalized, grammar);
        // "阿莫西林(…)加甲硝唑，每天三次，每次各两粒": "各" (each) gives the regimen to both drugs
        // joined.
        const size_t t_index = static_cast<size_t>(target - out->data());
        size_t o_index = t_index;
        while (o_index > first_new &&
               ((*out)[o_index - 1].allergy ||
                EnclosingParenthesis(normalized, (*out)[o_index - 1].drug_span.begin, sentence)
                        .size() > 0)) {
          --o_index;
        }
        if (o_index > first_new && attribute->span.begin >= target->drug_span.end &&
            normalized.substr(target->drug_span.end, sentence.end - target->drug_span.end)
                    .find("\xE5\x90\x84") != std::string_view::npos) {  // 各
          MedicationStatement& other = (*out)[o_index - 1];
          std::string_view between =
              normalized.substr(other.drug_span.end, target->drug_span.begin - other.drug_span.end);
          if (!between.empty() && between.front() == '(' && between.find(')') != between.npos) {
            between.remove_prefix(between.find(')') + 1);
          }
          static constexpr std::string_view kJoiners[] = {"\xE5\x8A\xA0",
                                                          "\xE5\x92\x8C",
                                                          "\xE4\xB8\x8E",
                                                          "\xE5\x8F\x8A",  // 加 和 与 及
                                                          "\xE8\x81\x94\xE5\x90\x88",
                                                          "\xE9\x85\x8D\xE5\x90\x88",  // 联合 配合
                                                          "\xE5\x8A\xA0\xE7\x94\xA8",
                                                          "+",
                                                          "\xE3\x80\x81"};  // 加用 、
          if (other.drug != kHerbalRecipe && !other.allergy &&
              other.drug_span.end <= target->drug_span.begin &&
              std::find(std::begin(kJoiners), std::end(kJoiners), Trim(between)) !=
                  std::end(kJoiners)) {
            Attach(&other, *attribute, normalized, grammar);
          }
        }
      }
    }
    // "Cipro for 2 days only.": a bare line that is only a drug and how long to take it is a
    // prescription line.
    for (size_t i = first_new; i < out->size(); ++i) {
      MedicationStatement& st = (*out)[i];
      if (st.mood == Mood::kUnmarked && !st.has_dose() && st.has_duration() &&
          IsLexiconDrug(st.drug) && RegimenFragment(normalized, sentence, st, attributes)) {
        st.mood = Mood::kRxForm;
      }
    }
    // A dose line that opens the answer, before any statement, is about the drug the question
    // asks of ("Q: …普拿疼500毫克… A: 一次吃3颗(1500毫克)，每4小时1次，普拿疼很温和"): its
    // attributes before the first drug of the sentence go to that drug's statement, or to a new
    // one.
    auto ContinueQuestionDrug = [&](uint32_t drug, const std::vector<const Token*>& pool,
                                    uint32_t s_index) {
      const uint32_t before = out->empty() ? sentence.end : out->front().drug_span.begin;
      auto opens = [&](const Token* a) { return a->span.end <= before; };
      if (std::none_of(pool.begin(), pool.end(),
                       [&](const Token* a) { return a->kind == TokenKind::kDose && opens(a); })) {
        return;
      }
      auto same = std::find_if(out->begin(), out->end(),
                               [&](const MedicationStatement& st) { return st.drug == drug; });
      if (same == out->end()) {
        const Token* first = *std::find_if(pool.begin(), pool.end(), opens);
        MedicationStatement statement;
        statement.drug = drug;
        statement.drug_span = statement.span = first->span;
        statement.sentence = s_index;
        statement.mood = as_read(resolve_mood(first->span), first->span);
        // Only a directive of its own makes the line an instruction; a bare dose line, a
        // prescription-form line or a route verb ("口服，每日1次") answering "what is the dose of
        // X?" quotes the drug's label.
        const bool own_verb = std::any_of(cues.begin(), cues.end(), [&](const Token* c) {
          return c->cue == Mood::kDirective &&
                 std::none_of(attributes.begin(), attributes.end(), [&](const Token* a) {
                   return a->kind == TokenKind::kRoute && a->span.begin == c->span.begin;
                 });
        });
        if (statement.mood != Mood::kDirective || !own_verb) {
          if (statement.mood == Mood::kUnmarked || statement.mood == Mood::kRxForm ||
              statement.mood == Mood::kDirective) {
            statement.mood = Mood::kInformational;
          }
        }
        statement.continued = true;
        same = out->insert(out->begin(), statement);
      }
      for (const Token* a : pool) {
        if (opens(a) && !in_negated_clause(a) && !owned_by_therapy(a)) {
          Attach(&*same, *a, normalized, grammar);
        }
      }
    };
    bool continued = false;
    // A full regimen line (dose and frequency) with its own directive or prescription cue may
    // skip one drugless sentence, the indication line of a quoted insert: "X胶囊补肾壮阳。用于肾虚
    // 阳萎…。口服，一次3粒，一日2次。"
    auto regimen_line = [&](Mood here) {
      // The route verb that opens the line ("口服，…") is its own cue.
      if (here == Mood::kUnmarked && !cues.empty()) here = cues.front()->cue;
      auto has = [&](TokenKind kind) {
        return std::any_of(attributes.begin(), attributes.end(),
                           [&](const Token* a) { return a->kind == kind; });
      };
      return (here == Mood::kDirective || here == Mood::kRxForm) && has(TokenKind::kDose) &&
             has(TokenKind::kFrequency) && RefersBack(out->back().mood);
    };
    // The statement a dose line continues: the last one before this sentence's own, past a drug
    // named in an allergy clause ("… when there's a penicillin allergy. Give him 250 mg …").
    auto continued_statement = [&]() -> size_t {
      size_t p = first_new;
      while (p > 0 && (*out)[p - 1].allergy &&
             (*out)[p - 1].sentence == (*out)[first_new - 1].sentence) {
        --p;
      }
      return p > 0 && !(*out)[p - 1].allergy ? p - 1 : first_new;
    };
    // An imperative that gives an amount: the sentence opens with a directive verb ("Take the four
    // tablets…", "تناول أربع حبات…") and the line has a dose.
    auto imperative_amount_line = [&](const std::vector<const Token*>& line) {
      const uint32_t begin = WordsBegin(normalized, sentence);
      return std::any_of(cues.begin(), cues.end(),
                         [&](const Token* c) {
                           return c->cue == Mood::kDirective && c->span.begin == begin;
                         }) &&
             std::any_of(line.begin(), line.end(),
                         [](const Token* a) { return a->kind == TokenKind::kDose; });
    };
    // Gives a dose line's attributes to the statement it continues; a directive line makes an
    // informational mention an instruction ("Methotrexate is a cornerstone drug. Take the four
    // 2.5 mg tablets every morning.").
    auto continue_into = [&](size_t p, const std::vector<const Token*>& line, Mood here) {
      MedicationStatement& previous = (*out)[p];
      if (here == Mood::kRxForm && previous.mood == Mood::kUnmarked) previous.mood = here;
      if (previous.mood == Mood::kInformational && imperative_amount_line(line) &&
          as_read(here, line.front()->span) == Mood::kDirective) {
        previous.mood = Mood::kDirective;
      }
      for (const Token* attribute : line) {
        if (!owned_by_therapy(attribute)) Attach(&previous, *attribute, normalized, grammar);
      }
      if (p + 1 == first_new) previous.sentence = s;
      previous.continued = true;
    };
    if (out->size() == first_new && !attributes.empty() && !out->empty() &&
        out->back().drug != kHerbalRecipe &&
        (out->back().sentence + 1 >= s ||
         (out->back().sentence + 2 == s && regimen_line(resolve_mood(attributes.front()->span))))) {
      // A dose line that continues the previous sentence's drug:
      // "建议服用布洛芬。一次1粒，一日2次。"
      const size_t p = continued_statement();
      const Mood here = resolve_mood(attributes.front()->span);
      if (p < first_new &&
          (here == Mood::kUnmarked || here == Mood::kDirective || here == Mood::kRxForm)) {
        continue_into(p, attributes, here);
        continued = true;
      }
    }
    if (!orphans.empty() && out->size() > first_new && first_new > 0 &&
        (*out)[first_new - 1].drug != kHerbalRecipe && (*out)[first_new - 1].sentence + 1 == s &&
        orphans.back()->span.end <= (*out)[first_new].drug_span.begin) {
      // A dose clause before any drug of its sentence that no drug of it takes continues the
      // previous sentence's drug: "甲氨蝶呤是…基础药。每天早饭后吃3片（7.5毫克），…同时补充叶酸。"
      const size_t p = continued_statement();
      const Mood here = resolve_mood(orphans.front()->span);
      if (p < first_new &&
          (here == Mood::kUnmarked || here == Mood::kDirective || here == Mood::kRxForm)) {
        continue_into(p, orphans, here);
      }
    }
    if (asked.drug != kUnknownProduct && first_new == 0 && herb_amounts == 0) {
      ContinueQuestionDrug(asked.drug, out->empty() ? attributes : orphans, s);
    }
    if (!continued && out->size() == first_new && !attributes.empty() && !anaphors.empty() &&
        !out->empty() && out->back().drug != kHerbalRecipe &&
        out->back().sentence + kAnaphorReach >= s && RefersBack(out->back().mood)) {
      // "Options: 1. Clotrimazole … 2. Terbinafine …  Apply the medication once or twice a day for
      // two to four weeks": a directive whose object is "the medication" ("该药") gives the
      // schedule of the drug named last; the directive governs the reference, not the schedule's
      // hedges ("usually once or twice a day").
      const Token* anaphor = anaphors.front();
      if (as_read(resolve_mood(anaphor->span), anaphor->span) == Mood::kDirective) {
        MedicationStatement statement;
        statement.drug = out->back().drug;
        statement.drug_span = statement.span = anaphor->span;
        statement.sentence = s;
        statement.mood = Mood::kDirective;
        statement.continued = true;
        for (const Token* attribute : attributes) {
          if (in_negated_clause(attribute) || owned_by_therapy(attribute)) continue;
          Attach(&statement, *attribute, normalized, grammar);
        }
        out->push_back(statement);
      }
    }
    if (!overview_markers.empty() &&
        EndsWithColon(normalized.substr(sentence.begin, sentence.size()))) {
      overview_header_sentence = s;  // "Treatment may include:" governs the list under it
    }
    if (heading != nullptr && std::find(cues.begin(), cues.end(), heading) != cues.end()) {
      header_sentence = s;
      header_mood = heading->cue;
    } else if (EndsWithColon(normalized.substr(sentence.begin, sentence.size())) && !cues.empty()) {
      header_sentence = s;
      header_mood = cues.back()->cue;
    }
  }
  for (MedicationStatement& st : *out) {
    // "Q: 地高辛每天一片0.25mg A: 把地高辛改成一天三次，每次一片": the tablets the question names.
    if (asked.strength && st.drug == asked.drug && CountsUnitsOnly(st)) st.dose = asked.strength;
    if (CountsUnitsOnly(st) && IsLexiconDrug(st.drug) && NamedByToken(tokens, st.drug_span)) {
      st.dose = StrengthAfterName(normalized, st.drug_span, grammar.words());
    }
    FoldDailyTotal(&st);
  }
}

}  // namespace medaudit::extract
