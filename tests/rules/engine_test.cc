// The check engine with the shipped rules: how statements are read (dose arithmetic, moods,
// clauses) and the contract of Check (spans into the original text, verdicts, input errors).
#include "rules/engine.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/shipped_engine.h"
#include "support/temp_dir.h"

namespace {

using medaudit::extract::Mood;
using medaudit::rules::Engine;
using medaudit::rules::Workspace;

const Engine& Shipped() { return medaudit::testing::ShippedEngine(); }

// The first statement about a lexicon drug with this id.
const medaudit::extract::MedicationStatement* StatementFor(const Workspace& ws, const Engine& e,
                                                           const std::string& drug_id) {
  for (const auto& st : ws.statements) {
    if (medaudit::extract::IsLexiconDrug(st.drug) && e.lexicon().drugs()[st.drug].id == drug_id) {
      return &st;
    }
  }
  return nullptr;
}

struct DailyDoseCase {
  std::string text, drug;
  double daily_mg;
};

// Each text yields a statement about the drug whose daily amount is daily_mg.
void CheckDailyDoses(const std::vector<DailyDoseCase>& cases) {
  const Engine& engine = Shipped();
  Workspace ws;
  for (const auto& c : cases) {
    INFO(c.text);
    engine.Analyze(c.text, &ws);
    const auto* st = StatementFor(ws, engine, c.drug);
    REQUIRE(st != nullptr);
    REQUIRE(st->DailyMg().has_value());
    CHECK(*st->DailyMg() == Approx(c.daily_mg));
  }
}

}  // namespace

TEST_CASE("Engine: daily dose arithmetic", "[rules][en][zh][ar]") {
  CheckDailyDoses({
      {"Take ibuprofen 800 mg three times a day.", "ibuprofen", 2400},
      {"Take 3 Tylenol Extra Strength tablets (500 mg each) every 6 hours.", "paracetamol", 6000},
      {"Take 2 tablets of paracetamol 500 mg every 4-6 hours.", "paracetamol", 6000},
      {"口服布洛芬0.4g，一日三次。", "ibuprofen", 1200},
      {"تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات.", "paracetamol", 2000},
  });
}

TEST_CASE("Engine: daily dose arithmetic, round 9 (counts, frequencies, day totals, context)",
          "[rules][en][zh][ar]") {
  CheckDailyDoses({
      // Tablet count × strength: number words, duals, a strength in the sentence before.
      {"Take two 500 mg tablets of paracetamol every 6 hours.", "paracetamol", 4000},
      {"I'd use ibuprofen 200 mg. Take 3 every 6 hours.", "ibuprofen", 2400},
      {"布洛芬每片0.2克，一次吃两片，每天三次。", "ibuprofen", 1200},
      {"خذ حبتين من بروفين 400 ملغ ثلاث مرات يوميا.", "ibuprofen", 2400},
      {"تناول ثلاث حبات من باراسيتامول 500 ملغ كل ست ساعات.", "paracetamol", 6000},
      // A parenthesis restating the amount: the total of the tablets, or the same quantity.
      {"Take 2 tablets (1000 mg) of paracetamol every 6 hours.", "paracetamol", 4000},
      {"Take paracetamol 1000 mg (2 tablets) every 6 hours.", "paracetamol", 4000},
      // Frequencies: hourly, every two or three hours, three meals and bedtime.
      {"Take paracetamol 500 mg every hour.", "paracetamol", 12000},
      {"口服对乙酰氨基酚0.5克，每小时一次。", "paracetamol", 12000},
      {"تناول باراسيتامول 500 ملغ كل ساعة.", "paracetamol", 12000},
      {"تناول حبة ترامادول 50 ملغ كل ثلاث ساعات.", "tramadol", 400},
      {"خذ كبسولة أموكسيسيلين 500 ملغ كل ساعتين.", "amoxicillin", 6000},
      {"二甲双胍每次500毫克，一日三餐各一次，睡前再加一次。", "metformin", 2000},
      {"Take metformin 500 mg with each meal and at bedtime.", "metformin", 2000},
      // A stated day total above the regimen it closes.
      {"Take 2 caplets of paracetamol 500 mg every 6 hours, up to 12 caplets a day.", "paracetamol",
       6000},
      {"二甲双胍每次500毫克，每日2次，一天共3000毫克。", "metformin", 3000},
      {"خذ حبتين من باراسيتامول 500 ملغ كل ست ساعات، حتى 12 حبة في اليوم.", "paracetamol", 6000},
      // A dose clause before another drug's clause continues the drug of the sentence before.
      {"甲氨蝶呤片每片2.5毫克。每天早上吃4片，同时补充叶酸。", "methotrexate", 10},
      {"Methotrexate is a good drug for psoriasis. Take 4 tablets of 2.5 mg every day, and "
       "remember the folic acid.",
       "methotrexate", 10},
  });
  // A directive dose line makes an informational mention of the drug before it an instruction.
  const Engine& engine = Shipped();
  Workspace ws;
  engine.Analyze(
      "Methotrexate is a good drug for psoriasis. Take 4 tablets of 2.5 mg every day, and "
      "remember the folic acid.",
      &ws);
  REQUIRE(StatementFor(ws, engine, "methotrexate") != nullptr);
  CHECK(StatementFor(ws, engine, "methotrexate")->mood == Mood::kDirective);
}

TEST_CASE("Engine: an amount followed by 'a day' is a daily total", "[rules][en]") {
  Workspace ws;
  Shipped().Analyze("Acetaminophen 3 g a day is the most you should take.", &ws);
  const auto* st = StatementFor(ws, Shipped(), "paracetamol");
  REQUIRE(st != nullptr);
  CHECK(st->dose_is_daily_total);
}

TEST_CASE("Engine: moods from cues, clauses and context", "[rules][en][zh][ar]") {
  const Engine& engine = Shipped();
  Workspace ws;
  struct Case {
    std::string text, drug;
    Mood mood;
  };
  const Case cases[] = {
      {"Take ibuprofen 400 mg every 6 hours.", "ibuprofen", Mood::kDirective},
      {"Do not take ibuprofen on an empty stomach.", "ibuprofen", Mood::kNegated},
      {"Ask your doctor before taking ibuprofen.", "ibuprofen", Mood::kReferral},
      {"The usual adult dose of ibuprofen is 400 mg.", "ibuprofen", Mood::kInformational},
      {"一次服用对乙酰氨基酚10g以上会引起严重肝损伤。", "paracetamol", Mood::kConditional},
      {"Have you tried loratadine 10 mg daily?", "loratadine", Mood::kQuestion},
      {"您提到目前每天早上服用氨氯地平5mg。", "amlodipine", Mood::kHistory},
      {"يؤخذ الزيثروماكس عادة مرة واحدة يوميا.", "azithromycin", Mood::kInformational},
      {"Rp.\nAmoxicillin 500 mg tid x 7 days", "amoxicillin", Mood::kRxForm},
      {"CHIEF COMPLAINT: cough.\nThe patient reports fever.\nOmeprazole 20 mg daily.", "omeprazole",
       Mood::kHistory},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    engine.Analyze(c.text, &ws);
    const auto* st = StatementFor(ws, engine, c.drug);
    REQUIRE(st != nullptr);
    CHECK(medaudit::extract::MoodName(st->mood) == medaudit::extract::MoodName(c.mood));
  }
}

TEST_CASE("Engine: limits in a negated clause are not part of the regimen", "[rules][en][zh]") {
  Workspace ws;
  Shipped().Analyze("甲氨蝶呤是每周服用一次的药物，切勿每天服用。", &ws);
  const auto* st = StatementFor(ws, Shipped(), "methotrexate");
  REQUIRE(st != nullptr);
  CHECK(st->per_day < 1);
}

TEST_CASE("Engine: findings point into the original bytes", "[rules][en]") {
  const std::string answer =
      "Please take AMOXI\u200bCILLIN \xEF\xBC\x95\xEF\xBC\x90\xEF\xBC\x90mg three times a day.";
  Workspace ws;
  medaudit::rules::CheckResult result;
  REQUIRE(Shipped().Check({answer, {}, medaudit::text::Lang::kUnknown}, &ws, &result).has_value());
  CHECK(result.verdict == medaudit::rules::Verdict::kBlock);
  REQUIRE_FALSE(result.findings.empty());
  const auto span = result.findings.front().span;
  CHECK(answer.substr(span.begin, span.size()).rfind("AMOXI", 0) == 0);
}

TEST_CASE("Engine: invalid UTF-8 is an error, not a verdict", "[rules]") {
  Workspace ws;
  medaudit::rules::CheckResult result;
  auto status = Shipped().Check({"take \xC0\xAF", {}, medaudit::text::Lang::kEn}, &ws, &result);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == medaudit::ErrorCode::kInvalidUtf8);
}

TEST_CASE("Engine: an Arabic drug name counts only as a whole word", "[rules][ar]") {
  Workspace ws;
  struct Case {
    std::string text, drug;
    bool found;
  };
  const Case cases[] = {
      // Short brands inside other words: أدول (Adol) in ترامادول, ياز (Yaz) in سلفاديازين.
      {"خذ ترامادول 50 ملغ كل 6 ساعات.", "paracetamol", false},
      {"ضع كريم سلفاديازين الفضة مرتين يوميا.", "drospirenone_ethinylestradiol", false},
      // "في اليوم" (per day) glued is one edit from فاليوم (Valium), but only 7 letters.
      {"خذ قرصين في اليوم بعد الأكل.", "diazepam", false},
      // Prefixes a word may carry: a conjunction, the article, both, لل.
      {"خذ أدول 500 ملغ كل 6 ساعات.", "paracetamol", true},
      {"ثم والباراسيتامول 500 ملغ كل 6 ساعات.", "paracetamol", true},
      {"يعطى للباراسيتامول 500 ملغ كل 6 ساعات.", "paracetamol", true},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    Shipped().Analyze(c.text, &ws);
    CHECK((StatementFor(ws, Shipped(), c.drug) != nullptr) == c.found);
  }
}

TEST_CASE("Engine: a drugless dose line is read as about the question's drug", "[rules][en][zh]") {
  struct Case {
    std::string question, answer;
  };
  // 3 x 500 mg every 3 hours is 12 g of paracetamol a day; 3 x 500 mg every 4 hours, 9 g.
  const Case cases[] = {
      {"I have Tylenol 500 mg tablets, how many can I take for my back?",
       "Take 3 tablets every 3 hours until the pain settles."},
      {"普拿疼500毫克一次吃几颗？", "一次吃3颗，每4小时吃1次。"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.answer);
    Workspace ws;
    medaudit::rules::CheckResult with_question, alone;
    REQUIRE(Shipped()
                .Check({c.answer, c.question, medaudit::text::Lang::kUnknown}, &ws, &with_question)
                .has_value());
    REQUIRE(
        Shipped().Check({c.answer, {}, medaudit::text::Lang::kUnknown}, &ws, &alone).has_value());
    auto overdose = [](const medaudit::rules::CheckResult& r) {
      return std::any_of(r.findings.begin(), r.findings.end(),
                         [](const auto& f) { return f.rule->category == "overdose"; });
    };
    CHECK(overdose(with_question));
    CHECK_FALSE(overdose(alone));  // no drug named: nothing to add up
  }
}

namespace {

// A small valid pack with one lexicon rule.
std::string SmallPack(const std::string& id, const std::string& word) {
  return R"({"pack": {"id": ")" + id + R"(", "version": "1", "title": "test"},)" +
         R"("lexicons": {"w": {"en": [")" + word + R"("], "zh": [")" + word + R"("], "ar": [")" +
         word + R"("]}},
  "rules": [{"id": ")" +
         id + R"(.word", "category": "missed_emergency", "severity": "harm",
    "harm": {"extent": "severe_death", "likelihood": "medium"},
    "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc art. 1"},
    "scope": "text", "when": {"lexicon": "w"}}]})";
}

// A rules directory with the shipped knowledge files and the given packs.
std::string RulesDir(const medaudit::testing::TempDir& dir,
                     const std::vector<std::pair<std::string, std::string>>& packs) {
  namespace fs = std::filesystem;
  fs::copy(fs::path(MEDAUDIT_SOURCE_DIR) / "rules" / "knowledge", dir.path() / "knowledge",
           fs::copy_options::recursive);
  for (const auto& [name, content] : packs) dir.Write(name, content);
  return dir.path().string();
}

}  // namespace

TEST_CASE("Engine: packs load on several threads; the error is the first failing file's",
          "[rules]") {
  // Packs load largest file first on both start-up threads; the error reported must still be the
  // one of the first failing file in name order (as a one-thread load), not of the first one
  // loaded. The packs fail before any database is compiled.
  // (That a successful load keeps file order is held by the byte-identical corpus output; a
  // test here would compile a database of the whole lexicon for its own rule set.)
  auto options = medaudit::testing::ShippedRulesOptions();
  medaudit::testing::TempDir dir("engine_pack_error");
  options.rules_dir = RulesDir(dir, {{"a.json", SmallPack("a", "zebrafoo")},
                                     {"b.json", "{\"pack\": "},
                                     {"c.json", "{\"pack\": " + std::string(20000, ' ')}});
  auto loaded = Engine::Load(options);
  REQUIRE_FALSE(loaded.has_value());
  const std::string message = loaded.error().ToString();
  INFO(message);
  CHECK(message.find("b.json") != std::string::npos);
  CHECK(message.find("c.json") == std::string::npos);
}
