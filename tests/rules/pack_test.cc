// The rule-pack loader: a pack that fails to load names the file, the JSON pointer and the
// problem; a good pack loads with its rules and tests.
#include "rules/pack.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "support/test_packs.h"

namespace {

using medaudit::testing::WritePack;

const char* kGood = R"({
  "pack": {"id": "t", "version": "1", "title": "test"},
  "lexicons": {"words": {"en": ["buy now"], "zh": ["立即购买"]}},
  "rules": [{
    "id": "t.one", "category": "drug_supply_before_rx", "severity": "block",
    "harm": {"extent": "mild_moderate", "likelihood": "low"},
    "message": {"en": "m", "zh": "m", "ar": "m"},
    "citation": {"id": "c", "text": "Doc art. 1"},
    "when": {"all": [{"lexicon": "words"}, {"not": {"statement": {"mood": ["negated"]}}}]},
    "tests": [{"lang": "en", "text": "buy now", "expect": ["ruleid:t.one"]}]
  }]
})";

}  // namespace

TEST_CASE("Pack: a valid pack loads", "[rules]") {
  auto pack = medaudit::rules::LoadPack(WritePack(kGood));
  REQUIRE(pack.has_value());
  CHECK(pack->id == "t");
  REQUIRE(pack->rules.size() == 1);
  CHECK(pack->rules[0].tests.size() == 1);
  CHECK(pack->sha256.size() == 64);
}

TEST_CASE("Pack: errors name the file and the JSON pointer", "[rules]") {
  struct Case {
    std::string from, to, pointer, words;
  };
  const Case cases[] = {
      {"\"severity\": \"block\"", "\"severity\": \"fatal\"", "/rules/0/severity", "severity"},
      {"\"lexicon\": \"words\"", "\"lexicon\": \"nope\"", "/rules/0/when/all/0/lexicon", "nope"},
      {"\"category\"", "\"colour\": 1, \"category\"", "/rules/0/colour", "unknown key"},
      {"\"mood\": [\"negated\"]", "\"mood\": [\"angry\"]", "/rules/0/when/all/1/not/statement/mood",
       "angry"},
      {"\"citation\": {\"id\": \"c\", \"text\": \"Doc art. 1\"}", "\"citation\": {\"id\": \"c\"}",
       "/rules/0/citation/text", "missing"},
      {"\"id\": \"t.one\"", "\"id\": \"other.one\"", "/rules/0/id", "pack id"},
      {"\"expect\": [\"ruleid:t.one\"]", "\"expect\": [\"maybe:t.one\"]", "/rules/0/tests/0/expect",
       "ruleid"},
      // Conditions at every depth (their pointers are built only for the error).
      {"{\"lexicon\": \"words\"}", "{\"lexicn\": \"words\"}", "/rules/0/when/all/0/lexicn",
       "unknown condition"},
      {"{\"lexicon\": \"words\"}", "{\"lexicon\": \"words\", \"pattern\": \"x\"}",
       "/rules/0/when/all/0", "exactly one key"},
      {"{\"lexicon\": \"words\"}", "{\"lexicon\": 5}", "/rules/0/when/all/0/lexicon",
       "expected a term name"},
      {"{\"lexicon\": \"words\"}", "{\"pattern\": \"words\"}", "/rules/0/when/all/0/pattern",
       "is not a pattern"},
      {"{\"not\": {\"statement\": {\"mood\": [\"negated\"]}}}", "{\"any\": []}",
       "/rules/0/when/all/1/any", "non-empty array"},
      {"\"mood\": [\"negated\"]", "\"mood\": [\"negated\", 3]",
       "/rules/0/when/all/1/not/statement/mood/1", "expected a string"},
      {"\"mood\": [\"negated\"]", "\"mood\": 3", "/rules/0/when/all/1/not/statement/mood",
       "array of strings"},
      {"\"mood\": [\"negated\"]", "\"mood\": [\"negated\"], \"herbal\": \"yes\"",
       "/rules/0/when/all/1/not/statement/herbal", "true or false"},
      {"\"mood\": [\"negated\"]", "\"has_any\": [\"colour\"]",
       "/rules/0/when/all/1/not/statement/has_any", "unknown attribute"},
      {"\"mood\": [\"negated\"]", "\"drug\": \"$drug\"", "/rules/0/when/all/1/not/statement/drug",
       "placeholder"},
  };
  for (const auto& c : cases) {
    std::string body = kGood;
    const auto at = body.find(c.from);
    REQUIRE(at != std::string::npos);
    body.replace(at, c.from.size(), c.to);
    const std::string path = WritePack(body);
    auto pack = medaudit::rules::LoadPack(path);
    REQUIRE_FALSE(pack.has_value());
    INFO(pack.error().ToString());
    CHECK(pack.error().file == path);
    CHECK(pack.error().json_pointer == c.pointer);
    CHECK(pack.error().ToString().find(c.words) != std::string::npos);
  }
}

TEST_CASE("Pack: malformed JSON reports line and column", "[rules]") {
  const std::string path = WritePack("{\n  \"pack\": {\n  \"id\": }\n");
  auto pack = medaudit::rules::LoadPack(path);
  REQUIRE_FALSE(pack.has_value());
  CHECK(pack.error().code == medaudit::ErrorCode::kInvalidJson);
  CHECK(pack.error().line == 3);
}

namespace {

using medaudit::rules::Condition;
using medaudit::rules::LoadPack;
using medaudit::rules::Pack;
using medaudit::rules::PackTests;

// A condition tree as text, to compare two loads of the same pack.
std::string Describe(const Condition& c) {
  std::string out = std::to_string(static_cast<int>(c.kind)) + ":" + std::to_string(c.term);
  const auto& s = c.statement;
  for (const auto* list : {&s.has_any, &s.has_all, &s.drug_controlled, &s.drug_class, &s.drug_ids,
                           &s.drug_pregnancy}) {
    out += "|";
    for (const auto& item : *list) out += item + ",";
  }
  out += "|";
  for (const auto limit : s.exceeds) out += std::string(medaudit::rules::LimitName(limit)) + ",";
  out += std::to_string(s.moods.size()) + (s.herbal ? "h" : "") + (s.exclude_herbal ? "x" : "") +
         (s.daily_of_weekly ? "w" : "") + (s.drug_min_age ? "a" : "") +
         (s.question_drug ? "q" : "");
  out += "(";
  for (const auto& child : c.children) out += Describe(child) + ";";
  return out + ")";
}

// Everything of a pack but the rules' tests.
std::string Describe(const Pack& pack) {
  std::string out = pack.id + pack.version + pack.title + pack.jurisdiction + pack.sha256 + "\n";
  for (const auto& term : pack.terms) {
    out += term.name + (term.literal ? "L" : "R");
    for (const auto& [lang, expression] : term.expressions) out += lang + "=" + expression + ";";
    out += "\n";
  }
  for (const auto& rule : pack.rules) {
    out += rule.id + rule.category + std::to_string(static_cast<int>(rule.severity)) +
           rule.harm_extent + rule.harm_likelihood + rule.citation.id + rule.citation.text +
           rule.pointer + std::to_string(static_cast<int>(rule.scope));
    for (const auto& m : rule.message) out += m + ";";
    out += Describe(rule.when) + "\n";
  }
  return out;
}

// kGood with a tests array that is hard to skip: brackets, braces and escaped quotes in strings,
// and a nested array.
const char* kTricky = R"({
  "pack": {"id": "t", "version": "1", "title": "test"},
  "lexicons": {"words": {"en": ["buy now"], "zh": ["立即购买"]}},
  "rules": [{
    "id": "t.one", "category": "drug_supply_before_rx", "severity": "block",
    "harm": {"extent": "mild_moderate", "likelihood": "low"},
    "message": {"en": "m", "zh": "m", "ar": "m"},
    "citation": {"id": "c", "text": "Doc art. 1"},
    "tests": [{"lang": "en", "text": "buy ] now }\"[{\\", "expect": ["ruleid:t.one"]},
              {"lang": "zh", "text": "立即购买", "expect": ["ruleid:t.one", "ok:t.two"]}],
    "when": {"all": [{"lexicon": "words"}, {"not": {"statement": {"mood": ["negated"]}}}]}
  }, {
    "id": "t.two", "category": "drug_supply_before_rx", "severity": "warn",
    "message": {"en": "m2"},
    "citation": {"id": "c", "text": "Doc art. 2"},
    "when": {"lexicon": "words"},
    "tests": []
  }]
})";

}  // namespace

TEST_CASE("Pack: skipping tests loads everything else the same", "[rules]") {
  for (const std::string& body : {std::string(kGood), std::string(kTricky)}) {
    const std::string path = WritePack(body);
    auto full = LoadPack(path);
    auto skipped = LoadPack(path, PackTests::kSkip);
    REQUIRE(full.has_value());
    REQUIRE(skipped.has_value());
    CHECK(full->tests_loaded);
    CHECK_FALSE(skipped->tests_loaded);
    CHECK(full->rules[0].tests.size() == (body == kGood ? 1u : 2u));
    for (const auto& rule : skipped->rules) CHECK(rule.tests.empty());
    CHECK(Describe(*skipped) == Describe(*full));
  }
}

TEST_CASE("Pack: loading without the file hash changes only Pack::sha256", "[rules]") {
  const std::string path = WritePack(std::string(kGood));
  auto hashed = LoadPack(path, PackTests::kSkip);
  auto unhashed = LoadPack(path, PackTests::kSkip, medaudit::rules::PackHash::kNone);
  REQUIRE(hashed.has_value());
  REQUIRE(unhashed.has_value());
  CHECK(hashed->sha256.size() == 64);
  CHECK(unhashed->sha256.empty());
  hashed->sha256.clear();
  CHECK(Describe(*unhashed) == Describe(*hashed));
}

TEST_CASE("Pack: skipping tests keeps the shipped packs' rules", "[rules]") {
  auto files = medaudit::rules::ListPackFiles(std::string(MEDAUDIT_SOURCE_DIR) + "/rules");
  REQUIRE(files.has_value());
  for (const auto& file : *files) {
    INFO(file);
    auto full = LoadPack(file);
    auto skipped = LoadPack(file, PackTests::kSkip);
    REQUIRE(full.has_value());
    REQUIRE(skipped.has_value());
    CHECK_FALSE(skipped->tests_loaded);
    CHECK(Describe(*skipped) == Describe(*full));
  }
}

TEST_CASE("Pack: skipping tests keeps the errors outside them", "[rules]") {
  // The same problems as above, outside the tests arrays: the same pointer and words.
  struct Case {
    std::string from, to, pointer, words;
  };
  const Case cases[] = {
      {"\"severity\": \"warn\"", "\"severity\": \"fatal\"", "/rules/1/severity", "severity"},
      {"\"when\": {\"lexicon\": \"words\"}", "\"when\": {\"lexicon\": \"nope\"}",
       "/rules/1/when/lexicon", "nope"},
      {"\"tests\": []", "\"tests\": {}", "/rules/1/tests", "array"},
      {"\"tests\": []", "\"tests\": [], \"colour\": 1", "/rules/1/colour", "unknown key"},
  };
  for (const auto& c : cases) {
    std::string body = kTricky;
    const auto at = body.find(c.from);
    REQUIRE(at != std::string::npos);
    body.replace(at, c.from.size(), c.to);
    const std::string path = WritePack(body);
    auto pack = LoadPack(path, PackTests::kSkip);
    REQUIRE_FALSE(pack.has_value());
    INFO(pack.error().ToString());
    CHECK(pack.error().file == path);
    CHECK(pack.error().json_pointer == c.pointer);
    CHECK(pack.error().ToString().find(c.words) != std::string::npos);
  }
  // Malformed JSON, a bracket that does not match inside a tests array or a bad value after
  // one, is reported at the same line and column as by a full load.
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"\"ok:t.two\"]}]", "\"ok:t.two\"}]"},
        {"\"message\": {\"en\": \"m2\"}", "\"message\": {\"en\": m2}"},
        {"\"Doc art. 2\"", "\"Doc art. 2"}}) {
    std::string body = kTricky;
    const auto at = body.find(from);
    REQUIRE(at != std::string::npos);
    body.replace(at, from.size(), to);
    const std::string path = WritePack(body);
    auto full = LoadPack(path);
    auto skipped = LoadPack(path, PackTests::kSkip);
    REQUIRE_FALSE(full.has_value());
    REQUIRE_FALSE(skipped.has_value());
    CHECK(skipped.error().code == medaudit::ErrorCode::kInvalidJson);
    CHECK(skipped.error().line == full.error().line);
    CHECK(skipped.error().column == full.error().column);
  }
}
