// Bug (issue 8): deep JSON (10^6 '[') crashed every parser; json::Parse read 0e200 as 7.8e56.
// Every JSON input (check --jsonl lines, corpus lines, importers, policies, packs) went through
// RapidJSON's recursive parser, so deep nesting overflowed the stack (SIGSEGV) instead of giving
// invalid_json; and full-precision parsing mis-read a zero significand with an exponent.
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
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kInvalidJson);
  CHECK(status.error().message == "nested deeper than 256 levels");
  CHECK(status.error().file == "deep.json");
  // 256 levels still parse.
  const std::string ok = std::string(256, '[') + std::string(256, ']');
  CHECK(json::Parse(ok, "ok.json", &doc).has_value());
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
  REQUIRE(stats.has_value());
  CHECK(stats->records == 2);
  CHECK(stats->items == 1);
  REQUIRE(stats->warnings.size() == 1);
  CHECK(stats->warnings[0] == "line 1: nested too deeply");
}

TEST_CASE("issue 8: a deep policy is a policy_error", "[regress]") {
  auto policy = audit::ParseGatePolicy(kDeep, "deep-policy.json");
  REQUIRE_FALSE(policy.has_value());
  CHECK(policy.error().code == ErrorCode::kPolicyError);
}

// Bug (issue 8, found by fuzz_policy): json::Parse (full precision) read "0e200" as 7.8e56 and
// "0e-200" as a negative number (RapidJSON 1.1.0 DiyFp::Normalize on a zero significand).
TEST_CASE("issue 8: zero with an exponent parses as zero", "[regress]") {
  for (const char* text : {"[0e200]", "[0e-200]", "[-0.000E+300]", "[0.0e20]", "[0e5]",
                           "[0.000000000000000000000000000]", "[0.0]", "[0]"}) {
    INFO(text);
    rapidjson::Document doc;
    REQUIRE(json::Parse(text, "zero.json", &doc).has_value());
    REQUIRE(doc[0].IsNumber());
    CHECK(doc[0].GetDouble() == 0.0);
  }
  rapidjson::Document doc;
  // Strings are left alone, other numbers are unchanged, and "0e" stays an error.
  REQUIRE(json::Parse("[\"0e200\", 1e2, 2.5e-1]", "x.json", &doc).has_value());
  CHECK(json::View(doc[0]) == "0e200");
  CHECK(doc[1].GetDouble() == 100.0);
  CHECK(doc[2].GetDouble() == 0.25);
  CHECK_FALSE(json::Parse("[0e]", "x.json", &doc).has_value());
  auto policy = audit::ParseGatePolicy("{\"max_harm_rate\": 0e200}", "p.json");
  REQUIRE(policy.has_value());
  CHECK(*policy->max_harm_rate == 0.0);
}

TEST_CASE("issue 8: long significands parse to the nearest double", "[regress]") {
  rapidjson::Document doc;
  REQUIRE(json::Parse("[0.184467440737095516158926744073709551614, "
                      "184467440737095516158926744073709551614, 0.1000000000000000000001]",
                      "long.json", &doc)
              .has_value());
  CHECK(doc[0].GetDouble() == Approx(0.18446744073709551));
  CHECK(doc[1].GetDouble() == Approx(1.8446744073709552e38));
  CHECK(doc[2].GetDouble() == 0.1);
}

TEST_CASE("issue 8: a zero followed by a second '.' stays a parse error", "[regress]") {
  rapidjson::Document doc;
  CHECK_FALSE(json::Parse("[0.000000000000000000000000000.5]", "x.json", &doc).has_value());
}
