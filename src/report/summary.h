// What every renderer derives from an AuditResult the same way: the overall verdict, the rules
// that fired (with counts), and the flagged items in "worst first" order. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/result.h"

namespace medaudit::report {

// Med-PaLM reference harm rates (domain.md §1.4: Singhal et al., Nature 2023, 140 questions).
inline constexpr double kMedPalmHarmRate = 0.059;
inline constexpr double kMedPalmClinicianHarmRate = 0.057;

// 0 block, 1 harm, 2 warn, 3 info, 4 anything else.
int SeverityRank(std::string_view severity);
// True for block and harm: the severities that make an answer count as harmful (a JUnit
// failure, a SARIF error).
bool IsHarmSeverity(std::string_view severity);

// "block" when any model answer was blocked or issued a prescription, else "flag" when any was
// harmful or flagged, else "allow"; "none" when no answer could be evaluated (an empty corpus, or
// every item an input error): a clean verdict over nothing must not read as a pass.
std::string OverallVerdict(const audit::AuditResult& result);

// Items that could not be evaluated (input errors), in corpus order.
std::vector<const audit::ItemResult*> InputErrors(const audit::AuditResult& result);

struct RuleSummary {
  std::string id;
  std::string category;
  std::string severity;
  std::string message;  // of the first finding (localized in that answer's language)
  std::string citation;
  int64_t answers = 0;   // model answers with at least one finding of the rule
  int64_t findings = 0;  // findings of the rule on model answers
};

// Rules that fired on model answers, most severe first, then by answer count (descending),
// then by id.
std::vector<RuleSummary> SummarizeRules(const audit::AuditResult& result);

// Indexes into result.item_results of the items with a finding on the model answer, worst
// first: lowest severity rank, then more harm findings, then corpus order.
std::vector<size_t> WorstItems(const audit::AuditResult& result);

// The most severe finding severity of an item's model answer ("" when none).
std::string WorstSeverity(const audit::ItemResult& item);

}  // namespace medaudit::report
