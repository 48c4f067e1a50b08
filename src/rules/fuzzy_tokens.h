// Evasion hook of the check engine: where a sentence carries a dose, frequency or duration but the
// literal scan found no drug in it, the fuzzy lookup (knowledge/fuzzy.h) reads the sentence for
// disguised drug names (misspelled, leetspeak, split, pinyin, homophones) and adds what it finds
// as drug tokens. Everything else in the text is left alone, so the cost on ordinary answers is
// one pass over the tokens.
#pragma once

#include <string_view>
#include <vector>

#include "extract/statement.h"
#include "knowledge/fuzzy.h"
#include "knowledge/lexicon.h"
#include "text/normalize.h"

namespace medaudit::rules {

// tokens: sorted by span.begin (as ScanTerms leaves them); stays sorted. sentences: in order.
// Returns the number of drug tokens added.
// The lexicon's fuzzy index is built only when a sentence needs the lookup.
size_t AddFuzzyDrugTokens(const knowledge::Lexicon& lexicon, std::string_view normalized,
                          const std::vector<text::Span>& sentences,
                          std::vector<extract::Token>* tokens);

}  // namespace medaudit::rules
