// Questions and answers are scanned by databases of their own: a term that rules read only inside
// `question` conditions is scanned on questions alone, one read only outside them on answers alone,
// one read on both sides by both, and drug names by both. A term must be found on every side a rule
// reads it on, and a term of one side must not count on the other.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "rules/engine.h"
#include "support/shipped_engine.h"
#include "support/temp_dir.h"

namespace {

using medaudit::rules::CheckResult;
using medaudit::rules::Engine;
using medaudit::rules::Workspace;
using medaudit::testing::TempDir;

// "alarm": question side only; "shared": both sides; "answerword": answer side only (under an
// `answer` condition nested in a `question` one, which reads the answer again, and at the top of
// "t.answer-only").
const char* kPack = R"json({
  "pack": {"id": "t", "version": "1", "title": "test"},
  "lexicons": {
    "alarm": {"en": ["crushing pain"], "zh": ["压榨性疼痛"], "ar": ["ألم ساحق"]},
    "shared": {"en": ["blue lips"], "zh": ["嘴唇发紫"], "ar": ["شفاه زرقاء"]},
    "answerword": {"en": ["rest at home"], "zh": ["在家休息"], "ar": ["ارتاح في البيت"]}
  },
  "rules": [
    {"id": "t.question-only", "category": "missed_emergency", "severity": "harm",
     "harm": {"extent": "severe_death", "likelihood": "medium"},
     "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc art. 1"},
     "scope": "text",
     "when": {"question": {"lexicon": "alarm"}}},
    {"id": "t.both-sides", "category": "missed_emergency", "severity": "harm",
     "harm": {"extent": "severe_death", "likelihood": "medium"},
     "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc art. 1"},
     "scope": "text",
     "when": {"all": [{"question": {"lexicon": "shared"}}, {"lexicon": "shared"}]}},
    {"id": "t.nested-answer", "category": "missed_emergency", "severity": "harm",
     "harm": {"extent": "severe_death", "likelihood": "medium"},
     "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc art. 1"},
     "scope": "text",
     "when": {"question": {"all": [{"lexicon": "alarm"},
                                   {"answer": {"lexicon": "answerword"}}]}}},
    {"id": "t.answer-only", "category": "missed_emergency", "severity": "harm",
     "harm": {"extent": "severe_death", "likelihood": "medium"},
     "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc art. 1"},
     "scope": "text",
     "when": {"lexicon": "answerword"}},
    {"id": "t.question-drug", "category": "missed_emergency", "severity": "harm",
     "harm": {"extent": "severe_death", "likelihood": "medium"},
     "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc art. 1"},
     "scope": "text",
     "when": {"question": {"statement": {"drug": ["warfarin"]}}}}
  ]
})json";

// A rules directory with the shipped knowledge files and the test pack alone.
std::string RulesWithTestPack(const TempDir& dir) {
  namespace fs = std::filesystem;
  const fs::path shipped = fs::path(MEDAUDIT_SOURCE_DIR) / "rules" / "knowledge";
  fs::copy(shipped, dir.path() / "knowledge", fs::copy_options::recursive);
  dir.Write("test.json", kPack);
  return dir.path().string();
}

bool Fires(const Engine& engine, const std::string& answer, const std::string& question,
           const std::string& rule) {
  Workspace ws;
  CheckResult result;
  REQUIRE(
      engine.Check({answer, question, medaudit::text::Lang::kUnknown}, &ws, &result).has_value());
  for (const auto& f : result.findings) {
    if (f.rule->id == rule) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("Question scan: each term is found on the sides its rules read it on",
          "[rules][question][en][zh][ar]") {
  TempDir dir("question_scan");
  auto options = medaudit::testing::ShippedRulesOptions();
  options.rules_dir = RulesWithTestPack(dir);
  auto loaded = Engine::Load(options);
  REQUIRE(loaded.has_value());
  const Engine& engine = **loaded;

  // Question side only.
  CHECK(Fires(engine, "Drink some water.", "I have crushing pain in my chest.", "t.question-only"));
  CHECK(Fires(engine, "多喝水。", "我胸口有压榨性疼痛。", "t.question-only"));
  CHECK(Fires(engine, "اشرب ماء.", "عندي ألم ساحق في صدري.", "t.question-only"));
  CHECK_FALSE(Fires(engine, "Crushing pain needs care.", "My knee hurts.", "t.question-only"));
  CHECK_FALSE(Fires(engine, "Crushing pain needs care.", "", "t.question-only"));

  // Both sides: the same term found in the question and in the answer.
  CHECK(
      Fires(engine, "Blue lips are a sign to call 911.", "My son has blue lips.", "t.both-sides"));
  CHECK(Fires(engine, "嘴唇发紫要打120。", "孩子嘴唇发紫。", "t.both-sides"));
  CHECK(Fires(engine, "شفاه زرقاء تعني اتصل بالإسعاف.", "ابني عنده شفاه زرقاء.", "t.both-sides"));
  CHECK_FALSE(Fires(engine, "Call 911.", "My son has blue lips.", "t.both-sides"));

  // An answer condition inside a question condition reads the answer.
  CHECK(Fires(engine, "Just rest at home.", "I have crushing pain.", "t.nested-answer"));
  CHECK(Fires(engine, "在家休息就好。", "我有压榨性疼痛。", "t.nested-answer"));
  CHECK_FALSE(Fires(engine, "Go to the ED now.", "I have crushing pain.", "t.nested-answer"));

  // Answer side only: found in answers, never in questions.
  CHECK(Fires(engine, "Just rest at home.", "", "t.answer-only"));
  CHECK(Fires(engine, "在家休息就好。", "我头疼。", "t.answer-only"));
  CHECK_FALSE(Fires(engine, "Drink some water.", "Should I rest at home?", "t.answer-only"));
  CHECK_FALSE(Fires(engine, "多喝水。", "我可以在家休息吗？", "t.answer-only"));

  // Drug names are found in questions too (the question's medication statements).
  CHECK(Fires(engine, "Ask your doctor.", "Can I take warfarin 5 mg daily?", "t.question-drug"));
  CHECK(Fires(engine, "问医生。", "我每天吃华法林5毫克可以吗？", "t.question-drug"));
  CHECK_FALSE(Fires(engine, "Take warfarin 5 mg daily.", "Can I take aspirin?", "t.question-drug"));
}

TEST_CASE("Question scan: an engine loaded without questions refuses one and checks answers alike",
          "[rules][question][en]") {
  TempDir dir("question_scan_off");
  auto options = medaudit::testing::ShippedRulesOptions();
  options.rules_dir = RulesWithTestPack(dir);
  options.identify_rules = false;
  auto full = Engine::Load(options);
  options.questions = false;
  auto answers_only = Engine::Load(options);
  REQUIRE(full.has_value());
  REQUIRE(answers_only.has_value());

  // Answers alone: the same findings.
  CHECK(Fires(**answers_only, "Just rest at home.", "", "t.answer-only"));
  CHECK_FALSE(Fires(**answers_only, "Drink some water.", "", "t.answer-only"));
  CHECK(Fires(**full, "Just rest at home.", "", "t.answer-only"));

  // A question is an argument error, never a check that silently ignores it.
  Workspace ws;
  CheckResult result;
  auto status =
      (*answers_only)
          ->Check({"Drink some water.", "I have crushing pain.", medaudit::text::Lang::kEn}, &ws,
                  &result);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == medaudit::ErrorCode::kInvalidArgument);

  // identify_rules needs the question database's fingerprint: questions=false is then ignored.
  options.identify_rules = true;
  auto identified = Engine::Load(options);
  REQUIRE(identified.has_value());
  CHECK(Fires(**identified, "Drink some water.", "I have crushing pain.", "t.question-only"));
}
