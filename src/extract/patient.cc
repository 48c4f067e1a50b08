#include "extract/patient.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "extract/internal/lexical.h"

namespace medaudit::extract {
namespace {

// Words are in normalized form (case-folded; Arabic ة -> ه, alef forms -> ا).
struct UnitWord {
  std::string_view word;
  double to_kg;
};
constexpr std::array kWeightUnits{
    // Longer spellings first: "kilograms" before "kilo", "公斤" before "斤".
    UnitWord{"kilograms", 1},   UnitWord{"kilogram", 1},   UnitWord{"kilos", 1},
    UnitWord{"kilo", 1},        UnitWord{"kgs", 1},        UnitWord{"kg", 1},
    UnitWord{"pounds", 0.4536}, UnitWord{"pound", 0.4536}, UnitWord{"lbs", 0.4536},
    UnitWord{"lb", 0.4536},     UnitWord{"公斤", 1},       UnitWord{"千克", 1},
    UnitWord{"斤", 0.5},        UnitWord{"磅", 0.4536},    UnitWord{"كيلوغرام", 1},
    UnitWord{"كيلوجرام", 1},    UnitWord{"كيلو", 1},       UnitWord{"كغ", 1},
    UnitWord{"كجم", 1},         UnitWord{"كلغ", 1},        UnitWord{"رطل", 0.4536},
    UnitWord{"باوند", 0.4536},
};

// After a number, these say "years of age" and never a duration.
constexpr std::array<std::string_view, 10> kAgeWords{
    "years old", "year old", "years-old", "year-old", "yrs old",
    "yr old",    "yo",       "y/o",       "岁",       "周岁"};
// A change of weight, not a body weight ("lost 10 kg", "瘦了5公斤", "خسرت ٥ كيلو").
constexpr std::array<std::string_view, 14> kWeightChange{"lose", "lost", "gain", "gained", "put on",
                                                         "减",   "瘦",   "胖",   "长了",   "涨了",
                                                         "خسر",  "نزل",  "زاد",  "زياده"};
// After a number, these say "months of age" ("8-month-old", "11个月大", "月龄"): the age is
// read in years (months / 12). A bare "7个月" or "7 months" is a duration, not an age.
constexpr std::array<std::string_view, 12> kMonthAgeWords{
    "months old", "month old", "months-old", "month-old",  "mo old",     "个月大",
    "个月的宝宝", "个月宝宝",  "个月的孩子", "个月的婴儿", "个月的女儿", "个月的儿子"};
// Arabic months are an age only after "age" ("عمره ٨ شهور"): "عندي ... ٣ شهور" is usually a
// duration ("I have had it for 3 months").
constexpr std::array<std::string_view, 4> kArabicMonths{"شهور", "اشهر", "شهرين", "شهر"};
constexpr std::array<std::string_view, 2> kArabicMonthLead{"عمر", "بعمر"};
// Arabic years ("سنه", "سنوات", "عام") are an age only after an age word: "عمره ٧٥ سنه",
// "عندي ٧٨ سنه" ("I am 78"); "منذ ٣ سنوات" is a duration.
constexpr std::array<std::string_view, 5> kArabicYears{"سنوات", "سنين", "سنه", "عاما", "عام"};
constexpr std::array<std::string_view, 6> kArabicAgeLead{"عمر",   "عندي", "عنده",
                                                         "عندها", "بعمر", "سن"};
// A child named right before the number is also an age ("ابني ١٣ سنه", "بنتي ٨ شهور").
constexpr std::array<std::string_view, 8> kArabicKin{"ابني", "ابنتي", "بنتي",  "ولدي",
                                                     "طفلي", "طفلتي", "ابنها", "ابنه"};

// Whether the text before a number ends with an Arabic kinship word (spaces skipped).
bool AfterArabicKin(std::string_view before) {
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (auto w : kArabicKin) {
    if (before.size() >= w.size() && before.substr(before.size() - w.size()) == w) return true;
  }
  return false;
}

// Before a number: "aged 75", "age: 75", and a person with "is" ("my mother is 78"): only a
// person may lead, since "my heart rate is 90" is not an age.
constexpr std::array<std::string_view, 24> kAgeLead{
    "aged ",       "age ",        "age: ",           "i'm ",        "i am ",      "he's ",
    "she's ",      "he is ",      "she is ",         "mother is ",  "mom is ",    "mum is ",
    "father is ",  "dad is ",     "grandmother is ", "grandma is ", "granny is ", "grandfather is ",
    "grandpa is ", "husband is ", "wife is ",        "patient is ", "son is ",    "daughter is "};

using internal::IsAsciiLetter;
using internal::IsDigit;

// Skips spaces and one hyphen between a number and its unit ("33-lb", "12 kg").
size_t SkipGap(std::string_view text, size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '-')) ++i;
  return i;
}

// Whether `word` starts at text[i] as a whole word (an ASCII word must not run on: "kg" is not
// the start of "kgb"; other scripts are matched as they are).
bool WordAt(std::string_view text, size_t i, std::string_view word) {
  if (text.substr(i, word.size()) != word) return false;
  const size_t end = i + word.size();
  return !IsAsciiLetter(word.back()) || end == text.size() || !IsAsciiLetter(text[end]);
}

template <size_t N>
bool AnyWordAt(std::string_view text, size_t i, const std::array<std::string_view, N>& words) {
  for (auto w : words) {
    if (WordAt(text, i, w)) return true;
  }
  return false;
}

template <size_t N>
bool AnyBefore(std::string_view text, size_t at, size_t window,
               const std::array<std::string_view, N>& words) {
  const size_t from = at > window ? at - window : 0;
  const std::string_view before = text.substr(from, at - from);
  for (auto w : words) {
    if (before.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// Whether text ends with one of the words, starting a word ("dosage 5" does not end with "age ").
template <size_t N>
bool EndsWithWord(std::string_view text, const std::array<std::string_view, N>& words) {
  for (auto w : words) {
    if (text.size() < w.size() || text.substr(text.size() - w.size()) != w) continue;
    const size_t at = text.size() - w.size();
    if (at == 0 || !IsAsciiLetter(text[at - 1])) return true;
  }
  return false;
}

// One value read from the text, or none when the text gives two that differ by more than
// `tolerance` (a share of the larger): one weight written in two units ("36 lb (about 16 kg)",
// 16.3 and 16 kg) is one weight, and the first reading is kept.
struct Single {
  explicit Single(double tolerance = 0) : tolerance(tolerance) {}
  double tolerance;
  std::optional<double> value;
  bool conflict = false;
  void Add(double v) {
    if (conflict) return;
    if (value && std::abs(*value - v) <= tolerance * std::max(*value, v)) return;
    if (value && *value != v) {
      conflict = true;
      value.reset();
      return;
    }
    value = v;
  }
};

void ReadText(std::string_view text, Single* weight, Single* age) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsDigit(text[i]) || (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '.'))) continue;
    size_t end = i;
    while (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) ++end;
    double number = 0;
    if (std::from_chars(text.data() + i, text.data() + end, number).ec != std::errc{}) continue;
    const size_t unit = SkipGap(text, end);
    bool weight_unit = false;
    for (const auto& u : kWeightUnits) {
      if (!WordAt(text, unit, u.word)) continue;
      if (!AnyBefore(text, i, 16, kWeightChange)) weight->Add(number * u.to_kg);
      weight_unit = true;
      break;
    }
    if (weight_unit) {
      i = end;
      continue;
    }
    if (AnyWordAt(text, unit, kAgeWords) || EndsWithWord(text.substr(0, i), kAgeLead) ||
        (AnyWordAt(text, unit, kArabicYears) &&
         (AnyBefore(text, i, 12, kArabicAgeLead) || AfterArabicKin(text.substr(0, i))))) {
      age->Add(number);
    } else if (AnyWordAt(text, unit, kMonthAgeWords) ||
               (AnyWordAt(text, unit, kArabicMonths) &&
                (AnyBefore(text, i, 12, kArabicMonthLead) || AfterArabicKin(text.substr(0, i))))) {
      age->Add(number / 12);
    }
    i = end;
  }
}

// Ages written without digits: a Chinese numeral before 岁 ("两岁", "十一岁"), and Arabic
// "عمره سنه" (one year), "عمرها سنتين" (two years), "عمره شهرين" (two months).
struct WordAge {
  std::string_view words;
  double years;
};
constexpr std::array kWordAges{
    WordAge{"一岁", 1},
    WordAge{"两岁", 2},
    WordAge{"二岁", 2},
    WordAge{"三岁", 3},
    WordAge{"四岁", 4},
    WordAge{"五岁", 5},
    WordAge{"六岁", 6},
    WordAge{"七岁", 7},
    WordAge{"八岁", 8},
    WordAge{"九岁", 9},
    WordAge{"十岁", 10},
    WordAge{"十一岁", 11},
    WordAge{"十二岁", 12},
    WordAge{"半岁", 0.5},
    WordAge{"一个月大", 1.0 / 12},
    WordAge{"两个月大", 2.0 / 12},
    WordAge{"三个月大", 3.0 / 12},
    WordAge{"六个月大", 0.5},
};
constexpr std::array<std::string_view, 4> kArabicAgeWordLead{"عمره ", "عمرها ", "عمري ", "بعمر "};
constexpr std::array kArabicWordAges{
    WordAge{"سنه", 1},          WordAge{"سنتين", 2},      WordAge{"سنتان", 2},
    WordAge{"شهرين", 2.0 / 12}, WordAge{"شهر", 1.0 / 12},
};

void ReadWordAges(std::string_view text, Single* age) {
  for (const auto& w : kWordAges) {
    for (size_t at = text.find(w.words); at != std::string_view::npos;
         at = text.find(w.words, at + w.words.size())) {
      // "十一岁" also contains "一岁": only the longest numeral counts.
      const bool inside =
          at >= 3 && (text.substr(at - 3, 3) == "十" || text.substr(at - 3, 3) == "二" ||
                      text.substr(at - 3, 3) == "几");
      if (!inside) age->Add(w.years);
    }
  }
  for (auto lead : kArabicAgeWordLead) {
    for (size_t at = text.find(lead); at != std::string_view::npos;
         at = text.find(lead, at + lead.size())) {
      const size_t next = at + lead.size();
      for (const auto& w : kArabicWordAges) {
        if (!WordAt(text, next, w.words)) continue;
        const size_t end = next + w.words.size();
        // A whole word: "سنه" must not be the start of "سنوات".
        if (end < text.size() && text[end] != ' ' && text[end] != ',' && text[end] != '.') continue;
        age->Add(w.years);
        break;
      }
    }
  }
}

}  // namespace

Patient ReadPatient(std::string_view normalized_question, std::string_view normalized_answer) {
  // Weights round when converted (36 lb is 16.3 kg, "about 16 kg"): within 5% they are one.
  Single weight(0.05), age;
  ReadText(normalized_question, &weight, &age);
  ReadWordAges(normalized_question, &age);
  ReadText(normalized_answer, &weight, &age);
  ReadWordAges(normalized_answer, &age);
  return {weight.value, age.value};
}

}  // namespace medaudit::extract
