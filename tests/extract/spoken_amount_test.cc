// Amounts and schedules written in words, as voice assistants, phone triage bots and dialect chat
// write them (text/internal/numerals.cc, extract/amount.cc, the grammar's number-word and frequency
// entries): "a thousand milligrams", "half a teaspoon", "one and a half tablets", 零点五克, 一片半,
// 四分之一片, "ألف ملغ", "خمسة مل", "نص حبة", "حبة ونص", "مع الفطور والعشا".
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "extract/internal/amount.h"
#include "extract/statement.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::MedicationStatement;
using medaudit::testing::StatementsIn;

// One spoken prescription: the amount read per administration (0: none) and the administrations
// per day (0: none read).
struct Case {
  const char* text;
  const char* drug;
  double amount;
  double per_day;
};

// The amount of one administration: the mass or volume when read, else the count.
double AmountOf(const MedicationStatement& st) {
  if (st.dose) return st.dose->high;
  if (st.count_dose) return st.count_dose->high;
  return 0;
}

void CheckCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    INFO(c.text);
    const auto statements = StatementsIn(c.text, c.drug);
    REQUIRE_FALSE(statements.empty());
    const MedicationStatement& st = statements.front();
    CHECK(AmountOf(st) == Approx(c.amount).margin(0.01));
    CHECK(st.per_day == Approx(c.per_day).margin(0.01));
  }
}

}  // namespace

TEST_CASE("Spoken amounts: English number words, fractions and schedules", "[extract][en]") {
  CheckCases({
      {"Take acetaminophen, um, a thousand milligrams, four times a day.", "paracetamol", 1000, 4},
      {"Give her half a teaspoon of the Calpol every six hours.", "paracetamol", 0.5, 4},
      {"Take one and a half tablets of bisoprolol every morning.", "bisoprolol", 1.5, 1},
      {"Okay so ibuprofen, four hundred milligrams, three times a day with food.", "ibuprofen", 400,
       3},
      {"Take two and a half tablets of metformin with breakfast and dinner.", "metformin", 2.5, 2},
      {"Take a quarter of a tablet of bisoprolol at bedtime.", "bisoprolol", 0.25, 1},
      {"Take a couple of tablets of ibuprofen twice a day.", "ibuprofen", 2, 2},
      {"Take amoxicillin, five hundred milligrams, in the morning and at night.", "amoxicillin",
       500, 2},
      {"Take a half tablet of metformin once daily.", "metformin", 0.5, 1},
      {"Give ibuprofen two hundred and fifty milligrams morning, noon and night.", "ibuprofen", 250,
       3},
      {"Take paracetamol one thousand milligrams every other day.", "paracetamol", 1000, 0.5},
      {"Take 2 and a half tablets of metformin daily.", "metformin", 2.5, 1},
      {"Take paracetamol, a thousand, uh, milligrams every six hours.", "paracetamol", 1000, 4},
      {"Give the Calpol, two and a half mils, every four hours.", "paracetamol", 2.5, 6},
      {"For the fever: paracetamol two tablets every four to six hours.", "paracetamol", 2, 6},
      {"Use three quarters of a teaspoon of Calpol every six hours.", "paracetamol", 0.75, 4},
      {"Take four thousand milligrams of paracetamol every four hours.", "paracetamol", 4000, 6},
  });
}

TEST_CASE("Spoken amounts: English number words that are no amount", "[extract][en]") {
  for (const char* text : {
           "One of the best ways to take ibuprofen is with food.",
           "A thousand people in the trial took metformin.",
           "A couple of studies found paracetamol safe in pregnancy.",
           "Half the patients on bisoprolol felt tired.",
       }) {
    INFO(text);
    for (const char* drug : {"ibuprofen", "metformin", "paracetamol", "bisoprolol"}) {
      for (const auto& st : StatementsIn(text, drug)) CHECK_FALSE(st.has_dose());
    }
  }
}

TEST_CASE("Spoken amounts: Chinese decimals, fractions, halves and schedules", "[extract][zh]") {
  CheckCases({
      {"阿莫西林一次零点五克，一天三次", "amoxicillin", 0.5, 3},
      {"阿莫西林一次零點五克，一天三次", "amoxicillin", 0.5, 3},
      {"阿莫西林一次一点五克，一日两次", "amoxicillin", 1.5, 2},
      {"布洛芬一次一片半，一日两次", "ibuprofen", 1.5, 2},
      {"二甲双胍每次两粒半，早晚各一次", "metformin", 2.5, 2},
      {"比索洛尔每次四分之一片，每天早上一次", "bisoprolol", 0.25, 1},
      {"比索洛尔每次二分之一片，每天一次", "bisoprolol", 0.5, 1},
      {"对乙酰氨基酚一次一千毫克，一天四次", "paracetamol", 1000, 4},
      {"布洛芬一次两百毫克，早中晚各一次", "ibuprofen", 200, 3},
      {"布洛芬每次兩片，一天三次", "ibuprofen", 2, 3},
      {"二甲双胍一次半片，睡前吃", "metformin", 0.5, 1},
      {"阿莫西林一次一千五百毫克，一天两次", "amoxicillin", 1500, 2},
      {"布洛芬混悬液一次七点五毫升，每八小时一次", "ibuprofen", 7.5, 3},
      {"比索洛尔每天早上半片", "bisoprolol", 0.5, 1},
  });
}

TEST_CASE("Spoken amounts: Chinese numerals that are no decimal", "[extract][zh]") {
  for (const char* text : {
           "我一点也不想吃布洛芬。",
           "早上八点半吃布洛芬比较好吗？",
           "布洛芬吃一点点就有效。",
       }) {
    INFO(text);
    for (const auto& st : StatementsIn(text, "ibuprofen")) CHECK_FALSE(st.has_dose());
  }
}

TEST_CASE("Spoken amounts: Arabic number words, fractions and schedules", "[extract][ar]") {
  CheckCases({
      {"خذ باراسيتامول ألف ملغ كل ست ساعات", "paracetamol", 1000, 4},
      {"اعطيه خمسة مل من البروفين كل ثمان ساعات", "ibuprofen", 5, 3},
      {"خذي نص حبة كونكور الصبح", "bisoprolol", 0.5, 1},
      {"خذ حبة ونص من الجلوكوفاج مع الفطور والعشا", "metformin", 1.5, 2},
      {"البروفين ميتين ملغ مرتين في اليوم", "ibuprofen", 200, 2},
      {"خذ ربع حبة كونكور قبل النوم", "bisoprolol", 0.25, 1},
      {"اعطيها معلقة وربع من البنادول كل ست ساعات", "paracetamol", 1.25, 4},
      {"خذ الجلوكوفاج حبتين ونص الصبح والمسا", "metformin", 2.5, 2},
      {"خذ اموكسيسيلين خمسمية ملغ تلات مرات في اليوم", "amoxicillin", 500, 3},
      {"اعطيه بروفين خمسة وعشرين مل مرتين يوميا", "ibuprofen", 25, 2},
      {"خذ باراسيتامول الف وخمسمية ملغ مرتين يوميا", "paracetamol", 1500, 2},
      {"خذ كونكور نص حبه يوم اي يوم لا", "bisoprolol", 0.5, 0.5},
      {"خذ الجلوكوفاج حبه الصبح والظهر والمسا", "metformin", 1, 3},
      {"خذ جلوكوفاج حبة مع الفطور وحبة مع العشا.", "metformin", 1, 2},
      {"اعطيه معلقتين بروفين كل ست ساعات.", "ibuprofen", 2, 4},
      {"اعطي الولد بروفين سبعة مل ونص كل ثمان ساعات.", "ibuprofen", 7.5, 3},
      {"خذ باراسيتامول الفين ملغ كل اربع ساعات.", "paracetamol", 2000, 6},
  });
}

TEST_CASE("Spoken amounts: Arabic number words that are no amount", "[extract][ar]") {
  for (const char* text : {
           "نص الناس ياخذوا البروفين بدون وصفة.",
           "ست سنين وهو ياخذ البروفين.",
           "اشرب ميه كتير مع البروفين.",
       }) {
    INFO(text);
    for (const auto& st : StatementsIn(text, "ibuprofen")) CHECK_FALSE(st.has_dose());
  }
}

TEST_CASE("Spoken amounts: ParseAmount reads number words", "[extract][en][ar]") {
  using medaudit::extract::ParseAmount;
  using medaudit::extract::WordLists;
  auto a = ParseAmount("a thousand milligrams");
  REQUIRE(a);
  CHECK(a->high == Approx(1000));
  a = ParseAmount("one and a half tablets");
  REQUIRE(a);
  CHECK(a->high == Approx(1.5));
  a = ParseAmount("half a teaspoon");
  REQUIRE(a);
  CHECK(a->high == Approx(0.5));
  a = ParseAmount("three quarters of a teaspoon");
  REQUIRE(a);
  CHECK(a->high == Approx(0.75));
  a = ParseAmount("a couple of tablets");
  REQUIRE(a);
  CHECK(a->high == Approx(2));
  a = ParseAmount("2 and a half tablets");
  REQUIRE(a);
  CHECK(a->high == Approx(2.5));
}
