#include "base/error.h"

#include <stdexcept>

namespace medaudit {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kInvalidUtf8:
      return "invalid_utf8";
    case ErrorCode::kMissingField:
      return "missing_field";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kIo:
      return "io_error";
    case ErrorCode::kPackError:
      return "pack_error";
    case ErrorCode::kPatternError:
      return "pattern_error";
    case ErrorCode::kPolicyError:
      return "policy_error";
    case ErrorCode::kStoreError:
      return "store_error";
    case ErrorCode::kIntegrity:
      return "integrity_error";
    case ErrorCode::kNetwork:
      return "network_error";
    case ErrorCode::kInternal:
      return "internal_error";
  }
  return "internal_error";
}

std::string Error::ToString() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    out += ": ";
  }
  out += ErrorCodeName(code);
  out += ": ";
  out += message;
  if (!json_pointer.empty()) out += " (at " + json_pointer + ")";
  return out;
}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
  throw std::runtime_error(error.ToString());
}

}  // namespace medaudit
