#include "extract/dose_context.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>

#include "extract/internal/amount.h"
#include "extract/internal/lexical.h"
#include "text/units.h"

namespace medaudit::extract {
namespace {

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

// "/", "per", "in", 每, لكل, في, كل between the mass and the volume of a concentration.
size_t SkipPer(std::string_view text, size_t i) {
  for (std::string_view per : {"/", "per ", "in ", "每", "لكل ", "في ", "كل "}) {
    if (text.substr(i, per.size()) == per) return SkipSpaces(text, i + per.size());
  }
  return std::string_view::npos;
}

// A concentration found in text: its strength, the mass it states and where it ends.
struct Concentration {
  double mg_per_ml = 0;
  double mass_mg = 0;  // the numerator: "100 mg" of "100 mg/5 ml"
  size_t end = 0;
};

// A concentration starting at text[i]: <number> <mass unit> <per> [<number>] <volume unit>.
std::optional<Concentration> ConcentrationSpanAt(std::string_view text, size_t i) {
  const auto mass = NumberAt(text, &i);
  if (!mass) return std::nullopt;
  i = SkipSpaces(text, i);
  const auto mass_unit = UnitAt(text, &i, text::UnitKind::kMass);
  if (!mass_unit) return std::nullopt;
  i = SkipPer(text, SkipSpaces(text, i));
  if (i == std::string_view::npos) return std::nullopt;
  double volume = 1;
  if (i < text.size() && IsDigit(text[i])) {
    volume = NumberAt(text, &i).value_or(0);
    i = SkipSpaces(text, i);
  }
  const auto volume_unit = UnitAt(text, &i, text::UnitKind::kVolume);
  if (!volume_unit || volume <= 0) return std::nullopt;
  const double mass_mg = *mass * mass_unit->to_base;
  return Concentration{mass_mg / (volume * volume_unit->to_base), mass_mg, i};
}

// Whether text[i] starts a number (not the middle of one).
bool NumberStartsAt(std::string_view text, size_t i) {
  return IsDigit(text[i]) && (i == 0 || (!IsDigit(text[i - 1]) && text[i - 1] != '.'));
}

// The volumes in ml ("15 ml", "2.5 ml", "١٠ مل") in text that are not part of a concentration.
std::vector<double> PlainVolumesMl(std::string_view text) {
  std::vector<double> volumes;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!NumberStartsAt(text, i)) continue;
    if (auto c = ConcentrationSpanAt(text, i)) {
      i = c->end - 1;
      continue;
    }
    size_t j = i;
    const auto value = NumberAt(text, &j);
    j = SkipSpaces(text, j);
    const auto unit = UnitAt(text, &j, text::UnitKind::kVolume);
    // A number right after "/" is the volume of a concentration ("100 mg/5 ml").
    const bool after_per = i > 0 && (text[i - 1] == '/' || (i > 1 && text[i - 2] == '/'));
    if (value && unit && *value > 0 && !after_per) volumes.push_back(*value * unit->to_base);
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

// The concentration for a statement: its sentence's, else the answer's, else the question's.
std::optional<double> ConcentrationFor(std::string_view answer, const text::Span& sentence,
                                       std::string_view question) {
  for (std::string_view place :
       {answer.substr(sentence.begin, sentence.size()), answer, question}) {
    const auto found = FindConcentrations(place);
    if (!found.empty()) return OnlyValue(found);
  }
  return std::nullopt;
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

// The strength the question gives for a drug: a mass dose of one unit ("diclofenac 50 mg"), or
// a bare number after its name within the drug's adult maximum ("فولتارين ٥٠").
std::optional<double> QuestionStrength(uint32_t drug, const DoseText& text, const WordLists& words,
                                       const knowledge::DoseLimits& limits) {
  const auto& plausible =
      limits.adult_max_single_mg ? limits.adult_max_single_mg : limits.adult_max_daily_mg;
  std::vector<double> strengths;
  for (const auto& q : *text.question_statements) {
    if (q.drug != drug) continue;
    if (q.dose && q.dose->kind == text::UnitKind::kMass) {
      if (!q.count_dose || q.count_dose->high == 1) strengths.push_back(q.dose->HighInBase());
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
    }
  }
  return OnlyValue(strengths);
}

Amount MassPerUnit(double mg) { return Amount{mg, mg, text::Unit::kMg, text::UnitKind::kMass}; }

// A heading that names a liquid with its concentration ("Children's Motrin (100 mg/5 mL)",
// "泰诺林滴剂 100 mg/ml") and a dose line in millilitres under it ("15 mL per dose"): the
// statement took the concentration's mass as its dose. The dose is the volume times the
// concentration, when the statement's text holds that one concentration and one plain volume.
void ReadHeadingConcentration(const DoseText& text, MedicationStatement* st) {
  const size_t end = text.sentences[st->sentence].end;
  if (st->drug_span.begin >= end || end > text.answer.size()) return;
  const std::string_view region =
      text.answer.substr(st->drug_span.begin, end - st->drug_span.begin);
  std::optional<Concentration> heading;
  for (size_t i = 0; i < region.size(); ++i) {
    if (!NumberStartsAt(region, i)) continue;
    if (auto c = ConcentrationSpanAt(region, i)) {
      if (heading && std::abs(heading->mg_per_ml - c->mg_per_ml) > 1e-9) return;
      heading = c;
      i = c->end - 1;
    }
  }
  if (!heading || std::abs(heading->mass_mg - st->dose->HighInBase()) > 1e-9) return;
  const auto volume = OnlyValue(PlainVolumesMl(region));
  if (!volume) return;
  st->count_dose = Amount{*volume, *volume, text::Unit::kMl, text::UnitKind::kVolume};
  st->dose = MassPerUnit(heading->mg_per_ml);
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

}  // namespace

std::vector<double> FindConcentrations(std::string_view normalized) {
  std::vector<double> found;
  for (size_t i = 0; i < normalized.size(); ++i) {
    if (!IsDigit(normalized[i]) ||
        (i > 0 && (IsDigit(normalized[i - 1]) || normalized[i - 1] == '.'))) {
      continue;
    }
    if (auto c = ConcentrationSpanAt(normalized, i)) found.push_back(c->mg_per_ml);
  }
  return found;
}

void CompleteDoses(const DoseText& text, const Grammar& grammar, const knowledge::Lexicon& lexicon,
                   std::vector<MedicationStatement>* statements) {
  GiveJoinedDoseToFittingDrug(text, lexicon, statements);
  for (auto& st : *statements) {
    if (!IsLexiconDrug(st.drug)) continue;
    SettleOpenUnit(lexicon.drugs()[st.drug], &st);
    if (st.dose && st.dose->kind == text::UnitKind::kVolume && st.dose->high > 0 &&
        !st.count_dose && st.sentence < text.sentences.size()) {
      if (auto mg_per_ml =
              ConcentrationFor(text.answer, text.sentences[st.sentence], text.question)) {
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
      ReadHeadingConcentration(text, &st);
      continue;
    }
    if (st.count_dose && !st.dose && text.question_statements != nullptr) {
      const auto& limits = lexicon.drugs()[st.drug].limits;
      if (auto strength = QuestionStrength(st.drug, text, grammar.words(), limits)) {
        st.dose = MassPerUnit(*strength);
      }
    }
    if (st.count_dose && !st.dose) {
      if (auto strength = UnitStrength(st, grammar.words(), lexicon)) {
        st.dose = MassPerUnit(*strength);
      }
    }
  }
}

}  // namespace medaudit::extract
