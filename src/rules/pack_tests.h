// Runs the tests that rule packs carry (semgrep semantics): `ruleid:X` must fire, `ok:X` must not,
// `todoruleid:`/`todook:` record known gaps without failing, and within the test's pack no rule
// may fire that the test does not name (strict). Also the pack linter. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "rules/engine.h"
#include "text/normalize.h"

namespace medaudit::rules {

struct PackTestFailure {
  std::string pack_file;
  std::string pointer;  // JSON pointer of the test
  std::string rule;     // the rule the expectation is about
  std::string problem;  // "expected ruleid:X, did not fire" ...
  std::string text;
};

struct PackTestReport {
  int64_t tests = 0;         // test cases run
  int64_t expectations = 0;  // expectations checked
  int64_t failed = 0;        // test cases with at least one failure
  int64_t todo = 0;          // todo expectations (not failures)
  std::vector<PackTestFailure> failures;
};

// Runs every test of every pack (or of the packs whose id is in `only`). The engine must have been
// loaded with PackTests::kLoad; a pack without its tests is one failure.
PackTestReport RunPackTests(const Engine& engine, const std::vector<std::string>& only = {});

struct LintProblem {
  std::string pack_file;
  std::string pointer;
  std::string problem;
};

struct LintOptions {
  int min_tests_per_rule = 30;  // across languages
  // Compile every expression alone in both engines (most of lint's time, seconds per pack).
  bool validate_patterns = true;
};

// Checks each rule (the engine loaded with PackTests::kLoad): a message in zh/en/ar, a citation, at
// least one ruleid and one ok test per language, at least min_tests_per_rule tests, every
// pattern valid for both engines, and every drug id and class tag a condition names (in a pack
// or a knowledge-table row) known to the lexicon.
std::vector<LintProblem> LintPacks(const Engine& engine, const LintOptions& options = {});

// Patterns are written against normalized text: the first character of a regex that normalized text
// never has ("ة" -> "ه", "，" -> ",", "藥" -> "药", "A" -> "a"; inside a class only when the class
// lacks the folded form), and what it folds to; empty when there is none. Escapes are skipped.
struct FoldedCharacter {
  std::string character, folded;
};
FoldedCharacter FirstFoldedCharacter(std::string_view expression,
                                     const text::Normalizer& normalizer,
                                     text::NormalizedText* scratch);

}  // namespace medaudit::rules
