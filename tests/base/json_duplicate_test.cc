// json::DuplicateKey: repeated keys in untrusted JSON are found, at any depth when asked.
#include <catch2/catch.hpp>
#include <string>

#include "base/json.h"

namespace medaudit::json {
namespace {

rapidjson::Document ParseOk(const std::string& text) {
  rapidjson::Document doc;
  REQUIRE(Parse(text, "t.json", &doc).has_value());
  return doc;
}

TEST_CASE("DuplicateKey: top level and nested", "[base][json]") {
  CHECK(DuplicateKey(ParseOk(R"({"a": 1, "b": 2})")) == nullptr);
  CHECK(DuplicateKey(ParseOk(R"([1, 2])")) == nullptr);
  const auto top = ParseOk(R"({"a": 1, "b": 2, "a": 3})");
  REQUIRE(DuplicateKey(top) != nullptr);
  CHECK(View(*DuplicateKey(top)) == "a");

  const auto nested = ParseOk(R"({"x": [{"k": 1}, {"k": 1, "k": 2}]})");
  CHECK(DuplicateKey(nested) == nullptr);  // not recursive: the top level is clean
  std::string where;
  const auto* dup = DuplicateKey(nested, /*recursive=*/true, &where);
  REQUIRE(dup != nullptr);
  CHECK(View(*dup) == "k");
  CHECK(where == "/x/1");
}

TEST_CASE("DuplicateKey: large objects use a set", "[base][json]") {
  std::string text = "{";
  for (int i = 0; i < 5000; ++i) text += "\"k" + std::to_string(i) + "\": 0,";
  const std::string clean = text.substr(0, text.size() - 1) + "}";
  CHECK(DuplicateKey(ParseOk(clean)) == nullptr);
  const auto dirty = ParseOk(text + "\"k4321\": 1}");
  REQUIRE(DuplicateKey(dirty) != nullptr);
  CHECK(View(*DuplicateKey(dirty)) == "k4321");
}

}  // namespace
}  // namespace medaudit::json
