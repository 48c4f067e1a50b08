#include "rules/fuzzy_tokens.h"

#include <algorithm>

namespace medaudit::rules {
namespace {

using extract::TokenKind;

bool IsRegimen(TokenKind kind) {
  return kind == TokenKind::kDose || kind == TokenKind::kFrequency || kind == TokenKind::kDuration;
}

// A herb amount ("西林0.5g") is any short Chinese word before an amount, so it neither counts as
// a drug nor hides the characters under it.
bool IsDrugLike(TokenKind kind) { return kind == TokenKind::kDrug || kind == TokenKind::kProduct; }

}  // namespace

size_t AddFuzzyDrugTokens(const knowledge::Lexicon& lexicon, std::string_view normalized,
                          const std::vector<text::Span>& sentences,
                          std::vector<extract::Token>* tokens) {
  thread_local std::vector<text::Span> taken;
  thread_local std::vector<knowledge::FuzzyHit> hits;
  hits.clear();
  size_t t = 0;
  for (const text::Span& sentence : sentences) {
    while (t < tokens->size() && (*tokens)[t].span.begin < sentence.begin) ++t;
    bool regimen = false, drug = false;
    size_t end = t;
    for (; end < tokens->size() && (*tokens)[end].span.begin < sentence.end; ++end) {
      regimen |= IsRegimen((*tokens)[end].kind);
      drug |= IsDrugLike((*tokens)[end].kind);
    }
    if (regimen && !drug) {  // the only place the fuzzy lookup runs
      taken.clear();
      for (size_t k = t; k < end; ++k) {
        if ((*tokens)[k].kind != TokenKind::kHerbAmount) taken.push_back((*tokens)[k].span);
      }
      lexicon.fuzzy()->Find(normalized, sentence, taken, &hits);
    }
    t = end;
  }
  if (hits.empty()) return 0;
  const size_t before = tokens->size();
  for (const auto& hit : hits) {
    tokens->push_back({TokenKind::kDrug, extract::Mood::kUnmarked, hit.drug, hit.span});
  }
  std::inplace_merge(
      tokens->begin(), tokens->begin() + static_cast<std::ptrdiff_t>(before), tokens->end(),
      [](const extract::Token& a, const extract::Token& b) { return a.span.begin < b.span.begin; });
  return hits.size();
}

}  // namespace medaudit::rules
