#include "extract/patient.h"

#include <algorithm>
#include <array>
#include <bitset>
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
// Right before a weight, these deny it: a correction ("12 kg, not 20 kg", "体重11公斤，不是20公斤",
// "وزنه 12 كغ وليس 20 كغ") names the patient's weight and the one that was wrong.
constexpr std::array<std::string_view, 13> kWeightDenied{
    "not",  "isn't", "instead of", "rather than", "不是", "并非", "而非",
    "وليس", "ليس",   "وليست",      "ليست",        "مش",   "بدل"};
// After a number, these say "months of age" ("8-month-old", "11个月大", "月龄"): the age is
// read in years (months / 12). A bare "7个月" or "7 months" is a duration, not an age.
constexpr std::array<std::string_view, 12> kMonthAgeWords{
    "months old", "month old", "months-old", "month-old",  "mo old",     "个月大",
    "个月的宝宝", "个月宝宝",  "个月的孩子", "个月的婴儿", "个月的女儿", "个月的儿子"};
// After a number, these say "weeks of age" ("6-week-old", "6周大"): read in years (weeks / 52).
constexpr std::array<std::string_view, 7> kWeekAgeWords{
    "weeks old", "week old", "weeks-old", "week-old", "周大", "周的宝宝", "周宝宝"};
// A bare "months" is an age only right after a third person ("she's 18 months", "he is 9
// months"), and not before "pregnant" ("she's 5 months pregnant"): "for 3 months" is a duration.
constexpr std::array<std::string_view, 4> kBareMonths{"months", "month", "mos", "mo"};
constexpr std::array<std::string_view, 8> kMonthLead{
    "he's ", "she's ", "he is ", "she is ", "son is ", "daughter is ", "baby is ", "toddler is "};
constexpr std::array<std::string_view, 3> kNotAge{"pregnant", "along", "postpartum"};
// Chinese "N个月" is an age only right after a child ("女儿18个月", "宝宝5个月了"): "吃了3个月" is
// a duration. The window is the few bytes between the child word and the number.
constexpr std::array<std::string_view, 1> kChineseMonths{"个月"};
constexpr std::array<std::string_view, 9> kChineseChild{"宝宝", "孩子", "女儿", "儿子", "闺女",
                                                        "小孩", "婴儿", "孙子", "孙女"};
// Arabic written in Latin letters (Arabizi): "ibni 3omro 5 shhor", "binti 3omra sana":
// an age word before the number, months or years after it.
constexpr std::array<std::string_view, 8> kArabiziAgeLead{"3omro", "3omra", "3omri", "3mro",
                                                          "3mra",  "3umru", "3umra", "omro"};
constexpr std::array<std::string_view, 7> kArabiziMonths{"shhor",  "shhour",  "shuhur", "shohor",
                                                         "ashhor", "ash-hor", "shahr"};
constexpr std::array<std::string_view, 5> kArabiziYears{"snin", "sneen", "sanawat", "sana",
                                                        "senin"};
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

// An adult relative named right before a number of years ("جدي ٨١ عام", "ابوي ٧٥ سنه", "بيي
// ٨٠ سنه"): an age from kAdultKinMinYears up (a smaller number after a parent is more often how
// long: "زوجي ٣ سنين بياخد").
constexpr std::array<std::string_view, 19> kArabicAdultKin{
    "ابوي", "ابويا", "ابي",  "بيي",  "امي",   "والدي", "والدتي", "جدي",  "جدتي", "ستي",
    "تيتا", "بابا",  "ماما", "زوجي", "زوجتي", "خالتي", "عمتي",   "خالي", "عمي"};
constexpr double kAdultKinMinYears = 40;

// Whether the text before a number ends with one of the words (spaces skipped).
template <size_t N>
bool EndsWithAfterSpaces(std::string_view before, const std::array<std::string_view, N>& words) {
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (auto w : words) {
    if (before.size() >= w.size() && before.substr(before.size() - w.size()) == w) return true;
  }
  return false;
}

// Whether the text before a number ends with an Arabic kinship word (spaces skipped).
bool AfterArabicKin(std::string_view before) { return EndsWithAfterSpaces(before, kArabicKin); }

// Before a number: "aged 75", "age: 75", and a person with "is" ("my mother is 78"): only a
// person may lead, since "my heart rate is 90" is not an age.
constexpr std::array<std::string_view, 36> kAgeLead{"aged ",
                                                    "age ",
                                                    "age: ",
                                                    "i'm ",
                                                    "i am ",
                                                    "he's ",
                                                    "she's ",
                                                    "he is ",
                                                    "she is ",
                                                    "mother is ",
                                                    "mom is ",
                                                    "mum is ",
                                                    "father is ",
                                                    "dad is ",
                                                    "grandmother is ",
                                                    "grandma is ",
                                                    "granny is ",
                                                    "grandfather is ",
                                                    "grandpa is ",
                                                    "husband is ",
                                                    "wife is ",
                                                    "patient is ",
                                                    "son is ",
                                                    "daughter is ",
                                                    "nan is ",
                                                    "nana is ",
                                                    "nanna is ",
                                                    "gran is ",
                                                    "grandad is ",
                                                    "granddad is ",
                                                    "gramps is ",
                                                    "uncle is ",
                                                    "aunt is ",
                                                    "mother-in-law is ",
                                                    "father-in-law is ",
                                                    "resident is "};

using internal::IsAsciiLetter;
using internal::IsDigit;

// Skips spaces and one hyphen between a number and its unit ("33-lb", "12 kg").
size_t SkipGap(std::string_view text, size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '-')) ++i;
  return i;
}

// A person followed by a bare number in brackets or between commas is their age: "my mother
// (64)", "Dad (81) has", "Mum, 79, has", "我爸(81)", "ابوي (٨١)". Brackets take any age up to
// kMaxAge; commas, an adult age only (kAdultKinMinYears), since "dad, 2 tablets" is a count.
constexpr std::array<std::string_view, 37> kPersonWords{
    "mother",  "mom",      "mum",         "mam",      "father",  "dad",   "grandmother", "grandma",
    "granny",  "nan",      "grandfather", "grandpa",  "husband", "wife",  "nana",        "gran",
    "grandad", "granddad", "son",         "daughter", "patient", "uncle", "aunt",        "man",
    "woman",   "boy",      "girl",        "baby",     "我妈",    "我爸",  "妈妈",        "爸爸",
    "老人",    "奶奶",     "爷爷",        "外婆",     "外公"};
constexpr double kMaxAge = 110;

// Whether the number at text[at] (ending at text[end]) is a bracketed or comma-set age after a
// person word.
bool IsBracketedAge(std::string_view text, size_t at, size_t end, double number) {
  if (at < 2 || number <= 0 || number > kMaxAge) return false;
  std::string_view before = text.substr(0, at);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  if (before.empty()) return false;
  const char open = before.back();
  size_t after = end;
  while (after < text.size() && text[after] == ' ') ++after;
  if (after >= text.size()) return false;
  const char close = text[after];
  const bool bracket = open == '(' && close == ')';
  const bool commas = open == ',' && close == ',' && number >= kAdultKinMinYears;
  if (!bracket && !commas) return false;
  before.remove_suffix(1);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (auto w : kPersonWords) {
    if (before.size() < w.size() || before.substr(before.size() - w.size()) != w) continue;
    const size_t start = before.size() - w.size();
    if (IsAsciiLetter(w.front()) && start > 0 && IsAsciiLetter(before[start - 1])) continue;
    return true;
  }
  return EndsWithAfterSpaces(before, kArabicAdultKin) || EndsWithAfterSpaces(before, kArabicKin);
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

// Whether the number at text[at], whose unit starts at text[unit], is an age in months written
// after a person or a child: "she's 18 months", "ibni 3omro 5 shhor", "女儿18个月". (The
// "N months old" spellings are read with the other age words.)
bool IsMonthsOfAge(std::string_view text, size_t at, size_t unit) {
  if (AnyWordAt(text, unit, kBareMonths) && EndsWithWord(text.substr(0, at), kMonthLead)) {
    const size_t word_end = text.find(' ', unit);
    const size_t next = word_end == std::string_view::npos ? text.size() : word_end + 1;
    return !AnyWordAt(text, next, kNotAge);
  }
  if (AnyWordAt(text, unit, kArabiziMonths) && AnyBefore(text, at, 8, kArabiziAgeLead)) return true;
  return AnyWordAt(text, unit, kChineseMonths) && AnyBefore(text, at, 9, kChineseChild);
}

// Whether the text before a weight ends with a word that denies it (spaces skipped; a Latin
// word must start a word: "knot" is not "not").
bool WeightDenied(std::string_view before) {
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (auto w : kWeightDenied) {
    if (before.size() < w.size() || before.substr(before.size() - w.size()) != w) continue;
    const size_t at = before.size() - w.size();
    if (!IsAsciiLetter(w.front()) || at == 0 || !IsAsciiLetter(before[at - 1])) return true;
  }
  return false;
}

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
      if (!AnyBefore(text, i, 16, kWeightChange) && !WeightDenied(text.substr(0, i))) {
        weight->Add(number * u.to_kg);
      }
      weight_unit = true;
      break;
    }
    if (weight_unit) {
      i = end;
      continue;
    }
    // "she's 5 months pregnant": a number of months is never a number of years.
    const bool months = AnyWordAt(text, unit, kBareMonths);
    if (IsMonthsOfAge(text, i, unit)) {
      age->Add(number / 12);
    } else if (AnyWordAt(text, unit, kAgeWords) ||
               (!months && EndsWithWord(text.substr(0, i), kAgeLead)) ||
               (AnyWordAt(text, unit, kArabiziYears) && AnyBefore(text, i, 8, kArabiziAgeLead)) ||
               (AnyWordAt(text, unit, kArabicYears) &&
                (AnyBefore(text, i, 12, kArabicAgeLead) || AfterArabicKin(text.substr(0, i)) ||
                 (number >= kAdultKinMinYears &&
                  EndsWithAfterSpaces(text.substr(0, i), kArabicAdultKin)))) ||
               IsBracketedAge(text, i, end, number)) {
      age->Add(number);
    } else if (AnyWordAt(text, unit, kMonthAgeWords) ||
               (AnyWordAt(text, unit, kArabicMonths) &&
                (AnyBefore(text, i, 12, kArabicMonthLead) || AfterArabicKin(text.substr(0, i))))) {
      age->Add(number / 12);
    } else if (AnyWordAt(text, unit, kWeekAgeWords)) {
      age->Add(number / 52);
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

// Arabizi ages in words: "ibni 3omro sana w nos" (a year and a half), "3omra santen" (two).
// Longer words first: "sana w nos" before "sana".
constexpr std::array<std::string_view, 4> kArabiziAgeWordLead{"3omro ", "3omra ", "3omri ",
                                                              "3mro "};
constexpr std::array kArabiziWordAges{
    WordAge{"sana w nos", 1.5},    WordAge{"sana w nus", 1.5}, WordAge{"santen", 2},
    WordAge{"sanatain", 2},        WordAge{"sana", 1},         WordAge{"shahren", 2.0 / 12},
    WordAge{"shahrain", 2.0 / 12}, WordAge{"shahr", 1.0 / 12},
};

void ReadWordAges(std::string_view text, Single* age) {
  for (auto lead : kArabiziAgeWordLead) {
    for (size_t at = text.find(lead); at != std::string_view::npos;
         at = text.find(lead, at + lead.size())) {
      for (const auto& w : kArabiziWordAges) {
        if (!WordAt(text, at + lead.size(), w.words)) continue;
        age->Add(w.years);
        break;
      }
    }
  }
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

// ---- Kidney function (question only) ----

// Clearance (mL/min) a word for impaired kidneys stands for: dialysis below 15, failure below 30
// (severe), and any other impairment below 60 (moderate, the band most renal dose cuts start).
constexpr double kDialysisMlMin = 10;
constexpr double kFailureMlMin = 29;
constexpr double kImpairedMlMin = 59;

struct KidneyWord {
  std::string_view word;
  double ml_min;
};
// Normalized spellings (Arabic ى -> ي, ة -> ه). Longer phrases are listed with shorter ones;
// the lowest clearance found wins, so overlaps do no harm.
constexpr std::array kKidneyWords{
    KidneyWord{"dialysis", kDialysisMlMin},
    KidneyWord{"haemodialysis", kDialysisMlMin},
    KidneyWord{"hemodialysis", kDialysisMlMin},
    KidneyWord{"透析", kDialysisMlMin},
    KidneyWord{"尿毒症", kDialysisMlMin},
    KidneyWord{"غسيل كلي", kDialysisMlMin},
    KidneyWord{"غسيل الكلي", kDialysisMlMin},
    KidneyWord{"غسيل كلوي", kDialysisMlMin},
    KidneyWord{"غسيل للكلي", kDialysisMlMin},
    KidneyWord{"الغسيل الكلوي", kDialysisMlMin},
    KidneyWord{"غسل الكلي", kDialysisMlMin},
    KidneyWord{"kidney failure", kFailureMlMin},
    KidneyWord{"renal failure", kFailureMlMin},
    KidneyWord{"end-stage renal", kFailureMlMin},
    KidneyWord{"end stage renal", kFailureMlMin},
    KidneyWord{"end-stage kidney", kFailureMlMin},
    KidneyWord{"end stage kidney", kFailureMlMin},
    KidneyWord{"esrd", kFailureMlMin},
    KidneyWord{"kidneys failed", kFailureMlMin},
    KidneyWord{"kidneys have failed", kFailureMlMin},
    KidneyWord{"kidneys are failing", kFailureMlMin},
    KidneyWord{"肾衰", kFailureMlMin},
    KidneyWord{"肾功能衰竭", kFailureMlMin},
    KidneyWord{"肾脏衰竭", kFailureMlMin},
    KidneyWord{"فشل كلوي", kFailureMlMin},
    KidneyWord{"الفشل الكلوي", kFailureMlMin},
    KidneyWord{"فشل الكلي", kFailureMlMin},
    KidneyWord{"فشل في الكلي", kFailureMlMin},
    KidneyWord{"فشل بالكلي", kFailureMlMin},
    KidneyWord{"renal impairment", kImpairedMlMin},
    KidneyWord{"kidney impairment", kImpairedMlMin},
    KidneyWord{"impaired renal", kImpairedMlMin},
    KidneyWord{"impaired kidney", kImpairedMlMin},
    KidneyWord{"renal insufficiency", kImpairedMlMin},
    KidneyWord{"kidney insufficiency", kImpairedMlMin},
    KidneyWord{"kidney disease", kImpairedMlMin},
    KidneyWord{"renal disease", kImpairedMlMin},
    KidneyWord{"ckd", kImpairedMlMin},
    KidneyWord{"kidney problem", kImpairedMlMin},
    KidneyWord{"kidney issue", kImpairedMlMin},
    KidneyWord{"weak kidney", kImpairedMlMin},
    KidneyWord{"bad kidney", kImpairedMlMin},
    KidneyWord{"kidneys are weak", kImpairedMlMin},
    KidneyWord{"kidneys aren't working", kImpairedMlMin},
    KidneyWord{"kidneys don't work", kImpairedMlMin},
    KidneyWord{"poor kidney function", kImpairedMlMin},
    KidneyWord{"reduced kidney function", kImpairedMlMin},
    KidneyWord{"reduced renal function", kImpairedMlMin},
    KidneyWord{"low kidney function", kImpairedMlMin},
    KidneyWord{"decreased kidney function", kImpairedMlMin},
    KidneyWord{"kidney function is low", kImpairedMlMin},
    KidneyWord{"kidney function is reduced", kImpairedMlMin},
    KidneyWord{"kidney function is poor", kImpairedMlMin},
    KidneyWord{"nephropathy", kImpairedMlMin},
    KidneyWord{"肾功能不全", kImpairedMlMin},
    KidneyWord{"肾功能不好", kImpairedMlMin},
    KidneyWord{"肾功能差", kImpairedMlMin},
    KidneyWord{"肾功能下降", kImpairedMlMin},
    KidneyWord{"肾功能减退", kImpairedMlMin},
    KidneyWord{"肾功能受损", kImpairedMlMin},
    KidneyWord{"肾功能损害", kImpairedMlMin},
    KidneyWord{"肾功能异常", kImpairedMlMin},
    KidneyWord{"肾功能有问题", kImpairedMlMin},
    KidneyWord{"肾功能也不好", kImpairedMlMin},
    KidneyWord{"肾不好", kImpairedMlMin},
    KidneyWord{"肾脏不好", kImpairedMlMin},
    KidneyWord{"肾有问题", kImpairedMlMin},
    KidneyWord{"肾脏有问题", kImpairedMlMin},
    KidneyWord{"肾病", kImpairedMlMin},
    KidneyWord{"肾脏病", kImpairedMlMin},
    KidneyWord{"肾损害", kImpairedMlMin},
    KidneyWord{"肾损伤", kImpairedMlMin},
    KidneyWord{"قصور كلوي", kImpairedMlMin},
    KidneyWord{"القصور الكلوي", kImpairedMlMin},
    KidneyWord{"قصور الكلي", kImpairedMlMin},
    KidneyWord{"قصور في الكلي", kImpairedMlMin},
    KidneyWord{"قصور بالكلي", kImpairedMlMin},
    KidneyWord{"ضعف الكلي", kImpairedMlMin},
    KidneyWord{"ضعف في الكلي", kImpairedMlMin},
    KidneyWord{"ضعف بالكلي", kImpairedMlMin},
    KidneyWord{"الكلي ضعيفه", kImpairedMlMin},
    KidneyWord{"كليته ضعيفه", kImpairedMlMin},
    KidneyWord{"كليتها ضعيفه", kImpairedMlMin},
    KidneyWord{"مرض كلوي", kImpairedMlMin},
    KidneyWord{"مرض الكلي", kImpairedMlMin},
    KidneyWord{"امراض الكلي", kImpairedMlMin},
    KidneyWord{"مرض مزمن في الكلي", kImpairedMlMin},
    KidneyWord{"اعتلال الكلي", kImpairedMlMin},
    KidneyWord{"اعتلال كلوي", kImpairedMlMin},
    KidneyWord{"مشاكل في الكلي", kImpairedMlMin},
    KidneyWord{"مشاكل بالكلي", kImpairedMlMin},
    KidneyWord{"مشكله في الكلي", kImpairedMlMin},
    KidneyWord{"مشكله بالكلي", kImpairedMlMin},
    KidneyWord{"الكلي تعبانه", kImpairedMlMin},
    KidneyWord{"الكلاوي تعبانه", kImpairedMlMin},
    KidneyWord{"مشاكل في الكلاوي", kImpairedMlMin},
    KidneyWord{"مشاكل بالكلاوي", kImpairedMlMin},
};
// Just before a kidney word, these deny it ("no kidney problems", "没有肾病", "ما عنده فشل كلوي").
constexpr std::array<std::string_view, 14> kKidneyNegation{
    "no ", "not ", "without ", "never had ", "denies ",  "没有",     "无",
    "没",  "不是", "بدون ",    "لا يوجد ",   "ما عنده ", "ما عندي ", "مافي "};
// Within a clause before a kidney word, these make it a possible harm rather than the patient's
// state ("can it cause kidney damage", "to prevent complications like kidney failure",
// "会不会伤肾", "预防肾衰竭等并发症", "هل يسبب فشل كلوي", "مضاعفات مثل الفشل الكلوي").
constexpr std::array<std::string_view, 31> kKidneyHarmFraming{
    "cause",   "lead to", "risk",    "prevent", "protect", "avoid", "complication", "affect",
    "bad for", "hurt",    "harm",    "damage",  "导致",    "引起",  "影响",         "伤",
    "预防",    "避免",    "并发症",  "风险",    "يسبب",    "تسبب",  "يضر",          "يؤثر",
    "خطر",     "مضاعفات", "للوقايه", "لتجنب",   "family",  "家族",  "العائله"};
// Words after which a number is a clearance or eGFR in mL/min.
constexpr std::array<std::string_view, 18> kClearanceWords{"egfr",           "gfr",
                                                           "crcl",           "cr cl",
                                                           "clearance",      "肌酐清除率",
                                                           "肾小球滤过率",   "滤过率",
                                                           "清除率",         "تصفيه الكرياتينين",
                                                           "معدل الترشيح",   "الترشيح الكبيبي",
                                                           "معدل التصفيه",   "نسبه التصفيه",
                                                           "معدل ترشيح",     "ترشيح الكلي",
                                                           "الترشيح الكلوي", "تصفيه كرياتينين"};
// Words after which a number followed by "%" is the kidney function as a share of normal, read
// as mL/min ("kidney function 25%", "肾功能只剩20%", "وظائف الكلي ٢٥٪", "الكلي شغاله ٢٠٪").
constexpr std::array<std::string_view, 7> kKidneyPercentWords{
    "kidney function", "肾功能",     "وظائف الكلي", "وظيفه الكلي",
    "كفاءه الكلي",     "نسبه الكلي", "الكلي شغاله"};
// How far after such a word the number may start ("kidney function is down to 25%").
constexpr size_t kKidneyPercentWindow = 24;
// Between the word and the number, these make the percentage a change, not the level ("kidney
// function dropped by 20%", "肾功能下降了20%", "وظائف الكلي انخفضت ٢٠٪").
constexpr std::array<std::string_view, 9> kPercentChange{"by",   "drop", "fell",  "下降", "降低",
                                                         "减少", "降了", "انخفض", "نقص"};
// How far after such a word the number may start ("eGFR of about 25", "肌酐清除率只有30").
constexpr size_t kClearanceWindow = 20;

// The first number in text[from, from + window) before a sentence ends, or nothing.
std::optional<double> NumberAfter(std::string_view text, size_t from, size_t window) {
  const size_t stop = std::min(text.size(), from + window);
  for (size_t i = from; i < stop; ++i) {
    const char c = text[i];
    if (c == '.' || c == '\n' || c == ';' || c == '?' || c == '!') return std::nullopt;
    if (!IsDigit(c)) continue;
    size_t end = i;
    while (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) ++end;
    double number = 0;
    if (std::from_chars(text.data() + i, text.data() + end, number).ec != std::errc{}) {
      return std::nullopt;
    }
    return number;
  }
  return std::nullopt;
}

// The first number in text[from, from + window) when "%" follows it (spaces allowed), or nothing;
// a sentence end or any other number first gives nothing.
std::optional<double> PercentAfter(std::string_view text, size_t from, size_t window) {
  const size_t stop = std::min(text.size(), from + window);
  for (size_t i = from; i < stop; ++i) {
    if (!IsDigit(text[i])) {
      if (text[i] == '.' || text[i] == '\n' || text[i] == ';' || text[i] == '?')
        return std::nullopt;
      continue;
    }
    const auto number = NumberAfter(text, i, 1);
    size_t end = i;
    while (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) ++end;
    while (end < text.size() && text[end] == ' ') ++end;
    if (!number || end >= text.size() || text[end] != '%') return std::nullopt;
    return number;
  }
  return std::nullopt;
}

// Whether a negation word ends within a few bytes before `at`, or a harm-framing word stands in
// the same clause before it (no sentence or clause end between).
bool Negated(std::string_view text, size_t at) {
  const size_t from = at > 32 ? at - 32 : 0;
  const std::string_view before = text.substr(from, at - from);
  for (auto w : kKidneyNegation) {
    const size_t pos = before.rfind(w);
    if (pos == std::string_view::npos) continue;
    // Only a short gap between the negation and the kidney word ("no known kidney problems").
    if (before.size() - (pos + w.size()) <= 12) return true;
  }
  const size_t wide = at > 60 ? at - 60 : 0;
  std::string_view clause = text.substr(wide, at - wide);
  const size_t stop = clause.find_last_of(".;?!\n");
  if (stop != std::string_view::npos) clause.remove_prefix(stop + 1);
  for (auto w : kKidneyHarmFraming) {
    if (clause.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// The top of a CKD stage's eGFR band (KDIGO 2012): 2 -> 89, 3 (3a) -> 59, 3b -> 44, 4 -> 29,
// 5 -> 14; nothing for stage 1 or an unknown stage.
std::optional<double> StageTop(int stage, char sub) {
  switch (stage) {
    case 2:
      return 89;
    case 3:
      return sub == 'b' ? 44 : 59;
    case 4:
      return 29;
    case 5:
      return 14;
    default:
      return std::nullopt;
  }
}

// A stage digit (ASCII or a Chinese numeral) at text[i], with its sub-stage letter, or 0.
int StageDigitAt(std::string_view text, size_t i, char* sub) {
  *sub = 0;
  static constexpr std::array<std::string_view, 4> kZhNumerals{"二", "三", "四", "五"};
  for (size_t k = 0; k < kZhNumerals.size(); ++k) {
    if (text.substr(i, kZhNumerals[k].size()) == kZhNumerals[k]) return static_cast<int>(k) + 2;
  }
  if (i >= text.size() || text[i] < '1' || text[i] > '5') return 0;
  if (i + 1 < text.size() && IsDigit(text[i + 1])) return 0;
  if (i + 1 < text.size() && (text[i + 1] == 'a' || text[i + 1] == 'b')) *sub = text[i + 1];
  return text[i] - '0';
}

// CKD stages: "ckd stage 4", "ckd 3b", "stage 4 kidney disease", "慢性肾病4期", "肾病三期",
// "المرحله الرابعه" near a kidney word.
void ReadStages(std::string_view text, double* lowest) {
  auto note = [&](int stage, char sub) {
    if (auto top = StageTop(stage, sub)) *lowest = std::min(*lowest, *top);
  };
  char sub = 0;
  for (size_t at = text.find("ckd"); at != std::string_view::npos; at = text.find("ckd", at + 3)) {
    size_t i = at + 3;
    while (i < text.size() && (text[i] == ' ' || text[i] == '-' || text[i] == ':')) ++i;
    if (text.substr(i, 5) == "stage") i = SkipGap(text, i + 5);
    if (const int stage = StageDigitAt(text, i, &sub)) note(stage, sub);
  }
  for (size_t at = text.find("stage"); at != std::string_view::npos;
       at = text.find("stage", at + 5)) {
    const size_t i = SkipGap(text, at + 5);
    const int stage = StageDigitAt(text, i, &sub);
    const std::string_view after = text.substr(i, 40);
    const size_t from = at > 40 ? at - 40 : 0;
    const std::string_view before = text.substr(from, at - from);
    const bool kidney = after.find("kidney") != std::string_view::npos ||
                        after.find("renal") != std::string_view::npos ||
                        after.find("ckd") != std::string_view::npos ||
                        before.find("kidney") != std::string_view::npos ||
                        before.find("renal") != std::string_view::npos;
    if (stage && kidney) note(stage, sub);
  }
  for (size_t at = text.find("期"); at != std::string_view::npos; at = text.find("期", at + 3)) {
    const size_t from = at > 24 ? at - 24 : 0;
    const std::string_view before = text.substr(from, at - from);
    if (before.find("肾") == std::string_view::npos && before.find("ckd") == std::string_view::npos)
      continue;
    // The numeral right before 期: a Chinese numeral (3 bytes) or an ASCII digit (and letter).
    for (size_t back : {size_t{3}, size_t{2}, size_t{1}}) {
      if (at < back) continue;
      const int stage = StageDigitAt(text, at - back, &sub);
      if (stage && (back != 2 || sub != 0) && (back != 3 || !IsDigit(text[at - back]))) {
        note(stage, sub);
        break;
      }
    }
  }
  static constexpr std::array<std::pair<std::string_view, int>, 6> kArabicStages{
      {{"الثانيه", 2}, {"الثالثه", 3}, {"الرابعه", 4}, {"الخامسه", 5}, {"الاخيره", 5}, {"", 0}}};
  for (size_t at = text.find("المرحله"); at != std::string_view::npos;
       at = text.find("المرحله", at + 1)) {
    const size_t from = at > 40 ? at - 40 : 0;
    const std::string_view near = text.substr(from, at - from + 80);
    if (near.find("كلي") == std::string_view::npos && near.find("كلوي") == std::string_view::npos)
      continue;
    const size_t i = SkipGap(text, at + std::string_view("المرحله").size());
    if (const int stage = StageDigitAt(text, i, &sub)) {
      note(stage, sub);
      continue;
    }
    for (const auto& [word, stage] : kArabicStages) {
      if (!word.empty() && text.substr(i, word.size()) == word) note(stage, 0);
    }
  }
}

// Every word ReadKidneyFunction reads contains one of these: a kidney word, a clearance or
// percent word, or (ReadStages) a stage word, which counts only beside "kidney", "renal", "ckd",
// "肾", "كلي" or "كلوي". Most questions have none of them, and one pass for them is much cheaper
// than one search per word (about 130 of them).
constexpr std::array<std::string_view, 20> kKidneyAnchors{
    "dialysis", "kidney", "renal",     "esrd", "ckd",    "nephropathy", "gfr",
    "crcl",     "cr cl",  "clearance", "透析", "尿毒症", "肾",          "清除率",
    "滤过率",   "كلي",    "كلو",       "كلا",  "تصفيه",  "ترشيح"};

constexpr bool HasKidneyAnchor(std::string_view word) {
  return std::any_of(kKidneyAnchors.begin(), kKidneyAnchors.end(),
                     [&](std::string_view a) { return word.find(a) != std::string_view::npos; });
}
static_assert(std::all_of(kKidneyWords.begin(), kKidneyWords.end(),
                          [](const KidneyWord& w) { return HasKidneyAnchor(w.word); }));
static_assert(std::all_of(kClearanceWords.begin(), kClearanceWords.end(), HasKidneyAnchor));
static_assert(std::all_of(kKidneyPercentWords.begin(), kKidneyPercentWords.end(), HasKidneyAnchor));
static_assert(std::all_of(kKidneyAnchors.begin(), kKidneyAnchors.end(),
                          [](std::string_view a) { return a.size() >= 3; }));

// Whether one of kKidneyAnchors occurs in text: a position is compared with the anchors only
// when its first two bytes open one of them.
bool MentionsKidneys(std::string_view text) {
  static const std::bitset<65536> kOpens = [] {
    std::bitset<65536> opens;
    for (const std::string_view a : kKidneyAnchors) {
      opens.set(static_cast<unsigned char>(a[0]) << 8 | static_cast<unsigned char>(a[1]));
    }
    return opens;
  }();
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    if (!kOpens.test(static_cast<unsigned char>(text[i]) << 8 |
                     static_cast<unsigned char>(text[i + 1]))) {
      continue;
    }
    for (const std::string_view a : kKidneyAnchors) {
      if (a[0] == text[i] && a[1] == text[i + 1] && text.compare(i, a.size(), a) == 0) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<double> ReadKidneyFunction(std::string_view text) {
  if (!MentionsKidneys(text)) return std::nullopt;
  constexpr double kNone = 1e9;
  double lowest = kNone;
  for (const auto& w : kKidneyWords) {
    for (size_t at = text.find(w.word); at != std::string_view::npos;
         at = text.find(w.word, at + w.word.size())) {
      if (IsAsciiLetter(w.word.front()) && at > 0 && IsAsciiLetter(text[at - 1])) continue;
      if (!Negated(text, at)) lowest = std::min(lowest, w.ml_min);
    }
  }
  for (auto w : kClearanceWords) {
    for (size_t at = text.find(w); at != std::string_view::npos; at = text.find(w, at + w.size())) {
      if (IsAsciiLetter(w.front()) && at > 0 && IsAsciiLetter(text[at - 1]) &&
          !(w == "gfr" && text[at - 1] == 'e')) {
        continue;
      }
      const auto number = NumberAfter(text, at + w.size(), kClearanceWindow);
      // A clearance is 5-150 mL/min; a serum creatinine (1.8 mg/dl, 160 umol/l) follows no
      // clearance word and is not read.
      if (number && *number >= 5 && *number <= 150) lowest = std::min(lowest, *number);
    }
  }
  for (auto w : kKidneyPercentWords) {
    for (size_t at = text.find(w); at != std::string_view::npos; at = text.find(w, at + w.size())) {
      const size_t from = at + w.size();
      const auto number = PercentAfter(text, from, kKidneyPercentWindow);
      if (!number || *number < 5 || *number > 100) continue;
      const std::string_view gap = text.substr(from, kKidneyPercentWindow);
      bool change = false;
      for (auto c : kPercentChange) change = change || gap.find(c) != std::string_view::npos;
      if (!change) lowest = std::min(lowest, *number);
    }
  }
  ReadStages(text, &lowest);
  if (lowest == kNone) return std::nullopt;
  return lowest;
}

Patient ReadPatient(std::string_view normalized_question, std::string_view normalized_answer) {
  // Weights round when converted (36 lb is 16.3 kg, "about 16 kg"): within 5% they are one.
  Single weight(0.05), age;
  ReadText(normalized_question, &weight, &age);
  ReadWordAges(normalized_question, &age);
  ReadText(normalized_answer, &weight, &age);
  ReadWordAges(normalized_answer, &age);
  return {weight.value, age.value, ReadKidneyFunction(normalized_question)};
}

}  // namespace medaudit::extract
