// AnyIndex (engine.cc): the relaxed pass over an `any` node with many children (a knowledge
// table's rows) evaluates only the children whose trigger can fire, looked up by term and by the
// drugs the statements name. It may only skip work, never change a finding: an engine built with
// the index must find exactly what one without it (EngineOptions::index_wide_any_nodes = false)
// finds, over texts that hit term rows, drug rows, drug-and-term rows, question rows, class rows,
// and none.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "rules/engine.h"
#include "support/shipped_engine.h"
#include "support/temp_dir.h"

namespace {

using medaudit::rules::CheckResult;
using medaudit::rules::Engine;
using medaudit::rules::EngineOptions;
using medaudit::rules::Workspace;

// A small lexicon, so that the test compiles a small database: 20 drugs, two of them NSAIDs.
const char* kDrugs = R"json({"version": "t1", "sources": {}, "drugs": [
  {"id": "paracetamol", "names": {"en": ["paracetamol"], "zh": ["对乙酰氨基酚"], "ar": ["باراسيتامول"]}},
  {"id": "ibuprofen", "class": ["nsaid"], "names": {"en": ["ibuprofen"], "zh": ["布洛芬"], "ar": ["ايبوبروفين"]}},
  {"id": "aspirin", "class": ["nsaid"], "names": {"en": ["aspirin"], "zh": ["阿司匹林"], "ar": ["أسبرين"]}},
  {"id": "warfarin", "names": {"en": ["warfarin"], "zh": ["华法林"], "ar": ["وارفارين"]}},
  {"id": "metformin", "names": {"en": ["metformin"], "zh": ["二甲双胍"], "ar": ["ميتفورمين"]}},
  {"id": "amoxicillin", "names": {"en": ["amoxicillin"], "zh": ["阿莫西林"]}},
  {"id": "tramadol", "names": {"en": ["tramadol"], "zh": ["曲马多"]}},
  {"id": "omeprazole", "names": {"en": ["omeprazole"], "zh": ["奥美拉唑"]}},
  {"id": "atorvastatin", "names": {"en": ["atorvastatin"]}},
  {"id": "lisinopril", "names": {"en": ["lisinopril"]}},
  {"id": "sertraline", "names": {"en": ["sertraline"]}},
  {"id": "codeine", "names": {"en": ["codeine"]}},
  {"id": "diazepam", "names": {"en": ["diazepam"]}},
  {"id": "prednisolone", "names": {"en": ["prednisolone"]}},
  {"id": "simvastatin", "names": {"en": ["simvastatin"]}},
  {"id": "clopidogrel", "names": {"en": ["clopidogrel"]}},
  {"id": "methotrexate", "names": {"en": ["methotrexate"]}},
  {"id": "fluoxetine", "names": {"en": ["fluoxetine"]}},
  {"id": "loratadine", "names": {"en": ["loratadine"]}},
  {"id": "cetirizine", "names": {"en": ["cetirizine"]}}
]})json";

// 20 rows: drug-only rows (no "with", no "q"; "alone" names a vocabulary without words), rows that
// need a drug and a term in the answer ("with") or in the question ("q"), term-only rows (a class
// no drug has, "alone" with words) and class rows.
const char* kTable = R"json({"about": "test", "version": "1",
  "conditions": {
    "cough": {"words": {"en": ["dry cough"], "zh": ["干咳"], "ar": ["سعال جاف"]}},
    "rash": {"words": {"en": ["skin rash"], "zh": ["皮疹"], "ar": ["طفح جلدي"]}},
    "kidney": {"words": {"en": ["kidney disease"], "zh": ["肾病"], "ar": ["مرض الكلى"]}},
    "none": {"unless_words": {"en": ["zzqx"]}}
  },
  "rows": [
    {"id": "r00", "drug": ["paracetamol"], "alone": "none", "source": "s"},
    {"id": "r01", "drug": ["tramadol"], "alone": "none", "source": "s"},
    {"id": "r02", "drug": ["omeprazole"], "alone": "none", "source": "s"},
    {"id": "r03", "drug": ["atorvastatin"], "alone": "none", "source": "s"},
    {"id": "r04", "drug": ["lisinopril"], "alone": "none", "source": "s"},
    {"id": "r05", "drug": ["sertraline"], "alone": "none", "source": "s"},
    {"id": "r06", "drug": ["codeine"], "alone": "none", "source": "s"},
    {"id": "r07", "drug": ["diazepam"], "alone": "none", "source": "s"},
    {"id": "r08", "drug": ["prednisolone"], "alone": "none", "source": "s"},
    {"id": "r09", "drug": ["simvastatin", "clopidogrel"], "alone": "none", "source": "s"},
    {"id": "r10", "drug": ["amoxicillin"], "with": "cough", "alone": "none", "source": "s"},
    {"id": "r11", "drug": ["warfarin"], "with": "rash", "alone": "none", "source": "s"},
    {"id": "r12", "drug": ["methotrexate"], "with": "rash", "alone": "none", "source": "s"},
    {"id": "r13", "drug": ["fluoxetine"], "with": "cough", "alone": "none", "source": "s"},
    {"id": "r14", "drug": ["metformin"], "q": "kidney", "alone": "none", "source": "s"},
    {"id": "r15", "drug": ["loratadine"], "q": "kidney", "alone": "none", "source": "s"},
    {"id": "r16", "drug": ["class:no_such_class"], "alone": "rash", "source": "s"},
    {"id": "r17", "drug": ["class:no_such_class"], "alone": "kidney", "source": "s"},
    {"id": "r18", "drug": ["class:nsaid"], "with": "cough", "alone": "none", "source": "s"},
    {"id": "r19", "drug": ["class:nsaid"], "q": "kidney", "alone": "none", "source": "s"}
  ]
})json";

// Two rules over the table: sentence-scoped, and text-scoped with a `not` beside it (the relaxed
// pass takes every `not` as holding, so the table node alone decides whether the rule is tried).
std::string Pack() {
  const std::string each = R"({"table": {"name": "anyix", "each": {"any": [
      {"all": [{"statement": {"drug": "$drug"}}, {"lexicon": "$with?.words"},
               {"question": {"lexicon": "$q?.words"}}]},
      {"lexicon": "$alone.words"}]}}})";
  const std::string rule_head = R"("category": "contraindication", "severity": "harm",
      "harm": {"extent": "mild_moderate", "likelihood": "low"},
      "message": {"en": "m", "zh": "m", "ar": "m"}, "citation": {"id": "c", "text": "Doc 1"})";
  return R"({"pack": {"id": "ix", "version": "1", "title": "test"},
    "lexicons": {"refusal": {"en": ["do not take"], "zh": ["不要吃"], "ar": ["لا تتناول"]}},
    "rules": [
      {"id": "ix.sentence", )" +
         rule_head + R"(, "when": )" + each + R"(},
      {"id": "ix.text", )" +
         rule_head + R"(, "scope": "text",
       "when": {"all": [)" +
         each + R"(, {"not": {"lexicon": "refusal"}}]}}
    ]})";
}

// A rules directory with the test lexicon, the shipped grammar and the table pack.
std::string WriteRules(const medaudit::testing::TempDir& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir.path() / "knowledge");
  fs::copy_file(fs::path(MEDAUDIT_SOURCE_DIR) / "rules" / "knowledge" / "grammar.json",
                dir.path() / "knowledge" / "grammar.json");
  dir.Write("knowledge/drugs.json", kDrugs);
  dir.Write("knowledge/anyix.json", kTable);
  dir.Write("ix.json", Pack());
  return dir.path().string();
}

using FindingKey = std::tuple<std::string, uint32_t, uint32_t, int32_t>;

std::vector<FindingKey> Findings(const Engine& engine, const std::string& answer,
                                 const std::string& question) {
  Workspace ws;
  CheckResult result;
  REQUIRE(
      engine.Check({answer, question, medaudit::text::Lang::kUnknown}, &ws, &result).has_value());
  std::vector<FindingKey> keys;
  for (const auto& f : result.findings) {
    keys.emplace_back(f.rule->id, f.span.begin, f.span.end, f.cited_row);
  }
  return keys;
}

}  // namespace

TEST_CASE("AnyIndex: indexed table rows give the findings of the plain walk", "[rules][trigger]") {
  medaudit::testing::TempDir dir("any_index");
  EngineOptions options;
  options.rules_dir = WriteRules(dir);
  options.cache_dir = medaudit::testing::TestCacheDir();
  options.pack_tests = medaudit::rules::PackTests::kSkip;
  auto indexed = Engine::Load(options);
  if (!indexed) FAIL(indexed.error().ToString());
  options.index_wide_any_nodes = false;
  auto plain = Engine::Load(options);
  REQUIRE(plain.has_value());

  struct Case {
    std::string answer, question;
    bool found;  // whether the rows should find something (the test reaches both outcomes)
  };
  const Case cases[] = {
      // Drug-only rows, three languages and one row with two drugs.
      {"Take paracetamol 500 mg every six hours.", "", true},
      {"对乙酰氨基酚每次0.5克，每天三次。", "", true},
      {"تناول باراسيتامول 500 ملغ كل ست ساعات.", "", true},
      {"Clopidogrel 75 mg once a day is what I would start.", "", true},
      {"Codeine 30 mg at night, and omeprazole 20 mg before breakfast.", "", true},
      // A drug whose rows also need a term: the term in the same sentence, or elsewhere.
      {"For the dry cough, amoxicillin 500 mg three times a day.", "", true},
      {"Amoxicillin 500 mg three times a day.", "", false},
      // (the text-scoped rule reads the term anywhere in the text)
      {"Amoxicillin 500 mg three times a day. It will not help a dry cough.", "", true},
      {"阿莫西林每次0.5克，每天三次，可以治干咳。", "", true},
      {"Warfarin 5 mg daily; a skin rash needs a check.", "", true},
      // Question rows: the drug in the answer, the term in the question.
      {"Take metformin 500 mg twice a day.", "I have kidney disease, what should I take?", true},
      {"Take metformin 500 mg twice a day.", "What should I take for my sugar?", false},
      {"二甲双胍每次0.5克，每天两次。", "我有肾病，吃什么药？", true},
      // Class rows (NSAIDs): a drug of the class with the term, or with the question's term.
      {"Ibuprofen 400 mg can ease the dry cough.", "", true},
      {"布洛芬每次0.2克，干咳时吃。", "", true},
      {"Aspirin 300 mg is fine.", "My mother has kidney disease.", true},
      {"Aspirin 300 mg is fine.", "", false},
      // Term-only rows.
      {"That skin rash should be seen by a doctor.", "", true},
      {"皮疹需要看医生。", "", true},
      {"طفح جلدي يحتاج إلى طبيب.", "", true},
      // Nothing: no drug and no term, a drug no row names, a term no row reads alone.
      {"Drink water and rest.", "", false},
      {"多喝水，注意休息。", "", false},
      {"Cetirizine 10 mg at night.", "", false},
      {"A dry cough usually settles in a week.", "", false},
      // A refusal: the text rule's `not` fails; the sentence rule still holds.
      {"Do not take tramadol 50 mg with sertraline 50 mg.", "", true},
  };
  for (const auto& c : cases) {
    INFO(c.answer << " | " << c.question);
    const auto with_index = Findings(**indexed, c.answer, c.question);
    CHECK(with_index == Findings(**plain, c.answer, c.question));
    CHECK(!with_index.empty() == c.found);
  }
}
