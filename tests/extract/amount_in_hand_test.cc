// Doses written as what the person has in hand ("two of the 10 mg tablets", "half of the 20 mg
// one", "10 ml of the 250 mg/5 ml suspension") and drugs named once, then referred back to by a
// pronoun in a later clause ("the X you mentioned: take it …", "您说的X：它每次…", "X الذي ذكرته،
// تناوله …"). Texts are our own.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "extract/statement.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::MedicationStatement;
using medaudit::extract::Mood;
using medaudit::testing::StatementsIn;

// The amount one administration comes to, in mg (strength times count), of the first statement
// about `drug` with a mass dose; nullopt when there is none.
std::optional<double> SingleMg(const std::string& text, const std::string& drug) {
  for (const MedicationStatement& st : StatementsIn(text, drug)) {
    if (!st.dose || st.dose->kind != medaudit::text::UnitKind::kMass) continue;
    return st.dose->HighInBase() * (st.count_dose ? st.count_dose->high : 1);
  }
  return std::nullopt;
}

// Whether some statement about `drug` is an instruction (directive) with a dose, frequency or
// duration.
bool Instructed(const std::string& text, const std::string& drug) {
  for (const MedicationStatement& st : StatementsIn(text, drug)) {
    if (st.mood == Mood::kDirective && (st.has_dose() || st.has_frequency() || st.has_duration())) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("A strength before the unit noun is one unit's strength; the count comes before it",
          "[extract][en]") {
  struct Case {
    const char* text;
    const char* drug;
    double mg;
  };
  const Case cases[] = {
      {"Take two of the 10 mg amlodipine tablets twice a day.", "amlodipine", 20},
      {"Take half of the 20 mg citalopram tablet once a day.", "citalopram", 10},
      {"Take one and a half of the 20 mg citalopram tablets once a day.", "citalopram", 30},
      {"Take 1.5 of the 20 mg citalopram tablets once a day.", "citalopram", 30},
      {"Citalopram: take two of your 10 mg tablets each morning.", "citalopram", 20},
      {"Take two 10 mg amlodipine tablets every morning.", "amlodipine", 20},
      {"Take half a 20 mg citalopram tablet every morning.", "citalopram", 10},
      // No count before the strength: one unit of it, never that many units.
      {"Take the 10 mg amlodipine tablet every morning.", "amlodipine", 10},
      {"Take amlodipine 10 mg tablets, one every morning.", "amlodipine", 10},
      {"Paracetamol: four of the 500 mg tablets at once is too much.", "paracetamol", 2000},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto mg = SingleMg(c.text, c.drug);
    REQUIRE(mg.has_value());
    CHECK(*mg == Approx(c.mg));
  }
  // A number that is no count before a strength stays out ("on day 5", a bare digit past four).
  CHECK(SingleMg("On day 5 take the 10 mg amlodipine tablet.", "amlodipine") == Approx(10));
  CHECK(SingleMg("Take 7 10 mg amlodipine tablets.", "amlodipine") == Approx(10));
}

TEST_CASE("Amounts in hand in Chinese and Arabic keep their count and strength",
          "[extract][zh][ar]") {
  CHECK(SingleMg("氨氯地平每次吃两片5毫克的，一天两次。", "amlodipine") == Approx(10));
  CHECK(SingleMg("氨氯地平每天早上吃半片20毫克的，一天一次。", "amlodipine") == Approx(10));
  CHECK(SingleMg("خذ نصف حبة من عيار ٢٠ ملغ من السيتالوبرام مرة يوميا.", "citalopram") ==
        Approx(10));
  CHECK(SingleMg("السيتالوبرام: خذ حبتين من عيار ١٠ ملغ مرة يوميا.", "citalopram") == Approx(20));
  CHECK(SingleMg("أعط الطفل ١٠ مل من معلق الأموكسيسيلين ٢٥٠ ملغ/٥ مل ثلاث مرات يوميا.",
                 "amoxicillin") == Approx(500));
  CHECK(SingleMg("Give 10 ml of the 250 mg/5 ml amoxicillin suspension three times a day.",
                 "amoxicillin") == Approx(500));
}

TEST_CASE("A pronoun object in a later clause instructs the drug named before it",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    const char* drug;
  };
  const Case instructed[] = {
      {"About the prednisolone you mentioned: take them 40 mg once a day for 5 days.",
       "prednisolone"},
      {"The amlodipine your doctor prescribed: keep taking it 5 mg once a day.", "amlodipine"},
      {"关于您说的布洛芬：它每次吃1片，间隔6小时。", "ibuprofen"},
      {"您说的阿莫西林，把它每次吃2粒，一天3次。", "amoxicillin"},
      {"الأموكسيسيلين الذي ذكرته مناسب، تناوله ٥٠٠ ملغ ثلاث مرات يوميا.", "amoxicillin"},
      {"الأموكسيسيلين الذي ذكرته: خذ منه حبة ٥٠٠ ملغ كل ٨ ساعات.", "amoxicillin"},
  };
  for (const Case& c : instructed) {
    INFO(c.text);
    CHECK(Instructed(c.text, c.drug));
  }
  // A pronoun never brings back a drug the answer rules out, and a prohibition, a referral or a
  // question in the pronoun's clause is no instruction.
  const Case not_instructed[] = {
      {"Stop the ibuprofen you mentioned; take it 400 mg three times a day only if your doctor "
       "says so.",
       "ibuprofen"},
      {"The ibuprofen you mentioned: do not take it 400 mg three times a day with your ulcer.",
       "ibuprofen"},
      {"The ibuprofen you mentioned: ask your doctor whether to take it 400 mg three times a day.",
       "ibuprofen"},
      {"您说的布洛芬先别吃，它每次1片也会伤胃。", "ibuprofen"},
      {"لا تتناول الإيبوبروفين الذي ذكرته، وإذا وصفه طبيبك فتناوله ٤٠٠ ملغ.", "ibuprofen"},
      {"您说的其它药，比如布洛芬，您以前每次吃1片。", "ibuprofen"},
  };
  for (const Case& c : not_instructed) {
    INFO(c.text);
    CHECK_FALSE(Instructed(c.text, c.drug));
  }
}

TEST_CASE("A drug held back from one time of day is moved to another with its dose",
          "[extract][zh][en][ar]") {
  struct Case {
    const char* text;
    const char* drug;
  };
  const Case moved[] = {
      {"明天要空腹抽血，优甲乐先别在6点吃，抽完血马上吃1片（50μg）。", "levothyroxine"},
      {"Don't take your levothyroxine at 6 am tomorrow, and after the blood test take 50 mcg "
       "right away.",
       "levothyroxine"},
      {"لا تأخذ الليفوثيروكسين الساعة ٦ صباحا غدا، وبعد سحب الدم خذ ٥٠ ميكروغرام مباشرة.",
       "levothyroxine"},
  };
  for (const Case& c : moved) {
    INFO(c.text);
    CHECK(Instructed(c.text, c.drug));
  }
  // Held back with no time named, or with the later clause left to a doctor: no instruction.
  const Case held[] = {
      {"华法林今天不要补吃，也不要一次吃2片。", "warfarin"},
      {"Don't take your warfarin at 6 pm today; your clinic may tell you to take 5 mg tomorrow.",
       "warfarin"},
      {"لا تأخذ الوارفارين اليوم، واسأل طبيبك إن كان عليك أخذ ٥ ملغ غدا.", "warfarin"},
  };
  for (const Case& c : held) {
    INFO(c.text);
    CHECK_FALSE(Instructed(c.text, c.drug));
  }
}
