// Pure pieces of the OpenAI-compatible chat-completions protocol (no I/O): the base URL split
// into scheme/host/port/path, the request body, reading the answer from a response body, and
// removing secrets from any text medaudit records. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "collect/provider.h"

namespace medaudit::collect {

struct Url {
  bool tls = false;  // https
  std::string host;  // without brackets for IPv6 literals
  std::string port;  // "80"/"443" when not given
  std::string path;  // "/v1" ("" for the root)
  // Host header value: host, plus ":port" when it is not the scheme's default.
  std::string HostHeader() const;
};

// Accepts http:// and https:// URLs without user info, query or fragment.
Result<Url> ParseBaseUrl(std::string_view base_url);

// {"model", "messages": [{"role":"system"}?, {"role":"user"}], "temperature", "max_tokens",
// "seed"?} as compact JSON.
std::string BuildChatBody(const ProviderConfig& config, std::string_view question);

// choices[0].message.content of a response body. kInvalidJson when the body is not JSON,
// kMissingField when the content is absent or not a string (the message says what was found).
Result<std::string> ParseChatAnswer(std::string_view body);

// Retry-After in seconds (delta-seconds form only); nullopt when absent or an HTTP date.
std::optional<double> ParseRetryAfter(std::string_view value);

// Replaces every occurrence of each non-empty secret in text by "[redacted]".
std::string Redact(std::string text, const std::vector<std::string>& secrets);

// The first `max_bytes` of text cut at a UTF-8 boundary, with "…" when cut (for error messages);
// invalid UTF-8 becomes U+FFFD so the result is always valid UTF-8.
std::string Excerpt(std::string_view text, size_t max_bytes = 300);

}  // namespace medaudit::collect
