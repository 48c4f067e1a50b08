// Doses completed from the rest of the text (extract/dose_context.h).
#include "extract/dose_context.h"

#include <catch2/catch.hpp>

#include "rules/engine.h"
#include "support/shipped_engine.h"

using medaudit::extract::FindConcentrations;

TEST_CASE("FindConcentrations: mass per volume in zh, en and ar") {
  CHECK(FindConcentrations("children's tylenol 160 mg/5 ml") == std::vector<double>{32});
  CHECK(FindConcentrations("120mg in 5ml suspension") == std::vector<double>{24});
  CHECK(FindConcentrations("drops 100 mg per ml") == std::vector<double>{100});
  CHECK(FindConcentrations("美林(布洛芬混悬液100mg/5ml)") == std::vector<double>{20});
  CHECK(FindConcentrations("بروفين شراب (100 ملغ/5 مل)") == std::vector<double>{20});
  CHECK(FindConcentrations("0.5 g/10 ml") == std::vector<double>{50});
  // A dose with a frequency, a dose per kilogram and a plain volume are not concentrations.
  CHECK(FindConcentrations("500 mg every 6 hours").empty());
  CHECK(FindConcentrations("10 mg/kg").empty());
  CHECK(FindConcentrations("take 5 ml twice a day").empty());
}

namespace {

// The first answer statement about the lexicon drug `id` after checking answer and question.
const medaudit::extract::MedicationStatement* Checked(const char* question, const char* answer,
                                                      const char* id,
                                                      medaudit::rules::Workspace* ws) {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::CheckResult result;
  REQUIRE(engine.Check({answer, question}, ws, &result).has_value());
  const auto drug = engine.lexicon().Find(id);
  REQUIRE(drug);
  for (const auto& st : ws->statements) {
    if (st.drug == *drug) return &st;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("CompleteDoses: a syrup volume becomes millilitres times the stated concentration") {
  medaudit::rules::Workspace ws;
  const auto* st = Checked("My daughter has a fever. We have ibuprofen syrup 100 mg/5 mL.",
                           "Give her 10 mL of ibuprofen every 6 hours.", "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  REQUIRE(st->count_dose);
  CHECK(st->dose->HighInBase() == Approx(20));
  CHECK(st->count_dose->HighInBase() == Approx(10));
  // Two different concentrations in the question: which syrup is meant is unknown.
  st = Checked("We have ibuprofen 100 mg/5 mL and 200 mg/5 mL.",
               "Give her 10 mL of ibuprofen every 6 hours.", "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->kind == medaudit::text::UnitKind::kVolume);
}

TEST_CASE("CompleteDoses: a count with no strength takes the question's strength of the drug") {
  medaudit::rules::Workspace ws;
  const auto* st = Checked("I have diclofenac 50 mg for my knee.",
                           "Take 2 tablets of diclofenac four times a day.", "diclofenac", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(50));
}

TEST_CASE("CompleteDoses: a heading's concentration with a millilitre dose line under it") {
  medaudit::rules::Workspace ws;
  // The heading names the syrup and its strength; the dose line gives only millilitres.
  const auto* st = Checked("My son is 4 and weighs 16 kg. He has a fever.",
                           "### Children's Advil (100 mg/5 mL)\n- Dose: 10 mL\n- How often: every "
                           "6 hours",
                           "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  REQUIRE(st->count_dose);
  CHECK(st->dose->HighInBase() == Approx(20));
  CHECK(st->count_dose->HighInBase() == Approx(10));
  // In Chinese the heading is a statement of its own; the one with the dose line is later.
  REQUIRE(Checked("宝宝4个月，6公斤，发烧",
                  "**美林(布洛芬混悬滴剂 40 mg/ml)：**\n- 每次喂 3 ml；每6小时可重复", "ibuprofen",
                  &ws) != nullptr);
  st = nullptr;
  for (const auto& s : ws.statements) {
    if (s.count_dose) st = &s;
  }
  REQUIRE(st != nullptr);
  CHECK(st->dose->HighInBase() == Approx(40));
  CHECK(st->count_dose->HighInBase() == Approx(3));
  // Two different volumes: which one is the dose is unknown, and the heading's mass stays.
  st = Checked("My son is 4 and weighs 16 kg. He has a fever.",
               "### Children's Advil (100 mg/5 mL)\n- Dose: 5 mL or 10 mL\n- How often: every 6 "
               "hours",
               "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(100));
  CHECK_FALSE(st->count_dose);
}

TEST_CASE("CompleteDoses: 'N mg tablets' in the question is the strength, not a count of N") {
  medaudit::rules::Workspace ws;
  const auto* st = Checked("I was given diclofenac 50 mg tablets for my back.",
                           "Take 2 tablets of diclofenac three times a day.", "diclofenac", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->kind == medaudit::text::UnitKind::kMass);
  CHECK(st->dose->HighInBase() == Approx(50));
  st = Checked("I take sumatriptan 50 mg tablets for migraine.",
               "Take 2 tablets of sumatriptan at onset.", "sumatriptan", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(50));
}
