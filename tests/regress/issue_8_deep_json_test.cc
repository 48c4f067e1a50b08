// Bug (issue 8): every JSON parser input (check --jsonl lines, corpus lines, importers, policies, packs) was parsed by RapidJSON's recursive parser, so a line of 10^6 '[' overflowed the stack and killed the process (SIGSEGV) instead of giving an invalid_json error.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "audit/corpus.h"
#include "audit/gate.h"
#include "audit/importers.h"
#include "base/json.h"

namespace {

using medaudit::ErrorCode;
namespace json = medaudit::json;
namespace audit = medaudit::audit;

const std::string kDeep(1000000, '[');

}  // namespace

TEST_CASE("issue 8: TooDeep counts nesting outside strings", "[regress]") {
  CHECK_FALSE(json::TooDeep("{}"));
  CHECK_FALSE(json::TooDeep(std::string(json::kMaxDepth, '[')));
  CHECK(json::TooDeep(std::string(json::kMaxDepth + 1, '[')));
  // Brackets inside strings, also after escaped quotes, do not count.
  CHECK_FALSE(json::TooDeep("[\"" + std::string(1000, '[') + "\"]"));
  CHECK_FALSE(json::TooDeep("[\"\\\"" + std::string(1000, '{') + "\"]"));
  // Closing brackets bring the depth down again.
  std::string wide;
  for (int i = 0; i < 1000; ++i) wide += "[[]]";
  CHECK_FALSE(json::TooDeep(wide));
}

TEST_CASE("issue 8: json::Parse rejects deep documents with kInvalidJson", "[regress]") {
  rapidjson::Document doc;
  auto status = json::Parse(kDeep, "deep.json", &doc);
  REQUIRE_FALSE(status);
  CHECK(status.error().code == ErrorCode::kInvalidJson);
  CHECK(status.error().message == "nested deeper than 256 levels");
  CHECK(status.error().file == "deep.json");
  // 256 levels still parse.
  const std::string ok = std::string(256, '[') + std::string(256, ']');
  CHECK(json::Parse(ok, "ok.json", &doc));
}

TEST_CASE("issue 8: a deep corpus line is an invalid_json item", "[regress]") {
  const auto item = audit::ParseCorpusLine("{\"id\":\"a\",\"answer\":\"x\",\"l\":" + kDeep, 3);
  CHECK(item.error_code == "invalid_json");
  CHECK(item.error == "nested deeper than 256 levels");
  CHECK(item.index == 3);
}

TEST_CASE("issue 8: a deep importer record is a warning", "[regress]") {
  std::istringstream in(kDeep + "\n{\"Question\":\"q\",\"Free_form_answer\":\"a\"}\n");
  std::ostringstream out;
  auto stats = audit::ImportKqa(in, out);
  REQUIRE(stats);
  CHECK(stats->records == 2);
  CHECK(stats->items == 1);
  REQUIRE(stats->warnings.size() == 1);
  CHECK(stats->warnings[0] == "line 1: nested too deeply");
}

TEST_CASE("issue 8: a deep policy is a policy_error", "[regress]") {
  auto policy = audit::ParseGatePolicy(kDeep, "deep-policy.json");
  REQUIRE_FALSE(policy);
  CHECK(policy.error().code == ErrorCode::kPolicyError);
}
