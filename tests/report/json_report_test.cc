// report.json: the design.md §4 contract, determinism, NaN → null, reading back.
#include "report/json_report.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include "report/writer.h"
#include "report_fixture.h"

namespace medaudit::report {
namespace {

rapidjson::Document ParseOrFail(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

TEST_CASE("ReportJson: holds every field of the design.md contract", "[report]") {
  const auto doc = ParseOrFail(ReportJson(testing::ReportFixture()));
  for (const char* key :
       {"id", "model", "model_version", "corpus_sha256", "rules_sha256", "started", "finished"}) {
    INFO(key);
    CHECK(doc["run"][key].IsString());
  }
  CHECK(doc["items"].GetInt64() == 140);
  const auto& model = doc["harm_rate"]["model"];
  CHECK(model["k"].GetInt64() == 8);
  CHECK(model["n"].GetInt64() == 140);
  CHECK(model["rate"].GetDouble() == Approx(0.057143));
  CHECK(model["ci95"].Size() == 2);
  CHECK(doc["harm_rate"]["baseline"]["k"].GetInt64() == 5);
  const auto& d = doc["harm_rate"]["difference"];
  CHECK(d["method"] == "tango");
  CHECK(d["b"].GetInt64() == 5);
  CHECK(d["c"].GetInt64() == 2);
  CHECK(d["mcnemar_p"].GetDouble() == Approx(0.453125));
  CHECK(d["ci95"][1].GetDouble() == Approx(0.06877));
  CHECK(doc["by_category"]["overdose"]["model"].GetInt64() == 2);
  CHECK(doc["by_category"]["overdose"]["baseline"].GetInt64() == 1);
  CHECK(doc["ai_prescriptions"].GetInt64() == 3);
  CHECK(doc["agreement"]["harmful"]["kappa"].GetDouble() == Approx(0.634146));
  CHECK(doc["by_language"]["zh"]["items"].GetInt64() == 60);
  CHECK(doc["medaudit_version"] == "0.1.0");
  CHECK(doc["record_hash"] == std::string(64, 'c'));
}

TEST_CASE("ReportJson: NaN is null, numbers have six decimals, output is stable", "[report]") {
  const auto result = testing::ReportFixture();
  const std::string text = ReportJson(result);
  CHECK(text == ReportJson(result));
  CHECK(text.find("\"rate\": 0.057143") != std::string::npos);
  const auto doc = ParseOrFail(text);
  CHECK(doc["agreement"]["rx"]["kappa"].IsNull());
  CHECK(doc["agreement"]["rx"]["precision"].IsNull());
  CHECK(text.find("nan") == std::string::npos);
  CHECK(text.find("-0.000000") == std::string::npos);
}

TEST_CASE("ReportJson: a run without baseline writes null baseline and difference", "[report]") {
  auto result = testing::ReportFixture();
  result.harm_rate.baseline.reset();
  result.harm_rate.difference.reset();
  result.agreement.reset();
  const auto doc = ParseOrFail(ReportJson(result));
  CHECK(doc["harm_rate"]["baseline"].IsNull());
  CHECK(doc["harm_rate"]["difference"].IsNull());
  CHECK(doc["agreement"].IsNull());
}

TEST_CASE("ParseReportJson: reads back what ReportJson wrote", "[report]") {
  const auto original = testing::ReportFixture();
  auto parsed = ParseReportJson(ReportJson(original), "report.json");
  REQUIRE(parsed.has_value());
  CHECK(parsed->run.id == original.run.id);
  CHECK(parsed->harm_rate.model.k == 8);
  CHECK(parsed->harm_rate.difference->ci95.hi == Approx(0.06877));
  CHECK(parsed->by_category.at("overdose").baseline == 1);
  CHECK(parsed->items_by_language.at("ar") == 30);
  CHECK(std::isnan(parsed->agreement->at("rx").kappa));
  // Round trip is a fixed point (items are not part of report.json).
  parsed->item_results = original.item_results;
  CHECK(ReportJson(*parsed) == ReportJson(original));
}

TEST_CASE("ParseReportJson: names the file and the JSON pointer of a bad field", "[report]") {
  auto bad = ParseReportJson(R"({"run": {"id": 3}})", "r.json");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().file == "r.json");
  CHECK(bad.error().json_pointer == "/run/id");
  auto missing = ParseReportJson(R"({"run": {"id": "x", "model": "m", "model_version": "",
      "corpus_sha256": "", "rules_sha256": "", "started": "", "finished": ""}, "items": 1,
      "ai_prescriptions": 0, "by_category": {}})",
                                 "r.json");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().json_pointer == "/harm_rate");
  CHECK_FALSE(ParseReportJson("not json", "r.json").has_value());
}

TEST_CASE("WriteReports: writes the five files and rejects an unknown language", "[report]") {
  const std::string dir = testing::TestDir("write_reports");
  REQUIRE(WriteReports(testing::ReportFixture(), dir, {"zh", 5}).has_value());
  for (const char* name :
       {"report.html", "report.json", "report.md", "report.sarif", "junit.xml"}) {
    INFO(name);
    CHECK_FALSE(testing::ReadAll(dir + "/" + name).empty());
  }
  auto bad = WriteReports(testing::ReportFixture(), dir, {"fr", 5});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medaudit::report
