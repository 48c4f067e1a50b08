// Error values and Result<T> for all medaudit library code.
// Library functions return Result<T> (or Status) instead of throwing; exceptions from third-party
// libraries are converted at the boundary. An Error prints as "file:line:col: code: message"
// (OPA style), with a JSON pointer when the problem is inside a JSON document.
// Error and Result are plain values: safe to copy and to pass between threads.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace medaudit {

enum class ErrorCode {
  kInvalidArgument,  // a caller passed a bad argument or flag
  kInvalidJson,      // input is not well-formed JSON
  kInvalidUtf8,      // input text is not valid UTF-8
  kMissingField,     // a required JSON field is absent or has the wrong type
  kTooLarge,         // input exceeds a named limit
  kNotFound,         // a file, run, rule or item does not exist
  kIo,               // reading or writing a file failed
  kPackError,        // a rule pack is malformed
  kPatternError,     // a pattern cannot be compiled by the linear-time engine
  kPolicyError,      // a gate policy is malformed
  kStoreError,       // the audit database failed
  kIntegrity,        // a stored run fails verification
  kNetwork,          // an HTTP peer failed
  kInternal,         // a bug: an invariant did not hold
};

// Stable snake_case name of a code, as used in JSON error objects ("invalid_json").
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string file;          // empty when the input is not a file
  std::string json_pointer;  // "/rules/3/when" inside a JSON document, else empty
  int64_t line = 0;          // 1-based; 0 when unknown
  int64_t column = 0;        // 1-based; 0 when unknown

  // "file:line:col: code: message (at /pointer)"; parts that are unknown are left out.
  std::string ToString() const;
};

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, {}, 0, 0};
}

// Lets boost::system::result<T, Error>::value() throw on error (used only at boundaries).
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;
using Status = boost::system::result<void, Error>;

}  // namespace medaudit
