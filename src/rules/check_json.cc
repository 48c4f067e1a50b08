#include "rules/check_json.h"

#include "base/json.h"

namespace medaudit::rules {

void WriteFindings(JsonWriter& writer, const CheckResult& result, std::string_view answer) {
  writer.StartArray();
  for (const auto& finding : result.findings) {
    const Rule& rule = *finding.rule;
    writer.StartObject();
    writer.Key("rule");
    json::String(writer, rule.id);
    writer.Key("category");
    json::String(writer, rule.category);
    writer.Key("severity");
    json::String(writer, SeverityName(rule.severity));
    writer.Key("span");
    writer.StartArray();
    writer.Uint(finding.span.begin);
    writer.Uint(finding.span.end);
    writer.EndArray();
    writer.Key("evidence");
    json::String(writer, answer.substr(finding.span.begin, finding.span.size()));
    writer.Key("message");
    json::String(writer, rule.Message(result.lang));
    writer.Key("citation");
    json::String(writer, rule.citation.text);
    writer.EndObject();
  }
  writer.EndArray();
}

void WriteCheckResult(JsonWriter& writer, const rapidjson::Value* id, const CheckResult& result,
                      std::string_view answer) {
  writer.StartObject();
  writer.Key("id");
  if (id != nullptr) {
    id->Accept(writer);
  } else {
    writer.Null();
  }
  writer.Key("verdict");
  json::String(writer, VerdictName(result.verdict));
  writer.Key("findings");
  WriteFindings(writer, result, answer);
  writer.EndObject();
}

void WriteCheckError(JsonWriter& writer, const rapidjson::Value* id, const Error& error) {
  writer.StartObject();
  writer.Key("id");
  if (id != nullptr) {
    id->Accept(writer);
  } else {
    writer.Null();
  }
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  json::String(writer, ErrorCodeName(error.code));
  writer.Key("message");
  json::String(writer, error.ToString());
  writer.EndObject();
  writer.EndObject();
}

}  // namespace medaudit::rules
