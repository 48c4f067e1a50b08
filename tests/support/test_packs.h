// Helpers for rule-engine tests: pack files written to a temp directory of this test process (ctest
// runs each case in its own process), a one-rule pack around a statement predicate, and whether
// the shipped engine finds a category in an answer.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "rules/engine.h"
#include "support/shipped_engine.h"
#include "support/temp_dir.h"

namespace medaudit::testing {

// Writes `body` to a new .json file and returns its path.
inline std::string WritePack(const std::string& body) {
  static const TempDir dir("test_packs");
  static int counter = 0;
  return dir.Write(std::to_string(counter++) + ".json", body);
}

// A valid pack with one rule of `category` whose condition is {"statement": statement}.
inline std::string PackWithStatement(const std::string& statement,
                                     const std::string& category = "overdose") {
  return R"({
  "pack": {"id": "t", "version": "1", "title": "test"},
  "rules": [{
    "id": "t.one", "category": ")" +
         category + R"(", "severity": "harm",
    "harm": {"extent": "mild_moderate", "likelihood": "low"},
    "message": {"en": "m", "zh": "m", "ar": "m"},
    "citation": {"id": "c", "text": "Doc art. 1"},
    "when": {"statement": )" +
         statement + R"(}
  }]
})";
}

// Whether the shipped rules find a finding of `category` in `answer` (to `question`).
inline bool ShippedFindsCategory(const std::string& answer, const std::string& question,
                                 const std::string& category) {
  rules::Workspace ws;
  rules::CheckResult result;
  REQUIRE(
      ShippedEngine().Check({answer, question, text::Lang::kUnknown}, &ws, &result).has_value());
  return std::any_of(result.findings.begin(), result.findings.end(),
                     [&](const auto& f) { return f.rule->category == category; });
}

}  // namespace medaudit::testing
