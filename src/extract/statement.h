// Medication statements: what one sentence (or a sentence and its continuation) says about one
// drug — the drug, dose, frequency, duration and route, and how it addresses the reader (mood).
// This is the core of both the prescription rules and the dose-safety rules.
//
// Extract() is a pure function of its inputs (no state): safe to call from any number of threads.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "extract/grammar.h"
#include "text/normalize.h"
#include "text/units.h"

namespace medaudit::extract {

// A classified match: what a scan hit means for the extractor.
struct Token {
  TokenKind kind;
  Mood cue = Mood::kUnmarked;  // for kCue
  uint32_t ref = 0;            // drug index (kDrug) or grammar entry index (others)
  text::Span span;             // in the normalized text
};

struct Amount {
  double low = 0;  // a range "1-2 tablets" has low 1, high 2; a single value has low == high
  double high = 0;
  text::Unit unit = text::Unit::kMg;
  text::UnitKind kind = text::UnitKind::kMass;
  double HighInBase() const;  // high converted to mg (mass) or ml (volume)
};

inline constexpr uint32_t kHerbalRecipe = std::numeric_limits<uint32_t>::max();
// A named product recognised by its dosage-form suffix but missing from the lexicon.
inline constexpr uint32_t kUnknownProduct = std::numeric_limits<uint32_t>::max() - 1;
inline bool IsLexiconDrug(uint32_t drug) { return drug < kUnknownProduct; }

struct MedicationStatement {
  uint32_t drug = 0;      // index into the lexicon's drugs, kHerbalRecipe or kUnknownProduct
  text::Span drug_span;   // normalized
  text::Span span;        // normalized: drug and every attribute attached to it
  uint32_t sentence = 0;  // index of the sentence the drug is in
  Mood mood = Mood::kUnmarked;
  std::optional<Amount> dose;        // per administration (mass or volume when known)
  std::optional<Amount> count_dose;  // per administration in tablets, drops, ... when given
  double per_day = 0;                // administrations per day (upper end), 0 = not given
  bool as_needed = false;
  double duration_days = 0;  // 0 = not given
  bool has_route = false;
  bool continued = false;  // attributes came from the following sentence
  bool dose_is_daily_total =
      false;  // "2 g a day": the dose is a daily amount, not per administration
  // A day total stated besides the per-administration amount ("3 caplets every 4 hours, up to 18
  // caplets a day", "每次1000毫克…一天共4000毫克"): same kind as the per-administration count or
  // mass. The extractor folds it into per_day (total / per administration, when larger).
  std::optional<Amount> daily_total;
  // The only amount of its kind read so far is a day total ("一天最多吃8片", "no more than 8
  // tablets in 24 hours", "حتى 10 حبات في اليوم"): CompleteStatements reads it as the day's
  // amount (dose_is_daily_total, once a day); a later amount per administration takes its
  // place and the total moves to daily_total.
  bool amount_is_day_total = false;
  // The drug is named in an allergy clause ("a penicillin allergy", "对青霉素过敏",
  // "حساسية من البنسلين"): no dose, frequency or duration is attached to it.
  bool allergy = false;
  // The dose was spelled with the colloquial Arabic "ملي" ("٥٠ ملي"): mg of a tablet or ml of a
  // liquid. Read as ml; CompleteDoses settles it by the count and the drug's forms.
  bool dose_unit_open = false;
  // The dose is an amount per kilogram of body weight ("10 mg/kg", "每公斤体重10mg", "١٠ ملغ/كغ"):
  // the amount a child takes is it times the weight, so it is no mass in mg by itself.
  bool dose_per_kg = false;
  text::Span last_amount;  // the last amount token attached (for "4 tablets (10 mg)")
  // The count is the one unit a strength names ("the 20 mg tablets"), not a number of units
  // told: a count told later ("take two tablets") takes its place.
  bool count_implied = false;
  // The count splits the mass before it into units ("15 mg (6 tablets of 2.5 mg)"): a later mass
  // of its own ("首次1mg（两片0.5mg）…每次0.5mg") is one dose, and the count goes with the old one.
  bool count_splits_dose = false;
  // The frequency so far is only a time of day or a meal ("with breakfast", "بعد الغداء", 睡前):
  // a weekly or rarer schedule read with it ("every Monday", "كل يوم جمعة") is the frequency.
  bool frequency_time_of_day = false;

  bool has_dose() const { return dose.has_value() || count_dose.has_value(); }
  bool has_frequency() const { return per_day > 0; }
  bool has_duration() const { return duration_days > 0; }
  // Daily amount in mg (mass doses only): dose × count × per_day; nullopt when not computable.
  std::optional<double> DailyMg() const;
};

// What the question a text answers says about how to read the text (ReadQuestion).
enum class QuestionKind : uint8_t {
  kNone,      // no question, or one that says neither: the text alone decides
  kPersonal,  // the asker speaks of a concrete person or asks for advice ("what can my son
              // take?", "I'm pregnant", 我…, 患者男，28岁, أنا…): the answer is addressed to them
  kTopic,  // an impersonal question about a condition or a drug ("what are the treatments for
           // X?", "how is X treated?", 如何治疗X, ما علاج): an impersonal answer is an overview
};

// Reads a normalized question with the grammar's question words (whole words; personal wins over
// topic). kNone for an empty question.
QuestionKind ReadQuestion(std::string_view normalized_question, const Grammar& grammar);

// Reads statements from one normalized text.
//  - tokens must be sorted by span.begin; sentences as produced by text::SplitSentences.
//  - grammar gives the meaning of non-drug tokens (Token::ref indexes grammar.entries()).
//  - question: what the question the text answers says (kNone: read the text alone, as for a
//    text with no question).
//  - question_statements: the statements of the question (ExtractStatements on it), or null.
//    When the question names one drug, a dose line that opens the answer before any statement
//    is about that drug ("Q: 普拿疼500毫克吃几颗？ A: 一次吃3颗，每4小时1次"), and a count of it
//    with no strength takes the strength the question gives ("Q: 地高辛每天一片0.25mg").
// Appends to *out (cleared first) in text order.
void ExtractStatements(std::string_view normalized, const std::vector<text::Span>& sentences,
                       const std::vector<Token>& tokens, const Grammar& grammar,
                       std::vector<MedicationStatement>* out,
                       QuestionKind question = QuestionKind::kNone,
                       const std::vector<MedicationStatement>* question_statements = nullptr);

// Parsing helpers, exposed for tests.
std::optional<Amount> ParseAmount(std::string_view hit, const WordLists& words);
std::optional<Amount> ParseAmount(std::string_view hit);  // without the grammar's word lists
double ParseFrequency(std::string_view hit, const FrequencyRule& rule);  // per day, 0 if unknown
double ParseDurationDays(std::string_view hit);

}  // namespace medaudit::extract
