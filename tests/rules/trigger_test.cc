// Trigger soundness: whenever a condition tree can hold (relaxed: `not` always holds), its
// trigger fires. Checked on random trees against a direct evaluation.
#include "rules/trigger.h"

#include <catch2/catch.hpp>
#include <random>

namespace medaudit::rules {
namespace {

constexpr uint32_t kTerms = 6;
constexpr uint32_t kBase = 10;  // global index = kBase + pack term

struct World {
  std::vector<uint8_t> seen = std::vector<uint8_t>(kBase + kTerms, 0);  // bit 1 answer, 2 question
  bool answer_statement = false;
  bool question_statement = false;
};

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
      return on_question ? w.question_statement : w.answer_statement;
  }
  return false;
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
      w.answer_statement = rng() % 3 == 0;
      w.question_statement = rng() % 3 == 0;
      const bool fires = trigger.Fires(w.seen, 1, 2, w.answer_statement, w.question_statement);
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

}  // namespace
}  // namespace medaudit::rules
