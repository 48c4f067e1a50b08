#include "extract/dose_context.h"

#include <charconv>
#include <cmath>
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

// A concentration starting at text[i]: <number> <mass unit> <per> [<number>] <volume unit>.
std::optional<double> ConcentrationAt(std::string_view text, size_t i) {
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
  return *mass * mass_unit->to_base / (volume * volume_unit->to_base);
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
    if (q.dose || !plausible) continue;
    if (auto bare = internal::StrengthAfterName(text.question, q.drug_span, words);
        bare && bare->high <= *plausible) {
      strengths.push_back(bare->high);
    }
  }
  return OnlyValue(strengths);
}

Amount MassPerUnit(double mg) { return Amount{mg, mg, text::Unit::kMg, text::UnitKind::kMass}; }

}  // namespace

std::vector<double> FindConcentrations(std::string_view normalized) {
  std::vector<double> found;
  for (size_t i = 0; i < normalized.size(); ++i) {
    if (!IsDigit(normalized[i]) ||
        (i > 0 && (IsDigit(normalized[i - 1]) || normalized[i - 1] == '.'))) {
      continue;
    }
    if (auto c = ConcentrationAt(normalized, i)) found.push_back(*c);
  }
  return found;
}

void CompleteDoses(const DoseText& text, const Grammar& grammar, const knowledge::Lexicon& lexicon,
                   std::vector<MedicationStatement>* statements) {
  for (auto& st : *statements) {
    if (!IsLexiconDrug(st.drug)) continue;
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
    if (st.count_dose && !st.dose && text.question_statements != nullptr) {
      const auto& limits = lexicon.drugs()[st.drug].limits;
      if (auto strength = QuestionStrength(st.drug, text, grammar.words(), limits)) {
        st.dose = MassPerUnit(*strength);
      }
    }
  }
}

}  // namespace medaudit::extract
