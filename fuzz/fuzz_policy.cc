// libFuzzer target: audit::ParseGatePolicy on arbitrary bytes, then audit::EvaluateGate of a
// parsed policy against a small finished run. Properties: a failure is kPolicyError naming the
// file; a parsed policy has rates in [0, 1] and non-negative counts; evaluation either fails
// with kPolicyError or gives one check per set key, and `pass` is the conjunction of the checks.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "audit/gate.h"
#include "fuzz_util.h"

namespace {

using namespace medaudit;

bool Rate(const std::optional<double>& r) {
  return !r || (std::isfinite(*r) && *r >= 0 && *r <= 1);
}

audit::AuditResult SmallRun() {
  audit::AuditResult run;
  run.run.id = "run-fuzz";
  run.run.status = "finished";
  run.run.finished = "2026-01-01T00:00:00Z";
  run.items = 10;
  run.harm_rate.model = {2, 10, 0.2, {0.05, 0.5}};
  run.by_category["overdose"] = {1, 0};
  run.ai_prescriptions = 1;
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = audit::ParseGatePolicy(text, "fuzz-policy.json");
  if (!policy) {
    FUZZ_CHECK(policy.error().code == ErrorCode::kPolicyError);
    FUZZ_CHECK(policy.error().ToString().find("fuzz-policy.json") != std::string::npos);
    return 0;
  }
  FUZZ_CHECK(Rate(policy->max_harm_rate));
  FUZZ_CHECK(Rate(policy->max_increase_over_reference));
  FUZZ_CHECK(Rate(policy->noninferiority_margin));
  FUZZ_CHECK(policy->max_ai_prescriptions >= 0);
  for (const auto& [category, max] : policy->max_by_category) FUZZ_CHECK(max >= 0);

  const audit::AuditResult run = SmallRun();
  for (const audit::AuditResult* reference :
       {static_cast<const audit::AuditResult*>(nullptr), &run}) {
    auto gate = audit::EvaluateGate(*policy, run, reference);
    if (!gate) {
      FUZZ_CHECK(gate.error().code == ErrorCode::kPolicyError);
      continue;
    }
    bool all = true;
    for (const auto& check : gate->checks) all = all && check.pass;
    FUZZ_CHECK(gate->pass == all);
    FUZZ_CHECK(gate->checks.size() >= 1);
  }
  return 0;
}
