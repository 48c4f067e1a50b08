// Attributes into statements: amounts (and their restatements and day totals), frequencies,
// durations and routes; and the last pass that completes strengths and day totals.
#include "extract/internal/attach.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "extract/internal/amount.h"
#include "extract/internal/lexical.h"

namespace medaudit::extract {
namespace {

using internal::EndsWithAny;
using internal::Extend;
using internal::FindLast;
using internal::StartsWithAny;
using internal::Trim;

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
// tablets (10 mg)", "1000 mg (2 tablets)", "3片（7.5毫克）"), one a count and the other not, or a
// volume and its mass ("10 ml (240 mg)"), and the parenthesis does not say the amount is per unit
// ("(500 mg each)", "(每片0.5mg)").
bool RestatesInParentheses(std::string_view normalized, const text::Span& a, const text::Span& b,
                           const WordLists& words) {
  if (b.begin < a.end) return false;
  if (!RestatingGap(normalized.substr(a.end, b.begin - a.end), words)) return false;
  const auto ka = ParseAmount(normalized.substr(a.begin, a.size()), words);
  const auto kb = ParseAmount(normalized.substr(b.begin, b.size()), words);
  if (!ka || !kb) return false;
  const bool volume_as_mass =  // "10 ml (240 mg)": the mass of the volume
      ka->kind == text::UnitKind::kVolume && kb->kind == text::UnitKind::kMass;
  if ((ka->kind == text::UnitKind::kCount) == (kb->kind == text::UnitKind::kCount) &&
      !volume_as_mass) {
    return false;
  }
  const bool parenthesis =
      normalized.substr(a.end, b.begin - a.end).find('(') != std::string_view::npos;
  const size_t close = parenthesis ? normalized.find(')', b.end) : b.end + 8;
  const std::string_view rest = normalized.substr(
      b.end, close == std::string_view::npos ? 0 : std::min<size_t>(close - b.end, 24));
  return std::none_of(words.per_unit.begin(), words.per_unit.end(),
                      [&](const std::string& w) { return rest.find(w) != std::string_view::npos; });
}

// Whether the amount at `at` is stated as a total for the day: followed by "a day", "over the
// day", "في اليوم" (past a parenthesis: "16 حبه (8 ملغ) في اليوم"), or preceded in its clause
// by 一天共 / 一天最多 / 每日总量 ("一天最多可以吃到16片").
bool StatesDayTotal(std::string_view normalized, const text::Span& at, const WordLists& words) {
  std::string_view after = normalized.substr(at.end, 48);
  // The alef of an Arabic accusative ending (tanween, its mark folded away) closes the unit
  // noun: "12 قرصا في اليوم" is "12 قرص" and then "في اليوم".
  constexpr std::string_view kTanweenAlef = "\xD8\xA7";
  if (after.starts_with(kTanweenAlef) &&
      (after.size() == kTanweenAlef.size() || after[kTanweenAlef.size()] == ' ')) {
    after.remove_prefix(kTanweenAlef.size());
  }
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
    const size_t cut = FindLast(before, boundary);
    if (cut != std::string_view::npos) before.remove_prefix(cut + boundary.size());
  }
  return std::any_of(
      words.day_total_before.begin(), words.day_total_before.end(),
      [&](const std::string& w) { return before.find(w) != std::string_view::npos; });
}

// Whether the amount at `at` replaces one read before it: the amount of every administration
// ("首次1毫克…每次0.5毫克", "each time 500 mg", "كل مره 500 ملغ") or a new amount ("go up to 20
// mg", "加到20毫克").
bool ReplacesAmount(std::string_view normalized, const text::Span& at, const WordLists& words) {
  // (32 bytes: the Arabic "زود الجرعه الي" takes 27.)
  const uint32_t from = at.begin > 32 ? at.begin - 32 : 0;
  std::string_view before = normalized.substr(from, at.begin - from);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return EndsWithAny(before, words.per_time) || EndsWithAny(before, words.raise_to);
}

// Keeps the larger of a statement's day total and `total`.
void KeepDailyTotal(MedicationStatement* statement, const Amount& total) {
  if (!statement->daily_total || statement->daily_total->HighInBase() < total.HighInBase()) {
    statement->daily_total = total;
  }
}

// A fraction whose denominator opens an amount hit: the scan reads "2 tab" of "1/2 tab", "1⁄2
// tab" (½ as NFKC spells it) and "11⁄2 tabs" (1½). The amount's value is then the fraction.
void ReadFractionBefore(std::string_view normalized, const text::Span& at, Amount* amount) {
  if (amount->low != amount->high || amount->high < 2 || amount->high > 4) return;
  const std::string_view before = normalized.substr(0, at.begin);
  constexpr std::string_view kFractionSlash = "\xE2\x81\x84";  // U+2044
  size_t slash = 0;
  if (before.ends_with("/")) {
    slash = before.size() - 1;
  } else if (before.ends_with(kFractionSlash)) {
    slash = before.size() - kFractionSlash.size();
  } else {
    return;
  }
  size_t begin = slash;
  while (begin > 0 && internal::IsDigit(before[begin - 1])) --begin;
  if (begin == slash || (begin > 0 && (before[begin - 1] == '/' || before[begin - 1] == '.'))) {
    return;  // "1/2/2024", "2.1/2"
  }
  size_t i = 0;
  std::string spelled(before.substr(begin, slash - begin));
  spelled += kFractionSlash;
  spelled += normalized.substr(at.begin, 1);
  // "11/2 tab" with an ASCII slash is eleven halves nobody writes; read one digit only.
  if (before.substr(slash, 1) == "/" && slash - begin != 1) return;
  const auto value = internal::VulgarFractionAt(spelled, &i);
  if (!value || *value <= 0) return;
  double whole = 0;  // "1 1/2 tablets"
  if (begin >= 2 && before[begin - 1] == ' ' && internal::IsDigit(before[begin - 2]) &&
      (begin < 3 || !internal::IsDigit(before[begin - 3]))) {
    whole = before[begin - 2] - '0';
  }
  amount->low = amount->high = whole + *value;
}

bool IsDigitAt(std::string_view text, size_t i) {
  return i < text.size() && internal::IsDigit(text[i]);
}

// Skips spaces (and a Latin "of ", an Arabic "من ") at the front of `text`.
std::string_view SkipSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

bool StartsWithOneOf(std::string_view text, std::span<const std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.starts_with(w); });
}

bool EndsWithOneOf(std::string_view text, std::span<const std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.ends_with(w); });
}

// The text of the clause before byte `at`, at most `window` bytes back: cut after the last comma,
// semicolon, colon, full stop or line break.
std::string_view ClauseBefore(std::string_view normalized, uint32_t at, uint32_t window) {
  const uint32_t from = at > window ? at - window : 0;
  std::string_view before = normalized.substr(from, at - from);
  for (std::string_view boundary : {",", ";", ":", "\n", ". ", "\xE3\x80\x82", "\xEF\xBC\x9B"}) {
    const size_t cut = FindLast(before, boundary);
    if (cut != std::string_view::npos) before.remove_prefix(cut + boundary.size());
  }
  return before;
}

// A volume of the water, milk or juice a medicine is mixed or dissolved in ("one sachet in 200 ml
// of water", "用温开水100ml冲服", "في ٢٠٠ مل من الماء"): the vehicle, not the dose.
bool VehicleVolume(std::string_view normalized, const text::Span& at) {
  static constexpr std::string_view kAfter[] = {
      "of water",
      "of warm water",
      "of cool",
      "of cold water",
      "of boiled",
      "of tap water",
      "of milk",
      "of juice",
      "of breast milk",
      "water",
      "warm water",
      "cooled boiled",
      "milk",
      "juice",
      "\xE6\xB8\xA9\xE5\xBC\x80\xE6\xB0\xB4",                               // 温开水
      "\xE6\xB8\xA9\xE6\xB0\xB4",                                           // 温水
      "\xE5\x87\x89\xE5\xBC\x80\xE6\xB0\xB4",                               // 凉开水
      "\xE5\xBC\x80\xE6\xB0\xB4",                                           // 开水
      "\xE6\xB8\x85\xE6\xB0\xB4",                                           // 清水
      "\xE7\x9A\x84\xE6\xB0\xB4",                                           // 的水
      "\xE7\x9A\x84\xE6\xB8\xA9",                                           // 的温(开)水
      "\xE6\xB0\xB4\xE4\xB8\xAD",                                           // 水中
      "\xE6\xB0\xB4\xE9\x87\x8C",                                           // 水里
      "\xE6\xB0\xB4\xE5\x86\xB2",                                           // 水冲
      "\xE6\xB0\xB4\xE6\xBA\xB6",                                           // 水溶
      "\xE7\x89\x9B\xE5\xA5\xB6",                                           // 牛奶
      "\xE6\x9E\x9C\xE6\xB1\x81",                                           // 果汁
      "\xD9\x85\xD8\xA7\xD8\xA1",                                           // ماء
      "\xD9\x85\xD9\x86 \xD8\xA7\xD9\x84\xD9\x85\xD8\xA7\xD8\xA1",          // من الماء
      "\xD9\x85\xD9\x86 \xD9\x85\xD8\xA7\xD8\xA1",                          // من ماء
      "\xD9\x85\xD9\x8A\xD8\xA7\xD9\x87",                                   // مياه
      "\xD8\xAD\xD9\x84\xD9\x8A\xD8\xA8",                                   // حليب
      "\xD9\x85\xD9\x86 \xD8\xA7\xD9\x84\xD8\xAD\xD9\x84\xD9\x8A\xD8\xA8",  // من الحليب
      "\xD8\xB9\xD8\xB5\xD9\x8A\xD8\xB1",                                   // عصير
  };
  static constexpr std::string_view kBefore[] = {
      "\xE6\xB8\xA9\xE5\xBC\x80\xE6\xB0\xB4",  // 温开水
      "\xE6\xB8\xA9\xE6\xB0\xB4",              // 温水
      "\xE5\x87\x89\xE5\xBC\x80\xE6\xB0\xB4",  // 凉开水
      "\xE7\x99\xBD\xE5\xBC\x80\xE6\xB0\xB4",  // 白开水
      "\xE6\xB8\x85\xE6\xB0\xB4",              // 清水
      "\xE5\x8A\xA0\xE6\xB0\xB4",              // 加水
      "\xE5\x85\x91\xE6\xB0\xB4",              // 兑水
  };
  const std::string_view after = SkipSpaces(normalized.substr(at.end, 40));
  if (StartsWithOneOf(after, kAfter)) {
    // A Latin word must end there: "water" is not "watery".
    for (std::string_view w : kAfter) {
      if (!after.starts_with(w)) continue;
      if (after.size() == w.size() || !internal::IsAsciiLetter(after[w.size()]) ||
          !internal::IsAsciiLetter(w.back())) {
        return true;
      }
    }
  }
  std::string_view before = normalized.substr(0, at.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return EndsWithOneOf(before, kBefore);
}

// A measurement, not an amount given: an amount per decilitre or per minute ("blood sugar 250
// mg/dL", "creatinine clearance 30 ml/min", "eGFR 28 ml/min/1.73m2", "肌酐清除率30ml/min",
// "التصفية ٣٠ مل/دقيقة"). A sliding scale or a renal band quotes readings beside the doses.
bool ReadingAmount(std::string_view normalized, const text::Span& at) {
  static constexpr std::string_view kPer[] = {
      "/dl",
      "/ dl",
      "/min",
      "/ min",
      "per dl",
      "per decilit",
      "per minute",
      "/1.73",
      "/\xE5\x88\x86",                               // /分(钟)
      "/\xD8\xAF\xD9\x82\xD9\x8A\xD9\x82\xD9\x87",   // /دقيقه
      "/ \xD8\xAF\xD9\x82\xD9\x8A\xD9\x82\xD9\x87",  // / دقيقه
      "/\xD8\xAF\xD8\xB3\xD9\x8A",                   // /دسي(لتر)
      "/\xD8\xAF\xD9\x84",                           // /دل
  };
  const std::string_view after = SkipSpaces(normalized.substr(at.end, 24));
  return StartsWithOneOf(after, kPer);
}

// The amount stands in the clause of the regimen being replaced ("300 mg once a day instead of
// 300 mg three times a day", "而不是每天3次", "بدلا من ٣ مرات"): it is the old regimen, not the
// statement's.
bool InReplacedClause(std::string_view normalized, const text::Span& at) {
  static constexpr std::string_view kInstead[] = {
      "instead of",
      "rather than",
      "in place of",
      "\xE8\x80\x8C\xE4\xB8\x8D\xE6\x98\xAF",               // 而不是
      "\xE8\x80\x8C\xE9\x9D\x9E",                           // 而非
      "\xE4\xB8\x8D\xE5\x86\x8D\xE6\x98\xAF",               // 不再是
      "\xD8\xA8\xD8\xAF\xD9\x84\xD8\xA7 \xD9\x85\xD9\x86",  // بدلا من
      "\xD8\xA8\xD8\xAF\xD9\x84 \xD9\x85\xD9\x86",          // بدل من
      "\xD8\xA8\xD8\xAF\xD9\x84 \xD9\x85\xD8\xA7",          // بدل ما
      "\xD8\xB9\xD9\x88\xD8\xB6\xD8\xA7 \xD8\xB9\xD9\x86",  // عوضا عن
  };
  // The replaced regimen follows the cue closely ("instead of 300 mg three times a day"); a new
  // instruction after it ("instead of it start losartan 50 mg") is the statement's own.
  const std::string_view clause = ClauseBefore(normalized, at.begin, 48);
  return std::any_of(std::begin(kInstead), std::end(kInstead), [&](std::string_view w) {
    const size_t found = FindLast(clause, w);
    return found != std::string_view::npos && clause.size() - (found + w.size()) <= 16;
  });
}

// "from 20 units to 18 units", "从20单位减到18单位", "من ٢٠ وحدة الى ١٨ وحدة": the amount after
// "to" is the new one; `previous` is the amount after "from".
bool FromTo(std::string_view normalized, const text::Span& previous, const text::Span& at) {
  static constexpr std::string_view kFrom[] = {
      "from", "\xE4\xBB\x8E" /* 从 */, "\xE7\x94\xB1" /* 由 */, "\xD9\x85\xD9\x86" /* من */};
  static constexpr std::string_view kTo[] = {" to",
                                             "\xE5\x88\xB0" /* 到 */,
                                             "\xE8\x87\xB3" /* 至 */,
                                             "\xE4\xB8\xBA" /* 为 */,
                                             "\xE6\x88\x90" /* 成 */,
                                             " \xD8\xA7\xD9\x84\xD9\x8A" /* الي */};
  if (previous.size() == 0 || at.begin < previous.end || at.begin - previous.end > 32) return false;
  std::string_view gap = normalized.substr(previous.end, at.begin - previous.end);
  if (internal::CrossesClause(gap)) return false;
  while (!gap.empty() && gap.back() == ' ') gap.remove_suffix(1);
  const std::string spaced = " " + std::string(gap);
  if (!EndsWithOneOf(spaced, kTo)) return false;
  std::string_view before = normalized.substr(0, previous.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  const uint32_t from = before.size() > 24 ? before.size() - 24 : 0;
  before = before.substr(from);
  for (std::string_view w : kFrom) {
    if (!before.ends_with(w)) continue;
    // A whole Latin word ("from", not "therefrom"); Chinese and Arabic need no boundary here.
    const size_t start = before.size() - w.size();
    if (start == 0 || !internal::IsAsciiLetter(w.front()) ||
        !internal::IsAsciiLetter(before[start - 1])) {
      return true;
    }
  }
  return false;
}

// "from 20 to 18 units": a range hit opened by "from" is a change from its first number to its
// last; the last is the amount.
bool OpensWithFrom(std::string_view normalized, const text::Span& at) {
  std::string_view before = normalized.substr(0, at.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return (before.ends_with(" from") || before == "from" ||
          before.ends_with("\xE4\xBB\x8E") /* 从 */ ||
          before.ends_with(" \xD9\x85\xD9\x86") /* من */);
}

// How a dose is weighed against the body: per kilogram ("10 mg/kg", "15 mg per kg", "每公斤体重
// 10mg", "١٠ ملغ/كغ", "١٠ ملغ لكل كيلوغرام"), and per kilogram per day ("90 mg/kg/day",
// "50mg/kg/天", "每日每公斤体重40mg", "ملغ/كغ/يوم").
enum class PerKg : uint8_t { kNone, kDose, kDay };
constexpr double kPoundsPerKg = 2.20462;

// A dose per pound of body weight ("5 mg/lb", "10 mg per pound", "每磅体重5毫克", "لكل رطل") is
// one per kilogram 2.2 times as large: *per_pound is set for it.
PerKg PerKgAt(std::string_view normalized, const text::Span& at, bool* per_pound) {
  static constexpr std::string_view kLbAfter[] = {
      "/lb",
      "/ lb",
      "per lb",
      "per pound",
      "a pound",
      "for each pound",
      "for every pound",
      "of body weight per pound",
      "\xE6\xAF\x8F\xE7\xA3\x85",                                           // 每磅
      "/\xE7\xA3\x85",                                                      // /磅
      "/\xD8\xB1\xD8\xB7\xD9\x84",                                          // /رطل
      "\xD9\x84\xD9\x83\xD9\x84 \xD8\xB1\xD8\xB7\xD9\x84",                  // لكل رطل
      "\xD9\x84\xD9\x83\xD9\x84 \xD8\xA8\xD8\xA7\xD9\x88\xD9\x86\xD8\xAF",  // لكل باوند
  };
  static constexpr std::string_view kKgAfter[] = {
      "/kg",
      "/ kg",
      "per kg",
      "per kilogram",
      "a kg",
      "/kilogram",
      "\xE6\xAF\x8F\xE5\x85\xAC\xE6\x96\xA4",  // 每公斤
      "/\xE5\x85\xAC\xE6\x96\xA4",             // /公斤
      "/\xE5\x8D\x83\xE5\x85\x8B",             // /千克
      "/\xD9\x83\xD8\xBA",                     // /كغ
      "/\xD9\x83\xD8\xAC\xD9\x85",             // /كجم
      "/\xD9\x83\xD9\x8A\xD9\x84\xD9\x88",     // /كيلو
      "\xD9\x84\xD9\x83\xD9\x84 \xD9\x83",  // لكل ك (كغ, كجم, كيلو, كيلوغرام)
  };
  static constexpr std::string_view kDayAfter[] = {
      "/day",
      "/d ",
      "/d,",
      "/d.",
      "/24h",
      "/24 h",
      "per day",
      "a day",
      "daily",
      "each day",
      "/\xE5\xA4\xA9",                                              // /天
      "/\xE6\x97\xA5",                                              // /日
      "\xE6\xAF\x8F\xE5\xA4\xA9",                                   // 每天
      "\xE6\xAF\x8F\xE6\x97\xA5",                                   // 每日
      "/\xD9\x8A\xD9\x88\xD9\x85",                                  // /يوم
      "/\xD8\xA7\xD9\x84\xD9\x8A\xD9\x88\xD9\x85",                  // /اليوم
      "\xD9\x8A\xD9\x88\xD9\x85\xD9\x8A\xD8\xA7",                   // يوميا
      "\xD9\x81\xD9\x8A \xD8\xA7\xD9\x84\xD9\x8A\xD9\x88\xD9\x85",  // في اليوم
      "\xD8\xA8\xD8\xA7\xD9\x84\xD9\x8A\xD9\x88\xD9\x85",           // باليوم
  };
  static constexpr std::string_view kKgBefore[] = {
      "\xE6\xAF\x8F\xE5\x85\xAC\xE6\x96\xA4",  // 每公斤
      "\xE6\xAF\x8F\xE5\x8D\x83\xE5\x85\x8B",  // 每千克
      "\xE6\xAF\x8F"
      "kg",  // 每kg
  };
  static constexpr std::string_view kDayBefore[] = {
      "\xE6\xAF\x8F\xE6\x97\xA5",  // 每日
      "\xE6\xAF\x8F\xE5\xA4\xA9",  // 每天
      "\xE4\xB8\x80\xE6\x97\xA5",  // 一日
      "\xE4\xB8\x80\xE5\xA4\xA9",  // 一天
      "1\xE6\x97\xA5",             // 1日 (一日 with the numeral normalized)
      "1\xE5\xA4\xA9",             // 1天
  };
  std::string_view after = SkipSpaces(normalized.substr(at.end, 64));
  *per_pound = false;
  for (std::string_view lb : kLbAfter) {
    if (!after.starts_with(lb)) continue;
    std::string_view rest = after.substr(lb.size());
    if (!rest.empty() && internal::IsAsciiLetter(rest.front())) continue;  // "a pounding"
    *per_pound = true;
    return StartsWithOneOf(SkipSpaces(rest), kDayAfter) ? PerKg::kDay : PerKg::kDose;
  }
  for (std::string_view kg : kKgAfter) {
    if (!after.starts_with(kg)) continue;
    std::string_view rest = after.substr(kg.size());
    // The rest of the word ("كيلوغرام", "体重", "kg bw"), then what the amount is per.
    while (!rest.empty() && rest.front() != ' ' && rest.front() != '/' &&
           static_cast<unsigned char>(rest.front()) >= 0x80 &&
           !rest.starts_with("\xE6\xAF\x8F") /* 每 */) {
      rest.remove_prefix(1);
    }
    rest = SkipSpaces(rest);
    return StartsWithOneOf(rest, kDayAfter) ? PerKg::kDay : PerKg::kDose;
  }
  const std::string_view clause = ClauseBefore(normalized, at.begin, 36);
  for (std::string_view kg : kKgBefore) {
    const size_t where = clause.find(kg);
    if (where == std::string_view::npos) continue;
    const bool day =
        std::any_of(std::begin(kDayBefore), std::end(kDayBefore),
                    [&](std::string_view d) { return clause.find(d) != std::string_view::npos; }) ||
        std::any_of(std::begin(kDayAfter), std::end(kDayAfter),
                    [&](std::string_view d) { return after.starts_with(d); });
    return day ? PerKg::kDay : PerKg::kDose;
  }
  return PerKg::kNone;
}

// "two of the 10 mg tablets", "half of the 20 mg one", "1.5 of your 5 mg tablets", "take two
// 10 mg amlodipine tablets": how many units of the strength that opens the hit at `at` are
// taken, read from the words right before it (a number in digits or words, then "of the", "of
// your", "of those"). 0 when the words before name no such count. A bare digit with no "of" is
// a count only up to four ("on day 5 10 mg tablets" is no count).
double CountBeforeStrength(std::string_view normalized, const text::Span& at) {
  const uint32_t from = at.begin > 48 ? at.begin - 48 : 0;
  std::string_view before = normalized.substr(from, at.begin - from);
  std::vector<std::string_view> words;
  while (!before.empty()) {
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    const size_t space = before.find_last_of(' ');
    const size_t begin = space == std::string_view::npos ? 0 : space + 1;
    if (begin == before.size()) break;
    words.insert(words.begin(), before.substr(begin));
    before = before.substr(0, begin);
  }
  auto last_is = [&](std::initializer_list<std::string_view> options) {
    return !words.empty() &&
           std::find(options.begin(), options.end(), words.back()) != options.end();
  };
  bool of = false;
  if (last_is({"the", "your", "those", "these", "my"})) {
    words.pop_back();
    if (!last_is({"of"})) return 0;
    words.pop_back();
    of = true;
  } else if (last_is({"a", "an"})) {
    words.pop_back();  // "half a 20 mg tablet", "one and a half 20 mg tablets" keep their count
  }
  static constexpr std::string_view kNumberish[] = {"one", "two", "three",   "four",     "half",
                                                    "a",   "and", "quarter", "quarters", "couple"};
  size_t k = 0;
  while (k < words.size() && k < 4) {
    const std::string_view w = words[words.size() - 1 - k];
    const bool digits = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
      return internal::IsDigit(c) || c == '.';
    });
    if (!digits &&
        std::find(std::begin(kNumberish), std::end(kNumberish), w) == std::end(kNumberish)) {
      break;
    }
    ++k;
  }
  if (k == 0) return 0;
  const std::string_view first = words[words.size() - k];
  if (first == "a" || first == "and") return 0;  // ("take a 10 mg tablet": one, the default)
  std::string spelled;
  for (size_t m = words.size() - k; m < words.size(); ++m) {
    if (!spelled.empty()) spelled += ' ';
    spelled += words[m];
  }
  const auto numbers = internal::Numbers(spelled);
  if (numbers.size() != 1 || numbers.front() <= 0) return 0;
  const double count = numbers.front();
  const bool digits = internal::IsDigit(spelled.front());
  if (count > (of ? 10 : 4) || (digits && !of && std::floor(count) != count)) return 0;
  return count;
}

// Whether one of the three words right after an amount is a unit noun that counts ("500 mg
// tablets", "500 mg paracetamol tablets", "20 mg capsule"), with no digit or punctuation before it.
bool UnitNounAfter(std::string_view normalized, const text::Span& at, const WordLists& words) {
  std::string_view after = normalized.substr(at.end, 48);
  for (int word = 0; word < 3; ++word) {
    if (after.empty() || after.front() != ' ') return false;
    after.remove_prefix(1);
    const size_t end = std::min(after.find_first_of(" ,.;:)"), after.size());
    const std::string_view w = after.substr(0, end);
    if (w.empty() || std::any_of(w.begin(), w.end(), [](char c) { return internal::IsDigit(c); })) {
      return false;
    }
    const auto unit = internal::LookupAmountUnit(w, words);
    if (unit) return unit->kind == text::UnitKind::kCount;
    after.remove_prefix(end);
  }
  return false;
}

// The words of an equation between two units ("1 mcg = 40 IU", "1μg等于40 IU", "1 teaspoon
// equals 5 mL", "1 grain is 64.8 mg" is not: "is" also states a dose).
constexpr std::string_view kEquals[] = {
    "=",
    "equals",
    "is equal to",
    "equal to",
    "\xE7\xAD\x89\xE4\xBA\x8E",                  // 等于
    "\xD9\x8A\xD8\xB3\xD8\xA7\xD9\x88\xD9\x8A",  // يساوي
    "\xD8\xAA\xD8\xB3\xD8\xA7\xD9\x88\xD9\x8A",  // تساوي
    "\xD9\x8A\xD8\xB9\xD8\xA7\xD8\xAF\xD9\x84",  // يعادل
    "\xD8\xAA\xD8\xB9\xD8\xA7\xD8\xAF\xD9\x84",  // تعادل
};

// Whether the amount at `at` is a side of a unit's definition: one of a unit (not a count)
// equated to an amount in another unit ("1μg等于40 IU", "1 teaspoon = 5 mL", "1 ميكروغرام يساوي
// 40 وحدة"), either side. It explains a label's units; it is no dose.
bool UnitDefinition(std::string_view normalized, const text::Span& at, const Amount& amount,
                    const WordLists& words) {
  auto is_one_unit = [](const std::optional<Amount>& a) {
    return a && a->kind != text::UnitKind::kCount && a->low == 1 && a->high == 1;
  };
  const std::string_view after = SkipSpaces(normalized.substr(at.end, 24));
  if (is_one_unit(amount)) {
    for (std::string_view eq : kEquals) {
      if (!after.starts_with(eq)) continue;
      const std::string_view rest = SkipSpaces(after.substr(eq.size()));
      if (!rest.empty() && internal::IsDigit(rest.front())) return true;
    }
  }
  std::string_view before = normalized.substr(0, at.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (std::string_view eq : kEquals) {
    if (!before.ends_with(eq)) continue;
    std::string_view left = before.substr(0, before.size() - eq.size());
    while (!left.empty() && left.back() == ' ') left.remove_suffix(1);
    left = left.substr(left.size() > 32 ? left.size() - 32 : 0);
    const size_t one = left.find_last_of("0123456789");
    if (one == std::string_view::npos) return false;
    size_t begin = one;
    while (begin > 0 && (internal::IsDigit(left[begin - 1]) || left[begin - 1] == '.')) --begin;
    if (begin > 0 && internal::IsAsciiLetter(static_cast<unsigned char>(left[begin - 1]))) {
      return false;
    }
    const auto defined = ParseAmount(left.substr(begin), words);
    return is_one_unit(defined) && defined->unit != amount.unit;
  }
  return false;
}

// "ملعقة صغيرة" (a teaspoon, 5 ml), "ملعقتين كبيرتين" (two tablespoons), "ملعقة شاي": a size
// word after a spoon of no stated size (the dual and the counted singular of the grammar) makes
// it a measuring spoon, a volume.
void SizeSpoon(std::string_view normalized, const text::Span& at, Amount* amount) {
  if (amount->unit != text::Unit::kSpoon) return;
  struct Size {
    std::string_view word;
    text::Unit unit;
  };
  static constexpr Size kSizes[] = {
      {"\xD8\xB5\xD8\xBA\xD9\x8A\xD8\xB1\xD9\x87", text::Unit::kTeaspoon},  // صغيره
      {"\xD8\xB5\xD8\xBA\xD9\x8A\xD8\xB1\xD8\xAA\xD9\x8A\xD9\x86",
       text::Unit::kTeaspoon},                                                // صغيرتين
      {"\xD8\xB5\xD8\xBA\xD8\xA7\xD8\xB1", text::Unit::kTeaspoon},            // صغار
      {"\xD8\xB4\xD8\xA7\xD9\x8A", text::Unit::kTeaspoon},                    // شاي
      {"\xD9\x83\xD8\xA8\xD9\x8A\xD8\xB1\xD9\x87", text::Unit::kTablespoon},  // كبيره
      {"\xD9\x83\xD8\xA8\xD9\x8A\xD8\xB1\xD8\xAA\xD9\x8A\xD9\x86",
       text::Unit::kTablespoon},                                      // كبيرتين
      {"\xD9\x83\xD8\xA8\xD8\xA7\xD8\xB1", text::Unit::kTablespoon},  // كبار
      {"\xD8\xB7\xD8\xB9\xD8\xA7\xD9\x85", text::Unit::kTablespoon},  // طعام
  };
  const std::string_view after = SkipSpaces(normalized.substr(at.end, 24));
  for (const Size& size : kSizes) {
    if (!after.starts_with(size.word)) continue;
    const std::string_view rest = after.substr(size.word.size());
    if (!rest.empty() && (static_cast<unsigned char>(rest.front()) == 0xD8 ||
                          static_cast<unsigned char>(rest.front()) == 0xD9)) {
      continue;  // a longer word
    }
    amount->unit = size.unit;
    amount->kind = text::UnitKind::kVolume;
    return;
  }
}

// Attaches a dose or herb amount. False when the hit is no amount (nothing is attached).
bool AttachAmount(MedicationStatement* statement, const Token& token, std::string_view normalized,
                  const WordLists& words) {
  const std::string_view hit = normalized.substr(token.span.begin, token.span.size());
  auto amount = ParseAmount(hit, words);
  if (!amount) return false;
  SizeSpoon(normalized, token.span, &*amount);
  if (UnitDefinition(normalized, token.span, *amount, words)) return false;
  if (amount->kind == text::UnitKind::kVolume && VehicleVolume(normalized, token.span)) {
    return false;
  }
  if (amount->kind != text::UnitKind::kCount && ReadingAmount(normalized, token.span)) return false;
  // "from 20 to 18 units": the new amount.
  if (OpensWithFrom(normalized, token.span) &&
      (hit.find(" to ") != std::string_view::npos || hit.find('-') != std::string_view::npos ||
       hit.find("\xE5\x88\xB0") != std::string_view::npos ||                // 到
       hit.find(" \xD8\xA7\xD9\x84\xD9\x8A") != std::string_view::npos)) {  // الي
    const auto numbers = internal::Numbers(hit);
    if (numbers.size() == 2) amount->low = amount->high = numbers.back();
  }
  // "盐酸二甲双胍片 0.5g×60#": a number of tablets written with # past ten is the quantity
  // dispensed, not a dose.
  if (hit.ends_with("#") && amount->high > 10) return false;
  if (!hit.empty() && internal::IsDigit(hit.front())) {
    ReadFractionBefore(normalized, token.span, &*amount);
  }
  // "١٫٢ مليون وحدة" (1.2 million units), "٥٠ ملي" (colloquial: mg or ml).
  bool open_unit = false;
  if (auto milli = internal::ReadArabicMilli(normalized, token.span, words)) {
    amount = milli->amount;
    open_unit = milli->open_unit;
  }
  // "بنادول 500 حبة", "Panadol 500 tablet": a number of 20 or more right after the name, before a
  // unit noun, is the brand's strength and one unit; nobody takes 500 tablets at a time.
  if (amount->kind == text::UnitKind::kCount && amount->low == amount->high && amount->high >= 20 &&
      (amount->unit == text::Unit::kTablet || amount->unit == text::Unit::kCapsule ||
       amount->unit == text::Unit::kPill) &&
      token.span.begin >= statement->drug_span.end &&
      token.span.begin <= statement->drug_span.end + 1) {
    if (!statement->dose) {
      statement->dose = Amount{amount->high, amount->high, text::Unit::kMg, text::UnitKind::kMass};
    }
    amount->low = amount->high = 1;
  }
  const bool count = amount->kind == text::UnitKind::kCount;
  const text::Span previous = statement->last_amount;
  if (token.span.end > previous.end) statement->last_amount = token.span;
  if (previous.size() > 0 && RestatesInParentheses(normalized, previous, token.span, words)) {
    // "1000 mg (2 tablets)": the same quantity counted; "4 tablets (10 mg)": the total of the
    // tablets, so each holds a share of it.
    // The count divided is the one the parenthesis restates, not the statement's first count:
    // "首次2粒，…一天不超过8粒（16mg）" is 2 mg a capsule.
    const auto restated = ParseAmount(normalized.substr(previous.begin, previous.size()), words);
    // "1 capsule (50,000 IU)", "每天2颗（50000 IU）": an amount in units too.
    if (restated && restated->kind == text::UnitKind::kCount && restated->high > 0 && !count &&
        !statement->dose &&
        (amount->kind == text::UnitKind::kMass || amount->kind == text::UnitKind::kActivity)) {
      Amount each = *amount;
      each.low /= restated->high;
      each.high /= restated->high;
      statement->dose = each;
    }
    // "15 mg (6 tablets of 2.5 mg)", "15 mg（6片2.5 mg）": the count and the strength of each
    // make up the mass before them, a total: the strength is the dose, the count the units.
    if (restated && restated->kind == text::UnitKind::kMass && count && statement->dose &&
        statement->dose->kind == text::UnitKind::kMass && amount->high > 1) {
      size_t close = normalized.find(')', token.span.begin);
      close = std::min(close, normalized.find("\xEF\xBC\x89", token.span.begin));  // ）
      if (close != std::string_view::npos && close - token.span.begin <= 40) {
        const auto each = internal::InnerStrength(
            normalized.substr(token.span.begin, close - token.span.begin), words);
        if (each && each->high > 0 &&
            std::abs(each->HighInBase() * amount->high - restated->HighInBase()) <
                0.01 * restated->HighInBase()) {
          statement->dose = each;
          statement->count_dose = amount;
          statement->count_implied = false;
          statement->count_splits_dose = true;
        }
      }
    }
    // "10 ml (240 mg)", "15ml（300mg）": the mass of the volume given is the dose.
    if (restated && restated->kind == text::UnitKind::kVolume &&
        amount->kind == text::UnitKind::kMass && statement->dose &&
        statement->dose->kind == text::UnitKind::kVolume && !statement->count_dose) {
      statement->dose = amount;
    }
    return true;
  }
  // "…, up to 18 caplets a day", "一天共4000毫克": a day total besides the amount per
  // administration read before it.
  auto& per_time = count ? statement->count_dose : statement->dose;
  const bool day_total = StatesDayTotal(normalized, token.span, words);
  if (per_time && per_time->kind == amount->kind && statement->amount_is_day_total && !day_total) {
    // "一天最多8片，每次2片": the amount per administration after the day's total.
    KeepDailyTotal(statement, *per_time);
    per_time = amount;
    statement->amount_is_day_total = false;
    statement->dose_is_daily_total = false;  // the "a day" after the total was about the total
    return true;
  }
  if (per_time && per_time->kind == amount->kind && day_total) {
    KeepDailyTotal(statement, *amount);
    return true;
  }
  // "一天最多吃8片", "no more than 8 tablets in 24 hours": the day's amount, with no amount per
  // administration (yet).
  if (day_total && !per_time) statement->amount_is_day_total = true;
  const bool changed_to = FromTo(normalized, previous, token.span);
  if (count) {
    // "two of the 10 mg tablets": the count is before the strength; "with the 20 mg tablets,
    // take two tablets": no count before it, the strength names one unit until a count is told.
    bool implied = false;
    if (amount->high == 1 && IsDigitAt(hit, 0) && internal::InnerStrength(hit, words)) {
      if (const double units = CountBeforeStrength(normalized, token.span); units > 0) {
        amount->low = amount->high = units;
      } else {
        implied = true;
      }
    }
    if (!statement->count_dose || changed_to || (statement->count_implied && !implied)) {
      statement->count_dose = amount;
      statement->count_implied = implied;
    }
    if (!statement->dose) statement->dose = internal::InnerStrength(hit, words);
  } else if (!statement->dose || changed_to || ReplacesAmount(normalized, token.span, words)) {
    // "four of the 500 mg tablets": a strength before its unit noun, counted before it.
    if (!statement->count_dose && amount->kind == text::UnitKind::kMass &&
        UnitNounAfter(normalized, token.span, words)) {
      double units = CountBeforeStrength(normalized, token.span);
      // "apply two fentanyl 25 mcg patches": the count before the drug's name.
      if (units == 0 && statement->drug_span.end <= token.span.begin &&
          token.span.begin <= statement->drug_span.end + 1) {
        units = CountBeforeStrength(normalized, statement->drug_span);
      }
      if (units > 0) {
        statement->count_dose = Amount{units, units, text::Unit::kTablet, text::UnitKind::kCount};
      }
    }
    if (statement->count_splits_dose && amount->kind == text::UnitKind::kMass) {
      statement->count_dose.reset();
      statement->count_splits_dose = false;
    }
    statement->dose = amount;  // "首次1毫克…每次0.5毫克": the amount of every time, not the first
    statement->dose_unit_open = open_unit;
    statement->dose_per_kg = false;
    bool per_pound = false;
    if (const PerKg per_kg = PerKgAt(normalized, token.span, &per_pound); per_kg != PerKg::kNone) {
      statement->dose_per_kg = true;
      if (per_pound) {  // a kilogram is 2.2046 pounds
        statement->dose->low *= kPoundsPerKg;
        statement->dose->high *= kPoundsPerKg;
      }
      // "90 mg/kg/day": the day's amount, whatever schedule splits it.
      if (per_kg == PerKg::kDay) statement->dose_is_daily_total = true;
    }
  }
  return true;
}

// "6 hourly", "4-6 hourly", "8-hrly" (British and Indian clinical English): every so many hours,
// though "hourly" alone is every hour. Administrations per day, or 0 when no number precedes.
double HoursBeforeHourly(std::string_view normalized, const text::Span& at) {
  std::string_view before = normalized.substr(0, at.begin);
  while (!before.empty() && (before.back() == ' ' || before.back() == '-')) before.remove_suffix(1);
  size_t begin = before.size();
  while (begin > 0 && (internal::IsDigit(before[begin - 1]) || before[begin - 1] == '.' ||
                       before[begin - 1] == '-' || before[begin - 1] == ' ')) {
    --begin;
  }
  while (begin < before.size() && !internal::IsDigit(before[begin])) ++begin;
  if (begin >= before.size()) return 0;
  const auto numbers = internal::Numbers(before.substr(begin));
  if (numbers.empty()) return 0;
  const double hours = *std::min_element(numbers.begin(), numbers.end());
  return hours >= 1 && hours <= 24 ? 24.0 / hours : 0;
}

// Whether a frequency hit of once a day names a time of day or a meal ("with breakfast", "at
// bedtime", "بعد الغداء", 早餐后, 睡前) rather than every day ("every morning", "daily", 每天早上,
// "كل مساء"): with a weekly schedule it says when on that day.
bool NamesTimeOfDay(std::string_view hit) {
  static constexpr std::string_view kEvery[] = {
      "every",
      "each",
      "daily",
      "day",
      "nightly",
      "\xE6\xAF\x8F",                      // 每
      "\xD9\x83\xD9\x84",                  // كل
      "\xD9\x8A\xD9\x88\xD9\x85",          // يوم
      "\xD9\x8A\xD9\x88\xD9\x85\xD9\x8A",  // يومي
  };
  static constexpr std::string_view kTimes[] = {
      "breakfast",
      "lunch",
      "dinner",
      "supper",
      "meal",
      "morning",
      "evening",
      "night",
      "nite",
      "bed",
      "sleep",
      "noon",
      "\xE6\x97\xA9",                              // 早
      "\xE6\x99\x9A",                              // 晚
      "\xE7\x9D\xA1",                              // 睡
      "\xE9\xA4\x90",                              // 餐
      "\xE9\xA5\xAD",                              // 饭
      "\xE5\x8D\x88",                              // 午
      "\xD8\xA7\xD9\x84\xD8\xBA\xD8\xAF\xD8\xA7",  // الغدا(ء)
      "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB4\xD8\xA7",  // العشا(ء)
      "\xD9\x81\xD8\xB7\xD9\x88\xD8\xB1",          // فطور
      "\xD9\x81\xD8\xB7\xD8\xA7\xD8\xB1",          // فطار
      "\xD8\xA7\xD9\x84\xD9\x86\xD9\x88\xD9\x85",  // النوم
      "\xD8\xB5\xD8\xA8\xD8\xA7\xD8\xAD",          // صباح
      "\xD8\xA7\xD9\x84\xD8\xB5\xD8\xA8\xD8\xAD",  // الصبح
      "\xD9\x85\xD8\xB3\xD8\xA7\xD8\xA1",          // مساء
      "\xD9\x84\xD9\x8A\xD9\x84",                  // ليل
      "\xD8\xA7\xD9\x84\xD8\xB1\xD9\x8A\xD9\x82",  // الريق
  };
  auto has = [&](std::string_view w) { return hit.find(w) != std::string_view::npos; };
  return std::none_of(std::begin(kEvery), std::end(kEvery), has) &&
         std::any_of(std::begin(kTimes), std::end(kTimes), has);
}

// "每周日吃1次": a "日…1次" frequency whose 日 (or 天) closes a weekday name (周日, 星期天, 礼拜日)
// is the once of that day, not once a day.
bool OpensOnWeekdayName(std::string_view normalized, const text::Span& at) {
  const std::string_view hit = normalized.substr(at.begin, 3);
  if (hit != "\xE6\x97\xA5" && hit != "\xE5\xA4\xA9") return false;  // 日 天
  if (at.begin < 3) return false;
  const std::string_view before = normalized.substr(at.begin - 3, 3);
  return before == "\xE5\x91\xA8" || before == "\xE6\x9C\x9F" ||  // 周 (星)期
         before == "\xE6\x8B\x9C";                                // (礼)拜
}

// "once weekly, not daily", "أسبوعيا فقط، وليس يوميا", "每周一次，而不是每天": a schedule denied
// right before it is the one not to follow.
bool DeniedFrequency(std::string_view normalized, const text::Span& at) {
  static constexpr std::string_view kNot[] = {
      " not",
      " never",
      " rather than",
      " instead of",
      "\xD9\x84\xD9\x8A\xD8\xB3",                           // ليس (وليس)
      " \xD9\x85\xD8\xB4",                                  // مش
      "\xD8\xA8\xD8\xAF\xD9\x84\xD8\xA7 \xD9\x85\xD9\x86",  // بدلا من
      "\xE4\xB8\x8D\xE6\x98\xAF",                           // 不是
      "\xE8\x80\x8C\xE9\x9D\x9E",                           // 而非
      "\xE4\xB8\x8D\xE8\xA6\x81\xE6\x94\xB9\xE6\x88\x90",   // 不要改成
  };
  std::string_view before = normalized.substr(0, at.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  const std::string spaced =
      " " + std::string(before.substr(before.size() > 24 ? before.size() - 24 : 0));
  return std::any_of(std::begin(kNot), std::end(kNot),
                     [&](std::string_view w) { return std::string_view(spaced).ends_with(w); });
}

// "2 + 3 + 4 = 9 أقراص": numbers joined by "+" and summed are arithmetic, not the slots of a day
// ("1+1+1").
bool SumOfNumbers(std::string_view normalized, const text::Span& at, std::string_view hit) {
  if (hit.find('+') == std::string_view::npos) return false;
  const std::string_view after = SkipSpaces(normalized.substr(at.end, 8));
  return after.starts_with("=");
}

void AttachFrequency(MedicationStatement* statement, const Token& token, std::string_view hit,
                     const FrequencyRule& rule, std::string_view normalized) {
  if (rule.as_needed) {
    statement->as_needed = true;
    return;
  }
  if (OpensOnWeekdayName(normalized, token.span) || DeniedFrequency(normalized, token.span) ||
      SumOfNumbers(normalized, token.span, hit)) {
    return;
  }
  const double parsed = ParseFrequency(hit, rule);
  const bool time_of_day = parsed == 1 && !rule.event && NamesTimeOfDay(hit);
  // "every Monday with breakfast", "كل يوم جمعة بعد الغداء": once on that day.
  if (time_of_day && statement->per_day > 0 && statement->per_day < 1) return;
  if (parsed > 0 && parsed < 1 && statement->frequency_time_of_day) {
    statement->per_day = parsed;
    statement->frequency_time_of_day = false;
    return;
  }
  if (parsed > 0) {
    statement->frequency_time_of_day =
        time_of_day && (statement->per_day == 0 || statement->frequency_time_of_day);
  }
  if (rule.per_day == 24 && (hit.starts_with("hourly") || hit.starts_with("hrly"))) {
    if (const double per_day = HoursBeforeHourly(normalized, token.span); per_day > 0) {
      statement->per_day = std::max(statement->per_day, per_day);
      return;
    }
  }
  // "2-0-2", "1⁄2-0-1⁄2": the amount in each slot is a count of units when no count is given
  // (the mean over the slots taken, so the day's units are exact: "1-0-2" is 3 a day).
  if (rule.count && !statement->count_dose) {
    if (auto slots = internal::ReadSlots(hit)) {
      double sum = 0, taken = 0;
      for (double v : *slots) {
        sum += v;
        taken += v > 0 ? 1 : 0;
      }
      if (taken > 0 && std::abs(sum / taken - 1) > 1e-9) {
        statement->count_dose =
            Amount{sum / taken, sum / taken, text::Unit::kTablet, text::UnitKind::kCount};
      }
    }
  }
  // "2 g a day", "1.5g/日": once-a-day wording right after the amount makes it a daily total.
  if (rule.per_day == 1 && !rule.event && statement->dose &&
      token.span.begin <= statement->span.end + 2 && token.span.begin >= statement->span.end) {
    statement->dose_is_daily_total = true;
  }
  statement->per_day = std::max(statement->per_day, parsed);
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

// A statement whose amount is a day total ("一天最多吃8片"): the amount is the day's, taken
// (at most) over one day, whatever schedule splits it.
void ReadDayTotalAmount(MedicationStatement* st) {
  if (!st->amount_is_day_total || !st->has_dose()) return;
  st->dose_is_daily_total = true;
  st->per_day = 1;
}

// The number of doses a day's amount is divided into, read right after the amount in its
// sentence: "divided into 2 doses", "in 3 divided doses", "split into two", "分3次", "分成2次",
// "مقسمة على ٣ جرعات", "على جرعتين". -1 when the amount is "divided" with no number ("divided
// twice daily": the frequency says how many); 0 when it is not divided.
double DividedInto(std::string_view normalized, const text::Span& amount) {
  std::string_view rest = normalized.substr(amount.end, 160);
  for (size_t i = 0; i < rest.size(); ++i) {  // the sentence ends the search
    const char c = rest[i];
    if (c == '\n' || c == ';' || (c == '.' && (i + 1 >= rest.size() || rest[i + 1] == ' ')) ||
        rest.substr(i).starts_with("\xE3\x80\x82") || rest.substr(i).starts_with("\xEF\xBC\x9B")) {
      rest = rest.substr(0, i);
      break;
    }
  }
  static constexpr std::pair<std::string_view, double> kNumberWords[] = {
      {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}};
  // The count at the front of `text`: digits (the high end of "2-3") or an English number word.
  auto count_at = [](std::string_view text) -> double {
    text = SkipSpaces(text);
    if (!text.empty() && internal::IsDigit(text.front())) {
      size_t end = 0;
      while (end < text.size() && (internal::IsDigit(text[end]) || text[end] == '-' ||
                                   text[end] == '~' || text[end] == ' ')) {
        ++end;
      }
      const auto numbers = internal::Numbers(text.substr(0, end));
      return numbers.empty() ? 0 : numbers.back();
    }
    for (const auto& [word, value] : kNumberWords) {
      if (text.starts_with(word)) return value;
    }
    return 0;
  };
  // English. The count must be of doses ("split into two halves" is a tablet cut).
  for (std::string_view lead : {"divided into", "divided in", "split into", "given in"}) {
    const size_t at = rest.find(lead);
    if (at == std::string_view::npos) continue;
    const std::string_view after = rest.substr(at + lead.size(), 28);
    const double n = count_at(after);
    if (n > 0 && (after.find("dose") != std::string_view::npos ||
                  after.find("administration") != std::string_view::npos)) {
      return n;
    }
  }
  if (const size_t at = rest.find(" divided dose"); at != std::string_view::npos) {
    const size_t in = FindLast(rest.substr(0, at), "in ");
    if (in != std::string_view::npos) {
      const double n = count_at(rest.substr(in + 3, at - in - 3));
      if (n > 0) return n;
    }
  }
  if (rest.find("divided") != std::string_view::npos) return -1;
  // Chinese: 分3次, 分成2次, 分为2~3次.
  for (std::string_view lead :
       {"\xE5\x88\x86\xE6\x88\x90", "\xE5\x88\x86\xE4\xB8\xBA", "\xE5\x88\x86"}) {
    size_t at = rest.find(lead);
    while (at != std::string_view::npos) {
      std::string_view after = rest.substr(at + lead.size());
      size_t end = 0;
      while (end < after.size() &&
             (internal::IsDigit(after[end]) || after[end] == '-' || after[end] == '~')) {
        ++end;
      }
      if (end > 0 && after.substr(end).starts_with("\xE6\xAC\xA1")) {  // 次
        const auto numbers = internal::Numbers(after.substr(0, end));
        if (!numbers.empty()) return numbers.back();
      }
      at = rest.find(lead, at + lead.size());
    }
  }
  // Arabic: (مقسمه) علي/الي N جرعات / مرات / دفعات, or a dual: جرعتين, دفعتين.
  for (std::string_view lead : {"\xD8\xB9\xD9\x84\xD9\x8A ", "\xD8\xA7\xD9\x84\xD9\x8A "}) {
    size_t at = rest.find(lead);
    while (at != std::string_view::npos) {
      const std::string_view after = rest.substr(at + lead.size());
      if (after.starts_with("\xD8\xAC\xD8\xB1\xD8\xB9\xD8\xAA\xD9\x8A\xD9\x86") ||  // جرعتين
          after.starts_with("\xD8\xAF\xD9\x81\xD8\xB9\xD8\xAA\xD9\x8A\xD9\x86")) {  // دفعتين
        return 2;
      }
      if (!after.empty() && internal::IsDigit(after.front())) {
        size_t end = 0;
        while (end < after.size() && internal::IsDigit(after[end])) ++end;
        const std::string_view noun = SkipSpaces(after.substr(end));
        if (noun.starts_with("\xD8\xAC\xD8\xB1\xD8\xB9") ||  // جرع(ات)
            noun.starts_with("\xD8\xAF\xD9\x81\xD8\xB9")) {  // دفع(ات)
          const auto numbers = internal::Numbers(after.substr(0, end));
          if (!numbers.empty()) return numbers.back();
        }
      }
      at = rest.find(lead, at + lead.size());
    }
  }
  return 0;
}

// A day's amount divided into doses ("90 mg/kg/day divided into 2 doses", "每日40mg/kg，分2次",
// "٢ غ يوميا مقسمة على جرعتين"): each dose is the amount over the number of doses, taken that many
// times a day; the stated amount stays as the day's total.
void DivideDayAmount(std::string_view normalized, MedicationStatement* st) {
  if (!st->dose || st->dose->kind == text::UnitKind::kCount || st->count_dose ||
      st->last_amount.size() == 0) {
    return;
  }
  // A bare line that gives a day's amount and no schedule ("the usual protocol is 40-50 mg/kg/day,
  // divided into two doses") is a rule stated, not a regimen: it gains no frequency here.
  if (st->mood == Mood::kUnmarked && st->per_day <= 0) return;
  // From the statement's first byte: a restatement after the day's amount ("(pt 18 kg -> 800 mg
  // BID)") may be the last amount read, past the "divided".
  double n = DividedInto(normalized, text::Span{st->span.begin, st->span.begin});
  // "divided twice daily": the frequency counts the doses of a day's amount ("30 mg/kg/day", "1 g
  // a day"); "take 500 mg twice a day (the tablet may be divided)" divides nothing.
  if (n < 0) n = st->dose_is_daily_total ? st->per_day : 0;
  if (n < 2 || n > 8) return;
  // A schedule of its own that disagrees ("500 mg three times a day … 分2次") is left as read.
  if (!st->dose_is_daily_total && st->per_day > 1 && st->per_day != n) return;
  Amount each = *st->dose;
  KeepDailyTotal(st, each);
  each.low /= n;
  each.high /= n;
  st->dose = each;
  st->per_day = n;
  st->dose_is_daily_total = false;
  st->amount_is_day_total = false;
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

// Whether a statement counts tablets or capsules without saying how strong they are.
bool CountsUnitsOnly(const MedicationStatement& st) {
  return !st.dose && st.count_dose &&
         (st.count_dose->unit == text::Unit::kTablet ||
          st.count_dose->unit == text::Unit::kCapsule || st.count_dose->unit == text::Unit::kPill);
}

// "take 2 advil", "5od 2 panadol", "خد 2 بنادول": a small bare number between a taking verb and
// the drug name counts its tablets. 0 when there is none.
double CountBeforeName(std::string_view normalized, const text::Span& name) {
  std::string_view before = normalized.substr(0, name.begin);
  if (!before.ends_with(" ")) return 0;
  before.remove_suffix(1);
  if (before.empty() || !internal::IsDigit(before.back())) return 0;
  const char digit = before.back();
  before.remove_suffix(1);
  if (digit < '1' || digit > '4' || !before.ends_with(" ")) return 0;
  before.remove_suffix(1);
  static constexpr std::string_view kVerbs[] = {
      "take",
      "give",
      "chew",
      "swallow",
      "pop",
      "5od",
      "5odi",
      "khod",
      "khodi",
      "\xD8\xAE\xD8\xAF",                           // خد
      "\xD8\xAE\xD8\xAF\xD9\x8A",                   // خدي
      "\xD8\xAE\xD8\xB0",                           // خذ
      "\xD8\xAE\xD8\xB0\xD9\x8A",                   // خذي
      "\xD8\xAE\xD9\x88\xD8\xAF",                   // خود
      "\xD8\xAA\xD9\x86\xD8\xA7\xD9\x88\xD9\x84"};  // تناول
  for (std::string_view verb : kVerbs) {
    if (before.ends_with(verb) &&
        (before.size() == verb.size() || before[before.size() - verb.size() - 1] == ' ' ||
         before[before.size() - verb.size() - 1] == '\n')) {
      return digit - '0';
    }
  }
  return 0;
}

}  // namespace

namespace internal {

bool StatesDayTotalAt(std::string_view normalized, const text::Span& at, const WordLists& words) {
  return StatesDayTotal(normalized, at, words);
}

void Attach(MedicationStatement* statement, const Token& token, std::string_view normalized,
            const Grammar& grammar) {
  const std::string_view hit = normalized.substr(token.span.begin, token.span.size());
  // "… instead of 300 mg three times a day": the regimen replaced gives the statement nothing.
  if ((token.kind == TokenKind::kDose || token.kind == TokenKind::kFrequency ||
       token.kind == TokenKind::kDuration) &&
      InReplacedClause(normalized, token.span)) {
    return;
  }
  switch (token.kind) {
    case TokenKind::kDose:
    case TokenKind::kHerbAmount:
      if (!AttachAmount(statement, token, normalized, grammar.words())) return;
      break;
    case TokenKind::kFrequency:
      AttachFrequency(statement, token, hit, grammar.entries()[token.ref].frequency, normalized);
      break;
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

bool InAllergyClause(std::string_view normalized, const text::Span& drug, const WordLists& words) {
  std::string_view after = normalized.substr(drug.end, 16);
  while (!after.empty() && (after.front() == ' ' || after.front() == '-')) after.remove_prefix(1);
  if (StartsWithAny(after, words.allergy_after)) return true;
  const uint32_t from = drug.begin > 32 ? drug.begin - 32 : 0;
  std::string_view before = normalized.substr(from, drug.begin - from);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  return EndsWithAny(before, words.allergy_before);
}

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

namespace {

// The unit noun a strength names: the word after it ("1,250 mcg capsules", "500毫克的片子",
// "500毫克胶囊") or, in Arabic, before it ("حبوب ٥٠٠ ملغ"); kMg (no count unit) when none.
text::Unit UnitNounOf(std::string_view normalized, const text::Span& at, const WordLists& words) {
  auto count_unit = [&](std::string_view word) {
    const auto unit = internal::LookupAmountUnit(word, words);
    return unit && unit->kind == text::UnitKind::kCount ? unit->unit : text::Unit::kMg;
  };
  std::string_view after = normalized.substr(at.end, 24);
  if (after.starts_with(' ')) {
    after.remove_prefix(1);
    const text::Unit unit = count_unit(after.substr(0, after.find_first_of(" ,.;:)")));
    if (unit != text::Unit::kMg) return unit;
  } else {
    if (after.starts_with("\xE7\x9A\x84")) after.remove_prefix(3);  // 的
    for (size_t size : {6, 3}) {                                    // 胶囊, 片 粒 颗
      const text::Unit unit = count_unit(after.substr(0, size));
      if (unit != text::Unit::kMg) return unit;
    }
  }
  std::string_view before = normalized.substr(0, at.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  const size_t space = before.find_last_of(' ');
  std::string_view word = space == std::string_view::npos ? before : before.substr(space + 1);
  if (word.starts_with("\xD8\xA7\xD9\x84")) word.remove_prefix(4);  // ال
  if (!word.empty() && static_cast<unsigned char>(word.front()) >= 0xD8 &&
      static_cast<unsigned char>(word.front()) <= 0xDB) {
    return count_unit(word);
  }
  return text::Unit::kMg;
}

// "… the 1,250 mcg capsules are the closest match. Take one capsule daily …": a count of
// tablets or capsules with no strength takes the strength the answer names for that unit just
// before it ("<amount> <unit noun>": "1,250 mcg capsules", "500 mg tablets"), within the
// previous 320 bytes and with no other drug named between, when it names exactly one.
std::optional<Amount> StrengthNamedBefore(std::string_view normalized,
                                          const std::vector<Token>& tokens,
                                          const MedicationStatement& st, const WordLists& words) {
  // (A statement of the question's drug may have no name in the answer: its amounts open it.)
  const uint32_t end =
      st.drug_span.size() > 0 ? std::min(st.span.begin, st.drug_span.begin) : st.span.begin;
  const uint32_t from = end > 320 ? end - 320 : 0;
  std::optional<Amount> found;
  for (const Token& t : tokens) {
    if (t.span.begin >= end) break;
    if (t.span.begin < from) continue;
    if (t.kind == TokenKind::kDrug && t.ref != st.drug) found.reset();
    if (t.kind != TokenKind::kDose) continue;
    // (A hit that starts inside a number, "50 mcg capsules" of "1,250 mcg capsules", is none.)
    if (t.span.begin > 0) {
      const char c = normalized[t.span.begin - 1];
      if (internal::IsDigit(c) || c == ',' || c == '.') continue;
    }
    const auto amount = ParseAmount(normalized.substr(t.span.begin, t.span.size()), words);
    if (!amount ||
        (amount->kind != text::UnitKind::kMass && amount->kind != text::UnitKind::kActivity)) {
      continue;
    }
    if (UnitNounOf(normalized, t.span, words) != st.count_dose->unit) continue;
    if (found && std::abs(found->HighInBase() - amount->HighInBase()) > 1e-9) return std::nullopt;
    found = amount;
  }
  return found;
}

}  // namespace

void CompleteStatements(std::string_view normalized, const std::vector<Token>& tokens,
                        const Grammar& grammar, const QuestionDrug& asked,
                        std::vector<MedicationStatement>* statements) {
  for (MedicationStatement& st : *statements) {
    // ("take 2 Panadol (1 g)" restates the two tablets: no count is added to the gram.)
    if (!st.count_dose && NamedByToken(tokens, st.drug_span) &&
        Trim(normalized.substr(st.drug_span.end, 3)).substr(0, 1) != "(") {
      if (const double count = CountBeforeName(normalized, st.drug_span); count > 0) {
        st.count_dose = Amount{count, count, text::Unit::kTablet, text::UnitKind::kCount};
      }
    }
    if (CountsUnitsOnly(st) && IsLexiconDrug(st.drug) &&
        (st.count_dose->unit == text::Unit::kTablet ||
         st.count_dose->unit == text::Unit::kCapsule)) {
      st.dose = StrengthNamedBefore(normalized, tokens, st, grammar.words());
    }
    // "Q: 地高辛每天一片0.25mg A: 把地高辛改成一天三次，每次一片": the tablets the question names.
    if (asked.strength && st.drug == asked.drug && CountsUnitsOnly(st)) st.dose = asked.strength;
    if (CountsUnitsOnly(st) && IsLexiconDrug(st.drug) && NamedByToken(tokens, st.drug_span)) {
      st.dose = StrengthAfterName(normalized, st.drug_span, grammar.words());
    }
    DivideDayAmount(normalized, &st);
    ReadDayTotalAmount(&st);
    FoldDailyTotal(&st);
  }
}

}  // namespace internal
}  // namespace medaudit::extract
