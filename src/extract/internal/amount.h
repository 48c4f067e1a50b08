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

// A vulgar fraction as NFKC spells it at text[*i] ("1⁄2" for ½, "11⁄2" for 1½, with U+2044
// FRACTION SLASH): its value, *i moved past it; nullopt (and *i kept) when none starts there.
std::optional<double> VulgarFractionAt(std::string_view text, size_t* i);

// Morning-noon-night slot notation ("1-0-1", "2-2-2-2", "1⁄2-0-1⁄2", "1/2-0-1/2", "1+1+1"): the
// amount in each slot; nullopt unless the hit is three or four such numbers joined by - or +.
std::optional<std::vector<double>> ReadSlots(std::string_view hit);

// A multiplier word opening the text after an amount's last digit ("million units", "50 thousand
// IU", "5万单位", "50 الف وحده", "مليون"): its value and its length in bytes; value 1 and size 0
// when there is none. A Latin or Arabic word must end at a space or the text's end; 万 needs no
// space (千 is left out: 千克 is a kilogram).
struct Multiplier {
  double value = 1;
  size_t size = 0;
};
Multiplier MultiplierAt(std::string_view rest);

// A unit spelling, or a count noun the unit table lacks ("caplets", "softgels").
std::optional<text::UnitInfo> LookupAmountUnit(std::string_view word, const WordLists& words);

// The strength inside a count ("four 2.5 mg tablets" → 2.5 mg): the number after the count and
// the mass unit right after it. Nullopt when there is none.
std::optional<Amount> InnerStrength(std::string_view hit, const WordLists& words);

// A bare number right after a drug name, its strength in mg ("خد قرص فولتارين 75",
// "Panadol 500"): a space, the number, and no unit, letter, digit or range after it.
std::optional<Amount> StrengthAfterName(std::string_view normalized, const text::Span& name,
                                        const WordLists& words);

// The strength of a combination product written after its name ("co-codamol 30/500",
// "Augmentin 875/125 mg", "氨酚曲马多 37.5/325"): the largest of the numbers joined by "/", in mg
// (the ingredient a combination's dose limits are written for: paracetamol, amoxicillin). Nullopt
// when no two numbers joined by "/" follow the name, or a unit other than mg ends them.
std::optional<Amount> CombinationStrengthAfterName(std::string_view normalized,
                                                   const text::Span& name);

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
