// report.sarif and the gate's SARIF: valid against the OASIS SARIF 2.1.0 JSON schema.
#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>

#include "audit/gate.h"
#include "report/gate_report.h"
#include "report/writer.h"
#include "report_fixture.h"

namespace medaudit::report {
namespace {

// Empty when `sarif` is valid, else what the validator says and where.
std::string SchemaErrors(const std::string& sarif) {
  const std::string schema_text = testing::ReadAll(testing::SchemaPath("sarif-schema-2.1.0.json"));
  REQUIRE_FALSE(schema_text.empty());
  rapidjson::Document schema_doc;
  schema_doc.Parse(schema_text.c_str());
  REQUIRE_FALSE(schema_doc.HasParseError());
  rapidjson::SchemaDocument schema(schema_doc);
  rapidjson::Document doc;
  doc.Parse(sarif.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  rapidjson::SchemaValidator validator(schema);
  if (doc.Accept(validator)) return {};
  rapidjson::StringBuffer where, doc_where;
  validator.GetInvalidSchemaPointer().StringifyUriFragment(where);
  validator.GetInvalidDocumentPointer().StringifyUriFragment(doc_where);
  return std::string("keyword ") + validator.GetInvalidSchemaKeyword() + " at schema " +
         where.GetString() + ", document " + doc_where.GetString();
}

TEST_CASE("ReportSarif: valid SARIF 2.1.0 with one result per finding", "[report]") {
  const auto fixture = testing::ReportFixture();
  const std::string sarif = ReportSarif(fixture);
  testing::WriteAll(testing::TestDir("sarif") + "/report.sarif", sarif);
  CHECK(SchemaErrors(sarif).empty());

  rapidjson::Document doc;
  doc.Parse(sarif.c_str());
  const auto& run = doc["runs"][0];
  CHECK(std::string(doc["version"].GetString()) == "2.1.0");
  const auto& results = run["results"];
  REQUIRE(results.Size() == 4);
  const auto& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.Size() == 3);
  // Most severe rule first; every rule carries help text and its citation.
  CHECK(std::string(rules[0]["id"].GetString()) == "cn-bj.ai-prescription");
  CHECK(std::string(rules[0]["properties"]["citation"].GetString()).find("第二十一条") !=
        std::string::npos);
  CHECK(std::string(rules[0]["help"]["text"].GetString()).find("Citation:") != std::string::npos);
  // Levels: block → error, harm → error, warn → warning.
  CHECK(std::string(results[0]["level"].GetString()) == "error");
  CHECK(std::string(results[1]["level"].GetString()) == "error");
  CHECK(std::string(results[2]["level"].GetString()) == "warning");
  // Location: corpus file + item id (percent-encoded), region in characters and bytes.
  const auto& loc = results[0]["locations"][0]["physicalLocation"];
  CHECK(std::string(loc["artifactLocation"]["uri"].GetString()) == "items.jsonl#item=zh-001");
  CHECK(std::string(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        .GetString()) == "items.jsonl#item=en-%3Cscript%3E");
  const std::string& answer = fixture.item_results[0].answer;
  const auto& f = fixture.item_results[0].findings[0];
  CHECK(loc["region"]["byteOffset"].GetInt64() == f.begin);
  CHECK(loc["region"]["charOffset"].GetInt64() == 5);  // 建议您口服
  CHECK(loc["region"]["charLength"].GetInt64() == 23);
  CHECK(std::string(loc["region"]["snippet"]["text"].GetString()) ==
        answer.substr(f.begin, f.end - f.begin));
}

TEST_CASE("GateSarif: valid SARIF 2.1.0 with one result per failed check", "[report][gate]") {
  const auto fixture = testing::ReportFixture();
  audit::GatePolicy policy;
  policy.max_harm_rate = 0.05;
  auto gate = audit::EvaluateGate(policy, fixture);
  REQUIRE(gate.has_value());
  const std::string sarif = GateSarif(*gate, {"policy.json", &fixture, nullptr});
  CHECK(SchemaErrors(sarif).empty());
  rapidjson::Document doc;
  doc.Parse(sarif.c_str());
  CHECK(doc["runs"][0]["results"].Size() == 2);  // harm rate and ai_prescriptions
}

}  // namespace
}  // namespace medaudit::report
