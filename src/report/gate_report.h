// Renders a gate outcome (audit/gate.h) for people and CI: a plain-text table for stdout, a
// Markdown summary, JUnit XML (one testcase per check) and SARIF 2.1.0 (one result per failed
// check). Deterministic; pure functions; thread-safe.
#pragma once

#include <string>

#include "audit/gate.h"
#include "audit/result.h"

namespace medaudit::report {

// What the gate looked at, for the headers of every format.
struct GateContext {
  std::string policy_file;
  const audit::AuditResult* run = nullptr;        // required
  const audit::AuditResult* reference = nullptr;  // optional (--against)
};

// "check  bound  observed  result" table plus a PASS/FAIL line.
std::string GateTable(const audit::GateResult& gate, const GateContext& context);
std::string GateMarkdown(const audit::GateResult& gate, const GateContext& context);
std::string GateJunit(const audit::GateResult& gate, const GateContext& context);
std::string GateSarif(const audit::GateResult& gate, const GateContext& context);

}  // namespace medaudit::report
