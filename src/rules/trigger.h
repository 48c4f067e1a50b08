// A rule's trigger: a cheap necessary condition for its `when` tree, in terms of which pack terms
// occur in the answer or the question and whether either has a medication statement. A rule whose
// trigger does not fire cannot hold anywhere in the text, so the engine skips it without walking
// its tree (most rules, on most answers).
//
// Derivation (sound for the engine's relaxed evaluation, where `not` always holds):
//   all  -> the trigger of its most selective child (every child must hold);
//   any  -> the union of its children's triggers;
//   not  -> always;  question/answer -> the child's, read on that text;
//   lexicon/pattern -> that term occurs;  statement -> a statement exists.
#pragma once

#include <cstdint>
#include <vector>

#include "rules/pack.h"

namespace medaudit::rules {

struct Trigger {
  bool always = false;
  bool answer_statement = false;
  bool question_statement = false;
  std::vector<uint32_t> answer_terms;    // global term indexes
  std::vector<uint32_t> question_terms;  // global term indexes

  // `term_base` turns the pack's term indexes into global ones.
  static Trigger Of(const Condition& when, uint32_t term_base);

  // seen[term] has bit `answer_bit` / `question_bit` set when the term occurs in that text.
  bool Fires(const std::vector<uint8_t>& seen, uint8_t answer_bit, uint8_t question_bit,
             bool answer_has_statement, bool question_has_statement) const {
    if (always) return true;
    if ((answer_statement && answer_has_statement) ||
        (question_statement && question_has_statement)) {
      return true;
    }
    for (uint32_t term : answer_terms) {
      if (seen[term] & answer_bit) return true;
    }
    for (uint32_t term : question_terms) {
      if (seen[term] & question_bit) return true;
    }
    return false;
  }
};

}  // namespace medaudit::rules
