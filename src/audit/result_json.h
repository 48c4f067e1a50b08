// Canonical JSON of an AuditResult's metrics (the numbers of report.json, design.md §4, without
// "run" and without items), and its inverse. Canonical: fixed key order, maps in key order,
// shortest round-trip doubles, NaN as null, no whitespace — the same result gives the same
// bytes, so the store can hash it. Pure functions; thread-safe.
#pragma once

#include <string>

#include "audit/result.h"
#include "base/error.h"

namespace medaudit::audit {

std::string MetricsJson(const AuditResult& result);
// Reads MetricsJson's output back into the metric fields of *result. Fails with kInvalidJson.
Status ParseMetricsJson(std::string_view json, AuditResult* result);

}  // namespace medaudit::audit
