#include "report/gate_report.h"

#include <fmt/format.h>
#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <sstream>

#include "base/json.h"
#include "report/format.h"

namespace medaudit::report {
namespace {

const char* PassWord(bool pass) { return pass ? "PASS" : "FAIL"; }

std::string RunLabel(const GateContext& c) {
  std::string s = c.run->run.model;
  if (!c.run->run.model_version.empty()) s += " " + c.run->run.model_version;
  return s + " (run " + c.run->run.id + ")";
}

}  // namespace

std::string GateTable(const audit::GateResult& gate, const GateContext& context) {
  size_t w_check = 5, w_bound = 5, w_observed = 8;
  for (const auto& c : gate.checks) {
    w_check = std::max(w_check, c.id.size());
    w_bound = std::max(w_bound, c.bound.size());
    w_observed = std::max(w_observed, c.observed.size());
  }
  std::ostringstream out;
  out << "medaudit gate: " << RunLabel(context) << ", policy " << context.policy_file << "\n\n";
  out << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", "check", w_check, "bound", w_bound, "observed",
                     w_observed, "result");
  out << std::string(w_check + w_bound + w_observed + 12, '-') << "\n";
  for (const auto& c : gate.checks) {
    out << fmt::format("{:<{}}  {:<{}}  {:<{}}  {}\n", c.id, w_check, c.bound, w_bound, c.observed,
                       w_observed, PassWord(c.pass));
  }
  const auto failed = std::count_if(gate.checks.begin(), gate.checks.end(),
                                    [](const audit::GateCheck& c) { return !c.pass; });
  out << "\n"
      << PassWord(gate.pass) << ": " << gate.checks.size() - failed << " of " << gate.checks.size()
      << " checks passed\n";
  return out.str();
}

std::string GateMarkdown(const audit::GateResult& gate, const GateContext& context) {
  std::ostringstream out;
  out << "## medaudit gate: " << (gate.pass ? "✅ PASS" : "❌ FAIL") << "\n\n"
      << MarkdownCell(RunLabel(context)) << " · policy `" << MarkdownCell(context.policy_file)
      << "`";
  if (context.reference != nullptr) {
    out << " · reference run `" << MarkdownCell(context.reference->run.id) << "`";
  }
  out << "\n\n| check | what | bound | observed | result |\n|---|---|---|---|---|\n";
  for (const auto& c : gate.checks) {
    out << "| `" << MarkdownCell(c.id) << "` | " << MarkdownCell(c.what) << " | "
        << MarkdownCell(c.bound) << " | " << MarkdownCell(c.observed) << " | "
        << (c.pass ? "✅ pass" : "❌ fail") << " |\n";
  }
  return out.str();
}

std::string GateJunit(const audit::GateResult& gate, const GateContext& context) {
  const auto failures = std::count_if(gate.checks.begin(), gate.checks.end(),
                                      [](const audit::GateCheck& c) { return !c.pass; });
  std::string timestamp = "1970-01-01T00:00:00";
  if (ParseRfc3339Millis(context.run->run.finished)) {
    timestamp = context.run->run.finished.substr(0, 19);
    timestamp[10] = 'T';
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\""
      << XmlEscape("medaudit gate " + context.run->run.id) << "\" timestamp=\"" << timestamp
      << "\" hostname=\"medaudit\" tests=\"" << gate.checks.size() << "\" failures=\"" << failures
      << "\" errors=\"0\" skipped=\"0\" time=\"0\">\n  <properties>\n"
      << "    <property name=\"policy\" value=\"" << XmlEscape(context.policy_file) << "\"/>\n"
      << "    <property name=\"run_id\" value=\"" << XmlEscape(context.run->run.id) << "\"/>\n"
      << "    <property name=\"model\" value=\"" << XmlEscape(context.run->run.model) << "\"/>\n";
  if (context.reference != nullptr) {
    out << "    <property name=\"reference_run_id\" value=\""
        << XmlEscape(context.reference->run.id) << "\"/>\n";
  }
  out << "  </properties>\n";
  for (const auto& c : gate.checks) {
    out << "  <testcase name=\"" << XmlEscape(c.id) << "\" classname=\"medaudit.gate\" time=\"0\"";
    if (c.pass) {
      out << "/>\n";
      continue;
    }
    out << ">\n    <failure type=\"" << XmlEscape(c.id) << "\" message=\""
        << XmlEscape(c.what + ": observed " + c.observed + ", bound " + c.bound) << "\">"
        << XmlEscape(c.what + "\nobserved: " + c.observed + "\nbound: " + c.bound + "\n")
        << "</failure>\n  </testcase>\n";
  }
  out << "  <system-out>" << XmlEscape(GateTable(gate, context))
      << "</system-out>\n  <system-err></system-err>\n</testsuite>\n";
  return out.str();
}

std::string GateSarif(const audit::GateResult& gate, const GateContext& context) {
  using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  auto str = [&](std::string_view k, std::string_view v) {
    json::String(w, k);
    json::String(w, ValidUtf8(v));
  };
  auto text = [&](std::string_view k, std::string_view v) {
    json::String(w, k);
    w.StartObject();
    str("text", v);
    w.EndObject();
  };
  w.StartObject();
  str("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  str("version", "2.1.0");
  json::String(w, "runs");
  w.StartArray();
  w.StartObject();
  json::String(w, "tool");
  w.StartObject();
  json::String(w, "driver");
  w.StartObject();
  str("name", "medaudit-gate");
  str("version", MEDAUDIT_VERSION);
  json::String(w, "rules");
  w.StartArray();
  for (const auto& c : gate.checks) {
    w.StartObject();
    str("id", "gate/" + c.id);
    text("shortDescription", c.what + " " + c.bound);
    text("help", "Gate policy " + context.policy_file + ": " + c.what + " must be " + c.bound +
                     ". See docs/ci.md.");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  json::String(w, "results");
  w.StartArray();
  for (size_t i = 0; i < gate.checks.size(); ++i) {
    const auto& c = gate.checks[i];
    if (c.pass) continue;
    w.StartObject();
    str("ruleId", "gate/" + c.id);
    json::String(w, "ruleIndex");
    w.Uint64(i);
    str("level", "error");
    text("message", c.what + ": observed " + c.observed + ", bound " + c.bound + " (run " +
                        context.run->run.id + ")");
    json::String(w, "locations");
    w.StartArray();
    w.StartObject();
    json::String(w, "physicalLocation");
    w.StartObject();
    json::String(w, "artifactLocation");
    w.StartObject();
    str("uri", context.policy_file.empty() ? "policy.json" : context.policy_file);
    w.EndObject();
    w.EndObject();
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  std::string out(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
  return out;
}

}  // namespace medaudit::report
