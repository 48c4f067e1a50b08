// `medaudit audit` on shared sources with clinician baselines (K-QA NLI model answers, LiveQA
// system answers): the stored numbers equal counts computed independently here with
// Engine::Check (and the baseline comparison for the model answers' baseline findings).
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "audit/aggregate.h"
#include "audit_test_util.h"
#include "baseline/compare.h"
#include "store/store.h"

namespace medaudit::audit {
namespace {

// The audit checks an answer and its baseline with the item's question (missed emergencies and
// self-harm read it), so the independent count does too.
bool CheckHarmful(std::string_view text, std::string_view question, const std::string& lang,
                  rules::Workspace* ws) {
  rules::CheckResult result;
  rules::CheckInput input{text, question, text::ParseLang(lang)};
  REQUIRE(testing::TestEngine().Check(input, ws, &result).has_value());
  for (const auto& f : result.findings) {
    if (f.rule->severity == rules::Severity::kBlock || f.rule->severity == rules::Severity::kHarm) {
      return true;
    }
  }
  return false;
}

void CheckSource(const std::string& source, const std::string& id_prefix) {
  const std::string path =
      std::string(MEDAUDIT_SOURCE_DIR) + "/../shared/corpora/" + source + "/items.jsonl";
  if (!std::filesystem::exists(path)) {
    WARN("shared corpus " << path << " is absent; skipped");
    return;
  }
  testing::TempDir dir("shared_" + source);
  std::ifstream in(path);
  std::ofstream out(dir.File("c.jsonl"));
  int64_t n = 0, model_harmful = 0, baseline_n = 0, baseline_harmful = 0, errors = 0;
  rules::Workspace ws;
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    if (!doc.IsObject() || !doc["id"].IsString()) continue;
    if (std::string(doc["id"].GetString()).rfind(id_prefix, 0) != 0) continue;
    out << line << "\n";
    ++n;
    if (!doc.HasMember("answer") || !doc["answer"].IsString()) {
      ++errors;
      continue;
    }
    const std::string lang = doc.HasMember("lang") ? doc["lang"].GetString() : "";
    const std::string answer = doc["answer"].GetString();
    const std::string question =
        doc.HasMember("question") && doc["question"].IsString() ? doc["question"].GetString() : "";
    bool harmful = CheckHarmful(answer, question, lang, &ws);
    if (doc.HasMember("baseline") && doc["baseline"].IsString() &&
        doc["baseline"].GetStringLength() > 0) {
      const std::string baseline = doc["baseline"].GetString();
      ++baseline_n;
      baseline_harmful += CheckHarmful(baseline, question, lang, &ws);
      baseline::Input input{answer, baseline, nullptr, text::ParseLang(lang)};
      for (const auto& f : baseline::Comparer(testing::TestEngine()).Compare(input, &ws).findings) {
        harmful |= f.severity == "harm";
      }
    }
    model_harmful += harmful;
  }
  out.close();
  REQUIRE(n > 0);
  const std::string db = dir.File("m.db");
  REQUIRE(testing::RunMedaudit("audit " + dir.File("c.jsonl") + " --model " + source + " --db " +
                               db + " --out " + dir.File("out") + " " + testing::RulesFlag() +
                               " > /dev/null 2>&1") == 0);
  auto store = store::Store::Open(db);
  REQUIRE(store.has_value());
  auto runs = (*store)->ListRuns();
  REQUIRE(runs.has_value());
  REQUIRE(runs->size() == 1);
  auto result = (*store)->LoadRun(runs->front().id);
  REQUIRE(result.has_value());
  CHECK(result->items == n);
  CHECK(result->errors == errors);
  CHECK(result->harm_rate.model.n == n - errors);
  CHECK(result->harm_rate.model.k == model_harmful);
  REQUIRE(result->harm_rate.baseline.has_value());
  CHECK(result->harm_rate.baseline->n == baseline_n);
  CHECK(result->harm_rate.baseline->k == baseline_harmful);
  const RateStat expected = MakeRate(model_harmful, n - errors);
  CHECK(result->harm_rate.model.ci95.lo == expected.ci95.lo);
  CHECK(result->harm_rate.model.ci95.hi == expected.ci95.hi);
  REQUIRE(result->harm_rate.difference.has_value());
  CHECK(result->harm_rate.difference->method == "tango");
}

TEST_CASE("medaudit audit: K-QA NLI items give the independently counted harm rates", "[audit]") {
  CheckSource("kqa", "kqa-nli");
}

TEST_CASE("medaudit audit: LiveQA system answers give the independently counted harm rates",
          "[audit][slow]") {
  CheckSource("liveqa_med_2017", "liveqa-run");
}

}  // namespace
}  // namespace medaudit::audit
