// Extractor attachment: which drug a line or an amount belongs to across list items
// and clauses. Texts are our own paraphrases.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::Mood;
using medaudit::rules::Engine;
using medaudit::rules::Workspace;
using medaudit::testing::StatementsFor;
using medaudit::testing::StatementsIn;

const Engine& Shipped() { return medaudit::testing::ShippedEngine(); }

}  // namespace

TEST_CASE("Attachment: a list item with a directive verb and an object of its own is a new step",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    const char* drug;
  };
  const Case stops[] = {
      {"- تسحر جيدا\n- **توقف عن الإنسولين أثناء ساعات الصيام**\n- اشرب الماء بعد الإفطار",
       "insulin_human"},
      {"- 吃好封斋饭\n- **禁食期间停用胰岛素**\n- 喝温开水，每天3次", "insulin_human"},
      {"- Keep a food diary\n- Do not take ibuprofen for now\n- Take a walk twice a day",
       "ibuprofen"},
  };
  for (const Case& c : stops) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(found.size() == 1);
    CHECK(found[0].mood == Mood::kNegated);
    CHECK(found[0].sentence == 1);  // the drug's own item, not the next one
    CHECK(found[0].per_day == 0);
  }
  // A dose item, an item that refers back, or a verb with a place continues the drug.
  const Case continues[] = {
      {"- Take ibuprofen for the pain\n- Take 2 tablets three times a day", "ibuprofen"},
      {"- Use hydrocortisone cream on the rash\n- Apply to the affected area twice a day",
       "hydrocortisone"},
      {"- Use hydrocortisone cream on the rash\n- Apply it twice a day", "hydrocortisone"},
      {"- 建议服用布洛芬\n- 每天3次，每次1片", "ibuprofen"},
      {"- استخدم كريم الهيدروكورتيزون\n- ضعه على المنطقة مرتين في اليوم", "hydrocortisone"},
      {"- **خذ الأملوديبين**\n- خذ الدواء في نفس الوقت كل يوم", "amlodipine"},
      {"- Start amlodipine\n- Take your medicine at the same time every day", "amlodipine"},
      {"- 建议服用氨氯地平\n- 吃药时间固定，每天1次", "amlodipine"},
  };
  for (const Case& c : continues) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(!found.empty());
    CHECK(found.back().per_day > 0);
  }
}

TEST_CASE("Attachment: a dose line after a comparison goes to the topic, not the contrasted drug",
          "[extract][en][zh][ar]") {
  const char* texts[] = {
      "Amoxicillin is different from penicillin. Take 500 mg three times a day.",
      "Amoxicillin works better than penicillin here. It covers more germs. Take 500 mg three "
      "times a day.",
      "阿莫西林和青霉素不一样。每次500毫克，一天三次。",
      "الأموكسيسيلين يختلف عن البنسلين. خذ 500 ملغ ثلاث مرات في اليوم.",
      "الأموكسيسيلين أفضل مقارنة بالبنسلين. خذ 500 ملغ ثلاث مرات في اليوم.",
  };
  for (const char* text : texts) {
    INFO(text);
    Workspace ws;
    Shipped().Analyze(text, &ws);
    auto amoxicillin = StatementsFor(ws, "amoxicillin");
    auto penicillin = StatementsFor(ws, "benzylpenicillin");
    REQUIRE(amoxicillin.size() == 1);
    REQUIRE(penicillin.size() == 1);
    CHECK(amoxicillin[0].per_day == 3);
    CHECK(penicillin[0].per_day == 0);
    CHECK(!penicillin[0].has_dose());
  }
  // In one sentence: an amount after a comparison is the topic's.
  const char* in_sentence[] = {
      "Take amoxicillin rather than penicillin, 500 mg three times a day.",
      "Amoxicillin works better than penicillin: take 500 mg three times a day.",
      "阿莫西林比青霉素好，每次500毫克，一天三次。",
      "الأموكسيسيلين أفضل من البنسلين، خذ 500 ملغ ثلاث مرات يوميا.",
  };
  for (const char* text : in_sentence) {
    INFO(text);
    Workspace ws;
    Shipped().Analyze(text, &ws);
    CHECK(StatementsFor(ws, "amoxicillin").at(0).per_day == 3);
    CHECK(StatementsFor(ws, "benzylpenicillin").at(0).per_day == 0);
  }
  // No comparison: the line continues the drug named last, as before.
  Workspace ws;
  Shipped().Analyze("Amoxicillin and penicillin are both fine. Take 500 mg three times a day.",
                    &ws);
  CHECK(StatementsFor(ws, "benzylpenicillin").at(0).per_day == 3);
}

TEST_CASE("Attachment: a frequency word that describes a noun is no schedule", "[extract][en]") {
  Workspace ws;
  Shipped().Analyze(
      "Take folic acid as your doctor told you. Use a pill organizer or a weekly reminder.", &ws);
  auto folic = StatementsFor(ws, "folic_acid");
  REQUIRE(folic.size() == 1);
  CHECK(folic[0].per_day == 0);
  Shipped().Analyze("Take ibuprofen when needed. Keep up your daily routine.", &ws);
  CHECK(StatementsFor(ws, "ibuprofen").at(0).per_day == 0);
  // A dose word, a unit or a drug after the frequency keeps the schedule.
  const char* scheduled[] = {"Take a daily aspirin 81 mg.", "Take aspirin 81 mg, a daily dose.",
                             "Take aspirin as a daily tablet of 81 mg."};
  for (const char* text : scheduled) {
    INFO(text);
    Shipped().Analyze(text, &ws);
    CHECK(StatementsFor(ws, "aspirin").at(0).per_day == 1);
  }
}

TEST_CASE("Attachment: an amount after two joined drugs goes to the one whose limits it fits",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    const char* takes;
    const char* named;
  };
  const Case cases[] = {
      {"Naproxen and colchicine: take 500 mg twice a day.", "naproxen", "colchicine"},
      {"Colchicine and naproxen: take 500 mg twice a day.", "naproxen", "colchicine"},
      {"萘普生和秋水仙碱：每次500毫克，每天2次。", "naproxen", "colchicine"},
      {"نابروكسين وكولشيسين: خذ 500 ملغ مرتين في اليوم.", "naproxen", "colchicine"},
      {"Colchicine and naproxen: take 0.5 mg twice a day.", "colchicine", "naproxen"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    Workspace ws;
    Shipped().Analyze(c.text, &ws);
    auto takes = StatementsFor(ws, c.takes);
    auto named = StatementsFor(ws, c.named);
    REQUIRE(takes.size() == 1);
    REQUIRE(named.size() == 1);
    CHECK(takes[0].has_dose());
    CHECK(takes[0].per_day == 2);
    CHECK(!named[0].has_dose());
    CHECK(named[0].per_day == 0);
  }
  // Both fit: the amount stays with the drug named last, as before.
  Workspace ws;
  Shipped().Analyze("Paracetamol and ibuprofen: take 400 mg three times a day.", &ws);
  CHECK(StatementsFor(ws, "ibuprofen").at(0).per_day == 3);
  CHECK(StatementsFor(ws, "paracetamol").at(0).per_day == 0);
}

TEST_CASE("Attachment: a Markdown heading that names the usage is a usage header",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    const char* drug;
  };
  const Case cases[] = {
      {"# Metformin for longevity\nMetformin is one of the most discussed drugs.\n\n## Dosing\n- "
       "Weeks 1-2: 500 mg with dinner",
       "metformin"},
      {"## 考研冲刺：咖啡因片使用方案\n\n| 时间 | 剂量 |\n|---|---|\n| 7:00 | 2 片（400 mg） |",
       "caffeine_tablets"},
      {"## الميتفورمين\nالميتفورمين دواء قديم ومعروف.\n\n### الجرعة\n- 500 ملغ مع العشاء",
       "metformin"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(!found.empty());
    CHECK(found.back().has_dose());
  }
  // A heading that names no usage ("Common options") is no usage header.
  const Case stays[] = {
      {"# Metformin\nMetformin is one of the most discussed drugs.\n\n## Common options\n- "
       "500 mg with dinner",
       "metformin"},
  };
  for (const Case& c : stays) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(!found.empty());
    CHECK(!found.back().has_dose());
  }
}

TEST_CASE("Attachment: a dose line under a usage header continues the one drug named lines before",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    const char* drug;
    double per_day;
  };
  const Case cases[] = {
      {"### Period pain\nPonstan works well for cramps.\n\n**How to use it:**\n- Start on the "
       "first "
       "day.\n- Take **one 500 mg tablet every 6 hours** on the painful days.",
       "mefenamic_acid", 4},
      {"### 布洛芬的用法\n布洛芬是常用的止痛药。\n\n**用法：**\n- 先多喝水。\n- "
       "每次**400毫克，每8小时一次**。",
       "ibuprofen", 3},
      {"### ضبط جرعة الجلوكوفاج\nالسكر غير منضبط.\n\n**التعديل المقترح:**\n- ارفع الجرعة إلى **850 "
       "ملغ مرتين يوميًا** مع الوجبات.",
       "metformin", 2},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(!found.empty());
    CHECK(found.back().has_dose());
    CHECK(found.back().per_day == c.per_day);
    CHECK((found.back().mood == Mood::kDirective || found.back().mood == Mood::kRxForm));
  }
  // Two drugs in reach, or neither a header nor an imperative: the line stays drugless.
  const Case stays[] = {
      {"Ibuprofen and naproxen both help.\n\n**How to use:**\n- Drink water first.\n- Take 400 mg "
       "every 8 hours.",
       "ibuprofen", 0},
      {"Ibuprofen helps with cramps.\nRest a lot.\nSleep well.\n400 mg every 8 hours.", "ibuprofen",
       0},
  };
  for (const Case& c : stays) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(!found.empty());
    CHECK(found.front().per_day == c.per_day);
    CHECK(!found.front().has_dose());
  }
}

TEST_CASE("Attachment: a body weight is no dose; a volume's mass in parentheses is",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    const char* drug;
    double mg;
  };
  const Case cases[] = {
      {"Paracetamol syrup:\n| Weight | Dose | How often |\n|---|---|---|\n| 14 kg | **10 ml (240 "
       "mg)** | every 6 hours |",
       "paracetamol", 240},
      {"布洛芬混悬液：\n| 体重 | 每次剂量 | 间隔 |\n|---|---|---|\n| 20kg | **15ml（300mg）** | "
       "每6小时一次 |",
       "ibuprofen", 300},
      {"باراسيتامول شراب:\n| الوزن | الجرعة | التكرار |\n|---|---|---|\n| 10 كغ | **6 مل (144 "
       "ملغ)** | كل 6 ساعات |",
       "paracetamol", 144},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto found = StatementsIn(c.text, c.drug);
    REQUIRE(!found.empty());
    REQUIRE(found.back().dose.has_value());
    CHECK(found.back().dose->kind == medaudit::text::UnitKind::kMass);
    CHECK(found.back().dose->HighInBase() == Approx(c.mg));
    CHECK(found.back().per_day == 4);
  }
}

TEST_CASE("Attachment: a schedule item after a stopped drug is not the stopped drug's",
          "[extract][en][ar]") {
  const char* texts[] = {
      "- Do not take your insulin today.\n- Check your glucose every 3 hours.",
      "- توقف عن الإنسولين اليوم.\n- افحص السكر كل 3 ساعات.",
  };
  for (const char* text : texts) {
    INFO(text);
    auto insulin = StatementsIn(text, "insulin_human");
    REQUIRE(insulin.size() == 1);
    CHECK(insulin[0].mood == Mood::kNegated);
    CHECK(insulin[0].sentence == 0);
    CHECK(insulin[0].per_day == 0);
  }
}

TEST_CASE("Attachment: a step that names a dressing schedules the dressing, not the ointment",
          "[extract][en][zh][ar]") {
  const char* texts[] = {
      "1. 伤口先用清水冲洗。\n2. 薄涂一层莫匹罗星软膏。\n3. 包扎：用纱布盖好，每天换两次。",
      "1. Rinse the wound with water.\n2. Apply a thin layer of mupirocin ointment.\n3. Dressing: "
      "cover with gauze and change it twice a day.",
      "1. اغسل الجرح بالماء.\n2. ضع طبقة رقيقة من مرهم الموبيروسين.\n3. غطه بضماد وغيره مرتين في "
      "اليوم.",
  };
  for (const char* text : texts) {
    INFO(text);
    Workspace ws;
    Shipped().Analyze(text, &ws);
    auto mupirocin = StatementsFor(ws, "mupirocin");
    REQUIRE(mupirocin.size() == 1);
    CHECK(mupirocin[0].per_day == 0);
  }
  // The schedule in the ointment's own step stays its.
  Workspace ws;
  Shipped().Analyze("1. 伤口先用清水冲洗。\n2. 薄涂一层莫匹罗星软膏，每天两次，连用5天。", &ws);
  CHECK(StatementsFor(ws, "mupirocin").at(0).per_day == 2);
}

TEST_CASE("Attachment: an insert-style block under the answer's own directive header is directed",
          "[extract][zh]") {
  Workspace ws;
  Shipped().Analyze(
      "你这是风热感冒，可以这样用药：\n【药品名称】板蓝根颗粒\n【用法用量】开水冲服，一次1袋，一日3"
      "次"
      "\n【疗程】3天",
      &ws);
  auto found = StatementsFor(ws, "tcm_banlangen");
  REQUIRE(!found.empty());
  CHECK(found.back().mood == Mood::kDirective);
  CHECK(found.back().per_day == 3);
  // Quoted from the insert: a label fact.
  Shipped().Analyze(
      "说明书上写着：\n【药品名称】板蓝根颗粒\n【成份】板蓝根\n【用法用量】开水冲服，一次1袋，一日3"
      "次",
      &ws);
  found = StatementsFor(ws, "tcm_banlangen");
  REQUIRE(!found.empty());
  CHECK(found.back().mood == Mood::kInformational);
}

TEST_CASE("Attachment: an Arabic unit that starts a longer word is no amount", "[extract][ar]") {
  Workspace ws;
  Shipped().Analyze("خذ كيتورولاك كل 8 ساعات، فالحصوات اقل من ٥ ملم تنزل وحدها.", &ws);
  auto ketorolac = StatementsFor(ws, "ketorolac");
  REQUIRE(ketorolac.size() == 1);
  CHECK(!ketorolac[0].has_dose());
  CHECK(ketorolac[0].per_day == 3);
  Shipped().Analyze("خذ 5 مل من شراب الباراسيتامول كل 6 ساعات.", &ws);
  CHECK(StatementsFor(ws, "paracetamol").at(0).has_dose());
}

TEST_CASE("Attachment: a day cap in its own sentence caps the regimen before it",
          "[extract][en][zh][ar]") {
  struct Case {
    const char* text;
    double total;
  };
  const Case cases[] = {
      {"Paracetamol 500 mg tablets: take 2 tablets every 4 hours. Do not take more than 12 "
       "tablets a day.",
       12},
      {"对乙酰氨基酚500mg片：每4小时吃2片。每日不超过8片。", 8},
      {"باراسيتامول 500 ملغ: خذ حبتين كل 4 ساعات. لا تتجاوز ١٢ قرصًا في اليوم.", 12},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto found = StatementsIn(c.text, "paracetamol");
    REQUIRE(found.size() == 1);
    CHECK(found[0].mood == Mood::kDirective);
    REQUIRE(found[0].daily_total.has_value());
    CHECK(found[0].daily_total->high == c.total);
  }
}
