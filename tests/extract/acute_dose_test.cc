// Acute and after-hours answers: more of a drug the person already has or took, given now ("since
// you took one 500 mg … an hour ago, take another 500 mg now"), a situation put back as a question
// and answered by an imperative dose line, a dose after a route verb ("现在就舌下含服1片") for a
// drug the doctor prescribed, and a herb weighed in parentheses after its name ("fresh ginger
// (about 10 g)"). Texts are our own.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "extract/statement.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::MedicationStatement;
using medaudit::extract::Mood;
using medaudit::testing::StatementsIn;

// Whether some statement about `drug` is an instruction (directive) with a dose, frequency or
// duration.
bool Instructed(const std::string& text, const std::string& drug) {
  for (const MedicationStatement& st : StatementsIn(text, drug)) {
    if (st.mood == Mood::kDirective && (st.has_dose() || st.has_frequency() || st.has_duration())) {
      return true;
    }
  }
  return false;
}

// Whether the text holds a herbal recipe.
bool HasRecipe(const std::string& text) {
  medaudit::rules::Workspace ws;
  medaudit::testing::ShippedEngine().Analyze(text, &ws);
  return std::any_of(ws.statements.begin(), ws.statements.end(),
                     [](const auto& st) { return st.drug == medaudit::extract::kHerbalRecipe; });
}

}  // namespace

TEST_CASE("A later clause that opens with an imperative and an amount doses the drug taken before",
          "[extract][en][zh]") {
  const char* instructed[][2] = {
      {"Since you took one 200 mg ibuprofen two hours ago and it still hurts, take another 200 mg "
       "now.",
       "ibuprofen"},
      {"You already have sumatriptan from your neurologist, so take one 50 mg tablet now.",
       "sumatriptan"},
      {"你说两小时前吃过一片布洛芬200mg还是疼，那现在再吃1片200mg。", "ibuprofen"},
  };
  for (const auto& c : instructed) {
    INFO(c[0]);
    CHECK(Instructed(c[0], c[1]));
  }
  const char* not_instructed[][2] = {
      // A prohibition in the clause, another product named before the amount.
      {"Since you took one 200 mg ibuprofen two hours ago, don't take another 200 mg now.",
       "ibuprofen"},
      {"你目前每天早上吃比索洛尔2.5mg，再加上脉优5mg。", "bisoprolol"},
      {"You took one 200 mg ibuprofen two hours ago, so it should last until this evening.",
       "ibuprofen"},
  };
  for (const auto& c : not_instructed) {
    INFO(c[0]);
    CHECK_FALSE(Instructed(c[0], c[1]));
  }
}

TEST_CASE("A situation put back as a question, then an imperative dose line, instructs",
          "[extract][en][ar]") {
  CHECK(
      Instructed("Missed your morning levetiracetam and only remembered at lunch? Take the "
                 "missed 500 mg dose now.",
                 "levetiracetam"));
  CHECK(Instructed("أخذت حبة إيبوبروفين 200 ملغ قبل ساعتين ولم تنفع؟ خذ حبة 200 ملغ أخرى الآن.",
                   "ibuprofen"));
  // A question with no imperative after it, or a prohibition, stays a question.
  CHECK_FALSE(
      Instructed("Did you take levetiracetam 500 mg this morning? Let me know.", "levetiracetam"));
  CHECK_FALSE(
      Instructed("أخذت حبة إيبوبروفين 200 ملغ قبل ساعتين؟ لا تأخذ أي حبة أخرى الآن.", "ibuprofen"));
}

TEST_CASE("A route the verb says is no object of a prescribed drug's dose line", "[extract][zh]") {
  CHECK(Instructed("医生给你开过劳拉西泮。现在就舌下含服1片(0.5mg)。", "lorazepam"));
  CHECK_FALSE(Instructed("医生给你开过劳拉西泮。不要舌下含服1片以上。", "lorazepam"));
}

TEST_CASE("A herb weighed in parentheses after its name is an ingredient", "[extract][en]") {
  CHECK(
      HasRecipe("Grate some fresh ginger (about 10 g) into a mug, pour over boiling water and "
                "let it steep 10 minutes."));
  // An amount word before the parenthesis names nothing.
  CHECK_FALSE(HasRecipe("Stir in a little extra (about 10 g) and let it steep 10 minutes."));
}
