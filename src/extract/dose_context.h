// Completes the doses of medication statements from what the rest of the text states, so that
// dose limits can be checked on amounts the sentence itself leaves incomplete:
//  - a volume of a liquid ("10 ml", "15毫升", "١٠ مل") with the liquid's concentration stated in
//    the same sentence, elsewhere in the answer or in the question ("100 mg/5 ml",
//    "160 mg per 5 mL", "100mg/ml", "١٢٠ ملغ/٥ مل", "160 mg in each 5 mL", "١٢٠ ملغ في كل ٥ مل";
//    the volume first: a label's specification "100ml:2g", "每毫升含20mg", "each 5 mL contains
//    160 mg", "كل ٥ مل فيها ١٠٠ ملغ") becomes a count of millilitres times a strength per
//    millilitre (10 ml x 20 mg/ml); a heading's concentration the statement took as its dose is
//    replaced so when every concentration in the stretch agrees (the dose line's own volume when
//    the stretch holds several volumes, as a specification table does);
//  - a volume of a named children's liquid ("美林滴剂 … 5毫升", "Infants' Motrin 5 mL", "بروفين
//    شراب ١٥ مل") with no concentration written in the sentence, the answer or the question takes
//    the product's one concentration (grammar words.liquid_strengths_mg_per_ml): the last fallback;
//  - a count of units with no strength ("take 3 tablets") takes the one strength of a tablet the
//    question names as a mass next to a word for the unit, when the question speaks of that drug
//    alone ("Q: oxycodone 10 mg … the pharmacy gave me 20 mg tablets", "药房给的是100mg的片子",
//    "أعطتني حبوب 10 ملغ": the tablets in hand, not the dose told); else the strength the question
//    gives for the same drug ("Q: I have diclofenac 50 mg", "Q: 普拿疼(500mg)，吃两颗" — a mass
//    right after the name is the strength even with a count), when it gives exactly one; a bare
//    number after the drug's name ("Q: عندي فولتارين ٥٠", "I take Panadol 500") counts as a
//    strength in mg only when it is within the drug's adult maximum (so "Euthyrox 100", in
//    micrograms, does not become 100 mg);
//  - the amount after two joined drugs ("Colchicine and naproxen: take 500 mg twice a day") goes
//    to the first when it fits only the first drug's lexicon limits (a plausible single amount:
//    at most ten times its maximum, at least 1/200 of it); when both fit, or a limit is unknown,
//    it stays with the second;
//  - a count of tablets or capsules still without a strength takes the one strength the drug's
//    oral units are sold in (grammar words.unit_strengths_mg: loperamide 2 mg);
//  - a combination strength after the drug's name in the question or the answer ("co-codamol
//    30/500") is the strength of one unit in mg of the ingredient its limits are written for (the
//    larger: 500), for a count with no strength.
// What the stretch of the answer a statement speaks in says beyond the grammar's tokens (from the
// statement's first byte to the end of its last sentence, cut before another drug):
//  - an IU amount with a multiplier word and no amount of its own ("一颗5万单位", "كبسولة 50 ألف
//    وحدة", "50 thousand units") is the dose;
//  - a count that belongs to an alternative making up the same dose from smaller units ("300 mg
//    aspirin (or four 81 mg tablets)", "300毫克（或者4片81毫克）": count x unit within 15% of the
//    dose, after "or"/"或"/"أو") is dropped: the dose is taken once;
//  - a mass marked as a total of the count ("4片（共10毫克）", "4 tablets (10 mg in total)",
//    "بمجموع 10 ملغ") is divided by the count: it is not one unit's strength;
//  - a larger count restated with its total ("一片不管用就吃两片（20mg）", "take 2 tablets (20
//  mg)")
//    than the count the statement kept is the count (the largest amount the answer tells);
//  - a dose in the morning and one in the evening ("早晚各一次", "one in the morning and one at
//    night", "حبة صباحا وحبة مساء") is twice a day (no choice "or" and no negation around them);
//  - a day maximum right after the regimen ("50–100 mg every 4–6 h, max 400 mg a day", "每天最多
//    400毫克", "بحد أقصى 400 ملغ يوميا"; in the same stretch with no new step such as "then"
//    before it, or opening the next sentence) caps the day: the frequency becomes the cap over one
//    administration, so a cap above the drug's maximum still reads as an overdose; a cap in units
//    ("max 8 tablets (4 g) in 24 hours", "الحد الأقصى: ٨ أقراص") caps a count per administration;
//  - a cap on the times a day ("no more than 6 doses a day", "一天最多6次", "بحد أقصى ٦ مرات في
//    اليوم") caps the frequency and states a day total (daily_total = one administration x the
//    cap), so a cap above the label is judged, not taken as a safeguard;
//  - an amount with no frequency and no count, above any one administration of the drug but within
//    a day maximum stated in its own or the previous sentence ("max 4 g in 24 h. Lower (2–3 g) if
//    you drink"), is a day amount (dose_is_daily_total), not one dose;
//  - a total restated after the regimen ("take two of those, so that's a thousand, three times a
//    day", "twenty capsules a day, so forty milligrams", "一天四次 算下来五点二克", "أربع حبات في
//    اليوم، اللي هو تلتمية مللي", "yaani 2.6 g") is what the reader takes: a day total when a
//    per-day phrase comes just before it or in its clause (it sets the day when it is the dose the
//    statement read, or more than the regimen multiplies out to; a whole course, "for 10 days,
//    that's 5 g", is left), else one administration (when more than the dose read). A bare number
//    counts only as a whole multiple of the unit strength, which may be named as "the 400 ones" /
//    "400的那种"; the colloquial Arabic milli of tablets is mg.
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
