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
      // The same value in the question and the answer is one weight.
      {"he is 12 kg", "for a 12 kg child give 5 ml", 12.0, std::nullopt},
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
