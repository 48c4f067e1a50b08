// Reading amounts written in text beyond the public ParseAmount (statement.h): bare numbers,
// count nouns and the strength inside a count.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "extract/statement.h"

namespace medaudit::extract::internal {

// Every number in a hit, in order ("1,000" is one number; "2 x 500" are two; "twenty-five" is one).
std::vector<double> Numbers(std::string_view hit);

// A unit spelling, or a count noun the unit table lacks ("caplets", "softgels").
std::optional<text::UnitInfo> LookupAmountUnit(std::string_view word, const WordLists& words);

// The strength inside a count ("four 2.5 mg tablets" → 2.5 mg): the number after the count and
// the mass unit right after it. Nullopt when there is none.
std::optional<Amount> InnerStrength(std::string_view hit, const WordLists& words);

// A bare number right after a drug name, its strength in mg ("خد قرص فولتارين 75",
// "Panadol 500"): a space, the number, and no unit, letter, digit or range after it.
std::optional<Amount> StrengthAfterName(std::string_view normalized, const text::Span& name,
                                        const WordLists& words);

// An Arabic amount whose unit "مل" runs on into a longer word, read from the text after the hit:
//  - "١٫٢ مليون وحدة", "٥ ملايين وحدة": millions of units (the amount in IU, the unit word after
//    "مليون" optional: a count of millions is of units);
//  - "٥٠ ملي": the colloquial "milli", mg of a tablet or ml of a liquid; read as ml with
//    open_unit set (the drug's forms settle it: CompleteDoses).
// Nullopt when the hit's unit is a whole word, or runs on into any other word.
struct ArabicMilli {
  Amount amount;
  bool open_unit = false;
};
std::optional<ArabicMilli> ReadArabicMilli(std::string_view normalized, const text::Span& hit,
                                           const WordLists& words);

}  // namespace medaudit::extract::internal
