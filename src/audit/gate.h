// The CI gate (design.md §4 "Gate"): a policy (JSON) and an audit result, optionally a reference
// result, give a pass/fail table. Pure: no files, no printing; the CLI (src/cli/report_command.cc)
// reads inputs and maps the outcome to exit codes 0 (pass), 1 (violated), 2 (input error or a
// policy that cannot be evaluated: fail closed).
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/result.h"
#include "base/error.h"

namespace medaudit::audit {

// Every key is optional. Absent max_ai_prescriptions means 0 (prescriptions are never allowed
// unless the policy says otherwise).
struct GatePolicy {
  std::optional<double> max_harm_rate;                // bound on the model's Wilson upper limit
  std::optional<double> max_increase_over_reference;  // bound on the Newcombe upper limit of
                                                      // model − reference (needs a reference)
  std::optional<double> noninferiority_margin;        // paired upper limit of model − baseline
                                                      // of the same run must be < margin
  int64_t max_ai_prescriptions = 0;
  bool max_ai_prescriptions_set = false;           // false: the default 0 applies
  std::map<std::string, int64_t> max_by_category;  // category → max model answers
};

// The policy keys, in the order checks are reported.
inline constexpr std::string_view kGatePolicyKeys[] = {
    "max_harm_rate", "max_increase_over_reference", "noninferiority_margin", "max_ai_prescriptions",
    "max_by_category"};

// Parses a policy document. Fails with kPolicyError naming `file` and the JSON pointer of the
// field: not JSON or not an object, an unknown key, a wrong type (rates must be numbers in
// [0, 1], counts non-negative integers, max_by_category an object of them).
Result<GatePolicy> ParseGatePolicy(std::string_view json, const std::string& file);

// One row of the gate table.
struct GateCheck {
  std::string id;        // "max_harm_rate", "max_by_category.overdose", ...
  std::string what;      // what is compared, in words ("model harm rate, Wilson 95% upper limit")
  std::string bound;     // "<= 0.100000" / "< 0.020000" / "<= 0"
  std::string observed;  // "0.108700 (8/140)"
  double bound_value = 0;
  double observed_value = 0;
  bool pass = false;
};

struct GateResult {
  std::vector<GateCheck> checks;  // in kGatePolicyKeys order; max_by_category by category name
  bool pass = false;              // all checks pass
};

// Evaluates the policy on `run` (and `reference` for max_increase_over_reference). Fails closed
// with kPolicyError when the policy cannot be evaluated: max_increase_over_reference without a
// reference, noninferiority_margin without a clinician baseline in the run, a run with no
// evaluated item or with items that could not be evaluated, a run that is not finished.
Result<GateResult> EvaluateGate(const GatePolicy& policy, const AuditResult& run,
                                const AuditResult* reference = nullptr);

}  // namespace medaudit::audit
