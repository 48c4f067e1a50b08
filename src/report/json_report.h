// report.json (design.md §4): the summary of one audit as JSON, and reading it back into an
// AuditResult (the gate's --report input). Writing is deterministic: fixed key order, numbers
// with kFixedDigits decimals, NaN → null. Reading checks every type and names the JSON pointer
// of the first bad field; item_results stay empty (report.json holds no per-item findings).
// Pure functions; thread-safe. ReportJson() itself is declared in report/writer.h.
#pragma once

#include <string>
#include <string_view>

#include "audit/result.h"
#include "base/error.h"

namespace medaudit::report {

// Version of the report.json layout, written as "format_version". Additions keep the number;
// a renamed or removed field would bump it.
inline constexpr int kReportJsonFormatVersion = 1;

// Parses report.json text. Fails with kInvalidJson (not JSON) or kMissingField (a required field
// of the design.md contract is absent or has the wrong type), with `file` and the JSON pointer.
Result<audit::AuditResult> ParseReportJson(std::string_view data, const std::string& file);

}  // namespace medaudit::report
