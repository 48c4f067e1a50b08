// The check engine with the rules shipped in rules/, loaded once per test binary and shared (an
// Engine is immutable and thread-safe). Fails the calling test if the rules do not load.
//
// It uses the compiled-rules cache (MEDAUDIT_CACHE_DIR, else a directory under the system's temp
// directory): CTest runs every test case in its own process, and compiling the scan database
// afresh in each one cost most of the suite's time. The cache is keyed by the patterns' SHA-256
// and written atomically, so concurrent test processes share it safely.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "extract/statement.h"
#include "rules/engine.h"

namespace medaudit::testing {

inline std::string TestCacheDir() {
  if (const char* env = std::getenv("MEDAUDIT_CACHE_DIR"); env && *env) return env;
  const auto dir = std::filesystem::temp_directory_path() / "medaudit-test-cache";
  std::filesystem::create_directories(dir);
  return dir.string();
}

// The shipped rules as `check` loads them: cached, without the packs' tests.
inline rules::EngineOptions ShippedRulesOptions() {
  rules::EngineOptions options;
  options.rules_dir = std::string(MEDAUDIT_SOURCE_DIR) + "/rules";
  options.cache_dir = TestCacheDir();
  options.pack_tests = rules::PackTests::kSkip;
  return options;
}

inline std::shared_ptr<const rules::Engine> SharedShippedEngine() {
  static const std::shared_ptr<const rules::Engine> engine = [] {
    auto loaded = rules::Engine::Load(ShippedRulesOptions());
    if (!loaded) FAIL("cannot load rules: " << loaded.error().ToString());
    return *loaded;
  }();
  return engine;
}

inline const rules::Engine& ShippedEngine() { return *SharedShippedEngine(); }

// The statements the shipped engine read about the lexicon drug with this id, in text order.
inline std::vector<extract::MedicationStatement> StatementsFor(const rules::Workspace& ws,
                                                               const std::string& drug_id) {
  std::vector<extract::MedicationStatement> found;
  for (const auto& st : ws.statements) {
    if (extract::IsLexiconDrug(st.drug) &&
        ShippedEngine().lexicon().drugs()[st.drug].id == drug_id) {
      found.push_back(st);
    }
  }
  return found;
}

// The statements the shipped engine reads in `text` about the lexicon drug with this id.
inline std::vector<extract::MedicationStatement> StatementsIn(const std::string& text,
                                                              const std::string& drug_id) {
  rules::Workspace ws;
  ShippedEngine().Analyze(text, &ws);
  return StatementsFor(ws, drug_id);
}

// The statements about the lexicon drug with this id after a full check of `answer` against
// `question` (dose completion included), in text order. Fails the test if the drug is unknown.
inline std::vector<extract::MedicationStatement> CheckedStatements(const char* question,
                                                                   const char* answer,
                                                                   const std::string& drug_id) {
  rules::Workspace ws;
  rules::CheckResult result;
  REQUIRE(ShippedEngine().Check({answer, question}, &ws, &result).has_value());
  REQUIRE(ShippedEngine().lexicon().Find(drug_id));
  return StatementsFor(ws, drug_id);
}

}  // namespace medaudit::testing
