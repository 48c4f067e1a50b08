// The check engine with the shipped rules: how statements are read (dose arithmetic, moods,
// clauses) and the contract of Check (spans into the original text, verdicts, input errors).
#include "rules/engine.h"

#include <catch2/catch.hpp>
#include <string>

#include "support/shipped_engine.h"

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

}  // namespace

TEST_CASE("Engine: daily dose arithmetic", "[rules][en][zh][ar]") {
  const Engine& engine = Shipped();
  Workspace ws;
  struct Case {
    std::string text, drug;
    double daily_mg;
  };
  const Case cases[] = {
      {"Take ibuprofen 800 mg three times a day.", "ibuprofen", 2400},
      {"Take 3 Tylenol Extra Strength tablets (500 mg each) every 6 hours.", "paracetamol", 6000},
      {"Take 2 tablets of paracetamol 500 mg every 4-6 hours.", "paracetamol", 6000},
      {"口服布洛芬0.4g，一日三次。", "ibuprofen", 1200},
      {"تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات.", "paracetamol", 2000},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    engine.Analyze(c.text, &ws);
    const auto* st = StatementFor(ws, engine, c.drug);
    REQUIRE(st != nullptr);
    REQUIRE(st->DailyMg().has_value());
    CHECK(*st->DailyMg() == Approx(c.daily_mg));
  }
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
