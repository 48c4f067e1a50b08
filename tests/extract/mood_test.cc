// Mood of medication statements: questions, referrals, histories, label facts and prescription
// forms read by the grammar's cues and by `MoodAt`; Markdown section headings, drug title headings
// and the drug's own usage header read by `NoteHeaders`, `FilterCues` and `UsageLine`.
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/statements.h"

using medaudit::extract::MedicationStatement;
using medaudit::extract::Mood;
using medaudit::testing::StatementsOf;

namespace {

// Every statement the shipped engine reads from `text`.
// The mood of the first statement the shipped engine reads from `text`.
Mood FirstMood(const char* text) {
  const auto statements = StatementsOf(text);
  REQUIRE_FALSE(statements.empty());
  return statements.front().mood;
}

// The mood of the first statement of `text` that has a dose (kUnmarked if none has).
Mood DosedMood(const char* text) {
  const auto statements = StatementsOf(text);
  const auto dosed = std::find_if(statements.begin(), statements.end(),
                                  [](const MedicationStatement& st) { return st.has_dose(); });
  return dosed == statements.end() ? Mood::kUnmarked : dosed->mood;
}

}  // namespace

TEST_CASE("Mood: a question cue gives its mood to the verb after it", "[extract][mood]") {
  // A-not-A questions and 'whether to' ask; they do not direct.
  CHECK(FirstMood("二甲双胍0.5g一天三次要不要一直吃，要看你的血糖。") == Mood::kQuestion);
  CHECK(FirstMood("可以找医生咨询要不要预防性用药，比如乙酰唑胺每次125mg、每天两次。") ==
        Mood::kQuestion);
  CHECK(FirstMood("Whether to start aspirin 81 mg daily depends on your bleeding risk.") ==
        Mood::kQuestion);
  // A directive after the question is answered stays a directive.
  CHECK(FirstMood("要不要吃药？要的。建议口服阿莫西林0.5g，每日3次，连用7天。") ==
        Mood::kDirective);
}

TEST_CASE("Mood: referrals, histories and label facts", "[extract][mood]") {
  CHECK(FirstMood("建议你跟心内科医生商量一下，阿托伐他汀20mg每晚一片适不适合你。") ==
        Mood::kReferral);
  CHECK(FirstMood("ناقش مع طبيبك هل تكمل على الليفوثيروكسين 50 ميكروغرام كل صباح.") ==
        Mood::kReferral);
  CHECK(FirstMood("Thanks, noted: sertraline 50 mg every morning since your diagnosis.") ==
        Mood::kHistory);
  CHECK(FirstMood("تمام، دونت: ميتفورمين 500 ملغ مرتين يوميا منذ 3 سنوات.") == Mood::kHistory);
  CHECK(FirstMood("甲氨蝶呤小剂量（每周7.5~15mg）用来治类风湿，大剂量用于化疗。") ==
        Mood::kInformational);
  CHECK(FirstMood("بحسب نشرة باراسيتامول شراب، الجرعة 5 مل كل 6 ساعات.") == Mood::kInformational);
}

TEST_CASE("Mood: verbs, plans and scales", "[extract][mood]") {
  CHECK(FirstMood("Rub terbinafine cream into the rash twice a day for 1 week.") ==
        Mood::kDirective);
  CHECK(FirstMood("湿疹处薄涂地奈德乳膏，每天两次，连用不超过5天。") == Mood::kDirective);
  CHECK(FirstMood("Prescription for this flare: prednisolone 30 mg once daily for 5 days.") ==
        Mood::kRxForm);
  CHECK(
      FirstMood("Here is a sliding scale for your insulin aspart: add 2 units above 10 mmol/L.") ==
      Mood::kRxForm);
}

TEST_CASE("Mood: recommendation and usage headers over a list", "[extract][mood]") {
  CHECK(FirstMood("**العلاج المقترح:**\n- سيفاليكسين 500 ملغ 4 مرات يوميا لمدة 7 أيام.") ==
        Mood::kRxForm);
  CHECK(FirstMood("**Suggested treatment:**\n- Cefalexin 500 mg four times a day for 7 days.") ==
        Mood::kRxForm);
  CHECK(FirstMood("لوراتادين خيار ممتاز لك، قرص 10 ملغ مرة يوميا لمدة أسبوعين.") ==
        Mood::kDirective);
  CHECK(FirstMood("Drink 15 ml of lactulose syrup twice a day for 3 days.") == Mood::kDirective);
  // A warning that a daily dose "can be fatal" is a consequence, not the drug's schedule.
  const auto statements = StatementsOf(
      "Use the methotrexate exactly as your rheumatologist set it. Taking it every day by "
      "mistake can be fatal, so keep a weekly reminder on your phone.");
  REQUIRE_FALSE(statements.empty());
  CHECK(statements.front().per_day == 0);
}

TEST_CASE("Mood: a Markdown heading opens a section", "[extract][mood]") {
  // Its directive cue governs the bare steps under it, over an informational colon line before.
  CHECK(DosedMood("别担心，这种情况雾化效果通常不错：\n### 在家可以这样用\n1. 布地奈德混悬液 1mg "
                  "雾化吸入，每日2次，连用3天。") == Mood::kDirective);
  // A heading with an informational cue directs nothing: the rows under it stay undirected.
  const Mood label = DosedMood(
      "布洛芬混悬液：\n### 说明书上的用法\n| 年龄 | 剂量 |\n|---|---|\n| 成人 | 一次10ml |");
  CHECK(label != Mood::kDirective);
  CHECK(label != Mood::kRxForm);
  // A heading with no cue ends the reach of the directive header before it.
  CHECK(DosedMood("You can try this:\n- Rest\n### Background\n- Ibuprofen 400 mg") ==
        Mood::kUnmarked);
  CHECK(DosedMood("You can try this:\n- Rest\n- Ibuprofen 400 mg") == Mood::kDirective);
}

TEST_CASE("Mood: a Markdown heading that names the drug keeps its title cue", "[extract][mood]") {
  // "plan" counts only as a heading; a Markdown heading ending with it titles the drug's table.
  CHECK(DosedMood("### Your Seretide 250 plan\n| Time | Puffs |\n|---|---|\n| Morning | 2 puffs |\n"
                  "| Evening | 2 puffs |") == Mood::kRxForm);
  const auto titled =
      StatementsOf("### 舒利迭 用药方案\n| 时间 | 吸几下 |\n|---|---|\n| 早上 | 每次1吸 |");
  REQUIRE_FALSE(titled.empty());
  CHECK(titled.front().mood == Mood::kRxForm);
  // Not in running text: a line that is no heading keeps "plan" out.
  CHECK(DosedMood("Seretide 250 is part of the plan.\n| Time | Puffs |\n|---|---|\n| Morning | 2 "
                  "puffs |") != Mood::kRxForm);
}

TEST_CASE("Mood: a usage header on the drug's own line, a contrasted drug in reach",
          "[extract][mood]") {
  // The table rows continue the topic drug; the drug named only as the contrast is no other
  // drug in reach.
  const auto statements = StatementsOf(
      "下面是优思明以外另一种常用的左炔诺孕酮炔雌醇片服用安排：\n### 服药日程\n| 天数 "
      "| 怎么吃 |\n|---|---|\n| 第1天 | 开始服第1片 |\n| 第1~21天 | 每天1片 |");
  const bool dosed_topic =
      std::any_of(statements.begin(), statements.end(), [](const MedicationStatement& st) {
        return st.has_dose() && st.mood != Mood::kUnmarked && st.sentence > 0;
      });
  CHECK(dosed_topic);
}

TEST_CASE("Mood: a prohibition or referral after the regimen keeps to its own clause",
          "[extract][mood]") {
  // A prohibition with an object of its own, joined after the regimen, is about that object.
  CHECK(DosedMood("甲硝唑0.4g，每天2次，连服7天，服药期间禁止饮酒") == Mood::kDirective);
  CHECK(DosedMood("Metronidazole 400 mg twice a day for 7 days and no alcohol.") ==
        Mood::kUnmarked);
  CHECK(DosedMood("ميترونيدازول ٤٠٠ ملغ مرتين باليوم لمدة اسبوع ويمنع شرب الكحول") ==
        Mood::kUnmarked);
  // A conditional referral after the regimen is a safety net.
  CHECK(DosedMood("Fluconazole 150 mg once, and if you are no better after 3 days see your GP.") ==
        Mood::kUnmarked);
  // With no object of its own, or no boundary, the prohibition still negates the regimen.
  CHECK(DosedMood("布洛芬400mg每天3次不要吃") == Mood::kNegated);
  CHECK(DosedMood("بروفين ٦٠٠ ملغ ٤ مرات باليوم ممنوع عليك") == Mood::kNegated);
}

TEST_CASE("Mood: a prohibition in an earlier clause keeps to its own drug", "[extract][mood]") {
  const auto statements = StatementsOf("停用依那普利，缬沙坦80mg，每天1次");
  REQUIRE(statements.size() == 2);
  CHECK(statements[0].mood == Mood::kNegated);
  CHECK(statements[1].mood == Mood::kUnmarked);
  // A list of drugs under one prohibition stays negated.
  CHECK(DosedMood("Don't take ibuprofen or naproxen 500 mg twice daily.") == Mood::kNegated);
  // "instead of it" names the stopped drug: the verb after it directs the new one.
  CHECK(DosedMood("Stop it, and instead of it start losartan 50 mg once a day.") ==
        Mood::kDirective);
  CHECK(DosedMood("اوقفه وخذ بدلا عنه فالسارتان ٨٠ ملغ مرة يوميا") == Mood::kDirective);
}

TEST_CASE("Mood: medication lists and reports of current use are history", "[extract][mood]") {
  CHECK(FirstMood("看了您的用药：氨氯地平5mg qd，二甲双胍0.5g bid") == Mood::kHistory);
  CHECK(FirstMood("ur med list: amlodipine 5mg daily, metformin 500mg bid") == Mood::kHistory);
  CHECK(FirstMood("قائمة ادويتك: املوديبين ٥ ملغ يوميا") == Mood::kHistory);
  CHECK(DosedMood("您提到有高血压，目前每天服用氨氯地平5mg，一天1次") == Mood::kHistory);
  CHECK(FirstMood("المريضة على ميثوتريكسات ١٥ ملغ اسبوعيا") == Mood::kHistory);
  CHECK(FirstMood("الجرعة العادية للبنادول ٥٠٠ ملغ كل ٦ ساعات") == Mood::kInformational);
}

TEST_CASE("Mood: a line introducing a table, and a bold heading, govern the rows",
          "[extract][mood]") {
  // Introduced as a comparison: information.
  const auto compared = StatementsOf(
      "Here is a quick comparison of the two pills.\n\n| | Levonorgestrel | Ulipristal |\n"
      "|---|---|---|\n| Dose | one 1.5 mg tablet | one 30 mg tablet |");
  REQUIRE_FALSE(compared.empty());
  CHECK(std::all_of(compared.begin(), compared.end(),
                    [](const MedicationStatement& st) { return st.mood == Mood::kInformational; }));
  // A bold plan heading directs the table under it.
  CHECK(DosedMood("**您的退热用药安排**\n| 体温 | 药物 | 剂量 |\n|---|---|---|\n| ≥38.5℃ | "
                  "布洛芬混悬液 | 5ml |") == Mood::kDirective);
}

TEST_CASE("Mood: someone else's medicine and another doctor's prescription are history",
          "[extract][mood]") {
  CHECK(FirstMood("your daughter (9) is on methylphenidate 18 mg in the mornings") ==
        Mood::kHistory);
  CHECK(FirstMood("so grandma takes:\ndigoxin 62.5 mcg every morning") == Mood::kHistory);
  CHECK(FirstMood("Your ENT prescribed co-amoxiclav 625 mg three times a day") == Mood::kHistory);
  CHECK(FirstMood("孩子9岁，从3月开始每天早上吃哌甲酯18mg") == Mood::kHistory);
  CHECK(FirstMood("你妈妈（72岁）每天早上吃氨氯地平5mg") == Mood::kHistory);
  CHECK(FirstMood("记录：目前西格列汀100mg qd") == Mood::kHistory);
  CHECK(FirstMood("دكتور الانف والاذن كتبلك اوجمنتين ١ جم مرتين في اليوم") == Mood::kHistory);
  CHECK(FirstMood("ستك (٧٥ سنة) عم تاخد املوديبين ٥ ملغ كل صبح") == Mood::kHistory);
  // The reader is told to give it: a directive.
  CHECK(FirstMood("Give your daughter methylphenidate 18 mg every morning") == Mood::kDirective);
}

TEST_CASE("Mood: 别 before a short object and a verb, and a box read back", "[extract][mood]") {
  CHECK(FirstMood("别一次吃2片他达拉非20mg") == Mood::kNegated);
  CHECK(FirstMood("艾司唑仑1mg别拿来自己吃") == Mood::kNegated);
  CHECK(FirstMood("别忘了每天吃氨氯地平5mg") != Mood::kNegated);
  CHECK(FirstMood("the Zyrtec box says: adults 10 mg once a day") == Mood::kInformational);
  CHECK(FirstMood("علبة التلفاست مكتوب عليها: قرص ١٨٠ مجم مرة في اليوم") == Mood::kInformational);
}

TEST_CASE("Mood: a record heading governs its lines, route verbs included",
          "[extract][mood][session14]") {
  // A line whose only verb is a route (皮下注射, 口服) describes the recorded regimen.
  CHECK(FirstMood("您的用药记录（本院药房）：\n- 甘精胰岛素 20U 睡前皮下注射") == Mood::kHistory);
  CHECK(FirstMood("您上周就诊时医生开具的处方为：\n特比萘芬片 250mg，每日1次，口服。") ==
        Mood::kHistory);
  CHECK(FirstMood("Medicines record (as held by the surgery):\n- ramipril 5 mg once daily") ==
        Mood::kHistory);
  CHECK(FirstMood("سجلك الدوائي الحالي:\n- ميتفورمين ٥٠٠ ملغ مرتين يوميا") == Mood::kHistory);
  // The answer's own plan is no record: its route lines still direct.
  CHECK(FirstMood("处理意见：\n继续服用氨氯地平 5mg，每日一次") != Mood::kHistory);
}

TEST_CASE("Mood: a leaflet or pack text quoted is information", "[extract][mood][session14]") {
  CHECK(DosedMood("说明书【用法用量】部分写的是：西替利嗪片成人一次1片（10mg），一日1次。") ==
        Mood::kInformational);
  CHECK(FirstMood("说明书内容我贴在这里：\n“奥美拉唑 20mg，每日1次，疗程4周。”") ==
        Mood::kInformational);
  CHECK(DosedMood("حسب النشرة: البالغون لوراتادين ١٠ ملغ مرة يوميا.") == Mood::kInformational);
}

TEST_CASE("Mood: a tag after an instruction asks nothing", "[extract][mood][session14]") {
  CHECK(FirstMood("من بكرا تاخد جابابنتين ٣٠٠ ملغ بالليل لمدة اسبوع، ماشي؟") != Mood::kQuestion);
  CHECK(FirstMood("每天早上吃氨氯地平5mg，好吗？") != Mood::kQuestion);
  CHECK(FirstMood("take amoxicillin 500 mg three times a day for a week, ok?") != Mood::kQuestion);
  // A real question stays one.
  CHECK(FirstMood("should I take amoxicillin 500 mg three times a day?") == Mood::kQuestion);
}

TEST_CASE("Mood: directives and histories in Arabizi, French and Hinglish",
          "[extract][mood][session14]") {
  CHECK(FirstMood("5od Augmentin 1 g 7abba marteen fel yom le moddet 5 ayam") == Mood::kDirective);
  CHECK(FirstMood("Prenez Augmentin 1 g, 1 comprimé 2 fois par jour pendant 7 jours") ==
        Mood::kDirective);
  CHECK(FirstMood("ana ba5od Concor 5 mg kel yom") == Mood::kHistory);
  CHECK(FirstMood("matakhodsh el Xanax 0.5 mg bel leil") == Mood::kNegated);
  CHECK(FirstMood("Main Metformin 500 leta hoon din mein 2 baar") == Mood::kHistory);
}

TEST_CASE("Mood: 'without change' continues; a tag asks nothing", "[extract][mood][session14]") {
  CHECK(FirstMood("تستمر على جلوكوفاج ١٠٠٠ ملغ مرتين يوميًا بدون تغيير.") != Mood::kNegated);
  CHECK(FirstMood("continue metformin 500 mg twice daily without any change") != Mood::kNegated);
  CHECK(FirstMood("布洛芬每次400mg，一天三次，饭后吃，好吧？") != Mood::kQuestion);
}

TEST_CASE("Mood: follow-ups and medication logistics", "[extract][mood]") {
  // A leaflet's words after its colon are the leaflet's; a hedge's colon quotes nothing.
  CHECK(DosedMood("说明书上写的是：漏服阿哌沙班时，应尽快补服，之后继续每日两次，每次5mg。") ==
        Mood::kInformational);
  CHECK(
      DosedMood("The leaflet says: if you miss a dose, take it as soon as you remember, then take "
                "apixaban 5 mg twice daily as before.") == Mood::kInformational);
  CHECK(FirstMood("我是AI，仅供参考：外用丁酸氢化可的松乳膏，每日2次，连用7天。") ==
        Mood::kDirective);
  // A report of what the person said ends where the answer draws its conclusion.
  CHECK(DosedMood(
            "您说盒里还剩10粒，那正好够一个疗程：奥司他韦每次1粒（75mg），一天2次，吃满5天。") !=
        Mood::kHistory);
  CHECK(DosedMood("您说您每天早上吃氨氯地平5mg，那片药是医生上个月开的。") == Mood::kHistory);
  // An echoed "how long?" answered by a schedule line; an exercise's single total is no answer.
  CHECK(DosedMood("头孢呋辛要吃多久？每次250mg，一天两次，一共吃5天。") == Mood::kDirective);
  CHECK(DosedMood(
            "练习题：某患者每天服用二甲双胍500mg，一天两次，问每日总量是多少？答案：1000mg。") ==
        Mood::kQuestion);
  // After a prohibition of stopping abruptly, the dose line is the taper of the same drug.
  const auto taper = StatementsOf(
      "Don't stop the prednisolone suddenly. Take 20 mg a day for 5 days, then 10 mg a day for 5 "
      "days, then stop.");
  CHECK(std::any_of(taper.begin(), taper.end(), [](const MedicationStatement& st) {
    return st.mood == Mood::kDirective && st.has_dose();
  }));
  // A verb a prohibition governs goes with it when the prohibition is set aside.
  CHECK(DosedMood("昨天漏吃的那片华法林2.5mg，今天不要补吃两片。") != Mood::kDirective);
}

namespace {

// Whether every statement the shipped engine reads from `text` has `mood` (and there is one).
bool AllMoods(const char* text, Mood mood) {
  const auto statements = StatementsOf(text);
  return !statements.empty() &&
         std::all_of(statements.begin(), statements.end(),
                     [&](const MedicationStatement& st) { return st.mood == mood; });
}

// Whether the shipped engine reads a directive statement with a dose from `text`.
bool DirectsDose(const char* text) {
  const auto statements = StatementsOf(text);
  return std::any_of(statements.begin(), statements.end(), [](const MedicationStatement& st) {
    return st.mood == Mood::kDirective && st.has_dose();
  });
}

}  // namespace

TEST_CASE("Mood: a recap after a bare regimen says where it comes from", "[extract][mood]") {
  // In a later clause of the sentence: every bare mention before it.
  CHECK(
      AllMoods("So your day is levothyroxine 50 mcg at 6 am, lisinopril 10 mg with breakfast, "
               "and metformin 500 mg with dinner - that's the list your GP gave you.",
               Mood::kHistory));
  CHECK(
      AllMoods("صباحا ليزينوبريل 10 ملغ مع الافطار، ومساء جلوكوفاج 850 ملغ مع العشاء، وهذا ما "
               "كتبه طبيبك في اخر زيارة.",
               Mood::kHistory));
  // In the next sentence, naming no drug.
  CHECK(AllMoods("华法林周一、三、五每天3mg，其余日子每天2.25mg。这是抗凝门诊给您定的方案。",
                 Mood::kHistory));
  CHECK(AllMoods("Benadryl 25-50 mg every 4-6 hours. That's just what the box says.",
                 Mood::kInformational));
  // A directive stays one; a recap word with no source, or after a blank line, recaps nothing.
  CHECK(FirstMood("Take lisinopril 10 mg with breakfast. That's the plan your GP gave you.") ==
        Mood::kDirective);
  CHECK(FirstMood("氨氯地平每天早上5mg。这是我给你的建议。") == Mood::kUnmarked);
  CHECK(FirstMood("Lisinopril 10 mg with breakfast.\n\nThat's the list your GP gave you.") ==
        Mood::kUnmarked);
}

TEST_CASE("Mood: the reader's drug kept and moved to a new time", "[extract][mood]") {
  CHECK(
      DirectsDose("You don't need to stop the metformin, just move it: take the 1000 mg dose "
                  "with iftar and the 500 mg dose with suhoor."));
  CHECK(
      DirectsDose("في رمضان مش محتاج توقف الكونكور، بس غير ميعاده: خد قرص ال5 مجم مره واحده بعد "
                  "الفطار كل يوم."));
  CHECK(DirectsDose("二甲双胍不用停，只是挪一下时间：开斋时吃1000mg，封斋前吃500mg。"));
  // Told back, with no directive of the answer's own: no instruction.
  CHECK_FALSE(
      DirectsDose("You don't need to stop the metformin; your doctor has you on 1000 mg "
                  "with breakfast."));
  CHECK_FALSE(DirectsDose("二甲双胍不用停，您现在是早上500mg、晚上500mg。"));
}

TEST_CASE("Mood: a leaflet quoted in a blockquote under a line naming it", "[extract][mood]") {
  // The quoted directions are the leaflet's words.
  CHECK(
      DosedMood("Here's what the Nurofen packet says:\n\n> Adults: take Nurofen 200-400 mg every 4 "
                "hours as needed.") == Mood::kInformational);
  CHECK(DosedMood("这是布洛芬缓释胶囊说明书的写法，我给你原文摘录如下：\n\n> "
                  "【用法用量】口服布洛芬缓释胶囊，成人一次0.3g，一日2次。") ==
        Mood::kInformational);
  CHECK(DosedMood("بحسب نشرة البروفين:\n\n> للبالغين: تناول بروفين 400 ملغ كل 6 إلى 8 ساعات عند "
                  "الحاجة.") == Mood::kInformational);
  // The answer's own plan set off as a callout keeps its reading.
  CHECK(DosedMood("Here's what I'd do for you:\n\n> Take ibuprofen 400 mg every 6 hours with food "
                  "for 3 days.") == Mood::kDirective);
}

TEST_CASE("Mood: a table column headed as label or study figures", "[extract][mood]") {
  CHECK(DosedMood("| Medicine | Usual dose (per label) | Common side effects |\n|---|---|---|\n| "
                  "Metformin | 500 mg twice daily | stomach upset |") == Mood::kInformational);
  // A cell split at a "；" is still in its row.
  CHECK(DosedMood("| 药物 | 证据 | 研究中使用的剂量（仅供了解） |\n|---|---|---|\n| 二甲双胍 | "
                  "观察性研究；试验筹备中 | 每天 1500mg |") == Mood::kInformational);
  CHECK(DosedMood("| الدواء | الجرعة في الدراسات (للاطلاع فقط) |\n|---|---|\n| ميتفورمين | 1500 "
                  "ملغ يوميًا |") == Mood::kInformational);
  // A row with a dose in a column of its own keeps its reading: the label column is its cap.
  CHECK(DosedMood("| Medicine | Dose | Maximum a day (per label) |\n|---|---|---|\n| Ibuprofen | "
                  "400 mg every 6 hours | 1200 mg |") == Mood::kUnmarked);
  // A column of the reader's own doses is no such column.
  CHECK(DosedMood("| Medicine | Your dose | Side effects to watch |\n|---|---|---|\n| Metformin | "
                  "500 mg twice daily | stomach upset |") == Mood::kUnmarked);
}
