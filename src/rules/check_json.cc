#include "rules/check_json.h"

#include <cmath>

#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::rules {

namespace {

// The id of a parsed line, or nullptr when absent or not safely printable.
const rapidjson::Value* IdOf(const rapidjson::Document& doc) {
  if (!doc.IsObject()) return nullptr;
  auto it = doc.FindMember("id");
  if (it == doc.MemberEnd()) return nullptr;
  if (it->value.IsString() && !utf8::IsValid(json::View(it->value))) return nullptr;
  if (it->value.IsObject() || it->value.IsArray()) {
    // Nested ids are echoed only when every string in them is valid UTF-8; keep it simple.
    rapidjson::StringBuffer probe;
    rapidjson::Writer<rapidjson::StringBuffer> w(probe);
    it->value.Accept(w);
    if (!utf8::IsValid({probe.GetString(), probe.GetSize()})) return nullptr;
  }
  return &it->value;
}

// An integer that fits neither int64 nor uint64: RapidJSON parses it as a double.
bool IsBigInteger(const rapidjson::Value& value) {
  return value.IsDouble() && std::fabs(value.GetDouble()) >= 9223372036854775808.0;
}

bool IsIntegerLexeme(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void WriteId(JsonWriter& writer, const rapidjson::Value* id, const rapidjson::Value* lexemes) {
  if (id != nullptr) {
    WriteIdExact(writer, *id, lexemes);
  } else {
    writer.Null();
  }
}

void WriteCheckResultImpl(JsonWriter& writer, const rapidjson::Value* id,
                          const rapidjson::Value* lexemes, const CheckResult& result,
                          std::string_view answer) {
  writer.StartObject();
  writer.Key("id");
  WriteId(writer, id, lexemes);
  writer.Key("verdict");
  json::String(writer, VerdictName(result.verdict));
  writer.Key("findings");
  WriteFindings(writer, result, answer);
  writer.EndObject();
}

void WriteCheckErrorImpl(JsonWriter& writer, const rapidjson::Value* id,
                         const rapidjson::Value* lexemes, const Error& error) {
  writer.StartObject();
  writer.Key("id");
  WriteId(writer, id, lexemes);
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  json::String(writer, ErrorCodeName(error.code));
  writer.Key("message");
  json::String(writer, error.ToString());
  writer.EndObject();
  writer.EndObject();
}

}  // namespace

bool NeedsIdLexemes(const rapidjson::Value& value) {
  if (IsBigInteger(value)) return true;
  if (value.IsArray()) {
    for (const auto& v : value.GetArray()) {
      if (NeedsIdLexemes(v)) return true;
    }
  } else if (value.IsObject()) {
    for (const auto& m : value.GetObject()) {
      if (NeedsIdLexemes(m.value)) return true;
    }
  }
  return false;
}

void WriteIdExact(JsonWriter& writer, const rapidjson::Value& value,
                  const rapidjson::Value* lexemes) {
  if (lexemes == nullptr) {
    value.Accept(writer);
    return;
  }
  if (IsBigInteger(value) && lexemes->IsString() && IsIntegerLexeme(json::View(*lexemes))) {
    writer.RawValue(lexemes->GetString(), lexemes->GetStringLength(), rapidjson::kNumberType);
    return;
  }
  if (value.IsArray() && lexemes->IsArray() && lexemes->Size() == value.Size()) {
    writer.StartArray();
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      WriteIdExact(writer, value[i], &(*lexemes)[i]);
    }
    writer.EndArray();
    return;
  }
  if (value.IsObject() && lexemes->IsObject() && lexemes->MemberCount() == value.MemberCount()) {
    writer.StartObject();
    auto lex = lexemes->MemberBegin();
    for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m, ++lex) {
      writer.Key(m->name.GetString(), m->name.GetStringLength());
      WriteIdExact(writer, m->value, &lex->value);
    }
    writer.EndObject();
    return;
  }
  value.Accept(writer);
}

bool CheckJsonLine(const Engine& engine, std::string_view line, bool truncated,
                   size_t max_line_bytes, Workspace* workspace, CheckResult* result,
                   JsonWriter& writer, std::string* answer_out) {
  const rapidjson::Value* id_lexemes = nullptr;  // set once the id is known (big integers)
  auto error_line = [&](const rapidjson::Value* id, ErrorCode code, std::string message) {
    WriteCheckErrorImpl(writer, id, id_lexemes, MakeError(code, std::move(message)));
    return false;
  };
  if (truncated) {
    return error_line(nullptr, ErrorCode::kTooLarge,
                      "line is longer than " + std::to_string(max_line_bytes) + " bytes");
  }
  if (line.find_first_not_of(" \t") == std::string_view::npos) {
    return error_line(nullptr, ErrorCode::kInvalidJson, "empty line");
  }
  if (json::TooDeep(line)) {
    return error_line(nullptr, ErrorCode::kInvalidJson,
                      "nested deeper than " + std::to_string(json::kMaxDepth) + " levels");
  }
  rapidjson::Document doc;
  if (doc.Parse(line.data(), line.size()); doc.HasParseError()) {
    const size_t bad = utf8::FindInvalid(line);
    if (bad != line.size()) {
      return error_line(nullptr, ErrorCode::kInvalidUtf8,
                        "line is not valid UTF-8 at byte " + std::to_string(bad));
    }
    return error_line(
        nullptr, ErrorCode::kInvalidJson,
        "not a JSON object (parse error at byte " + std::to_string(doc.GetErrorOffset()) + ")");
  }
  if (!doc.IsObject()) {
    return error_line(nullptr, ErrorCode::kInvalidJson, "a line must be a JSON object");
  }
  const rapidjson::Value* id = IdOf(doc);
  // An integer id beyond 64 bits is echoed with its own digits, not as a rounded double: read the
  // line once more keeping number lexemes (only when the id holds such a number).
  rapidjson::Document lexeme_doc;
  if (id != nullptr && NeedsIdLexemes(*id)) {
    lexeme_doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(line.data(), line.size());
    if (!lexeme_doc.HasParseError() && lexeme_doc.IsObject()) {
      if (auto it = lexeme_doc.FindMember("id"); it != lexeme_doc.MemberEnd()) {
        id_lexemes = &it->value;
      }
    }
  }
  // A second "answer" (or question/lang/id) would let a consumer that keeps the last key show a
  // text nobody checked: refuse the line.
  for (std::string_view key : {"answer", "question", "lang", "id"}) {
    int seen = 0;
    for (auto& m : doc.GetObject()) seen += json::View(m.name) == key;
    if (seen > 1) {
      return error_line(id, ErrorCode::kInvalidJson,
                        "duplicate key '" + std::string(key) + "' in one line");
    }
  }
  auto answer = doc.FindMember("answer");
  auto question = doc.FindMember("question");
  if (answer == doc.MemberEnd() || !answer->value.IsString()) {
    return error_line(id, ErrorCode::kMissingField, "'answer' must be a string");
  }
  if (question != doc.MemberEnd() && !question->value.IsString() && !question->value.IsNull()) {
    return error_line(id, ErrorCode::kMissingField, "'question' must be a string");
  }
  CheckInput input;
  input.answer = json::View(answer->value);
  if (question != doc.MemberEnd() && question->value.IsString()) {
    input.question = json::View(question->value);
  }
  if (auto lang = doc.FindMember("lang"); lang != doc.MemberEnd() && lang->value.IsString()) {
    input.lang = text::ParseLang(json::View(lang->value));
  }
  if (auto status = engine.Check(input, workspace, result); !status) {
    WriteCheckErrorImpl(writer, id, id_lexemes, status.error());
    return false;
  }
  WriteCheckResultImpl(writer, id, id_lexemes, *result, input.answer);
  if (answer_out != nullptr) answer_out->assign(input.answer);
  return true;
}

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
    json::String(writer, finding.citation().text);
    writer.EndObject();
  }
  writer.EndArray();
}

void WriteCheckResult(JsonWriter& writer, const rapidjson::Value* id, const CheckResult& result,
                      std::string_view answer) {
  WriteCheckResultImpl(writer, id, nullptr, result, answer);
}

void WriteCheckError(JsonWriter& writer, const rapidjson::Value* id, const Error& error) {
  WriteCheckErrorImpl(writer, id, nullptr, error);
}

}  // namespace medaudit::rules
