// Trigger soundness: whenever a condition tree can hold (relaxed: `not` always holds), its
// trigger fires. Checked on random trees against a direct evaluation.
#include "rules/trigger.h"

#include <catch2/catch.hpp>
#include <random>

namespace medaudit::rules {
namespace {

using extract::Mood;

constexpr uint32_t kTerms = 6;
constexpr uint32_t kBase = 10;  // global index = kBase + pack term

constexpr uint32_t kDrugs = 5;

struct World {
  std::vector<uint8_t> seen = std::vector<uint8_t>(kBase + kTerms, 0);  // bit 1 answer, 2 question
  std::vector<extract::MedicationStatement> answer_statements, question_statements;
};

// What every statement predicate requires before anything else (engine.cc, Matches): the part
// StatementFilter is built from. A statement the real Matches accepts passes this too.
bool Admitted(const StatementPredicate& p, const extract::MedicationStatement& st) {
  const auto& c = p.compiled;
  if (st.allergy) return false;
  if (c.moods != 0 && !(c.moods & (1u << static_cast<unsigned>(st.mood)))) return false;
  if (!c.needs_drug) return true;
  return extract::IsLexiconDrug(st.drug) && (*c.drug_ok)[st.drug] != 0;
}

bool AnyAdmitted(const StatementPredicate& p,
                 const std::vector<extract::MedicationStatement>& statements) {
  for (const auto& st : statements) {
    if (Admitted(p, st)) return true;
  }
  return false;
}

bool Holds(const Condition& c, const World& w, bool on_question) {
  switch (c.kind) {
    case Condition::Kind::kAll:
      for (const auto& child : c.children) {
        if (!Holds(child, w, on_question)) return false;
      }
      return true;
    case Condition::Kind::kAny:
      for (const auto& child : c.children) {
        if (Holds(child, w, on_question)) return true;
      }
      return false;
    case Condition::Kind::kNot:
      return true;
    case Condition::Kind::kQuestion:
      return Holds(c.children.front(), w, true);
    case Condition::Kind::kAnswer:
      return Holds(c.children.front(), w, false);
    case Condition::Kind::kLexicon:
    case Condition::Kind::kPattern:
      return w.seen[kBase + c.term] & (on_question ? 2 : 1);
    case Condition::Kind::kStatement:
      return AnyAdmitted(c.statement, on_question ? w.question_statements : w.answer_statements);
  }
  return false;
}

// A compiled predicate: any mood or one or two of three, any drug or a random drug table.
StatementPredicate RandomPredicate(std::mt19937& rng) {
  StatementPredicate p;
  auto& c = p.compiled;
  if (rng() % 2 == 0) {
    for (int k = 1 + static_cast<int>(rng() % 2); k > 0; --k) {
      c.moods = static_cast<uint16_t>(c.moods | (1u << (rng() % 3)));
    }
  }
  if (rng() % 3 != 0) {
    c.needs_drug = true;
    auto table = std::make_shared<std::vector<uint8_t>>(kDrugs, 0);
    auto bits = std::make_shared<std::vector<uint64_t>>(1, 0);
    for (uint32_t d = 0; d < kDrugs; ++d) {
      (*table)[d] = rng() % 3 == 0 ? 1 : 0;
      if ((*table)[d] != 0) (*bits)[0] |= uint64_t{1} << d;
    }
    c.drug_ok = table;
    c.drug_bits = bits;
  }
  return p;
}

extract::MedicationStatement RandomStatement(std::mt19937& rng) {
  extract::MedicationStatement st;
  st.drug = rng() % 6 == 0 ? extract::kHerbalRecipe : static_cast<uint32_t>(rng() % kDrugs);
  st.mood = static_cast<Mood>(rng() % 3);
  st.allergy = rng() % 8 == 0;
  return st;
}

Condition RandomTree(std::mt19937& rng, int depth) {
  Condition c;
  const int pick = depth == 0 ? 3 + static_cast<int>(rng() % 2) : static_cast<int>(rng() % 7);
  switch (pick) {
    case 0:
    case 1:
      c.kind = pick == 0 ? Condition::Kind::kAll : Condition::Kind::kAny;
      for (uint32_t k = rng() % 4; k > 0; --k) c.children.push_back(RandomTree(rng, depth - 1));
      break;
    case 2:
      c.kind = Condition::Kind::kNot;
      c.children.push_back(RandomTree(rng, depth - 1));
      break;
    case 3:
      c.kind = Condition::Kind::kPattern;
      c.term = rng() % kTerms;
      break;
    case 4:
      c.kind = Condition::Kind::kStatement;
      c.statement = RandomPredicate(rng);
      break;
    case 5:
    case 6:
      c.kind = pick == 5 ? Condition::Kind::kQuestion : Condition::Kind::kAnswer;
      c.children.push_back(RandomTree(rng, depth - 1));
      break;
  }
  return c;
}

TEST_CASE("a rule's trigger fires whenever its tree can hold", "[rules][trigger]") {
  std::mt19937 rng(20261129);
  int held = 0, skipped = 0;
  for (int round = 0; round < 3000; ++round) {
    const Condition tree = RandomTree(rng, 4);
    const Trigger trigger = Trigger::Of(tree, kBase);
    for (int world_round = 0; world_round < 20; ++world_round) {
      World w;
      for (auto& bits : w.seen) bits = static_cast<uint8_t>(rng() % 4 == 0 ? rng() % 4 : 0);
      for (uint32_t k = rng() % 3; k > 0; --k) w.answer_statements.push_back(RandomStatement(rng));
      for (uint32_t k = rng() % 3; k > 0; --k) {
        w.question_statements.push_back(RandomStatement(rng));
      }
      const bool fires = trigger.Fires(w.seen, 1, 2, w.answer_statements, w.question_statements);
      if (Holds(tree, w, false)) {
        ++held;
        REQUIRE(fires);
      } else if (!fires) {
        ++skipped;
      }
    }
  }
  CHECK(held > 1000);
  CHECK(skipped > 1000);  // the trigger does prune
}

TEST_CASE("trigger of all picks its most selective child", "[rules][trigger]") {
  Condition term;
  term.kind = Condition::Kind::kPattern;
  term.term = 2;
  Condition statement;
  statement.kind = Condition::Kind::kStatement;
  Condition all;
  all.kind = Condition::Kind::kAll;
  all.children = {statement, term};
  const Trigger t = Trigger::Of(all, kBase);
  CHECK_FALSE(t.always);
  CHECK_FALSE(t.answer_statement);
  CHECK(t.answer_terms == std::vector<uint32_t>{kBase + 2});
}

TEST_CASE("a trigger read on the question side", "[rules][trigger]") {
  Condition term;
  term.kind = Condition::Kind::kPattern;
  term.term = 1;
  Condition answer;
  answer.kind = Condition::Kind::kAnswer;
  answer.children = {term};
  Condition any;
  any.kind = Condition::Kind::kAny;
  any.children = {term, answer};
  const Trigger t = Trigger::Of(any, kBase, /*on_question=*/true);
  CHECK(t.question_terms == std::vector<uint32_t>{kBase + 1});
  CHECK(t.answer_terms == std::vector<uint32_t>{kBase + 1});  // the `answer` child
  std::vector<uint8_t> seen(kBase + kTerms, 0);
  CHECK_FALSE(t.Fires(seen, 1, 2, {}, {}));
  seen[kBase + 1] = 2;
  CHECK(t.Fires(seen, 1, 2, {}, {}));
}

TEST_CASE("a statement trigger fires only on statements its predicates can admit",
          "[rules][trigger]") {
  auto table = std::make_shared<std::vector<uint8_t>>(std::vector<uint8_t>{0, 1, 0});
  Condition anticoagulant;
  anticoagulant.kind = Condition::Kind::kStatement;
  anticoagulant.statement.compiled.needs_drug = true;
  anticoagulant.statement.compiled.drug_ok = table;
  anticoagulant.statement.compiled.drug_bits =
      std::make_shared<std::vector<uint64_t>>(std::vector<uint64_t>{uint64_t{1} << 1});
  anticoagulant.statement.compiled.moods = 1u << static_cast<unsigned>(Mood::kDirective);
  const Trigger t = Trigger::Of(anticoagulant, kBase);
  const std::vector<uint8_t> seen(kBase + kTerms, 0);
  extract::MedicationStatement st;
  st.mood = Mood::kDirective;
  st.drug = 1;
  CHECK(t.Fires(seen, 1, 2, std::vector{st}, {}));
  CHECK_FALSE(t.Fires(seen, 1, 2, {}, std::vector{st}));  // a question statement: other side
  st.drug = 0;
  CHECK_FALSE(t.Fires(seen, 1, 2, std::vector{st}, {}));  // a drug the table does not admit
  st.drug = extract::kUnknownProduct;
  CHECK_FALSE(t.Fires(seen, 1, 2, std::vector{st}, {}));
  st.drug = 1;
  st.mood = Mood::kNegated;
  CHECK_FALSE(t.Fires(seen, 1, 2, std::vector{st}, {}));  // another mood
  st.mood = Mood::kDirective;
  st.allergy = true;
  CHECK_FALSE(t.Fires(seen, 1, 2, std::vector{st}, {}));  // an allergy clause

  // `any` of it and a predicate without drug conditions admits every drug in any mood.
  Condition any;
  any.kind = Condition::Kind::kAny;
  Condition plain;
  plain.kind = Condition::Kind::kStatement;
  any.children = {anticoagulant, plain};
  const Trigger u = Trigger::Of(any, kBase);
  st.allergy = false;
  st.drug = extract::kHerbalRecipe;
  st.mood = Mood::kNegated;
  CHECK(u.Fires(seen, 1, 2, std::vector{st}, {}));
}

}  // namespace
}  // namespace medaudit::rules
