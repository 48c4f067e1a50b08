#include "collect/answers.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <unordered_set>

#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::collect {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

Error LineError(ErrorCode code, const std::string& file, int64_t line, std::string message) {
  Error e = MakeError(code, std::move(message));
  e.file = file;
  e.line = line;
  return e;
}

bool IsOutputField(std::string_view key) {
  return key == "answer" || key == "error" || key == "provider" || key == "model";
}

// The object's members minus the output fields, as "\"k\":v,..." (no braces).
std::string CarriedMembers(const rapidjson::Value& object) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  for (const auto& m : object.GetObject()) {
    if (IsOutputField(json::View(m.name))) continue;
    json::String(w, json::View(m.name));
    m.value.Accept(w);
  }
  w.EndObject();
  std::string_view all(buffer.GetString(), buffer.GetSize());
  return std::string(all.substr(1, all.size() - 2));
}

std::string IdKey(const rapidjson::Value& id) {
  if (id.IsString()) return std::string(json::View(id));
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  id.Accept(w);
  return {buffer.GetString(), buffer.GetSize()};
}

Result<Question> ParseQuestionLine(std::string_view text, const std::string& file, int64_t line) {
  if (!utf8::IsValid(text)) {
    return LineError(ErrorCode::kInvalidUtf8, file, line, "line is not valid UTF-8");
  }
  rapidjson::Document doc;
  if (auto status = json::Parse(text, file, &doc); !status) {
    return LineError(ErrorCode::kInvalidJson, file, line,
                     "not valid JSON: " + status.error().message);
  }
  if (!doc.IsObject()) {
    return LineError(ErrorCode::kInvalidJson, file, line, "line is not a JSON object");
  }
  if (const auto* dup = json::DuplicateKey(doc, /*recursive=*/true)) {
    return LineError(ErrorCode::kInvalidJson, file, line,
                     fmt::format("duplicate key '{}'", json::View(*dup)));
  }
  auto id = doc.FindMember("id");
  if (id == doc.MemberEnd() || !(id->value.IsString() || id->value.IsNumber())) {
    return LineError(ErrorCode::kMissingField, file, line,
                     "line lacks an \"id\" (string or number): answers are resumed by id");
  }
  auto question = doc.FindMember("question");
  if (question == doc.MemberEnd() || !question->value.IsString() ||
      question->value.GetStringLength() == 0) {
    return LineError(ErrorCode::kMissingField, file, line,
                     "line lacks a non-empty string \"question\"");
  }
  Question q;
  q.line = line;
  q.id = IdKey(id->value);
  q.question = std::string(json::View(question->value));
  q.carried = CarriedMembers(doc);
  return q;
}

std::string Finish(const Question& q, const ProviderStamp& stamp,
                   const std::function<void(Writer&)>& result) {
  // Writes the result members into a standalone object, then splices them after the carried ones.
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  result(w);
  w.Key("provider");
  w.StartObject();
  w.Key("base_url");
  json::String(w, stamp.base_url);
  w.Key("settings_sha256");
  json::String(w, stamp.settings_sha256);
  w.EndObject();
  w.Key("model");
  json::String(w, stamp.model);
  w.EndObject();
  std::string_view members(buffer.GetString(), buffer.GetSize());
  std::string line = "{" + q.carried;
  if (!q.carried.empty()) line += ",";
  line.append(members.substr(1));
  return line;
}

}  // namespace

Result<std::vector<Question>> ReadQuestions(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return MakeError(ErrorCode::kNotFound, "no questions file " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open " + path);
  std::vector<Question> questions;
  std::unordered_set<std::string> ids;
  std::string text;
  for (int64_t line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (line == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // BOM
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    auto q = ParseQuestionLine(text, path, line);
    if (!q) return q.error();
    if (!ids.insert(q->id).second) {
      return LineError(ErrorCode::kInvalidArgument, path, line,
                       fmt::format("duplicate id '{}'", q->id));
    }
    questions.push_back(std::move(*q));
  }
  if (in.bad()) return MakeError(ErrorCode::kIo, "cannot read " + path);
  return questions;
}

std::string AnswerLine(const Question& q, std::string_view answer, const ProviderStamp& stamp) {
  return Finish(q, stamp, [&](Writer& w) {
    w.Key("answer");
    json::String(w, answer);
  });
}

std::string ErrorLine(const Question& q, std::string_view code, std::string_view message,
                      const ProviderStamp& stamp) {
  return Finish(q, stamp, [&](Writer& w) {
    w.Key("error");
    w.StartObject();
    w.Key("code");
    json::String(w, code);
    w.Key("message");
    json::String(w, message);
    w.EndObject();
  });
}

Result<PreviousAnswers> ReadPreviousAnswers(const std::string& path,
                                            const std::vector<Question>& questions,
                                            const std::string& settings_sha256) {
  PreviousAnswers previous;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return previous;
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open " + path);
  std::unordered_set<std::string> wanted;
  for (const Question& q : questions) wanted.insert(q.id);
  std::string text;
  while (std::getline(in, text)) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    rapidjson::Document doc;
    bool ok = utf8::IsValid(text) && json::Parse(text, path, &doc).has_value() && doc.IsObject();
    if (ok) {
      auto id = doc.FindMember("id");
      auto answer = doc.FindMember("answer");
      auto provider = doc.FindMember("provider");
      ok = id != doc.MemberEnd() && (id->value.IsString() || id->value.IsNumber()) &&
           answer != doc.MemberEnd() && answer->value.IsString() && provider != doc.MemberEnd() &&
           provider->value.IsObject();
      if (ok) {
        auto hash = provider->value.FindMember("settings_sha256");
        const std::string key = IdKey(id->value);
        ok = hash != provider->value.MemberEnd() && hash->value.IsString() &&
             json::View(hash->value) == settings_sha256 && wanted.count(key) > 0;
        if (ok) previous.answers[key] = std::string(json::View(answer->value));
      }
    }
    if (!ok) ++previous.stale;
  }
  return previous;
}

}  // namespace medaudit::collect
