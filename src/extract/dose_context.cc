#include "extract/dose_context.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>

#include "extract/internal/amount.h"
#include "extract/internal/lexical.h"
#include "extract/patient.h"
#include "text/units.h"

namespace medaudit::extract {
namespace {

using internal::Inside;
using internal::IsArabicLead;
using internal::IsAsciiLetter;
using internal::IsDigit;

size_t SkipSpaces(std::string_view text, size_t i) {
  while (i < text.size() && text[i] == ' ') ++i;
  return i;
}

// The number starting at text[i] (digits and one decimal point), or nullopt.
std::optional<double> NumberAt(std::string_view text, size_t* i) {
  size_t end = *i;
  while (end < text.size() && (IsDigit(text[end]) || text[end] == '.')) ++end;
  double value = 0;
  if (end == *i || std::from_chars(text.data() + *i, text.data() + end, value).ec != std::errc{}) {
    return std::nullopt;
  }
  *i = end;
  return value;
}

// The longest unit spelling of the given kind at text[i], as a whole word (an ASCII or Arabic
// spelling must not run on into a longer word: "ml" is not the start of "mls", "مل" of "ملعقه").
std::optional<text::UnitInfo> UnitAt(std::string_view text, size_t* i, text::UnitKind kind) {
  std::optional<text::UnitInfo> best;
  size_t best_size = 0;
  for (const auto& s : text::AllUnitSpellings()) {
    if (s.spelling.size() <= best_size || text.substr(*i, s.spelling.size()) != s.spelling) {
      continue;
    }
    const auto info = text::LookupUnit(s.spelling);
    if (!info || info->kind != kind) continue;
    const size_t end = *i + s.spelling.size();
    if (end < text.size()) {
      const auto next = static_cast<unsigned char>(text[end]);
      if ((IsAsciiLetter(s.spelling.back()) && IsAsciiLetter(text[end])) ||
          (IsArabicLead(static_cast<unsigned char>(s.spelling.front())) && IsArabicLead(next))) {
        continue;
      }
    }
    best = info;
    best_size = s.spelling.size();
  }
  if (best) *i += best_size;
  return best;
}

// The first of `words` that text[i] starts with, skipped with the spaces after it; npos when none.
template <size_t N>
size_t SkipOneOf(std::string_view text, size_t i, const std::string_view (&words)[N]) {
  for (std::string_view w : words) {
    if (text.substr(i, w.size()) == w) return SkipSpaces(text, i + w.size());
  }
  return std::string_view::npos;
}

// Words that open the volume of a concentration: "/", ":", "per", "in", 每, لكل, في, كل
// ("100 mg/5 ml", "2g:100ml", "120 mg in 5 ml"), optionally followed by "each"/"every"/كل
// ("160 mg in each 5 mL", "١٢٠ ملغ في كل ٥ مل", "per each 5 ml").
constexpr std::string_view kPerWords[] = {"/",    ":",   "per ", "in ", "每",
                                          "لكل ", "في ", "كل ",  "for "};
constexpr std::string_view kEachWords[] = {"each ", "every ", "لكل ", "كل ", "每"};
// Words between a volume and the mass it holds ("each 5 mL contains 160 mg", "每毫升含20mg",
// "كل ٥ مل فيها ١٠٠ ملغ", "لكل ٥ مل تحتوي على ١٢٠ ملغ").
constexpr std::string_view kHoldsWords[] = {
    "contains ", "contain ", "has ", "have ",      "holds ",     "含有",   "含",
    "有",        "فيها ",    "فيه ", "تحتوي علي ", "يحتوي علي ", "تحتوي ", "يحتوي ",
    "بها ",      "به ",      "= ",   "equals ",    "is ",        "gives ", ": "};

// "/", "per", ... between the mass and the volume of a concentration, with an "each" after it.
size_t SkipPer(std::string_view text, size_t i) {
  i = SkipOneOf(text, i, kPerWords);
  if (i == std::string_view::npos) return i;
  const size_t each = SkipOneOf(text, i, kEachWords);
  return each == std::string_view::npos ? i : each;
}

// A concentration found in text: its strength, the mass it states and where it ends.
struct Concentration {
  double mg_per_ml = 0;
  double mass_mg = 0;  // the numerator: "100 mg" of "100 mg/5 ml"
  size_t end = 0;
};

// <number> <mass unit> at text[*i]: the mass in mg, *i moved past it.
std::optional<double> MassAt(std::string_view text, size_t* i) {
  size_t j = *i;
  const auto value = NumberAt(text, &j);
  if (!value) return std::nullopt;
  j = SkipSpaces(text, j);
  const auto unit = UnitAt(text, &j, text::UnitKind::kMass);
  if (!unit) return std::nullopt;
  *i = j;
  return *value * unit->to_base;
}

// [<number>] <volume unit> at text[*i]: the volume in ml (a missing number is 1), *i moved past.
std::optional<double> VolumeAt(std::string_view text, size_t* i) {
  size_t j = *i;
  double volume = 1;
  if (j < text.size() && IsDigit(text[j])) {
    volume = NumberAt(text, &j).value_or(0);
    j = SkipSpaces(text, j);
  }
  const auto unit = UnitAt(text, &j, text::UnitKind::kVolume);
  if (!unit || volume <= 0) return std::nullopt;
  *i = j;
  return volume * unit->to_base;
}

std::optional<Concentration> MakeConcentration(double mass_mg, double volume_ml, size_t end) {
  if (mass_mg <= 0 || volume_ml <= 0) return std::nullopt;
  return Concentration{mass_mg / volume_ml, mass_mg, end};
}

// A concentration starting at text[i], the mass first: <number> <mass unit> <per> [<number>]
// <volume unit> ("100 mg/5 ml", "2g:100ml", "160 mg in each 5 mL").
std::optional<Concentration> MassFirstAt(std::string_view text, size_t i) {
  const auto mass = MassAt(text, &i);
  if (!mass) return std::nullopt;
  i = SkipPer(text, SkipSpaces(text, i));
  if (i == std::string_view::npos) return std::nullopt;
  const auto volume = VolumeAt(text, &i);
  if (!volume) return std::nullopt;
  return MakeConcentration(*mass, *volume, i);
}

// A concentration starting at text[i], the volume first: a specification "<number> <volume
// unit>:<number> <mass unit>" ("100ml:2g", "5毫升:0.1克"), or "<each> [<number>] <volume unit>
// [<holds>] <number> <mass unit>" ("每毫升含20mg", "each 5 mL contains 160 mg", "كل ٥ مل فيها
// ١٠٠ ملغ").
std::optional<Concentration> VolumeFirstAt(std::string_view text, size_t i) {
  if (i < text.size() && IsDigit(text[i])) {
    const auto volume = VolumeAt(text, &i);
    if (!volume) return std::nullopt;
    i = SkipSpaces(text, i);
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    i = SkipSpaces(text, i + 1);
    const auto mass = MassAt(text, &i);
    if (!mass) return std::nullopt;
    return MakeConcentration(*mass, *volume, i);
  }
  i = SkipOneOf(text, i, kEachWords);
  if (i == std::string_view::npos) return std::nullopt;
  const auto volume = VolumeAt(text, &i);
  if (!volume) return std::nullopt;
  i = SkipSpaces(text, i);
  if (const size_t held = SkipOneOf(text, i, kHoldsWords); held != std::string_view::npos) {
    i = held;
  }
  const auto mass = MassAt(text, &i);
  if (!mass) return std::nullopt;
  return MakeConcentration(*mass, *volume, i);
}

// A concentration starting at text[i] in either order.
std::optional<Concentration> ConcentrationSpanAt(std::string_view text, size_t i) {
  if (auto c = MassFirstAt(text, i)) return c;
  return VolumeFirstAt(text, i);
}

// Whether text[i] starts a number (not the middle of one).
bool NumberStartsAt(std::string_view text, size_t i) {
  return IsDigit(text[i]) && (i == 0 || (!IsDigit(text[i - 1]) && text[i - 1] != '.'));
}

// Whether a concentration may start at text[i]: a number, or a word of kEachWords that does not
// continue a Latin or Arabic word ("each 5 ml", "每毫升", "كل ٥ مل").
bool ConcentrationMayStartAt(std::string_view text, size_t i) {
  if (NumberStartsAt(text, i)) return true;
  if (SkipOneOf(text, i, kEachWords) == std::string_view::npos) return false;
  if (i == 0) return true;
  if (IsAsciiLetter(text[i])) return !internal::IsAsciiLetterOrDigit(text[i - 1]);
  if (!IsArabicLead(static_cast<unsigned char>(text[i])) || i < 2 ||
      !IsArabicLead(static_cast<unsigned char>(text[i - 2]))) {
    return true;
  }
  const std::string_view before = text.substr(i - 2, 2);
  return before == "\xD9\x88" || before == "\xD9\x81";  // a proclitic و or ف
}

// A concentration in text with where it begins.
struct FoundConcentration {
  size_t begin = 0;
  Concentration c;
};

// The concentrations in text, in order, not overlapping.
std::vector<FoundConcentration> ConcentrationsIn(std::string_view text) {
  std::vector<FoundConcentration> found;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!ConcentrationMayStartAt(text, i)) continue;
    if (auto c = ConcentrationSpanAt(text, i)) {
      found.push_back({i, *c});
      i = c->end - 1;
    }
  }
  return found;
}

// The volumes in ml ("15 ml", "2.5 ml", "١٠ مل") in text that are not part of a concentration
// nor a pack's content (a pack_before word right before it: "عبوه 75 مل").
std::vector<double> PlainVolumesMl(std::string_view text, const WordLists& words) {
  const auto concentrations = ConcentrationsIn(text);
  std::vector<double> volumes;
  size_t next = 0;  // the next concentration at or after i
  for (size_t i = 0; i < text.size(); ++i) {
    while (next < concentrations.size() && concentrations[next].c.end <= i) ++next;
    if (next < concentrations.size() && concentrations[next].begin <= i) {
      i = concentrations[next].c.end - 1;
      continue;
    }
    if (!NumberStartsAt(text, i)) continue;
    size_t j = i;
    const auto value = NumberAt(text, &j);
    j = SkipSpaces(text, j);
    const auto unit = UnitAt(text, &j, text::UnitKind::kVolume);
    // A number right after "/" is the volume of a concentration ("100 mg/5 ml").
    const bool after_per = i > 0 && (text[i - 1] == '/' || (i > 1 && text[i - 2] == '/'));
    if (value && unit && *value > 0 && !after_per &&
        !internal::WordBefore(text, i, words.pack_before)) {
      volumes.push_back(*value * unit->to_base);
    }
    i = j > i ? j - 1 : i;
  }
  return volumes;
}

// The one value of a list, or nullopt when the list is empty or holds different values.
std::optional<double> OnlyValue(const std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  for (const double v : values) {
    if (std::abs(v - values.front()) > 1e-9) return std::nullopt;
  }
  return values.front();
}

// The concentrations written in an answer, found once per answer (every volume statement asks).
class AnswerConcentrations {
 public:
  explicit AnswerConcentrations(std::string_view answer) : answer_(answer) {}
  const std::vector<double>& Get() {
    if (!read_) found_ = FindConcentrations(answer_);
    read_ = true;
    return found_;
  }

 private:
  std::string_view answer_;
  bool read_ = false;
  std::vector<double> found_;
};

std::optional<double> QuestionConcentration(std::string_view question);

// The concentration for a statement: its sentence's, else the answer's, else the question's.
std::optional<double> ConcentrationFor(std::string_view answer, const text::Span& sentence,
                                       AnswerConcentrations& in_answer, std::string_view question) {
  if (auto found = FindConcentrations(answer.substr(sentence.begin, sentence.size()));
      !found.empty()) {
    return OnlyValue(found);
  }
  if (const auto& found = in_answer.Get(); !found.empty()) return OnlyValue(found);
  return QuestionConcentration(question);
}

// "diclofenac 50 mg tablets" is read as a count of 50 tablets: when the count's number is followed
// by a mass unit in the statement's text, that number is the strength of one unit in mg.
std::optional<double> StrengthReadAsCount(std::string_view question, const MedicationStatement& q) {
  if (!q.count_dose || q.span.end > question.size() || q.span.begin >= q.span.end) {
    return std::nullopt;
  }
  const std::string_view region = question.substr(q.span.begin, q.span.size());
  for (size_t i = 0; i < region.size(); ++i) {
    if (!NumberStartsAt(region, i)) continue;
    size_t j = i;
    const auto value = NumberAt(region, &j);
    if (!value || std::abs(*value - q.count_dose->high) > 1e-9) continue;
    j = SkipSpaces(region, j);
    if (const auto unit = UnitAt(region, &j, text::UnitKind::kMass)) return *value * unit->to_base;
  }
  return std::nullopt;
}

// The mass written right after a drug's name, bare or in brackets ("普拿疼(500mg)", "Panadol
// 500 mg", "فولتارين (٥٠ ملغ)"), in mg: the product's strength even when a count of it follows
// ("普拿疼(500mg),吃两颗"); -1 when none.
double MassRightAfterName(std::string_view text, const text::Span& name) {
  if (name.end >= text.size()) return -1;
  size_t i = SkipSpaces(text, name.end);
  if (i < text.size() && text[i] == '(') i = SkipSpaces(text, i + 1);
  return MassAt(text, &i).value_or(-1);
}

// Words naming a tablet or capsule right after a mass ("20 mg tablets", "100mg的片子",
// "10 mg strength") or right before it ("حبوب 10 ملغ", "عيار 2.5 ملغ", "规格100mg").
constexpr std::string_view kUnitAfterMass[] = {
    "tablets", "tablet", "tabs",     "tab",    "pills", "pill",   "capsules",
    "capsule", "caps",   "strength", "的片子", "的片",  "的药片", "的胶囊",
    "片装",    "规格",   "的规格",   "一片",   "每片"};
constexpr std::string_view kUnitBeforeMass[] = {
    "حبوب ", "حبة ", "حبه ",   "اقراص ", "قرص ", "كبسولات ", "كبسولة ",         "كبسوله ",
    "عيار ", "规格", "规格是", "规格为", "每片", "每粒",     "each tablet is ", "each tablet "};

// The strengths of one tablet or capsule the question states as a mass next to a word for the
// unit ("the pharmacy gave me 20 mg tablets", "药房给的是100mg的片子", "أعطتني حبوب 10 ملغ"):
// when the person holds a different strength from the dose they were told, a count of tablets
// multiplies the strength in hand, not the dose.
std::vector<double> NamedUnitStrengths(std::string_view q) {
  std::vector<double> found;
  for (size_t i = 0; i < q.size(); ++i) {
    if (!NumberStartsAt(q, i)) continue;
    size_t j = i;
    const auto value = NumberAt(q, &j);
    if (!value) continue;
    j = SkipSpaces(q, j);
    const auto unit = UnitAt(q, &j, text::UnitKind::kMass);
    if (!unit) continue;
    const double mg = *value * unit->to_base;
    bool named = SkipOneOf(q, SkipSpaces(q, j), kUnitAfterMass) != std::string_view::npos;
    for (std::string_view w : kUnitBeforeMass) {
      if (named) break;
      named = i >= w.size() && q.substr(i - w.size(), w.size()) == w;
    }
    if (named) found.push_back(mg);
    i = j - 1;
  }
  return found;
}

// The strength the question gives for a drug: the one strength of a tablet it names by the
// unit's word when the question speaks of this drug alone (NamedUnitStrengths), else a mass dose
// of one unit ("diclofenac 50 mg"), or a bare number after its name within the drug's adult
// maximum ("فولتارين ٥٠").
std::optional<double> QuestionStrength(uint32_t drug, const DoseText& text, const WordLists& words,
                                       const knowledge::DoseLimits& limits) {
  const bool one_drug =
      std::all_of(text.question_statements->begin(), text.question_statements->end(),
                  [drug](const MedicationStatement& q) { return q.drug == drug; });
  if (one_drug) {
    if (auto named = OnlyValue(NamedUnitStrengths(text.question))) return named;
  }
  const auto& plausible =
      limits.adult_max_single_mg ? limits.adult_max_single_mg : limits.adult_max_daily_mg;
  std::vector<double> strengths;
  for (const auto& q : *text.question_statements) {
    if (q.drug != drug) continue;
    if (q.dose && q.dose->kind == text::UnitKind::kMass) {
      if (!q.count_dose || q.count_dose->high == 1 ||
          std::abs(MassRightAfterName(text.question, q.drug_span) - q.dose->HighInBase()) < 1e-9) {
        strengths.push_back(q.dose->HighInBase());
      }
      continue;
    }
    if (q.dose) continue;
    if (auto read_as_count = StrengthReadAsCount(text.question, q)) {
      strengths.push_back(*read_as_count);
      continue;
    }
    if (!plausible) continue;
    if (auto bare = internal::StrengthAfterName(text.question, q.drug_span, words);
        bare && bare->high <= *plausible) {
      strengths.push_back(bare->high);
    } else if (auto combined = internal::CombinationStrengthAfterName(text.question, q.drug_span);
               combined && combined->high <= *plausible) {
      strengths.push_back(combined->high);  // "co-codamol 30/500": 500 mg of paracetamol
    }
  }
  return OnlyValue(strengths);
}

// "خد فولتارين ١٠٠ تلات مرات في اليوم", "Take Panadol 500 every 4 hours", "扶他林100，一天三次":
// a statement with no amount at all whose drug name is followed by a bare number; the number is
// one unit's strength in mg when it is within the drug's adult maximum (as for the question:
// "Euthyrox 100", in micrograms, is not read).
std::optional<double> AnswerBareStrength(const DoseText& text, const MedicationStatement& st,
                                         const WordLists& words, const knowledge::Drug& drug) {
  const auto& limits = drug.limits;
  const auto& plausible =
      limits.adult_max_single_mg ? limits.adult_max_single_mg : limits.adult_max_daily_mg;
  if (!plausible || st.drug_span.end > text.answer.size() || st.drug_span.size() == 0) {
    return std::nullopt;
  }
  const auto bare = internal::StrengthAfterName(text.answer, st.drug_span, words);
  if (!bare || bare->high > *plausible) return std::nullopt;
  return bare->high;
}

Amount MassPerUnit(double mg) { return Amount{mg, mg, text::Unit::kMg, text::UnitKind::kMass}; }

// A heading that names a liquid with its concentration ("Children's Motrin (100 mg/5 mL)",
// "泰诺林滴剂 100 mg/ml") and a dose line in millilitres under it ("15 mL per dose"): the
// statement took the concentration's mass as its dose. The dose is the volume times the
// concentration, when the statement's text holds that one concentration and one plain volume.
void ReadHeadingConcentration(const DoseText& text, const WordLists& words,
                              MedicationStatement* st) {
  const size_t end = text.sentences[st->sentence].end;
  if (st->drug_span.begin >= end || end > text.answer.size()) return;
  const std::string_view region =
      text.answer.substr(st->drug_span.begin, end - st->drug_span.begin);
  const auto concentrations = ConcentrationsIn(region);
  if (concentrations.empty()) return;
  const double mg_per_ml = concentrations.front().c.mg_per_ml;
  bool names_dose = false;  // a concentration whose mass the statement took as its dose
  for (const auto& found : concentrations) {
    if (std::abs(found.c.mg_per_ml - mg_per_ml) > 1e-9) return;
    names_dose |= std::abs(found.c.mass_mg - st->dose->HighInBase()) < 1e-9;
  }
  if (!names_dose) return;
  // One plain volume in the stretch, else one in the dose line itself ("| 规格 | 100ml |" above
  // "每次10毫升").
  auto volume = OnlyValue(PlainVolumesMl(region, words));
  if (!volume) {
    const text::Span& line = text.sentences[st->sentence];
    if (line.begin >= st->drug_span.begin) {
      volume = OnlyValue(PlainVolumesMl(text.answer.substr(line.begin, line.size()), words));
    }
  }
  if (!volume) return;
  st->count_dose = Amount{*volume, *volume, text::Unit::kMl, text::UnitKind::kVolume};
  st->dose = MassPerUnit(mg_per_ml);
}

// The one strength of a drug's tablets or capsules (grammar words.unit_strengths_mg) for a
// count of them: "4 capsules" of loperamide are 4 x 2 mg.
std::optional<double> UnitStrength(const MedicationStatement& st, const WordLists& words,
                                   const knowledge::Lexicon& lexicon) {
  const text::Unit unit = st.count_dose->unit;
  if (unit != text::Unit::kTablet && unit != text::Unit::kCapsule && unit != text::Unit::kPill) {
    return std::nullopt;
  }
  const std::string& id = lexicon.drugs()[st.drug].id;
  for (const auto& [drug, mg] : words.unit_strengths_mg) {
    if (drug == id) return mg;
  }
  return std::nullopt;
}

// "Take 2 tablets of co-codamol 30/500": the combination strength written after the drug's name
// in the answer, for a count with no strength, when within the drug's adult maximum.
std::optional<double> AnswerCombinationStrength(const DoseText& text, const MedicationStatement& st,
                                                const knowledge::DoseLimits& limits) {
  const auto& plausible =
      limits.adult_max_single_mg ? limits.adult_max_single_mg : limits.adult_max_daily_mg;
  if (!plausible || st.drug_span.end > text.answer.size()) return std::nullopt;
  const auto combined = internal::CombinationStrengthAfterName(text.answer, st.drug_span);
  if (!combined || combined->high > *plausible) return std::nullopt;
  return combined->high;
}

// Whether an amount in mg is a plausible amount of one administration of a drug: within its adult
// maximum single dose (else its day maximum) times kOverReach, and not below that maximum divided
// by kUnderReach. nullopt when the lexicon gives the drug no mass limit.
std::optional<bool> FitsDrug(double mg, const knowledge::DoseLimits& limits) {
  constexpr double kOverReach = 10;    // an overdose is a few times the maximum, not hundreds
  constexpr double kUnderReach = 200;  // "0.5 mg" is no dose of a drug whose maximum is 750 mg
  const std::optional<double> max =
      limits.adult_max_single_mg ? limits.adult_max_single_mg : limits.adult_max_daily_mg;
  if (!max || *max <= 0) return std::nullopt;
  return mg <= *max * kOverReach && mg >= *max / kUnderReach;
}

// "Colchicine and naproxen: take 500 mg twice a day", "Naproxen and colchicine: …": the
// attributes after two joined drugs went to the second; when the amount fits only the first
// drug's known limits (FitsDrug), they are the first's. When both fit, or either is unknown,
// they stay with the second.
void GiveJoinedDoseToFittingDrug(const DoseText& text, const knowledge::Lexicon& lexicon,
                                 std::vector<MedicationStatement>* statements) {
  for (size_t i = 1; i < statements->size(); ++i) {
    MedicationStatement& first = (*statements)[i - 1];
    MedicationStatement& second = (*statements)[i];
    if (!IsLexiconDrug(first.drug) || !IsLexiconDrug(second.drug) || first.drug == second.drug ||
        first.sentence != second.sentence || first.allergy || first.mood != second.mood ||
        first.has_dose() || first.has_frequency() || first.has_duration() || first.has_route ||
        !second.dose || second.dose->kind != text::UnitKind::kMass || second.count_dose ||
        second.span.begin != second.drug_span.begin ||
        first.drug_span.end > second.drug_span.begin || second.drug_span.end > text.answer.size()) {
      continue;
    }
    const std::string_view between =
        text.answer.substr(first.drug_span.end, second.drug_span.begin - first.drug_span.end);
    if (!internal::JoinsIngredients(between) || internal::Trim(between).empty()) continue;
    const double mg = second.dose->HighInBase();
    const auto fits_first = FitsDrug(mg, lexicon.drugs()[first.drug].limits);
    const auto fits_second = FitsDrug(mg, lexicon.drugs()[second.drug].limits);
    if (!fits_first || !fits_second || !*fits_first || *fits_second) continue;
    MedicationStatement moved = second;
    moved.drug = first.drug;
    moved.drug_span = first.drug_span;
    moved.span = {first.span.begin, second.span.end};
    moved.continued = first.continued || second.continued;
    MedicationStatement named = first;
    named.drug = second.drug;
    named.drug_span = named.span = second.drug_span;
    first = moved;
    second = named;
  }
}

// Whether a drug is sold as a liquid measured in millilitres by mouth (a syrup, an oral
// solution, suspension or drops).
bool HasOralLiquid(const knowledge::Drug& drug) {
  static constexpr std::string_view kLiquids[] = {
      "oral_solution", "oral_suspension", "oral_liquid",    "oral_drops",
      "syrup",         "solution",        "buccal_solution"};
  return std::any_of(drug.forms.begin(), drug.forms.end(), [](const std::string& form) {
    return std::find(std::begin(kLiquids), std::end(kLiquids), form) != std::end(kLiquids);
  });
}

// "٥٠ ملي" (dose_unit_open): mg when the statement counts tablets or capsules ("حبة فولتارين ٥٠
// ملي"), or the drug has no liquid taken by mouth ("ملي" of diclofenac tablets); else ml.
void SettleOpenUnit(const knowledge::Drug& drug, MedicationStatement* st) {
  if (!st->dose_unit_open || !st->dose || st->dose->unit != text::Unit::kMl) return;
  const bool counts_units = st->count_dose && (st->count_dose->unit == text::Unit::kTablet ||
                                               st->count_dose->unit == text::Unit::kCapsule ||
                                               st->count_dose->unit == text::Unit::kPill);
  if (!counts_units && HasOralLiquid(drug)) return;
  st->dose->unit = text::Unit::kMg;
  st->dose->kind = text::UnitKind::kMass;
  st->dose_unit_open = false;
}

// ---- Reading the stretch of the answer a statement speaks in -------------------------------

// Whether an Arabic word may start at text[at]: no Arabic letter before it, or only the
// proclitic و or ف ("ولا", "فلا").
bool ArabicWordStart(std::string_view text, size_t at) {
  if (at < 2 || !IsArabicLead(static_cast<unsigned char>(text[at - 2]))) return true;
  const std::string_view before = text.substr(at - 2, 2);
  if (before != "\xD9\x88" && before != "\xD9\x81") return false;  // و, ف
  return at < 4 || !IsArabicLead(static_cast<unsigned char>(text[at - 4]));
}

// Whether the occurrence of `word` at text[at] is a whole word by FindWord's rules.
bool IsWholeWordAt(std::string_view text, size_t at, std::string_view word) {
  const size_t end = at + word.size();
  if (IsAsciiLetter(static_cast<unsigned char>(word.front()))) {
    return (at == 0 || !internal::IsAsciiLetterOrDigit(text[at - 1])) &&
           (end >= text.size() || !internal::IsAsciiLetterOrDigit(text[end]));
  }
  if (IsArabicLead(static_cast<unsigned char>(word.front()))) {
    return (end >= text.size() || !IsArabicLead(static_cast<unsigned char>(text[end]))) &&
           ArabicWordStart(text, at);
  }
  return true;
}

// Where `word` occurs in text at or after `from` as a whole word (a Latin word needs no Latin
// letter or digit on either side, an Arabic word no Arabic letter on either side but a proclitic
// و or ف; Chinese needs no boundary); npos when it does not.
size_t FindWord(std::string_view text, std::string_view word, size_t from = 0) {
  for (size_t at = text.find(word, from); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    if (IsWholeWordAt(text, at, word)) return at;
  }
  return std::string_view::npos;
}

// The first whole-word occurrence of any of `words` in text: its position and length.
struct WordHit {
  size_t at = std::string_view::npos;
  size_t size = 0;
  bool found() const { return at != std::string_view::npos; }
};
template <size_t N>
WordHit FirstOf(std::string_view text, const std::string_view (&words)[N], size_t from = 0) {
  WordHit best;
  for (std::string_view w : words) {
    const size_t at = FindWord(text, w, from);
    if (at < best.at || (at == best.at && at != std::string_view::npos && w.size() > best.size)) {
      best = {at, w.size()};
    }
  }
  return best;
}

// The index of the sentence holding byte `at` of the answer, or `fallback` when none does.
// (Sentences are in text order and do not overlap: a binary search.)
size_t SentenceAt(const std::vector<text::Span>& sentences, size_t at, size_t fallback) {
  const auto after = std::upper_bound(sentences.begin(), sentences.end(), at,
                                      [](size_t a, const text::Span& s) { return a < s.begin; });
  if (after == sentences.begin()) return fallback;
  const size_t i = static_cast<size_t>(after - sentences.begin()) - 1;
  return at < sentences[i].end ? i : fallback;
}

// The stretch of the answer a statement speaks in: from the start of its first sentence to the end
// of the sentence its last attribute is in, cut after the statement of another drug before it and
// before the next statement's drug ("a 50 thousand unit vitamin D capsule": the amount may come
// before the name). Statements come in text order, so only the kNearStatements on each side are
// looked at: a region spans a few sentences, and looking at all of them made long answers
// quadratic.
text::Span StatementRegion(const DoseText& text, const std::vector<MedicationStatement>& statements,
                           size_t index) {
  constexpr size_t kNearStatements = 256;
  const MedicationStatement& st = statements[index];
  const size_t opening = SentenceAt(text.sentences, st.span.begin, st.sentence);
  size_t begin = opening < text.sentences.size()
                     ? std::min<size_t>(text.sentences[opening].begin, st.span.begin)
                     : st.span.begin;
  for (size_t j = index > kNearStatements ? index - kNearStatements : 0; j < index; ++j) {
    const size_t before = statements[j].span.end;
    if (statements[j].drug != st.drug && before > begin && before <= st.span.begin) begin = before;
  }
  const size_t last = st.span.end > st.span.begin ? st.span.end - 1 : st.span.begin;
  const size_t sentence = SentenceAt(text.sentences, last, st.sentence);
  size_t end = sentence < text.sentences.size() ? text.sentences[sentence].end : st.span.end;
  end = std::min<size_t>(std::max<size_t>(end, st.span.end), text.answer.size());
  const size_t last_near = std::min(statements.size(), index + 1 + kNearStatements);
  for (size_t j = index + 1; j < last_near; ++j) {
    const size_t next = statements[j].drug_span.begin;
    if (next >= st.span.end && next < end && statements[j].drug != st.drug) end = next;
  }
  return {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

std::string_view Slice(std::string_view text, const text::Span& span) {
  if (span.begin >= text.size() || span.end <= span.begin) return {};
  return text.substr(span.begin, std::min<size_t>(span.end, text.size()) - span.begin);
}

// ---- A larger count restated with its total ("吃两片（20mg）") -------------------------------

// The count of a "<count> <unit> (<mass>)" pair at text[i] whose mass is the count times
// `strength_mg` ("2片(20mg)", "2 tablets (20 mg)", "2 حبه (20 ملغ)"), or nullopt.
std::optional<double> RestatedCountAt(std::string_view text, size_t i, double strength_mg) {
  const auto count = NumberAt(text, &i);
  if (!count || *count <= 0) return std::nullopt;
  i = SkipSpaces(text, i);
  if (!UnitAt(text, &i, text::UnitKind::kCount)) return std::nullopt;
  i = SkipSpaces(text, i);
  if (i >= text.size() || text[i] != '(') return std::nullopt;
  i = SkipSpaces(text, i + 1);
  const auto mass = NumberAt(text, &i);
  i = SkipSpaces(text, i);
  const auto unit = UnitAt(text, &i, text::UnitKind::kMass);
  if (!mass || !unit || std::abs(*mass * unit->to_base - *count * strength_mg) > 1e-6) {
    return std::nullopt;
  }
  return *count;
}

// Words before an amount that make it a day total or a cap, not an administration
// ("24小时内唔好超过 8粒（4克）", "no more than 8 tablets (4 g) a day").
constexpr std::string_view kTotalCues[] = {
    "超过",  "最多", "至多", "more than", "exceed", "max",  "maximum", "up to", "a day",
    "daily", "24",   "天",   "日",        "تتجاوز", "تزيد", "اقصي",    "يوميا", "اليوم"};

// Whether the 30 bytes before an amount hold a cue of kTotalCues.
bool NamesDayTotal(std::string_view before) {
  const size_t from = before.size() > 30 ? before.size() - 30 : 0;
  return FirstOf(before.substr(from), kTotalCues).found();
}

// "一片不管用就睡前直接吃两片（20mg）", "if one doesn't work, take 2 tablets (20 mg)": the
// statement kept the first count (1) and took the strength from the restated pair (20 mg / 2); the
// count the answer restates with its total is the larger amount it tells the reader to take.
void ReadRestatedCount(std::string_view region, MedicationStatement* st) {
  if (!st->dose || st->dose->kind != text::UnitKind::kMass || !st->count_dose ||
      st->count_dose->kind != text::UnitKind::kCount) {
    return;
  }
  const double strength = st->dose->HighInBase();
  double largest = st->count_dose->high;
  for (size_t i = 0; i < region.size(); ++i) {
    if (!NumberStartsAt(region, i) || NamesDayTotal(region.substr(0, i))) continue;
    if (auto count = RestatedCountAt(region, i, strength)) largest = std::max(largest, *count);
  }
  if (largest > st->count_dose->high) st->count_dose->low = st->count_dose->high = largest;
}

// Whether st holds a mass dose and a count of more than one ("2 tablets of 500 mg").
bool HasMassDoseAndCount(const MedicationStatement& st) {
  return st.dose && st.dose->kind == text::UnitKind::kMass && st.count_dose &&
         st.count_dose->kind == text::UnitKind::kCount && st.count_dose->high > 1;
}

// Calls visit(begin, end, value, mg) for each number with a mass unit in region, in order, until
// visit returns true.
template <typename Visit>
void VisitMassAmounts(std::string_view region, Visit visit) {
  for (size_t i = 0; i < region.size(); ++i) {
    if (!NumberStartsAt(region, i)) continue;
    size_t j = i;
    const auto value = NumberAt(region, &j);
    j = SkipSpaces(region, j);
    const auto unit = UnitAt(region, &j, text::UnitKind::kMass);
    if (value && unit && visit(i, j, *value, *value * unit->to_base)) return;
  }
}

// ---- An alternative made of smaller units ("300 mg aspirin (or four 81 mg tablets)") -------

// Words that offer the same dose another way.
constexpr std::string_view kOrWords[] = {"or", "或者", "或", "أو", "او"};

// Whether one of kOrWords ends within the 20 bytes before region[i].
bool AfterOr(std::string_view region, size_t i) {
  const size_t from = i > 20 ? i - 20 : 0;
  return FirstOf(region.substr(from, i - from), kOrWords).found();
}

// "300 mg aspirin (or four 81 mg tablets)", "阿司匹林300毫克（或者4片81毫克的）": the count belongs
// to an alternative that makes up the same dose from smaller units (4 x 81 mg is about 300 mg),
// or is that alternative's strength read as a count, not a count of the dose before it; the
// statement takes the dose once.
void DropAlternativeCount(std::string_view region, MedicationStatement* st) {
  if (!HasMassDoseAndCount(*st)) return;
  const double dose_mg = st->dose->HighInBase();
  const double count = st->count_dose->high;
  VisitMassAmounts(region, [&](size_t i, size_t, double value, double unit_mg) {
    if (!AfterOr(region, i) || unit_mg <= 0 || std::abs(unit_mg - dose_mg) < 1e-9) return false;
    // The same dose within rounding (4 x 81 = 324 for 300 or 325 mg), or the alternative's
    // strength read as the count ("81 mg tablets" as 81 tablets).
    if (std::abs(unit_mg * count - dose_mg) <= 0.15 * dose_mg || std::abs(value - count) < 1e-9) {
      st->count_dose.reset();
      return true;
    }
    return false;
  });
}

// ---- Morning and evening: twice a day --------------------------------------------------------

constexpr std::string_view kMorningWords[] = {"morning", "mornings", "breakfast", "早上",  "早晨",
                                              "早饭",    "早餐",     "晨起",      "上午",  "صباحا",
                                              "الصباح",  "صباح",     "بالصباح",   "الفطور"};
constexpr std::string_view kEveningWords[] = {
    "evening", "evenings", "night", "bedtime", "bed",    "dinner", "晚上",
    "晚饭",    "晚餐",     "睡前",  "临睡",    "مساء",   "المساء", "مساءا",
    "ليلا",    "بالليل",   "الليل", "النوم",   "العشاء", "بالمساء"};
// Words between the two times that make them no pair of doses: a choice ("morning or evening") or
// a negation ("in the morning, not at night", "早上吃，晚上不吃").
constexpr std::string_view kNoPairWords[] = {"or", "not", "never", "avoid", "instead", "或", "不",
                                             "别", "勿",  "او",    "لا",    "بدلا",    "ليس"};

// The most bytes between the two times of a pair ("and 15 mg in the", "وحبه 15 ملغ ").
constexpr size_t kPairGap = 32;
// Words in the gap that open a clause of their own: a subject or a modal ("you may feel").
constexpr std::string_view kClauseWords[] = {"you", "it",   "may", "might", "will", "你",
                                             "您",  "可能", "会",  "قد",    "ربما"};

// "one in the morning and one at night", "早晚各一次", "حبة صباحا وحبة مساء": a dose in the
// morning and one in the evening, with no choice or negation around them.
bool SaysMorningAndEvening(std::string_view region) {
  if (region.find("早晚各") != std::string_view::npos) return true;
  const WordHit morning = FirstOf(region, kMorningWords);
  const WordHit evening = FirstOf(region, kEveningWords);
  if (!morning.found() || !evening.found()) return false;
  const size_t from = std::min(morning.at, evening.at);
  const size_t to = std::max(morning.at + morning.size, evening.at + evening.size);
  // The two times close together in one clause, as a pair of doses ("15 mg in the morning and
  // 15 mg at night"); not a dose at one time and an effect at the other ("at night, you may feel
  // drowsy in the morning").
  const size_t first_end =
      morning.at < evening.at ? morning.at + morning.size : evening.at + evening.size;
  const size_t second = std::max(morning.at, evening.at);
  if (second < first_end || second - first_end > kPairGap) return false;
  const std::string_view gap = region.substr(first_end, second - first_end);
  if (gap.find_first_of(";:") != std::string_view::npos || FirstOf(gap, kClauseWords).found()) {
    return false;
  }
  // The negation may follow the second time at once ("晚上不吃"): look one character past it.
  const std::string_view around = region.substr(from, std::min(region.size(), to + 3) - from);
  return !FirstOf(around, kNoPairWords).found();
}

// A statement dosed in the morning and in the evening is taken twice a day (ParseFrequency reads
// one of the two as once a day, or neither).
void ReadMorningAndEvening(std::string_view region, MedicationStatement* st) {
  if (!st->has_dose() || st->per_day >= 2 || (st->per_day > 0 && st->per_day < 1)) return;
  if (SaysMorningAndEvening(region)) st->per_day = 2;
}

// ---- A strength in international units with a multiplier word ---------------------------------

// An IU amount written with a multiplier word: the number as written and the amount in IU.
struct MultipliedIu {
  double number = 0;
  double iu = 0;
};

// "5万单位", "50 الف وحده", "50 thousand units" at text[i], or nullopt. (The grammar's amount
// patterns read plain numbers of units; a multiplier word breaks them.)
std::optional<MultipliedIu> IuWithMultiplierAt(std::string_view text, size_t i) {
  const auto number = NumberAt(text, &i);
  if (!number) return std::nullopt;
  i = SkipSpaces(text, i);
  const internal::Multiplier times = internal::MultiplierAt(text.substr(i));
  if (times.size == 0) return std::nullopt;
  i = SkipSpaces(text, i + times.size);
  if (!UnitAt(text, &i, text::UnitKind::kActivity)) return std::nullopt;
  return MultipliedIu{*number, *number * times.value};
}

// A statement with no amount of its own beside a count ("每天吃一颗5万单位的维生素D3", "خذي
// كبسولة 50 ألف وحدة كل يوم"), or whose amount is the number before the multiplier read as a
// bare strength (50), takes the one IU amount with a multiplier its stretch states.
void ReadIuWithMultiplier(std::string_view region, MedicationStatement* st) {
  if (st->dose && st->dose->kind == text::UnitKind::kActivity) return;
  std::vector<double> found;
  double number = 0;
  for (size_t i = 0; i < region.size(); ++i) {
    if (!NumberStartsAt(region, i)) continue;
    if (auto iu = IuWithMultiplierAt(region, i)) {
      found.push_back(iu->iu);
      number = iu->number;
    }
  }
  const auto iu = OnlyValue(found);
  if (!iu || *iu <= 0) return;
  if (st->dose && std::abs(st->dose->high - number) > 1e-9) return;
  st->dose = Amount{*iu, *iu, text::Unit::kIu, text::UnitKind::kActivity};
}

// ---- A total of the count ("4 tablets (10 mg in total)") -----------------------------------

constexpr std::string_view kTotalBefore[] = {"共",       "合计",     "total of", "totalling",
                                             "totaling", "المجموع",  "مجموعها",  "بمجموع",
                                             "اجمالي",   "الاجمالي", "مجموع"};
constexpr std::string_view kTotalAfter[] = {"total",      "in total", "in all",
                                            "altogether", "المجموع",  "اجمالا"};

// Whether the mass amount at region[i..end) is marked as a total: a total word right before it
// ("共10毫克", "total of 10 mg", "بمجموع 10 ملغ") or right after it ("10 mg in total").
bool MarkedAsTotal(std::string_view region, size_t i, size_t end) {
  const std::string_view before = region.substr(0, i);
  const size_t tail = before.find_last_not_of(" (（:：");
  const std::string_view lead = tail == std::string_view::npos ? "" : before.substr(0, tail + 1);
  for (std::string_view w : kTotalBefore) {
    if (lead.ends_with(w)) return true;
  }
  const std::string_view after = region.substr(SkipSpaces(region, end));
  for (std::string_view w : kTotalAfter) {
    if (after.starts_with(w) &&
        (after.size() == w.size() || !internal::IsAsciiLetterOrDigit(after[w.size()]))) {
      return true;
    }
  }
  return false;
}

// "每周一早上吃4片（共10毫克）": the mass the statement took as one tablet's strength is the total
// of the count; the strength of one unit is that total divided by the count.
void ReadTotalOfCount(std::string_view region, MedicationStatement* st) {
  if (!HasMassDoseAndCount(*st)) return;
  const double dose_mg = st->dose->HighInBase();
  VisitMassAmounts(region, [&](size_t i, size_t j, double, double mg) {
    if (std::abs(mg - dose_mg) > 1e-9 || !MarkedAsTotal(region, i, j)) return false;
    st->dose = MassPerUnit(dose_mg / st->count_dose->high);
    return true;
  });
}

// ---- The liquid in hand when the question names two ------------------------------------------

// Words that say the liquid in hand changed ("the pharmacy gave us the 250 mg/5 mL one instead",
// "药店只剩滴剂了", "أعطوني شراب ٢٥٠ ملغ/٥ مل بدلا منه"): a concentration after them is the new
// liquid's, the one the reader now measures.
constexpr std::string_view kSwitchWords[] = {
    "instead",  "gave us",   "gave me",    "out of",  "switched to", "changed to", "now have",
    "only had", "only have", "new bottle", "换成",    "改成",        "换了",       "只剩",
    "只有",     "缺货",      "没货",       "بدلا",    "بدل",         "اعطوني",     "اعطاني",
    "اعطتني",   "نفد",       "غير متوفر",  "مش موجود"};

// The question's concentration: its one value, else, when it names two and says the liquid
// changed, the one value written after the first switch word.
std::optional<double> QuestionConcentration(std::string_view question) {
  const auto found = ConcentrationsIn(question);
  if (found.empty()) return std::nullopt;
  std::vector<double> all;
  for (const auto& c : found) all.push_back(c.c.mg_per_ml);
  if (auto one = OnlyValue(all)) return one;
  const WordHit change = FirstOf(question, kSwitchWords);
  if (!change.found()) return std::nullopt;
  std::vector<double> after;
  for (const auto& c : found) {
    if (c.begin >= change.at) after.push_back(c.c.mg_per_ml);
  }
  // Only when something was named before the change too: the old liquid, then the new one.
  if (after.size() == all.size()) return std::nullopt;
  return OnlyValue(after);
}

// ---- A named children's liquid with no concentration written ---------------------------------

// The default concentrations (grammar words.liquid_strengths_mg_per_ml) of the products of `drug`
// named in text, with where each is named, in text order.
std::vector<std::pair<size_t, double>> NamedLiquids(std::string_view text, std::string_view drug,
                                                    const WordLists& words) {
  std::vector<std::pair<size_t, double>> found;
  for (const auto& [key, mg_per_ml] : words.liquid_strengths_mg_per_ml) {
    const size_t bar = key.find('|');
    if (bar == std::string::npos || std::string_view(key).substr(0, bar) != drug) continue;
    const std::string_view product = std::string_view(key).substr(bar + 1);
    for (size_t at = FindWord(text, product); at != std::string_view::npos;
         at = FindWord(text, product, at + product.size())) {
      found.emplace_back(at, mg_per_ml);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// The one default concentration among named products; in the question, when it names two and
// says the liquid changed, the one named after the first switch word.
std::optional<double> OneNamedLiquid(const std::vector<std::pair<size_t, double>>& named,
                                     std::string_view text, bool after_switch) {
  if (named.empty()) return std::nullopt;
  std::vector<double> all;
  for (const auto& [at, mg] : named) all.push_back(mg);
  if (auto one = OnlyValue(all)) return one;
  if (!after_switch) return std::nullopt;
  const WordHit change = FirstOf(text, kSwitchWords);
  if (!change.found()) return std::nullopt;
  std::vector<double> after;
  for (const auto& [at, mg] : named) {
    if (at >= change.at) after.push_back(mg);
  }
  if (after.size() == all.size()) return std::nullopt;
  return OnlyValue(after);
}

// "美林滴剂 … 给4毫升", "Infants' Motrin, 2.5 mL", "بروفين شراب … ملعقتين": a volume of a named
// children's liquid whose concentration no text states takes the product's one concentration
// (grammar words.liquid_strengths_mg_per_ml, each figure sourced in SOURCES.md), named in the
// statement's sentence, else the answer, else the question (the one named after a switch when
// the question names two). The last fallback: a stated concentration always wins.
std::optional<double> DefaultLiquidConcentration(const DoseText& text,
                                                 const MedicationStatement& st,
                                                 const WordLists& words,
                                                 const knowledge::Lexicon& lexicon) {
  if (words.liquid_strengths_mg_per_ml.empty() || st.sentence >= text.sentences.size()) {
    return std::nullopt;
  }
  const std::string& drug = lexicon.drugs()[st.drug].id;
  const std::string_view sentence = Slice(text.answer, text.sentences[st.sentence]);
  if (auto named = NamedLiquids(sentence, drug, words); !named.empty()) {
    return OneNamedLiquid(named, sentence, false);
  }
  if (auto named = NamedLiquids(text.answer, drug, words); !named.empty()) {
    return OneNamedLiquid(named, text.answer, false);
  }
  return OneNamedLiquid(NamedLiquids(text.question, drug, words), text.question, true);
}

// ---- A stated day maximum caps the regimen it follows ---------------------------------------

constexpr std::string_view kCapWords[] = {
    "max",           "maximum",    "up to",         "no more than", "not more than", "not exceed",
    "not to exceed", "at most",    "not exceeding", "最多",         "最大",          "不超过",
    "不要超过",      "不得超过",   "不能超过",      "不可超过",     "上限",          "最高",
    "بحد اقصي",      "كحد اقصي",   "حد اقصي",       "الحد الاقصي",  "لا تتجاوز",     "لا يتجاوز",
    "لا تزيد عن",    "لا يزيد عن", "لا تزيد علي",   "اقصي",         "القصوي"};
constexpr std::string_view kDayWords[] = {"day",    "daily", "24 h",   "24h",    "24 hours",
                                          "24 hrs", "天",    "日",     "24小时", "يوم",
                                          "يوميا",  "اليوم", "باليوم", "يومي",   "24 ساعه"};
// Words that open a new step of a regimen ("then 0.5 mg every hour"): a cap after them belongs to
// that step, not to the dose before.
constexpr std::string_view kNextStepWords[] = {
    "then", "after that", "followed by", "thereafter", "until", "然后",    "之后", "随后",
    "接着", "再",         "直到",        "ثم",         "بعدها", "بعد ذلك", "حتي"};

// Words right after an amount that make it a day's amount ("a day", "/天", "في اليوم").
constexpr std::string_view kDayAfter[] = {
    "a day",    "per day", "/day",      "daily",   "each day", "every day", "in 24",
    "in a day", "over 24", "within 24", "/24",     "/天",      "/日",       "每天",
    "每日",     "1天",     "1日",       "天",      "يوميا",    "في اليوم",  "باليوم",
    "كل يوم",   "في 24",   "خلال 24",   "في ال24", "يومي"};

// Whether text opens (past spaces and a closing mark) with a day phrase of kDayAfter.
bool OpensWithDay(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == ')' || text[i] == '*')) ++i;
  const std::string_view rest = text.substr(i);
  return std::any_of(std::begin(kDayAfter), std::end(kDayAfter), [&](std::string_view w) {
    return rest.starts_with(w) &&
           (rest.size() == w.size() || !internal::IsAsciiLetter(rest[w.size()]) ||
            !internal::IsAsciiLetter(w.back()));
  });
}

// Whether the words before a cap word raise the dose to the amount ("go up to 1000 mg", "increase
// up to", "加到", "زيد الى"): the amount is the new dose, not a cap.
bool RaisesTo(std::string_view before) {
  size_t end = before.size();
  while (end > 0 && before[end - 1] == ' ') --end;
  const std::string_view lead = before.substr(0, end);
  for (std::string_view w : {"go", "going", "increase", "increasing", "raise", "titrate", "work",
                             "加", "增加", "加量"}) {
    if (lead.ends_with(w) && (!internal::IsAsciiLetter(w.front()) || lead.size() == w.size() ||
                              !internal::IsAsciiLetter(lead[lead.size() - w.size() - 1]))) {
      return true;
    }
  }
  return false;
}

// FirstOf(text, kCapWords, from) in one pass over text instead of one search per word: the first
// position where a cap word occurs as a whole word, and the longest such word there. A position
// is compared with the words only when its two bytes open one of them (every cap word has two or
// more bytes).
WordHit FirstCapWord(std::string_view text, size_t from) {
  static_assert(std::all_of(std::begin(kCapWords), std::end(kCapWords),
                            [](std::string_view w) { return w.size() >= 2; }));
  static const auto kOpenings = [] {
    std::array<uint16_t, std::size(kCapWords)> openings{};
    for (size_t k = 0; k < std::size(kCapWords); ++k) {
      const std::string_view w = kCapWords[k];
      openings[k] = static_cast<uint16_t>(static_cast<unsigned char>(w[0]) << 8 |
                                          static_cast<unsigned char>(w[1]));
    }
    return openings;
  }();
  static const std::bitset<65536> kOpens = [] {
    std::bitset<65536> opens;
    for (const uint16_t opening : kOpenings) opens.set(opening);
    return opens;
  }();
  for (size_t i = from; i + 1 < text.size(); ++i) {
    const auto pair = static_cast<uint16_t>(static_cast<unsigned char>(text[i]) << 8 |
                                            static_cast<unsigned char>(text[i + 1]));
    if (!kOpens.test(pair)) continue;
    WordHit best;
    for (size_t k = 0; k < std::size(kCapWords); ++k) {
      const std::string_view w = kCapWords[k];
      if (kOpenings[k] == pair && w.size() > best.size && text.compare(i, w.size(), w) == 0 &&
          IsWholeWordAt(text, i, w)) {
        best = {i, w.size()};
      }
    }
    if (best.found()) return best;
  }
  return {};
}

// A day maximum: the cap word's position and the amount in base units (mg or IU).
struct DayCap {
  size_t at = 0;
  double amount = 0;
  text::UnitKind kind = text::UnitKind::kMass;
};

// The first day maximum in text: a cap word, then (with no digit between) a mass or IU amount,
// and a day word just before the cap word or just after the amount ("max 400 mg/day", "每天最多
// 400毫克", "بحد أقصى 400 ملغ يوميا", "no more than 4 g in 24 hours").
std::optional<DayCap> FirstDayCap(std::string_view text) {
  for (size_t from = 0; from < text.size();) {
    const WordHit cap = FirstCapWord(text, from);
    if (!cap.found()) return std::nullopt;
    from = cap.at + cap.size;
    size_t i = from;
    while (i < text.size() && !IsDigit(text[i]) && i - from < 24) ++i;
    if (i >= text.size() || !IsDigit(text[i])) continue;
    if (text.substr(from, i - from).find_first_of(".;") != std::string_view::npos) continue;
    const auto number = NumberAt(text, &i);
    i = SkipSpaces(text, i);
    const internal::Multiplier times = internal::MultiplierAt(text.substr(i));
    i = SkipSpaces(text, i + times.size);
    std::optional<text::UnitInfo> unit = UnitAt(text, &i, text::UnitKind::kMass);
    if (!unit) unit = UnitAt(text, &i, text::UnitKind::kActivity);
    double amount = number && unit ? *number * times.value * unit->to_base : 0;
    if (number && !unit) {
      // A count of units, with its mass in brackets or alone ("8 tablets (4 g) in 24 hours").
      unit = UnitAt(text, &i, text::UnitKind::kCount);
      if (unit) amount = *number * times.value;
      const size_t open = SkipSpaces(text, i);
      const size_t close =
          open < text.size() && text[open] == '(' ? text.find(')', open) : std::string_view::npos;
      if (unit && close != std::string_view::npos && close - open <= 24) {
        size_t j = SkipSpaces(text, open + 1);
        if (const auto mass = MassAt(text, &j); mass && SkipSpaces(text, j) == close) {
          amount = *mass;
          unit = text::LookupUnit("mg");
        }
        i = close + 1;  // the day words come after the brackets
      }
    }
    if (!number || !unit || RaisesTo(text.substr(0, cap.at))) continue;
    // The day named just before the cap word ("每天最多") or right after the amount ("400 mg a
    // day", "4 g in 24 hours"); "1000 mg four times a day" is a frequency, not a day total.
    const size_t back = cap.at >= 15 ? cap.at - 15 : 0;
    const bool day_before = FirstOf(text.substr(back, cap.at - back), kDayWords).found();
    if (!day_before && !OpensWithDay(text.substr(i))) continue;
    return DayCap{cap.at, amount, unit->kind};
  }
  return std::nullopt;
}

// The day maximum that follows a statement's regimen: in its own stretch with no new step of the
// regimen before it, else at the start of the next sentence ("Max 400 mg a day.") when that names
// no other drug.
std::optional<DayCap> CapOfRegimen(const DoseText& text,
                                   const std::vector<MedicationStatement>& statements, size_t index,
                                   const text::Span& region) {
  const std::string_view stretch = Slice(text.answer, region);
  if (auto cap = FirstDayCap(stretch)) {
    if (!FirstOf(stretch.substr(0, cap->at), kNextStepWords).found()) return cap;
    return std::nullopt;
  }
  const MedicationStatement& st = statements[index];
  const size_t last = region.end > region.begin ? region.end - 1 : region.begin;
  const size_t next = SentenceAt(text.sentences, last, st.sentence) + 1;
  if (next >= text.sentences.size()) return std::nullopt;
  const text::Span& sentence = text.sentences[next];
  for (const auto& other : statements) {
    if (other.drug != st.drug && Inside(other.drug_span, sentence)) return std::nullopt;
  }
  const uint32_t words = internal::WordsBegin(text.answer, sentence);
  const std::string_view line = Slice(text.answer, {words, sentence.end});
  auto cap = FirstDayCap(line);
  if (!cap || cap->at > 12) return std::nullopt;
  return cap;
}

// "50–100 mg every 4–6 h, max 400 mg a day": the regimen's upper ends multiplied out (600 mg)
// pass the day maximum the same sentence states for it; the day is that maximum. The cap is read
// only when it is at least one administration (else the amounts were misread).
void ApplyDayCap(const std::optional<DayCap>& cap, MedicationStatement* st) {
  // (dose_is_daily_total may be set by the cap's own "a day"; a frequency above once a day says
  // the dose is per administration.)
  if (!cap || !st->dose || st->per_day <= 1) return;
  if (cap->kind == text::UnitKind::kCount) {
    // A cap in units ("max 8 tablets in 24 hours") caps a count per administration.
    if (!st->count_dose || st->count_dose->kind != text::UnitKind::kCount) return;
    const double count = st->count_dose->high;
    if (count <= 0 || cap->amount < count || count * st->per_day <= cap->amount) return;
    st->per_day = cap->amount / count;
    return;
  }
  if (st->dose->kind != cap->kind) return;
  const double single = st->dose->HighInBase() * (st->count_dose ? st->count_dose->high : 1);
  if (single <= 0 || cap->amount < single || single * st->per_day <= cap->amount) return;
  st->per_day = cap->amount / single;
}

// ---- An amount with no frequency after a day maximum ----------------------------------------

// Words that make an amount one administration ("take 3 g at once", "每次", "في المرة").
constexpr std::string_view kPerDoseWords[] = {
    "at once", "at a time", "per dose", "each dose", "single dose", "each time",  "now",
    "每次",    "1次",       "顿服",     "في المره",  "المره",       "دفعه واحده", "كل مره"};

// "Max 4 g in 24 h. Lower (e.g. 2–3 g) if you drink heavily": an amount with no frequency, above
// any one administration of the drug but within a day maximum stated just before (its own
// sentence or the one before it, with no other drug between), is a lower day amount, not a
// single dose.
void ReadAmountUnderDayCap(const DoseText& text, const knowledge::DoseLimits& limits,
                           const std::vector<MedicationStatement>& statements, size_t index,
                           const text::Span& region, MedicationStatement* st) {
  if (!st->dose || st->dose->kind != text::UnitKind::kMass || st->count_dose || st->per_day > 0 ||
      st->dose_is_daily_total || !limits.adult_max_single_mg ||
      st->dose->HighInBase() <= *limits.adult_max_single_mg) {
    return;
  }
  if (FirstOf(Slice(text.answer, region), kPerDoseWords).found()) return;
  const size_t here = SentenceAt(text.sentences, st->span.begin, st->sentence);
  const size_t first = here > 0 ? here - 1 : 0;
  const text::Span before{text.sentences[first].begin, st->span.begin};
  for (size_t j = 0; j < statements.size(); ++j) {
    if (j != index && statements[j].drug != st->drug && Inside(statements[j].drug_span, before)) {
      return;
    }
  }
  const auto cap = FirstDayCap(Slice(text.answer, before));
  if (cap && cap->kind == text::UnitKind::kMass && st->dose->HighInBase() <= cap->amount) {
    st->dose_is_daily_total = true;
  }
}

// ---- A total restated after the regimen ("so that's a thousand", "算下来5.2克") ----------------

// Words that restate the amount the regimen before them comes to ("take two, so that's 1000 mg",
// "一天四次，算下来5.2克", "٤ حبات في اليوم، يعني ٣٠٠ ملغ", Hinglish "yaani 2.6 g").
constexpr std::string_view kRestateWords[] = {
    "so that's", "so that is", "that's", "that is", "which is", "which makes", "which comes to",
    "i.e.",      "so",         "yaani",  "matlab",  "算下来",   "加起来",      "也就是",
    "就是",      "一共",       "总共",   "يعني",    "اللي هو",  "الي هو",      "اللي هي"};
// Words between the restating word and the amount ("that's about 3 g", "يعني حوالي").
constexpr std::string_view kRestateFillers[] = {
    "about",      "around",   "roughly", "like", "um",     "uh", "basically",
    "a total of", "in total", "大概",    "大约", "差不多", "呃", "嗯",
    "حوالي",      "تقريبا",   "يعني",    "اه",   "امم"};
// Per-day phrases before the restating word that make the restated amount the day's ("twenty a
// day, so forty milligrams", "一天四次 算下来5.2克", "اربع حبايات في اليوم، اللي هو").
constexpr std::string_view kPerDayWords[] = {
    "a day",    "per day", "/day",    "daily",     "each day", "every day", "in 24",
    "din mein", "din me",  "roz",     "rozana",    "每天",     "每日",      "一天",
    "1天",      "1日",     "一日",    "天",        "يوميا",    "في اليوم",  "باليوم",
    "كل يوم",   "في 24",   "خلال 24", "في النهار", "في نهار"};
// Words that make a restated amount one administration ("that's 1 g each time", "每次").
constexpr std::string_view kEachTimeWords[] = {"each time", "per dose",   "each dose", "at a time",
                                               "at once",   "every time", "每次",      "一次",
                                               "في المره",  "كل مره",     "ek baar"};

// An amount restated after a regimen: where it starts and ends in the stretch, its value in mg
// (nullopt when written without a unit) and the bare number.
struct Restated {
  size_t at = 0;
  size_t end = 0;
  double number = 0;
  std::optional<double> mg;
  bool milli = false;  // spelled with the colloquial Arabic milli
};

// The clause after a restating word: up to the next comma, full stop or clause mark.
std::string_view ClauseAfter(std::string_view text, size_t from) {
  size_t end = text.find_first_of(",;.!?", from);
  // A decimal point ("2.6 g") does not end the clause.
  while (end != std::string_view::npos && text[end] == '.' && end > from && end + 1 < text.size() &&
         IsDigit(text[end - 1]) && IsDigit(text[end + 1])) {
    end = text.find_first_of(",;.!?", end + 1);
  }
  std::string_view clause =
      text.substr(from, end == std::string_view::npos ? text.npos : end - from);
  for (std::string_view stop : {"،", "؛", "，", "。", "；", " 他", " 你", " 您", " 就"}) {
    const size_t cut = clause.find(stop);
    if (cut != std::string_view::npos) clause = clause.substr(0, cut);
  }
  return clause;
}

// Drops leading spaces and fillers from a clause.
std::string_view SkipFillers(std::string_view clause) {
  for (bool again = true; again;) {
    again = false;
    while (!clause.empty() && clause.front() == ' ') clause.remove_prefix(1);
    for (std::string_view w : kRestateFillers) {
      if (clause.starts_with(w) &&
          (clause.size() == w.size() || !internal::IsAsciiLetter(clause[w.size()]) ||
           !internal::IsAsciiLetter(w.back()))) {
        clause.remove_prefix(w.size());
        again = true;
      }
    }
  }
  return clause;
}

// The amount the first words of a clause spell ("2 g", "forty milligrams", "2 غرام في اليوم",
// "5.2克他疼得厉害"): the shortest run of up to four words, or of the number and up to three
// characters after it, that parses as an amount.
std::optional<Amount> LeadingAmount(std::string_view clause, const WordLists& words) {
  size_t end = 0;
  for (int n = 0; n < 4 && end < clause.size(); ++n) {
    end = clause.find(' ', end + 1);
    if (end == std::string_view::npos) end = clause.size();
    if (auto amount = ParseAmount(clause.substr(0, end), words)) return amount;
  }
  size_t digits = 0;
  while (digits < clause.size() && (IsDigit(clause[digits]) || clause[digits] == '.')) ++digits;
  if (digits == 0) return std::nullopt;
  for (size_t extra : {3, 6, 9}) {
    if (digits + extra > clause.size()) break;
    if (auto amount = ParseAmount(clause.substr(0, digits + extra), words)) return amount;
  }
  return std::nullopt;
}

// Whether a clause spells the colloquial Arabic milli ("٣٠٠ مللي"): mg of a tablet.
bool SaysArabicMilli(std::string_view clause) {
  return clause.find("ملي") != std::string_view::npos ||
         clause.find("مللي") != std::string_view::npos;
}

// The amount a clause opens with: a mass ("forty milligrams", "5.2克", "تلتمية مللي": the
// colloquial Arabic milli of a tablet is mg), or a bare number in a short clause ("a thousand").
// Nullopt when the clause opens with anything else, or with an amount that is not a mass.
std::optional<Restated> AmountOpening(std::string_view clause, const WordLists& words) {
  clause = SkipFillers(clause);
  if (clause.empty()) return std::nullopt;
  Restated r;
  if (SaysArabicMilli(clause)) {
    // The milli of a tablet read as mg: spelled as ملغ, the clause parses as a mass.
    std::string as_mg(clause);
    for (std::string_view milli : {"مللي", "ملي"}) {
      const size_t at = as_mg.find(milli);
      if (at != std::string::npos) {
        as_mg.replace(at, milli.size(), "ملغ");
        break;
      }
    }
    if (auto amount = LeadingAmount(as_mg, words);
        amount && amount->kind == text::UnitKind::kMass) {
      r.number = amount->high;
      r.mg = amount->HighInBase();
      r.milli = true;
      return r;
    }
  }
  if (auto amount = LeadingAmount(clause, words)) {
    r.number = amount->high;
    if (amount->kind == text::UnitKind::kMass) {
      r.mg = amount->HighInBase();
    } else {
      return std::nullopt;
    }
    return r;
  }
  // A bare number ("a thousand", "1000"): a short clause with no unit (a count such as "two
  // tablets" parses as a count above and is not read).
  const auto numbers = internal::Numbers(clause);
  if (clause.size() > 40 || numbers.size() != 1 || numbers[0] <= 0 ||
      std::count(clause.begin(), clause.end(), ' ') > 2) {
    return std::nullopt;
  }
  r.number = numbers[0];
  return r;
}

// Whether the text before a restating word names a day ("a day", "一天四次", "في اليوم") within
// its last 40 bytes.
bool DayBefore(std::string_view before) {
  const size_t from = before.size() > 40 ? before.size() - 40 : 0;
  return FirstOf(before.substr(from), kPerDayWords).found();
}

// "take two of those, so that's a thousand, three times a day" (a dose), "twenty capsules a day,
// so forty milligrams" and "一天四次 算下来五点二克" (a day): the amount a regimen comes to,
// restated after it (the first one), and whether it is a day's amount.
std::optional<std::pair<Restated, bool>> FindRestatedTotal(std::string_view stretch,
                                                           const WordLists& words,
                                                           double strength_mg) {
  for (size_t from = 0; from < stretch.size();) {
    const WordHit hit = FirstOf(stretch, kRestateWords, from);
    if (!hit.found()) return std::nullopt;
    from = hit.at + hit.size;
    const std::string_view clause = ClauseAfter(stretch, from);
    auto amount = AmountOpening(clause, words);
    if (!amount) continue;
    if (!amount->mg) {
      // A bare number is in the statement's unit when it is a whole multiple of one unit's
      // strength ("the 500 ones … so that's a thousand").
      if (strength_mg <= 0) continue;
      const double ratio = amount->number / strength_mg;
      if (ratio < 1.5 || ratio > 20 || std::abs(ratio - std::round(ratio)) > 1e-6) continue;
      amount->mg = amount->number;
    }
    amount->at = from;
    amount->end = from + clause.size();
    const std::string_view after = stretch.substr(amount->end, 24);
    const bool each_time =
        FirstOf(clause, kEachTimeWords).found() || FirstOf(after, kEachTimeWords).found();
    const bool day = !each_time && (DayBefore(stretch.substr(0, hit.at)) ||
                                    FirstOf(clause, kPerDayWords).found());
    return std::make_pair(*amount, day);
  }
  return std::nullopt;
}

// The regimen's total restated after it is the amount the reader is told to take: a day total
// sets the day (when it is the statement's own dose, read from the restatement, or more than the
// day the regimen multiplies out to), an amount per administration sets the dose (when more than
// one administration). A day total that is the whole course ("for 7 days, that's 7 g") is left.
// Words for tablets and capsules: a stretch that counts them doses a solid form.
constexpr std::string_view kSolidWords[] = {
    "tablet", "tablets", "pill",  "pills",  "capsule", "capsules", "片",    "粒",    "胶囊",
    "حبه",    "حبتين",   "حبايه", "حبايات", "حبوب",    "قرص",      "اقراص", "كبسوله"};

// "ibuprofen, the 400 ones", "the five hundred milligram ones", "400的那种": a strength named
// by the units it is sold in, after "the" (en) or before 的那 (zh); its value in mg within the
// drug's adult maximum single dose, or nullopt.
std::optional<double> StrengthOfTheOnes(std::string_view stretch,
                                        const knowledge::DoseLimits& limits) {
  const double max = limits.adult_max_single_mg.value_or(limits.adult_max_daily_mg.value_or(0));
  if (max <= 0) return std::nullopt;
  for (size_t at = FindWord(stretch, "the"); at != std::string_view::npos;
       at = FindWord(stretch, "the", at + 3)) {
    const size_t end = stretch.find(" ones", at);
    if (end == std::string_view::npos || end - at > 40) continue;
    const std::string_view inner = stretch.substr(at + 3, end - at - 3);
    const auto numbers = internal::Numbers(inner);
    if (numbers.size() != 1) continue;
    // A bare number or one in milligrams only ("the 400 ones", "the 500 mg ones").
    const std::string_view rest = internal::Trim(inner);
    if (rest.find("mg") == std::string_view::npos &&
        rest.find("milligram") == std::string_view::npos &&
        std::count(rest.begin(), rest.end(), ' ') > 2) {
      continue;
    }
    if (numbers[0] > 0 && numbers[0] <= max) return numbers[0];
  }
  for (std::string_view mark : {"的那种", "的那个", "的那款"}) {
    const size_t at = stretch.find(mark);
    if (at == std::string_view::npos) continue;
    size_t from = at;
    while (from > 0 && (IsDigit(stretch[from - 1]) || stretch[from - 1] == '.')) --from;
    double value = 0;
    if (from < at &&
        std::from_chars(stretch.data() + from, stretch.data() + at, value).ec == std::errc{} &&
        value > 0 && value <= max) {
      return value;
    }
  }
  return std::nullopt;
}

void ReadRestatedTotal(std::string_view stretch, const WordLists& words,
                       const knowledge::Drug& drug, MedicationStatement* st) {
  if (!st->dose && !st->count_dose) {
    // "take two of those, so that's 800": the restated total needs the strength "the 400 ones".
    if (auto strength = StrengthOfTheOnes(stretch, drug.limits)) st->dose = MassPerUnit(*strength);
  }
  if (!st->dose) return;
  if (st->dose->kind == text::UnitKind::kVolume &&
      (!HasOralLiquid(drug) || FirstOf(stretch, kSolidWords).found())) {
    // "اللي هو تلتمية مللي" of tablets: the dose read as ml is the restated milli, in mg.
    const auto found = FindRestatedTotal(stretch, words, 0);
    if (!found || !found->first.milli || std::abs(found->first.number - st->dose->high) > 1e-9) {
      return;
    }
    st->dose = MassPerUnit(found->first.number);
  }
  if (st->dose->kind != text::UnitKind::kMass) return;
  const double strength = st->dose->HighInBase();
  if (strength <= 0) return;
  const auto found = FindRestatedTotal(stretch, words, strength);
  if (!found) return;
  const double total = *found->first.mg;
  const double count = st->count_dose ? st->count_dose->high : 1;
  const double single = strength * count;
  const bool own_dose = std::abs(total - strength) < 1e-9;
  // A dose already read as a day amount changes only when it is the restated day total itself.
  if (st->dose_is_daily_total && !(own_dose && found->second)) return;
  if (found->second) {
    const double day = st->per_day > 0 ? single * st->per_day : 0;
    if (st->duration_days > 1 && day > 0 &&
        std::abs(total - day * st->duration_days) < std::abs(total - day)) {
      return;
    }
    if (!own_dose && total <= day) return;
    st->dose = MassPerUnit(total);
    st->count_dose.reset();
    st->per_day = 1;
    st->dose_is_daily_total = true;
    return;
  }
  if (total > single) {
    st->dose = MassPerUnit(total);
    st->count_dose.reset();
  }
}

// Whether a statement has a stretch of the answer to read (not an allergy mention).
bool HasStretch(const DoseText& text, const MedicationStatement& st) {
  return IsLexiconDrug(st.drug) && !st.allergy && st.span.end <= text.answer.size() &&
         st.span.end > st.span.begin;
}

// What the stretch of a statement says about its amounts and times beyond the grammar's tokens:
// an IU strength with a multiplier, a total of the count, morning and evening.
void ReadRegimen(const DoseText& text, std::vector<MedicationStatement>& statements, size_t index) {
  MedicationStatement& st = statements[index];
  if (!HasStretch(text, st)) return;
  const std::string_view stretch = Slice(text.answer, StatementRegion(text, statements, index));
  ReadIuWithMultiplier(stretch, &st);
  DropAlternativeCount(stretch, &st);
  ReadTotalOfCount(stretch, &st);
  ReadRestatedCount(stretch, &st);
  ReadMorningAndEvening(stretch, &st);
}

// ---- A cap on the times a day ("no more than 6 doses a day", "一天最多6次") ----------------

// Words that make the count of times after them a day maximum.
constexpr std::string_view kTimesCapWords[] = {
    "no more than", "not more than", "not exceed", "not to exceed", "never more than",
    "at most",      "up to",         "maximum of", "max of",        "maximum",
    "max",          "exceed",        "最多",       "至多",          "不超过",
    "不要超过",     "不能超过",      "不得超过",   "不可超过",      "最多不超过",
    "بحد اقصي",     "كحد اقصي",      "لا تزيد عن", "لا تزيد علي",   "لا تتجاوز",
    "ما تزيد عن",   "ما يزيد عن",    "لا يتجاوز",  "ولا اكثر من",   "مش اكتر من",
    "مو اكثر من",   "حتي",           "لحد"};
// A verb between the cap word and the count ("最多吃6次", "up to take"): skipped.
constexpr std::string_view kCapVerbs[] = {"可以吃", "可以服", "能吃", "吃",   "服用", "服",   "用",
                                          "喂",     "给",     "可以", "تاخد", "تاخذ", "تاخذي"};
// Words for one time or dose after the count.
constexpr std::string_view kTimesWords[] = {"times", "doses", "dose",  "x",    "次",  "遍",
                                            "مرات",  "مره",   "جرعات", "جرعه", "مرار"};
// Words that make the times a day's ("a day", "in 24 hours", 一天, "في اليوم").
constexpr std::string_view kTimesDayWords[] = {
    "a day", "per day", "each day", "every day", "in a day", "daily", "in 24",  "within 24", "/day",
    "/24",   "天",      "日",       "24小时",    "اليوم",    "يوميا", "النهار", "24 ساعه"};

// A count of times written in digits, or as a small English or Chinese number word, at text[i]:
// its value and end.
std::optional<std::pair<double, size_t>> TimesCountAt(std::string_view text, size_t i) {
  if (i < text.size() && IsDigit(text[i])) {
    size_t end = i;
    const auto value = NumberAt(text, &end);
    if (value) return std::make_pair(*value, end);
    return std::nullopt;
  }
  static constexpr std::pair<std::string_view, double> kWords[] = {
      {"two", 2},   {"three", 3}, {"four", 4}, {"five", 5},    {"six", 6}, {"seven", 7},
      {"eight", 8}, {"nine", 9},  {"ten", 10}, {"twelve", 12}, {"两", 2},  {"二", 2},
      {"三", 3},    {"四", 4},    {"五", 5},   {"六", 6},      {"七", 7},  {"八", 8}};
  for (const auto& [word, value] : kWords) {
    if (text.substr(i, word.size()) != word) continue;
    const size_t end = i + word.size();
    if (IsAsciiLetter(word.front()) && end < text.size() && IsAsciiLetter(text[end])) continue;
    return std::make_pair(value, end);
  }
  return std::nullopt;
}

// The number of times a day the stretch caps the regimen at ("no more than 6 doses a day",
// "up to 6 times in 24 hours", "一天最多6次", "每日不超过4次", "最多6次/天", "بحد أقصى ٦ مرات في
// اليوم"): a cap word, a count, a times word, and a day word just before the cap word or just
// after the times word. nullopt when the stretch states none.
std::optional<double> TimesCapOf(std::string_view stretch) {
  for (std::string_view cap : kTimesCapWords) {
    for (size_t at = FindWord(stretch, cap); at != std::string_view::npos;
         at = FindWord(stretch, cap, at + 1)) {
      size_t i = SkipSpaces(stretch, at + cap.size());
      if (const size_t verb = SkipOneOf(stretch, i, kCapVerbs); verb != std::string_view::npos) {
        i = verb;
      }
      const auto count = TimesCountAt(stretch, i);
      if (!count || count->first < 1) continue;
      i = SkipSpaces(stretch, count->second);
      const WordHit times = FirstOf(stretch.substr(i, 12), kTimesWords);
      if (!times.found() || times.at != 0) continue;
      const size_t after = i + times.size;
      const size_t from = at > 16 ? at - 16 : 0;
      if (FirstOf(stretch.substr(after, 24), kTimesDayWords).found() ||
          FirstOf(stretch.substr(from, at - from), kTimesDayWords).found()) {
        return count->first;
      }
    }
  }
  return std::nullopt;
}

// A cap on the times a day caps the frequency ("every 4 hours, no more than 4 doses a day" is 4
// a day) and makes a day total the text states: the amount of one administration times the cap
// ("1000 mg every 4 hours, no more than 6 doses a day" states 6 g a day), for the adult day
// maximum to judge (a cap above it is no safeguard).
void ReadTimesCap(std::string_view stretch, MedicationStatement* st) {
  if (st->dose_is_daily_total || !st->dose || st->dose->kind == text::UnitKind::kCount) return;
  const auto cap = TimesCapOf(stretch);
  if (!cap) return;
  if (st->per_day > *cap) st->per_day = *cap;
  if (st->daily_total) return;
  const double count = st->count_dose ? st->count_dose->high : 1;
  const double total = st->dose->high * count * *cap;
  st->daily_total = Amount{total, total, st->dose->unit, st->dose->kind};
}

// What a day maximum stated with a completed dose says about it: it caps the regimen it follows,
// and an amount within it after it is a day amount.
void ReadDayCaps(const DoseText& text, const Grammar& grammar, const knowledge::Lexicon& lexicon,
                 std::vector<MedicationStatement>& statements, size_t index) {
  MedicationStatement& st = statements[index];
  if (!HasStretch(text, st)) return;
  const text::Span region = StatementRegion(text, statements, index);
  ReadRestatedTotal(Slice(text.answer, region), grammar.words(), lexicon.drugs()[st.drug], &st);
  ApplyDayCap(CapOfRegimen(text, statements, index, region), &st);
  ReadTimesCap(Slice(text.answer, region), &st);
  ReadAmountUnderDayCap(text, lexicon.drugs()[st.drug].limits, statements, index, region, &st);
}

// ---- A day total restated as a count and its mass ("也就是8片、4g") --------------------------

// Words before a count that make the count and the mass after it the day's amount, restated.
constexpr std::string_view kDayPairRestateWords[] = {
    "也就是", "即", "就是",     "相当于", "共", "that's", "that is",
    "i.e",    "so", "which is", "يعني",   "اي", "يعادل",  "بمجموع"};

// The mass of a "<count> <unit>[、,( ]<mass>" pair at text[i] ("8片、4g", "8 tablets, 4 g",
// "8 tablets (4 g)", "٨ أقراص، ٤ غرام") in mg, or nullopt.
std::optional<double> CountThenMassAt(std::string_view text, size_t i) {
  const auto count = NumberAt(text, &i);
  if (!count || *count <= 0) return std::nullopt;
  i = SkipSpaces(text, i);
  if (!UnitAt(text, &i, text::UnitKind::kCount)) return std::nullopt;
  for (size_t k = 0; k < 2; ++k) {
    i = SkipSpaces(text, i);
    if (i < text.size() && (text[i] == ',' || text[i] == '(' || text[i] == '=' || text[i] == '/')) {
      ++i;
    } else if (text.compare(i, 3, "、") == 0) {
      i += 3;
    }
  }
  i = SkipSpaces(text, i);
  return MassAt(text, &i);
}

// "一天最多4次，也就是8片、4g", "that's 8 tablets, 4 g a day": a day total written as a count and
// its mass. When the statement read a day amount that is not that mass (the count times the mass
// taken for one tablet's strength), the day's amount is the mass the text states.
void ReadRestatedDayPair(std::string_view region, MedicationStatement* st) {
  if (!st->dose_is_daily_total || !st->dose || st->dose->kind != text::UnitKind::kMass) return;
  const double read = st->dose->HighInBase() * (st->count_dose ? st->count_dose->high : 1);
  for (size_t i = 0; i < region.size(); ++i) {
    if (!NumberStartsAt(region, i)) continue;
    const std::string_view before = region.substr(0, i);
    const size_t from = before.size() > 20 ? before.size() - 20 : 0;
    if (!NamesDayTotal(before) && !FirstOf(before.substr(from), kDayPairRestateWords).found())
      continue;
    const auto mass = CountThenMassAt(region, i);
    if (!mass || *mass <= 0) continue;
    if (std::abs(*mass - read) > 1e-6) {
      st->dose = MassPerUnit(*mass);
      st->count_dose.reset();
      st->per_day = 1;  // the amount is the day's
    }
    return;
  }
}

// ---- A schedule of clock times ("08:00 … 12:00 … 16:00 …") -------------------------------

// The clock times in a line, as minutes after midnight: "08:00", "8:30", "20:00" (hours 0-24,
// minutes two digits), with "am"/"pm" or "ص"/"م" after them read on a 12-hour clock.
std::vector<int> ClockTimesIn(std::string_view line) {
  std::vector<int> times;
  for (size_t i = 0; i + 3 < line.size(); ++i) {
    if (!NumberStartsAt(line, i)) continue;
    size_t j = i;
    int hour = 0;
    while (j < line.size() && IsDigit(line[j]) && j - i < 3) hour = hour * 10 + (line[j++] - '0');
    if (j - i > 2 || j + 2 >= line.size() || line[j] != ':' || !IsDigit(line[j + 1]) ||
        !IsDigit(line[j + 2]) || (j + 3 < line.size() && IsDigit(line[j + 3]))) {
      continue;
    }
    const int minute = (line[j + 1] - '0') * 10 + (line[j + 2] - '0');
    if (hour > 24 || minute > 59) continue;
    const size_t after = SkipSpaces(line, j + 3);
    const std::string_view rest = line.substr(after);
    if (hour < 12 && (rest.starts_with("pm") || rest.starts_with("p.m"))) hour += 12;
    if (hour == 12 && (rest.starts_with("am") || rest.starts_with("a.m"))) hour = 0;
    times.push_back((hour % 24) * 60 + minute);
    i = j + 2;
  }
  return times;
}

// Whether a line states the statement's amount: its mass of one administration, its count or
// volume of one administration, or the mass of one unit written beside a count.
bool LineHoldsDose(std::string_view line, const MedicationStatement& st, const WordLists& words) {
  const double single = st.dose->HighInBase() * (st.count_dose ? st.count_dose->HighInBase() : 1);
  bool found = false;
  VisitMassAmounts(line, [&](size_t, size_t, double, double mg) {
    found = std::abs(mg - single) < 1e-6 || std::abs(mg - st.dose->HighInBase()) < 1e-6;
    return found;
  });
  if (found || !st.count_dose) return found;
  if (st.count_dose->kind == text::UnitKind::kVolume) {
    for (double ml : PlainVolumesMl(line, words)) {
      if (std::abs(ml - st.count_dose->HighInBase()) < 1e-6) return true;
    }
    return false;
  }
  for (size_t i = 0; i < line.size(); ++i) {
    if (!NumberStartsAt(line, i)) continue;
    size_t j = i;
    const auto count = NumberAt(line, &j);
    j = SkipSpaces(line, j);
    if (count && UnitAt(line, &j, text::UnitKind::kCount) &&
        std::abs(*count - st.count_dose->high) < 1e-6) {
      return true;
    }
  }
  return false;
}

// A reminder list or a table of clock times, one line each, each line giving the same amount of
// the statement's medicine ("| 08:00 | 10 ml | 200 mg |" five times, "08:00 Panadol 1 g, 14:00
// Panadol 1 g, …", "٠٨:٠٠ … ١٢:٠٠ …"): every distinct time of day is one administration, so the
// statement is taken that many times a day (the grammar reads one time as once a day). The lines
// run on from the statement's own line up and down while each holds a clock time and the amount,
// and names no other medicine.
void ReadClockSchedule(const DoseText& text, const std::vector<MedicationStatement>& statements,
                       const WordLists& words, MedicationStatement* st) {
  if (!IsLexiconDrug(st->drug) || st->allergy || st->dose_is_daily_total || !st->dose ||
      st->dose->kind != text::UnitKind::kMass || st->sentence >= text.sentences.size()) {
    return;
  }
  auto names_other = [&](const text::Span& sentence) {
    return std::any_of(statements.begin(), statements.end(), [&](const MedicationStatement& o) {
      return o.drug != st->drug && Inside(o.drug_span, sentence);
    });
  };
  std::vector<int> times;
  auto take = [&](size_t s) {
    const text::Span& sentence = text.sentences[s];
    const std::string_view line = Slice(text.answer, sentence);
    const auto found = ClockTimesIn(line);
    if (found.size() != 1 || names_other(sentence) || !LineHoldsDose(line, *st, words))
      return false;
    times.push_back(found.front());
    return true;
  };
  if (!take(st->sentence)) return;
  for (size_t s = st->sentence; s > 0 && take(s - 1); --s) {
  }
  for (size_t s = st->sentence + 1; s < text.sentences.size() && take(s); ++s) {
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  if (times.size() >= 2 && static_cast<double>(times.size()) > st->per_day) {
    st->per_day = static_cast<double>(times.size());
  }
}

// ---- One ingredient under two names ("Panadol 1 g every 6 hours, plus Adol 1 g at night") ----

// Words between two names of one medicine that offer them as alternatives or say they are the
// same product: the reader takes one of them, not both.
constexpr std::string_view kAlternativeWords[] = {"or",
                                                  "either",
                                                  "instead",
                                                  "alternatively",
                                                  "same as",
                                                  "same medicine",
                                                  "same thing",
                                                  "same drug",
                                                  "same ingredient",
                                                  "aka",
                                                  "also known as",
                                                  "also called",
                                                  "i.e",
                                                  "或",
                                                  "或者",
                                                  "还是",
                                                  "换成",
                                                  "改用",
                                                  "也就是",
                                                  "就是",
                                                  "也叫",
                                                  "又叫",
                                                  "又名",
                                                  "即",
                                                  "同一",
                                                  "一样",
                                                  "او",
                                                  "ولا",
                                                  "بدل",
                                                  "بدلا",
                                                  "يعني",
                                                  "نفس الدواء",
                                                  "نفس الماده",
                                                  "نفس الشي",
                                                  "هو هو",
                                                  "المعروف"};
// Words between two names of one medicine that add the second to the first ("and also", "plus",
// "再加", "بالاضافه"), or alternate them ("alternate Panadol and Adol", "交替", "بالتناوب"): the
// day's amount is the sum.
constexpr std::string_view kCombineWords[] = {
    "also",     "plus",       "as well",   "in addition", "on top",
    "together", "along with", "alternate", "alternating", "at the same time",
    "with it",  "再加",       "加上",      "另外",        "同时",
    "还要",     "还可以",     "还可",      "再吃",        "再服",
    "交替",     "轮流",       "一起",      "并用",        "合用",
    "ايضا",     "كمان",       "بالاضافه",  "وكمان",       "معاه",
    "معاها",    "مع",         "بالتناوب",  "وكذلك",       "كذلك",
    "وايضا"};
// A plain "and" joins two names with a combining sense only inside one sentence ("take Panadol
// 1 g and Adol 1 g every 6 hours"); between sentences it opens a new topic.
constexpr std::string_view kAndWords[] = {"and", "和", "跟", "与", "及", "و"};
// Words that give one amount to each of two names ("各1g", "1 g of each", "كل واحد").
constexpr std::string_view kEachNameWords[] = {"各",   "每种",    "each of them", "of each",
                                               "both", "كل واحد", "كل منهما",     "لكل منهما"};

// Whether a statement counts towards the day's total of its medicine: a recommended amount of
// one administration in mass (a day total or cap alone is a limit, not an administration).
bool AddsToDay(const DoseText& text, const MedicationStatement& st) {
  if (!IsLexiconDrug(st.drug) || st.allergy || st.amount_is_day_total || !st.dose ||
      st.dose->kind != text::UnitKind::kMass || st.dose->high <= 0) {
    return false;
  }
  // "max 4 g a day" is a limit; "500 mg at bedtime" (read as the day's amount) is taken.
  if (st.dose_is_daily_total) {
    const size_t at = st.last_amount.begin;
    const size_t from = at > 30 ? at - 30 : 0;
    if (at > text.answer.size() || FirstCapWord(text.answer.substr(from, at - from), 0).found()) {
      return false;
    }
  }
  if (st.count_dose && st.count_dose->kind == text::UnitKind::kActivity) return false;
  return st.mood == Mood::kDirective || st.mood == Mood::kRxForm || st.mood == Mood::kUnmarked;
}

// One administration and the day's amount of a statement in mg (a statement with no frequency is
// taken at least once).
std::pair<double, double> SingleAndDayMg(const MedicationStatement& st) {
  const double single = st.dose->HighInBase() * (st.count_dose ? st.count_dose->high : 1);
  return {single, st.per_day > 0 ? single * st.per_day : single};
}

// Whether a word of `words` occurs as a whole word in text.
template <size_t N>
bool HasAnyWord(std::string_view text, const std::string_view (&words)[N]) {
  return FirstOf(text, words).found();
}

// The name a statement's drug is written with in the answer (normalized).
std::string_view NameOf(const DoseText& text, const MedicationStatement& st) {
  return Slice(text.answer, st.drug_span);
}

// "Take Panadol 1 g every 6 hours, and also Adol 1 g every 6 hours", "必理通一次2片…，再加扑热息痛
// 0.5g…", "بانادول ١ غ كل ٦ ساعات وكمان أدول": one medicine (one lexicon id) recommended under two
// names whose regimens are both taken — the words between the names add the second (also, plus,
// alternate; a plain "and" within one sentence) and offer no choice (or, instead, the same). The
// day's amount of both together is a day total of the later statement (daily_total), which the
// day maximum judges; each regimen alone may be within it. Restated regimens (a summary, a
// reminder list, a translation) carry no adding word and are not summed.
// Two names farther apart than kMaxCombinedBytes are not one combined regimen (the adding words
// join neighbouring sentences); the bound also keeps a long answer's many mentions linear.
void SumSameIngredient(const DoseText& text, const knowledge::Lexicon& lexicon,
                       std::vector<MedicationStatement>* statements) {
  constexpr size_t kMaxCombinedBytes = 600;
  auto& all = *statements;
  for (size_t j = 0; j < all.size(); ++j) {
    MedicationStatement& later = all[j];
    if (!AddsToDay(text, later)) continue;
    const auto& limits = lexicon.drugs()[later.drug].limits;
    if (!limits.adult_max_daily_mg) continue;
    for (size_t i = 0; i < j; ++i) {
      const MedicationStatement& first = all[i];
      if (first.drug != later.drug || first.drug_span.end > later.drug_span.begin ||
          later.drug_span.begin - first.drug_span.end > kMaxCombinedBytes ||
          !AddsToDay(text, first) || NameOf(text, first) == NameOf(text, later)) {
        continue;
      }
      const std::string_view between =
          Slice(text.answer, {first.drug_span.end, later.drug_span.begin});
      // One amount for both names is taken twice only when it is said to be each one's ("各1g",
      // "1 g of each"); else the names are one product written twice.
      if (first.last_amount.begin == later.last_amount.begin &&
          (later.last_amount.begin < later.drug_span.end ||
           !HasAnyWord(Slice(text.answer, {later.drug_span.end, later.last_amount.end}),
                       kEachNameWords))) {
        continue;
      }
      if (HasAnyWord(between, kAlternativeWords)) continue;
      const bool same_sentence = first.sentence == later.sentence;
      if (!HasAnyWord(between, kCombineWords) &&
          !(same_sentence && HasAnyWord(between, kAndWords))) {
        continue;
      }
      const double sum = SingleAndDayMg(first).second + SingleAndDayMg(later).second;
      if (sum <= *limits.adult_max_daily_mg ||
          (later.daily_total && later.daily_total->kind == text::UnitKind::kMass &&
           later.daily_total->HighInBase() >= sum)) {
        continue;
      }
      later.daily_total = MassPerUnit(sum);
    }
  }
}

// A dose per kilogram of body weight ("20 mg/kg", "每公斤体重10mg", "٢٠ ملغ لكل كغ") is an amount
// only once the weight is known: with the one weight the question or the answer gives ("a 14 kg
// toddler", "体重12公斤", "وزنه ١٢ كغ"), it becomes that many mg, so the child and adult maxima
// judge what the child takes; without a weight (or with two) it stays as read.
void ApplyBodyWeight(const DoseText& text, std::vector<MedicationStatement>* statements) {
  std::optional<double> kg;
  bool read = false;
  for (auto& st : *statements) {
    if (!st.dose_per_kg || !st.dose || st.dose->kind != text::UnitKind::kMass) continue;
    if (!read) {
      kg = ReadPatient(text.question, text.answer).weight_kg;
      read = true;
    }
    if (!kg || *kg <= 0) return;
    st.dose->low *= *kg;
    st.dose->high *= *kg;
    st.dose_per_kg = false;
  }
}

// "Q: I took Stilnox 10 mg two hours ago and still can't sleep" — "A: take another 10 mg tablet
// now", "再吃一片", "خذ قرصاً آخر": one more dose on top of the one the question says was already
// taken is a day total of both (daily_total), which the day maximum judges (zolpidem 10 + 10 mg
// against 10 mg a night). Read only when the question says a dose was taken (took, 吃了, أخذت),
// not on an earlier day (yesterday, 昨天, أمس), states one mass for that drug, and the answer's
// statement is one more administration (another, 再, آخر) with a mass of its own. A question that
// states the drug once a night or once a day ("prescribed zolpidem 10 mg at night", "医生开的是每晚
// 10毫克", "10 ملغ كل ليلة") tells of a dose taken as well, unless it says that dose was missed
// (forgot, 忘了, نسيت): "wake at 3 am, can I take another?" adds one to the night's dose.
constexpr std::string_view kTakenWords[] = {
    "took", "taken", "i've had", "i have had", "swallowed", "吃了", "服了",   "已经吃", "吃过",
    "喝了", "用了",  "服用了",   "اخذت",       "خذيت",      "اخدت", "تناولت", "شربت",   "بلعت"};
constexpr std::string_view kEarlierDayWords[] = {"yesterday", "last night", "昨天",    "昨晚",
                                                 "前天",      "امس",        "البارحه", "مبارح"};
constexpr std::string_view kAnotherWords[] = {"another", "one more", "a second", "an extra", "再吃",
                                              "再服",    "再来",     "再加",     "再用",     "再补",
                                              "另一",    "又吃",     "اخر",      "اخري",     "ثاني",
                                              "ثانيه",   "كمان",     "اضافي",    "اضافيه"};
constexpr std::string_view kMissedWords[] = {"forgot", "forget", "missed", "skipped", "忘",
                                             "漏",     "没吃",   "نسيت",   "نسي",     "فاتت"};

// Whether the question states the drug once a day (its regular dose, taken that day or night)
// and says no dose was missed.
bool QuestionStatesDailyDose(const DoseText& text, uint32_t drug) {
  if (FirstOf(text.question, kMissedWords).found()) return false;
  return std::any_of(
      text.question_statements->begin(), text.question_statements->end(),
      [&](const MedicationStatement& q) { return q.drug == drug && q.dose && q.per_day == 1; });
}

void AddDoseAlreadyTaken(const DoseText& text, std::vector<MedicationStatement>* statements) {
  if (text.question_statements == nullptr || FirstOf(text.question, kEarlierDayWords).found()) {
    return;
  }
  const bool taken_told = FirstOf(text.question, kTakenWords).found();
  for (size_t i = 0; i < statements->size(); ++i) {
    MedicationStatement& st = (*statements)[i];
    if (!IsLexiconDrug(st.drug) || !st.dose || st.dose->kind != text::UnitKind::kMass ||
        st.dose_is_daily_total || st.dose_per_kg || st.per_day > 1 ||
        st.sentence >= text.sentences.size()) {
      continue;
    }
    // One more is told, not described or ruled out ("a second tablet in the night is not safe"):
    // the word comes before the amount, in a statement that gives the dose.
    if (st.mood != Mood::kDirective && st.mood != Mood::kRxForm && st.mood != Mood::kUnmarked &&
        st.mood != Mood::kConditional) {
      continue;
    }
    const text::Span& sentence = text.sentences[st.sentence];
    const uint32_t upto = st.last_amount.end > sentence.begin && st.last_amount.end <= sentence.end
                              ? st.last_amount.end
                              : sentence.end;
    if (!FirstOf(Slice(text.answer, {sentence.begin, upto}), kAnotherWords).found()) continue;
    if (!taken_told && !QuestionStatesDailyDose(text, st.drug)) continue;
    std::optional<double> taken;
    bool several = false;
    for (const auto& q : *text.question_statements) {
      // A day's amount taken once a day ("10 mg every night") is that one dose.
      if (q.drug != st.drug || !q.dose || q.dose->kind != text::UnitKind::kMass ||
          (q.dose_is_daily_total && q.per_day != 1) || q.dose_per_kg) {
        continue;
      }
      const double mg = q.dose->HighInBase() * (q.count_dose ? q.count_dose->high : 1);
      if (taken && std::abs(*taken - mg) > 1e-9) several = true;
      taken = mg;
    }
    if (!taken || several) continue;
    const double given = st.dose->HighInBase() * (st.count_dose ? st.count_dose->high : 1);
    const double total = *taken + given;
    if (st.daily_total &&
        (st.daily_total->kind != text::UnitKind::kMass || st.daily_total->HighInBase() >= total)) {
      continue;
    }
    st.daily_total = MassPerUnit(total);
  }
}

// Vitamins whose maxima are written in international units, with the units in one milligram:
// vitamin D (cholecalciferol, ergocalciferol) 1 microgram = 40 IU, vitamin A (retinol) 1 IU =
// 0.3 microgram. A dose in micrograms ("vitamin D3 1000 mcg", "维生素D3 500微克", "١٠٠٠
// ميكروغرام") is the same amount in IU, so that a unit slip (mcg for IU, 40 times the dose) meets
// the IU maximum.
struct IuPerMg {
  std::string_view drug;
  double iu_per_mg;
};
constexpr IuPerMg kIuPerMg[] = {
    {"cholecalciferol", 40000}, {"ergocalciferol", 40000}, {"retinol", 1.0 / 0.0003}};

void MassInUnits(double iu_per_mg, Amount* amount) {
  const double to_mg = amount->HighInBase() / amount->high;
  amount->low *= to_mg * iu_per_mg;
  amount->high *= to_mg * iu_per_mg;
  amount->unit = text::Unit::kIu;
  amount->kind = text::UnitKind::kActivity;
}

void VitaminMassInUnits(const knowledge::Lexicon& lexicon,
                        std::vector<MedicationStatement>* statements) {
  for (const auto& vitamin : kIuPerMg) {
    const auto id = lexicon.Find(vitamin.drug);
    if (!id) continue;
    const auto& limits = lexicon.drugs()[*id].limits;
    // Only while the lexicon judges the vitamin in IU alone: a mass limit judges the mass itself.
    if (limits.adult_max_single_mg || limits.adult_max_daily_mg) continue;
    for (auto& st : *statements) {
      if (st.drug != *id || st.dose_per_kg) continue;
      if (st.dose && st.dose->kind == text::UnitKind::kMass && st.dose->high > 0) {
        MassInUnits(vitamin.iu_per_mg, &*st.dose);
      }
      if (st.daily_total && st.daily_total->kind == text::UnitKind::kMass &&
          st.daily_total->high > 0) {
        MassInUnits(vitamin.iu_per_mg, &*st.daily_total);
      }
    }
  }
}
}  // namespace

std::vector<double> FindConcentrations(std::string_view normalized) {
  std::vector<double> found;
  for (const auto& c : ConcentrationsIn(normalized)) found.push_back(c.c.mg_per_ml);
  return found;
}

void CompleteDoses(const DoseText& text, const Grammar& grammar, const knowledge::Lexicon& lexicon,
                   std::vector<MedicationStatement>* statements) {
  GiveJoinedDoseToFittingDrug(text, lexicon, statements);
  for (size_t i = 0; i < statements->size(); ++i) ReadRegimen(text, *statements, i);
  AnswerConcentrations answer_concentrations(text.answer);
  for (auto& st : *statements) {
    if (!IsLexiconDrug(st.drug)) continue;
    SettleOpenUnit(lexicon.drugs()[st.drug], &st);
    if (st.dose && st.dose->kind == text::UnitKind::kVolume && st.dose->high > 0 &&
        !st.count_dose && st.sentence < text.sentences.size()) {
      // A concentration written in the text wins; a named product's one strength is the fallback.
      auto mg_per_ml = ConcentrationFor(text.answer, text.sentences[st.sentence],
                                        answer_concentrations, text.question);
      if (!mg_per_ml) mg_per_ml = DefaultLiquidConcentration(text, st, grammar.words(), lexicon);
      if (mg_per_ml) {
        Amount volume = *st.dose;
        const double to_ml = volume.HighInBase() / volume.high;
        volume.low *= to_ml;
        volume.high *= to_ml;
        volume.unit = text::Unit::kMl;
        st.count_dose = volume;
        st.dose = MassPerUnit(*mg_per_ml);
      }
      continue;
    }
    if (st.dose && st.dose->kind == text::UnitKind::kMass && !st.count_dose &&
        st.sentence < text.sentences.size()) {
      ReadHeadingConcentration(text, grammar.words(), &st);
      continue;
    }
    if (st.count_dose && !st.dose && text.question_statements != nullptr) {
      const auto& limits = lexicon.drugs()[st.drug].limits;
      if (auto strength = QuestionStrength(st.drug, text, grammar.words(), limits)) {
        st.dose = MassPerUnit(*strength);
      }
    }
    if (st.count_dose && !st.dose) {
      if (auto strength = AnswerCombinationStrength(text, st, lexicon.drugs()[st.drug].limits)) {
        st.dose = MassPerUnit(*strength);
      }
    }
    if (st.count_dose && !st.dose) {
      if (auto strength = UnitStrength(st, grammar.words(), lexicon)) {
        st.dose = MassPerUnit(*strength);
      }
    }
    if (!st.dose && !st.count_dose) {
      if (auto strength = AnswerBareStrength(text, st, grammar.words(), lexicon.drugs()[st.drug])) {
        st.dose = MassPerUnit(*strength);
      }
    }
  }
  ApplyBodyWeight(text, statements);
  for (size_t i = 0; i < statements->size(); ++i)
    ReadDayCaps(text, grammar, lexicon, *statements, i);
  for (size_t i = 0; i < statements->size(); ++i) {
    MedicationStatement& st = (*statements)[i];
    if (HasStretch(text, st)) {
      ReadRestatedDayPair(Slice(text.answer, StatementRegion(text, *statements, i)), &st);
    }
    ReadClockSchedule(text, *statements, grammar.words(), &st);
  }
  SumSameIngredient(text, lexicon, statements);
  AddDoseAlreadyTaken(text, statements);
  VitaminMassInUnits(lexicon, statements);
}

}  // namespace medaudit::extract
