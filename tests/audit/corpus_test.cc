// The corpus reader: every line becomes an item or an item error, never silently dropped.
#include "audit/corpus.h"

#include <catch2/catch.hpp>

#include "audit_test_util.h"
#include "base/sha256.h"

namespace medaudit::audit {
namespace {

std::vector<CorpusItem> ReadAll(const std::string& path) {
  auto reader = CorpusReader::Open(path);
  REQUIRE(reader.has_value());
  std::vector<CorpusItem> items;
  CorpusItem item;
  while ((*reader)->Next(&item)) items.push_back(item);
  return items;
}

TEST_CASE("CorpusReader: records bad lines as item errors and keeps going", "[audit]") {
  testing::TempDir dir("corpus");
  const std::string path =
      dir.Write("c.jsonl",
                "{\"id\": \"a\", \"lang\": \"en\", \"question\": \"q\", \"answer\": \"fine\", "
                "\"baseline\": \"b\", \"labels\": {\"harmful\": true, \"rx\": false, "
                "\"must_have\": [\"x\"]}}\n"
                "{not json\n"
                "\n"
                "{\"id\": \"bad-utf8\", \"answer\": \"\xff\xfe\"}\n"
                "{\"id\": \"no-answer\", \"question\": \"q\", \"answer\": null}\n"
                "{\"id\": \"a\", \"answer\": \"duplicate\"}\n"
                "{\"id\": 42, \"answer\": \"numeric id\", \"baseline\": \"\"}\n"
                "[1, 2]\r\n"
                "{\"answer\": \"no id\"}");
  const auto items = ReadAll(path);
  REQUIRE(items.size() == 8);  // the blank line is skipped but counted in the index

  CHECK(items[0].id == "a");
  CHECK(items[0].index == 0);
  CHECK(items[0].error.empty());
  CHECK(items[0].baseline == std::optional<std::string>("b"));
  CHECK(items[0].labels.binary.at("harmful"));
  CHECK_FALSE(items[0].labels.binary.at("rx"));
  CHECK(items[0].labels.must_have == std::vector<std::string>{"x"});

  CHECK(items[1].error_code == "invalid_json");
  CHECK(items[1].id == "line:2");
  CHECK(items[2].index == 3);
  CHECK(items[2].error_code == "invalid_utf8");
  CHECK(items[3].id == "no-answer");
  CHECK(items[3].error_code == "missing_field");
  CHECK(items[4].error.find("duplicate id a") != std::string::npos);
  CHECK(items[5].id == "42");
  CHECK(items[5].error.empty());
  CHECK_FALSE(items[5].baseline.has_value());  // "" counts as no baseline
  CHECK(items[6].error_code == "invalid_json");
  CHECK(items[7].id == "line:9");
  CHECK(items[7].error.empty());
}

TEST_CASE("ParseCorpusLine: a repeated key makes the line an input error", "[audit]") {
  const auto twice = ParseCorpusLine(R"({"id": "d", "answer": "Rest.", "answer": "Take X."})", 4);
  CHECK(twice.id == "d");
  CHECK(twice.error_code == "invalid_json");
  CHECK(twice.error == "duplicate key 'answer' in one line");
  const auto nested =
      ParseCorpusLine(R"({"id": "n", "answer": "Rest.", "labels": {"rx": true, "rx": false}})", 0);
  CHECK(nested.error == "duplicate key 'rx' in '/labels'");
}

TEST_CASE("CorpusReader: hashes exactly the bytes of the file", "[audit]") {
  testing::TempDir dir("corpus_hash");
  const std::string content = "{\"id\":1,\"answer\":\"x\"}\n{\"id\":2,\"answer\":\"y\"}";
  const std::string path = dir.Write("c.jsonl", content);
  auto hashed = CorpusReader::HashFile(path);
  REQUIRE(hashed.has_value());
  CHECK(*hashed == Sha256Hex(content));
  auto reader = CorpusReader::Open(path);
  REQUIRE(reader.has_value());
  CorpusItem item;
  while ((*reader)->Next(&item)) {
  }
  CHECK((*reader)->Sha256Hex() == *hashed);
  CHECK_FALSE(CorpusReader::Open(dir.File("missing.jsonl")).has_value());
}

TEST_CASE("ParseCorpusLine: reads the human labels of the shared sources", "[audit]") {
  const auto kqa = ParseCorpusLine(
      R"({"id":"k","answer":"a","labels":{"claims":[{"claim":"c1","category_x":"Must_have",)"
      R"("majority_label":"Entailment"},{"claim":"c2","category_x":"Nice_to_have",)"
      R"("majority_label":"Contradiction"}]}})",
      0);
  CHECK(kqa.labels.binary.at("kqa_contradiction"));
  CHECK(kqa.labels.must_have == std::vector<std::string>{"c1"});
  const auto live = ParseCorpusLine(R"({"id":"l","answer":"a","labels":{"nist_score":1}})", 0);
  CHECK(live.labels.binary.at("liveqa_incorrect"));
  const auto unscored = ParseCorpusLine(R"({"id":"l","answer":"a","labels":{"nist_score":-2}})", 0);
  CHECK(unscored.labels.binary.count("liveqa_incorrect") == 0);
  const auto medquad =
      ParseCorpusLine(R"({"id":"m","answer":"a","labels":{"judgment":"3-Incomplete"}})", 0);
  CHECK_FALSE(medquad.labels.binary.at("medquad_incorrect"));
  const auto mts =
      ParseCorpusLine(R"({"id":"t","answer":"a","labels":{"HallucinationRate":"0.25"}})", 0);
  CHECK(mts.labels.binary.at("mts_hallucination"));
}

}  // namespace
}  // namespace medaudit::audit
