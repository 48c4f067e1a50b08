// Writes every report format of one audit into a directory: report.html, report.json, report.md,
// report.sarif and junit.xml (design.md §4). Reports are a pure function of the AuditResult and
// the options, so they can be regenerated from the store byte for byte.
// Thread-safe (no shared state). docs/reports.md describes each format.
#pragma once

#include <string>

#include "audit/result.h"
#include "base/error.h"

namespace medaudit::report {

struct ReportOptions {
  std::string lang = "en";  // zh | en | ar: language of the HTML and Markdown reports
  int worst_examples = 10;  // how many flagged items the HTML report shows in full
};

// Creates dir if needed and writes all five files. Fails with kInvalidArgument for a language
// other than zh/en/ar, with kIo naming the file that could not be written.
Status WriteReports(const audit::AuditResult& result, const std::string& dir,
                    const ReportOptions& options = {});

// report.json alone, as a string (the gate and the server use it). Layout: design.md §4 plus
// "format_version", "medaudit_version", "errors", "by_language", "record_hash" and extra run
// fields; numbers have 6 decimals, NaN is null. Reading it back: report/json_report.h.
std::string ReportJson(const audit::AuditResult& result);

// report.md: verdict, summary table and top findings, sized for a CI job summary or PR comment
// (at most `options.worst_examples` findings listed). A bad language falls back to English.
std::string ReportMarkdown(const audit::AuditResult& result, const ReportOptions& options = {});

// report.sarif: SARIF 2.1.0, one result per finding on a model answer, one rule per rule id.
std::string ReportSarif(const audit::AuditResult& result);

// junit.xml: one <testsuite> per run, one <testcase> per item (items not kept in item_results
// are summarised as one passing testcase), <failure> for block/harm findings, <error> for items
// that could not be evaluated.
std::string ReportJunit(const audit::AuditResult& result);

// report.html: self-contained (inline CSS and SVG, no scripts, no network), printable, in
// options.lang with right-to-left layout for Arabic. Every number also sits in an element with
// data-metric="<JSON pointer into report.json>" and data-value="<the same text as report.json>".
// A bad language falls back to English.
std::string ReportHtml(const audit::AuditResult& result, const ReportOptions& options = {});

}  // namespace medaudit::report
