// The provider file of `medaudit collect` (design.md §4): which OpenAI-compatible endpoint to ask
// and how. Parsing is strict: unknown or duplicate keys, wrong types and out-of-range values are
// kInvalidArgument errors naming the key. The API key is never part of a ProviderConfig: the file
// only names the environment variable holding it (api_key_env), read by ReadApiKey.
// SettingsJson/SettingsHash describe the answer-affecting settings WITHOUT secrets; they are what
// outputs, resume keys, caches and stored runs record.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace medaudit::collect {

struct ProviderConfig {
  std::string base_url;  // "http(s)://host[:port]/path" (no trailing slash after parsing)
  std::string model;
  std::string api_key_env;  // name of the environment variable; empty = no Authorization
  std::optional<std::string> system;
  double temperature = 0;  // audits want reproducible answers
  int max_tokens = 1024;
  std::optional<int64_t> seed;
  int concurrency = 8;
  double rps = 20;  // requests per second cap; 0 = no cap
  double timeout_s = 60;
  int retries = 4;
  std::map<std::string, std::string> headers;  // extra request headers
};

// Parses the provider file text; `file` names it in errors.
Result<ProviderConfig> ParseProvider(std::string_view text, const std::string& file);
Result<ProviderConfig> LoadProvider(const std::string& path);

// True for a header name that usually carries a credential (authorization, cookie, *key*,
// *token*, *secret*, *password*): its value is redacted wherever settings are recorded.
bool IsSecretHeader(std::string_view name);

// Canonical JSON of the settings that shape an answer (base_url, model, system, temperature,
// max_tokens, seed, headers with secret values redacted, api_key_env NAME). Execution settings
// (concurrency, rps, timeout_s, retries) are left out: they do not change answers.
std::string SettingsJson(const ProviderConfig& config);
// SHA-256 hex of SettingsJson: the resume key of an answer (with the question id).
std::string SettingsHash(const ProviderConfig& config);
// Every setting (execution ones included) minus secrets, as recorded with an audit run.
std::string RecordedJson(const ProviderConfig& config);

// The API key from the environment variable named by api_key_env ("" when api_key_env is empty).
// kInvalidArgument when the variable is named but unset or empty (the message names the
// variable, never a value).
Result<std::string> ReadApiKey(const ProviderConfig& config);

}  // namespace medaudit::collect
