// Amounts, frequencies and durations as numbers: digits, English number words, Arabic counts.
#include "extract/internal/amount.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <iterator>
#include <string>

#include "extract/internal/lexical.h"
#include "extract/statement.h"

namespace medaudit::extract {
namespace {

using namespace std::string_view_literals;
using internal::IsDigit;
using internal::LookupAmountUnit;
using internal::Multiplier;
using internal::MultiplierAt;
using internal::Numbers;
using internal::Trim;

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

// Whether a hit opens with a strength, digits right before a mass unit word, and goes on to a
// word after it ("10 mg amlodipine tablets", "20 mg tablet" of "two of the 20 mg tablets"): its
// number is how strong each unit is, not how many units are taken.
bool OpensWithStrength(std::string_view hit) {
  size_t i = 0;
  while (i < hit.size() && (IsDigit(hit[i]) || hit[i] == '.')) ++i;
  if (i == 0) return false;
  while (i < hit.size() && hit[i] == ' ') ++i;
  size_t end = i;
  while (end < hit.size() && hit[end] != ' ') ++end;
  const auto unit = text::LookupUnit(hit.substr(i, end - i));
  return unit && unit->kind == text::UnitKind::kMass && end < hit.size();
}

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

// Where the next number word after `end` starts, past joiners (spaces, a hyphen, and "and" once a
// hundred or thousand is read). `end` itself when no joiner follows.
size_t SkipNumberJoiners(std::string_view hit, size_t end, bool after_hundreds) {
  size_t next = end;
  while (next < hit.size() && (hit[next] == ' ' || hit[next] == '-')) ++next;
  if (next == end) return end;
  if (hit.substr(next, 3) == "and" && after_hundreds) {
    size_t after = next + 3;
    while (after < hit.size() && hit[after] == ' ') ++after;
    if (after > next + 3) next = after;
  }
  return next;
}

// The whole word at hit[i] equals `word` (no letter before or after it).
bool WordAt(std::string_view hit, size_t i, std::string_view word) {
  return (i == 0 || !IsLetter(hit[i - 1])) && hit.substr(i, word.size()) == word &&
         (i + word.size() >= hit.size() || !IsLetter(hit[i + word.size()]));
}

// Past the spaces and hyphens at hit[i].
size_t SkipBlanks(std::string_view hit, size_t i) {
  while (i < hit.size() && (hit[i] == ' ' || hit[i] == '-')) ++i;
  return i;
}

// A fraction in words at hit[*i]: "half", "a half", "one-half", "a quarter", "one quarter",
// "three quarters"; *i moves past it (and past a following "a"/"an"/"of a": "half a teaspoon",
// "a quarter of a tablet"). False when none starts there.
bool ReadFractionWords(std::string_view hit, size_t* i, double* value) {
  size_t at = *i;
  double times = 1;
  if (WordAt(hit, at, "a")) {
    at = SkipBlanks(hit, at + 1);
  } else if (WordAt(hit, at, "one")) {
    at = SkipBlanks(hit, at + 3);
  } else if (WordAt(hit, at, "three")) {
    at = SkipBlanks(hit, at + 5);
    times = 3;
  }
  double fraction = 0;
  size_t end = at;
  for (const auto& [word, part] : {std::pair{"halves"sv, 0.5}, std::pair{"half"sv, 0.5},
                                   std::pair{"quarters"sv, 0.25}, std::pair{"quarter"sv, 0.25}}) {
    if (WordAt(hit, at, word)) {
      fraction = part;
      end = at + word.size();
      break;
    }
  }
  if (fraction == 0 || (times == 3 && fraction != 0.25)) return false;
  // "half a", "half an", "half of a", "a quarter of the".
  for (std::string_view tail : {" of an "sv, " of a "sv, " of the "sv, " an "sv, " a "sv}) {
    if (hit.substr(end, tail.size()) == tail) {
      end += tail.size() - 1;
      break;
    }
  }
  *value = times * fraction;
  *i = end;
  return true;
}

// "and a half", "and one half", "and a quarter" after a whole number at hit[*i]: the fraction to
// add, *i moved past it; 0 when none follows.
double TrailingFraction(std::string_view hit, size_t* i) {
  size_t at = *i;
  while (at < hit.size() && hit[at] == ' ') ++at;
  if (!WordAt(hit, at, "and")) return 0;
  size_t after = SkipBlanks(hit, at + 3);
  double fraction = 0;
  if (!WordAt(hit, after, "a") && !WordAt(hit, after, "one")) return 0;
  if (!ReadFractionWords(hit, &after, &fraction) || fraction >= 0.5 + 1e-9) return 0;
  *i = after;
  return fraction;
}

// Reads an English number written in words at hit[*i] ("six", "twenty-five", "four hundred",
// "two hundred and fifty", "one thousand", "a thousand", "one and a half", "half a", "a couple
// of"), advancing *i past it. False when none starts there.
bool ReadNumberWords(std::string_view hit, size_t* i, double* value) {
  // "a couple (of)": two.
  if (WordAt(hit, *i, "a") && WordAt(hit, SkipBlanks(hit, *i + 1), "couple")) {
    size_t end = SkipBlanks(hit, *i + 1) + 6;
    if (hit.substr(end, 3) == " of" && (end + 3 >= hit.size() || !IsLetter(hit[end + 3]))) {
      end += 3;
    }
    *value = 2;
    *i = end;
    return true;
  }
  if (ReadFractionWords(hit, i, value)) return true;
  const NumberWord* word = NumberWordAt(hit, *i);
  size_t end = 0;
  if (word == nullptr && (WordAt(hit, *i, "a") || WordAt(hit, *i, "an"))) {
    // "a hundred", "a thousand": one.
    const size_t next = SkipBlanks(hit, *i + (WordAt(hit, *i, "an") ? 2 : 1));
    const NumberWord* multiplier = NumberWordAt(hit, next);
    if (multiplier == nullptr || multiplier->value < 100) return false;
    static constexpr NumberWord kA{"a", 1};
    word = &kA;
    end = next;
    while (end > *i && hit[end - 1] == ' ') --end;
  } else {
    if (word == nullptr || word->value >= 100) return false;
    end = *i + word->word.size();
  }
  double total = 0, current = word->value;
  for (;;) {
    const size_t next = SkipNumberJoiners(hit, end, total > 0 || current >= 100);
    if (next == end) break;
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
  if (*value < 20) *value += TrailingFraction(hit, &end);  // "one and a half"
  *i = end;
  return true;
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

// Whether an amount multiplies its numbers ("2 x 500 mg", "2×500mg").
bool IsProduct(std::string_view hit) {
  return hit.find_first_of("x*") != std::string_view::npos ||
         hit.find("\xC3\x97") != std::string_view::npos;  // ×
}

// The value of an Arabic number word of the grammar's list ("خمسه" 5, "ميه" 100, "الف" 1000,
// "نص" 0.5); 0 for other words. *joined is set when the word carries the conjunction و ("وخمسين",
// "ونص"), which the list spells without.
double ArabicNumberValue(std::string_view word, const WordLists& words, bool* joined) {
  constexpr std::string_view kAnd = "\xD9\x88";  // و
  *joined = false;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [number, value] : words.arabic_numbers) {
      if (word == number) return value;
    }
    if (pass == 1 || !word.starts_with(kAnd) || word.size() <= kAnd.size()) break;
    word.remove_prefix(kAnd.size());
    *joined = true;
  }
  return 0;
}

// The unit an Arabic amount word names, also with the article ("الحبه", "المعلقه").
std::optional<text::UnitInfo> ArabicUnit(std::string_view word, const WordLists& words) {
  constexpr std::string_view kThe = "\xD8\xA7\xD9\x84";  // ال
  if (auto info = LookupAmountUnit(word, words)) return info;
  if (word.starts_with(kThe) && word.size() > kThe.size() + 2) {
    return LookupAmountUnit(word.substr(kThe.size()), words);
  }
  return std::nullopt;
}

// An Arabic number written in words, accumulated word by word: "خمسه" 5, "ميه وخمسين" 150,
// "خمس ميه" 500, "الف" 1000, "الفين وخمسميه" 2500; fractions "نص" 0.5 and "ونص" (+0.5).
struct ArabicNumber {
  double thousands = 0;
  double current = 0;
  double fraction = 0;        // a bare fraction: "نص حبه" (0.5)
  double added_fraction = 0;  // a fraction joined on: "حبه ونص" (1 + 0.5)
  bool any = false;

  void Add(double value, bool joined) {
    any = true;
    if (value < 1) {
      (joined ? added_fraction : fraction) += value;
    } else if (value < 100) {
      current += value;
    } else if (value < 1000) {
      current = value == 100 && current >= 1 && current < 10 ? current * 100 : current + value;
    } else if (value == 1000) {
      thousands += (current >= 1 ? current : 1) * 1000;
      current = 0;
    } else {
      thousands += value;
    }
  }
  // The number; `units` is what a dual or a bare singular noun counts when no whole number is
  // written (حبتين 2, حبه 1).
  double Value(double units) const {
    double whole = thousands + current;
    if (whole == 0 && units > 0) whole = fraction > 0 && units == 1 ? 0 : units;
    return whole + fraction + added_fraction;
  }
};

// An Arabic amount written in words (normalized spellings): "ثلاث حبات" (3), the duals "حبتين",
// "كبسولتين" (2), a singular noun "خذ حبه", "حبه واحده" (1), "حبه ونص" (1.5), "نص حبه" (0.5),
// "الف ملغ" (1000 mg), "خمسه مل" (5 ml). A mass or volume needs a number word.
std::optional<Amount> ParseArabicCount(std::string_view hit, const WordLists& words) {
  ArabicNumber number;
  double units = 0;
  std::optional<text::UnitInfo> unit;
  std::string_view rest = Trim(hit);
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : Trim(rest.substr(space + 1));
    bool dual = false;
    for (const auto& [dual_word, singular] : words.arabic_duals) {
      if (word == dual_word && !unit) {
        units = 2;
        unit = text::LookupUnit(singular);
        dual = true;
      }
    }
    if (dual) continue;
    // After a number, a unit word is the unit even when it also counts ("الف وحده": IU).
    if (!unit && number.any) {
      if (auto info = ArabicUnit(word, words)) {
        unit = info;
        units = 1;
        continue;
      }
    }
    bool joined = false;
    if (const double value = ArabicNumberValue(word, words, &joined); value > 0) {
      number.Add(value, joined);
      continue;
    }
    if (!unit) {
      if (auto info = ArabicUnit(word, words)) {
        unit = info;
        units = 1;
      }
    }
  }
  if (!unit) return std::nullopt;
  // A dual counts ("وحدتين": 2 IU); a lone mass or volume word is no amount.
  if (unit->kind != text::UnitKind::kCount && !number.any && units != 2) return std::nullopt;
  Amount amount;
  amount.unit = unit->unit;
  amount.kind = unit->kind;
  amount.low = amount.high = number.Value(units);
  if (amount.high <= 0) return std::nullopt;
  return amount;
}

// The multiplier word after a hit's last digit ("1.2 million units" → 1e6).
Multiplier HitMultiplier(std::string_view hit) {
  const size_t last_digit = hit.find_last_of("0123456789");
  if (last_digit == std::string_view::npos) return {};
  return MultiplierAt(Trim(hit.substr(last_digit + 1)));
}

// The unit of an amount: the word after its last digit, else (a number in words: "four hundred
// milligrams") its last word; "3 Tylenol Extra Strength tablets" ends in its unit; "take 3 every
// 4 hours": a bare number after the verb counts tablets.
std::optional<text::UnitInfo> AmountUnit(std::string_view hit, const WordLists& words) {
  const size_t last_digit = hit.find_last_of("0123456789");
  std::string_view rest;
  if (last_digit != std::string_view::npos) {
    rest = Trim(hit.substr(last_digit + 1));
    rest = Trim(rest.substr(MultiplierAt(rest).size));  // "million units", "万单位"
  } else {
    const std::string_view trimmed = Trim(hit);
    const size_t space = trimmed.find_last_of(' ');
    if (space == std::string_view::npos) return std::nullopt;
    rest = trimmed.substr(space + 1);
  }
  auto info = LookupAmountUnit(rest, words);
  if (!info) {
    const size_t space = rest.find_last_of(' ');
    if (space != std::string_view::npos) info = LookupAmountUnit(rest.substr(space + 1), words);
  }
  if (!info) {
    // An Arabizi unit word spells letters with digits ("2 7abbat"): the hit's last word.
    const std::string_view trimmed = Trim(hit);
    const size_t space = trimmed.find_last_of(' ');
    if (space != std::string_view::npos) info = LookupAmountUnit(trimmed.substr(space + 1), words);
  }
  if (!info && (hit.starts_with("take") || hit.starts_with("give") || hit.starts_with("chew") ||
                hit.starts_with("swallow"))) {
    info = text::LookupUnit("tablet");
  }
  return info;
}

// The part of an interval hit before its hour word ("4小时" of "4小时1次", "كل 6 حتي 8 " of
// "كل 6 حتي 8 سوايع"); the whole hit when no hour word follows a digit.
std::string_view HoursPart(std::string_view hit) {
  const size_t digit = hit.find_first_of("0123456789");
  if (digit == std::string_view::npos) return hit;
  size_t cut = hit.size();
  for (std::string_view word : {"\xE5\xB0\x8F\xE6\x97\xB6", "hour", "hr", "h",  // 小时
                                "\xD8\xB3\xD8\xA7\xD8\xB9",                     // ساع
                                "\xD8\xB3\xD9\x88\xD8\xA7\xD9\x8A\xD8\xB9"}) {  // سوايع
    const size_t at = hit.find(word, digit);
    if (at != std::string_view::npos) cut = std::min(cut, at);
  }
  return hit.substr(0, cut);
}

}  // namespace

namespace internal {

std::optional<double> VulgarFractionAt(std::string_view text, size_t* i) {
  constexpr std::string_view kSlash = "\xE2\x81\x84";  // U+2044
  size_t end = *i;
  while (end < text.size() && IsDigit(text[end])) ++end;
  const size_t digits = end - *i;
  if ((digits != 1 && digits != 2) || text.substr(end, kSlash.size()) != kSlash)
    return std::nullopt;
  const size_t denominator_at = end + kSlash.size();
  if (denominator_at >= text.size() || !IsDigit(text[denominator_at]) ||
      (denominator_at + 1 < text.size() && IsDigit(text[denominator_at + 1]))) {
    return std::nullopt;
  }
  const double denominator = text[denominator_at] - '0';
  const double numerator = text[end - 1] - '0';
  const double whole = digits == 2 ? text[*i] - '0' : 0;
  if (denominator == 0) return std::nullopt;
  *i = denominator_at + 1;
  return whole + numerator / denominator;
}

Multiplier MultiplierAt(std::string_view rest) {
  struct Word {
    std::string_view word;
    double value;
    bool needs_space;  // a whole word (a Chinese character needs no space after it)
  };
  static constexpr Word kWords[] = {
      {"million", 1e6, true},
      {"thousand", 1e3, true},
      {"\xE4\xB8\x87", 1e4, false},                                     // 万
      {"\xD9\x85\xD9\x84\xD9\x8A\xD9\x88\xD9\x86", 1e6, true},          // مليون
      {"\xD9\x85\xD9\x84\xD8\xA7\xD9\x8A\xD9\x8A\xD9\x86", 1e6, true},  // ملايين
      {"\xD8\xA7\xD9\x84\xD9\x81", 1e3, true},                          // الف (ألف)
      {"\xD8\xA7\xD9\x84\xD8\xA7\xD9\x81", 1e3, true}};                 // الاف (آلاف)
  for (const Word& w : kWords) {
    if (rest.starts_with(w.word) &&
        (!w.needs_space || rest.size() == w.word.size() || rest[w.word.size()] == ' ')) {
      return {w.value, w.word.size()};
    }
  }
  return {};
}

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
    // "1⁄2", "11⁄2": a vulgar fraction (½, 1½) as NFKC spells it, with U+2044 FRACTION SLASH.
    if (auto fraction = VulgarFractionAt(hit, &i)) {
      numbers.push_back(*fraction);
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
    numbers.push_back(std::strtod(digits.c_str(), nullptr) + TrailingFraction(hit, &i));
  }
  return numbers;
}

std::optional<text::UnitInfo> LookupAmountUnit(std::string_view word, const WordLists& words) {
  if (auto info = text::LookupUnit(word)) return info;
  for (const auto& [noun, unit] : words.count_nouns) {
    if (word == noun) return text::LookupUnit(unit);
  }
  return std::nullopt;
}

std::optional<Amount> InnerStrength(std::string_view hit, const WordLists& words) {
  size_t i = 0;
  while (i < hit.size() && !IsDigit(hit[i])) ++i;  // a count in words has no digit before
  if (i < hit.size() && i == 0 && !OpensWithStrength(hit)) {  // a count in digits: skip it
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

std::optional<Amount> StrengthAfterName(std::string_view normalized, const text::Span& name,
                                        const WordLists& words) {
  size_t i = name.end;
  // A space before the number; a Chinese name may run straight into it ("扶他林100").
  // (A CJK character is three bytes in UTF-8 with a lead byte from 0xE3.)
  const bool cjk_name = i >= 3 && i < normalized.size() && IsDigit(normalized[i]) &&
                        static_cast<unsigned char>(normalized[i - 3]) >= 0xE3 &&
                        static_cast<unsigned char>(normalized[i - 3]) <= 0xEF;
  // "Dolo-650": a brand of India and the Gulf that spells its strength with a hyphen.
  const bool hyphened = !cjk_name && i + 1 < normalized.size() && normalized[i] == '-' && i > 0 &&
                        IsAsciiLetter(static_cast<unsigned char>(normalized[i - 1]));
  if (!cjk_name && (i + 1 >= normalized.size() || (normalized[i] != ' ' && !hyphened) ||
                    !IsDigit(normalized[i + 1]))) {
    return std::nullopt;
  }
  if (!cjk_name) ++i;
  const size_t begin = i;
  while (i < normalized.size() && (IsDigit(normalized[i]) || normalized[i] == '.')) ++i;
  // "Doliprane 1000: one tablet …": a colon closes the name; "1:1000" is a ratio.
  const bool colon = i < normalized.size() && normalized[i] == ':' &&
                     (i + 1 >= normalized.size() || normalized[i + 1] == ' ');
  if (i < normalized.size() && !colon &&
      (IsAsciiLetterOrDigit(static_cast<unsigned char>(normalized[i])) ||
       std::string_view("%/-~:x*.").find(normalized[i]) != std::string_view::npos)) {
    return std::nullopt;
  }
  // After a Chinese name, only a pause may follow the number ("扶他林100，一天三次"): "布洛芬2片"
  // is a count.
  if (cjk_name && i < normalized.size()) {
    const std::string_view rest = normalized.substr(i);
    bool pause = rest.front() == ' ' || rest.front() == ',' || rest.front() == ';';
    for (std::string_view mark : {"，", "。", "、", "；", "）"}) pause |= rest.starts_with(mark);
    if (!pause) return std::nullopt;
  }
  std::string_view next = normalized.substr(i, 24);
  while (!next.empty() && next.front() == ' ') next.remove_prefix(1);
  next = next.substr(0, next.find(' '));
  double bare = 0;
  std::from_chars(normalized.data() + begin, normalized.data() + i, bare);
  // "بنادول ٥٠٠ حباية", "فولتارين ٥٠ قرص": the brand's strength, then one tablet (no dose counts
  // 20 tablets); "Panadol 2 tablets" counts.
  if (!next.empty()) {
    if (auto unit = LookupAmountUnit(next, words);
        unit && !(unit->kind == text::UnitKind::kCount && bare >= 20)) {
      return std::nullopt;
    }
  }
  // "Ventolin 6 times last week", "الفنتولين ٦ مرات": the number counts occasions or a period.
  for (std::string_view counted :
       {"times", "time", "days", "day", "weeks", "hours", "months", "years",
        "\xD9\x85\xD8\xB1\xD8\xA7\xD8\xAA",          // مرات
        "\xD9\x85\xD8\xB1\xD9\x87",                  // مره
        "\xD8\xA7\xD9\x8A\xD8\xA7\xD9\x85",          // ايام
        "\xD9\x8A\xD9\x88\xD9\x85",                  // يوم
        "\xD8\xB3\xD8\xA7\xD8\xB9\xD8\xA7\xD8\xAA",  // ساعات
        "\xD8\xB3\xD9\x86\xD9\x8A\xD9\x86"}) {       // سنين
    if (next == counted) return std::nullopt;
  }
  // "loperamide 10 to 12 capsules": the number opens a range of a count, no strength.
  // (Arabic as normalized: الي, او, حتي.)
  for (std::string_view joiner :
       {"to", "or", "\xD8\xA7\xD9\x84\xD9\x8A", "\xD8\xA7\xD9\x88", "\xD8\xAD\xD8\xAA\xD9\x8A"}) {
    if (next == joiner) return std::nullopt;
  }
  Amount amount;
  double value = 0;
  std::from_chars(normalized.data() + begin, normalized.data() + i, value);
  if (value <= 0) return std::nullopt;
  amount.low = amount.high = value;
  return amount;
}

std::optional<Amount> CombinationStrengthAfterName(std::string_view normalized,
                                                   const text::Span& name) {
  size_t i = name.end;
  while (i < normalized.size() && normalized[i] == ' ') ++i;
  std::vector<double> parts;
  for (;;) {
    const size_t begin = i;
    while (i < normalized.size() && (IsDigit(normalized[i]) || normalized[i] == '.')) ++i;
    double value = 0;
    if (i == begin || std::from_chars(normalized.data() + begin, normalized.data() + i, value).ec !=
                          std::errc{}) {
      return std::nullopt;
    }
    parts.push_back(value);
    if (i < normalized.size() && normalized[i] == '/' && parts.size() < 3) {
      ++i;
      continue;
    }
    break;
  }
  // A letter or digit right after the last number must be a mass unit ("30/500mg").
  size_t word_end = i;
  while (word_end < normalized.size() &&
         IsAsciiLetter(static_cast<unsigned char>(normalized[word_end]))) {
    ++word_end;
  }
  if (word_end > i) {
    const auto unit = text::LookupUnit(normalized.substr(i, word_end - i));
    if (!unit || unit->unit != text::Unit::kMg) return std::nullopt;
  }
  if (parts.size() < 2) return std::nullopt;
  const double strength = *std::max_element(parts.begin(), parts.end());
  if (strength <= 0) return std::nullopt;
  return Amount{strength, strength, text::Unit::kMg, text::UnitKind::kMass};
}

std::optional<ArabicMilli> ReadArabicMilli(std::string_view normalized, const text::Span& hit,
                                           const WordLists& words) {
  constexpr std::string_view kMl = "\xD9\x85\xD9\x84";  // مل
  if (hit.end > normalized.size() || hit.begin >= hit.end) return std::nullopt;
  const std::string_view spelled = normalized.substr(hit.begin, hit.size());
  if (!spelled.ends_with(kMl)) return std::nullopt;
  // The letters the unit runs on into (Arabic letters U+0621–U+064A, two bytes each).
  const std::string_view after = normalized.substr(hit.end);
  size_t tail = 0;
  while (tail + 1 < after.size()) {
    const auto lead = static_cast<unsigned char>(after[tail]);
    const auto next = static_cast<unsigned char>(after[tail + 1]);
    const unsigned code = ((lead & 0x1Fu) << 6) | (next & 0x3Fu);
    if ((lead != 0xD8 && lead != 0xD9) || code < 0x621 || code > 0x64A) break;
    tail += 2;
  }
  const std::string_view run_on = after.substr(0, tail);
  if (run_on == "\xD9\x8A\xD9\x88\xD9\x86" ||          // يون: مليون
      run_on == "\xD8\xA7\xD9\x8A\xD9\x8A\xD9\x86") {  // ايين: ملايين
    std::string millions(spelled.substr(0, spelled.size() - kMl.size()));
    millions +=
        "\xD9\x85\xD9\x84\xD9\x8A\xD9\x88\xD9\x86 \xD9\x88\xD8\xAD\xD8\xAF\xD9\x87";  // مليون وحده
    auto amount = ParseAmount(millions, words);
    if (!amount) return std::nullopt;
    return ArabicMilli{*amount, false};
  }
  if (run_on == "\xD9\x8A") {
    auto amount = ParseAmount(spelled, words);
    if (!amount || amount->unit != text::Unit::kMl) return std::nullopt;
    // "ملي لتر" / "ملي غرام" written apart say which milli it is.
    const std::string_view next = Trim(after.substr(tail));
    for (std::string_view litre :
         {"\xD9\x84\xD8\xAA\xD8\xB1", "\xD9\x84\xD9\x8A\xD8\xAA\xD8\xB1"}) {
      if (next.starts_with(litre)) return ArabicMilli{*amount, false};  // لتر, ليتر
    }
    for (std::string_view gram :
         {"\xD8\xBA\xD8\xB1\xD8\xA7\xD9\x85", "\xD8\xAC\xD8\xB1\xD8\xA7\xD9\x85"}) {
      if (next.starts_with(gram)) {  // غرام, جرام
        amount->unit = text::Unit::kMg;
        amount->kind = text::UnitKind::kMass;
        return ArabicMilli{*amount, false};
      }
    }
    return ArabicMilli{*amount, true};
  }
  return std::nullopt;
}

}  // namespace internal

double Amount::HighInBase() const {
  switch (unit) {
    case text::Unit::kG:
      return high * 1000;
    case text::Unit::kMcg:
      return high / 1000;
    case text::Unit::kKg:
      return high * 1e6;
    case text::Unit::kL:
      return high * 1000;
    case text::Unit::kGrain:
    case text::Unit::kTeaspoon:
    case text::Unit::kTablespoon:
      return high * text::ToBase(unit);
    default:
      return high;
  }
}

std::optional<double> MedicationStatement::DailyMg() const {
  if (!dose || dose->kind != text::UnitKind::kMass || per_day <= 0 || dose_per_kg) {
    return std::nullopt;
  }
  const double count = count_dose ? count_dose->high : 1;
  return dose->HighInBase() * count * per_day;
}

std::optional<Amount> ParseAmount(std::string_view hit) {
  static const WordLists kNoWords;
  return ParseAmount(hit, kNoWords);
}

namespace {

// Arabizi amounts with no number of their own: a dual ("7abbteen", "2orsein": two tablets) or a
// singular unit after the verb ("5od 7abba": one). The verb's and the unit's digits are letters.
std::optional<Amount> ParseArabiziCount(std::string_view hit) {
  static constexpr std::string_view kDuals[] = {"7abbteen", "7abteen",   "7abbiteen", "7abbeten",
                                                "7abbten",  "7abbetein", "habbteen",  "2orsein",
                                                "2orseen",  "2orsin",    "ersein"};
  static constexpr std::string_view kVerbs[] = {"5od ",   "5odi ", "khod ",
                                                "khodi ", "5ud ",  "5oud "};
  const std::string_view trimmed = Trim(hit);
  for (std::string_view dual : kDuals) {
    if (trimmed == dual) return Amount{2, 2, text::Unit::kTablet, text::UnitKind::kCount};
  }
  for (std::string_view verb : kVerbs) {
    if (!trimmed.starts_with(verb)) continue;
    if (auto info = text::LookupUnit(Trim(trimmed.substr(verb.size())))) {
      if (info->kind == text::UnitKind::kCount) return Amount{1, 1, info->unit, info->kind};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Amount> ParseAmount(std::string_view hit, const WordLists& words) {
  if (auto arabizi = ParseArabiziCount(hit)) return arabizi;
  auto numbers = Numbers(hit);
  if (numbers.empty()) return ParseArabicCount(hit, words);
  // "Dolo 650 - 2 tabs": a spaced dash after a larger number closes a strength written with the
  // name; no range runs downwards. The amount is what follows the dash.
  if (const size_t dash = hit.find(" - "); dash != std::string_view::npos && numbers.size() == 2 &&
                                           numbers[1] < numbers[0] && IsDigit(hit.front())) {
    return ParseAmount(hit.substr(dash + 3), words);
  }
  // "four 2.5 mg tablets": two numbers not joined as a range are a count and a strength; the
  // count comes first. ("1-2 tablets", "2 to 3 g" are ranges; "2 x 500 mg" is a product.)
  if (numbers.size() >= 2 && !IsRange(hit) && !IsProduct(hit)) {
    numbers.erase(numbers.begin() + 1, numbers.end());
  }
  const auto info = AmountUnit(hit, words);
  if (!info) return std::nullopt;
  Amount amount;
  amount.unit = info->unit;
  amount.kind = info->kind;
  if (IsProduct(hit) && numbers.size() >= 2) {
    amount.low = amount.high = numbers[0] * numbers[1];
  } else {
    amount.low = numbers.front();
    amount.high = numbers.size() >= 2 ? std::max(numbers[0], numbers[1]) : numbers.front();
  }
  // "the 10 mg amlodipine tablets": one unit of that strength (how many, the words before the
  // hit say).
  if (amount.kind == text::UnitKind::kCount && numbers.size() == 1 && OpensWithStrength(hit)) {
    amount.low = amount.high = 1;
  }
  // "gr" is the grain of US labels ("aspirin 5 gr", "10 gr") and the gram of French and Arabic
  // writers ("Doliprane 1 gr", "0.5 gr"): no grain dose is written below 1/4 nor a gram dose of
  // 5 or more, so a whole 5 and over is grains, less is grams.
  if (amount.unit == text::Unit::kGrain && hit.find("grain") == std::string_view::npos &&
      amount.high < 4.5) {
    amount.unit = text::Unit::kG;
  }
  const double times = HitMultiplier(hit).value;  // "1.2 million units", "120万单位"
  amount.low *= times;
  amount.high *= times;
  return amount;
}

namespace {

// Arabizi writes letters with digits inside and at the end of its words ("sa3at" hours, "osbo3"
// week, "wa7da" one): a digit right after two Latin letters is such a letter, not a number
// ("q8h" and "x7" keep theirs).
std::string WithoutLetterDigits(std::string_view hit) {
  std::string out(hit);
  auto letter = [](char c) { return c >= 'a' && c <= 'z'; };
  for (size_t i = 2; i < out.size(); ++i) {
    if (out[i] >= '0' && out[i] <= '9' && letter(out[i - 1]) && letter(out[i - 2])) out[i] = 'a';
  }
  return out;
}

}  // namespace

namespace internal {

std::optional<std::vector<double>> ReadSlots(std::string_view hit) {
  std::vector<double> slots;
  size_t i = 0;
  for (;;) {
    while (i < hit.size() && hit[i] == ' ') ++i;
    if (i >= hit.size() || !IsDigit(hit[i])) return std::nullopt;
    double value = 0;
    if (auto fraction = VulgarFractionAt(hit, &i)) {
      value = *fraction;
    } else {
      const size_t begin = i;
      while (i < hit.size() && (IsDigit(hit[i]) || hit[i] == '.' || hit[i] == '/')) ++i;
      const std::string_view part = hit.substr(begin, i - begin);
      const size_t slash = part.find('/');
      if (slash != std::string_view::npos) {  // "1/2-0-1/2"
        const double numerator = std::strtod(std::string(part.substr(0, slash)).c_str(), nullptr);
        const double denominator =
            std::strtod(std::string(part.substr(slash + 1)).c_str(), nullptr);
        if (denominator <= 0) return std::nullopt;
        value = numerator / denominator;
      } else {
        value = std::strtod(std::string(part).c_str(), nullptr);
      }
    }
    slots.push_back(value);
    while (i < hit.size() && hit[i] == ' ') ++i;
    if (i >= hit.size()) break;
    if (hit[i] != '-' && hit[i] != '+') return std::nullopt;
    ++i;
  }
  if (slots.size() < 3 || slots.size() > 4) return std::nullopt;
  return slots;
}

}  // namespace internal

double ParseFrequency(std::string_view raw, const FrequencyRule& rule) {
  if (rule.per_day > 0) return rule.per_day;
  // Morning-noon-night slots ("1-0-1", "2-2-2-2", "½-0-½", "1+1+1"): the administrations are the
  // slots with an amount in them.
  if (rule.count) {
    if (auto slots = internal::ReadSlots(raw)) {
      return static_cast<double>(
          std::count_if(slots->begin(), slots->end(), [](double v) { return v > 0; }));
    }
  }
  const std::string scrubbed = WithoutLetterDigits(raw);
  const std::string_view hit = scrubbed;
  const auto numbers = Numbers(hit);
  if (numbers.empty()) return 0;
  if (rule.interval_hours) {
    // "4小时1次", "隔4小时1次": the count after the hours is no interval.
    auto interval = Numbers(HoursPart(hit));
    if (interval.empty()) interval = numbers;
    const double hours = *std::min_element(interval.begin(), interval.end());
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
  // Clinical shorthand: "x5/7" five days, "x 1/52" one week, "for 2/12" two months.
  if (const size_t slash = hit.find('/');
      slash != std::string_view::npos && slash > 0 && IsDigit(hit[slash - 1])) {
    size_t begin = slash;
    while (begin > 0 && (IsDigit(hit[begin - 1]) || hit[begin - 1] == '.')) --begin;
    const double count =
        std::strtod(std::string(hit.substr(begin, slash - begin)).c_str(), nullptr);
    const std::string_view base = Trim(hit.substr(slash + 1));
    if (base == "7") return count;
    if (base == "52") return count * 7;
    if (base == "12") return count * 30;
  }
  auto numbers = Numbers(WithoutLetterDigits(hit));
  if (numbers.empty()) {
    // "لمده خمس ايام": a count in Arabic words (as normalized).
    static constexpr std::pair<std::string_view, double> kArabicCounts[] = {
        {"\xD8\xAA\xD9\x84\xD8\xA7\xD8\xAA", 3},          // تلات
        {"\xD8\xAB\xD9\x84\xD8\xA7\xD8\xAB", 3},          // ثلاث
        {"\xD8\xA7\xD8\xB1\xD8\xA8\xD8\xB9", 4},          // اربع
        {"\xD8\xAE\xD9\x85\xD8\xB3", 5},                  // خمس
        {"\xD8\xB3\xD8\xAA", 6},                          // ست
        {"\xD8\xB3\xD8\xA8\xD8\xB9", 7},                  // سبع
        {"\xD8\xAA\xD9\x85\xD9\x86", 8},                  // تمن
        {"\xD8\xAA\xD9\x85\xD8\xA7\xD9\x86\xD9\x8A", 8},  // تماني
        {"\xD8\xAB\xD9\x85\xD8\xA7\xD9\x86\xD9\x8A", 8},  // ثماني
        {"\xD8\xB9\xD8\xB4\xD8\xB1", 10}};                // عشر
    size_t i = 0;
    while (i < hit.size()) {
      const size_t end = std::min(hit.find(' ', i), hit.size());
      std::string_view word = hit.substr(i, end - i);
      if (word.ends_with("\xD9\x87")) word.remove_suffix(2);  // the ه of تلاته, خمسه
      if (word.ends_with("\xD8\xA9")) word.remove_suffix(2);
      for (const auto& [spelled, value] : kArabicCounts) {
        if (word == spelled) numbers.push_back(value);
      }
      i = end + 1;
    }
  }
  double n = numbers.empty() ? 1 : numbers.back();
  auto has = [&](std::string_view s) { return hit.find(s) != std::string_view::npos; };
  if (has("اسبوعين")) return 14;
  if (has("يومين")) return 2;
  // (Also in French, romanised Hindi and Arabizi: "2 semaines", "2 hafte", "2 osbo3".)
  static constexpr std::string_view kWeeks[] = {"week",   "wk",      "周",     "星期",   "اسبوع",
                                                "اسابيع", "semaine", "hafta",  "hafte",  "osbo3",
                                                "esbo3",  "usbu3",   "esbou3", "osbou3", "asabi3"};
  static constexpr std::string_view kMonths[] = {
      "month", "月", "شهر", "اشهر", "mois", "shahr", "sha7r", "mahina", "mahine", "shhor", "sh7or"};
  if (std::any_of(std::begin(kWeeks), std::end(kWeeks), has)) return n * 7;
  if (std::any_of(std::begin(kMonths), std::end(kMonths), has)) return n * 30;
  return n;
}

}  // namespace medaudit::extract
