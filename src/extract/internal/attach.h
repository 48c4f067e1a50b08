// Giving attributes (dose, frequency, duration, route) to a statement, and the day totals,
// allergy clauses and question strengths that complete a statement.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "extract/statement.h"

namespace medaudit::extract::internal {

// Adds what an attribute token says to a statement and widens the statement's span over it.
void Attach(MedicationStatement* statement, const Token& token, std::string_view normalized,
            const Grammar& grammar);

// Whether the amount at `at` is stated as a total for the day ("12 tablets a day",
// "每日不超过12片", "١٢ قرصا في اليوم").
bool StatesDayTotalAt(std::string_view normalized, const text::Span& at, const WordLists& words);

// Whether a drug is named in an allergy clause: "penicillin allergy", "allergic to penicillin",
// "青霉素过敏", "对青霉素过敏", "حساسيه من البنسلين", "حساسيه للبنسلين".
bool InAllergyClause(std::string_view normalized, const text::Span& drug, const WordLists& words);

// The drug a question asks about: the one lexicon drug its statements name (none when they name
// several), with the strength the question gives it: an amount right after the name
// ("普拿疼500毫克", "zolpidem 5 mg", "ترامادول 50 ملغ") or the amount of one tablet
// ("每天一片0.25mg").
struct QuestionDrug {
  uint32_t drug = kUnknownProduct;
  std::optional<Amount> strength;
};
QuestionDrug ReadQuestionDrug(const std::vector<MedicationStatement>* statements);

// The last pass over a text's statements: strengths for counts of tablets without one (from the
// question or a bare number after the name), and stated day totals folded into per_day.
void CompleteStatements(std::string_view normalized, const std::vector<Token>& tokens,
                        const Grammar& grammar, const QuestionDrug& asked,
                        std::vector<MedicationStatement>* statements);

}  // namespace medaudit::extract::internal
