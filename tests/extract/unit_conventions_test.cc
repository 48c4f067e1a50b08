// Doses written in the units and conventions of other countries (measuring spoons, grains, doses
// per pound, weekday schedules, brand strengths without a unit) and the attachment of an amount
// to the drug that owns it: what the overdose limits and the prescription detector read.
#include <catch2/catch.hpp>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::MedicationStatement;
using medaudit::extract::ParseAmount;
using medaudit::text::Unit;
using medaudit::text::UnitKind;

// The first answer statement about `id` after the engine's full reading (dose completion
// included), or nullopt.
std::optional<MedicationStatement> First(const char* question, const char* answer, const char* id) {
  std::optional<MedicationStatement> first;
  for (const auto& st : medaudit::testing::CheckedStatements(question, answer, id)) {
    if (st.has_dose()) return st;  // the first with an amount, else the first
    if (!first) first = st;
  }
  return first;
}

// One administration in mg (mass dose times the count; a volume times its concentration is a
// count of ml), or -1 when the statement has no mass dose.
double SingleMg(const char* question, const char* answer, const char* id) {
  const auto st = First(question, answer, id);
  if (!st || !st->dose || st->dose->kind != UnitKind::kMass) return -1;
  return st->dose->HighInBase() * (st->count_dose ? st->count_dose->HighInBase() : 1);
}

double PerDay(const char* question, const char* answer, const char* id) {
  const auto st = First(question, answer, id);
  return st ? st->per_day : -1;
}

}  // namespace

TEST_CASE("Measuring spoons are 5 and 15 ml", "[extract][units][zh][en][ar]") {
  auto amount = ParseAmount("2 teaspoons");
  REQUIRE(amount);
  CHECK(amount->unit == Unit::kTeaspoon);
  CHECK(amount->kind == UnitKind::kVolume);
  CHECK(amount->HighInBase() == Approx(10));
  amount = ParseAmount("1 tbsp");
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(15));
  amount = ParseAmount("3\xE8\x8C\xB6\xE5\x8C\x99");  // 3茶匙
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(15));
  amount = ParseAmount("2 cuilleres \xC3\xA0 soupe");  // normalized "2 cuillères à soupe"
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(30));
  // A spoon of no stated size counts (勺, ملعقة).
  amount = ParseAmount("1\xE5\x8B\xBA");
  REQUIRE(amount);
  CHECK(amount->kind == UnitKind::kCount);

  CHECK(SingleMg("fever", "Give 2 teaspoons of Calpol (120 mg/5 ml) every 4 hours.",
                 "paracetamol") == Approx(240));
  CHECK(SingleMg("fever", "Give 1 tablespoon of Calpol Six Plus (250 mg/5 ml) every 4 hours.",
                 "paracetamol") == Approx(750));
  CHECK(SingleMg("发烧", "给孩子喝1汤匙美林（100mg/5ml），每6小时一次。", "ibuprofen") ==
        Approx(300));
  CHECK(SingleMg("حرارة", "خذ ملعقة صغيرة من شراب بنادول (١٢٠ ملغ/٥ مل) كل ٦ ساعات.",
                 "paracetamol") == Approx(120));
  CHECK(SingleMg("حرارة", "خذي ٢ ملعقة كبيرة من شراب البروفين ١٠٠ ملغ/٥ مل كل ٦ ساعات.",
                 "ibuprofen") == Approx(600));
  // A teaspoon measured in millilitres stays what the millilitres say.
  CHECK(SingleMg("fever", "Give 5 ml of Calpol (120 mg/5 ml) every 4 hours.", "paracetamol") ==
        Approx(120));
}

TEST_CASE("Grains are 64.8 mg; a French or Arabic gr is a gram", "[extract][units][en][ar]") {
  auto amount = ParseAmount("5 gr");
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(324));
  amount = ParseAmount("10 grains");
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(648));
  amount = ParseAmount("1 grain");
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(64.8));
  amount = ParseAmount("1 gr");  // "Doliprane 1 gr"
  REQUIRE(amount);
  CHECK(amount->HighInBase() == Approx(1000));
  CHECK(SingleMg("headache", "Take 5 gr aspirin every 4 hours.", "aspirin") == Approx(324));
  CHECK(SingleMg("headache", "Take Doliprane 1 gr three times a day.", "paracetamol") ==
        Approx(1000));
  // "5 grapes" is no amount.
  CHECK(SingleMg("heart", "Eat 5 grapes and take aspirin 75 mg daily.", "aspirin") == Approx(75));
}

TEST_CASE("A dose per pound is 2.2 times the dose per kilogram", "[extract][units][zh][en][ar]") {
  auto st = First("fever", "Give ibuprofen 10 mg per pound every 6 hours.", "ibuprofen");
  REQUIRE(st);
  CHECK(st->dose_per_kg);
  CHECK(st->dose->high == Approx(22.0462));
  st = First("发烧", "布洛芬5毫克/磅，每6小时一次。", "ibuprofen");
  REQUIRE(st);
  CHECK(st->dose_per_kg);
  CHECK(st->dose->high == Approx(11.0231));
  st = First("حرارة", "أعطه إيبوبروفين ٥ ملغ لكل رطل كل ٦ ساعات.", "ibuprofen");
  REQUIRE(st);
  CHECK(st->dose_per_kg);
  CHECK(st->dose->high == Approx(11.0231));
  // With the weight in pounds, the child's amount in mg.
  CHECK(SingleMg("My son weighs 44 pounds.", "Give him ibuprofen 10 mg per pound every 6 hours.",
                 "ibuprofen") == Approx(440).epsilon(0.01));
  // "a pounding headache" weighs nothing.
  st = First("headache", "Take ibuprofen 400 mg a pounding headache needs.", "ibuprofen");
  REQUIRE(st);
  CHECK_FALSE(st->dose_per_kg);
}

TEST_CASE("A temperature is no dose", "[extract][units][zh][en][ar]") {
  CHECK(SingleMg("fever", "If the fever is above 102°F, give paracetamol 500 mg.", "paracetamol") ==
        Approx(500));
  CHECK(SingleMg("fever", "If the temperature is over 100.4 F, give paracetamol 500 mg.",
                 "paracetamol") == Approx(500));
  CHECK(SingleMg("发烧", "体温39℃，可以吃布洛芬200毫克，每6小时一次。", "ibuprofen") ==
        Approx(200));
  CHECK(SingleMg("حرارة", "إذا كانت الحرارة ١٠٢ فهرنهايت أعطه باراسيتامول ٥٠٠ ملغ كل ٦ ساعات.",
                 "paracetamol") == Approx(500));
}

TEST_CASE("A strength before a tablet word names the tablet, not a count",
          "[extract][units][zh][en][ar]") {
  CHECK(SingleMg("I have prednisolone; the pharmacy gave me 20 mg tablets instead of 10 mg.",
                 "With the 20 mg tablets just take two tablets every 12 hours.",
                 "prednisolone") == Approx(40));
  CHECK(SingleMg("steroid", "With the 20 mg prednisolone tablets just take two tablets daily.",
                 "prednisolone") == Approx(40));
  CHECK(SingleMg("我有泼尼松，药房给了20毫克的片子。",
                 "用20毫克的片子的话，每次吃2片，每12小时一次。", "prednisone") == Approx(40));
  CHECK(SingleMg("steroid", "إذا كانت الحبوب ٢٠ ملغ فخذ حبتين كل ١٢ ساعة من البريدنيزولون.",
                 "prednisolone") == Approx(40));
  // One tablet of the strength stays one.
  CHECK(SingleMg("steroid", "Take one of the 20 mg prednisolone tablets daily.", "prednisolone") ==
        Approx(20));
  // "15 mg (6 tablets of 2.5 mg)": six tablets of 2.5 mg, a total of 15.
  auto st =
      First("", "Take methotrexate 15 mg (6 tablets of 2.5 mg) every Monday.", "methotrexate");
  REQUIRE(st);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(2.5));
  REQUIRE(st->count_dose);
  CHECK(st->count_dose->high == Approx(6));
  st = First("", "每周一吃一次甲氨蝶呤15 mg（6片2.5 mg）。", "methotrexate");
  REQUIRE(st);
  CHECK(st->dose->HighInBase() == Approx(2.5));
  // A later dose of its own is one dose: the count of the first split goes with the first.
  const char* colchicine =
      "首次1mg（两片0.5mg），1小时后再吃0.5mg，12小时后改为每次0.5mg、每日1到2次。";
  CHECK(SingleMg("秋水仙碱怎么吃", colchicine, "colchicine") == Approx(0.5));
  CHECK(PerDay("秋水仙碱怎么吃", colchicine, "colchicine") == Approx(2));
}

TEST_CASE("The strength the answer names for the units just before them",
          "[extract][units][zh][en][ar]") {
  CHECK(SingleMg("", "药房只有500毫克的片子。每次吃2片阿莫西林，一天3次。", "amoxicillin") ==
        Approx(1000));
  CHECK(SingleMg("", "الصيدلية عندها حبوب ٥٠٠ ملغ. خذ حبتين من الأموكسيسيلين ٣ مرات يوميا.",
                 "amoxicillin") == Approx(1000));
  // Two strengths named: which one is unknown.
  CHECK(SingleMg("",
                 "They sell 250 mg tablets and 500 mg tablets. Take 2 tablets of amoxicillin "
                 "three times a day.",
                 "amoxicillin") == -1);
}

TEST_CASE("An amount after a colon belongs to the subject, not to the medicine the reader is on",
          "[extract][attach][zh][en][ar]") {
  auto st = First(
      "", "Acetaminophen is the usual choice on warfarin: 500–1,000 mg up to three times a day.",
      "paracetamol");
  REQUIRE(st);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(1000));
  CHECK(st->per_day == Approx(3));
  st = First("",
             "Acetaminophen is the usual choice on warfarin: 500–1,000 mg up to three times a day.",
             "warfarin");
  REQUIRE(st);
  CHECK_FALSE(st->dose);
  CHECK(SingleMg("", "Ibuprofen is fine with lisinopril: 400 mg three times a day.", "ibuprofen") ==
        Approx(400));
  CHECK(SingleMg("", "الباراسيتامول هو الخيار الأفضل مع الوارفارين: ٥٠٠ ملغ حتى ٣ مرات يوميا.",
                 "paracetamol") == Approx(500));
  CHECK(SingleMg("", "在服用华法林期间，对乙酰氨基酚是首选：每次500毫克，每天最多3次。",
                 "paracetamol") == Approx(500));
  // The drug switched to owns its amount; so does a drug joined with "with" and no judgement.
  CHECK(SingleMg("", "Stop the ibuprofen and switch to paracetamol: 1 g four times a day.",
                 "paracetamol") == Approx(1000));
  CHECK(SingleMg("", "Keep taking metformin with insulin glargine: 10 units at bedtime.",
                 "metformin") == -1);
  // Once the subject has taken the amount after the colon, the rest of the sentence is its too.
  const char* cap =
      "Paracetamol is a good choice alongside sertraline: adults can take up to 1 g "
      "four times a day, no more than 4 g in 24 hours.";
  CHECK(SingleMg("", cap, "paracetamol") == Approx(1000));
  st = First("", cap, "sertraline");
  REQUIRE(st);
  CHECK_FALSE(st->dose);
}

TEST_CASE("A weekday schedule is weekly, whatever time of day it names",
          "[extract][frequency][zh][en][ar]") {
  const double weekly = 1.0 / 7;
  CHECK(PerDay("", "فيتامين د ٥٠ ألف وحدة: كبسولة واحدة كل يوم جمعة بعد الغداء لمدة ٨ أسابيع.",
               "cholecalciferol") == Approx(weekly).epsilon(0.01));
  CHECK(PerDay("", "Take Vitamin D3 50,000 IU: one softgel every Monday morning with breakfast.",
               "cholecalciferol") == Approx(weekly).epsilon(0.01));
  CHECK(PerDay("", "Take methotrexate 15 mg with breakfast every Monday.", "methotrexate") ==
        Approx(weekly).epsilon(0.01));
  CHECK(PerDay("", "每周日吃一次甲氨蝶呤15毫克。", "methotrexate") == Approx(weekly).epsilon(0.01));
  CHECK(PerDay("", "甲氨蝶呤15毫克，每周一早上吃。", "methotrexate") ==
        Approx(weekly).epsilon(0.01));
  // Every day stays every day.
  CHECK(PerDay("", "Take vitamin D 1000 IU every day with breakfast.", "cholecalciferol") ==
        Approx(1));
  CHECK(PerDay("", "خذ فيتامين د ١٠٠٠ وحدة يوميا بعد الغداء.", "cholecalciferol") == Approx(1));
}

TEST_CASE("Brand strengths without a unit and counts of patches", "[extract][units][zh][en][ar]") {
  CHECK(SingleMg("", "Dolo 650 - 2 tabs three times a day.", "paracetamol") == Approx(1300));
  CHECK(SingleMg("", "Take Dolo-650 twice a day.", "paracetamol") == Approx(650));
  CHECK(SingleMg("", "Take Doliprane 1000: one tablet three times a day.", "paracetamol") ==
        Approx(1000));
  CHECK(SingleMg("", "必理痛500，每次2粒，每天4次。", "paracetamol") == Approx(1000));
  CHECK(SingleMg("", "خذي بنادول ٥٠٠، حبتين كل ٦ ساعات.", "paracetamol") == Approx(1000));
  // A ratio is no strength.
  CHECK(SingleMg("", "Use adrenaline 1:1000 as your doctor showed you.", "epinephrine") == -1);
  CHECK(SingleMg("", "Apply two fentanyl 25 mcg patches at once and change them every 3 days.",
                 "fentanyl") == Approx(0.05));
  CHECK(SingleMg("", "同时贴两贴芬太尼贴剂（每贴25微克），每3天更换一次。", "fentanyl") ==
        Approx(0.05));
}

TEST_CASE("A unit's definition is no dose", "[extract][units][zh][en][ar]") {
  // "1μg等于40 IU": neither side is an amount to take.
  auto st = First("", "维生素D的两种标法可以互相换算：1μg等于40 IU。", "cholecalciferol");
  REQUIRE(st);
  CHECK_FALSE(st->dose);
  st = First("", "For vitamin D, 1 mcg = 40 IU.", "cholecalciferol");
  REQUIRE(st);
  CHECK_FALSE(st->dose);
  st = First("", "فيتامين د: ١ ميكروغرام يساوي ٤٠ وحدة.", "cholecalciferol");
  REQUIRE(st);
  CHECK_FALSE(st->dose);
  // An amount of more than one unit equated to another is a dose restated.
  st = First("", "Take vitamin D 25 mcg = 1000 IU once a day.", "cholecalciferol");
  REQUIRE(st);
  CHECK(st->dose);
}
