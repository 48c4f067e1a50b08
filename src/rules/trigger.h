// A rule's trigger: a cheap necessary condition for its `when` tree, in terms of which pack terms
// occur in the answer or the question and whether either has a medication statement. A rule whose
// trigger does not fire cannot hold anywhere in the text, so the engine skips it without walking
// its tree (most rules, on most answers).
//
// Derivation (sound for the engine's relaxed evaluation, where `not` always holds):
//   all  -> the trigger of its most selective child (every child must hold);
//   any  -> the union of its children's triggers;
//   not  -> always;  question/answer -> the child's, read on that text;
//   lexicon/pattern -> that term occurs;
//   statement -> a statement exists that the predicate's cheap necessary part admits (not an
//   allergy clause, one of its moods, one of its drugs: StatementFilter). Predicates must be
//   compiled (StatementPredicate::compiled) before Trigger::Of.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "extract/statement.h"
#include "rules/pack.h"

namespace medaudit::rules {

// The statements that can satisfy at least one of a set of statement predicates, judged by what
// every predicate requires of a statement before anything else (rules/engine.cc, Matches): it is
// not in an allergy clause, its mood is among the predicate's moods, and, when the predicate has
// drug conditions, it names a lexicon drug the predicate's drug table admits. Admits() may say yes
// to a statement no predicate matches; it never says no to one that some predicate matches.
struct StatementFilter {
  bool active = false;    // at least one predicate added
  uint16_t moods = 0;     // union of the predicates' mood bits; 0 = any mood
  bool any_drug = false;  // a predicate without drug conditions (or without drug_bits)
  // Union of the predicates' drug_bits: lexicon drug d is bit d % 64 of word d / 64.
  std::vector<uint64_t> drugs;

  void Add(const StatementPredicate& predicate);
  void Merge(const StatementFilter& other);
  bool Admits(const extract::MedicationStatement& st) const {
    if (st.allergy) return false;
    if (moods != 0 && !(moods & (1u << static_cast<unsigned>(st.mood)))) return false;
    if (any_drug) return true;
    return extract::IsLexiconDrug(st.drug) && st.drug / 64 < drugs.size() &&
           ((drugs[st.drug / 64] >> (st.drug % 64)) & 1) != 0;
  }
  bool AdmitsAny(std::span<const extract::MedicationStatement> statements) const {
    if (!active) return false;
    for (const auto& st : statements) {
      if (Admits(st)) return true;
    }
    return false;
  }
};

struct Trigger {
  bool always = false;
  bool answer_statement = false;
  bool question_statement = false;
  StatementFilter answer_filter;         // which answer statements fire it (answer_statement)
  StatementFilter question_filter;       // which question statements fire it (question_statement)
  std::vector<uint32_t> answer_terms;    // global term indexes
  std::vector<uint32_t> question_terms;  // global term indexes

  // `term_base` turns the pack's term indexes into global ones. on_question: `when` is read on
  // the question (it sits under a `question` node).
  static Trigger Of(const Condition& when, uint32_t term_base, bool on_question = false);
  // A necessary condition for `when` to hold on one sentence of the answer (sentence-scoped
  // rules): one of answer_terms has a hit inside the sentence, or an answer statement of the
  // sentence passes answer_filter. `question` and `answer` nodes read beyond the sentence and count
  // as always; question_terms and question_statement stay empty.
  static Trigger OfSentence(const Condition& when, uint32_t term_base);

  // seen[term] has bit `answer_bit` / `question_bit` set when the term occurs in that text.
  // answer_statements: the statements the rule's statement conditions read on the answer side.
  bool Fires(const std::vector<uint8_t>& seen, uint8_t answer_bit, uint8_t question_bit,
             std::span<const extract::MedicationStatement> answer_statements,
             std::span<const extract::MedicationStatement> question_statements) const {
    if (always) return true;
    if ((answer_statement && answer_filter.AdmitsAny(answer_statements)) ||
        (question_statement && question_filter.AdmitsAny(question_statements))) {
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
