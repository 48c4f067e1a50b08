#include "base/json.h"

#include <rapidjson/error/en.h>

namespace medaudit::json {

bool TooDeep(std::string_view data, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Status Parse(std::string_view data, const std::string& file, rapidjson::Document* out) {
  if (TooDeep(data)) {
    out->SetNull();
    Error error = MakeError(ErrorCode::kInvalidJson,
                            "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    error.file = file;
    return error;
  }
  out->Parse<rapidjson::kParseFullPrecisionFlag>(data.data(), data.size());
  if (!out->HasParseError()) return {};
  const size_t offset = out->GetErrorOffset();
  int64_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < data.size(); ++i) {
    if (data[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  Error error =
      MakeError(ErrorCode::kInvalidJson, rapidjson::GetParseError_En(out->GetParseError()));
  error.file = file;
  error.line = line;
  error.column = column;
  return error;
}

std::string Pointer(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out.push_back('/');
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Pointer(std::string_view parent, size_t index) {
  return std::string(parent) + "/" + std::to_string(index);
}

}  // namespace medaudit::json
