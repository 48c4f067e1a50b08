// Baseline comparison: a model answer against the clinician's answer to the same question (and
// the item's must-have statements). Finds medications the answer gives that the baseline advises
// against or doses it exceeds (baseline.contradiction), emergency advice in the baseline the
// answer lacks (baseline.missed-escalation), and key statements the answer omits
// (baseline.omission), with a coverage score. Method and limits: docs/baseline.md.
// A Comparer is immutable and may be shared by threads; each thread passes its own Workspace.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/engine.h"
#include "text/lang.h"

namespace medaudit::baseline {

inline constexpr std::string_view kContradictionRule = "baseline.contradiction";
inline constexpr std::string_view kMissedEscalationRule = "baseline.missed-escalation";
inline constexpr std::string_view kOmissionRule = "baseline.omission";

// A statement is covered when at least this share of its content terms occur in the answer.
inline constexpr double kCoverageThreshold = 0.6;
// Without must-have labels the baseline's sentences are the key statements; one omission finding
// is then reported when coverage falls below this value (instead of one per sentence).
inline constexpr double kSentenceCoverageAlarm = 0.5;

struct Finding {
  std::string rule, category, severity;  // severity: "harm" | "warn"
  uint32_t begin = 0, end = 0;           // byte span in the ORIGINAL answer (empty for omissions)
  std::string evidence;                  // answer text, or the baseline / must-have text missed
  std::string message;
};

struct Input {
  std::string_view answer;
  std::string_view baseline;                            // empty: no baseline
  const std::vector<std::string>* must_have = nullptr;  // labels.must_have, may be null
  text::Lang lang = text::Lang::kUnknown;  // kUnknown: detected from the baseline/answer
  // Optional, to skip re-analysis: the statements Engine::Analyze/Check produced for the
  // baseline and for the answer, and the answer's normalized text (spans map through it).
  const std::vector<extract::MedicationStatement>* baseline_statements = nullptr;
  const std::vector<extract::MedicationStatement>* answer_statements = nullptr;
  const text::NormalizedText* answer_normalized = nullptr;
};

struct Comparison {
  std::vector<Finding> findings;  // contradictions (in answer order), escalation, omissions
  int statements = 0;             // key statements considered
  int covered = 0;
  double coverage = -1;  // covered / statements; -1 when there is nothing to compare
};

// Content terms of a text for coverage: words (ICU segmentation, dictionary-based for Chinese)
// of the normalized text, stop words and punctuation removed, light stemming for en/ar.
// Exposed for tests.
std::vector<std::string> ContentTerms(std::string_view normalized, text::Lang lang);

class Comparer {
 public:
  explicit Comparer(const rules::Engine& engine) : engine_(engine) {}
  // Precondition: answer, baseline and must-have texts are valid UTF-8.
  Comparison Compare(const Input& input, rules::Workspace* workspace) const;

 private:
  const rules::Engine& engine_;
};

}  // namespace medaudit::baseline
