// Dose reading that the overdose limits depend on (extract/dose_context.h): a count that belongs
// to an alternative made of smaller units, and a bare strength after a drug's name in the answer.
#include <catch2/catch.hpp>

#include "extract/dose_context.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace {

// The amount one administration of the first answer statement about `id` comes to, in mg
// (strength times count), or -1 when there is no such statement or no mass dose.
double SingleMg(const char* question, const char* answer, const char* id) {
  const auto statements = medaudit::testing::CheckedStatements(question, answer, id);
  if (statements.empty()) return -1;
  const auto& st = statements.front();
  if (!st.dose || st.dose->kind != medaudit::text::UnitKind::kMass) return -1;
  return st.dose->HighInBase() * (st.count_dose ? st.count_dose->high : 1);
}

}  // namespace

TEST_CASE("An alternative made of smaller units is the same dose, not a count of it") {
  CHECK(SingleMg("chest pain", "Chew 300 mg aspirin (or four 81 mg tablets) now.", "aspirin") ==
        Approx(300));
  CHECK(SingleMg("chest pain", "Chew 325 mg aspirin, or 4 x 81 mg tablets, now.", "aspirin") ==
        Approx(325));
  CHECK(SingleMg("胸痛", "嚼服阿司匹林300毫克（或者4片81毫克的）。", "aspirin") == Approx(300));
  CHECK(SingleMg("ألم صدر", "امضغ ٣٠٠ ملغ أسبرين (أو ٤ حبات ٨١ ملغ) فورا", "aspirin") ==
        Approx(300));
  // A real count of the stated strength stays.
  CHECK(SingleMg("headache", "Take aspirin 300 mg, two tablets every 4 hours.", "aspirin") ==
        Approx(600));
}

TEST_CASE("A bare number after a drug's name in the answer is its strength in mg") {
  CHECK(SingleMg("back pain", "خد فولتارين ١٠٠ تلات مرات في اليوم", "diclofenac") == Approx(100));
  CHECK(SingleMg("back pain", "Take Voltaren 100 three times a day.", "diclofenac") == Approx(100));
  CHECK(SingleMg("腰痛", "扶他林100，一天三次", "diclofenac") == Approx(100));
  // Above the drug's adult maximum the number is no strength in mg (levothyroxine in micrograms).
  CHECK(SingleMg("thyroid", "Take Euthyrox 100 every morning.", "levothyroxine") == -1);
  // A count after a Chinese name stays a count ("布洛芬2片").
  CHECK(SingleMg("头痛", "布洛芬2片，一天三次", "ibuprofen") != Approx(2));
  // A number that counts occasions or a period is no strength.
  CHECK(SingleMg("asthma", "You used Ventolin 6 times last week.", "salbutamol") == -1);
  CHECK(SingleMg("ربو", "استعملت الفنتولين ٦ مرات الأسبوع الماضي", "salbutamol") == -1);
  CHECK(SingleMg("pain", "She has taken Panadol 3 days in a row.", "paracetamol") == -1);
}

TEST_CASE("A frequency inside a course's length is no schedule ('for a week')", "[extract][en]") {
  using medaudit::testing::CheckedStatements;
  const auto course = CheckedStatements("sprain", "Take ibuprofen 400 mg for a week.", "ibuprofen");
  REQUIRE(course.size() == 1);
  CHECK(course[0].per_day == 0);  // not one dose every seven days
  CHECK(course[0].duration_days == Approx(7));
  const auto weekly =
      CheckedStatements("osteoporosis", "Take alendronate 70 mg a week.", "alendronate");
  REQUIRE(weekly.size() == 1);
  CHECK(weekly[0].per_day == Approx(1.0 / 7));
  const auto both = CheckedStatements(
      "sprain", "Take ibuprofen 800 mg three times a day for a week.", "ibuprofen");
  REQUIRE(both.size() == 1);
  CHECK(both[0].per_day == Approx(3));
}
