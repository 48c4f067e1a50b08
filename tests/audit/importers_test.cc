// Importers: HealthBench, K-QA and CSV (RFC 4180) samples to the corpus format.
#include "audit/importers.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <sstream>

namespace medaudit::audit {
namespace {

std::vector<rapidjson::Document> Lines(const std::string& text) {
  std::vector<rapidjson::Document> docs;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    docs.emplace_back();
    docs.back().Parse(line.c_str());
    REQUIRE(docs.back().IsObject());
  }
  return docs;
}

TEST_CASE("ImportHealthBench: last user turn, ideal completion, rubrics, one item per answer",
          "[audit]") {
  std::istringstream in(
      R"({"prompt_id":"p1","prompt":[{"role":"user","content":"first"},{"role":"assistant",)"
      R"("content":"?"},{"role":"user","content":"my chest hurts"}],"rubrics":[{"criterion":)"
      R"("Tells the user to call 911","points":9,"tags":["axis:completeness"]}],"example_tags":)"
      R"(["theme:emergency_referrals"],"ideal_completions_data":{"ideal_completion":"Call 911.",)"
      R"("ideal_completions_group":"Group 2","ideal_completions_ref_completions":["A1","A2"]}})"
      "\n"
      R"({"prompt_id":"p2","prompt":[{"role":"user","content":"q2"}],"rubrics":[]})"
      "\nnot json\n");
  std::ostringstream out;
  auto stats = ImportHealthBench(in, out);
  REQUIRE(stats.has_value());
  CHECK(stats->records == 3);
  CHECK(stats->items == 3);
  REQUIRE(stats->warnings.size() == 1);
  const auto docs = Lines(out.str());
  REQUIRE(docs.size() == 3);
  CHECK(std::string(docs[0]["id"].GetString()) == "p1#0");
  CHECK(std::string(docs[0]["question"].GetString()) == "my chest hurts");
  CHECK(std::string(docs[0]["answer"].GetString()) == "A1");
  CHECK(std::string(docs[0]["baseline"].GetString()) == "Call 911.");
  CHECK(docs[0]["labels"]["rubrics"][0]["points"].GetInt() == 9);
  CHECK(std::string(docs[1]["answer"].GetString()) == "A2");
  CHECK(std::string(docs[2]["id"].GetString()) == "p2");
  CHECK(docs[2]["answer"].IsNull());
  CHECK_FALSE(docs[2].HasMember("baseline"));
}

TEST_CASE("ImportKqa: Free_form_answer is the baseline, Must_have the labels", "[audit]") {
  std::istringstream in(
      R"({"Question":"What is Lexapro?","Free_form_answer":"An SSRI.","Must_have":["SSRI"],)"
      R"("Nice_to_have":["brand names"],"Sources":["x"]})"
      "\n{\"Free_form_answer\":\"no question\"}\n");
  std::ostringstream out;
  auto stats = ImportKqa(in, out);
  REQUIRE(stats.has_value());
  CHECK(stats->items == 1);
  CHECK(stats->warnings.size() == 1);
  const auto docs = Lines(out.str());
  REQUIRE(docs.size() == 1);
  CHECK(std::string(docs[0]["id"].GetString()) == "kqa-1");
  CHECK(std::string(docs[0]["baseline"].GetString()) == "An SSRI.");
  CHECK(std::string(docs[0]["labels"]["must_have"][0].GetString()) == "SSRI");
  CHECK(std::string(docs[0]["labels"]["nice_to_have"][0].GetString()) == "brand names");
  CHECK(docs[0]["answer"].IsNull());
}

TEST_CASE("ImportCsv: column mapping and RFC 4180 quoting", "[audit]") {
  std::istringstream in(
      "\xEF\xBB\xBFqid,Question,Model answer,Doctor,language\r\n"
      "1,\"Fever, 39C?\",\"Take \"\"paracetamol\"\"\nand rest\",See a doctor,en\r\n"
      "2,咳嗽怎么办,多喝水,,zh\n"
      "3,short row\n");
  auto mapping = ParseCsvMapping("id=qid,question=Question,answer=3,baseline=Doctor,lang=language");
  REQUIRE(mapping.has_value());
  std::ostringstream out;
  auto stats = ImportCsv(in, *mapping, out);
  REQUIRE(stats.has_value());
  CHECK(stats->items == 3);
  CHECK(stats->warnings.size() == 1);  // the short row
  const auto docs = Lines(out.str());
  REQUIRE(docs.size() == 3);
  CHECK(std::string(docs[0]["question"].GetString()) == "Fever, 39C?");
  CHECK(std::string(docs[0]["answer"].GetString()) == "Take \"paracetamol\"\nand rest");
  CHECK(std::string(docs[0]["baseline"].GetString()) == "See a doctor");
  CHECK(std::string(docs[1]["lang"].GetString()) == "zh");
  CHECK_FALSE(docs[1].HasMember("baseline"));
  CHECK(docs[2]["answer"].IsNull());

  CHECK_FALSE(ParseCsvMapping("idx=1").has_value());
  CHECK_FALSE(ParseCsvMapping("id").has_value());
  std::istringstream header_only("a,b\n");
  CHECK_FALSE(ImportCsv(header_only, *ParseCsvMapping("answer=zzz"), out).has_value());
}

}  // namespace
}  // namespace medaudit::audit
