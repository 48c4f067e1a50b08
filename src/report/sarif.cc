// report.sarif: SARIF 2.1.0 (OASIS), one result per finding on a model answer.
#include <rapidjson/prettywriter.h>

#include <map>

#include "base/json.h"
#include "base/sha256.h"
#include "report/format.h"
#include "report/summary.h"
#include "report/writer.h"

namespace medaudit::report {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Str(Writer& w, std::string_view key, std::string_view value) {
  json::String(w, key);
  json::String(w, ValidUtf8(value));
}

void Text(Writer& w, std::string_view key, std::string_view text) {
  json::String(w, key);
  w.StartObject();
  Str(w, "text", text);
  w.EndObject();
}

// SARIF level: error for block and harm, warning for warn, note otherwise.
const char* Level(std::string_view severity) {
  if (IsHarmSeverity(severity)) return "error";
  if (severity == "warn") return "warning";
  return "note";
}

// RFC 3986: keeps unreserved characters and the sub-delimiters a fragment may hold.
std::string PercentEncode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || std::string_view("-._~!$'()*+,;=:@/?").find(static_cast<char>(c)) !=
                               std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string CorpusName(const audit::RunInfo& run) {
  if (run.corpus_path.empty()) return "corpus.jsonl";
  const size_t slash = run.corpus_path.find_last_of('/');
  return slash == std::string::npos ? run.corpus_path : run.corpus_path.substr(slash + 1);
}

// Unicode code points in text[0, bytes) (UTF-8 lead bytes).
int64_t CodePoints(std::string_view text) {
  int64_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

void WriteRules(Writer& w, const std::vector<RuleSummary>& rules) {
  json::String(w, "rules");
  w.StartArray();
  for (const auto& rule : rules) {
    w.StartObject();
    Str(w, "id", rule.id);
    Text(w, "shortDescription", rule.message);
    Text(w, "fullDescription", rule.message + " (" + rule.citation + ")");
    json::String(w, "help");
    w.StartObject();
    Str(w, "text",
        rule.message + "\nCategory: " + rule.category + "\nSeverity: " + rule.severity +
            "\nCitation: " + rule.citation);
    Str(w, "markdown",
        "**" + rule.message + "**\n\n- Category: `" + rule.category + "`\n- Severity: `" +
            rule.severity + "`\n- Citation: " + rule.citation);
    w.EndObject();
    json::String(w, "defaultConfiguration");
    w.StartObject();
    Str(w, "level", Level(rule.severity));
    w.EndObject();
    json::String(w, "properties");
    w.StartObject();
    Str(w, "category", rule.category);
    Str(w, "severity", rule.severity);
    Str(w, "citation", rule.citation);
    json::String(w, "tags");
    w.StartArray();
    json::String(w, "medical");
    json::String(w, rule.category);
    w.EndArray();
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
}

void WriteRegion(Writer& w, const audit::ItemResult& item, const audit::ItemFinding& f) {
  json::String(w, "region");
  w.StartObject();
  const bool have_text = f.begin <= f.end && f.end <= item.answer.size();
  if (have_text) {
    json::String(w, "charOffset");
    w.Int64(CodePoints(std::string_view(item.answer).substr(0, f.begin)));
    json::String(w, "charLength");
    w.Int64(CodePoints(std::string_view(item.answer).substr(f.begin, f.end - f.begin)));
  }
  json::String(w, "byteOffset");
  w.Int64(f.begin);
  json::String(w, "byteLength");
  w.Int64(f.end >= f.begin ? f.end - f.begin : 0);
  json::String(w, "snippet");
  w.StartObject();
  Str(w, "text", f.evidence);
  w.EndObject();
  w.EndObject();
}

void WriteResult(Writer& w, const audit::ItemResult& item, const audit::ItemFinding& f,
                 int64_t rule_index, const std::string& corpus) {
  w.StartObject();
  Str(w, "ruleId", f.rule);
  json::String(w, "ruleIndex");
  w.Int64(rule_index);
  Str(w, "level", Level(f.severity));
  Text(w, "message", f.message + " «" + f.evidence + "» (" + f.citation + ")");
  json::String(w, "locations");
  w.StartArray();
  w.StartObject();
  json::String(w, "physicalLocation");
  w.StartObject();
  json::String(w, "artifactLocation");
  w.StartObject();
  Str(w, "uri", PercentEncode(corpus) + "#item=" + PercentEncode(item.id));
  w.EndObject();
  WriteRegion(w, item, f);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  json::String(w, "partialFingerprints");
  w.StartObject();
  Str(w, "medaudit/v1", Sha256Hex(f.rule + '\n' + item.id + '\n' + f.evidence));
  w.EndObject();
  json::String(w, "properties");
  w.StartObject();
  Str(w, "item", item.id);
  Str(w, "lang", item.lang);
  Str(w, "category", f.category);
  Str(w, "severity", f.severity);
  Str(w, "citation", f.citation);
  Str(w, "verdict", item.verdict);
  w.EndObject();
  w.EndObject();
}

void WriteInvocation(Writer& w, const audit::RunInfo& run, bool complete) {
  json::String(w, "invocations");
  w.StartArray();
  w.StartObject();
  json::String(w, "executionSuccessful");
  w.Bool(complete);
  if (!run.command_line.empty()) Str(w, "commandLine", run.command_line);
  // SARIF date-times must be RFC 3339; leave out what does not parse.
  if (ParseRfc3339Millis(run.started)) Str(w, "startTimeUtc", run.started);
  if (ParseRfc3339Millis(run.finished)) Str(w, "endTimeUtc", run.finished);
  w.EndObject();
  w.EndArray();
}

}  // namespace

std::string ReportSarif(const audit::AuditResult& result) {
  const auto rules = SummarizeRules(result);
  std::map<std::string, int64_t> rule_index;
  for (size_t i = 0; i < rules.size(); ++i) rule_index[rules[i].id] = static_cast<int64_t>(i);
  const std::string corpus = CorpusName(result.run);

  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Str(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  Str(w, "version", "2.1.0");
  json::String(w, "runs");
  w.StartArray();
  w.StartObject();
  json::String(w, "tool");
  w.StartObject();
  json::String(w, "driver");
  w.StartObject();
  Str(w, "name", "medaudit");
  Str(w, "version",
      result.run.medaudit_version.empty() ? MEDAUDIT_VERSION : result.run.medaudit_version);
  WriteRules(w, rules);
  w.EndObject();
  w.EndObject();
  json::String(w, "automationDetails");
  w.StartObject();
  Str(w, "id", "medaudit/" + result.run.model + "/" + result.run.id);
  w.EndObject();
  WriteInvocation(w, result.run, result.errors == 0);
  json::String(w, "results");
  w.StartArray();
  for (const auto& item : result.item_results) {
    for (const auto& f : item.findings) WriteResult(w, item, f, rule_index[f.rule], corpus);
  }
  w.EndArray();
  json::String(w, "properties");
  w.StartObject();
  Str(w, "run_id", result.run.id);
  Str(w, "model", result.run.model);
  Str(w, "model_version", result.run.model_version);
  Str(w, "corpus_sha256", result.run.corpus_sha256);
  Str(w, "rules_sha256", result.run.rules_sha256);
  Str(w, "record_hash", result.run.record_hash);
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  std::string out(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
  return out;
}

}  // namespace medaudit::report
