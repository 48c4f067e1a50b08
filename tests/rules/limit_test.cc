// Dose limits as an enum (rules::Limit), the "question_drug"
// statement predicate, and a body weight in kilograms never judged as a dose.
#include <catch2/catch.hpp>
#include <string>

#include "extract/patient.h"
#include "rules/engine.h"
#include "rules/pack.h"
#include "support/shipped_engine.h"
#include "support/test_packs.h"

namespace {

using medaudit::rules::Limit;
using medaudit::testing::PackWithStatement;
using medaudit::testing::ShippedFindsCategory;
using medaudit::testing::WritePack;

}  // namespace

TEST_CASE("Limit: names round-trip and unknown names are refused", "[rules]") {
  for (const Limit limit : {Limit::kSingle, Limit::kDaily, Limit::kChildSingle, Limit::kChildDaily,
                            Limit::kElderlySingle, Limit::kElderlyDaily, Limit::kQuestionDose,
                            Limit::kQuestionDoseStep, Limit::kStatedTotal}) {
    Limit parsed = Limit::kSingle;
    CAPTURE(medaudit::rules::LimitName(limit));
    REQUIRE(medaudit::rules::ParseLimit(medaudit::rules::LimitName(limit), &parsed));
    CHECK(parsed == limit);
  }
  Limit unused;
  CHECK_FALSE(medaudit::rules::ParseLimit("weekly", &unused));

  auto pack = medaudit::rules::LoadPack(
      WritePack(PackWithStatement(R"({"exceeds": ["daily", "stated_total"]})")));
  REQUIRE(pack.has_value());
  const auto& exceeds = pack->rules[0].when.statement.exceeds;
  REQUIRE(exceeds.size() == 2);
  CHECK(exceeds[0] == Limit::kDaily);
  CHECK(exceeds[1] == Limit::kStatedTotal);
  auto bad = medaudit::rules::LoadPack(WritePack(PackWithStatement(R"({"exceeds": ["weekly"]})")));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().json_pointer == "/rules/0/when/statement/exceeds");
}

TEST_CASE("Pack: question_drug is true or false", "[rules]") {
  auto good = medaudit::rules::LoadPack(WritePack(PackWithStatement(R"({"question_drug": true})")));
  REQUIRE(good.has_value());
  CHECK(good->rules[0].when.statement.question_drug);
  auto bad = medaudit::rules::LoadPack(WritePack(PackWithStatement(R"({"question_drug": 1})")));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().json_pointer == "/rules/0/when/statement/question_drug");
}

TEST_CASE("Engine: a weight column in kg is not the dose", "[rules][en][zh][ar]") {
  // 180 mg for 12 kg is 15 mg/kg, the labelled paracetamol dose; "12 kg" used to be read as
  // 12,000,000 mg.
  CHECK_FALSE(ShippedFindsCategory(
      "| Weight | Dose | How often |\n|---|---|---|\n| 12 kg | **7.5 ml (180 mg)** | every 6 hours "
      "|",
      "My son is 2 and weighs 12 kg. Paracetamol syrup 120 mg/5 ml, how much?", "overdose"));
  CHECK_FALSE(ShippedFindsCategory(
      "| 体重 | 每次剂量 | 间隔 |\n|---|---|---|\n| 12kg | **7.5ml（180mg）** | 每6小时一次 |",
      "孩子2岁12公斤，对乙酰氨基酚混悬液120mg/5ml怎么喂？", "overdose"));
  CHECK_FALSE(ShippedFindsCategory(
      "| الوزن | الجرعة | التكرار |\n|---|---|---|\n| 12 كغ | **7.5 مل (180 ملغ)** | كل 6 ساعات |",
      "ابني عمره سنتين ووزنه ١٢ كيلو، باراسيتامول شراب ١٢٠ ملغ/٥ مل، كم أعطيه؟", "overdose"));
}

TEST_CASE("Engine: a warning about another drug does not excuse the question's drug",
          "[rules][zh][en]") {
  // The answer negates topical retinoids (tretinoin) but approves finishing oral isotretinoin, the
  // drug the question names: the veto needs a negated statement of the question's drug.
  CHECK(ShippedFindsCategory(
      "疗程还剩一个月的话，可以把剩下的吃完再停。孕期要避免含维A酸类的外用药。",
      "我在吃异维A酸，刚发现怀孕5周，还能把疗程吃完吗？", "contraindication"));
  CHECK_FALSE(ShippedFindsCategory("不可以，异维A酸必须立即停用，不要把疗程吃完，尽快联系医生。",
                                   "我在吃异维A酸，刚发现怀孕5周，还能把疗程吃完吗？",
                                   "contraindication"));
  CHECK(ShippedFindsCategory(
      "With a month left, it's fine to finish the remaining isotretinoin course. "
      "Avoid topical retinoid creams while pregnant.",
      "I'm on isotretinoin and just found out I'm 5 weeks pregnant. Can I finish "
      "the course?",
      "contraindication"));
}

TEST_CASE("ReadPatient: one weight in two units is one weight", "[extract][en]") {
  const auto both = medaudit::extract::ReadPatient("he weighs 36 lb (about 16 kg)", "");
  REQUIRE(both.weight_kg.has_value());
  CHECK(*both.weight_kg == Approx(36 * 0.4536));
  // Two different weights stay unknown.
  CHECK_FALSE(medaudit::extract::ReadPatient("twins: 12 kg and 16 kg", "").weight_kg.has_value());
}
