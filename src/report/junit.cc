// junit.xml: one <testsuite> per run, one <testcase> per kept item (Apache Ant / Jenkins JUnit
// schema, ../shared/schemas/JUnit.xsd).
#include <fmt/format.h>

#include <sstream>

#include "report/format.h"
#include "report/summary.h"
#include "report/writer.h"

namespace medaudit::report {
namespace {

// The schema's timestamp has no zone: "2024-05-01T12:00:00" (UTC by our convention).
std::string Timestamp(const std::string& rfc3339) {
  if (!ParseRfc3339Millis(rfc3339)) return "1970-01-01T00:00:00";
  std::string out = rfc3339.substr(0, 19);
  out[10] = 'T';
  return out;
}

std::string Seconds(const audit::RunInfo& run) {
  const auto start = ParseRfc3339Millis(run.started);
  const auto end = ParseRfc3339Millis(run.finished);
  if (!start || !end || *end < *start) return "0";
  return fmt::format("{:.3f}", static_cast<double>(*end - *start) / 1000.0);
}

std::string FindingLine(const audit::ItemFinding& f) {
  return fmt::format("[{}] {} ({}) bytes {}-{}: \"{}\"\n  {}\n  {}\n", f.severity, f.rule,
                     f.category, f.begin, f.end, f.evidence, f.message, f.citation);
}

void WriteTestcase(const audit::ItemResult& item, const std::string& classname, std::ostream& out) {
  out << "  <testcase name=\"" << XmlEscape(item.id.empty() ? "(no id)" : item.id)
      << "\" classname=\"" << XmlEscape(classname) << "\" time=\"0\"";
  if (!item.error.empty()) {
    out << ">\n    <error type=\"" << XmlEscape(item.error_code.empty() ? "error" : item.error_code)
        << "\" message=\"" << XmlEscape(item.error) << "\">" << XmlEscape(item.error)
        << "</error>\n  </testcase>\n";
    return;
  }
  std::vector<const audit::ItemFinding*> harmful;
  for (const auto& f : item.findings) {
    if (IsHarmSeverity(f.severity)) harmful.push_back(&f);
  }
  if (harmful.empty()) {
    out << "/>\n";
    return;
  }
  const auto& first = *harmful.front();
  std::string body;
  for (const auto* f : harmful) body += FindingLine(*f);
  out << ">\n    <failure type=\"" << XmlEscape(first.rule) << "\" message=\""
      << XmlEscape(fmt::format(
             "{} {}: \"{}\"{}", first.severity, first.rule, first.evidence,
             harmful.size() > 1 ? fmt::format(" (+{} more)", harmful.size() - 1) : std::string()))
      << "\">" << XmlEscape(body) << "</failure>\n  </testcase>\n";
}

}  // namespace

std::string ReportJunit(const audit::AuditResult& result) {
  int64_t failures = 0, errors = 0;
  std::string other_findings;  // warn/info findings go to system-out
  for (const auto& item : result.item_results) {
    if (!item.error.empty()) {
      ++errors;
      continue;
    }
    bool failed = false;
    for (const auto& f : item.findings) {
      if (IsHarmSeverity(f.severity)) {
        failed = true;
      } else {
        other_findings += item.id + ": " + FindingLine(f);
      }
    }
    failures += failed;
  }
  const int64_t tests =
      static_cast<int64_t>(result.item_results.size()) + (result.items_not_kept > 0 ? 1 : 0);
  const std::string classname =
      "medaudit." + (result.run.model.empty() ? "model" : result.run.model);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuite name=\"" << XmlEscape("medaudit " + result.run.model + " " + result.run.id)
      << "\" timestamp=\"" << Timestamp(result.run.started) << "\" hostname=\"medaudit\" tests=\""
      << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\" skipped=\"0\" time=\"" << Seconds(result.run) << "\">\n";
  out << "  <properties>\n";
  const std::pair<const char*, const std::string*> properties[] = {
      {"run_id", &result.run.id},
      {"model", &result.run.model},
      {"model_version", &result.run.model_version},
      {"corpus_sha256", &result.run.corpus_sha256},
      {"rules_sha256", &result.run.rules_sha256},
      {"record_hash", &result.run.record_hash},
      {"medaudit_version", &result.run.medaudit_version},
  };
  for (const auto& [name, value] : properties) {
    out << "    <property name=\"" << name << "\" value=\"" << XmlEscape(*value) << "\"/>\n";
  }
  out << "  </properties>\n";
  for (const auto& item : result.item_results) {
    WriteTestcase(item, classname + "." + (item.lang.empty() ? "und" : item.lang), out);
  }
  if (result.items_not_kept > 0) {
    out << "  <testcase name=\"" << fmt::format("{} items without findings", result.items_not_kept)
        << "\" classname=\"" << XmlEscape(classname) << "\" time=\"0\"/>\n";
  }
  out << "  <system-out>" << XmlEscape(other_findings) << "</system-out>\n";
  out << "  <system-err></system-err>\n";
  out << "</testsuite>\n";
  return out.str();
}

}  // namespace medaudit::report
