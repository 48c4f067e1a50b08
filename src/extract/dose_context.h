// Completes the doses of medication statements from what the rest of the text states, so that
// dose limits can be checked on amounts the sentence itself leaves incomplete:
//  - a volume of a liquid ("10 ml", "15毫升", "١٠ مل") with the liquid's concentration stated in
//    the same sentence, elsewhere in the answer or in the question ("100 mg/5 ml",
//    "160 mg per 5 mL", "100mg/ml", "١٢٠ ملغ/٥ مل") becomes a count of millilitres times a
//    strength per millilitre (10 ml x 20 mg/ml);
//  - a count of units with no strength ("take 3 tablets") takes the strength the question gives
//    for the same drug ("Q: I have diclofenac 50 mg"), when it gives exactly one; a bare number
//    after the drug's name ("Q: عندي فولتارين ٥٠", "I take Panadol 500") counts as a strength in
//    mg only when it is within the drug's adult maximum (so "Euthyrox 100", in micrograms, does
//    not become 100 mg);
//  - the amount after two joined drugs ("Colchicine and naproxen: take 500 mg twice a day") goes
//    to the first when it fits only the first drug's lexicon limits (a plausible single amount:
//    at most ten times its maximum, at least 1/200 of it); when both fit, or a limit is unknown,
//    it stays with the second;
//  - a count of tablets or capsules still without a strength takes the one strength the drug's
//    oral units are sold in (grammar words.unit_strengths_mg: loperamide 2 mg).
// A concentration or strength is used only when the place searched gives a single value: with two
// different values, which one applies is unknown and the dose stays as it was.
#pragma once

#include <string_view>
#include <vector>

#include "extract/grammar.h"
#include "extract/statement.h"
#include "knowledge/lexicon.h"
#include "text/normalize.h"

namespace medaudit::extract {

// Concentrations in mg per ml found in normalized text, in text order.
std::vector<double> FindConcentrations(std::string_view normalized);

// The text around the statements: answer and question normalized; sentences are the answer's;
// question_statements is null when there is no question.
struct DoseText {
  std::string_view answer;
  const std::vector<text::Span>& sentences;
  std::string_view question;
  const std::vector<MedicationStatement>* question_statements;
};

void CompleteDoses(const DoseText& text, const Grammar& grammar, const knowledge::Lexicon& lexicon,
                   std::vector<MedicationStatement>* statements);

}  // namespace medaudit::extract
