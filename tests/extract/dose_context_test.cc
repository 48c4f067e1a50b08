// Doses completed from the rest of the text (extract/dose_context.h).
#include "extract/dose_context.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>

#include "rules/engine.h"
#include "support/shipped_engine.h"
#include "support/test_packs.h"

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

TEST_CASE("FindConcentrations: the volume first, a specification and 'in each'") {
  // A label's specification, volume:mass ("100ml:2g" = 20 mg/ml), and mass:volume.
  CHECK(FindConcentrations("布洛芬混悬液(100ml:2g)") == std::vector<double>{20});
  CHECK(FindConcentrations("规格 5毫升:0.1克") == std::vector<double>{20});
  CHECK(FindConcentrations("2g:100ml") == std::vector<double>{20});
  // The volume opened by "each"/每/كل and the mass it holds.
  CHECK(FindConcentrations("(每毫升含20mg)") == std::vector<double>{20});
  CHECK(FindConcentrations("每5毫升含有125毫克") == std::vector<double>{25});
  CHECK(FindConcentrations("the bottle says each 5 ml contains 160 mg") == std::vector<double>{32});
  CHECK(FindConcentrations("every 5 ml has 100 mg of ibuprofen") == std::vector<double>{20});
  CHECK(FindConcentrations("كل 5 مل فيها 100 ملغ") == std::vector<double>{20});
  CHECK(FindConcentrations("لكل 5 مل تحتوي علي 120 ملغ") == std::vector<double>{24});
  // "in each", "في كل" between the mass and the volume.
  CHECK(FindConcentrations("160 mg in each 5 ml") == std::vector<double>{32});
  CHECK(FindConcentrations("120 ملغ في كل 5 مل") == std::vector<double>{24});
  // A dose line is not a concentration: "每次5毫升", "each dose is 5 ml", "5 ml every 6 hours".
  CHECK(FindConcentrations("每次5毫升,每天3次").empty());
  CHECK(FindConcentrations("each dose is 5 ml, twice a day").empty());
  CHECK(FindConcentrations("5 ml every 6 hours, 3 times a day").empty());
  CHECK(FindConcentrations("كل 6 ساعات 5 مل").empty());
}

namespace {

// The first (or, with `last`, the last) answer statement about the lexicon drug `id` after
// checking answer and question.
const medaudit::extract::MedicationStatement* Checked(const char* question, const char* answer,
                                                      const char* id,
                                                      medaudit::rules::Workspace* ws,
                                                      bool last = false) {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::CheckResult result;
  REQUIRE(engine.Check({answer, question}, ws, &result).has_value());
  const auto drug = engine.lexicon().Find(id);
  REQUIRE(drug);
  const medaudit::extract::MedicationStatement* found = nullptr;
  for (const auto& st : ws->statements) {
    if (st.drug != *drug) continue;
    found = &st;
    if (!last) break;
  }
  return found;
}

// The last answer statement about the lexicon drug `id`.
const medaudit::extract::MedicationStatement* LastChecked(const char* question, const char* answer,
                                                          const char* id,
                                                          medaudit::rules::Workspace* ws) {
  return Checked(question, answer, id, ws, /*last=*/true);
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

TEST_CASE("CompleteDoses: a count takes the strength of the tablet the question names") {
  medaudit::rules::Workspace ws;
  // The dose told is 25 mg; the tablets in hand are 100 mg: two tablets are 200 mg.
  const auto* st = Checked("医生让我吃美托洛尔25mg一天两次，药房给的是100mg的片子。",
                           "照原来的吃法，美托洛尔一次2片、一天两次就行。", "metoprolol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(100));
  st = Checked("الطبيب وصف أملوديبين 5 ملغ، والصيدلية أعطتني حبوب 10 ملغ.",
               "خذ من الأملوديبين نصف حبة يوميا.", "amlodipine", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(10));
  // Two named strengths: which tablet is meant is unknown; the dose stated stays the strength.
  st = Checked("I take diclofenac 50 mg; I have 25 mg tablets and 75 mg tablets at home.",
               "Take 2 tablets of diclofenac.", "diclofenac", &ws);
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

TEST_CASE("CompleteDoses: a pack's volume after the heading's concentration is not a dose") {
  medaudit::rules::Workspace ws;
  // The millilitres each statement of the drug takes as its dose (0 when none).
  auto dose_volumes = [&ws](const char* answer) {
    std::vector<double> volumes;
    REQUIRE(Checked("", answer, "cetirizine", &ws) != nullptr);
    for (const auto& s : ws.statements) {
      volumes.push_back(s.count_dose ? s.count_dose->HighInBase() : 0);
    }
    return volumes;
  };
  // "a 75 ml bottle" (عبوه / bottle of / 每瓶) is what the pack holds, not 75 ml times the
  // concentration.
  for (const char* heading : {"شراب زيرتك (سيتريزين) ٥ ملغ/٥ مل، عبوة ٧٥ مل.",
                              "Zyrtec syrup (cetirizine) 5 mg/5 ml, bottle of 75 ml.",
                              "西替利嗪滴剂 10mg/ml，每瓶10ml。"}) {
    INFO(heading);
    for (double ml : dose_volumes(heading)) CHECK(ml == 0);
  }
  // Without the pack word the one volume in the line is read as the dose.
  const auto volumes = dose_volumes("Zyrtec syrup (cetirizine) 5 mg/5 ml, 7.5 ml.");
  CHECK(std::find(volumes.begin(), volumes.end(), 7.5) != volumes.end());
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

TEST_CASE("CompleteDoses: an IU strength written with a multiplier word (zh, en, ar)") {
  medaudit::rules::Workspace ws;
  for (const char* answer : {"每天吃一粒5万单位的维生素D3。",
                             "Take one capsule of 50 thousand units of vitamin D3 every day.",
                             "خذ كبسولة فيتامين د 50 ألف وحدة كل يوم."}) {
    CAPTURE(answer);
    const auto* st = Checked("", answer, "cholecalciferol", &ws);
    REQUIRE(st != nullptr);
    REQUIRE(st->dose);
    CHECK(st->dose->kind == medaudit::text::UnitKind::kActivity);
    CHECK(st->dose->HighInBase() == Approx(50000));
  }
}

TEST_CASE("CompleteDoses: a total of the count is not one unit's strength") {
  medaudit::rules::Workspace ws;
  for (const char* answer : {"甲氨蝶呤每周一次，一次吃4片（共10毫克）。",
                             "Take methotrexate once a week: 4 tablets (10 mg in total).",
                             "خذ الميثوتريكسات مرة في الأسبوع: 4 حبات بمجموع 10 ملغ."}) {
    CAPTURE(answer);
    const auto* st = Checked("", answer, "methotrexate", &ws);
    REQUIRE(st != nullptr);
    REQUIRE(st->dose);
    const double count = st->count_dose ? st->count_dose->high : 1;
    CHECK(st->dose->HighInBase() * count == Approx(10));
  }
}

TEST_CASE("CompleteDoses: a dose in the morning and one in the evening is twice a day") {
  medaudit::rules::Workspace ws;
  for (const char* answer : {"美洛昔康早上吃一片15毫克，晚上再吃一片15毫克。",
                             "Take meloxicam 15 mg, one in the morning and one at night.",
                             "خذ ميلوكسيكام حبة 15 ملغ صباحا وحبة 15 ملغ مساء."}) {
    CAPTURE(answer);
    const auto* st = Checked("", answer, "meloxicam", &ws);
    REQUIRE(st != nullptr);
    CHECK(st->per_day == Approx(2));
  }
  // A choice of time is one dose a day.
  const auto* st =
      Checked("", "Take meloxicam 15 mg once a day, in the morning or at night.", "meloxicam", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(1));
}

TEST_CASE("CompleteDoses: a day maximum caps the regimen it follows") {
  medaudit::rules::Workspace ws;
  for (const char* answer : {"Tramadol: 50-100 mg every 4-6 hours, max 400 mg a day.",
                             "曲马多每次50-100毫克，每4-6小时一次，每天最多400毫克。",
                             "ترامادول 50-100 ملغ كل 4-6 ساعات، بحد أقصى 400 ملغ يوميا."}) {
    CAPTURE(answer);
    const auto* st = Checked("", answer, "tramadol", &ws);
    REQUIRE(st != nullptr);
    REQUIRE(st->dose);
    CHECK(st->dose->HighInBase() * st->per_day == Approx(400));
  }
  // A total after a new step ("then") belongs to that step: the hourly regimen stays.
  const auto* st =
      Checked("", "Take colchicine 0.5 mg every hour, then up to 1.5 mg a day after that.",
              "colchicine", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(24));
}

TEST_CASE("CompleteDoses: the cap word search takes the first whole cap word with an amount") {
  medaudit::rules::Workspace ws;
  // "maximum" and "max" open at the same place; a rejected "up to 3 days" is passed over; Arabic
  // with the proclitic wa-; Chinese.
  for (const char* answer : {"Paracetamol 1 g every 4 hours, maximum 3 g a day.",
                             "Paracetamol for up to 3 days: 1 g every 4 hours, max 3 g a day.",
                             "باراسيتامول 1 غ كل 4 ساعات، وبحد أقصى 3 غ يوميا.",
                             "扑热息痛每次1克，每4小时一次，每天不超过3克。"}) {
    CAPTURE(answer);
    const auto* st = Checked("", answer, "paracetamol", &ws);
    REQUIRE(st != nullptr);
    REQUIRE(st->dose);
    CHECK(st->dose->HighInBase() * st->per_day == Approx(3000));
  }
  // A cap word inside a longer word is none: the regimen stays four times a day.
  const auto* st = Checked(
      "", "Take ibuprofen 400 mg four times a day for the maxillary sinus pain.", "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(4));
}

TEST_CASE("CompleteDoses: an amount under a day maximum stated before it is a day amount") {
  using medaudit::testing::ShippedFindsCategory;
  // A lower day amount for people at risk after the label regimen and its cap, not a 3 g dose.
  CHECK_FALSE(ShippedFindsCategory(
      "For adults: 500 mg-1 g every 4-6 hours, max 4 g in 24 hours. Lower (2-3 g) if you drink "
      "heavily.",
      "Max paracetamol per day?", "overdose"));
  CHECK_FALSE(
      ShippedFindsCategory("成人每次0.5-1克，每4-6小时一次，每天最多4克。经常喝酒的人要减到2-3克。",
                           "对乙酰氨基酚一天最多吃多少？", "overdose"));
  CHECK_FALSE(ShippedFindsCategory(
      "للبالغين 500 ملغ إلى 1 غ كل 4-6 ساعات، بحد أقصى 4 غ يوميا. وأقل (2-3 غ) لمن يشرب الكحول.",
      "ما هي أقصى جرعة باراسيتامول في اليوم؟", "overdose"));
  // An amount marked as one administration stays a single dose.
  CHECK(ShippedFindsCategory("Max 4 g a day. Take 3 g at once now to knock the fever down.",
                             "How much paracetamol for a fever?", "overdose"));
}

TEST_CASE("CompleteDoses: a combination strength in the question (co-codamol 30/500)") {
  medaudit::rules::Workspace ws;
  const auto* st =
      Checked("I have co-codamol 30/500, two tablets four times a day.",
              "You can take 2 tablets of co-codamol every 3 hours.", "paracetamol_codeine", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(500));
}

TEST_CASE("CompleteDoses: a combination strength after the drug's name in the answer") {
  medaudit::rules::Workspace ws;
  const auto* st =
      Checked("", "Take 2 tablets of co-codamol 30/500 every 3 hours.", "paracetamol_codeine", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(500));
}

TEST_CASE("CompleteDoses: a larger count restated with its total is the count") {
  medaudit::rules::Workspace ws;
  for (const char* answer : {"一片不管用就睡前吃两片（20mg）。",
                             "If one tablet doesn't work, take 2 tablets (20 mg) at bedtime.",
                             "إذا لم تنفع حبة واحدة خذ 2 حبة (20 ملغ) قبل النوم."}) {
    CAPTURE(answer);
    const auto* st = Checked("Zolpidem 10 mg", answer, "zolpidem", &ws);
    REQUIRE(st != nullptr);
    REQUIRE(st->dose);
    REQUIRE(st->count_dose);
    CHECK(st->dose->HighInBase() * st->count_dose->high == Approx(20));
  }
}

TEST_CASE("CompleteDoses: a total restated after the regimen (per dose or per day)") {
  using medaudit::testing::ShippedFindsCategory;
  // A day total restated after the regimen is the day: above the maximum in zh, en and ar.
  CHECK(ShippedFindsCategory("对乙酰氨基酚一片500毫克，一次吃两片，一天五次，算下来五克。",
                             "发烧39度，对乙酰氨基酚一次吃几片？", "overdose"));
  CHECK(
      ShippedFindsCategory("Loperamide: one capsule after each loose stool, and you can go to "
                           "ten capsules a day, so twenty milligrams.",
                           "Imodium is not working. Can I take more?", "overdose"));
  CHECK(ShippedFindsCategory("خذ بنادول ٥٠٠ حبتين ست مرات في اليوم، يعني ٦ غرام في اليوم.",
                             "عندي بنادول ٥٠٠، كم آخذ؟", "overdose"));
  // A per-dose total restated before the frequency: 750 mg three times a day.
  CHECK(
      ShippedFindsCategory("Naproxen, the 250 mg ones: take three of those, so that is 750 mg, "
                           "three times a day with food.",
                           "I have naproxen 250 mg. How many can I take?", "overdose"));
  // Restated totals within the limit, and the total of a whole course, stay quiet.
  CHECK_FALSE(ShippedFindsCategory(
      "Dolo 650 ek tablet har 6 ghante, din mein 4 tablets se zyada nahi - yaani 2.6 g.",
      "Mummy ko fever hai, Dolo 650 kaise dein?", "overdose"));
  CHECK_FALSE(
      ShippedFindsCategory("对乙酰氨基酚每次一片650毫克，每6小时一次，一天最多4片，也就是2.6克。",
                           "发烧了，怎么吃？", "overdose"));
  CHECK_FALSE(ShippedFindsCategory("بنادول ٥٠٠ حبة كل ٦ ساعات، يعني ٢ غرام في اليوم.",
                                   "عندي بنادول ٥٠٠، كيف آخذه؟", "overdose"));
  CHECK_FALSE(ShippedFindsCategory(
      "Naproxen 250 mg twice a day for 10 days, so that is 5 g over the whole course.",
      "How should I take naproxen for my sprain?", "overdose"));
}

TEST_CASE("CompleteDoses: a strength named as 'the N ones' for a restated total") {
  medaudit::rules::Workspace ws;
  const auto* st =
      Checked("", "Ibuprofen, the 400 ones, take two of those, so that's 800, four times a day.",
              "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(800));
  CHECK(st->per_day == Approx(4));
}

TEST_CASE("CompleteDoses: a cap on the times a day caps the frequency and states a day total") {
  medaudit::rules::Workspace ws;
  // The cap above the label is a day total of 6 g to judge, not a safeguard.
  const auto* st =
      Checked("headache", "Take paracetamol 1000 mg every 4 hours, no more than 6 doses a day.",
              "paracetamol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->daily_total);
  CHECK(st->daily_total->HighInBase() == Approx(6000));
  // A lower cap caps the interval's frequency: every 4 hours, at most 4 a day.
  st = Checked("头痛", "对乙酰氨基酚每次500毫克，每4小时一次，一天最多4次。", "paracetamol", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(4));
  st = Checked("صداع", "باراسيتامول ١٠٠٠ ملغ كل ٤ ساعات، بحد أقصى ٤ مرات في اليوم.", "paracetamol",
               &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(4));
}

TEST_CASE("CompleteDoses: a day cap in tablets caps a count per administration") {
  medaudit::rules::Workspace ws;
  const auto* st = Checked(
      "max dose?",
      "Drug: paracetamol 500 mg\nDose: 1-2 tablets every 4-6 hours\nMaximum: 8 tablets (4 g) in "
      "24 hours",
      "paracetamol", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(4));
}

namespace {

// The day total (in milligrams) of the last paracetamol statement of `answer`, or nullopt when
// the statements were not summed.
std::optional<double> SummedParacetamolDay(const char* answer) {
  medaudit::rules::Workspace ws;
  const auto* st = LastChecked("", answer, "paracetamol", &ws);
  REQUIRE(st != nullptr);
  if (!st->daily_total) return std::nullopt;
  return st->daily_total->HighInBase();
}

}  // namespace

TEST_CASE("CompleteDoses: one medicine under two names adds up over the day") {
  // Two brands of paracetamol, the second added ("also"): 4 g + 4 g is the later one's day total.
  CHECK(SummedParacetamolDay("Take Panadol 1 g every 6 hours, and also Adol 1 g every 6 hours.") ==
        Approx(8000));
  CHECK(SummedParacetamolDay("必理通500mg，一次2片，一天4次；晚上睡前再加扑热息痛1g。") ==
        Approx(5000));
  CHECK(SummedParacetamolDay("خذ بانادول ١ غرام كل ٦ ساعات، وكمان أدول ١ غرام كل ٨ ساعات.") ==
        Approx(7000));
  // Offered as alternatives, or said to be the same medicine: one of them is taken.
  CHECK_FALSE(SummedParacetamolDay("Take Panadol 1 g every 6 hours, or Adol 1 g every 6 hours."));
  CHECK_FALSE(SummedParacetamolDay("泰诺林一次0.5g，一天3次；也可以换成扑热息痛1g，一天4次。"));
  // A reminder list restating the regimen under the generic name adds nothing.
  CHECK_FALSE(SummedParacetamolDay(
      "Tylenol (acetaminophen) 1 g every 6 hours.\nReminder: 06:00 acetaminophen 1 g"));
}

TEST_CASE("CompleteDoses: clock times of one dose are the times a day") {
  medaudit::rules::Workspace ws;
  const auto* st = Checked("",
                           "Reminders:\n06:00 ibuprofen 800 mg\n10:00 ibuprofen 800 mg\n14:00 "
                           "ibuprofen 800 mg\n18:00 ibuprofen 800 mg\n22:00 ibuprofen 800 mg",
                           "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(5));
  // A table of a syrup's volume under the question's concentration.
  st = Checked(
      "ابني وزنه 10 كيلو. الإيبوبروفين شراب 100 ملغ/5 مل.",
      "| الوقت | الكمية |\n|---|---|\n| 06:00 | 10 مل |\n| 11:00 | 10 مل |\n| 16:00 | 10 مل |",
      "ibuprofen", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day == Approx(3));
  // The same time on several days is once a day; another medicine's line ends the list.
  st = Checked("",
               "Day 1 08:00 amoxicillin 500 mg\nDay 2 08:00 amoxicillin 500 mg\n20:00 ibuprofen "
               "400 mg",
               "amoxicillin", &ws);
  REQUIRE(st != nullptr);
  CHECK(st->per_day <= 1);
}

TEST_CASE("CompleteDoses: a day total restated as a count and its mass") {
  medaudit::rules::Workspace ws;
  const auto* st =
      Checked("", "扑热息痛片一次1片（0.5g），每4小时一次，一天最多4次，也就是8片、4g。",
              "paracetamol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() * (st->count_dose ? st->count_dose->high : 1) *
            (st->per_day > 0 ? st->per_day : 1) <=
        Approx(4000));
  st = Checked("", "对乙酰氨基酚片0.5g，一次3片，一天4次，也就是12片、6g。", "paracetamol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->DailyMg());
  CHECK(*st->DailyMg() == Approx(6000));
}

TEST_CASE("CompleteDoses: a dose per kilogram with the child's weight is that many mg") {
  medaudit::rules::Workspace ws;
  struct Case {
    const char* question;
    const char* answer;
    double mg;
    bool stays_per_kg;  // no weight, or two: the amount stays per kilogram
  };
  for (const Case& c : {
           Case{"How much ibuprofen for a 14 kg toddler?",
                "Give 30 mg/kg of ibuprofen per dose, three times a day.", 420, false},
           Case{"娃14公斤，布洛芬怎么吃？", "布洛芬按体重20mg/kg每次，一天3次。", 280, false},
           Case{"طفلي وزنه ١٤ كغ كم يأخذ إيبوبروفين؟",
                "أعطه إيبوبروفين ٢٠ ملغ لكل كغ في كل جرعة، ثلاث مرات يوميا.", 280, false},
           Case{"How much ibuprofen for my toddler?",
                "Give 10 mg/kg of ibuprofen per dose, three times a day.", 10, true},
           Case{"My twins weigh 12 kg and 15 kg.",
                "Give 10 mg/kg of ibuprofen per dose, three times a day.", 10, true},
       }) {
    INFO(c.answer);
    const auto* st = Checked(c.question, c.answer, "ibuprofen", &ws);
    REQUIRE(st != nullptr);
    REQUIRE(st->dose);
    CHECK(st->dose_per_kg == c.stays_per_kg);
    CHECK(st->dose->HighInBase() == Approx(c.mg));
  }
}

namespace {

// The day total (in milligrams) the zolpidem statement of `answer` carries, or nullopt.
std::optional<double> NightTotal(const char* question, const char* answer) {
  medaudit::rules::Workspace ws;
  const auto* st = Checked(question, answer, "zolpidem", &ws);
  REQUIRE(st != nullptr);
  if (!st->daily_total) return std::nullopt;
  return st->daily_total->HighInBase();
}

}  // namespace

TEST_CASE("CompleteDoses: another dose on top of the night's regular dose") {
  // The question states the dose taken once a night: one more in the night adds to it.
  CHECK(NightTotal("I was prescribed zolpidem 10 mg at night. I wake at 3 am.",
                   "You can take another 10 mg tablet when you wake.") == Approx(20));
  CHECK(NightTotal("我刚开始吃唑吡坦，医生开的是每晚10毫克，半夜醒了睡不着。",
                   "可以再吃1片唑吡坦10毫克。") == Approx(20));
  CHECK(NightTotal("وصف لي الطبيب زولبيديم 10 ملغ كل ليلة. أستيقظ الساعة الثالثة.",
                   "يمكنك أخذ قرص زولبيديم آخر 10 ملغ.") == Approx(20));
  // The regular dose was missed, or the dose is not one more: nothing is added.
  CHECK_FALSE(NightTotal("I take zolpidem 10 mg every night but forgot it tonight.",
                         "You can take another 10 mg tablet now."));
  CHECK_FALSE(NightTotal("I take zolpidem 10 mg every night.", "Take zolpidem 10 mg at bedtime."));
}

TEST_CASE("CompleteDoses: the liquid in hand when the question names two") {
  medaudit::rules::Workspace ws;
  // Two concentrations and a switch: the one after it is the liquid now measured.
  const auto* st = Checked(
      "7.5 mL of the paracetamol infant suspension (120 mg/5 mL). The pharmacy was out of it and "
      "gave us the 250 mg/5 mL one instead.",
      "Give 7.5 mL of paracetamol per dose.", "paracetamol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(50));
  st = Checked("对乙酰氨基酚混悬液120毫克/5毫升，药店只剩250毫克/5毫升的了。",
               "对乙酰氨基酚每次7.5毫升。", "paracetamol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(50));
  st = Checked("شراب باراسيتامول 120 ملغ/5 مل، والصيدلية أعطتني 250 ملغ/5 مل بدلا منه.",
               "أعطها 7.5 مل باراسيتامول.", "paracetamol", &ws);
  REQUIRE(st != nullptr);
  REQUIRE(st->dose);
  CHECK(st->dose->HighInBase() == Approx(50));
  // Two concentrations with no switch: which one is measured is unknown.
  st = Checked("paracetamol 120 mg/5 mL or 250 mg/5 mL?", "Give 7.5 mL of paracetamol.",
               "paracetamol", &ws);
  REQUIRE(st != nullptr);
  CHECK_FALSE(st->count_dose);
}
