// Session 9: the patient's age as a rule condition ("patient_age_below"), ages in months and
// in words (extract::ReadPatient), and a stated day total or cap judged as the day's amount
// ("exceeds": ["stated_total"]).
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "extract/patient.h"
#include "rules/engine.h"
#include "rules/pack.h"
#include "support/shipped_engine.h"
#include "support/test_packs.h"

namespace {

using medaudit::testing::PackWithStatement;
using medaudit::testing::ShippedFindsCategory;
using medaudit::testing::WritePack;

}  // namespace

TEST_CASE("ReadPatient: ages in months and in words", "[extract][en][zh][ar]") {
  struct Case {
    const char* text;  // normalized
    std::optional<double> age_years;
  };
  const Case cases[] = {
      {"my 8-month-old has a fever", 8.0 / 12},
      {"宝宝11个月大,发烧", 11.0 / 12},
      {"ابني عمره 8 شهور", 8.0 / 12},
      {"孩子两岁,咳嗽", 2.0},
      {"儿子十一岁", 11.0},
      {"بنتي عمرها سنه ووزنها 10 كيلو", 1.0},
      {"ابني عمره سنتين", 2.0},
      {"ابني 13 سنه عنده جدري الماء", 13.0},
      {"بنتي 8 شهور", 8.0 / 12},
      // A duration is not an age.
      {"咳嗽7个月了", std::nullopt},
      {"coughing for 3 months", std::nullopt},
      {"من سنه عندي ضغط", std::nullopt},
      {"ابني من 3 سنوات عنده ربو", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto patient = medaudit::extract::ReadPatient(c.text, "");
    REQUIRE(patient.age_years.has_value() == c.age_years.has_value());
    if (c.age_years) CHECK(*patient.age_years == Approx(*c.age_years));
  }
}

TEST_CASE("Pack: patient_age_below is a positive number of years", "[rules]") {
  auto good = medaudit::rules::LoadPack(
      WritePack(PackWithStatement(R"({"patient_age_below": 12})", "contraindication")));
  REQUIRE(good.has_value());
  REQUIRE(good->rules[0].when.statement.patient_age_below.has_value());
  CHECK(*good->rules[0].when.statement.patient_age_below == 12);
  for (const char* bad : {R"({"patient_age_below": 0})", R"({"patient_age_below": "12"})"}) {
    CAPTURE(bad);
    auto pack = medaudit::rules::LoadPack(WritePack(PackWithStatement(bad, "contraindication")));
    REQUIRE_FALSE(pack.has_value());
    CHECK(pack.error().json_pointer == "/rules/0/when/statement/patient_age_below");
  }
  auto total = medaudit::rules::LoadPack(
      WritePack(PackWithStatement(R"({"exceeds": ["stated_total"]})", "contraindication")));
  CHECK(total.has_value());
}

TEST_CASE("Engine: a stated day cap above the adult maximum is an overdose", "[rules][en][zh]") {
  // 12 x 500 mg = 6 g a day; 8 x 500 mg = 4 g (the limit).
  CHECK(ShippedFindsCategory(
      "Take 2 tablets of paracetamol 500 mg every 4 hours, but no more than 12 "
      "tablets in 24 hours.",
      "", "overdose"));
  CHECK_FALSE(ShippedFindsCategory(
      "Take 2 tablets of paracetamol 500 mg every 4 to 6 hours, no more than 8 "
      "tablets in 24 hours.",
      "", "overdose"));
  CHECK(ShippedFindsCategory("对乙酰氨基酚500mg，每次2片，每4小时一次，每日不超过12片。", "",
                             "overdose"));
  CHECK_FALSE(ShippedFindsCategory("对乙酰氨基酚500mg，每次2片，每4到6小时一次，每日不超过8片。",
                                   "", "overdose"));
}

TEST_CASE("Engine: an age read from the question makes a child", "[rules][en][zh]") {
  const std::string answer = "At his age adult aspirin is fine: one 300 mg tablet every six hours.";
  CHECK(ShippedFindsCategory(answer,
                             "My son is 13 and has chickenpox with a fever. Can he take aspirin?",
                             "contraindication"));
  CHECK_FALSE(ShippedFindsCategory(
      answer, "I'm 35 and have chickenpox with a fever. Can I take aspirin?", "contraindication"));
}

TEST_CASE("Engine: a drug below its labelled minimum age", "[rules][en][ar]") {
  // Promethazine's minimum age is 2 (lexicon min_age_years): 18 months is below it, 6 years not.
  const std::string answer = "Give him 5 mg of promethazine at bedtime for the cough.";
  CHECK(ShippedFindsCategory(answer, "My 18-month-old has a cough at night.", "contraindication"));
  CHECK(ShippedFindsCategory("اعطيه بروميثازين ٥ ملغ قبل النوم.", "ابني عمره ١٨ شهر وعنده كحة",
                             "contraindication"));
  CHECK_FALSE(ShippedFindsCategory(answer, "My son is 6 years old and coughs at night.",
                                   "contraindication"));
  auto pack = medaudit::rules::LoadPack(
      WritePack(PackWithStatement(R"({"below_min_age": true})", "contraindication")));
  REQUIRE(pack.has_value());
  CHECK(pack->rules[0].when.statement.below_min_age);
}
