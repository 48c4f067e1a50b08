#include "extract/patient.h"

#include <array>
#include <charconv>

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
// Arabic years ("سنه", "سنوات", "عام") are an age only after an age word: "عمره ٧٥ سنه",
// "عندي ٧٨ سنه" ("I am 78"); "منذ ٣ سنوات" is a duration.
constexpr std::array<std::string_view, 5> kArabicYears{"سنوات", "سنين", "سنه", "عاما", "عام"};
constexpr std::array<std::string_view, 6> kArabicAgeLead{"عمر",   "عندي", "عنده",
                                                         "عندها", "بعمر", "سن"};

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

// A value seen once or more; two different values make it unknown.
struct Single {
  std::optional<double> value;
  bool conflict = false;
  void Add(double v) {
    if (conflict) return;
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
        (AnyWordAt(text, unit, kArabicYears) && AnyBefore(text, i, 12, kArabicAgeLead))) {
      age->Add(number);
    }
    i = end;
  }
}

}  // namespace

Patient ReadPatient(std::string_view normalized_question, std::string_view normalized_answer) {
  Single weight, age;
  ReadText(normalized_question, &weight, &age);
  ReadText(normalized_answer, &weight, &age);
  return {weight.value, age.value};
}

}  // namespace medaudit::extract
