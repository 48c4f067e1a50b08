// libFuzzer target: the per-line logic of `medaudit check --jsonl` — the same ReadBoundedLine
// (base/file.h) and rules::CheckJsonLine (rules/check_json.h) that src/cli/check_command.cc runs:
// too-long/blank/too-deep/non-JSON/non-object lines, `answer` and `question` checks,
// rules::Engine::Check, and the result or error line.
// Properties: exactly one output line per input line; every output line is a JSON object that
// parses with UTF-8 validation and holds either "verdict" + "findings" or "error" {code, message};
// finding spans lie inside the answer.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"
#include "fuzz_util.h"
#include "rules/check_json.h"
#include "rules/engine.h"

namespace {

using namespace medaudit;

constexpr size_t kMaxLineBytes = 32768;  // small, so that the too-long path is reached

std::shared_ptr<const rules::Engine>& TheEngine() {
  static std::shared_ptr<const rules::Engine> engine;
  return engine;
}

// One line as `check --jsonl` handles it; returns the output line and the answer checked (if any).
std::string HandleLine(const rules::Engine& engine, const std::string& line, bool truncated,
                       rules::Workspace* workspace, std::string* answer_out) {
  rapidjson::StringBuffer buffer;
  rules::JsonWriter writer(buffer);
  rules::CheckResult result;
  rules::CheckJsonLine(engine, line, truncated, kMaxLineBytes, workspace, &result, writer,
                       answer_out);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheEngine() = LoadShippedEngineOrDie();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const rules::Engine& engine = *TheEngine();
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  static rules::Workspace workspace;
  std::string line;
  bool truncated = false;
  size_t expected_lines = 0;
  for (size_t i = 0; i < size; ++i) expected_lines += data[i] == '\n';
  if (size > 0 && data[size - 1] != '\n') ++expected_lines;
  size_t lines = 0;
  while (ReadBoundedLine(in, kMaxLineBytes, &line, &truncated)) {
    ++lines;
    std::string answer;
    const std::string out = HandleLine(engine, line, truncated, &workspace, &answer);
    FUZZ_CHECK(out.find('\n') == std::string::npos);
    rapidjson::Document parsed;
    parsed.Parse<rapidjson::kParseValidateEncodingFlag>(out.data(), out.size());
    if (parsed.HasParseError()) {
      std::fprintf(stderr, "output is not valid JSON: %.*s\n", static_cast<int>(out.size()),
                   out.data());
      std::abort();
    }
    FUZZ_CHECK(parsed.IsObject());
    FUZZ_CHECK(parsed.HasMember("id"));
    if (auto error = parsed.FindMember("error"); error != parsed.MemberEnd()) {
      FUZZ_CHECK(error->value.IsObject());
      FUZZ_CHECK(error->value.HasMember("code") && error->value["code"].IsString());
      FUZZ_CHECK(error->value.HasMember("message") && error->value["message"].IsString());
      continue;
    }
    FUZZ_CHECK(parsed.HasMember("verdict") && parsed["verdict"].IsString());
    FUZZ_CHECK(parsed.HasMember("findings") && parsed["findings"].IsArray());
    for (const auto& f : parsed["findings"].GetArray()) {
      FUZZ_CHECK(f.IsObject() && f.HasMember("span") && f["span"].IsArray());
      const auto& span = f["span"];
      FUZZ_CHECK(span.Size() == 2 && span[0].IsUint() && span[1].IsUint());
      FUZZ_CHECK(span[0].GetUint() <= span[1].GetUint());
      FUZZ_CHECK(span[1].GetUint() <= answer.size());
    }
  }
  FUZZ_CHECK(lines == expected_lines);
  return 0;
}
