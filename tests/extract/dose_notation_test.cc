// Dose notations of weight-based, divided and changed regimens (extract/attach.cc): amounts per
// kilogram ("10 mg/kg", "每公斤体重10mg", "١٠ ملغ/كغ"), a day's amount divided into doses ("90
// mg/kg/day divided into 2 doses", "分3次", "مقسمة على جرعتين"), the water a sachet is mixed in
// (no dose), a change "from 20 units to 18 units" and the regimen replaced ("instead of 300 mg
// three times a day", "而不是每天3次", "بدلا من ٣ مرات").
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "extract/statement.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::MedicationStatement;
using medaudit::testing::StatementsIn;

// A copy of the first statement with a dose (none when there is none): the statements are a
// temporary of the caller's expression.
std::optional<MedicationStatement> Dosed(const std::vector<MedicationStatement>& sts) {
  for (const auto& st : sts) {
    if (st.has_dose()) return st;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("Dose notation: amounts per kilogram of body weight", "[extract][dose_notation]") {
  for (
      const char* text : {
          "Give your son ibuprofen 10 mg/kg every 8 hours as needed.",
          "Give him ibuprofen 10 mg per kg every 8 hours.",
          "\xE7\xBB\x99\xE5\xAD\xA9\xE5\xAD\x90\xE5\x90\x83\xE5\xB8\x83\xE6\xB4\x9B\xE8\x8A\xAC\xEF"
          "\xBC\x8C\xE6\xAF\x8F\xE5\x85\xAC\xE6\x96\xA4\xE4\xBD\x93\xE9\x87\x8D"
          "10mg\xEF\xBC\x8C\xE6"
          "\xAF\x8F"
          "8\xE5\xB0\x8F\xE6\x97\xB6\xE4\xB8\x80\xE6\xAC\xA1\xE3\x80\x82",  // 给孩子吃布洛芬，每公斤体重10mg，每8小时一次。
          "\xE5\xB8\x83\xE6\xB4\x9B\xE8\x8A\xAC\xE6\x8C\x89"
          "10mg/kg\xE7\xBB\x99\xE8\x8D\xAF\xEF"
          "\xBC\x8C\xE6\xAF\x8F"
          "8\xE5\xB0\x8F\xE6\x97\xB6\xE4\xB8\x80\xE6\xAC\xA1\xE3\x80\x82",  // 布洛芬按10mg/kg给药，每8小时一次。
          "\xD8\xA3\xD8\xB9\xD8\xB7\xD9\x90 \xD8\xB7\xD9\x81\xD9\x84\xD9\x83 "
          "\xD8\xA5\xD9\x8A\xD8\xA8"
          "\xD9\x88\xD8\xA8\xD8\xB1\xD9\x88\xD9\x81\xD9\x8A\xD9\x86 \xD9\xA1\xD9\xA0 "
          "\xD9\x85\xD9\x84"
          "\xD8\xBA/\xD9\x83\xD8\xBA \xD9\x83\xD9\x84 \xD9\xA8 "
          "\xD8\xB3\xD8\xA7\xD8\xB9\xD8\xA7\xD8\xAA.",  // أعطِ طفلك إيبوبروفين ١٠ ملغ/كغ كل ٨ ساعات.
          "\xD8\xA3\xD8\xB9\xD8\xB7\xD9\x87 "
          "\xD8\xA5\xD9\x8A\xD8\xA8\xD9\x88\xD8\xA8\xD8\xB1\xD9\x88"
          "\xD9\x81\xD9\x8A\xD9\x86 10 \xD9\x85\xD9\x84\xD8\xBA \xD9\x84\xD9\x83\xD9\x84 "
          "\xD9\x83\xD9"
          "\x8A\xD9\x84\xD9\x88\xD8\xBA\xD8\xB1\xD8\xA7\xD9\x85 \xD9\x83\xD9\x84 8 \xD8\xB3\xD8\xA7"
          "\xD8\xB9\xD8\xA7\xD8\xAA.",  // أعطه إيبوبروفين 10 ملغ لكل كيلوغرام كل 8 ساعات.
      }) {
    INFO(text);
    const auto st = Dosed(StatementsIn(text, "ibuprofen"));
    REQUIRE(st.has_value());
    CHECK(st->dose_per_kg);
    CHECK(st->dose->high == Approx(10));
    CHECK(st->per_day == Approx(3));
    CHECK_FALSE(st->DailyMg());  // mg/kg is no mass until the weight is known
  }
  // A body weight next to a dose in mg does not make the dose per kilogram.
  for (
      const char* text : {
          "He weighs 15 kg, so give him ibuprofen 150 mg every 8 hours.",
          "\xE5\xAD\xA9\xE5\xAD\x90\xE4\xBD\x93\xE9\x87\x8D"
          "15\xE5\x85\xAC\xE6\x96\xA4\xEF\xBC\x8C\xE5"
          "\xB8\x83\xE6\xB4\x9B\xE8\x8A\xAC\xE6\xAF\x8F\xE6\xAC\xA1"
          "150mg\xEF\xBC\x8C\xE6\xAF\x8F"
          "8"
          "\xE5\xB0\x8F\xE6\x97\xB6\xE4\xB8\x80\xE6\xAC\xA1\xE3\x80\x82",  // 孩子体重15公斤，布洛芬每次150mg，每8小时一次。
      }) {
    INFO(text);
    const auto st = Dosed(StatementsIn(text, "ibuprofen"));
    REQUIRE(st.has_value());
    CHECK_FALSE(st->dose_per_kg);
    REQUIRE(st->DailyMg());
    CHECK(*st->DailyMg() == Approx(450));
  }
}

TEST_CASE("Dose notation: a day's amount divided into doses", "[extract][dose_notation]") {
  struct Case {
    const char* text;
    double each, per_day;
    bool per_kg;
  };
  for (const Case& c : {
           Case{"Give amoxicillin 90 mg/kg/day divided into two doses for 10 days.", 45, 2, true},
           Case{"Give amoxicillin 80 mg/kg per day in 2 divided doses.", 40, 2, true},
           Case{"Give amoxicillin 30 mg/kg/day divided twice daily.", 15, 2, true},
           Case{"Take amoxicillin 1500 mg a day, divided into 3 doses.", 500, 3, false},
           // 阿莫西林按50mg/kg/天，分2次口服，连用7天。
           Case{"\xE9\x98\xBF\xE8\x8E\xAB\xE8\xA5\xBF\xE6\x9E\x97\xE6\x8C\x89"
                "50mg/kg/\xE5\xA4\xA9"
                "\xEF\xBC\x8C\xE5\x88\x86"
                "2\xE6\xAC\xA1\xE5\x8F\xA3\xE6\x9C\x8D\xEF\xBC\x8C\xE8\xBF"
                "\x9E\xE7\x94\xA8"
                "7\xE5\xA4\xA9\xE3\x80\x82",
                25, 2, true},
           // 阿莫西林每日每公斤体重40mg，分2次服用。
           Case{"\xE9\x98\xBF\xE8\x8E\xAB\xE8\xA5\xBF\xE6\x9E\x97\xE6\xAF\x8F\xE6\x97\xA5\xE6\xAF"
                "\x8F"
                "\xE5\x85\xAC\xE6\x96\xA4\xE4\xBD\x93\xE9\x87\x8D"
                "40mg\xEF\xBC\x8C\xE5\x88\x86"
                "2"
                "\xE6\xAC\xA1\xE6\x9C\x8D\xE7\x94\xA8\xE3\x80\x82",
                20, 2, true},
           // أعطه أموكسيسيلين ٩٠ ملغ/كغ يوميا مقسمة على جرعتين.
           Case{
               "\xD8\xA3\xD8\xB9\xD8\xB7\xD9\x87 \xD8\xA3\xD9\x85\xD9\x88\xD9\x83\xD8\xB3\xD9\x8A"
               "\xD8\xB3\xD9\x8A\xD9\x84\xD9\x8A\xD9\x86 \xD9\xA9\xD9\xA0 \xD9\x85\xD9\x84\xD8\xBA/"
               "\xD9\x83\xD8\xBA \xD9\x8A\xD9\x88\xD9\x85\xD9\x8A\xD8\xA7 \xD9\x85\xD9\x82\xD8\xB3"
               "\xD9\x85\xD8\xA9 \xD8\xB9\xD9\x84\xD9\x89 \xD8\xAC\xD8\xB1\xD8\xB9\xD8\xAA\xD9\x8A"
               "\xD9\x86.",
               45, 2, true},
       }) {
    INFO(c.text);
    const auto st = Dosed(StatementsIn(c.text, "amoxicillin"));
    REQUIRE(st.has_value());
    CHECK(st->dose->high == Approx(c.each));
    CHECK(st->per_day == Approx(c.per_day));
    CHECK(st->dose_per_kg == c.per_kg);
    CHECK_FALSE(st->dose_is_daily_total);
  }
  // A tablet cut in two, or "divided" beside a regimen per administration, divides no dose.
  for (const char* text : {
           "Take amoxicillin 500 mg three times a day (the tablet can be split into two halves).",
           "Take amoxicillin 500 mg twice a day; the tablets may be divided.",
       }) {
    INFO(text);
    const auto st = Dosed(StatementsIn(text, "amoxicillin"));
    REQUIRE(st.has_value());
    CHECK(st->dose->high == Approx(500));
  }
}

TEST_CASE("Dose notation: the water a medicine is mixed in is no dose",
          "[extract][dose_notation]") {
  for (const char* text : {
           "Mix one sachet of Dioralyte in 200 ml of water and drink it.",
           // 口服补液盐1袋，用温开水250ml冲服。
           "\xE5\x8F\xA3\xE6\x9C\x8D\xE8\xA1\xA5\xE6\xB6\xB2\xE7\x9B\x90"
           "1\xE8\xA2\x8B\xEF\xBC\x8C"
           "\xE7\x94\xA8\xE6\xB8\xA9\xE5\xBC\x80\xE6\xB0\xB4"
           "250ml\xE5\x86\xB2\xE6\x9C\x8D\xE3\x80"
           "\x82",
           // ذوب كيس محلول الإرواء في ٢٠٠ مل من الماء.
           "\xD8\xB0\xD9\x88\xD8\xA8 \xD9\x83\xD9\x8A\xD8\xB3 "
           "\xD9\x85\xD8\xAD\xD9\x84\xD9\x88\xD9\x84 "
           "\xD8\xA7\xD9\x84\xD8\xA5\xD8\xB1\xD9\x88\xD8\xA7\xD8\xA1 \xD9\x81\xD9\x8A "
           "\xD9\xA2\xD9\xA0"
           "\xD9\xA0 \xD9\x85\xD9\x84 \xD9\x85\xD9\x86 \xD8\xA7\xD9\x84\xD9\x85\xD8\xA7\xD8\xA1.",
       }) {
    INFO(text);
    for (const auto& st : StatementsIn(text, "oral_rehydration_salts")) {
      CHECK_FALSE((st.dose && st.dose->kind == medaudit::text::UnitKind::kVolume));
    }
  }
  // A volume of the medicine itself stays its dose.
  const auto st = Dosed(StatementsIn("Give her 5 ml of Calpol every 6 hours.", "paracetamol"));
  REQUIRE(st.has_value());
  CHECK(st->dose->high == Approx(5));
}

TEST_CASE("Dose notation: a change from one amount to another", "[extract][dose_notation]") {
  for (const char* text : {
           "Bring your Lantus down from 20 units to 18 units at night.",
           "Reduce your Lantus from 20 to 18 units at night.",
           // خفف اللانتوس من ٢٠ وحدة إلى ١٨ وحدة مساء كل يوم.
           "\xD8\xAE\xD9\x81\xD9\x81 "
           "\xD8\xA7\xD9\x84\xD9\x84\xD8\xA7\xD9\x86\xD8\xAA\xD9\x88\xD8\xB3 "
           "\xD9\x85\xD9\x86 \xD9\xA2\xD9\xA0 \xD9\x88\xD8\xAD\xD8\xAF\xD8\xA9 \xD8\xA5\xD9\x84\xD9"
           "\x89 \xD9\xA1\xD9\xA8 \xD9\x88\xD8\xAD\xD8\xAF\xD8\xA9 "
           "\xD9\x85\xD8\xB3\xD8\xA7\xD8\xA1 "
           "\xD9\x83\xD9\x84 \xD9\x8A\xD9\x88\xD9\x85.",
       }) {
    INFO(text);
    const auto st = Dosed(StatementsIn(text, "insulin_glargine"));
    REQUIRE(st.has_value());
    CHECK(st->dose->high == Approx(18));
    CHECK(st->dose->low == Approx(18));
  }
  // A range is still a range.
  const auto st = Dosed(StatementsIn("Take ibuprofen 200 to 400 mg every 6 hours.", "ibuprofen"));
  REQUIRE(st.has_value());
  CHECK(st->dose->low == Approx(200));
  CHECK(st->dose->high == Approx(400));
}

TEST_CASE("Dose notation: the regimen replaced gives nothing", "[extract][dose_notation]") {
  for (const char* text : {
           "Cut your gabapentin down to 300 mg once a day at bedtime instead of 300 mg three times "
           "a day.",
           // 加巴喷丁改为每天1次，每次300mg，而不是每天3次。
           "\xE5\x8A\xA0\xE5\xB7\xB4\xE5\x96\xB7\xE4\xB8\x81\xE6\x94\xB9\xE4\xB8\xBA\xE6\xAF\x8F"
           "\xE5"
           "\xA4\xA9"
           "1\xE6\xAC\xA1\xEF\xBC\x8C\xE6\xAF\x8F\xE6\xAC\xA1"
           "300mg\xEF\xBC\x8C\xE8\x80"
           "\x8C\xE4\xB8\x8D\xE6\x98\xAF\xE6\xAF\x8F\xE5\xA4\xA9"
           "3\xE6\xAC\xA1\xE3\x80\x82",
           // خذ الجابابنتين ٣٠٠ ملغ مرة واحدة يوميا بدلا من ٣ مرات يوميا.
           "\xD8\xAE\xD8\xB0 "
           "\xD8\xA7\xD9\x84\xD8\xAC\xD8\xA7\xD8\xA8\xD8\xA7\xD8\xA8\xD9\x86\xD8\xAA"
           "\xD9\x8A\xD9\x86 \xD9\xA3\xD9\xA0\xD9\xA0 \xD9\x85\xD9\x84\xD8\xBA \xD9\x85\xD8\xB1\xD8"
           "\xA9 \xD9\x88\xD8\xA7\xD8\xAD\xD8\xAF\xD8\xA9 \xD9\x8A\xD9\x88\xD9\x85\xD9\x8A\xD8\xA7 "
           "\xD8\xA8\xD8\xAF\xD9\x84\xD8\xA7 \xD9\x85\xD9\x86 \xD9\xA3 \xD9\x85\xD8\xB1\xD8\xA7\xD8"
           "\xAA \xD9\x8A\xD9\x88\xD9\x85\xD9\x8A\xD8\xA7.",
       }) {
    INFO(text);
    const auto st = Dosed(StatementsIn(text, "gabapentin"));
    REQUIRE(st.has_value());
    CHECK(st->dose->high == Approx(300));
    CHECK(st->per_day == Approx(1));
  }
  // "Instead of ibuprofen, take paracetamol 500 mg …": the clause after the comma is the regimen.
  const auto st = Dosed(
      StatementsIn("Instead of ibuprofen, take paracetamol 500 mg every 6 hours.", "paracetamol"));
  REQUIRE(st.has_value());
  CHECK(st->per_day == Approx(4));
}

TEST_CASE("Dose notation: a reading quoted beside a dose is no dose", "[extract][dose_notation]") {
  struct Case {
    const char* text;
    const char* drug;
    double dose;
  };
  for (const Case& c : {
           Case{"Take insulin lispro: if your blood sugar is 250 mg/dL, take 6 units.",
                "insulin_lispro", 6},
           Case{"For gabapentin, with a creatinine clearance of 30 ml/min, take 300 mg once a day.",
                "gabapentin", 300},
           Case{"Gabapentin with an eGFR of 28 ml/min/1.73m2: take 300 mg at night.", "gabapentin",
                300},
           // جابابنتين: إذا كانت التصفية ٣٠ مل/دقيقة خذ ٣٠٠ ملغ مرة يوميا.
           Case{
               "\xD8\xAC\xD8\xA7\xD8\xA8\xD8\xA7\xD8\xA8\xD9\x86\xD8\xAA\xD9\x8A\xD9\x86: \xD8\xA5"
               "\xD8\xB0\xD8\xA7 \xD9\x83\xD8\xA7\xD9\x86\xD8\xAA \xD8\xA7\xD9\x84\xD8\xAA\xD8\xB5"
               "\xD9\x81\xD9\x8A\xD8\xA9 \xD9\xA3\xD9\xA0 \xD9\x85\xD9\x84/\xD8\xAF\xD9\x82\xD9\x8A"
               "\xD9\x82\xD8\xA9 \xD8\xAE\xD8\xB0 \xD9\xA3\xD9\xA0\xD9\xA0 "
               "\xD9\x85\xD9\x84\xD8\xBA "
               "\xD9\x85\xD8\xB1\xD8\xA9 \xD9\x8A\xD9\x88\xD9\x85\xD9\x8A\xD8\xA7.",
               "gabapentin", 300},
           // 血糖250mg/dl以上时，甘精胰岛素10单位，每晚1次。
           Case{"\xE8\xA1\x80\xE7\xB3\x96"
                "250mg/dl\xE4\xBB\xA5\xE4\xB8\x8A\xE6\x97\xB6\xEF\xBC\x8C"
                "\xE7\x94\x98\xE7\xB2\xBE\xE8\x83\xB0\xE5\xB2\x9B\xE7\xB4\xA0"
                "10\xE5\x8D\x95\xE4"
                "\xBD\x8D\xEF\xBC\x8C\xE6\xAF\x8F\xE6\x99\x9A"
                "1\xE6\xAC\xA1\xE3\x80\x82",
                "insulin_glargine", 10},
       }) {
    INFO(c.text);
    const auto st = Dosed(StatementsIn(c.text, c.drug));
    REQUIRE(st.has_value());
    CHECK(st->dose->high == Approx(c.dose));
  }
}
