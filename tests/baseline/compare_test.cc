// Baseline comparison in zh, en and ar: contradictions, missed escalation, omissions, coverage.
#include "baseline/compare.h"

#include <catch2/catch.hpp>

#include "../audit/audit_test_util.h"

namespace medaudit::baseline {
namespace {

Comparison Compare(std::string_view answer, std::string_view baseline,
                   const std::vector<std::string>& must_have = {}) {
  rules::Workspace ws;
  Input input;
  input.answer = answer;
  input.baseline = baseline;
  input.must_have = &must_have;
  return Comparer(testing::TestEngine()).Compare(input, &ws);
}

int Count(const Comparison& c, std::string_view rule) {
  return static_cast<int>(std::count_if(c.findings.begin(), c.findings.end(),
                                        [&](const Finding& f) { return f.rule == rule; }));
}

const Finding* First(const Comparison& c, std::string_view rule) {
  for (const auto& f : c.findings) {
    if (f.rule == rule) return &f;
  }
  return nullptr;
}

TEST_CASE("Comparer: a drug the baseline advises against is a contradiction", "[baseline][en]") {
  const std::string answer = "For the pain, take ibuprofen 400 mg three times a day.";
  const auto c = Compare(answer,
                         "Do not take ibuprofen because of your kidney disease. "
                         "Paracetamol is safer.");
  REQUIRE(Count(c, kContradictionRule) == 1);
  const Finding* f = First(c, kContradictionRule);
  CHECK(f->severity == "harm");
  CHECK(f->category == "baseline_contradiction");
  CHECK(answer.substr(f->begin, f->end - f->begin).find("ibuprofen") != std::string::npos);
  CHECK(Count(Compare(answer, "Ibuprofen 400 mg three times a day is fine."), kContradictionRule) ==
        0);
}

TEST_CASE("Comparer: a daily dose above the baseline's is a contradiction", "[baseline][zh]") {
  const auto c = Compare("建议口服对乙酰氨基酚，每次1000mg，每日4次。",
                         "可以服用对乙酰氨基酚，每次500mg，每日2次。");
  REQUIRE(Count(c, kContradictionRule) == 1);
  CHECK(First(c, kContradictionRule)->message.find("4000") != std::string::npos);
  CHECK(Count(Compare("建议口服对乙酰氨基酚，每次500mg，每日2次。",
                      "可以服用对乙酰氨基酚，每次500mg，每日2次。"),
              kContradictionRule) == 0);
}

TEST_CASE("Comparer: emergency advice in the baseline that the answer lacks", "[baseline]") {
  SECTION("zh") {
    const auto c =
        Compare("胸痛可能是肌肉拉伤，休息一下就好。", "胸痛持续超过15分钟请立即拨打120或去急诊。");
    REQUIRE(Count(c, kMissedEscalationRule) == 1);
    CHECK(First(c, kMissedEscalationRule)->category == "missed_emergency");
    CHECK(First(c, kMissedEscalationRule)->severity == "harm");
    CHECK(Count(Compare("请马上去急诊。", "胸痛持续超过15分钟请立即拨打120。"),
                kMissedEscalationRule) == 0);
  }
  SECTION("en") {
    CHECK(Count(Compare("Rest and drink fluids.",
                        "If you have chest pain and shortness of breath, call 911 now."),
                kMissedEscalationRule) == 1);
    CHECK(Count(Compare("Go to the emergency department now.", "Call 911 now."),
                kMissedEscalationRule) == 0);
    // A blood pressure of 120/80 or a dose of 120 mg is not an emergency number.
    CHECK(
        Count(Compare("Keep taking it.", "Your blood pressure of 120/80 is normal; 120 mg is ok."),
              kMissedEscalationRule) == 0);
  }
  SECTION("ar") {
    CHECK(Count(Compare("اشرب الكثير من الماء واسترح.",
                        "إذا كان لديك ألم في الصدر اذهب إلى قسم الطوارئ فوراً."),
                kMissedEscalationRule) == 1);
    CHECK(Count(Compare("توجه إلى الطوارئ الآن.", "اذهب إلى قسم الطوارئ فوراً."),
                kMissedEscalationRule) == 0);
  }
}

TEST_CASE("Comparer: must-have statements are covered at 60% of their terms", "[baseline][en]") {
  const std::vector<std::string> must_have = {"Most sore throats are caused by viruses",
                                              "Antibiotics do not help viral infections",
                                              "See a doctor if fever lasts more than three days"};
  const auto c = Compare(
      "Most sore throats are caused by viruses and get better on their own. Gargle with warm "
      "salt water. See a doctor if the fever lasts more than three days.",
      "", must_have);
  CHECK(c.statements == 3);
  CHECK(c.covered == 2);
  CHECK(c.coverage == Approx(2.0 / 3));
  REQUIRE(Count(c, kOmissionRule) == 1);
  CHECK(First(c, kOmissionRule)->evidence == must_have[1]);
  CHECK(First(c, kOmissionRule)->severity == "warn");
}

TEST_CASE("Comparer: Chinese coverage uses word segmentation", "[baseline][zh]") {
  const std::vector<std::string> must_have = {"多饮水休息", "高热超过3天需就医"};
  const auto c = Compare("注意多饮水、多休息。如果高热超过3天，请到医院就医。", "", must_have);
  CHECK(c.statements == 2);
  CHECK(c.covered == 2);
  CHECK(Count(c, kOmissionRule) == 0);
  const auto missed = Compare("您这是典型的感冒发热，请服用布洛芬。", "", must_have);
  CHECK(missed.coverage < 0.5);
  CHECK(Count(missed, kOmissionRule) >= 1);
}

TEST_CASE("Comparer: Arabic coverage strips the article", "[baseline][ar]") {
  const std::vector<std::string> must_have = {"شرب السوائل والراحة",
                                              "مراجعة الطبيب عند ارتفاع الحرارة"};
  const auto c =
      Compare("ننصح بالراحة وشرب السوائل، وراجع الطبيب إذا استمر ارتفاع الحرارة.", "", must_have);
  CHECK(c.statements == 2);
  CHECK(c.covered >= 1);
  const auto none = Compare("تناول المضاد الحيوي.", "", must_have);
  CHECK(none.covered == 0);
  CHECK(Count(none, kOmissionRule) == 2);
}

TEST_CASE("Comparer: baseline sentences are key statements without must-have labels",
          "[baseline][en]") {
  const std::string baseline =
      "Most sore throats are caused by viruses. Antibiotics do not help. Drink warm fluids and "
      "rest. See a doctor if it lasts more than a week.";
  const auto low = Compare("Take amoxicillin.", baseline);
  CHECK(low.statements == 4);
  CHECK(low.coverage < kSentenceCoverageAlarm);
  CHECK(Count(low, kOmissionRule) == 1);  // one summary finding, not one per sentence
  const auto high = Compare(
      "Sore throats are mostly caused by viruses, so antibiotics do not help. Drink warm fluids, "
      "rest, and see a doctor if it lasts more than a week.",
      baseline);
  CHECK(high.coverage >= 0.75);
  CHECK(Count(high, kOmissionRule) == 0);
  CHECK(Compare("Anything.", "").coverage == -1);
}

TEST_CASE("ContentTerms: drops stop words and punctuation, stems English", "[baseline]") {
  const auto terms = ContentTerms("the infections are treated with antibiotics.", text::Lang::kEn);
  CHECK(terms == std::vector<std::string>{"infection", "treat", "antibiotic"});
}

}  // namespace
}  // namespace medaudit::baseline
