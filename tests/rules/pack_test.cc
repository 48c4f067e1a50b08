// The rule-pack loader: a pack that fails to load names the file, the JSON pointer and the
// problem; a good pack loads with its rules and tests.
#include "rules/pack.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace {

// Each test case runs in its own process (ctest -j), so files go to a directory of this process.
std::string WritePack(const std::string& body) {
  static const medaudit::testing::TempDir dir("pack_test");
  static int counter = 0;
  return dir.Write(std::to_string(counter++) + ".json", body);
}

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
