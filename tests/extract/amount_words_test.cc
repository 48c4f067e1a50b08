// Amounts written with a multiplier word, the Arabic "مل" run on into "مليون" or the colloquial
// "ملي", and a count restated by its total in units (extract/amount.cc, attach.cc,
// dose_context.cc).
#include <catch2/catch.hpp>

#include "extract/internal/amount.h"
#include "extract/statement.h"
#include "support/shipped_engine.h"

using medaudit::extract::ParseAmount;
using medaudit::testing::StatementsIn;
namespace text = medaudit::text;

TEST_CASE("ParseAmount: a multiplier word after the number") {
  auto a = ParseAmount("1.2 million units");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kIu);
  CHECK(a->high == Approx(1.2e6));
  a = ParseAmount("120万单位");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kIu);
  CHECK(a->high == Approx(1.2e6));
  a = ParseAmount("2.4 مليون وحده");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kIu);
  CHECK(a->high == Approx(2.4e6));
  a = ParseAmount("1-2 million units");
  REQUIRE(a);
  CHECK(a->low == Approx(1e6));
  CHECK(a->high == Approx(2e6));
  // No multiplier: unchanged.
  a = ParseAmount("50,000 iu");
  REQUIRE(a);
  CHECK(a->high == Approx(50000));
}

TEST_CASE("ReadArabicMilli: مليون and the colloquial ملي after a hit ending in مل") {
  const medaudit::extract::WordLists words;
  // The scanner's hit runs from `number` to `back` bytes before `after_hit`.
  auto read = [&](const std::string& text, const char* number, const char* after_hit,
                  uint32_t back) {
    const medaudit::text::Span hit{static_cast<uint32_t>(text.find(number)),
                                   static_cast<uint32_t>(text.find(after_hit)) - back};
    return medaudit::extract::internal::ReadArabicMilli(text, hit, words);
  };
  const char* kYaWawNun = "\xD9\x8A\xD9\x88\xD9\x86";  // يون
  const char* kSpaceMimRa = " \xD9\x85\xD8\xB1";       // " مر"
  // "1.2 مل" is the hit; the text runs on into "مليون وحده".
  auto m = read("خذ 1.2 مليون وحده كل يوم", "1.2", kYaWawNun, 0);
  REQUIRE(m);
  CHECK_FALSE(m->open_unit);
  CHECK(m->amount.unit == text::Unit::kIu);
  CHECK(m->amount.high == Approx(1.2e6));
  // "٥٠ ملي": ml with the unit open (the hit ends before the ya of ملي).
  m = read("خذ 50 ملي مرتين", "50", kSpaceMimRa, 2);
  REQUIRE(m);
  CHECK(m->open_unit);
  CHECK(m->amount.unit == text::Unit::kMl);
  // "ملي غرام" written apart is mg, settled.
  m = read("خذ 50 ملي غرام مرتين", "50", " \xD8\xBA", 2);
  REQUIRE(m);
  CHECK_FALSE(m->open_unit);
  CHECK(m->amount.unit == text::Unit::kMg);
  // A whole "مل" and another longer word are no run-on amounts.
  CHECK_FALSE(read("خذ 5 مل مرتين", "5", kSpaceMimRa, 0));
}

TEST_CASE("Statements: millions of units read in Arabic") {
  const auto st = StatementsIn("خذي حقنة بنسلين ١٫٢ مليون وحدة كل يوم", "benzylpenicillin");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  CHECK(st[0].dose->unit == text::Unit::kIu);
  CHECK(st[0].dose->high == Approx(1.2e6));
}

TEST_CASE("Statements: the colloquial ملي is mg of a tablet, ml of a syrup") {
  // Diclofenac has no liquid taken by mouth: "٥٠ ملي" is 50 mg.
  auto st = StatementsIn("خذ ٥٠ ملي من الفولتارين ثلاث مرات يوميا", "diclofenac");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  CHECK(st[0].dose->unit == text::Unit::kMg);
  CHECK(st[0].DailyMg().value_or(0) == Approx(150));
  // A tablet counted: mg, whatever the drug's forms.
  st = StatementsIn("خذي حبة بروفين ٤٠٠ ملي ثلاث مرات يوميا", "ibuprofen");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  CHECK(st[0].dose->unit == text::Unit::kMg);
  // Paracetamol is sold as a syrup too, and nothing counts tablets: the amount stays in ml.
  st = StatementsIn("اعطيه ٥ ملي باراسيتامول كل ٦ ساعات", "paracetamol");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  CHECK(st[0].dose->kind != text::UnitKind::kMass);
}

TEST_CASE("Statements: a count restated by its total in units") {
  auto st = StatementsIn("Take vitamin D 2 capsules (100,000 IU) every day.", "cholecalciferol");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  REQUIRE(st[0].count_dose);
  CHECK(st[0].dose->unit == text::Unit::kIu);
  CHECK(st[0].dose->high == Approx(50000));
  CHECK(st[0].count_dose->high == Approx(2));
  st = StatementsIn("维生素D每天2颗（100000 IU）。", "cholecalciferol");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  CHECK(st[0].dose->high == Approx(50000));
  st = StatementsIn("خذ فيتامين د كبسولة واحدة (50,000 وحدة) يوميا.", "cholecalciferol");
  REQUIRE(st.size() == 1);
  REQUIRE(st[0].dose);
  CHECK(st[0].dose->unit == text::Unit::kIu);
  CHECK(st[0].dose->high == Approx(50000));
}

TEST_CASE("ParseAmount: thousand as a multiplier word (en, ar)") {
  auto a = ParseAmount("50 thousand units");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kIu);
  CHECK(a->high == Approx(50000));
  a = ParseAmount("50 \xD8\xA7\xD9\x84\xD9\x81 \xD9\x88\xD8\xAD\xD8\xAF\xD9\x87");  // 50 الف وحده
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kIu);
  CHECK(a->high == Approx(50000));
  // A word that only begins with الف is no multiplier; 千克 stays a kilogram.
  CHECK(
      medaudit::extract::internal::MultiplierAt("\xD8\xA7\xD9\x84\xD9\x81\xD9\x8A\xD9\x86").size ==
      0);
  a = ParseAmount("20千克");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kKg);
}

TEST_CASE("CombinationStrengthAfterName: the larger of the strengths joined by a slash") {
  using medaudit::extract::internal::CombinationStrengthAfterName;
  const std::string q = "co-codamol 30/500 two tabs";
  const medaudit::text::Span name{0, 10};
  auto s = CombinationStrengthAfterName(q, name);
  REQUIRE(s);
  CHECK(s->high == Approx(500));
  s = CombinationStrengthAfterName("augmentin 875/125mg", {0, 9});
  REQUIRE(s);
  CHECK(s->high == Approx(875));
  // One number, or a unit other than mg, is no combination strength.
  CHECK_FALSE(CombinationStrengthAfterName("co-codamol 500 mg", name));
  CHECK_FALSE(CombinationStrengthAfterName("co-codamol 30/5ml", name));
}
