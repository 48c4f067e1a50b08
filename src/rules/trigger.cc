#include "rules/trigger.h"

#include <algorithm>
#include <limits>

namespace medaudit::rules {
namespace {

Trigger Always() {
  Trigger t;
  t.always = true;
  return t;
}

// How often a trigger is expected to fire: smaller is more selective.
size_t Breadth(const Trigger& t) {
  if (t.always) return std::numeric_limits<size_t>::max();
  constexpr size_t kStatement = 64;  // a statement is commoner than any one term
  return t.answer_terms.size() + t.question_terms.size() +
         kStatement * (size_t{t.answer_statement} + size_t{t.question_statement});
}

void AddTo(Trigger* into, const Trigger& t) {
  into->answer_statement |= t.answer_statement;
  into->question_statement |= t.question_statement;
  into->answer_filter.Merge(t.answer_filter);
  into->question_filter.Merge(t.question_filter);
  into->answer_terms.insert(into->answer_terms.end(), t.answer_terms.begin(), t.answer_terms.end());
  into->question_terms.insert(into->question_terms.end(), t.question_terms.begin(),
                              t.question_terms.end());
}

// sentence: the tree is evaluated on one sentence, and `question` / `answer` nodes, which read
// beyond it, count as always.
Trigger Derive(const Condition& c, uint32_t term_base, bool on_question, bool sentence) {
  switch (c.kind) {
    case Condition::Kind::kAll: {
      Trigger best = Always();
      for (const auto& child : c.children) {
        Trigger t = Derive(child, term_base, on_question, sentence);
        if (Breadth(t) < Breadth(best)) best = std::move(t);
      }
      return best;
    }
    case Condition::Kind::kAny: {
      Trigger any;  // no child: never holds
      for (const auto& child : c.children) {
        const Trigger t = Derive(child, term_base, on_question, sentence);
        if (t.always) return Always();
        AddTo(&any, t);
      }
      return any;
    }
    case Condition::Kind::kNot:
      return Always();
    case Condition::Kind::kQuestion:
      return sentence ? Always() : Derive(c.children.front(), term_base, true, false);
    case Condition::Kind::kAnswer:
      return sentence ? Always() : Derive(c.children.front(), term_base, false, false);
    case Condition::Kind::kLexicon:
    case Condition::Kind::kPattern: {
      Trigger t;
      (on_question ? t.question_terms : t.answer_terms).push_back(term_base + c.term);
      return t;
    }
    case Condition::Kind::kStatement: {
      Trigger t;
      (on_question ? t.question_statement : t.answer_statement) = true;
      (on_question ? t.question_filter : t.answer_filter).Add(c.statement);
      return t;
    }
  }
  return Always();
}

void SortUnique(std::vector<uint32_t>* terms) {
  std::sort(terms->begin(), terms->end());
  terms->erase(std::unique(terms->begin(), terms->end()), terms->end());
}

}  // namespace

void StatementFilter::Add(const StatementPredicate& predicate) {
  const auto& c = predicate.compiled;
  moods = active && moods == 0 ? 0 : (c.moods == 0 ? 0 : static_cast<uint16_t>(moods | c.moods));
  if (!c.needs_drug || c.drug_bits == nullptr) {
    any_drug = true;
  } else if (!any_drug) {
    const auto& bits = *c.drug_bits;
    if (drugs.size() < bits.size()) drugs.resize(bits.size(), 0);
    for (size_t w = 0; w < bits.size(); ++w) drugs[w] |= bits[w];
  }
  active = true;
  if (any_drug) drugs.clear();
}

void StatementFilter::Merge(const StatementFilter& other) {
  if (!other.active) return;
  moods =
      (active && moods == 0) || other.moods == 0 ? 0 : static_cast<uint16_t>(moods | other.moods);
  any_drug |= other.any_drug;
  if (any_drug) {
    drugs.clear();
  } else {
    if (drugs.size() < other.drugs.size()) drugs.resize(other.drugs.size(), 0);
    for (size_t d = 0; d < other.drugs.size(); ++d) drugs[d] |= other.drugs[d];
  }
  active = true;
}

Trigger Trigger::Of(const Condition& when, uint32_t term_base, bool on_question) {
  Trigger t = Derive(when, term_base, on_question, false);
  SortUnique(&t.answer_terms);
  SortUnique(&t.question_terms);
  return t;
}

Trigger Trigger::OfSentence(const Condition& when, uint32_t term_base) {
  Trigger t = Derive(when, term_base, false, true);
  SortUnique(&t.answer_terms);
  return t;
}

}  // namespace medaudit::rules
