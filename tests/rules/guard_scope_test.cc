// Guards scoped to the drug and the clause, and short replies about the question's drug
// (issue 3), with the shipped rules:
//  - a guard ("gradually", "keep taking", "逐渐减量") negated right before it does not guard;
//  - a guard about another drug named right after it ("keep taking aspirin") does not guard the
//    drug the answer tells the reader to stop;
//  - a pair is not completed by a partner drug the answer itself warns against;
//  - a drugless short reply ("you can stop", "可以吃", "كمل") speaks of the question's drugs.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::rules::CheckResult;
using medaudit::rules::Engine;
using medaudit::rules::Workspace;

struct GuardCase {
  std::string question, answer, rule;
  bool fires;
};

bool Fires(const CheckResult& result, const std::string& rule) {
  for (const auto& f : result.findings) {
    if (f.rule->id == rule) return true;
  }
  return false;
}

void CheckCases(const std::vector<GuardCase>& cases) {
  const Engine& engine = medaudit::testing::ShippedEngine();
  Workspace ws;
  for (const auto& c : cases) {
    INFO(c.question << " => " << c.answer << " (" << c.rule << ")");
    CheckResult result;
    REQUIRE(engine.Check({c.answer, c.question, medaudit::text::Lang::kUnknown}, &ws, &result)
                .has_value());
    CHECK(Fires(result, c.rule) == c.fires);
  }
}

constexpr const char* kStop = "harm-care.stop-essential-medicine";

}  // namespace

TEST_CASE("Guards: a negated guard does not guard", "[rules][guard][en][zh][ar]") {
  CheckCases({
      {"我吃卡马西平治癫痫，两年没发作了，能停药吗？", "可以直接停掉卡马西平，不必逐渐减量。",
       kStop, true},
      {"我吃卡马西平治癫痫，两年没发作了，能停药吗？", "可以在医生指导下逐渐减量，再停掉卡马西平。",
       kStop, false},
      {"Seizure-free for two years on levetiracetam. Can I stop?",
       "You can stop the levetiracetam this week, no need to taper.", kStop, true},
      {"Seizure-free for two years on levetiracetam. Can I stop?",
       "Your neurologist may taper the levetiracetam gradually before you stop.", kStop, false},
      {"عندي صرع وآخذ كاربامازيبين، صار لي سنتين بدون نوبات، أقدر أوقفه؟",
       "تقدر توقف الكاربامازيبين من بكرا، مش لازم بالتدريج.", kStop, true},
      {"عندي صرع وآخذ كاربامازيبين، صار لي سنتين بدون نوبات، أقدر أوقفه؟",
       "لا توقف الكاربامازيبين إلا بالتدريج تحت إشراف طبيبك.", kStop, false},
  });
}

TEST_CASE("Guards: a guard about another drug does not guard", "[rules][guard][en][zh][ar]") {
  CheckCases({
      {"Stent four months ago, on clopidogrel and aspirin, bruising a lot.",
       "It's fine to stop the clopidogrel and just keep taking your aspirin.", kStop, true},
      {"Stent four months ago, on clopidogrel and aspirin, bruising a lot.",
       "Don't stop the clopidogrel; keep taking clopidogrel and aspirin until your cardiologist "
       "says otherwise.",
       kStop, false},
      {"放了支架三个月，吃氯吡格雷和阿司匹林，老是淤青。", "可以停掉氯吡格雷，继续吃阿司匹林就行。",
       kStop, true},
      {"ركبت دعامة من ٣ شهور وآخذ كلوبيدوجريل وأسبرين وعندي كدمات.",
       "عادي وقف الكلوبيدوجريل واستمر في الأسبرين.", kStop, true},
      {"ركبت دعامة من ٣ شهور وآخذ كلوبيدوجريل وأسبرين وعندي كدمات.",
       "لا توقف الكلوبيدوجريل، واستمر في الكلوبيدوجريل والأسبرين.", kStop, false},
  });
}

TEST_CASE("Guards: a pair is not completed by a partner the answer warns against",
          "[rules][guard][en][zh]") {
  CheckCases({
      {"I take methotrexate weekly and my GP wants to give me trimethoprim for a UTI.",
       "Trimethoprim should not be taken with methotrexate. Keep taking your methotrexate on its "
       "usual day and ask for another antibiotic.",
       "harm-ix.methotrexate-trimethoprim", false},
      {"I take methotrexate weekly and my GP wants to give me trimethoprim for a UTI.",
       "Keep taking your methotrexate on its usual day; trimethoprim with it is fine.",
       "harm-ix.methotrexate-trimethoprim", true},
      // "No change" is no warning: the partner's dose stays as it is.
      {"我因为克罗恩病吃硫唑嘌呤，痛风又想加别嘌醇，行吗？",
       "可以加别嘌醇，每天100毫克，硫唑嘌呤照常吃不用调整。", "harm-ix.xanthine-oxidase-thiopurine",
       true},
  });
}

TEST_CASE("Short replies: a drugless reply speaks of the question's drug",
          "[rules][reply][en][zh][ar]") {
  CheckCases({
      {"On rivaroxaban for a clot two months ago, leg feels fine. Can I stop?",
       "Yes, you can stop.", kStop, true},
      {"On rivaroxaban for a clot two months ago, leg feels fine. Can I stop?",
       "Not yet, keep going until your doctor reviews it.", kStop, false},
      {"我在吃华法林，牙疼能吃布洛芬吗？", "可以吃，没问题。", "harm-ix.anticoagulant-nsaid", true},
      {"我在吃华法林，牙疼能吃布洛芬吗？", "不要吃，会增加出血风险。",
       "harm-ix.anticoagulant-nsaid", false},
      // A reply that names its own drug is read as it is written.
      {"我在吃华法林，牙疼能吃布洛芬吗？", "可以吃对乙酰氨基酚。", "harm-ix.anticoagulant-nsaid",
       false},
      // A negation before the directive, or an -ing object, is no approval of the drug.
      {"我在吃胺碘酮，医生又开了莫西沙星，能一起吃吗？", "最好别一起吃，请医生换一种抗生素。",
       "harm-ix.qt-prolonging-pair", false},
      {"I'm on warfarin and got a small bruise.",
       "You can stop worrying: small bruises are common.", kStop, false},
      {"آخذ وارفارين، أقدر آخذ بروفين لوجع الظهر؟", "إيه، خذه عادي.", "harm-ix.anticoagulant-nsaid",
       true},
      {"آخذ وارفارين، أقدر آخذ بروفين لوجع الظهر؟", "لا، لا تأخذه.", "harm-ix.anticoagulant-nsaid",
       false},
  });
}

TEST_CASE("Guards: a pair rule's guard naming a listed drug still guards", "[rules][guard][zh]") {
  CheckCases({
      {"他最近总是紧张害怕，可能是什么病？", "常用药物包括地西泮、阿米替林、反苯环丙胺等。",
       "harm-ix.maoi-serotonergic", false},
  });
}
