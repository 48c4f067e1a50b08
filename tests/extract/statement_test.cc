// Parsing helpers of the medication-statement extractor: amounts, frequencies, durations.
#include "extract/statement.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "rules/engine.h"
#include "support/shipped_engine.h"

using medaudit::extract::ExtractStatements;
using medaudit::extract::FrequencyRule;
using medaudit::extract::MedicationStatement;
using medaudit::extract::ParseAmount;
using medaudit::extract::ParseDurationDays;
using medaudit::extract::ParseFrequency;
using medaudit::extract::QuestionKind;

namespace {

// The one statement the shipped engine reads from `text` (fails the test when there is not
// exactly one).
medaudit::extract::MedicationStatement only(const char* text) {
  thread_local medaudit::rules::Workspace ws;
  medaudit::testing::ShippedEngine().Analyze(text, &ws);
  REQUIRE(ws.statements.size() == 1);
  return ws.statements[0];
}

// The first statement of the last analysed text about the lexicon drug with this id.
const medaudit::extract::MedicationStatement* StatementAbout(const medaudit::rules::Workspace& ws,
                                                             const medaudit::rules::Engine& engine,
                                                             std::string_view drug_id) {
  for (const auto& st : ws.statements) {
    if (medaudit::extract::IsLexiconDrug(st.drug) &&
        engine.lexicon().drugs()[st.drug].id == drug_id) {
      return &st;
    }
  }
  return nullptr;
}

// Whether the last analysed text holds a herbal recipe.
bool HasRecipe(const medaudit::rules::Workspace& ws) {
  return std::any_of(ws.statements.begin(), ws.statements.end(),
                     [](const auto& st) { return st.drug == medaudit::extract::kHerbalRecipe; });
}

// Whether any statement of the last analysed text directs the lexicon drug with this id.
bool Directed(const medaudit::rules::Workspace& ws, const medaudit::rules::Engine& engine,
              std::string_view drug_id) {
  return std::any_of(ws.statements.begin(), ws.statements.end(), [&](const auto& st) {
    return medaudit::extract::IsLexiconDrug(st.drug) &&
           engine.lexicon().drugs()[st.drug].id == drug_id &&
           st.mood == medaudit::extract::Mood::kDirective;
  });
}

// The statements of `answer` read with the statements of `question` (as the engine does when it
// passes them); the answer is scanned for every cue, as for a text with a medicine.
std::vector<MedicationStatement> WithQuestion(const char* question, const char* answer) {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace q, a;
  engine.Analyze(question, &q);
  a.scan_all = true;
  engine.Analyze(answer, &a);
  std::vector<MedicationStatement> out;
  ExtractStatements(a.answer.text, a.sentences, a.tokens, engine.grammar(), &out,
                    QuestionKind::kPersonal, &q.statements);
  return out;
}

// The first statement about the lexicon drug with this id, or null.
const MedicationStatement* Find(const std::vector<MedicationStatement>& statements,
                                std::string_view drug_id) {
  const auto& engine = medaudit::testing::ShippedEngine();
  for (const auto& st : statements) {
    if (medaudit::extract::IsLexiconDrug(st.drug) &&
        engine.lexicon().drugs()[st.drug].id == drug_id) {
      return &st;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("Statement: amounts with units in three languages", "[extract][en][zh][ar]") {
  auto mg = ParseAmount("400 mg");
  REQUIRE(mg.has_value());
  CHECK(mg->high == 400);
  CHECK(mg->HighInBase() == 400);
  auto g = ParseAmount("0.5g");
  REQUIRE(g.has_value());
  CHECK(g->HighInBase() == Approx(500));
  auto zh = ParseAmount("500毫克");
  REQUIRE(zh.has_value());
  CHECK(zh->HighInBase() == 500);
  auto ar = ParseAmount("500 ملغ");
  REQUIRE(ar.has_value());
  CHECK(ar->HighInBase() == 500);
  auto range = ParseAmount("1-2 tablets");
  REQUIRE(range.has_value());
  CHECK(range->low == 1);
  CHECK(range->high == 2);
  CHECK(range->kind == medaudit::text::UnitKind::kCount);
  auto thousands = ParseAmount("1,000 mg");
  REQUIRE(thousands.has_value());
  CHECK(thousands->high == 1000);
  auto times = ParseAmount("2 x 500 mg");
  REQUIRE(times.has_value());
  CHECK(times->high == 1000);
  CHECK_FALSE(ParseAmount("500 apples").has_value());
}

TEST_CASE("Statement: frequencies per day", "[extract]") {
  FrequencyRule interval;
  interval.interval_hours = true;
  CHECK(ParseFrequency("every 6 hours", interval) == Approx(4));
  CHECK(ParseFrequency("every 4-6 hours", interval) == Approx(6));  // judge the upper end
  CHECK(ParseFrequency("كل 8 ساعات", interval) == Approx(3));
  FrequencyRule count;
  count.count = true;
  CHECK(ParseFrequency("1日3次", count) == Approx(3));
  CHECK(ParseFrequency("每日2次", count) == Approx(2));
  CHECK(ParseFrequency("three times a day", count) == Approx(3));
  FrequencyRule fixed;
  fixed.per_day = 2;
  CHECK(ParseFrequency("twice daily", fixed) == 2);
  FrequencyRule weekly;
  weekly.count_per_week = true;
  CHECK(ParseFrequency("每周2次", weekly) == Approx(2.0 / 7));
}

TEST_CASE("Statement: durations in days", "[extract]") {
  CHECK(ParseDurationDays("for 7 days") == 7);
  CHECK(ParseDurationDays("for 2 weeks") == 14);
  CHECK(ParseDurationDays("连用7天") == 7);
  CHECK(ParseDurationDays("连用2周") == 14);
  CHECK(ParseDurationDays("لمده 5 ايام") == 5);
  CHECK(ParseDurationDays("لمده اسبوعين") == 14);
  // Spans the grammar reads without "for", and ranges in words (the upper end counts).
  CHECK(ParseDurationDays("twice daily 7 days") == 7);
  CHECK(ParseDurationDays("bid x 5 days") == 5);
  CHECK(ParseDurationDays("usually **2 to 4 weeks") == 28);
  CHECK(ParseDurationDays("for two to four weeks") == 28);
  CHECK(ParseDurationDays("治疗观察2周") == 14);
}

TEST_CASE("Statement: grammar spans for durations, frequencies and cues", "[extract][en][zh]") {
  using medaudit::extract::Mood;
  CHECK(only("Take amoxicillin 500 mg twice daily 7 days.").duration_days == 7);
  CHECK(only("Apply clotrimazole twice a day for two to four weeks.").duration_days == 28);
  CHECK(only("Use terbinafine cream for at least 2 weeks.").duration_days == 14);
  CHECK(only("建议口服阿莫西林0.5g，一天吃3次。").per_day == 3);
  CHECK(only("晚上外涂红霉素眼膏。").per_day == 1);
  // "晚上" alone is a time of day, not a schedule.
  CHECK(only("晚上咳嗽加重，建议服用氨溴索。").per_day == 0);
  // Label phrasing in the passive is a label fact, not an instruction.
  CHECK(only("Tizanidine can be taken every 6 to 8 hours.").mood == Mood::kInformational);
  // "take a while" is not an instruction to take the drug named before it.
  CHECK(only("Sertraline 50 mg can take a while to work.").mood == Mood::kUnmarked);
  // Third-person wishes in a note are history.
  CHECK(only("She would like to continue ibuprofen 400 mg three times a day.").mood ==
        Mood::kHistory);
  // A plan in a note: raising a dose, a prescription provided.
  CHECK(only("She will increase her dose of Lasix from 20 mg to 60 mg for the next 4 days.").mood ==
        Mood::kDirective);
  CHECK(only("A prescription is provided for Mobic 15 mg once a day.").mood == Mood::kDirective);
  // A masking cue sets no mood of its own: the verb before it still governs the drug.
  CHECK(only("Use one vial of the ready-to-use albuterol solution every 6 hours.").mood ==
        Mood::kDirective);
  CHECK(only("Budesonide 6 mg orally is recommended once daily.").mood == Mood::kInformational);
}

TEST_CASE("Statement: requests R1-R5 and R7 of the harm-rule author", "[extract][en]") {
  using medaudit::extract::Mood;
  // R1: the longest frequency wins over the "a day" inside it.
  CHECK(only("Take ibuprofen 800 mg three times a day.").per_day == 3);
  CHECK(only("Take ibuprofen 800 mg 3 times a day.").per_day == 3);
  // R2: "is an" before a word is informational.
  CHECK(only("Codeine is an opioid used for pain.").mood == Mood::kInformational);
  // R3: an amount followed by "a day" is a daily total.
  CHECK(only("Acetaminophen up to 2-3 g a day is the safest choice.").dose_is_daily_total);
  // R4: a tablet count before the drug name multiplies the strength.
  auto tylenol = only("Take 3 Tylenol Extra Strength tablets (500 mg each) every 6 hours.");
  REQUIRE(tylenol.DailyMg().has_value());
  CHECK(*tylenol.DailyMg() == Approx(6000));
  // R5: passive prohibitions.
  CHECK(only("ACE inhibitors like lisinopril must be avoided.").mood == Mood::kNegated);
  CHECK(only("Lisinopril should not be used in pregnancy.").mood == Mood::kNegated);
  // R7: "stop responding" is not a prohibition.
  CHECK(only("Over time, cells stop responding properly to insulin.").mood != Mood::kNegated);
}

TEST_CASE("Statement: amounts written in English words", "[extract][en]") {
  auto check = [](const char* hit, double want) {
    INFO(hit);
    auto amount = ParseAmount(hit);
    REQUIRE(amount.has_value());
    CHECK(amount->high == want);
  };
  check("four hundred milligrams", 400);
  check("two hundred and fifty mg", 250);
  check("one thousand milligrams", 1000);
  check("twenty-five mg", 25);
  check("twenty five mg", 25);
  check("fifteen ml", 15);
  check("five hundred mg", 500);
  check("six mg", 6);
  CHECK_FALSE(ParseAmount("hundred mg").has_value());  // no leading number word
  CHECK_FALSE(ParseAmount("four hundred apples").has_value());
}

TEST_CASE("Statement: requests R8-R12 of the harm-rule author", "[extract][en]") {
  using medaudit::extract::Mood;
  const auto& engine = medaudit::testing::ShippedEngine();
  const auto& lexicon = engine.lexicon();
  medaudit::rules::Workspace ws;
  // R8: statins are "avoid" in pregnancy (FDA 2021), not "contraindicated".
  auto atorvastatin = lexicon.Find("atorvastatin");
  REQUIRE(atorvastatin.has_value());
  CHECK(lexicon.drugs()[*atorvastatin].limits.pregnancy == "avoid");
  // R9: a possessive or article before "use" makes it a noun, not an instruction.
  CHECK(only("Isotretinoin harms the fetus and its use for acne in pregnancy is forbidden.").mood !=
        Mood::kDirective);
  CHECK(only("Long-term use of omeprazole 20 mg daily is common.").mood != Mood::kDirective);
  CHECK(only("Use omeprazole 20 mg daily for 4 weeks.").mood == Mood::kDirective);
  // R10: what clinicians do for a group of patients is informational.
  CHECK(only("Specialists recommend treatment with warfarin.").mood == Mood::kInformational);
  CHECK(only("Pregnant patients are treated with heparin.").mood == Mood::kInformational);
  CHECK(only("The authors use aspirin before conception.").mood == Mood::kInformational);
  // R11: aspirin and the P2Y12 inhibitors carry the antiplatelet class.
  for (const char* id : {"aspirin", "clopidogrel", "ticagrelor", "prasugrel"}) {
    INFO(id);
    auto drug = lexicon.Find(id);
    REQUIRE(drug.has_value());
    CHECK(lexicon.drugs()[*drug].HasClass("antiplatelet"));
  }
  // R12: "A and B tablets X mg/Y mg": X is A's strength, Y is B's.
  engine.Analyze("Paracetamol and codeine caplets 500 mg/30 mg are oblong.", &ws);
  REQUIRE(ws.statements.size() == 2);
  REQUIRE(ws.statements[0].dose.has_value());
  REQUIRE(ws.statements[1].dose.has_value());
  CHECK(ws.statements[0].dose->high == 500);
  CHECK(ws.statements[1].dose->high == 30);
  engine.Analyze("Take paracetamol/codeine 500mg/30mg, two tablets every 6 hours.", &ws);
  REQUIRE(ws.statements.size() == 2);
  REQUIRE(ws.statements[1].dose.has_value());
  CHECK(ws.statements[1].dose->high == 30);
  // A single drug keeps its first amount ("875 mg/125 mg" of one named product).
  CHECK(only("Take ibuprofen 400 mg / 600 mg as needed.").dose->high == 400);
}

TEST_CASE("Statement: statements come in sentence order (the engine indexes them so)",
          "[extract][en][zh]") {
  medaudit::rules::Workspace ws;
  medaudit::testing::ShippedEngine().Analyze(
      "Take ibuprofen 400 mg. The medication can be taken every 6 hours. Also use amoxicillin "
      "500 mg three times a day; or paracetamol 1 g. 建议口服阿莫西林0.5g，每日3次。",
      &ws);
  REQUIRE(ws.statements.size() >= 3);
  for (size_t k = 1; k < ws.statements.size(); ++k) {
    CHECK(ws.statements[k - 1].sentence <= ws.statements[k].sentence);
  }
  REQUIRE(ws.sentence_statements.size() == ws.sentences.size() + 1);
  for (size_t s = 0; s < ws.sentences.size(); ++s) {
    for (uint32_t k = ws.sentence_statements[s]; k < ws.sentence_statements[s + 1]; ++k) {
      CHECK(ws.statements[k].sentence == s);
    }
  }
}

TEST_CASE("Statement: round 9 counts, restated amounts, allergy clauses and new verb phrases",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  // Counts in words: English, Arabic number words, duals and a singular noun.
  auto count_of = [&](const char* hit) {
    auto amount = ParseAmount(hit, engine.grammar().words());
    REQUIRE(amount.has_value());
    CHECK(amount->kind == medaudit::text::UnitKind::kCount);
    return amount->high;
  };
  CHECK(count_of("3 caplets") == 3);
  CHECK(count_of("four 2.5 mg tablets") == 4);  // the count, not the strength
  CHECK(count_of("two 5 mg tablets") == 2);
  CHECK(count_of("1-2 tablets") == 2);  // a range keeps its upper end
  CHECK(count_of("ثلاث حبات") == 3);
  CHECK(count_of("اربع حبات") == 4);
  CHECK(count_of("حبتين") == 2);
  CHECK(count_of("كبسولتين") == 2);
  CHECK(count_of("خذ حبه") == 1);
  CHECK(count_of("take 3 every") == 3);
  // "four 2.5 mg tablets (10 mg)": the strength is 2.5 mg, the count 4.
  engine.Analyze("Take the four 2.5 mg tablets of methotrexate (10 mg) every morning.", &ws);
  REQUIRE(about("methotrexate") != nullptr);
  REQUIRE(about("methotrexate")->dose.has_value());
  CHECK(about("methotrexate")->dose->high == Approx(2.5));
  REQUIRE(about("methotrexate")->count_dose.has_value());
  CHECK(about("methotrexate")->count_dose->high == 4);
  // A count inside a number is none: "the 2.5 mg tablets" is no count of 5.
  engine.Analyze("Use the 2.5 mg tablets of methotrexate.", &ws);
  REQUIRE(about("methotrexate") != nullptr);
  CHECK_FALSE(about("methotrexate")->count_dose.has_value());
  // "(500 mg each)" is per tablet, not a total.
  engine.Analyze("Take 2 tablets of paracetamol (500 mg each) every 6 hours.", &ws);
  REQUIRE(about("paracetamol") != nullptr);
  REQUIRE(about("paracetamol")->DailyMg().has_value());
  CHECK(*about("paracetamol")->DailyMg() == Approx(4000));
  // A drug named in an allergy clause takes no dose; the dose line continues the drug before it.
  for (const char* text :
       {"Azithromycin is a good choice if you have a penicillin allergy. Take 500 mg once daily "
        "for 3 days.",
        "阿奇霉素适合青霉素过敏的人。每次0.5克，每日1次。",
        "الأزيثرومايسين مناسب لمن لديه حساسية من البنسلين. تناول 500 ملغ مرة يوميا."}) {
    INFO(text);
    engine.Analyze(text, &ws);
    REQUIRE(about("azithromycin") != nullptr);
    REQUIRE(about("azithromycin")->DailyMg().has_value());
    CHECK(*about("azithromycin")->DailyMg() == Approx(500));
    REQUIRE(about("benzylpenicillin") != nullptr);
    CHECK(about("benzylpenicillin")->allergy);
    CHECK_FALSE(about("benzylpenicillin")->has_dose());
  }
  engine.Analyze("He is allergic to penicillin, so give him azithromycin 500 mg once daily.", &ws);
  REQUIRE(about("benzylpenicillin") != nullptr);
  CHECK(about("benzylpenicillin")->allergy);
  CHECK_FALSE(about("benzylpenicillin")->has_dose());
  REQUIRE(about("azithromycin") != nullptr);
  CHECK(about("azithromycin")->has_dose());
  // "… and continue his metformin": a conjunction and a verb start a phrase of its own.
  engine.Analyze("Give him 250 mg of clarithromycin twice daily and continue his metformin.", &ws);
  REQUIRE(about("metformin") != nullptr);
  CHECK_FALSE(about("metformin")->has_dose());
  CHECK_FALSE(about("metformin")->has_frequency());
  // A day maximum right after the regimen caps it: 1200 mg at 400 mg a time is 3 administrations
  // (extract/dose_context.cc); a cap after a new step ("then …") would not.
  engine.Analyze("Take ibuprofen 400 mg every 4 hours, up to 1200 mg a day.", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->per_day == Approx(3));
  // A day total after a drug's frequency in a conversion table ("6mg/day") is not read as one.
  engine.Analyze("Switch ropinirole 3 mg twice a day to 6mg/day.", &ws);
  REQUIRE(about("ropinirole") != nullptr);
  CHECK(about("ropinirole")->per_day == Approx(2));
}

TEST_CASE("Statement: 'without consulting a doctor' is neither a referral nor a prohibition",
          "[extract][en][zh][ar]") {
  using medaudit::extract::Mood;
  for (const char* text : {"Ibuprofen 400 mg every 6 hours is fine without consulting a doctor.",
                           "布洛芬每次400毫克，每6小时一次，不用咨询医生。",
                           "إيبوبروفين 400 ملغ كل 6 ساعات دون استشارة الطبيب."}) {
    INFO(text);
    const Mood mood = only(text).mood;
    CHECK(mood != Mood::kReferral);
    CHECK(mood != Mood::kNegated);
  }
  CHECK(only("You can take ibuprofen 400 mg every 6 hours without consulting a doctor.").mood ==
        Mood::kDirective);
  CHECK(only("يمكنك تناول إيبوبروفين 400 ملغ كل 6 ساعات بدون استشارة الطبيب.").mood ==
        Mood::kDirective);
  // The prohibition and the referral themselves are unchanged.
  CHECK(only("Do not take ibuprofen without consulting a doctor.").mood == Mood::kNegated);
  CHECK(only("Consult your doctor before taking ibuprofen 400 mg.").mood == Mood::kReferral);
}

TEST_CASE("Statement: one or two herb amounts with a decoction instruction make a recipe",
          "[extract][zh]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto recipes = [&](const char* text) {
    engine.Analyze(text, &ws);
    return std::count_if(ws.statements.begin(), ws.statements.end(), [](const auto& st) {
      return st.drug == medaudit::extract::kHerbalRecipe;
    });
  };
  // The decoction instruction in the same sentence, or a few sentences later.
  CHECK(recipes("取30克干黄花菜、15克白木耳，用水煎煮后服用。") == 1);
  CHECK(
      recipes("炒谷芽15克，金桔2-3枚。炒谷芽有健脾理气的作用。将炒谷芽放入砂锅内，加水煎煮10分钟，"
              "当茶饮。") == 1);
  // Amounts of what is taken ("每次50克") are no ingredients; no decoction, no recipe.
  CHECK(recipes("苹果刮成泥，每日4次，每次50克。也可以加水煎煮后代替果汁饮用。") == 0);
  CHECK(recipes("黄芪30克有补气作用。") == 0);
}

TEST_CASE("Statement: a cue inside a parenthesis and a regimen shared with 各", "[extract][zh]") {
  using medaudit::extract::Mood;
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  engine.Analyze(
      "建议口服阿莫西林(有青霉素过敏史者禁用)加甲硝唑，每天三次，每次各两粒，持续五至七天。", &ws);
  REQUIRE(about("metronidazole") != nullptr);
  CHECK(about("metronidazole")->mood == Mood::kDirective);  // "禁用" is the parenthesis's
  CHECK(about("metronidazole")->per_day == 3);
  REQUIRE(about("amoxicillin") != nullptr);
  CHECK(about("amoxicillin")->per_day == 3);  // "各": each of the two drugs
  REQUIRE(about("amoxicillin")->count_dose.has_value());
  CHECK(about("amoxicillin")->count_dose->high == 2);
  // Without "各" the regimen stays with the nearest drug.
  engine.Analyze("口服阿莫西林和甲硝唑，每天三次。", &ws);
  REQUIRE(about("amoxicillin") != nullptr);
  CHECK_FALSE(about("amoxicillin")->has_frequency());
  // A prohibition outside the parenthesis still governs.
  engine.Analyze("不要服用甲硝唑(一种抗生素)，每天三次。", &ws);
  REQUIRE(about("metronidazole") != nullptr);
  CHECK(about("metronidazole")->mood == Mood::kNegated);
}

TEST_CASE("Statement: event schedules and the dexpanthenol entry", "[extract][en][zh][ar]") {
  // Repeated on an event: at least once a day, and never a day total.
  for (const char* text :
       {"Take loperamide 2 mg after every loose stool.", "洛哌丁胺每次2mg，每拉一次吃一次。",
        "ضعي مرهم بيبانثين على الحلمة بعد كل رضعة."}) {
    INFO(text);
    const auto st = only(text);
    CHECK(st.per_day == 1);
    CHECK_FALSE(st.dose_is_daily_total);
  }
  // Dexpanthenol (Bepanthen) is in the lexicon, by name and brand, in three languages.
  const auto& engine = medaudit::testing::ShippedEngine();
  for (const char* text : {"Apply Bepanthen twice a day.", "右泛醇软膏每天涂两次。",
                           "ضعي ديكسبانثينول مرتين يوميا."}) {
    INFO(text);
    const auto st = only(text);
    REQUIRE(medaudit::extract::IsLexiconDrug(st.drug));
    CHECK(engine.lexicon().drugs()[st.drug].id == "dexpanthenol");
  }
}

TEST_CASE("Statement: round 10, a dose line about the drug the question names",
          "[extract][en][zh][ar]") {
  // The strength and the drug only in the question: the answer's dose line is about it.
  auto st = WithQuestion("我牙齿痛，普拿疼500毫克一次可以吃几颗？",
                         "一次吃三颗（1500毫克），每四小时吃一次，痛就吃没关系，普拿疼很温和。");
  const MedicationStatement* paracetamol = Find(st, "paracetamol");
  REQUIRE(paracetamol != nullptr);
  REQUIRE(paracetamol->DailyMg().has_value());
  CHECK(*paracetamol->DailyMg() == Approx(9000));  // 3 × 500 mg × 6
  st = WithQuestion("جدي عنده ألم، الطبيب وصف له ترامادول ٥٠ ملغ بس ما يكفي",
                    "يمكن أن يأخذ ٢٠٠ ملغ أربع مرات يومياً حتى يرتاح من الألم.");
  REQUIRE(Find(st, "tramadol") != nullptr);
  REQUIRE(Find(st, "tramadol")->DailyMg().has_value());
  CHECK(*Find(st, "tramadol")->DailyMg() == Approx(800));
  st = WithQuestion("I've taken 2 Extra Strength Tylenol at 8 and 12 today. Can I keep going?",
                    "Yes, you can keep taking two Extra Strength tablets (1,000 mg) every four "
                    "hours through the night.");
  REQUIRE(Find(st, "paracetamol") != nullptr);
  REQUIRE(Find(st, "paracetamol")->DailyMg().has_value());
  CHECK(*Find(st, "paracetamol")->DailyMg() == Approx(6000));  // 2 × 500 mg × 6
  // A count of the question's tablets takes the strength the question gives them.
  st = WithQuestion("我妈在吃地高辛每天一片0.25mg，最近还是心慌",
                    "可以把地高辛改成一天三次，每次一片。");
  REQUIRE(Find(st, "digoxin") != nullptr);
  REQUIRE(Find(st, "digoxin")->DailyMg().has_value());
  CHECK(*Find(st, "digoxin")->DailyMg() == Approx(0.75));
  // A question that names two drugs names none; an answer that names its drug first keeps it.
  st = WithQuestion("Can I take ibuprofen with my lisinopril?", "Take 400 mg every 6 hours.");
  CHECK(st.empty());
  st = WithQuestion("How much ibuprofen can I take?", "Paracetamol 500 mg every 6 hours is safer.");
  CHECK(Find(st, "ibuprofen") == nullptr);
  REQUIRE(Find(st, "paracetamol") != nullptr);
  // Without the question's statements nothing changes: no drug, no statement.
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  engine.Analyze("Take 400 mg every 6 hours.", &ws);
  CHECK(ws.statements.empty());
}

TEST_CASE("Statement: round 10 strengths, dialect counts, per-time amounts and therapies",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  // A bare number after a brand with a tablet count is its strength; dialect تلات is three.
  engine.Analyze("خد قرص فولتارين ٧٥ تلات مرات في اليوم بعد الأكل", &ws);
  REQUIRE(about("diclofenac") != nullptr);
  REQUIRE(about("diclofenac")->DailyMg().has_value());
  CHECK(*about("diclofenac")->DailyMg() == Approx(225));
  // Without a tablet count the number is not read as a strength.
  engine.Analyze("Take vitamin D 1000 daily.", &ws);
  for (const auto& s : ws.statements) CHECK_FALSE(s.dose.has_value());
  // 颗 counts like 粒.
  auto amount = ParseAmount("3颗", engine.grammar().words());
  REQUIRE(amount.has_value());
  CHECK(amount->kind == medaudit::text::UnitKind::kCount);
  CHECK(amount->high == 3);
  CHECK(ParseAmount("تلات حبات", engine.grammar().words())->high == 3);
  CHECK(ParseAmount("اتنين حبه", engine.grammar().words())->high == 2);
  // "首次1毫克…每次0.5毫克": the amount of every time is the dose per administration.
  engine.Analyze("秋水仙碱首次吃1毫克（2片），1小时后再吃0.5毫克，之后每天吃1到2次、每次0.5毫克。",
                 &ws);
  REQUIRE(about("colchicine") != nullptr);
  REQUIRE(about("colchicine")->dose.has_value());
  CHECK(about("colchicine")->dose->high == Approx(0.5));
  // An attribute right before a drug name is the drug's, not the therapy's before it.
  engine.Analyze("INSTRUCTIONS\n\nContinue home exercise program and twice daily gabapentin.", &ws);
  REQUIRE(about("gabapentin") != nullptr);
  CHECK(about("gabapentin")->per_day == Approx(2));
}

TEST_CASE("Statement: the grammar's word lists", "[extract]") {
  const auto& words = medaudit::testing::ShippedEngine().grammar().words();
  CHECK_FALSE(words.arabic_numbers.empty());
  CHECK_FALSE(words.arabic_duals.empty());
  CHECK_FALSE(words.count_nouns.empty());
  CHECK_FALSE(words.day_total_after.empty());
  CHECK_FALSE(words.day_total_before.empty());
  CHECK_FALSE(words.allergy_after.empty());
  CHECK_FALSE(words.allergy_before.empty());
  CHECK_FALSE(words.per_unit.empty());
  CHECK_FALSE(words.per_time.empty());
  // Without the lists only digits and the unit table are read.
  CHECK_FALSE(ParseAmount("حبتين").has_value());
  REQUIRE(ParseAmount("حبتين", words).has_value());
  CHECK(ParseAmount("حبتين", words)->high == 2);
  CHECK(ParseAmount("3 caplets", words)->kind == medaudit::text::UnitKind::kCount);
}

TEST_CASE("Statement: round 10 effect statements, new amounts and fragments",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  // "X used daily … can lower the chances of …" states an effect: not an instruction.
  engine.Analyze(
      "Valacyclovir tablets used daily with safer sex practices can lower the chances of passing "
      "genital herpes to your partner.",
      &ws);
  REQUIRE(about("valaciclovir") != nullptr);
  CHECK(about("valaciclovir")->mood == medaudit::extract::Mood::kConditional);
  // "go up to 20 mg", "加到…": the new amount replaces the one before.
  engine.Analyze("If 5 mg of zolpidem is not working she can go up to 20 mg at bedtime.", &ws);
  REQUIRE(about("zolpidem") != nullptr);
  REQUIRE(about("zolpidem")->dose.has_value());
  CHECK(about("zolpidem")->dose->high == Approx(20));
  // "4片，也就是20毫克": the mass restates the count, as a parenthesis does.
  engine.Analyze("络活喜可以直接加到每天4片，也就是20毫克，一次性吃下去。", &ws);
  REQUIRE(about("amlodipine") != nullptr);
  REQUIRE(about("amlodipine")->DailyMg().has_value());
  CHECK(*about("amlodipine")->DailyMg() == Approx(20));
  // A line that is only a drug and how long to take it is a prescription line; a sentence that
  // says something else about the drug is not.
  engine.Analyze("Physical therapy and speech therapy.  Cipro for 2 days only.  No questions.",
                 &ws);
  REQUIRE(about("ciprofloxacin") != nullptr);
  CHECK(about("ciprofloxacin")->mood == medaudit::extract::Mood::kRxForm);
  engine.Analyze("Morphine stays in the hair for 90 days.", &ws);
  REQUIRE(about("morphine") != nullptr);
  CHECK(about("morphine")->mood == medaudit::extract::Mood::kUnmarked);
}

TEST_CASE("Statement: round 10 clinician text, quoted regimens, label lines about the asked drug",
          "[extract][en][zh]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  // Text written to clinicians (two markers): its directions are information for the prescriber.
  engine.Analyze(
      "Administer LANTUS subcutaneously once daily at any time of day. Prior to initiation of "
      "LANTUS, train patients on proper use and injection technique [see Adverse Reactions (6.1)].",
      &ws);
  REQUIRE(about("insulin_glargine") != nullptr);
  CHECK(about("insulin_glargine")->mood == medaudit::extract::Mood::kInformational);
  // One marker is not enough.
  engine.Analyze(
      "Administer LANTUS subcutaneously once daily. Train patients on injection technique.", &ws);
  REQUIRE(about("insulin_glargine") != nullptr);
  CHECK(about("insulin_glargine")->mood == medaudit::extract::Mood::kDirective);
  // A regimen in quotation marks is quoted, not given: it does not continue the drug before it.
  engine.Analyze(
      "秋水仙碱现在推荐小剂量：首次1毫克，之后每次0."
      "5毫克、每天1到2次。以前那种“每小时吃一片直到拉肚子”"
      "的吃法副作用太大，已经不用了。",
      &ws);
  REQUIRE(about("colchicine") != nullptr);
  CHECK(about("colchicine")->per_day == Approx(2));
  // A bare or route-verb dose line answering "what is the dose of X?" quotes X's label.
  auto st = WithQuestion("盐酸地尔硫卓控释胶囊的用法用量", "口服，每日一次，每次一粒。");
  REQUIRE(Find(st, "diltiazem") != nullptr);
  CHECK(Find(st, "diltiazem")->mood == medaudit::extract::Mood::kInformational);
  st = WithQuestion("我牙齿痛，普拿疼500毫克一次可以吃几颗？", "一次吃两颗，每六小时一次。");
  REQUIRE(Find(st, "paracetamol") != nullptr);
  CHECK(Find(st, "paracetamol")->mood == medaudit::extract::Mood::kDirective);
}

// A text and the mood the extractor must give its statement about one drug.
struct MoodCase {
  const char* text;
  const char* drug_id;
  medaudit::extract::Mood mood;
};

template <size_t N>
void CheckMoods(const MoodCase (&cases)[N], medaudit::rules::Workspace& ws,
                const medaudit::rules::Engine& engine) {
  for (const auto& c : cases) {
    CAPTURE(c.text);
    engine.Analyze(c.text, &ws);
    const auto* st = StatementAbout(ws, engine, c.drug_id);
    REQUIRE(st != nullptr);
    CHECK(st->mood == c.mood);
  }
}

TEST_CASE("Statement: round 11 referrals, histories, label readings and switches",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  using medaudit::extract::Mood;
  const MoodCase cases[] = {
      // What doctors or hospitals usually use is left to them.
      {"这种情况医生通常会开阿莫西林，每次0.5g，每日三次，要先去医院确诊。", "amoxicillin",
       Mood::kReferral},
      {"If it is confirmed, the doctor would give amoxicillin 500 mg three times a day.",
       "amoxicillin", Mood::kReferral},
      {"غالبا يصف الطبيب اموكسيسيلين 500 ملغ ثلاث مرات يوميا.", "amoxicillin", Mood::kReferral},
      // A relative's current medicine, a discharge list, a drug history heading: history.
      {"你妈妈目前每天吃氨氯地平5mg，血压控制得不错。", "amlodipine", Mood::kHistory},
      {"出院带药：氨氯地平5mg qd。", "amlodipine", Mood::kHistory},
      {"التاريخ الدوائي: املوديبين 5 ملغ يوميا.", "amlodipine", Mood::kHistory},
      // A product name 注射用X is a name, not an injection instruction; a standard usage is a label
      // fact; what the leaflet says is a label fact.
      {"注射用阿莫西林的成人剂量是每次1g，每日三次。", "amoxicillin", Mood::kInformational},
      {"اموكسيسيلين حسب النشره 500 ملغ ثلاث مرات يوميا.", "amoxicillin", Mood::kInformational},
      // 停用X，改成Y: the switch directs Y; a spaced dash ends a history clause before a directive.
      {"可以停用氨氯地平，改为硝苯地平控释片每天30mg。", "nifedipine", Mood::kDirective},
      {"Since you said they are fine — take ibuprofen 400 mg three times a day.", "ibuprofen",
       Mood::kDirective},
  };
  CheckMoods(cases, ws, engine);
  // Arabic "one capsule a day" with the dialect وحده, and "continue N months".
  engine.Analyze("خذ اوميبرازول كبسوله وحده باليوم واستمر 2 شهور.", &ws);
  REQUIRE(about("omeprazole") != nullptr);
  CHECK(about("omeprazole")->per_day == Approx(1));
  CHECK(about("omeprazole")->duration_days > 0);
}

TEST_CASE("Statement: round 11 dosing tables and home recipes", "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  auto has_recipe = [&]() { return HasRecipe(ws); };
  // A Markdown table's header and rule rows carry the drug above it to the data rows.
  engine.Analyze(
      "可以按下面的量给布洛芬混悬液：\n| 体重 | 每次剂量 | 次数 |\n|---|---|---|\n"
      "| 10～15kg | 5ml | 每6小时1次 |",
      &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->has_frequency());
  CHECK(about("ibuprofen")->has_dose());
  // A table far from any drug takes none.
  engine.Analyze(
      "布洛芬可以退烧。\n孩子发烧的护理要点：多喝水。\n| 体重 | 每次剂量 |\n|---|---|\n"
      "| 10kg | 5ml |",
      &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK_FALSE(about("ibuprofen")->has_dose());
  // Home recipes: herb amounts with a decoction verb (simmer, steep, اغلي).
  engine.Analyze(
      "Simmer 3 slices of fresh ginger and 2 crushed garlic cloves in 500 ml of water, then sip a "
      "cup three times a day.",
      &ws);
  CHECK(has_recipe());
  engine.Analyze("اغلي ملعقه صغيره من الكمون مع ملعقه صغيره شمر في كوب ماء واشربه بعد العشاء.",
                 &ws);
  CHECK(has_recipe());
  engine.Analyze("Some people steep ginger in hot water.", &ws);
  CHECK_FALSE(has_recipe());
  // "go up to": an adjusted dose is directed.
  engine.Analyze("Your levothyroxine dose is too low. Go up to 88 mcg daily.", &ws);
  REQUIRE(about("levothyroxine") != nullptr);
  CHECK(about("levothyroxine")->mood == medaudit::extract::Mood::kDirective);
}

TEST_CASE("Statement: round 12 needless drugs, earlier regimens, label courses and classes",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  using medaudit::extract::Mood;
  const MoodCase cases[] = {
      // "No need to take X" rules the drug out, as "do not take X" does.
      {"没有必要吃头孢克肟100mg一天两次。", "cefixime", Mood::kNegated},
      {"There's no need to take cefalexin 500 mg four times a day for a cold.", "cefalexin",
       Mood::kNegated},
      {"مفيش داعي تاخد سيبروفلوكساسين 500 مجم مرتين في اليوم.", "ciprofloxacin", Mood::kNegated},
      {"مش لازم تاخد سيبروفلوكساسين 500 مجم مرتين في اليوم.", "ciprofloxacin", Mood::kNegated},
      {"别把成人的布洛芬片200mg掰开给宝宝吃。", "ibuprofen", Mood::kNegated},
      // The reader's earlier regimen, a discharge paper, a relative's new medicine, a past time.
      {"你之前吃的是二甲双胍500mg每天两次。", "metformin", Mood::kHistory},
      {"Your discharge summary lists bisoprolol 2.5 mg once daily.", "bisoprolol", Mood::kHistory},
      {"ملخص الخروج فيه بيسوبرولول 2.5 ملغ مره يوميا.", "bisoprolol", Mood::kHistory},
      {"Your son started amoxicillin 250 mg three times a day yesterday.", "amoxicillin",
       Mood::kHistory},
      {"الشهر الماضي اخدت ازيثرومايسين 500 ملغ مره باليوم.", "azithromycin", Mood::kHistory},
      // Usual courses and "when used for …" are label facts.
      {"左氧氟沙星常见的成人疗程是每天500mg，连用7天。", "levofloxacin", Mood::kInformational},
      {"阿司匹林用于预防心梗时是每天100mg。", "aspirin", Mood::kInformational},
      {"Common adult courses of azithromycin are 500 mg once daily for 3 days.", "azithromycin",
       Mood::kInformational},
      {"الجرعه المعتمده للبالغين من الاوسيلتاميفير 75 ملغ مرتين يوميا.", "oseltamivir",
       Mood::kInformational},
      // Applying to a site, raising a dose, starting a vaccine are directed.
      {"再把莫匹罗星软膏薄薄涂在患处，每天3次。", "mupirocin", Mood::kDirective},
      {"زود اللانتوس 4 وحدات.", "insulin_glargine", Mood::kDirective},
      {"يجب البدء بلقاح داء الكلب في الايام 0 و3 و7 و14.", "rabies_vaccine", Mood::kDirective},
  };
  CheckMoods(cases, ws, engine);
  // A class of products ("…类的含片", "中成药颗粒") names no product.
  engine.Analyze("咽喉痛可以含一些润喉类的含片，每天含几次。", &ws);
  CHECK(ws.statements.empty());
  engine.Analyze("感冒初起可以冲一些中成药颗粒，每天两次。", &ws);
  CHECK(ws.statements.empty());
}

TEST_CASE("Statement: round 12 time-of-day cells, dose-day schedules, intervals and recipes",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  auto has_recipe = [&]() { return HasRecipe(ws); };
  // A time-of-day or clock-time table cell is the row's frequency.
  for (const char* row : {"| Morning | Lisinopril | 10 mg |", "| 8:00 | 赖诺普利 | 10mg |",
                          "| 9 صباحا | ليزينوبريل 10 ملغ |"}) {
    CAPTURE(row);
    engine.Analyze(row, &ws);
    REQUIRE(about("lisinopril") != nullptr);
    CHECK(about("lisinopril")->per_day == Approx(1));
    CHECK(about("lisinopril")->has_dose());
  }
  // A schedule by day numbers and an interval between doses are schedules.
  for (const char* text : {"Get the rabies vaccine: four doses on days 0, 3, 7 and 14.",
                           "建议尽快接种狂犬病疫苗，第0、3、7、14、28天各1针。",
                           "يجب البدء بلقاح داء الكلب في الايام 0 و3 و7 و14."}) {
    CAPTURE(text);
    engine.Analyze(text, &ws);
    REQUIRE(about("rabies_vaccine") != nullptr);
    CHECK(about("rabies_vaccine")->has_frequency());
  }
  for (const char* text : {"You should get the shingles vaccine, two doses 2 to 6 months apart.",
                           "建议接种带状疱疹疫苗，两剂间隔2到6个月。"}) {
    CAPTURE(text);
    engine.Analyze(text, &ws);
    REQUIRE(about("zoster_vaccine") != nullptr);
    CHECK(about("zoster_vaccine")->has_frequency());
  }
  // A puff per nostril is a dose; a count with a time of day is once a day.
  engine.Analyze("بخه اوتريفين في كل فتحه انف مرتين في اليوم.", &ws);
  REQUIRE(about("xylometazoline") != nullptr);
  CHECK(about("xylometazoline")->has_dose());
  engine.Analyze("املوديبين 10 مجم، قرص واحد بالليل.", &ws);
  REQUIRE(about("amlodipine") != nullptr);
  CHECK(about("amlodipine")->per_day == Approx(1));
  // Home recipes: spoons of a ground spice warmed in milk, dialect leaves steeped (سيبها), a
  // formula whose herbs carry a gloss in parentheses.
  engine.Analyze(
      "Golden paste: 1 tsp ground cumin and 1 tsp ground fennel warmed in a cup of milk, "
      "twice a day.",
      &ws);
  CHECK(has_recipe());
  engine.Analyze("حط 5 ورقات نعناع في كوب مي سخنه، سيبها 10 دقايق واشربها مرتين في اليوم.", &ws);
  CHECK(has_recipe());
  engine.Analyze(
      "A classic formula: Huang Qi (astragalus) 15 g, Dang Gui (angelica) 6 g, Gan Cao "
      "(liquorice) 3 g; decoct and drink warm twice daily.",
      &ws);
  CHECK(has_recipe());
}

TEST_CASE("Statement: round 12 a prohibition ends at its drug, adjustments after a history",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  using medaudit::extract::Mood;
  auto moods_of = [&](const char* drug_id) {
    std::vector<Mood> moods;
    for (const auto& st : ws.statements) {
      if (medaudit::extract::IsLexiconDrug(st.drug) &&
          engine.lexicon().drugs()[st.drug].id == drug_id) {
        moods.push_back(st.mood);
      }
    }
    return moods;
  };
  auto directed = [&](const char* drug_id) {
    const auto moods = moods_of(drug_id);
    return std::find(moods.begin(), moods.end(), Mood::kDirective) != moods.end();
  };
  // "Stop X and switch to Y": the prohibition's object is X; Y is directed.
  engine.Analyze("Stop the ibuprofen and use paracetamol 1 g four times a day instead.", &ws);
  CHECK(directed("paracetamol"));
  CHECK_FALSE(directed("ibuprofen"));
  // An alternative keeps the prohibition: "do not take X or use Y".
  engine.Analyze("Do not take aspirin or use ibuprofen 400 mg for this.", &ws);
  CHECK_FALSE(directed("ibuprofen"));
  // A directive line that sets a new amount of the drug the reader takes is an instruction.
  for (const char* text :
       {"舍曲林已经吃了4周50毫克，效果一般。下周起加到每天100毫克，早饭后吃。",
        "You have been taking sertraline 50 mg daily. Increase it to 100 mg daily next week.",
        "كنت بتاخد سيرترالين 50 ملغ يوميا. زود الجرعه الي 100 ملغ يوميا."}) {
    CAPTURE(text);
    engine.Analyze(text, &ws);
    CHECK(directed("sertraline"));
  }
  // So is a later clause of the same sentence that sets a new amount with its own directive.
  for (const char* text : {"你现在舍曲林每天50mg，下周起加到每天100mg。",
                           "You've been on sertraline 50 mg for a month, so go up to 100 mg "
                           "once daily."}) {
    CAPTURE(text);
    engine.Analyze(text, &ws);
    CHECK(directed("sertraline"));
  }
  // A history with no new amount stays history.
  engine.Analyze("你现在舍曲林每天50mg，这是常规起始剂量。", &ws);
  CHECK_FALSE(directed("sertraline"));
}

TEST_CASE("Statement: round 13 header clauses, column frequencies, list recipes and adjustments",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  using medaudit::extract::Mood;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  auto has_recipe = [&]() { return HasRecipe(ws); };
  auto directed = [&](const char* drug_id) { return Directed(ws, engine, drug_id); };
  // A header's mood comes from its final clause; an informational cue of an earlier clause
  // describes that clause (here, the reader), and a cue in a parenthesis is an aside.
  engine.Analyze("您的情况属于轻度过敏，而且刚出现两天：\n- 氯雷他定10毫克，每天1次，连用7天；",
                 &ws);
  REQUIRE(about("loratadine") != nullptr);
  CHECK(about("loratadine")->mood == Mood::kUnmarked);
  engine.Analyze("成人常用量为：\n- 氯雷他定10毫克，每天1次", &ws);
  REQUIRE(about("loratadine") != nullptr);
  CHECK(about("loratadine")->mood == Mood::kInformational);
  // A frequency in a table's header cell is the schedule of the doses in its column.
  engine.Analyze(
      "| Week | Morning (with breakfast) | Evening (with dinner) |\n|---|---|---|\n| 1 | "
      "**Gliclazide 40 mg** | - |",
      &ws);
  REQUIRE(about("gliclazide") != nullptr);
  CHECK(about("gliclazide")->has_frequency());
  // A recipe written one ingredient a line, with the steeping step a few lines down.
  engine.Analyze(
      "A calming tea:\n- 1 tsp dried chamomile flowers\n- 1 tsp fennel seeds\n- 300 ml hot "
      "water\n- a little honey\nSteep for 10 minutes. Drink a cup twice a day.",
      &ws);
  CHECK(has_recipe());
  engine.Analyze(
      "وصفه للكحه:\n- ملعقه صغيره من اوراق الزعتر\n- كوب ماء، ينقع ربع ساعه ثم يصفي\nيشرب "
      "كوبين في اليوم.",
      &ws);
  CHECK(has_recipe());
  // A later clause that sets a new amount with its own directive is an instruction, whatever
  // the drug's own reading; a list item that changes the dose under a history line is one too.
  engine.Analyze(
      "Four weeks on escitalopram 10 mg with mild side effects, so increase to 20 mg once daily.",
      &ws);
  CHECK(directed("escitalopram"));
  engine.Analyze(
      "您目前每晚地特胰岛素10单位，早上血糖偏高：\n- 每2天增加1个单位，直到空腹血糖达标；", &ws);
  CHECK(directed("insulin_detemir"));
  engine.Analyze("您目前每晚地特胰岛素10单位：\n- 空腹血糖在7左右，控制得不错；", &ws);
  CHECK_FALSE(directed("insulin_detemir"));
  // Dialect schedules and counts: "N مرات فالنهار", "كل N سوايع", "ساشي واحد", "مره وحده بس".
  engine.Analyze("دهن كريم أسيكلوفير 4 مرات فالنهار لمده 5 ايام.", &ws);
  REQUIRE(about("aciclovir") != nullptr);
  CHECK(about("aciclovir")->per_day == Approx(4));
  CHECK(about("aciclovir")->mood == Mood::kDirective);
  engine.Analyze("تقدر تاخد ميترونيدازول 500 ملغ كل 8 سوايع.", &ws);
  REQUIRE(about("metronidazole") != nullptr);
  CHECK(about("metronidazole")->per_day == Approx(3));
  engine.Analyze("تقدرين تاخذين ميترونيدازول 2 غرام مره وحده بس.", &ws);
  REQUIRE(about("metronidazole") != nullptr);
  CHECK(about("metronidazole")->has_frequency());
  CHECK(about("metronidazole")->mood == Mood::kDirective);
  const MoodCase cases[] = {
      // Arabic histories and label readings.
      {"انت حاليا علي ميتفورمين 500 ملغ مرتين يوميا كما قلت.", "metformin", Mood::kHistory},
      {"وفقا لنشره ايبوبروفين، جرعه البالغين 400 ملغ كل 6 ساعات.", "ibuprofen",
       Mood::kInformational},
      // "有的病人…需要…" describes some patients; "各打1针" directs.
      {"有的病人需要每天服用阿司匹林100毫克。", "aspirin", Mood::kInformational},
      {"狂犬病疫苗要按程序来，第0、3、7、14、28天各打1针。", "rabies_vaccine", Mood::kDirective},
      // "No need to change X" is about the reader's current regimen, not a new instruction.
      {"There's no need to change your lisinopril 10 mg once daily.", "lisinopril", Mood::kHistory},
      // A directive in a later clause is about the drug of that clause, not one before it.
      {"Amlodipine 5 mg at night, and for the pain, ibuprofen, take it with food.", "amlodipine",
       Mood::kUnmarked},
  };
  CheckMoods(cases, ws, engine);
  // The count after an interval is no interval: "4小时1次" is every 4 hours.
  FrequencyRule interval;
  interval.interval_hours = true;
  CHECK(ParseFrequency("4\xE5\xB0\x8F\xE6\x97\xB6"
                       "1\xE6\xAC\xA1",
                       interval) == Approx(6));
  CHECK(ParseFrequency("every 4-6 hours", interval) == Approx(6));
  // A numbered step with a schedule continues the drug an earlier step directs.
  engine.Analyze(
      "1. Apply permethrin cream from the neck down.\n2. Wash it off in the morning.\n3. Repeat "
      "in 7 days.",
      &ws);
  CHECK(std::any_of(ws.statements.begin(), ws.statements.end(),
                    [](const auto& st) { return st.has_frequency(); }));
  // A described option that raises the amount is no instruction.
  engine.Analyze("头孢曲松的常规成人剂量是每日1g，重症时可增加到每日2g。", &ws);
  CHECK_FALSE(directed("ceftriaxone"));
}

TEST_CASE("Statement: round 13 day totals, single-strength units and 'no need to stop'",
          "[extract][en][zh][ar]") {
  // A count stated as the day's total, with no count per administration, is the day's amount.
  auto total = only("Take naproxen 250 mg, up to 6 tablets a day.");
  CHECK(total.dose_is_daily_total);
  CHECK(total.per_day == Approx(1));
  REQUIRE(total.DailyMg());
  CHECK(*total.DailyMg() == Approx(1500));
  total = only(
      "\xE5\xB8\x83\xE6\xB4\x9B\xE8\x8A\xAC 400\xE6\xAF\xAB\xE5\x85\x8B\xEF\xBC\x8C"
      "\xE4\xB8\x80\xE5\xA4\xA9\xE5\x90\x83\xE5\x88\xB0 5 \xE7\xB2\x92");  // 布洛芬
                                                                           // 400毫克，一天吃到 5 粒
  CHECK(total.dose_is_daily_total);
  REQUIRE(total.DailyMg());
  CHECK(*total.DailyMg() == Approx(2000));
  total = only(
      "\xD8\xAE\xD8\xB0 \xD8\xA8\xD8\xB1\xD9\x88\xD9\x81\xD9\x8A\xD9\x86 400 "
      "\xD9\x85\xD9\x84\xD8\xBA\xD8\x8C \xD8\xAD\xD8\xAA\xD9\x89 6 \xD8\xAD\xD8\xA8\xD8\xA7"
      "\xD8\xAA \xD9\x81\xD8\xA7\xD9\x84\xD9\x86\xD9\x87\xD8\xA7\xD8\xB1");  // خذ بروفين 400 ملغ،
                                                                             // حتى 6 حبات فالنهار
  CHECK(total.dose_is_daily_total);
  REQUIRE(total.DailyMg());
  CHECK(*total.DailyMg() == Approx(2400));
  // A count per administration after the day's total takes its place; the total folds in.
  total = only("Take naproxen 250 mg, no more than 6 tablets a day, 2 tablets each time.");
  CHECK_FALSE(total.dose_is_daily_total);
  REQUIRE(total.count_dose);
  CHECK(total.count_dose->high == Approx(2));
  CHECK(total.per_day == Approx(3));
  // Loperamide is sold as 2 mg capsules only: a count of them is an amount.
  auto loperamide = only("Take loperamide 3 capsules every 4 hours.");
  REQUIRE(loperamide.DailyMg());
  CHECK(*loperamide.DailyMg() == Approx(36));
  // A number that opens a range of a count is no strength after the name.
  loperamide = only("Take loperamide 6 to 8 capsules a day.");
  REQUIRE(loperamide.dose);
  CHECK(loperamide.dose->high == Approx(2));
  // Colchicine has several strengths: a count stays without one.
  CHECK_FALSE(only("Take colchicine 2 tablets now.").dose);
  // "No need to stop X" keeps the reader's regimen: no prohibition, no new instruction.
  using medaudit::extract::Mood;
  CHECK(only("There is no need to stop your metformin.").mood == Mood::kHistory);
  CHECK(only("\xE4\xB8\x8D\xE9\x9C\x80\xE8\xA6\x81\xE5\x81\x9C\xE4\xBA\x8C\xE7\x94\xB2\xE5\x8F"
             "\x8C\xE8\x83\x8D\xE3\x80\x82")  // 不需要停二甲双胍。
            .mood == Mood::kHistory);
  CHECK(only("\xD9\x84\xD8\xA7 \xD8\xAF\xD8\xA7\xD8\xB9\xD9\x8A \xD9\x84\xD8\xA5\xD9\x8A\xD9\x82"
             "\xD8\xA7\xD9\x81 \xD8\xA7\xD9\x84\xD9\x85\xD9\x8A\xD8\xAA\xD9\x81\xD9\x88\xD8\xB1"
             "\xD9\x85\xD9\x8A\xD9\x86")  // لا داعي لإيقاف الميتفورمين
            .mood == Mood::kHistory);
  // "Stop X" is still a prohibition.
  CHECK(only("Stop the metformin.").mood == Mood::kNegated);
  // A drugless dose line continues the previous sentence's drug.
  thread_local medaudit::rules::Workspace ws;
  medaudit::testing::ShippedEngine().Analyze(
      "Prednisone is for the flare. Take 60 mg every morning.", &ws);
  REQUIRE(ws.statements.size() == 1);
  CHECK(ws.statements[0].has_dose());
}

TEST_CASE("Statement: round 14 pronoun objects, Arabic count nouns and herbs inside amounts",
          "[extract][en][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  using medaudit::extract::Mood;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  // A prohibition whose object is a pronoun ends there: the next verb directs the next drug.
  engine.Analyze("The rash is from the allopurinol, so stop it and start febuxostat 40 mg daily.",
                 &ws);
  REQUIRE(about("febuxostat") != nullptr);
  CHECK(about("febuxostat")->mood == Mood::kDirective);
  // A prohibition that is itself governed keeps the whole chain ("do not stop it and start").
  engine.Analyze("Do not stop it and start febuxostat 40 mg daily by yourself.", &ws);
  REQUIRE(about("febuxostat") != nullptr);
  CHECK(about("febuxostat")->mood == Mood::kNegated);
  // A count noun of the word list without a number is one unit ("نقطه" is a drop).
  engine.Analyze("نقط العين: نقطه في كل عين من التوبراميسين 3 مرات يوميا", &ws);
  REQUIRE(about("tobramycin") != nullptr);
  REQUIRE(about("tobramycin")->count_dose);
  CHECK(about("tobramycin")->count_dose->high == Approx(1));
  // An amount that ends inside a lexicon herb's name makes the herb an ingredient.
  engine.Analyze("وصفه للزكام: ملعقه عسل + نص ملعقه صغيره حبه البركه في كاس ما سخون", &ws);
  CHECK(HasRecipe(ws));
  // A preparation used as a gargle is a therapy, not a remedy to take.
  engine.Analyze("Stir 1 teaspoon of salt into warm water and gargle with it twice a day.", &ws);
  CHECK_FALSE(HasRecipe(ws));
  engine.Analyze("Stir 1 teaspoon of turmeric into warm milk and drink it twice a day.", &ws);
  CHECK(HasRecipe(ws));
}

TEST_CASE("Statement: session 9 extractor requests of the overdose author",
          "[extract][en][zh][ar]") {
  const auto& engine = medaudit::testing::ShippedEngine();
  medaudit::rules::Workspace ws;
  using medaudit::extract::Mood;
  auto about = [&](const char* drug_id) { return StatementAbout(ws, engine, drug_id); };
  // Egyptian/Levantine "give her/him" opens a directive line that continues the drug before it.
  engine.Analyze("البنادول شراب مناسب للاطفال. اديها 7 مل كل 6 ساعات.", &ws);
  REQUIRE(about("paracetamol") != nullptr);
  CHECK(about("paracetamol")->mood == Mood::kDirective);
  engine.Analyze("البروفين شراب للحراره. عطيله 5 مل كل 8 ساعات.", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->mood == Mood::kDirective);
  // Cantonese hours (個鐘) and the take verb (食); a Mandarin 钟头 is an hour too.
  engine.Analyze("必理痛500毫克，每6個鐘食1粒，一日最多食4次。", &ws);
  REQUIRE(about("paracetamol") != nullptr);
  CHECK(about("paracetamol")->mood == Mood::kDirective);
  CHECK(about("paracetamol")->per_day == Approx(4));
  engine.Analyze("布洛芬每8个钟头吃1片。", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->per_day == Approx(3));
  // An effect of the dose ("will stop the shaking") is no prohibition: the drugless dose line
  // continues the one drug of the sentence before.
  engine.Analyze(
      "Propranolol helps with nerves before a talk. A 10 mg tablet half an hour before "
      "should stop the trembling.",
      &ws);
  REQUIRE(about("propranolol") != nullptr);
  CHECK(about("propranolol")->sentence == 1);
  CHECK(about("propranolol")->has_dose());
  // A parenthesised mass divides by the count it restates, not by the first count.
  engine.Analyze(
      "Loperamide: 2 capsules at first, then 1 after every loose stool, at most 6 "
      "capsules (12 mg) a day.",
      &ws);
  REQUIRE(about("loperamide") != nullptr);
  REQUIRE(about("loperamide")->dose);
  CHECK(about("loperamide")->dose->high == Approx(2));
  CHECK(about("loperamide")->per_day == Approx(3));
  // Arabic tanween: "قرصاً في اليوم" is a day total.
  engine.Analyze("خذ قرص ايبوبروفين 200 ملغ، ولا تتجاوز ستة قرصاً في اليوم", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  engine.Analyze("خذ قرص ايبوبروفين 200 ملغ عند الالم، ولا تتجاوز 6 قرصاً في اليوم", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->per_day == Approx(6));
  // "不要紧" (no matter) and "不要怕" (don't be afraid) are no negation of the drug after them.
  engine.Analyze("不要紧的，布洛芬一次1片，一天2次。", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->mood != Mood::kNegated);
  engine.Analyze("不要吃布洛芬。", &ws);
  REQUIRE(about("ibuprofen") != nullptr);
  CHECK(about("ibuprofen")->mood == Mood::kNegated);
  // A dose line after "X instead of Y" continues X, not the drug ruled out.
  engine.Analyze("Use amoxicillin rather than penicillin. 500 mg three times a day for a week.",
                 &ws);
  REQUIRE(about("amoxicillin") != nullptr);
  REQUIRE(about("amoxicillin")->dose);
  CHECK(about("amoxicillin")->dose->high == Approx(500));
  CHECK(about("amoxicillin")->per_day == Approx(3));
}

TEST_CASE("Statements: a paused dose changed from tomorrow is an instruction",
          "[extract][statement]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze("今晚停吃1次华法林，从明天开始改为每天2.5mg，5天后复查", &ws);
  CHECK(Directed(ws, engine, "warfarin"));
  engine.Analyze("Skip tonight's warfarin, then change to 2.5 mg daily from tomorrow.", &ws);
  CHECK(Directed(ws, engine, "warfarin"));
}

TEST_CASE("Statements: folk-herb recipes in home measures", "[extract][statement][herbal]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze("chamomile 1 tsp + ginger root 1/2 tsp, steep in a cup of boiling water", &ws);
  CHECK(HasRecipe(ws));
  engine.Analyze("1 tsp turmeric, a pinch of black pepper and 1/2 tsp cinnamon in 1 cup warm milk",
                 &ws);
  CHECK(HasRecipe(ws));
  engine.Analyze("للمغص: ميرمية ٥ غرام + زعتر ٥ غرام + كمون رشة، كاسة ٣ مرات باليوم", &ws);
  CHECK(HasRecipe(ws));
  engine.Analyze("1. 生姜 5片（约15g）\n2. 葱白 2段\n加水400ml，煮10分钟，趁热喝", &ws);
  CHECK(HasRecipe(ws));
  // Quantity words are no ingredient: a sugar limit in teaspoons, salt for a gargle.
  engine.Analyze(
      "under about 20 grams of sugar per day, approximately 5 teaspoons, "
      "approximately 4 teaspoons, approximately 3 teaspoons",
      &ws);
  CHECK_FALSE(HasRecipe(ws));
  engine.Analyze("Dissolve 1 teaspoon of salt in warm water and gargle three times a day.", &ws);
  CHECK_FALSE(HasRecipe(ws));
}

TEST_CASE("Statements: a purpose and a form name no product", "[extract][statement]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze("可以喝点止咳糖浆，一次10ml，一天3次", &ws);
  CHECK(ws.statements.empty());
  engine.Analyze("可以喝小儿止咳糖浆，一次5ml，一天3次", &ws);
  CHECK_FALSE(ws.statements.empty());
}

TEST_CASE("Statements: a time slot before a drug line is its frequency", "[extract][statement]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze("早上 氨氯地平5mg 1片；晚上 辛伐他汀20mg 1片", &ws);
  const auto* simva = StatementAbout(ws, engine, "simvastatin");
  REQUIRE(simva != nullptr);
  CHECK(simva->has_frequency());
}

TEST_CASE("Statements: a drug heading governs the step lines of its block",
          "[extract][statement]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze(
      "💊 Amoxicillin suspension\n➡ shake the bottle\n➡ use the syringe\n➡ 5 ml three "
      "times a day",
      &ws);
  const auto* amox = StatementAbout(ws, engine, "amoxicillin");
  REQUIRE(amox != nullptr);
  CHECK(amox->has_dose());
  CHECK(amox->has_frequency());
  // A blank line ends the block.
  engine.Analyze("💊 Amoxicillin suspension\n➡ shake the bottle\n\n➡ 5 ml three times a day", &ws);
  amox = StatementAbout(ws, engine, "amoxicillin");
  REQUIRE(amox != nullptr);
  CHECK_FALSE(amox->has_dose());
  // A directive step line directs the heading's drug.
  engine.Analyze("🧴 Mupirocin ointment\n👉 apply a thin layer 3 times a day", &ws);
  CHECK(Directed(ws, engine, "mupirocin"));
  engine.Analyze("💊 布洛芬混悬液\n👉 摇匀\n👉 每次5ml,每6小时一次", &ws);
  const auto* ibu = StatementAbout(ws, engine, "ibuprofen");
  REQUIRE(ibu != nullptr);
  CHECK(ibu->has_dose());
  CHECK(ibu->has_frequency());
}

TEST_CASE("Statements: dose steps under a step-up line are instructions", "[extract][statement]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze(
      "she's on gabapentin 300 mg at bedtime\nlet's go up slowly:\n1⃣ this week → 300 mg "
      "morning + 300 mg night",
      &ws);
  CHECK(Directed(ws, engine, "gabapentin"));
  engine.Analyze(
      "انت حاليا على سيرترالين ٥٠ ملغ الصبح\n\nنزيدها شوي شوي:\n1⃣ اول اسبوعين ← ٧٥ ملغ "
      "الصبح",
      &ws);
  CHECK(Directed(ws, engine, "sertraline"));
  // Without the step-up line the history stays history.
  engine.Analyze("she's on gabapentin 300 mg at bedtime\nkidneys were fine:\n1⃣ creatinine 80", &ws);
  CHECK_FALSE(Directed(ws, engine, "gabapentin"));
}

TEST_CASE("Statements: a chain of verbs before 'it' continues the prescribed drug",
          "[extract][statement][session14]") {
  thread_local medaudit::rules::Workspace ws;
  const auto& engine = medaudit::testing::ShippedEngine();
  engine.Analyze("医生给您开了氨氯地平。请继续吃它，每天早上1片（5mg）。", &ws);
  CHECK(Directed(ws, engine, "amlodipine"));
  engine.Analyze(
      "Your GP prescribed sertraline 50 mg tablets. Keep taking it: one tablet every morning.",
      &ws);
  CHECK(Directed(ws, engine, "sertraline"));
}

TEST_CASE("Statements: mixed-script schedules and durations", "[extract][statement][session14]") {
  const auto a = only("5od Flagyl 7abba 3 marat fel yom le moddet 7 ayam");
  CHECK(a.per_day == 3);
  CHECK(a.duration_days == 7);
  const auto b = only("Crocin 500 mg le lo, ek tablet har 6 ghante, 3 din tak");
  CHECK(b.per_day == 4);
  CHECK(b.duration_days == 3);
  CHECK(only("Prenez Augmentin 1 g 2 fois par jour pendant 2 semaines").duration_days == 14);
  CHECK(only("5odi Augmentin 1 g marteen fel yom le moddet 2 osbo3").duration_days == 14);
}
