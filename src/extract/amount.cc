// Amounts, frequencies and durations as numbers: digits, English number words, Arabic counts.
#include "extract/internal/amount.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>

#include "extract/internal/lexical.h"
#include "extract/statement.h"

namespace medaudit::extract {
namespace {

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

// Reads an English number written in words at hit[*i] ("six", "twenty-five", "four hundred",
// "two hundred and fifty", "one thousand"), advancing *i past it. False when none starts there.
bool ReadNumberWords(std::string_view hit, size_t* i, double* value) {
  const NumberWord* word = NumberWordAt(hit, *i);
  if (word == nullptr || word->value >= 100) return false;
  double total = 0, current = word->value;
  size_t end = *i + word->word.size();
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

// An Arabic count written in words (normalized spellings): "ثلاث حبات" (3), the duals "حبتين",
// "كبسولتين" (2), a singular noun "خذ حبه", "حبه واحده" (1).
// The count unit a word names: a unit spelling of the unit table ("قطره") or a count noun of the
// grammar's word list ("نقطه" → قطره, "حبايه" → حبه). Nullopt for other words.
std::optional<text::UnitInfo> CountUnit(std::string_view word, const WordLists& words) {
  auto info = text::LookupUnit(word);
  if (!info) {
    for (const auto& [noun, unit] : words.count_nouns) {
      if (word == noun) info = text::LookupUnit(unit);
    }
  }
  if (info && info->kind == text::UnitKind::kCount) return info;
  return std::nullopt;
}

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
      if (auto info = CountUnit(word, words)) unit = info;
    }
  }
  if (!unit) return std::nullopt;
  Amount amount;
  amount.unit = unit->unit;
  amount.kind = unit->kind;
  amount.low = amount.high = value > 0 ? value : 1;
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
  if (run_on == "\xD9\x8A") {  // ي: the colloquial ملي
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
  const double times = HitMultiplier(hit).value;  // "1.2 million units", "120万单位"
  amount.low *= times;
  amount.high *= times;
  return amount;
}

double ParseFrequency(std::string_view hit, const FrequencyRule& rule) {
  if (rule.per_day > 0) return rule.per_day;
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

}  // namespace medaudit::extract
