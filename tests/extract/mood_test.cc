// Mood of medication statements: questions, referrals, histories, label facts and prescription
// forms read by the grammar's cues and by `MoodAt`; Markdown section headings, drug title headings
// and the drug's own usage header read by `NoteHeaders`, `FilterCues` and `UsageLine`.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

using medaudit::extract::MedicationStatement;
using medaudit::extract::Mood;

namespace {

// Every statement the shipped engine reads from `text`.
std::vector<MedicationStatement> StatementsOf(const char* text) {
  thread_local medaudit::rules::Workspace ws;
  medaudit::testing::ShippedEngine().Analyze(text, &ws);
  return ws.statements;
}

// The mood of the first statement the shipped engine reads from `text`.
Mood FirstMood(const char* text) {
  const auto statements = StatementsOf(text);
  REQUIRE_FALSE(statements.empty());
  return statements.front().mood;
}

// The mood of the first statement of `text` that has a dose (kUnmarked if none has).
Mood DosedMood(const char* text) {
  const auto statements = StatementsOf(text);
  const auto dosed = std::find_if(statements.begin(), statements.end(),
                                  [](const MedicationStatement& st) { return st.has_dose(); });
  return dosed == statements.end() ? Mood::kUnmarked : dosed->mood;
}

}  // namespace

TEST_CASE("Mood: a question cue gives its mood to the verb after it", "[extract][mood]") {
  // A-not-A questions and 'whether to' ask; they do not direct.
  CHECK(FirstMood("二甲双胍0.5g一天三次要不要一直吃，要看你的血糖。") == Mood::kQuestion);
  CHECK(FirstMood("可以找医生咨询要不要预防性用药，比如乙酰唑胺每次125mg、每天两次。") ==
        Mood::kQuestion);
  CHECK(FirstMood("Whether to start aspirin 81 mg daily depends on your bleeding risk.") ==
        Mood::kQuestion);
  // A directive after the question is answered stays a directive.
  CHECK(FirstMood("要不要吃药？要的。建议口服阿莫西林0.5g，每日3次，连用7天。") ==
        Mood::kDirective);
}

TEST_CASE("Mood: referrals, histories and label facts", "[extract][mood]") {
  CHECK(FirstMood("建议你跟心内科医生商量一下，阿托伐他汀20mg每晚一片适不适合你。") ==
        Mood::kReferral);
  CHECK(FirstMood("ناقش مع طبيبك هل تكمل على الليفوثيروكسين 50 ميكروغرام كل صباح.") ==
        Mood::kReferral);
  CHECK(FirstMood("Thanks, noted: sertraline 50 mg every morning since your diagnosis.") ==
        Mood::kHistory);
  CHECK(FirstMood("تمام، دونت: ميتفورمين 500 ملغ مرتين يوميا منذ 3 سنوات.") == Mood::kHistory);
  CHECK(FirstMood("甲氨蝶呤小剂量（每周7.5~15mg）用来治类风湿，大剂量用于化疗。") ==
        Mood::kInformational);
  CHECK(FirstMood("بحسب نشرة باراسيتامول شراب، الجرعة 5 مل كل 6 ساعات.") == Mood::kInformational);
}

TEST_CASE("Mood: verbs, plans and scales", "[extract][mood]") {
  CHECK(FirstMood("Rub terbinafine cream into the rash twice a day for 1 week.") ==
        Mood::kDirective);
  CHECK(FirstMood("湿疹处薄涂地奈德乳膏，每天两次，连用不超过5天。") == Mood::kDirective);
  CHECK(FirstMood("Prescription for this flare: prednisolone 30 mg once daily for 5 days.") ==
        Mood::kRxForm);
  CHECK(
      FirstMood("Here is a sliding scale for your insulin aspart: add 2 units above 10 mmol/L.") ==
      Mood::kRxForm);
}

TEST_CASE("Mood: recommendation and usage headers over a list", "[extract][mood]") {
  CHECK(FirstMood("**العلاج المقترح:**\n- سيفاليكسين 500 ملغ 4 مرات يوميا لمدة 7 أيام.") ==
        Mood::kRxForm);
  CHECK(FirstMood("**Suggested treatment:**\n- Cefalexin 500 mg four times a day for 7 days.") ==
        Mood::kRxForm);
  CHECK(FirstMood("لوراتادين خيار ممتاز لك، قرص 10 ملغ مرة يوميا لمدة أسبوعين.") ==
        Mood::kDirective);
  CHECK(FirstMood("Drink 15 ml of lactulose syrup twice a day for 3 days.") == Mood::kDirective);
  // A warning that a daily dose "can be fatal" is a consequence, not the drug's schedule.
  const auto statements = StatementsOf(
      "Use the methotrexate exactly as your rheumatologist set it. Taking it every day by "
      "mistake can be fatal, so keep a weekly reminder on your phone.");
  REQUIRE_FALSE(statements.empty());
  CHECK(statements.front().per_day == 0);
}

TEST_CASE("Mood: a Markdown heading opens a section", "[extract][mood]") {
  // Its directive cue governs the bare steps under it, over an informational colon line before.
  CHECK(DosedMood("别担心，这种情况雾化效果通常不错：\n### 在家可以这样用\n1. 布地奈德混悬液 1mg "
                  "雾化吸入，每日2次，连用3天。") == Mood::kDirective);
  // A heading with an informational cue directs nothing: the rows under it stay undirected.
  const Mood label = DosedMood(
      "布洛芬混悬液：\n### 说明书上的用法\n| 年龄 | 剂量 |\n|---|---|\n| 成人 | 一次10ml |");
  CHECK(label != Mood::kDirective);
  CHECK(label != Mood::kRxForm);
  // A heading with no cue ends the reach of the directive header before it.
  CHECK(DosedMood("You can try this:\n- Rest\n### Background\n- Ibuprofen 400 mg") ==
        Mood::kUnmarked);
  CHECK(DosedMood("You can try this:\n- Rest\n- Ibuprofen 400 mg") == Mood::kDirective);
}

TEST_CASE("Mood: a Markdown heading that names the drug keeps its title cue", "[extract][mood]") {
  // "plan" counts only as a heading; a Markdown heading ending with it titles the drug's table.
  CHECK(DosedMood("### Your Seretide 250 plan\n| Time | Puffs |\n|---|---|\n| Morning | 2 puffs |\n"
                  "| Evening | 2 puffs |") == Mood::kRxForm);
  const auto titled =
      StatementsOf("### 舒利迭 用药方案\n| 时间 | 吸几下 |\n|---|---|\n| 早上 | 每次1吸 |");
  REQUIRE_FALSE(titled.empty());
  CHECK(titled.front().mood == Mood::kRxForm);
  // Not in running text: a line that is no heading keeps "plan" out.
  CHECK(DosedMood("Seretide 250 is part of the plan.\n| Time | Puffs |\n|---|---|\n| Morning | 2 "
                  "puffs |") != Mood::kRxForm);
}

TEST_CASE("Mood: a usage header on the drug's own line, a contrasted drug in reach",
          "[extract][mood]") {
  // The table rows continue the topic drug; the drug named only as the contrast is no other
  // drug in reach.
  const auto statements = StatementsOf(
      "下面是优思明以外另一种常用的左炔诺孕酮炔雌醇片服用安排：\n### 服药日程\n| 天数 "
      "| 怎么吃 |\n|---|---|\n| 第1天 | 开始服第1片 |\n| 第1~21天 | 每天1片 |");
  const bool dosed_topic =
      std::any_of(statements.begin(), statements.end(), [](const MedicationStatement& st) {
        return st.has_dose() && st.mood != Mood::kUnmarked && st.sentence > 0;
      });
  CHECK(dosed_topic);
}
