#include "rules/engine.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <filesystem>
#include <future>
#include <iterator>
#include <optional>
#include <unordered_map>

#include "base/sha256.h"
#include "base/utf8.h"
#include "extract/dose_context.h"
#include "knowledge/fuzzy.h"
#include "match/scan_text.h"
#include "rules/fuzzy_tokens.h"
#include "rules/manifest.h"
#include "text/segment.h"

namespace medaudit::rules {
namespace {

using extract::MedicationStatement;
using extract::Mood;
using text::Span;

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Statement attributes as bits, for StatementPredicate::Compiled.
constexpr uint8_t kDoseBit = 1, kFrequencyBit = 2, kDurationBit = 4, kRouteBit = 8,
                  kScheduleBit = 16, kUnknownBit = 128;

uint8_t AttributeBit(std::string_view name) {
  if (name == "dose") return kDoseBit;
  if (name == "frequency") return kFrequencyBit;
  if (name == "duration") return kDurationBit;
  if (name == "route") return kRouteBit;
  if (name == "schedule") return kScheduleBit;
  return kUnknownBit;  // never held (rules lint reports the name)
}

uint8_t AttributesOf(const MedicationStatement& st) {
  uint8_t bits = 0;
  if (st.has_dose()) bits |= kDoseBit;
  if (st.has_frequency()) bits |= kFrequencyBit | kScheduleBit;
  if (st.has_duration()) bits |= kDurationBit | kScheduleBit;
  if (st.has_route) bits |= kRouteBit;
  return bits;
}

// The lexicon's drugs by class tag, built once per load: compiling a predicate then costs one
// pass over the drugs with byte operations, not string comparisons per drug.
using DrugsByClass = std::unordered_map<std::string_view, std::vector<uint32_t>>;

DrugsByClass IndexDrugsByClass(const knowledge::Lexicon& lexicon) {
  DrugsByClass index;
  const auto& drugs = lexicon.drugs();
  for (uint32_t d = 0; d < drugs.size(); ++d) {
    for (const auto& tag : drugs[d].classes) index[tag].push_back(d);
  }
  return index;
}

// Per lexicon drug, whether it meets the predicate's conditions that depend on the drug alone
// (class, id, controlled schedule, pregnancy flag, minimum age).
std::vector<uint8_t> DrugTable(const StatementPredicate& p, const knowledge::Lexicon& lexicon,
                               const DrugsByClass& by_class) {
  const auto& drugs = lexicon.drugs();
  std::vector<uint8_t> ok(drugs.size(), 1);
  auto keep_only = [&](const std::vector<uint8_t>& allowed) {
    for (size_t d = 0; d < ok.size(); ++d) ok[d] &= allowed[d];
  };
  if (!p.drug_class.empty()) {
    std::vector<uint8_t> allowed(drugs.size(), 0);
    for (const auto& tag : p.drug_class) {
      if (auto it = by_class.find(tag); it != by_class.end()) {
        for (uint32_t d : it->second) allowed[d] = 1;
      }
    }
    keep_only(allowed);
  }
  if (!p.drug_ids.empty()) {
    std::vector<uint8_t> allowed(drugs.size(), 0);
    for (const auto& id : p.drug_ids) {
      if (auto d = lexicon.Find(id)) allowed[*d] = 1;
    }
    keep_only(allowed);
  }
  if (!p.drug_controlled.empty()) {
    const bool any = Contains(p.drug_controlled, "any");
    unsigned schedules = 0;  // bit per knowledge::Controlled
    for (auto c : {knowledge::Controlled::kNarcotic, knowledge::Controlled::kPsychotropic1,
                   knowledge::Controlled::kPsychotropic2}) {
      if (any || Contains(p.drug_controlled, knowledge::ControlledName(c))) {
        schedules |= 1u << static_cast<unsigned>(c);
      }
    }
    for (size_t d = 0; d < ok.size(); ++d) {
      ok[d] &= (schedules >> static_cast<unsigned>(drugs[d].controlled)) & 1u;
    }
  }
  for (size_t d = 0; d < ok.size(); ++d) {
    const auto& limits = drugs[d].limits;
    if (!p.drug_pregnancy.empty() && !Contains(p.drug_pregnancy, limits.pregnancy)) ok[d] = 0;
    if (p.drug_min_age && !limits.min_age_years) ok[d] = 0;
  }
  return ok;
}

// The drug tables of one load, shared between predicates with the same drug conditions (in
// 2026-11 the 865 predicates had 63 distinct ones; a table costs a pass over every lexicon drug).
class DrugTables {
 public:
  explicit DrugTables(const knowledge::Lexicon& lexicon)
      : lexicon_(lexicon), by_class_(IndexDrugsByClass(lexicon)) {}

  std::shared_ptr<const std::vector<uint8_t>> For(const StatementPredicate& p) {
    std::string key;
    for (const auto* list : {&p.drug_class, &p.drug_ids, &p.drug_controlled, &p.drug_pregnancy}) {
      for (const auto& item : *list) (key += item) += '\x1f';
      key += '\x1e';
    }
    key += p.drug_min_age ? '1' : '0';
    auto& table = tables_[key];
    if (!table) {
      table = std::make_shared<const std::vector<uint8_t>>(DrugTable(p, lexicon_, by_class_));
    }
    return table;
  }

  // The table as a bitset (StatementPredicate::Compiled::drug_bits), built once per table.
  std::shared_ptr<const std::vector<uint64_t>> BitsOf(
      const std::shared_ptr<const std::vector<uint8_t>>& table) {
    auto& bits = bits_[table.get()];
    if (!bits) {
      auto built = std::make_shared<std::vector<uint64_t>>((table->size() + 63) / 64, 0);
      for (size_t d = 0; d < table->size(); ++d) {
        if ((*table)[d] != 0) (*built)[d / 64] |= uint64_t{1} << (d % 64);
      }
      bits = std::move(built);
    }
    return bits;
  }

 private:
  const knowledge::Lexicon& lexicon_;
  const DrugsByClass by_class_;
  std::unordered_map<std::string, std::shared_ptr<const std::vector<uint8_t>>> tables_;
  // Keyed by the tables of tables_, which live as long as this object.
  std::unordered_map<const std::vector<uint8_t>*, std::shared_ptr<const std::vector<uint64_t>>>
      bits_;
};

void CompilePredicate(DrugTables& tables, StatementPredicate* p) {
  auto& c = p->compiled;
  for (const Mood mood : p->moods) {
    c.moods |= static_cast<uint16_t>(1u << static_cast<unsigned>(mood));
  }
  for (const auto& name : p->has_any) c.has_any |= AttributeBit(name) & ~kUnknownBit;
  for (const auto& name : p->has_all) c.has_all |= AttributeBit(name);
  c.needs_drug = !p->drug_controlled.empty() || !p->drug_class.empty() || !p->drug_ids.empty() ||
                 !p->exceeds.empty() || p->daily_of_weekly || !p->drug_pregnancy.empty() ||
                 p->drug_min_age || p->below_min_age;
  c.drug_ok = c.needs_drug ? tables.For(*p) : nullptr;
  c.drug_bits = c.needs_drug ? tables.BitsOf(c.drug_ok) : nullptr;
}

// Compiles the statement predicates of a condition tree; true when one of them needs the
// patient's age (StatementPredicate::patient_age_below or below_min_age).
bool CompilePredicates(DrugTables& tables, Condition* condition) {
  bool uses_age = false;
  if (condition->kind == Condition::Kind::kStatement) {
    CompilePredicate(tables, &condition->statement);
    uses_age =
        condition->statement.patient_age_below.has_value() || condition->statement.below_min_age;
  }
  for (auto& child : condition->children) uses_age |= CompilePredicates(tables, &child);
  return uses_age;
}

// What a limit is compared with: one administration and one day, in one unit kind (mg or IU).
struct DoseAmounts {
  double single = 0;
  double daily = 0;  // 0: no frequency given
};

// No medicine is dosed in kilograms: "12 kg" beside a dose is the patient's weight (a dosing
// table's weight column), never the amount given.
bool IsBodyWeight(const extract::Amount& amount) { return amount.unit == text::Unit::kKg; }

// A dose per kilogram still per kilogram (no weight to multiply it by: extract::CompleteDoses) is
// no amount in mg.
std::optional<DoseAmounts> AmountsIn(const MedicationStatement& st, text::UnitKind kind) {
  if (!st.dose || st.dose->kind != kind || IsBodyWeight(*st.dose) || st.dose_per_kg) {
    return std::nullopt;
  }
  const double count = st.count_dose ? st.count_dose->high : 1;
  const double single = st.dose->HighInBase() * count;
  // "X mg a day" with no per-administration frequency is itself the daily amount.
  return DoseAmounts{single, st.per_day > 0 ? single * st.per_day : 0};
}

bool Above(double amount, const std::optional<double>& limit, double scale = 1) {
  return limit && amount > *limit * scale;
}

// A child's weight: under it, mg/kg maxima apply (paediatric dosing by weight stops at about
// 40 kg).
constexpr double kChildWeightKg = 40;
// Labels and the BNF for Children dose by age or weight bands and round to a measurable volume,
// so a dose up to a third over the mg/kg figure for the exact weight is usual practice (paracetamol
// 375 mg at 20 kg is 18.75 mg/kg against 15), not an overdose.
constexpr double kChildMargin = 4.0 / 3.0;

// What limits depend on besides the drug: the patient, and the doses the question states.
struct LimitContext {
  const extract::Patient& patient;
  const std::vector<MedicationStatement>& question;
};

// What a statement's dose amounts to, for comparing two statements of one drug: one
// administration (mass or IU times the count, else the count; a day total counts as one), and
// the day's amount when the frequency or a day total is known.
struct ComparableDose {
  double single = 0;
  std::optional<double> daily;
  text::UnitKind kind = text::UnitKind::kCount;
};

ComparableDose Comparable(const MedicationStatement& st) {
  const double count = st.count_dose ? st.count_dose->high : 1;
  ComparableDose d;
  d.single = st.dose ? st.dose->HighInBase() * count : count;
  d.kind = st.dose ? st.dose->kind : text::UnitKind::kCount;
  // Millilitres of a liquid whose concentration was stated (extract::CompleteDoses) compare as
  // a volume: a mass the question gives may be that concentration, not the dose taken.
  if (st.count_dose && st.count_dose->kind == text::UnitKind::kVolume) {
    d.single = st.count_dose->HighInBase();
    d.kind = text::UnitKind::kVolume;
  }
  if (st.dose_is_daily_total) {
    d.daily = d.single;
  } else if (st.per_day > 0) {
    d.daily = d.single * st.per_day;
  }
  return d;
}

// A sudden jump is rarely right: more than this many times the dose the question says the reader
// takes (insulin 6 -> 60 units, glargine 20 -> 80 units).
constexpr double kDoseJump = 3;
// A smaller step the packs use only beside a cue that the tablets changed (a refill of another
// strength): the old count kept for tablets of twice the strength doubles the dose.
constexpr double kDoseStep = 1.6;

// Whether the statement's dose is more than `factor` times the one dose the question states for
// the same drug (same kind of amount, both per day or both per administration; nothing when the
// question states several).
bool JumpsFromQuestionDose(const MedicationStatement& st,
                           const std::vector<MedicationStatement>& question, double factor) {
  if (!st.has_dose() || (st.dose && IsBodyWeight(*st.dose))) return false;
  const ComparableDose given = Comparable(st);
  std::optional<ComparableDose> usual;
  for (const auto& q : question) {
    if (q.drug != st.drug || !q.has_dose() || (q.dose && IsBodyWeight(*q.dose))) continue;
    const ComparableDose stated = Comparable(q);
    if (stated.kind != given.kind || stated.single <= 0) continue;
    if (usual && (usual->single != stated.single || usual->daily != stated.daily)) return false;
    usual = stated;
  }
  if (!usual) return false;
  // Per administration, and per day too when both say how often: a frequency misread on one
  // side alone must not make a jump.
  return given.single > usual->single * factor &&
         (!given.daily || !usual->daily || *given.daily > *usual->daily * factor);
}

// The day's amount the text states as a total or a cap ("no more than 12 tablets in 24 hours",
// "每日不超过12片", "لا تتجاوز ١٢ حبة في اليوم", "up to 6 g a day"), in the statement's dose
// unit kind: a count of units times the strength of one, or a mass or IU amount as it is.
// Nothing when the text states no day total, or a count whose unit strength is unknown (the
// dose is a unit's strength only beside a count per administration: "2 x 500 mg" is one amount).
std::optional<double> StatedDayTotal(const MedicationStatement& st, text::UnitKind kind) {
  if (st.dose && IsBodyWeight(*st.dose)) return std::nullopt;
  if (st.daily_total) {
    const auto& total = *st.daily_total;
    if (IsBodyWeight(total)) return std::nullopt;
    if (total.kind == kind) return total.HighInBase();
    if (total.kind == text::UnitKind::kCount && st.count_dose &&
        st.count_dose->kind == text::UnitKind::kCount && st.dose && st.dose->kind == kind) {
      return total.high * st.dose->HighInBase();
    }
    return std::nullopt;
  }
  // "up to 6 g a day": a mass or IU day total as it is. A count alone ("no more than 12 tablets a
  // day") has no unit strength: "2 x 500 mg" is read as one amount of 1000 mg.
  if (st.dose_is_daily_total && !st.count_dose && st.dose && st.dose->kind == kind) {
    return st.dose->HighInBase();
  }
  return std::nullopt;
}

// Whether the day total the text states is above the adult daily maximum (a cap at or below it
// is safe advice, whatever the regimen before it). A per-administration amount above the single
// maximum means the amounts were misread (a parenthesised total taken for a unit's strength), so
// the total is not judged then; the single-dose limit speaks for such a statement.
bool StatedTotalAbove(const MedicationStatement& st, const knowledge::DoseLimits& limits) {
  if (const auto single = AmountsIn(st, text::UnitKind::kMass);
      single && !st.dose_is_daily_total && Above(single->single, limits.adult_max_single_mg)) {
    return false;
  }
  const auto mg = StatedDayTotal(st, text::UnitKind::kMass);
  const auto iu = StatedDayTotal(st, text::UnitKind::kActivity);
  return (mg && Above(*mg, limits.adult_max_daily_mg)) ||
         (iu && Above(*iu, limits.adult_max_daily_iu));
}

// The band that applies at `value` (a clearance, an age): the one with the lowest threshold above
// it, or null.
const knowledge::LimitBand* BandAt(const std::vector<knowledge::LimitBand>& bands,
                                   const std::optional<double>& value) {
  if (!value) return nullptr;
  const knowledge::LimitBand* band = nullptr;
  for (const auto& b : bands) {
    if (*value < b.below && (!band || b.below < band->below)) band = &b;
  }
  return band;
}

// Whether a dose is above a band's maximum per administration (`single`) or per day, times
// `scale`. A day is at least one administration, so a dose with no frequency is compared with the
// daily maximum too (a maximum of 0: any dose).
bool AboveBand(bool single, const std::optional<DoseAmounts>& mg, bool single_known,
               const knowledge::LimitBand* band, double scale = 1) {
  if (!band || !mg || mg->single <= 0) return false;
  if (single) return single_known && Above(mg->single, band->max_single_mg, scale);
  return Above(std::max(mg->daily, mg->single), band->max_daily_mg, scale);
}

// Whether a band says the drug must not be used (a maximum of 0).
bool Forbids(const knowledge::LimitBand& band) {
  return (band.max_single_mg && *band.max_single_mg == 0) ||
         (band.max_daily_mg && *band.max_daily_mg == 0);
}

// The age band of a child whose weight the text does not give (with a weight, the mg/kg maxima
// speak); a band that forbids the drug (a maximum of 0) applies whatever the weight.
const knowledge::LimitBand* ChildAgeBand(const knowledge::DoseLimits& limits,
                                         const extract::Patient& patient) {
  const auto* band = BandAt(limits.child_by_age, patient.age_years);
  if (!band || !patient.weight_kg) return band;
  return Forbids(*band) ? band : nullptr;
}

// Whether a statement's dose is above one limit of the drug (upper end of ranges).
bool ExceedsOne(Limit limit, const MedicationStatement& st, const knowledge::DoseLimits& limits,
                const LimitContext& context) {
  const auto& patient = context.patient;
  const auto mg = AmountsIn(st, text::UnitKind::kMass);
  const auto iu = AmountsIn(st, text::UnitKind::kActivity);
  const bool single_known = !st.dose_is_daily_total;
  const bool adult_age = patient.age_years && *patient.age_years >= 18;
  const double kg = patient.weight_kg.value_or(0);
  const bool child = kg > 0 && kg < kChildWeightKg && !adult_age;
  const bool elderly = patient.age_years && limits.elderly_age_years &&
                       *patient.age_years >= *limits.elderly_age_years;
  switch (limit) {
    case Limit::kSingle:
      return single_known && ((mg && Above(mg->single, limits.adult_max_single_mg)) ||
                              (iu && Above(iu->single, limits.adult_max_single_iu)));
    case Limit::kDaily:
      return (mg && Above(mg->daily, limits.adult_max_daily_mg)) ||
             (iu && Above(iu->daily, limits.adult_max_daily_iu));
    case Limit::kChildSingle:
      return child && mg && single_known &&
             Above(mg->single, limits.child_max_single_mg_per_kg, kg * kChildMargin);
    case Limit::kChildDaily:
      return child && mg && Above(mg->daily, limits.child_max_daily_mg_per_kg, kg * kChildMargin);
    case Limit::kElderlySingle:
      return elderly && mg && single_known && Above(mg->single, limits.elderly_max_single_mg);
    case Limit::kElderlyDaily:
      return elderly && mg && Above(mg->daily, limits.elderly_max_daily_mg);
    case Limit::kRenalSingle:
    case Limit::kRenalDaily: {
      // A band that forbids the drug is a contraindication (renal_avoid), not a maximum.
      const auto* band = BandAt(limits.renal, patient.kidney_ml_min);
      return band && !Forbids(*band) &&
             AboveBand(limit == Limit::kRenalSingle, mg, single_known, band);
    }
    case Limit::kRenalAvoid: {
      const auto* band = BandAt(limits.renal, patient.kidney_ml_min);
      return band && Forbids(*band);
    }
    case Limit::kChildAgeSingle:
    case Limit::kChildAgeDaily:
      return AboveBand(limit == Limit::kChildAgeSingle, mg, single_known,
                       ChildAgeBand(limits, patient), kChildMargin);
    case Limit::kQuestionDose:
      return JumpsFromQuestionDose(st, context.question, kDoseJump);
    case Limit::kQuestionDoseStep:
      return JumpsFromQuestionDose(st, context.question, kDoseStep);
    case Limit::kStatedTotal:
      return StatedTotalAbove(st, limits);
  }
  return false;
}

// Whether a statement's dose is above any of the limits `which` names
// (StatementPredicate::exceeds).
bool ExceedsLimit(const std::vector<Limit>& which, const MedicationStatement& st,
                  const knowledge::DoseLimits& limits, const LimitContext& context) {
  return std::any_of(which.begin(), which.end(),
                     [&](Limit limit) { return ExceedsOne(limit, st, limits, context); });
}

// Whether the question has a statement of the same drug (StatementPredicate::question_drug).
bool NamedInQuestion(const MedicationStatement& st,
                     const std::vector<MedicationStatement>& question) {
  return std::any_of(question.begin(), question.end(),
                     [&](const MedicationStatement& q) { return q.drug == st.drug; });
}

// A daily (or more frequent) regimen of a once-weekly drug, or of a strength sold only for
// weekly dosing (alendronate 70 mg).
bool DailyOfWeekly(const MedicationStatement& st, const knowledge::DoseLimits& limits) {
  if (st.per_day < 1) return false;
  if (limits.weekly_only) return true;
  if (limits.weekly_strengths_mg.empty() || !st.dose || st.dose->kind != text::UnitKind::kMass) {
    return false;
  }
  const double strength = st.dose->HighInBase();
  const double single = strength * (st.count_dose ? st.count_dose->high : 1);
  for (const double weekly : limits.weekly_strengths_mg) {
    if (std::abs(strength - weekly) < 0.01 || std::abs(single - weekly) < 0.01) return true;
  }
  return false;
}

bool Matches(const StatementPredicate& p, const MedicationStatement& st,
             const knowledge::Lexicon& lexicon, const LimitContext& context) {
  // A drug named in an allergy clause ("because you are allergic to penicillin, take …") is the
  // patient's history, not something the text gives or discusses as a treatment.
  if (st.allergy) return false;
  const auto& c = p.compiled;
  if (c.moods != 0 && !(c.moods & (1u << static_cast<unsigned>(st.mood)))) return false;
  const bool herbal = st.drug == extract::kHerbalRecipe;
  if (p.herbal && !herbal) return false;
  if (p.exclude_herbal && herbal) return false;
  if (p.patient_age_below &&
      !(context.patient.age_years && *context.patient.age_years < *p.patient_age_below)) {
    return false;
  }
  if (p.question_drug &&
      !(extract::IsLexiconDrug(st.drug) && NamedInQuestion(st, context.question)))
    return false;
  const uint8_t attributes = AttributesOf(st);
  if ((attributes & c.has_all) != c.has_all) return false;
  if (!p.has_any.empty() && !(attributes & c.has_any)) return false;
  if (!c.needs_drug) return true;
  if (!extract::IsLexiconDrug(st.drug) || !(*c.drug_ok)[st.drug]) return false;
  const auto& drug = lexicon.drugs()[st.drug];
  if (p.below_min_age && !(context.patient.age_years && drug.limits.min_age_years &&
                           *context.patient.age_years < *drug.limits.min_age_years)) {
    return false;
  }
  if (!p.exceeds.empty() && !ExceedsLimit(p.exceeds, st, drug.limits, context)) return false;
  return !p.daily_of_weekly || DailyOfWeekly(st, drug.limits);
}

// Whether any statement has a dose of a drug whose limits depend on weight or age, or names a drug
// with kidney bands: only then is the patient read (most checks never need it).
bool NeedsPatient(const std::vector<MedicationStatement>& statements,
                  const knowledge::Lexicon& lexicon) {
  for (const auto& st : statements) {
    if (!extract::IsLexiconDrug(st.drug)) continue;
    const auto& limits = lexicon.drugs()[st.drug].limits;
    if (!limits.renal.empty()) return true;  // renal_avoid needs no dose
    if (!st.dose) continue;
    if (limits.child_max_single_mg_per_kg || limits.child_max_daily_mg_per_kg ||
        limits.elderly_age_years || !limits.child_by_age.empty()) {
      return true;
    }
  }
  return false;
}

void Merge(Span* into, const Span& span) {
  if (span.size() == 0) return;
  if (into->size() == 0) {
    *into = span;
    return;
  }
  into->begin = std::min(into->begin, span.begin);
  into->end = std::max(into->end, span.end);
}

bool IsArabicLetter(char32_t cp) {
  return (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3);
}

// The code point that ends just before byte offset `end`, or 0 at the start.
char32_t PreviousCodePoint(std::string_view text, size_t end, size_t* start) {
  if (end == 0) return 0;
  size_t pos = end - 1;
  while (pos > 0 && !utf8::IsBoundary(text, pos)) --pos;
  size_t length;
  *start = pos;
  const char32_t cp = utf8::Decode(text, pos, &length);
  return cp == utf8::kInvalid ? 0 : cp;
}

// Arabic writes short words and clitics together, so a cue such as "خذ" (take!) also occurs
// inside "يؤخذ" (is taken). A cue that starts with an Arabic letter counts only at a word start,
// optionally after one proclitic letter (و ف ب ل ك س).
bool AtArabicWordStart(std::string_view text, uint32_t begin) {
  size_t length;
  if (begin >= text.size() || !IsArabicLetter(utf8::Decode(text, begin, &length))) return true;
  size_t prev_start;
  const char32_t prev = PreviousCodePoint(text, begin, &prev_start);
  if (!IsArabicLetter(prev)) return true;
  static constexpr std::u32string_view kProclitics = U"\u0648\u0641\u0628\u0644\u0643\u0633";
  if (kProclitics.find(prev) == std::u32string_view::npos) return false;
  size_t before_start;
  return !IsArabicLetter(PreviousCodePoint(text, prev_start, &before_start));
}

// A drug name written in Arabic counts only as a whole word, after at most a conjunction or
// preposition and the article (والباراسيتامول, للأطفال-style prefixes): otherwise a short brand
// such as أدول or ياز would be found inside بنادول or سلفاديازين.
bool AtArabicNameStart(std::string_view text, uint32_t begin) {
  size_t length;
  if (begin >= text.size() || !IsArabicLetter(utf8::Decode(text, begin, &length))) return true;
  std::u32string prefix;  // the letters between the word start and the name, reversed
  size_t at = begin;
  while (prefix.size() <= 3) {
    size_t start;
    const char32_t prev = PreviousCodePoint(text, at, &start);
    if (!IsArabicLetter(prev)) break;
    prefix.push_back(prev);
    at = start;
  }
  static constexpr std::u32string_view kPrefixes[] = {U"",
                                                      U"\u0648",
                                                      U"\u0641",
                                                      U"\u0628",
                                                      U"\u0644",
                                                      U"\u0643",
                                                      U"\u0644\u0627",
                                                      U"\u0644\u0627\u0648",
                                                      U"\u0644\u0627\u0641",
                                                      U"\u0644\u0627\u0628",
                                                      U"\u0644\u0627\u0643",
                                                      U"\u0644\u0644",
                                                      U"\u0644\u0644\u0648",
                                                      U"\u0644\u0644\u0641"};
  for (std::u32string_view allowed : kPrefixes) {  // reversed: ال is U"لا" here
    if (prefix == allowed) return true;
  }
  return false;
}

// Clinical-harm packs (id "harm-...") read the statements a drugless reply makes about the
// question's drugs (Workspace::reply_statements); the prescription pack reads only what the answer
// itself names.
bool ReadsReplies(const Pack& pack) { return pack.id.rfind("harm-", 0) == 0; }

// No drug named: the statement of a drugless reply, or none matched yet.
constexpr uint32_t kNoDrug = extract::kHerbalRecipe;

// Whether `gap` (text between two hits) is only spaces.
bool OnlySpaces(std::string_view gap) {
  return std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' '; });
}

// Whether `gap` stays within one clause: no sentence or clause punctuation.
bool WithinClause(std::string_view gap) {
  static constexpr std::string_view kBreaks[] = {",",      ".",      ";",      ":",      "!",
                                                 "?",      "\n",     "\u3002", "\uff0c", "\uff1b",
                                                 "\u3001", "\u060c", "\u061b"};
  for (std::string_view mark : kBreaks) {
    if (gap.find(mark) != std::string_view::npos) return false;
  }
  return true;
}

// Whether the rule's guards are scoped to the drug it warns about (Evaluation::AboutOtherDrug):
// every rule but the pair rules.
bool DrugScoped(const Rule& rule) { return rule.category != "interaction"; }

// Whether a statement condition of the tree names this drug by id, class or table (a pair's
// partner is one of the rule's drugs; an unrelated drug is not).
bool NamesDrug(const Condition& c, uint32_t drug) {
  if (c.kind == Condition::Kind::kStatement) {
    const auto& compiled = c.statement.compiled;
    if (compiled.drug_ok && drug < compiled.drug_ok->size() && (*compiled.drug_ok)[drug]) {
      return true;
    }
  }
  for (const auto& child : c.children) {
    if (NamesDrug(child, drug)) return true;
  }
  return false;
}

// The end of the clause that starts at `from`: the next clause or sentence mark, or `end`.
uint32_t ClauseEnd(std::string_view text, uint32_t from, uint32_t end) {
  for (uint32_t i = from; i < end; ++i) {
    if (!WithinClause(text.substr(i, 1))) return i;
  }
  return end;
}

// "stop worrying", "stop scratching": an English -ing word right after a cue is what is stopped
// or done, not a medicine ("stop taking" and "keep using" are).
bool GerundObject(std::string_view text, uint32_t after) {
  while (after < text.size() && text[after] == ' ') ++after;
  uint32_t end = after;
  while (end < text.size() && text[end] >= 'a' && text[end] <= 'z') ++end;
  const std::string_view word = text.substr(after, end - after);
  return word.size() > 4 && word.substr(word.size() - 3) == "ing" && word != "taking" &&
         word != "using";
}

// A negation written before a directive cue in its clause, which the grammar may not mark as a
// cue of its own ("最好别一起吃", "better not take them", "ما تاخذه"): the clause is no approval.
bool NegationBefore(std::string_view clause_head) {
  static constexpr std::string_view kParticles[] = {
      // 别 不 勿 莫 没
      "\u522b", "\u4e0d", "\u52ff", "\u83ab", "\u6ca1",
      // English
      "not ", "n't ", "never ", "no ",
      // لا ما مش مو بلاش
      "\u0644\u0627 ", "\u0645\u0627 ", "\u0645\u0634 ", "\u0645\u0648 ",
      "\u0628\u0644\u0627\u0634 "};
  for (std::string_view particle : kParticles) {
    if (clause_head.find(particle) != std::string_view::npos) return true;
  }
  return false;
}

// The mood of one clause of a drugless reply: its one directive or negated cue mood, when no
// other mood cue (referral, conditional, question, history...) competes in the clause and the
// cue is not followed by an English -ing object. kUnmarked when there is none or it is unclear.
Mood ClauseMood(const extract::Grammar& grammar, const Workspace& ws, Span clause) {
  Mood mood = Mood::kUnmarked;
  for (const auto& token : ws.tokens) {
    if (token.kind != extract::TokenKind::kCue || token.span.begin < clause.begin ||
        token.span.end > clause.end || token.cue == Mood::kUnmarked) {
      continue;
    }
    const auto& entry = grammar.entries()[token.ref];
    if (entry.address || entry.overview_marker || entry.clinician_marker) continue;
    const bool usable =
        (token.cue == Mood::kNegated ||
         (token.cue == Mood::kDirective &&
          !NegationBefore(ws.answer.text.substr(clause.begin, token.span.begin - clause.begin)))) &&
        !entry.consequence && !GerundObject(ws.answer.text, token.span.end);
    if (!usable || (mood != Mood::kUnmarked && mood != token.cue)) return Mood::kUnmarked;
    mood = token.cue;
  }
  return mood;
}

// A short reply that names no medicine and answers a question that names some: "you can stop",
// "take it", "两个药放心一起吃". In each clause whose one mood is directive or negated
// (ClauseMood), one statement per drug the question names, with that mood: a directive is an
// imperative and a negated cue a "stop"/"don't", both addressed to the reader. Conservative: the
// answer has no drug, product or herb of its own and is at most three sentences.
void ResolveDruglessReply(const extract::Grammar& grammar, Workspace* ws) {
  ws->reply_statements.clear();
  constexpr size_t kMaxSentences = 3, kMaxBytes = 400;
  if (!ws->statements.empty() || ws->sentences.size() > kMaxSentences ||
      ws->answer.text.size() > kMaxBytes) {
    return;
  }
  std::vector<uint32_t> drugs;
  for (const auto& q : ws->question_statements) {
    if (!extract::IsLexiconDrug(q.drug) || q.allergy) continue;
    if (std::find(drugs.begin(), drugs.end(), q.drug) == drugs.end()) drugs.push_back(q.drug);
  }
  if (drugs.empty()) return;
  for (const auto& token : ws->tokens) {
    if (token.kind == extract::TokenKind::kDrug || token.kind == extract::TokenKind::kProduct ||
        token.kind == extract::TokenKind::kHerbAmount) {
      return;
    }
  }
  const std::string_view text = ws->answer.text;
  for (uint32_t s = 0; s < ws->sentences.size(); ++s) {
    const Span sentence = ws->sentences[s];
    for (uint32_t begin = sentence.begin; begin < sentence.end;) {
      const uint32_t end = ClauseEnd(text, begin, sentence.end);
      const Span clause{begin, end};
      begin = end + 1;
      const Mood mood = ClauseMood(grammar, *ws, clause);
      if (mood == Mood::kUnmarked) continue;
      for (const uint32_t drug : drugs) {
        MedicationStatement st;
        st.drug = drug;
        st.drug_span = clause;
        st.span = clause;
        st.sentence = s;
        st.mood = mood;
        ws->reply_statements.push_back(st);
      }
    }
  }
}

}  // namespace

constexpr uint8_t kSeenInAnswer = 1;
constexpr uint8_t kSeenInQuestion = 2;

// An `any` node with many children (a knowledge-table rule has one child per row) indexed by each
// child's Trigger (trigger.h), read on the side the node is read on: the children that may hold
// given which terms occur and which drugs the statements name. The relaxed pass only asks whether
// the node can hold, so it evaluates those children alone instead of every row; each child it
// skips has a trigger that does not fire, so its relaxed evaluation would be false.
struct AnyIndex {
  std::vector<uint32_t> always;  // children whose trigger always fires
  // (global term index or lexicon drug index, child), sorted.
  std::vector<std::pair<uint32_t, uint32_t>> answer_terms, question_terms;
  std::vector<std::pair<uint32_t, uint32_t>> answer_drugs, question_drugs;
  // Children with a statement trigger that admits every drug.
  std::vector<uint32_t> answer_any_drug, question_any_drug;
};

// Only nodes with at least this many children are indexed: below it the plain walk is as cheap.
constexpr size_t kIndexedChildren = 16;

struct Engine::AnyIndexes {
  std::unordered_map<const Condition*, AnyIndex> by_node;
  const AnyIndex* Find(const Condition& c) const {
    const auto it = by_node.find(&c);
    return it == by_node.end() ? nullptr : &it->second;
  }
};

namespace {

void AddDrugs(const StatementFilter& filter, uint32_t child,
              std::vector<std::pair<uint32_t, uint32_t>>* by_drug,
              std::vector<uint32_t>* any_drug) {
  if (filter.any_drug) {
    any_drug->push_back(child);
    return;
  }
  for (size_t w = 0; w < filter.drugs.size(); ++w) {
    for (uint64_t word = filter.drugs[w]; word != 0; word &= word - 1) {
      by_drug->emplace_back(static_cast<uint32_t>(w * 64 + std::countr_zero(word)), child);
    }
  }
}

AnyIndex BuildAnyIndex(const Condition& any, uint32_t term_base, bool on_question) {
  AnyIndex index;
  for (uint32_t i = 0; i < any.children.size(); ++i) {
    const Trigger t = Trigger::Of(any.children[i], term_base, on_question);
    if (t.always) {
      index.always.push_back(i);
      continue;
    }
    for (const uint32_t term : t.answer_terms) index.answer_terms.emplace_back(term, i);
    for (const uint32_t term : t.question_terms) index.question_terms.emplace_back(term, i);
    if (t.answer_statement) {
      AddDrugs(t.answer_filter, i, &index.answer_drugs, &index.answer_any_drug);
    }
    if (t.question_statement) {
      AddDrugs(t.question_filter, i, &index.question_drugs, &index.question_any_drug);
    }
  }
  for (auto* v :
       {&index.answer_terms, &index.question_terms, &index.answer_drugs, &index.question_drugs}) {
    std::sort(v->begin(), v->end());
  }
  return index;
}

// Walks a rule's tree with the side each node is read on and indexes its wide `any` nodes.
void IndexTree(const Condition& c, uint32_t term_base, bool on_question,
               std::unordered_map<const Condition*, AnyIndex>* out) {
  if (c.kind == Condition::Kind::kAny && c.children.size() >= kIndexedChildren) {
    out->emplace(&c, BuildAnyIndex(c, term_base, on_question));
  }
  const bool child_side = c.kind == Condition::Kind::kQuestion ? true
                          : c.kind == Condition::Kind::kAnswer ? false
                                                               : on_question;
  for (const auto& child : c.children) IndexTree(child, term_base, child_side, out);
}

// Appends the children listed under `key` in a sorted (key, child) table.
void AppendKeyed(const std::vector<std::pair<uint32_t, uint32_t>>& table, uint32_t key,
                 std::vector<uint32_t>* out) {
  auto it = std::lower_bound(table.begin(), table.end(), std::pair<uint32_t, uint32_t>{key, 0});
  for (; it != table.end() && it->first == key; ++it) out->push_back(it->second);
}

// What a text offers the children's triggers, on both sides (a child of an answer-side node may
// read the question, and the reverse): the term hits (sorted by term) and the statements its
// statement conditions read.
struct Side {
  const std::vector<std::pair<uint32_t, Span>>& term_hits;
  std::span<const MedicationStatement> statements;
};

void AddCandidates(const std::vector<std::pair<uint32_t, uint32_t>>& terms,
                   const std::vector<std::pair<uint32_t, uint32_t>>& drugs,
                   const std::vector<uint32_t>& any_drug, const Side& side,
                   std::vector<uint32_t>* out) {
  if (!terms.empty()) {
    for (size_t k = 0; k < side.term_hits.size(); ++k) {
      if (k > 0 && side.term_hits[k].first == side.term_hits[k - 1].first) continue;
      AppendKeyed(terms, side.term_hits[k].first, out);
    }
  }
  if (side.statements.empty()) return;
  out->insert(out->end(), any_drug.begin(), any_drug.end());
  if (drugs.empty()) return;
  for (const auto& st : side.statements) {
    if (extract::IsLexiconDrug(st.drug)) AppendKeyed(drugs, st.drug, out);
  }
}

// The children of an indexed node whose trigger may fire: those that always fire, those keyed by a
// term that occurs on its side, by the drug of a statement of that side, and those that admit any
// drug when that side has a statement. Sorted, without repeats.
void CandidateChildren(const AnyIndex& index, const Side& answer, const Side& question,
                       std::vector<uint32_t>* out) {
  out->assign(index.always.begin(), index.always.end());
  AddCandidates(index.answer_terms, index.answer_drugs, index.answer_any_drug, answer, out);
  AddCandidates(index.question_terms, index.question_drugs, index.question_any_drug, question, out);
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

}  // namespace

std::shared_ptr<const Engine::AnyIndexes> Engine::IndexWideAnyNodes(
    const std::vector<Pack>& packs, const std::vector<uint32_t>& term_base) {
  auto indexes = std::make_shared<AnyIndexes>();
  for (size_t p = 0; p < packs.size(); ++p) {
    for (const Rule& rule : packs[p].rules) {
      IndexTree(rule.when, term_base[p], false, &indexes->by_node);
    }
  }
  return indexes;
}

// Evaluates a condition tree over one scope (a sentence, or the whole text).
struct Engine::Evaluation {
  const Engine& engine;
  const Pack& pack;
  uint32_t term_base;
  const Workspace& ws;
  Span scope;                      // normalized answer range
  int64_t sentence = -1;           // the sentence of a sentence-scoped rule, -1 for text scope
  bool relaxed = false;            // over-approximation for skipping rules: `not` always holds
  mutable int32_t cited_row = -1;  // the first knowledge-table row that held (Condition::citation)
  // Under an odd number of `not`s: a term hit here is a guard ("keep taking", "逐渐减量").
  mutable bool guard = false;
  mutable int not_depth = 0;  // how many `not`s enclose the node being evaluated
  // The drug of the first answer statement that held outside a guard: what the rule warns about.
  mutable uint32_t matched_drug = kNoDrug;
  // The rule's whole condition (GuardVoid), when known and the rule warns about one drug: a pair
  // rule (category "interaction") leaves it null, since its guards speak of the pair or of a list
  // of options, whichever drug is written next.
  const Condition* root = nullptr;

  // A guard hit that does not guard, in a pack with a "guard_negation" lexicon (other packs keep
  // their guards as written): one negated right before it, or one about another drug.
  bool GuardVoid(Span hit) const {
    const int64_t negation =
        engine.guard_negation_[static_cast<size_t>(&pack - engine.packs_.data())];
    return negation >= 0 &&
           (NegatedBefore(hit, static_cast<uint32_t>(negation)) || AboutOtherDrug(hit));
  }

  // "不必逐渐减量", "no need to taper", "بدون تدريجيا": a negation word ends right before the hit.
  bool NegatedBefore(Span hit, uint32_t negation) const {
    const auto& hits = ws.term_hits;  // sorted by term
    auto range = std::equal_range(hits.begin(), hits.end(), std::pair<uint32_t, Span>{negation, {}},
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = range.first; it != range.second; ++it) {
      const Span neg = it->second;
      if (neg.end <= hit.begin && hit.begin - neg.end <= 3 &&
          OnlySpaces(ws.answer.text.substr(neg.end, hit.begin - neg.end))) {
        return true;
      }
    }
    return false;
  }

  // "keep taking aspirin" beside "stop the clopidogrel": the first drug written right after the
  // hit, in its clause, is neither the drug the rule matched nor one the rule names.
  bool AboutOtherDrug(Span hit) const {
    if (matched_drug == kNoDrug || root == nullptr) return false;
    constexpr uint32_t kNear = 16;  // "keep taking your aspirin"
    for (const auto& st : ws.statements) {
      if (st.drug_span.begin < hit.end) continue;
      if (st.drug_span.begin - hit.end > kNear ||
          !WithinClause(ws.answer.text.substr(hit.end, st.drug_span.begin - hit.end))) {
        return false;
      }
      return extract::IsLexiconDrug(st.drug) && st.drug != matched_drug &&
             !NamesDrug(*root, st.drug);
    }
    return false;
  }

  // The relaxed pass over an indexed `any` node: only the children whose trigger can fire.
  bool AnyRelaxed(const Condition& c, const AnyIndex& index, Span* evidence,
                  bool on_question) const {
    // The answer statements that statement conditions read (EvalNode, kStatement; the relaxed
    // pass never goes under a `not`).
    const bool replies = ws.statements.empty() && ReadsReplies(pack);
    const Side answer{ws.term_hits, replies ? ws.reply_statements : ws.statements};
    const Side question{ws.question_term_hits, ws.question_statements};
    std::vector<uint32_t> children;  // Eval may reach another indexed node: a buffer per call
    CandidateChildren(index, answer, question, &children);
    for (const uint32_t i : children) {
      if (Eval(c.children[i], evidence, on_question)) return true;
    }
    return false;
  }

  // True when the condition holds; *evidence grows to cover what made it hold.
  bool Eval(const Condition& c, Span* evidence, bool on_question = false) const {
    const bool holds = EvalNode(c, evidence, on_question);
    if (holds && c.citation >= 0 && cited_row < 0) cited_row = c.citation;
    return holds;
  }

  bool EvalNode(const Condition& c, Span* evidence, bool on_question) const {
    switch (c.kind) {
      case Condition::Kind::kAll: {
        Span local;
        const uint32_t drug_before = matched_drug;
        for (const auto& child : c.children) {
          if (!Eval(child, &local, on_question)) {
            matched_drug = drug_before;
            return false;
          }
        }
        Merge(evidence, local);
        return true;
      }
      case Condition::Kind::kAny:
        if (relaxed && c.children.size() >= kIndexedChildren) {
          if (const AnyIndex* index = engine.any_indexes_->Find(c)) {
            return AnyRelaxed(c, *index, evidence, on_question);
          }
        }
        for (const auto& child : c.children) {
          if (Eval(child, evidence, on_question)) return true;
        }
        return false;
      case Condition::Kind::kNot: {
        if (relaxed) return true;
        Span ignored;
        guard = !guard;
        ++not_depth;
        const bool holds = Eval(c.children.front(), &ignored, on_question);
        --not_depth;
        guard = !guard;
        return !holds;
      }
      case Condition::Kind::kQuestion: {
        Span ignored;
        return Eval(c.children.front(), &ignored, true);
      }
      case Condition::Kind::kAnswer: {
        Evaluation whole{
            engine, pack,   term_base, ws, Span{0, static_cast<uint32_t>(ws.answer.text.size())},
            -1,     relaxed};
        whole.guard = guard;
        whole.not_depth = not_depth;
        whole.matched_drug = matched_drug;
        whole.root = root;
        Span local;
        const bool holds = whole.Eval(c.children.front(), &local, false);
        if (holds && sentence < 0) Merge(evidence, local);
        return holds;
      }
      case Condition::Kind::kLexicon:
      case Condition::Kind::kPattern: {
        const uint32_t term = term_base + c.term;
        // Whether the term occurs at all: the question's whole text, or the relaxed pass over the
        // whole answer (which needs no evidence).
        if (on_question) return ws.term_seen[term] & kSeenInQuestion;
        if (relaxed) return ws.term_seen[term] & kSeenInAnswer;
        const auto& hits = ws.term_hits;  // sorted by term
        auto range =
            std::equal_range(hits.begin(), hits.end(), std::pair<uint32_t, Span>{term, {}},
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        // A term's hits are in text order: start at the first one inside the scope.
        auto it =
            std::lower_bound(range.first, range.second, scope.begin,
                             [](const auto& hit, uint32_t at) { return hit.second.begin < at; });
        for (; it != range.second && it->second.begin < scope.end; ++it) {
          if (it->second.end > scope.end) continue;
          if (guard && GuardVoid(it->second)) continue;
          Merge(evidence, it->second);
          return true;
        }
        return false;
      }
      case Condition::Kind::kStatement: {
        const LimitContext limit_context{ws.patient, ws.question_statements};
        if (on_question) {
          for (const auto& st : ws.question_statements) {
            if (Matches(c.statement, st, engine.lexicon_, limit_context)) return true;
          }
          return false;
        }
        // A drugless reply's statements are a reading of the reply: they make a rule hold, and
        // are not read under a `not` (never a guard, nor an exception to one).
        const bool replies = ws.statements.empty() && ReadsReplies(pack) && not_depth == 0;
        const auto& statements = replies ? ws.reply_statements : ws.statements;
        size_t first = 0, last = statements.size();
        if (sentence >= 0 && !replies) {
          first = ws.sentence_statements[static_cast<size_t>(sentence)];
          last = ws.sentence_statements[static_cast<size_t>(sentence) + 1];
        }
        for (size_t k = first; k < last; ++k) {
          const MedicationStatement& st = statements[k];
          if (replies && sentence >= 0 && st.sentence != static_cast<uint64_t>(sentence)) continue;
          if (Matches(c.statement, st, engine.lexicon_, limit_context)) {
            Merge(evidence, st.span);
            if (!guard && matched_drug == kNoDrug) matched_drug = st.drug;
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }
};

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAllow:
      return "allow";
    case Verdict::kFlag:
      return "flag";
    case Verdict::kBlock:
      return "block";
  }
  return "allow";
}

namespace {

// Where rules read each term (global term index): inside a `question` condition, elsewhere (the
// answer), or both.
enum TermSides : uint8_t { kUnread = 0, kAnswerSide = 1, kQuestionOnly = 2, kBothSides = 3 };

void MarkTermSides(const Condition& c, uint32_t term_base, bool on_question,
                   std::vector<TermSides>* sides) {
  switch (c.kind) {
    case Condition::Kind::kLexicon:
    case Condition::Kind::kPattern: {
      auto& side = (*sides)[term_base + c.term];
      side = static_cast<TermSides>(side | (on_question ? kQuestionOnly : kAnswerSide));
      return;
    }
    case Condition::Kind::kQuestion:
      on_question = true;
      break;
    case Condition::Kind::kAnswer:
      on_question = false;
      break;
    default:
      break;
  }
  for (const auto& child : c.children) MarkTermSides(child, term_base, on_question, sides);
}

// Where the rules of one pack read each of its terms (index into pack.terms). A term no rule
// reads stays in the answer database (kUnread is scanned like kAnswerSide).
std::vector<TermSides> ReadTermSides(const Pack& pack) {
  std::vector<TermSides> sides(pack.terms.size(), kUnread);
  for (const auto& rule : pack.rules) MarkTermSides(rule.when, 0, false, &sides);
  return sides;
}

// A pack term's expression as compiled: literals normalized like answers, patterns (written
// normalized already) with bounded repeats (extract::BoundRepetitions).
struct CompiledExpression {
  std::string expression;
  bool literal = false;
  bool latin = false;  // extract::HasLatinLetters(expression)
};

// One pack with what the engine derives from it alone, so that the loading threads do that work
// too (start-up, issue 2): each term's expressions in order (terms, then their languages) and
// the sides its rules read each term on.
struct LoadedPack {
  Pack pack;
  std::vector<CompiledExpression> expressions;
  std::vector<TermSides> sides;
};

LoadedPack Derive(Pack pack, const text::Normalizer& normalizer) {
  LoadedPack out;
  out.sides = ReadTermSides(pack);
  text::NormalizedText normalized;
  for (const auto& term : pack.terms) {
    for (const auto& [lang, expression] : term.expressions) {
      CompiledExpression compiled;
      compiled.literal = term.literal;
      if (term.literal) {
        normalizer.Normalize(expression, &normalized);
        compiled.expression = normalized.text;
      } else {
        compiled.expression = extract::BoundRepetitions(expression);
      }
      compiled.latin = extract::HasLatinLetters(compiled.expression);
      out.expressions.push_back(std::move(compiled));
    }
  }
  out.pack = std::move(pack);
  return out;
}

// Loads the packs of a rules directory on several threads at once: each thread that calls Run()
// takes the next file not yet taken, largest first (so that no thread is left alone with a big
// pack at the end), until none is left, and derives what the engine needs from it (Derive) once
// the normalizer is given (SetNormalizer; null when it could not be built, and then nothing is
// derived: the load fails anyway). Take() gives the packs in file order, or the error of the
// first file (in file order) that failed, as a one-thread load would.
class PackLoader {
 public:
  PackLoader(std::vector<std::string> files, PackTests tests, PackHash hash)
      : files_(std::move(files)),
        tests_(tests),
        hash_(hash),
        normalizer_(normalizer_promise_.get_future().share()),
        packs_(files_.size()) {
    std::vector<uintmax_t> bytes(files_.size());
    for (size_t i = 0; i < files_.size(); ++i) {
      std::error_code ec;
      bytes[i] = std::filesystem::file_size(files_[i], ec);
      order_.push_back(i);
    }
    std::stable_sort(order_.begin(), order_.end(),
                     [&bytes](size_t a, size_t b) { return bytes[a] > bytes[b]; });
  }

  // Gives the normalizer to the threads that Run() (only the first call counts; call it from one
  // thread). Every way out of a load must call it, or a loading thread waits for it forever.
  void SetNormalizer(const text::Normalizer* normalizer) {
    if (normalizer_set_) return;
    normalizer_set_ = true;
    normalizer_promise_.set_value(normalizer);
  }

  void Run() {
    for (size_t k = next_.fetch_add(1); k < order_.size(); k = next_.fetch_add(1)) {
      const size_t i = order_[k];
      auto pack = LoadPack(files_[i], tests_, hash_);
      if (!pack) {
        packs_[i].emplace(pack.error());
        continue;
      }
      const text::Normalizer* normalizer = normalizer_.get();
      if (normalizer == nullptr) {
        packs_[i].emplace(LoadedPack{std::move(*pack), {}, {}});
      } else {
        packs_[i].emplace(Derive(std::move(*pack), *normalizer));
      }
    }
  }

  // Precondition: every Run() has returned.
  Result<std::vector<LoadedPack>> Take() {
    std::vector<LoadedPack> out;
    out.reserve(packs_.size());
    for (auto& pack : packs_) {
      if (!*pack) return pack->error();
      out.push_back(std::move(**pack));
    }
    return out;
  }

 private:
  std::vector<std::string> files_;
  PackTests tests_;
  PackHash hash_;
  std::promise<const text::Normalizer*> normalizer_promise_;
  bool normalizer_set_ = false;
  std::shared_future<const text::Normalizer*> normalizer_;
  std::vector<size_t> order_;  // indexes into files_, largest file first
  std::atomic<size_t> next_{0};
  std::vector<std::optional<Result<LoadedPack>>> packs_;
};

}  // namespace

Result<std::shared_ptr<const Engine>> Engine::Load(const EngineOptions& options) {
  if (options.require_manifest) {
    if (auto verified = VerifyManifest(options.rules_dir); !verified) return verified.error();
  }
  std::shared_ptr<Engine> engine(new Engine());
  engine->max_answer_bytes_ = options.max_answer_bytes;
  // Start-up runs in two threads (issue 2: <= 50 ms): the grammar and then the packs are read
  // while this thread builds the normalizer, the lexicon and the drug names' patterns, which do
  // not depend on them; then this thread loads packs too, until none is left. Errors are reported
  // in the order of a one-thread load: normalizer, lexicon, grammar, pack files, packs.
  auto files = ListPackFiles(options.rules_dir);
  PackLoader packs(files ? *files : std::vector<std::string>{}, options.pack_tests,
                   options.identify_rules ? PackHash::kSha256 : PackHash::kNone);
  auto grammar = std::async(std::launch::async, [&options, &packs] {
    auto loaded = extract::Grammar::Load(options.rules_dir + "/knowledge/grammar.json");
    packs.Run();
    return loaded;
  });
  // Destroyed before `grammar` (whose destructor waits for the loading thread), on every way out.
  struct ReleaseLoader {
    PackLoader* loader;
    ~ReleaseLoader() { loader->SetNormalizer(nullptr); }
  } release_loader{&packs};
  auto normalizer = text::Normalizer::Create();
  if (!normalizer) return normalizer.error();
  engine->normalizer_ = std::move(*normalizer);
  packs.SetNormalizer(engine->normalizer_.get());
  auto lexicon =
      knowledge::Lexicon::Load(options.rules_dir + "/knowledge/drugs.json", *engine->normalizer_);
  if (!lexicon) return lexicon.error();
  engine->lexicon_ = std::move(*lexicon);

  // One pattern per drug name, grammar entry and pack term expression, in that order, for each
  // database that scans it; ids index refs_. A pattern that both the answer and the question
  // databases hold has two ids, the question's right after the answer's, so that ordering hits by
  // id (the context merge in ScanTerms) gives the same order in either database.
  std::vector<match::PatternSpec> specs, context_specs, question_specs;
  specs.reserve(engine->lexicon_.names().size() + 65536);
  question_specs.reserve(engine->lexicon_.names().size() + 65536);
  engine->refs_.reserve(2 * specs.capacity());
  auto push = [&engine](std::vector<match::PatternSpec>* target, PatternRef ref,
                        std::string expression, bool literal, bool latin) {
    target->push_back(
        {static_cast<uint32_t>(engine->refs_.size()), std::move(expression), literal, latin});
    engine->refs_.push_back(ref);
  };
  // Drug names open medication statements on both texts.
  for (const auto& name : engine->lexicon_.names()) {
    const PatternRef ref{PatternRef::Source::kDrug, name.drug};
    const bool latin = extract::HasLatinLetters(name.normalized);
    push(&specs, ref, name.normalized, true, latin);
    push(&question_specs, ref, name.normalized, true, latin);
  }
  packs.Run();
  auto loaded_grammar = grammar.get();
  if (!loaded_grammar) return loaded_grammar.error();
  engine->grammar_ = std::move(*loaded_grammar);
  if (!files) return files.error();
  auto loaded_packs = packs.Take();
  if (!loaded_packs) return loaded_packs.error();
  for (auto& loaded : *loaded_packs) engine->packs_.push_back(std::move(loaded.pack));
  Sha256 rules_hash;
  for (const auto& pack : engine->packs_) rules_hash.Update(pack.id + "\n" + pack.sha256 + "\n");
  rules_hash.Update("lexicon " + engine->lexicon_.version() + "\n");
  rules_hash.Update("grammar " + engine->grammar_.version() + "\n");
  rules_hash.Update("fuzzy " + engine->lexicon_.fuzzy_fingerprint() + "\n");

  // Grammar entries that open a context (OpensContext) scan both texts, the others only texts with
  // a context. Pack terms scan the texts their rules read them on (ReadTermSides); a term no rule
  // reads stays in the answer database.
  auto add = [&](PatternRef ref, std::string expression, bool literal, bool latin,
                 TermSides sides) {
    if (ref.source == PatternRef::Source::kGrammar && !engine->OpensContext(ref)) {
      push(&context_specs, ref, std::move(expression), literal, latin);
      return;
    }
    const bool on_answer = sides != kQuestionOnly;
    const bool on_question = (sides & kQuestionOnly) != 0;
    if (on_answer) {
      push(&specs, ref, on_question ? expression : std::move(expression), literal, latin);
    }
    if (on_question) push(&question_specs, ref, std::move(expression), literal, latin);
  };
  for (uint32_t i = 0; i < engine->grammar_.entries().size(); ++i) {
    const auto& entry = engine->grammar_.entries()[i];
    for (const auto& literal : entry.literals) {
      add({PatternRef::Source::kGrammar, i}, literal, true, extract::HasLatinLetters(literal),
          kBothSides);
    }
    if (!entry.residual_regex.empty()) {
      add({PatternRef::Source::kGrammar, i}, entry.residual_regex, false,
          extract::HasLatinLetters(entry.residual_regex), kBothSides);
    }
  }
  size_t expressions = 0;
  for (const auto& loaded : *loaded_packs) expressions += loaded.expressions.size();
  specs.reserve(specs.size() + engine->grammar_.entries().size() * 4 + expressions);
  question_specs.reserve(question_specs.size() + engine->grammar_.entries().size() * 4 +
                         expressions);
  engine->refs_.reserve(specs.capacity() + question_specs.capacity());
  uint32_t term_index = 0;
  for (size_t p = 0; p < engine->packs_.size(); ++p) {
    const Pack& pack = engine->packs_[p];
    LoadedPack& loaded = (*loaded_packs)[p];
    engine->term_base_.push_back(term_index);
    engine->guard_negation_.push_back(-1);
    for (uint32_t t = 0; t < pack.terms.size(); ++t) {
      if (pack.terms[t].name == "guard_negation") engine->guard_negation_.back() = term_index + t;
    }
    size_t next_expression = 0;
    for (uint32_t t = 0; t < pack.terms.size(); ++t) {
      for (size_t e = 0; e < pack.terms[t].expressions.size(); ++e) {
        CompiledExpression& compiled = loaded.expressions[next_expression++];
        add({PatternRef::Source::kTerm, term_index}, std::move(compiled.expression),
            compiled.literal, compiled.latin, loaded.sides[t]);
      }
      ++term_index;
    }
  }
  engine->term_count_ = term_index;
  match::Options match_options;
  match_options.engine = options.engine;
  match_options.cache_dir = options.cache_dir;
  // The answer and the question databases load (or compile) in two more threads while this
  // one compiles the statement predicates, the triggers and the small context database. Without
  // the question database, the context one takes the thread it would have used.
  auto database = std::async(std::launch::async, [&specs, &match_options] {
    return match::Database::Compile(std::move(specs), match_options);
  });
  const bool questions = options.questions || options.identify_rules;
  if (!questions) question_specs.clear();  // an empty database: nothing to fingerprint or map
  auto question_database = std::async(
      questions ? std::launch::async : std::launch::deferred, [&question_specs, &match_options] {
        return match::Database::Compile(std::move(question_specs), match_options);
      });
  auto context_database_loader = std::async(
      questions ? std::launch::deferred : std::launch::async, [&context_specs, &match_options] {
        return match::Database::Compile(std::move(context_specs), match_options);
      });
  DrugTables drug_tables(engine->lexicon_);
  for (auto& pack : engine->packs_) {
    for (auto& rule : pack.rules) {
      engine->uses_patient_age_ |= CompilePredicates(drug_tables, &rule.when);
    }
  }
  engine->any_indexes_ = options.index_wide_any_nodes
                             ? IndexWideAnyNodes(engine->packs_, engine->term_base_)
                             : std::make_shared<const AnyIndexes>();
  for (size_t p = 0; p < engine->packs_.size(); ++p) {
    auto& triggers = engine->triggers_.emplace_back();
    auto& sentence_triggers = engine->sentence_triggers_.emplace_back();
    for (const Rule& rule : engine->packs_[p].rules) {
      triggers.push_back(Trigger::Of(rule.when, engine->term_base_[p]));
      sentence_triggers.push_back(rule.scope == Scope::kText
                                      ? Trigger{}
                                      : Trigger::OfSentence(rule.when, engine->term_base_[p]));
    }
  }
  auto context_database = context_database_loader.get();
  auto main_database = database.get();
  auto question_only_database = question_database.get();
  if (!main_database) return main_database.error();
  engine->database_ = std::move(*main_database);
  if (!context_database) return context_database.error();
  engine->context_database_ = std::move(*context_database);
  if (!question_only_database) return question_only_database.error();
  engine->question_database_ = std::move(*question_only_database);
  engine->questions_ = questions;
  rules_hash.Update("context patterns " + engine->context_database_->fingerprint() + "\n");
  rules_hash.Update("question patterns " + engine->question_database_->fingerprint() + "\n");
  rules_hash.Update("patterns " + engine->database_->fingerprint() + "\n");
  if (options.identify_rules) engine->rules_sha256_ = rules_hash.FinishHex();
  return std::shared_ptr<const Engine>(std::move(engine));
}

const Rule* Engine::FindRule(std::string_view id) const {
  for (const auto& pack : packs_) {
    for (const auto& rule : pack.rules) {
      if (rule.id == id) return &rule;
    }
  }
  return nullptr;
}

size_t Engine::pattern_count() const {
  return database_->pattern_count() + context_database_->pattern_count() +
         question_database_->pattern_count();
}

// Context tokens (cues, routes) are read only around a medicine or a regimen: medication
// statements start at a drug name, an unnamed product or a herb amount (extract/statement.h), and
// the evasion hook looks for disguised drug names only where a dose, frequency or duration has no
// drug (rules/fuzzy_tokens.h). A text with none of these needs no context scan.
bool Engine::OpensContext(const PatternRef& ref) const {
  if (ref.source == PatternRef::Source::kDrug) return true;
  if (ref.source == PatternRef::Source::kTerm) return false;
  switch (grammar_.entries()[ref.index].kind) {
    case extract::TokenKind::kProduct:
    case extract::TokenKind::kHerbAmount:
    case extract::TokenKind::kDose:
    case extract::TokenKind::kFrequency:
    case extract::TokenKind::kDuration:
      return true;
    default:
      return false;
  }
}

void Engine::ScanTerms(std::string_view normalized, Workspace* ws,
                       std::vector<std::pair<uint32_t, Span>>* term_hits,
                       std::vector<extract::Token>* tokens, bool with_context,
                       bool is_question) const {
  // Check() has validated the input, and normalized text of valid UTF-8 is valid UTF-8.
  const match::ScanText scan_text(normalized, match::ScanText::Utf8::kValid);
  (is_question ? question_database_ : database_)->Scan(scan_text, &ws->hits);
  const std::vector<match::Hit>* hits = &ws->hits;
  const bool context = std::any_of(ws->hits.begin(), ws->hits.end(), [&](const match::Hit& hit) {
    return OpensContext(refs_[hit.id]);
  });
  if (tokens != nullptr && (context || with_context || ws->scan_all)) {
    // Merged in the order one database would give: by (begin, end, id).
    context_database_->Scan(scan_text, &ws->context_hits);
    ws->merged_hits.clear();
    std::merge(ws->hits.begin(), ws->hits.end(), ws->context_hits.begin(), ws->context_hits.end(),
               std::back_inserter(ws->merged_hits), [](const match::Hit& a, const match::Hit& b) {
                 if (a.begin != b.begin) return a.begin < b.begin;
                 if (a.end != b.end) return a.end < b.end;
                 return a.id < b.id;
               });
    hits = &ws->merged_hits;
  }
  term_hits->clear();
  if (tokens != nullptr) tokens->clear();
  for (const auto& hit : *hits) {
    const PatternRef& ref = refs_[hit.id];
    const Span span{hit.begin, hit.end};
    if (ref.source == PatternRef::Source::kTerm) {
      term_hits->emplace_back(ref.index, span);  // in text order; sorted by term below
    } else if (tokens != nullptr) {
      if (ref.source == PatternRef::Source::kDrug) {
        if (!AtArabicNameStart(normalized, hit.begin)) continue;
        tokens->push_back({extract::TokenKind::kDrug, Mood::kUnmarked, ref.index, span});
      } else {
        const auto& entry = grammar_.entries()[ref.index];
        if (entry.kind == extract::TokenKind::kCue && !AtArabicWordStart(normalized, hit.begin)) {
          continue;
        }
        tokens->push_back({entry.kind, entry.cue, ref.index, span});
      }
    }
  }
  // Conditions look terms up by id; equal ids keep text order.
  std::stable_sort(term_hits->begin(), term_hits->end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

void Engine::Analyze(std::string_view answer, Workspace* ws, extract::QuestionKind question,
                     const std::vector<MedicationStatement>* question_statements) const {
  normalizer_->Normalize(answer, &ws->answer);
  const bool question_drug = question_statements != nullptr && !question_statements->empty();
  ScanTerms(ws->answer.text, ws, &ws->term_hits, &ws->tokens, question_drug);
  text::SplitSentences(ws->answer.text, &ws->sentences);
  // Evasion hook (rules/fuzzy_tokens.h): disguised drug names where a regimen has no drug.
  AddFuzzyDrugTokens(lexicon_, ws->answer.text, ws->sentences, &ws->tokens);
  extract::ExtractStatements(ws->answer.text, ws->sentences, ws->tokens, grammar_, &ws->statements,
                             question, question_statements);
  extract::CompleteDoses(
      {ws->answer.text, ws->sentences,
       question_statements ? std::string_view(ws->question.text) : "", question_statements},
      grammar_, lexicon_, &ws->statements);
  IndexStatementsBySentence(ws);
}

// Sets ws->sentence_marks[s] for each answer sentence s where `trigger` (Trigger::OfSentence)
// fires: one of its terms has a hit inside s (as EvalNode reads a term on a sentence), or one of
// `statements` in s passes its filter.
void Engine::MarkSentences(const Trigger& trigger, std::span<const MedicationStatement> statements,
                           Workspace* ws) {
  auto& marks = ws->sentence_marks;
  const auto& sentences = ws->sentences;
  marks.assign(sentences.size(), 0);
  if (trigger.answer_statement) {
    for (const auto& st : statements) {
      if (st.sentence < marks.size() && trigger.answer_filter.Admits(st)) marks[st.sentence] = 1;
    }
  }
  const auto& hits = ws->term_hits;  // sorted by term
  for (const uint32_t term : trigger.answer_terms) {
    auto range = std::equal_range(hits.begin(), hits.end(), std::pair<uint32_t, Span>{term, {}},
                                  [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = range.first; it != range.second; ++it) {
      const Span hit = it->second;
      // The one sentence that can contain the hit: the last one starting at or before it.
      auto after = std::upper_bound(sentences.begin(), sentences.end(), hit.begin,
                                    [](uint32_t at, const Span& s) { return at < s.begin; });
      if (after == sentences.begin()) continue;
      const auto s = static_cast<size_t>(after - sentences.begin()) - 1;
      if (hit.end <= sentences[s].end) marks[s] = 1;
    }
  }
}

// ExtractStatements gives statements in text order, hence in sentence order.
void Engine::IndexStatementsBySentence(Workspace* ws) {
  const size_t sentences = ws->sentences.size();
  const auto& statements = ws->statements;
  auto& index = ws->sentence_statements;
  index.resize(sentences + 1);
  size_t k = 0;
  for (size_t s = 0; s <= sentences; ++s) {
    while (k < statements.size() && statements[k].sentence < s) ++k;
    index[s] = static_cast<uint32_t>(k);
  }
}

Status Engine::Check(const CheckInput& input, Workspace* ws, CheckResult* result) const {
  result->findings.clear();
  result->verdict = Verdict::kAllow;
  if (input.answer.size() > max_answer_bytes_) {
    return MakeError(ErrorCode::kTooLarge, "answer is " + std::to_string(input.answer.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(max_answer_bytes_));
  }
  if (size_t bad = utf8::FindInvalid(input.answer); bad != input.answer.size()) {
    return MakeError(ErrorCode::kInvalidUtf8,
                     "answer is not valid UTF-8 at byte " + std::to_string(bad));
  }
  if (!input.question.empty() && !questions_) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the engine was loaded without questions (EngineOptions::questions)");
  }
  if (size_t bad = utf8::FindInvalid(input.question); bad != input.question.size()) {
    return MakeError(ErrorCode::kInvalidUtf8,
                     "question is not valid UTF-8 at byte " + std::to_string(bad));
  }
  result->lang = input.lang != text::Lang::kUnknown ? input.lang : text::DetectLang(input.answer);
  // The question first: how it is asked tells how to read the answer (extract::ReadQuestion).
  ws->question_term_hits.clear();
  extract::QuestionKind question = extract::QuestionKind::kNone;
  if (!input.question.empty()) {
    normalizer_->Normalize(input.question, &ws->question);
    ScanTerms(ws->question.text, ws, &ws->question_term_hits, &ws->question_tokens,
              /*with_context=*/false, /*is_question=*/true);
    text::SplitSentences(ws->question.text, &ws->question_sentences);
    extract::ExtractStatements(ws->question.text, ws->question_sentences, ws->question_tokens,
                               grammar_, &ws->question_statements);
    question = extract::ReadQuestion(ws->question.text, grammar_);
  } else {
    ws->question_statements.clear();
  }
  Analyze(input.answer, ws, question, input.question.empty() ? nullptr : &ws->question_statements);
  ResolveDruglessReply(grammar_, ws);

  const bool any_statement = !ws->statements.empty() || !ws->question_statements.empty();
  ws->patient =
      (uses_patient_age_ && any_statement) || NeedsPatient(ws->statements, lexicon_) ||
              NeedsPatient(ws->question_statements, lexicon_)
          ? extract::ReadPatient(input.question.empty() ? std::string_view{} : ws->question.text,
                                 ws->answer.text)
          : extract::Patient{};
  ws->term_seen.resize(term_count_);  // all zero: each check clears what it set (below)
  for (const auto& [term, span] : ws->term_hits) ws->term_seen[term] |= kSeenInAnswer;
  for (const auto& [term, span] : ws->question_term_hits) ws->term_seen[term] |= kSeenInQuestion;

  const Span whole{0, static_cast<uint32_t>(ws->answer.text.size())};
  for (size_t p = 0; p < packs_.size(); ++p) {
    const Pack& pack = packs_[p];
    for (const Rule& rule : pack.rules) {
      auto record = [&](Span evidence, Span fallback, int32_t cited_row) {
        if (evidence.size() == 0) evidence = fallback;
        const Span original = ws->answer.ToOriginal(evidence);
        for (auto& f : result->findings) {  // one finding per rule and place
          if (f.rule == &rule && f.span.begin < original.end && original.begin < f.span.end) {
            f.span = {std::min(f.span.begin, original.begin), std::max(f.span.end, original.end)};
            return;
          }
        }
        result->findings.push_back({&rule, original, cited_row});
      };
      // Skip the rule when even its over-approximation fails on the whole answer (the usual case:
      // most rules need a term or a drug the answer does not have): first its trigger, then the
      // relaxed tree.
      // The answer-side statements its statement conditions read (EvalNode): a drugless reply's
      // statements stand in when the answer has none.
      const auto& answer_statements =
          !ws->statements.empty() || !ReadsReplies(pack) ? ws->statements : ws->reply_statements;
      const auto r = static_cast<size_t>(&rule - pack.rules.data());
      if (!triggers_[p][r].Fires(ws->term_seen, kSeenInAnswer, kSeenInQuestion, answer_statements,
                                 ws->question_statements)) {
        continue;
      }
      Evaluation possible{*this, pack, term_base_[p], *ws, whole, -1, true};
      Span ignored;
      if (!possible.Eval(rule.when, &ignored)) continue;
      if (rule.scope == Scope::kText) {
        Evaluation eval{*this, pack, term_base_[p], *ws, whole, -1};
        eval.root = DrugScoped(rule) ? &rule.when : nullptr;
        Span evidence;
        if (eval.Eval(rule.when, &evidence)) record(evidence, whole, eval.cited_row);
        continue;
      }
      // Only the sentences where the rule's sentence trigger fires can hold.
      const Trigger& in_sentence = sentence_triggers_[p][r];
      if (!in_sentence.always) MarkSentences(in_sentence, answer_statements, ws);
      for (uint32_t s = 0; s < ws->sentences.size(); ++s) {
        if (!in_sentence.always && ws->sentence_marks[s] == 0) continue;
        Evaluation eval{*this, pack, term_base_[p], *ws, ws->sentences[s], s};
        eval.root = DrugScoped(rule) ? &rule.when : nullptr;
        Span evidence;
        if (eval.Eval(rule.when, &evidence)) record(evidence, ws->sentences[s], eval.cited_row);
      }
    }
  }
  for (const auto& [term, span] : ws->term_hits) ws->term_seen[term] = 0;
  for (const auto& [term, span] : ws->question_term_hits) ws->term_seen[term] = 0;
  std::sort(result->findings.begin(), result->findings.end(),
            [](const Finding& a, const Finding& b) {
              if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
              if (a.span.end != b.span.end) return a.span.end < b.span.end;
              return a.rule->id < b.rule->id;
            });
  for (const auto& f : result->findings) {
    if (f.rule->severity == Severity::kBlock) {
      result->verdict = Verdict::kBlock;
    } else if ((f.rule->severity == Severity::kHarm || f.rule->severity == Severity::kWarn) &&
               result->verdict == Verdict::kAllow) {
      result->verdict = Verdict::kFlag;
    }
  }
  return {};
}

}  // namespace medaudit::rules
