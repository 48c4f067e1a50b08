// Knowledge tables: a rule's template instantiated once per row of rules/knowledge/<name>.json,
// with the row's terms and source; bad tables fail with the file, the pointer and the problem.
#include "rules/table.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "base/file.h"
#include "rules/pack.h"
#include "rules/pack_tests.h"
#include "support/temp_dir.h"
#include "support/test_packs.h"

namespace {

using medaudit::rules::Condition;
using medaudit::rules::LoadPack;
using medaudit::testing::TempDir;

const char* kTable = R"json({
  "about": "test", "version": "1",
  "conditions": {
    "heart_failure": {"words": {"en": ["heart failure"], "zh": ["心衰"]},
                      "unless_words": {"en": ["no heart failure"]}},
    "asthma": {"words": {"en": ["asthma"]}, "patterns": {"any": ["wheez(e|ing)"]}}
  },
  "rows": [
    {"id": "hf.glitazones", "drug": ["pioglitazone"], "condition": "heart_failure",
     "source": "Actos label section 4"},
    {"id": "asthma.beta-blockers", "drug": ["propranolol", "class:beta_blocker"],
     "condition": "asthma", "source": "BNF beta-blockers"}
  ]
})json";

const char* kPackWithTable = R"json({
  "pack": {"id": "t", "version": "1", "title": "test"},
  "rules": [{
    "id": "t.one", "category": "contraindication", "severity": "harm",
    "harm": {"extent": "mild_moderate", "likelihood": "low"},
    "message": {"en": "m", "zh": "m", "ar": "m"},
    "citation": {"id": "c", "text": "the table"},
    "when": {"table": {"name": "ci", "each": {"all": [
      {"statement": {"mood": ["directive"], "drug": "$drug"}},
      {"question": {"any": [{"lexicon": "$condition.words"}, {"pattern": "$condition.patterns"}]}},
      {"not": {"question": {"lexicon": "$condition.unless_words"}}}
    ]}}}
  }]
})json";

// A pack and its knowledge table in a fresh rules directory.
struct RulesDir {
  TempDir dir{"table_test"};
  std::string Write(const std::string& pack, const std::string& table) {
    std::filesystem::create_directories(dir.path() / "knowledge");
    dir.Write("knowledge/ci.json", table);
    return dir.Write("p.json", pack);
  }
};

std::string Replace(std::string body, const std::string& from, const std::string& to) {
  const auto at = body.find(from);
  REQUIRE(at != std::string::npos);
  return body.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("Table: the template becomes one cited branch per row", "[rules][table]") {
  RulesDir rules;
  auto pack = LoadPack(rules.Write(kPackWithTable, kTable));
  REQUIRE(pack.has_value());
  const auto& rule = pack->rules.at(0);
  REQUIRE(rule.when.kind == Condition::Kind::kAny);
  REQUIRE(rule.when.children.size() == 2);
  REQUIRE(rule.row_citations.size() == 2);
  CHECK(rule.row_citations[0].id == "ci/hf.glitazones");
  CHECK(rule.row_citations[0].text == "Actos label section 4");
  CHECK(rule.when.children[0].citation == 0);
  CHECK(rule.when.children[1].citation == 1);

  // Row 1: ids only -> one statement; row 2: an id and a class -> any of two statements.
  const auto& first_drug = rule.when.children[0].children[0];
  CHECK(first_drug.kind == Condition::Kind::kStatement);
  CHECK(first_drug.statement.drug_ids == std::vector<std::string>{"pioglitazone"});
  const auto& second_drug = rule.when.children[1].children[0];
  REQUIRE(second_drug.kind == Condition::Kind::kAny);
  CHECK(second_drug.children[0].statement.drug_ids == std::vector<std::string>{"propranolol"});
  CHECK(second_drug.children[1].statement.drug_class == std::vector<std::string>{"beta_blocker"});

  // Terms are added once per (condition, list); a list the condition lacks never matches.
  std::vector<std::string> names;
  for (const auto& term : pack->terms) names.push_back(term.name);
  CHECK(names == std::vector<std::string>{"ci:heart_failure.words", "ci:heart_failure.unless_words",
                                          "ci:asthma.words", "ci:asthma.patterns"});
  CHECK_FALSE(pack->terms[3].literal);
  const auto& hf_patterns = rule.when.children[0].children[1].children[0].children[1];
  CHECK(hf_patterns.kind == Condition::Kind::kAny);
  CHECK(hf_patterns.children.empty());
}

TEST_CASE("Table: errors name the table file, the row and the problem", "[rules][table]") {
  struct Case {
    std::string from, to, in_pack_or_table, words;
  };
  const Case cases[] = {
      {R"("source": "Actos label section 4")", R"("note": "x")", "table", "missing 'source'"},
      {R"("condition": "heart_failure")", R"("condition": "gout")", "table", "no condition named"},
      {R"("drug": ["pioglitazone"])", R"("drug": [])", "table", "non-empty array"},
      {R"("words": {"en": ["asthma"]})", R"("word": {"en": ["asthma"]})", "table",
       "unknown term list"},
      {R"("id": "asthma.beta-blockers")", R"("id": "hf.glitazones")", "table", "duplicate row"},
      {R"("$condition.words")", R"("$condition.word")", "pack", "term list"},
      {R"("$condition.words")", R"("$condition.patterns")", "pack", "words are lexicons"},
      {R"("$drug")", R"("$drugs")", "pack", "drug set field 'drugs'"},
      {R"("name": "ci")", R"("name": "../ci")", "pack", "lower-case"},
      {R"("name": "ci")", R"("name": "absent")", "pack", "absent.json"},
  };
  for (const auto& c : cases) {
    RulesDir rules;
    const bool in_table = c.in_pack_or_table == "table";
    const std::string pack = in_table ? kPackWithTable : Replace(kPackWithTable, c.from, c.to);
    const std::string table = in_table ? Replace(kTable, c.from, c.to) : kTable;
    auto loaded = LoadPack(rules.Write(pack, table));
    INFO(c.to);
    REQUIRE_FALSE(loaded.has_value());
    CHECK_THAT(loaded.error().ToString(), Catch::Contains(c.words));
  }
}

TEST_CASE("Table: placeholders live only inside a table's template", "[rules][table]") {
  const std::string statement = R"({"mood": ["directive"], "drug": "$drug"})";
  auto loaded = LoadPack(medaudit::testing::WritePack(
      medaudit::testing::PackWithStatement(statement, "contraindication")));
  REQUIRE_FALSE(loaded.has_value());
  CHECK_THAT(loaded.error().ToString(), Catch::Contains("placeholder"));
}

TEST_CASE("Table: a finding made by a row cites the row's source", "[rules][table]") {
  medaudit::rules::Workspace ws;
  medaudit::rules::CheckResult result;
  const std::string question =
      "I have heart failure (NYHA class III). Which diabetes pill is best?";
  const std::string answer = "Take pioglitazone 30 mg once daily with breakfast.";
  REQUIRE(medaudit::testing::ShippedEngine()
              .Check({answer, question, medaudit::text::Lang::kUnknown}, &ws, &result)
              .has_value());
  bool cited = false;
  for (const auto& f : result.findings) {
    if (f.rule->id != "harm-ci.condition-class") continue;
    CHECK(f.cited_row >= 0);
    CHECK_THAT(f.citation().text, Catch::Contains("pioglitazone"));
    CHECK(f.citation().text != f.rule->citation.text);
    cited = true;
  }
  CHECK(cited);
}

TEST_CASE("Table: lint names a row's drug id that the lexicon lacks", "[rules][table]") {
  TempDir dir("table_lint");
  const auto shipped = std::filesystem::path(MEDAUDIT_SOURCE_DIR) / "rules";
  std::filesystem::copy(shipped, dir.path(), std::filesystem::copy_options::recursive);
  const auto table = dir.path() / "knowledge" / "contraindications.json";
  std::string body = medaudit::ReadFile(table.string()).value();
  body = Replace(body, R"("drug": [)", R"("drug": ["no_such_drug", )");
  dir.Write("knowledge/contraindications.json", body);
  auto options = medaudit::testing::ShippedRulesOptions();
  options.rules_dir = dir.path().string();
  options.pack_tests = medaudit::rules::PackTests::kLoad;
  auto engine = medaudit::rules::Engine::Load(options);
  REQUIRE(engine.has_value());
  bool named = false;
  medaudit::rules::LintOptions lint;
  lint.validate_patterns = false;  // this test is about drug names; pattern checks take seconds
  for (const auto& problem : medaudit::rules::LintPacks(**engine, lint)) {
    named |= problem.problem.find("'no_such_drug'") != std::string::npos;
  }
  CHECK(named);
}

TEST_CASE("Table: an optional field holds for rows without it", "[rules][table]") {
  RulesDir rules;
  const std::string pack =
      Replace(kPackWithTable, R"({"not": {"question")",
              R"({"question": {"lexicon": "$with?.words"}}, {"not": {"question")");
  const std::string table = Replace(kTable, R"("condition": "heart_failure",)",
                                    R"("condition": "heart_failure", "with": "asthma",)");
  auto loaded = LoadPack(rules.Write(pack, table));
  REQUIRE(loaded.has_value());
  const auto& rows = loaded->rules.at(0).when.children;
  const auto& with_row = rows.at(0).children.at(2).children.at(0);
  CHECK(with_row.kind == Condition::Kind::kLexicon);
  CHECK(loaded->terms.at(with_row.term).name == "ci:asthma.words");
  const auto& without_row = rows.at(1).children.at(2).children.at(0);
  CHECK(without_row.kind == Condition::Kind::kAll);  // holds for every text
  CHECK(without_row.children.empty());
}

TEST_CASE("Table: TermLookup finds the first term of a name and appends a missing one once",
          "[rules][table]") {
  using medaudit::rules::Term;
  const std::vector<std::pair<std::string, std::string>> words = {{"en", "gout"}};
  std::vector<Term> terms = {{"a", true, {}},
                             {"ci:gout.words", true, {{"en", "first"}}},
                             {"ci:gout.words", true, {{"en", "second"}}}};
  medaudit::rules::TermLookup lookup(&terms);
  CHECK(lookup.FindOrAdd("ci:gout.words", true, words) == 1);  // the first of two, kept as found
  CHECK(lookup.FindOrAdd("ci:gout.words", true, words) == 1);
  CHECK(terms.size() == 3);
  CHECK(lookup.FindOrAdd("ci:gout.patterns", false, words) == 3);
  CHECK(lookup.FindOrAdd("ci:gout.patterns", false, words) == 3);
  REQUIRE(terms.size() == 4);
  CHECK(terms[3].name == "ci:gout.patterns");
  CHECK_FALSE(terms[3].literal);
  CHECK(terms[3].expressions == words);
}

TEST_CASE("Table: a second rule over the same table reuses the first rule's terms",
          "[rules][table]") {
  // The rule twice (ids t.one, t.two): the second instantiation finds the terms the first added.
  std::string pack = kPackWithTable;
  const auto rule_at = pack.find(R"({
    "id": "t.one")");
  const auto rules_end = pack.rfind("]");
  REQUIRE(rule_at != std::string::npos);
  std::string second = pack.substr(rule_at, rules_end - rule_at);
  while (!second.empty() && second.back() != '}') second.pop_back();
  second = Replace(second, R"("id": "t.one")", R"("id": "t.two")");
  pack.insert(rules_end, ", " + second);
  RulesDir rules;
  auto loaded = LoadPack(rules.Write(pack, kTable));
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->rules.size() == 2);
  CHECK(loaded->terms.size() == 4);
  const auto& one = loaded->rules[0].when;
  const auto& two = loaded->rules[1].when;
  REQUIRE(two.children.size() == one.children.size());
  for (size_t row = 0; row < one.children.size(); ++row) {
    const auto& words_one = one.children[row].children[1].children[0].children[0];
    const auto& words_two = two.children[row].children[1].children[0].children[0];
    CHECK(words_one.kind == Condition::Kind::kLexicon);
    CHECK(words_two.term == words_one.term);
  }
  CHECK(two.children[1].citation == 1);
  CHECK(loaded->rules[1].row_citations.size() == 2);
}
