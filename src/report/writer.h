// Writes every report format of one audit into a directory: report.html, report.json, report.md,
// report.sarif and junit.xml (design.md §4). Reports are a pure function of the AuditResult and
// the options, so they can be regenerated from the store byte for byte.
// Thread-safe (no shared state).
#pragma once

#include <string>

#include "audit/result.h"
#include "base/error.h"

namespace medaudit::report {

struct ReportOptions {
  std::string lang = "en";  // zh | en | ar: language of the HTML and Markdown reports
  int worst_examples = 10;  // how many flagged items the HTML report shows in full
};

// Creates dir if needed and writes all five files. Fails with kIo naming the file.
Status WriteReports(const audit::AuditResult& result, const std::string& dir,
                    const ReportOptions& options = {});

// report.json alone, as a string (the gate and the server use it).
std::string ReportJson(const audit::AuditResult& result);

}  // namespace medaudit::report
