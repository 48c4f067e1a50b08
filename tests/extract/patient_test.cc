// The patient's weight and age as read from a question and its answer (extract/patient.h).
#include "extract/patient.h"

#include <catch2/catch.hpp>
#include <optional>

using medaudit::extract::ReadPatient;

namespace {

struct Case {
  const char* question;  // normalized text
  const char* answer;
  std::optional<double> weight_kg;
  std::optional<double> age_years;
};

}  // namespace

TEST_CASE("ReadPatient: weight and age in zh, en and ar, and what is not a weight or an age") {
  const Case cases[] = {
      {"my son is 15 kg and has a fever", "", 15.0, std::nullopt},
      {"she weighs 33-lb", "", 33 * 0.4536, std::nullopt},
      {"35 pounds, 4 years old", "", 35 * 0.4536, 4.0},
      {"孩子2岁,体重12公斤", "", 12.0, 2.0},
      {"宝宝20斤", "", 10.0, std::nullopt},
      {"ابني وزنه 8 كيلو", "", 8.0, std::nullopt},
      {"ابوي عمره 78 سنه", "", std::nullopt, 78.0},
      {"عندي 70 سنه", "", std::nullopt, 70.0},
      {"a 75-year-old man", "", std::nullopt, 75.0},
      {"my 6-week-old has a fever", "", std::nullopt, 6.0 / 52},
      {"宝宝6周大", "", std::nullopt, 6.0 / 52},
      {"patient aged 82", "", std::nullopt, 82.0},
      // A weight change is not a body weight; a duration is not an age.
      {"i lost 10 kg this year", "", std::nullopt, std::nullopt},
      {"我瘦了5公斤", "", std::nullopt, std::nullopt},
      {"diabetic for 20 years", "", std::nullopt, std::nullopt},
      {"من 3 سنوات عندي ضغط", "", std::nullopt, std::nullopt},
      // A dose per kilogram is not a weight; "dosage 5" is not an age.
      {"give 10 mg/kg", "dosage 5 ml", std::nullopt, std::nullopt},
      // Two different weights (or ages): which is the patient's is unknown.
      {"born at 3 kg, now 6 kg", "", std::nullopt, std::nullopt},
      {"i am 45 years old and my father is 80 years old", "", std::nullopt, std::nullopt},
      // A corrected weight: the one denied is not the patient's.
      {"he is 12 kg, not 20 kg", "", 12.0, std::nullopt},
      {"孩子体重11公斤,不是20公斤", "", 11.0, std::nullopt},
      {"ابني وزنه 12 كغ وليس 20 كغ", "", 12.0, std::nullopt},
      {"she weighs 14 kg instead of 9 kg", "", 14.0, std::nullopt},
      {"a knot 20 kg", "he is 12 kg", std::nullopt, std::nullopt},
      // The same value in the question and the answer is one weight.
      {"he is 12 kg", "for a 12 kg child give 5 ml", 12.0, std::nullopt},
      // Months of age after a third person, a child (zh) or an Arabizi age word; not "months
      // pregnant", and not a bare duration.
      {"she's 18 months and 11 kilos", "", 11.0, 1.5},
      {"he is 9 months, teething", "", std::nullopt, 0.75},
      {"女儿18个月,拉肚子", "", std::nullopt, 1.5},
      {"宝宝5个月了", "", std::nullopt, 5.0 / 12},
      {"ibni 3omro 5 shhor w 3ando ka7a", "", std::nullopt, 5.0 / 12},
      {"binti 3omra 3 sneen", "", std::nullopt, 3.0},
      {"ibni 3omro sana w nos w 3ando es-hal", "", std::nullopt, 1.5},
      {"binti 3omra santen", "", std::nullopt, 2.0},
      {"she's 5 months pregnant", "", std::nullopt, std::nullopt},
      {"i have taken it for 3 months", "", std::nullopt, std::nullopt},
      {"吃了3个月了", "", std::nullopt, std::nullopt},
      // A person with a bare number in brackets or between commas; an adult relative before a
      // number of years (Arabic), from 40 up.
      {"my mother (64) has just been started on methotrexate", "", std::nullopt, 64.0},
      {"dad (81) has bad back pain", "", std::nullopt, 81.0},
      {"mum, 79, has stage 4 kidney disease", "", std::nullopt, 79.0},
      {"nan is 83 with af", "", std::nullopt, 83.0},
      {"my grandad is 79 and can't sleep", "", std::nullopt, 79.0},
      {"gran (88) has insomnia", "", std::nullopt, 88.0},
      {"我爸(81)腰痛", "", std::nullopt, 81.0},
      {"ابوي (81) عنده الم ظهر", "", std::nullopt, 81.0},
      {"جدي 81 عام", "", std::nullopt, 81.0},
      {"بيي 80 سنه وكليته ضعيفه", "", std::nullopt, 80.0},
      {"زوجي 3 سنين بياخد الدوا", "", std::nullopt, std::nullopt},
      {"give dad, 2 tablets", "", std::nullopt, std::nullopt},
      {"see table (81) for details", "", std::nullopt, std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.question, c.answer);
    const auto patient = ReadPatient(c.question, c.answer);
    REQUIRE(patient.weight_kg.has_value() == c.weight_kg.has_value());
    if (c.weight_kg) CHECK(*patient.weight_kg == Approx(*c.weight_kg));
    REQUIRE(patient.age_years.has_value() == c.age_years.has_value());
    if (c.age_years) CHECK(*patient.age_years == Approx(*c.age_years));
  }
}

TEST_CASE("ReadKidneyFunction: clearance numbers, CKD stages and words for impaired kidneys") {
  using medaudit::extract::ReadKidneyFunction;
  struct KidneyCase {
    const char* question;  // normalized text
    std::optional<double> ml_min;
  };
  const KidneyCase cases[] = {
      {"my egfr is 25 and i have nerve pain", 25.0},
      {"crcl of about 40 ml/min", 40.0},
      {"creatinine clearance: 35", 35.0},
      {"肌酐清除率只有30", 30.0},
      {"肾小球滤过率45", 45.0},
      {"تصفيه الكرياتينين ٣٠", std::nullopt},  // not normalized: Arabic digits are not read
      {"تصفيه الكرياتينين 30", 30.0},
      {"i have ckd stage 4", 29.0},
      {"stage 3b chronic kidney disease", 44.0},
      {"ckd3", 59.0},
      {"慢性肾病4期", 29.0},
      {"肾病三期", 59.0},
      {"عندي مرض كلوي المرحله الرابعه", 29.0},
      {"dad is on dialysis", 10.0},
      {"我在做透析", 10.0},
      {"امي على غسيل الكلي", 10.0},
      {"she has kidney failure", 29.0},
      {"老人肾衰", 29.0},
      {"عنده فشل كلوي", 29.0},
      {"renal impairment", 59.0},
      {"我肾功能不全", 59.0},
      {"عندي قصور كلوي", 59.0},
      {"عندي ضعف في الكلي", 59.0},
      // The lowest reading wins.
      {"kidney disease with an egfr of 20", 20.0},
      // Denied, a possible harm, or no clearance at all.
      {"i have no kidney problems", std::nullopt},
      {"can metformin cause kidney failure?", std::nullopt},
      {"没有肾病", std::nullopt},
      {"ما عندي مشاكل في الكلي", std::nullopt},
      {"هل يسبب فشل كلوي", std::nullopt},
      {"creatinine 1.8 mg/dl", std::nullopt},
      {"important to prevent complications like kidney failure", std::nullopt},
      {"预防肾衰竭等并发症", std::nullopt},
      {"family history of kidney disease", std::nullopt},
      {"لتجنب مضاعفات مثل الفشل الكلوي", std::nullopt},
      {"my eyes are fine. she has kidney failure", 29.0},
      {"stage 4 lung cancer", std::nullopt},
      {"肾结石", std::nullopt},
      {"我肾功能正常", std::nullopt},
      // Arabic rate words without the article, and kidney function as a share of normal.
      {"اخر تحليل كلي اظهر معدل ترشيح 20", 20.0},
      {"ترشيح الكلي عنده 24", 24.0},
      {"وظائف الكلي عنده 25% حسب اخر تحليل", 25.0},
      {"الكلي شغاله 20% بس", 20.0},
      {"kidney function is down to 22%", 22.0},
      {"肾功能只剩20%", 20.0},
      // A percentage that is a change, or no percent sign, is not the level.
      {"kidney function dropped by 20% last year", std::nullopt},
      {"肾功能下降了20%", 59.0},  // impaired (a kidney word), not 20
      {"kidney function was checked 10 days ago", std::nullopt},
      // A kidney word at the very end or start of the text (MentionsKidneys' last position).
      {"i have ckd", 59.0},
      {"ckd", 59.0},
      {"肾病", 59.0},
      {"no mention of any organ here", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.question);
    const auto ml_min = ReadKidneyFunction(c.question);
    REQUIRE(ml_min.has_value() == c.ml_min.has_value());
    if (c.ml_min) CHECK(*ml_min == Approx(*c.ml_min));
  }
  // Read from the question only: an answer's advice about kidneys is not the patient.
  CHECK_FALSE(ReadPatient("nerve pain", "if you have kidney failure, take less").kidney_ml_min);
  CHECK(ReadPatient("on dialysis", "").kidney_ml_min == Approx(10));
}
