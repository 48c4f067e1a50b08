// Mood concepts: a disclaimer ("I'm not a doctor", "作为AI助手", "لست
// طبيبا"; grammar cue type `disclaimer`) says what the answer is: it sets no mood, so the
// directive after it still directs, while an actual refusal to prescribe or to set a dose (cue
// type `refusal`) governs what it refuses. A prescription received, on file or quoted from another
// doctor (pharmacy and follow-up programme voice; `history` cues) is history.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/statements.h"

using medaudit::extract::MedicationStatement;
using medaudit::extract::Mood;

using medaudit::testing::AnyDosedWith;
using medaudit::testing::StatementsOf;

TEST_CASE("A disclaimer sets no mood: the directive after it directs", "[extract][zh][en][ar]") {
  CHECK(
      AnyDosedWith("As an AI I'd go with option two: take naproxen 250 mg twice a day for 5 days.",
                   Mood::kDirective));
  CHECK(AnyDosedWith("我是AI，仅供参考：外用丁酸氢化可的松乳膏，每日2次，连用7天。",
                     Mood::kDirective));
  CHECK_FALSE(AnyDosedWith(
      "作为AI助手不能替代医生面诊，综合来看第二种更适合您：孟鲁司特钠10mg，每晚一次，连用4周。",
      Mood::kNegated));
  CHECK(AnyDosedWith("لست طبيباً وأنصحك بتناول لوراتادين 10 ملغ مرة يومياً لمدة أسبوعين.",
                     Mood::kDirective));
}

TEST_CASE("A refusal to set a dose still governs what it refuses", "[extract][zh][en]") {
  CHECK_FALSE(
      AnyDosedWith("我无法为您确定具体剂量，布洛芬每次200mg还是400mg需要医生根据您的情况决定。",
                   Mood::kDirective));
}

TEST_CASE("A received or on-file prescription is history", "[extract][zh][en][ar]") {
  CHECK(
      AnyDosedWith("We've received the e-script from Dr Patel for amoxicillin 500 mg capsules: the "
                   "directions on the script are one capsule three times a day for 7 days.",
                   Mood::kHistory));
  CHECK(AnyDosedWith("已经收到您发来的电子处方：氯沙坦钾片 50mg，处方上写的是每日1次。",
                     Mood::kHistory));
  CHECK(AnyDosedWith("وصلتنا روشتتك: أوجمنتين 1 غ مرتين يومياً لمدة أسبوع.", Mood::kHistory));
  // The assistant's own directive after it keeps its reading.
  CHECK(
      AnyDosedWith("We've received the e-script from Dr Patel. Please also take omeprazole 20 mg "
                   "once daily before breakfast for 4 weeks.",
                   Mood::kDirective));
}
