#include "collect/provider.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "base/file.h"
#include "base/json.h"
#include "base/sha256.h"

namespace medaudit::collect {
namespace {

Error KeyError(const std::string& file, std::string_view key, std::string message) {
  Error e = MakeError(ErrorCode::kInvalidArgument, std::move(message));
  e.file = file;
  if (!key.empty()) e.json_pointer = json::Pointer("", key);
  return e;
}

Result<std::string> ReadString(const rapidjson::Value& v, const std::string& file,
                               std::string_view key) {
  if (!v.IsString()) return KeyError(file, key, fmt::format("'{}' must be a string", key));
  return std::string(json::View(v));
}

Result<double> ReadNumber(const rapidjson::Value& v, const std::string& file, std::string_view key,
                          double lo, double hi) {
  if (!v.IsNumber() || !std::isfinite(v.GetDouble()) || v.GetDouble() < lo || v.GetDouble() > hi) {
    return KeyError(file, key, fmt::format("'{}' must be a number in [{}, {}]", key, lo, hi));
  }
  return v.GetDouble();
}

Result<int64_t> ReadInteger(const rapidjson::Value& v, const std::string& file,
                            std::string_view key, int64_t lo, int64_t hi) {
  if (!v.IsInt64() || v.GetInt64() < lo || v.GetInt64() > hi) {
    return KeyError(file, key, fmt::format("'{}' must be an integer in [{}, {}]", key, lo, hi));
  }
  return v.GetInt64();
}

bool ValidHeaderToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string::npos;
  });
}

bool ValidHeaderValue(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == 0; });
}

Status ReadHeaders(const rapidjson::Value& v, const std::string& file, ProviderConfig* config) {
  if (!v.IsObject()) return KeyError(file, "headers", "'headers' must be an object");
  for (const auto& m : v.GetObject()) {
    const std::string name(json::View(m.name));
    if (!ValidHeaderToken(name)) {
      return KeyError(file, "headers", fmt::format("invalid header name '{}'", name));
    }
    if (!m.value.IsString() || !ValidHeaderValue(json::View(m.value))) {
      return KeyError(file, "headers",
                      fmt::format("header '{}' must be a string without line breaks", name));
    }
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == "authorization" || lower == "host" || lower == "content-length") {
      return KeyError(file, "headers",
                      fmt::format("header '{}' is set by medaudit (the API key comes from "
                                  "api_key_env)",
                                  name));
    }
    config->headers[name] = std::string(json::View(m.value));
  }
  return {};
}

// Applies one top-level key; unknown keys are an error naming the key.
Status ApplyKey(const std::string& key, const rapidjson::Value& v, const std::string& file,
                ProviderConfig* c) {
  auto assign = [](auto result, auto* target) -> Status {
    if (!result) return result.error();
    *target = static_cast<std::remove_pointer_t<decltype(target)>>(*result);
    return {};
  };
  if (key == "base_url") return assign(ReadString(v, file, key), &c->base_url);
  if (key == "model") return assign(ReadString(v, file, key), &c->model);
  if (key == "api_key_env") return assign(ReadString(v, file, key), &c->api_key_env);
  if (key == "system") {
    auto s = ReadString(v, file, key);
    if (!s) return s.error();
    c->system = *s;
    return {};
  }
  if (key == "temperature") return assign(ReadNumber(v, file, key, 0, 2), &c->temperature);
  if (key == "max_tokens") return assign(ReadInteger(v, file, key, 1, 1 << 24), &c->max_tokens);
  if (key == "seed") {
    auto s = ReadInteger(v, file, key, INT64_MIN, INT64_MAX);
    if (!s) return s.error();
    c->seed = *s;
    return {};
  }
  if (key == "concurrency") return assign(ReadInteger(v, file, key, 1, 1024), &c->concurrency);
  if (key == "rps") return assign(ReadNumber(v, file, key, 0, 1e6), &c->rps);
  if (key == "timeout_s") return assign(ReadNumber(v, file, key, 0.001, 86400), &c->timeout_s);
  if (key == "retries") return assign(ReadInteger(v, file, key, 0, 100), &c->retries);
  if (key == "headers") return ReadHeaders(v, file, c);
  return KeyError(file, key,
                  fmt::format("unknown key '{}' (known: base_url, model, api_key_env, system, "
                              "temperature, max_tokens, seed, concurrency, rps, timeout_s, "
                              "retries, headers)",
                              key));
}

template <class Writer>
void WriteSettings(Writer& w, const ProviderConfig& c, bool execution) {
  w.StartObject();
  w.Key("base_url");
  json::String(w, c.base_url);
  w.Key("model");
  json::String(w, c.model);
  w.Key("api_key_env");
  json::String(w, c.api_key_env);
  w.Key("system");
  if (c.system) {
    json::String(w, *c.system);
  } else {
    w.Null();
  }
  w.Key("temperature");
  w.Double(c.temperature);
  w.Key("max_tokens");
  w.Int(c.max_tokens);
  w.Key("seed");
  if (c.seed) {
    w.Int64(*c.seed);
  } else {
    w.Null();
  }
  w.Key("headers");
  w.StartObject();
  for (const auto& [name, value] : c.headers) {  // std::map: sorted, canonical
    w.Key(name.c_str());
    json::String(w, IsSecretHeader(name) ? std::string("<redacted>") : value);
  }
  w.EndObject();
  if (execution) {
    w.Key("concurrency");
    w.Int(c.concurrency);
    w.Key("rps");
    w.Double(c.rps);
    w.Key("timeout_s");
    w.Double(c.timeout_s);
    w.Key("retries");
    w.Int(c.retries);
  }
  w.EndObject();
}

std::string ToJson(const ProviderConfig& c, bool execution) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  WriteSettings(writer, c, execution);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

Result<ProviderConfig> ParseProvider(std::string_view text, const std::string& file) {
  rapidjson::Document doc;
  if (auto status = json::Parse(text, file, &doc); !status) {
    Error e = status.error();
    e.message = "provider file is not valid JSON: " + e.message;
    return e;
  }
  if (!doc.IsObject()) return KeyError(file, "", "the provider file must be a JSON object");
  std::string where;
  if (const auto* dup = json::DuplicateKey(doc, /*recursive=*/true, &where)) {
    Error e = KeyError(file, "", fmt::format("duplicate key '{}'", json::View(*dup)));
    e.json_pointer = json::Pointer(where, json::View(*dup));
    return e;
  }
  ProviderConfig config;
  for (const auto& m : doc.GetObject()) {
    if (auto status = ApplyKey(std::string(json::View(m.name)), m.value, file, &config); !status) {
      return status.error();
    }
  }
  if (config.base_url.empty()) return KeyError(file, "base_url", "'base_url' is required");
  if (config.model.empty()) return KeyError(file, "model", "'model' is required");
  while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
  return config;
}

Result<ProviderConfig> LoadProvider(const std::string& path) {
  auto text = ReadFile(path, size_t{1} << 20);
  if (!text) return text.error();
  return ParseProvider(*text, path);
}

bool IsSecretHeader(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  for (const char* word : {"authorization", "cookie", "key", "token", "secret", "password"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string SettingsJson(const ProviderConfig& config) { return ToJson(config, false); }
std::string SettingsHash(const ProviderConfig& config) { return Sha256Hex(SettingsJson(config)); }
std::string RecordedJson(const ProviderConfig& config) { return ToJson(config, true); }

Result<std::string> ReadApiKey(const ProviderConfig& config) {
  if (config.api_key_env.empty()) return std::string();
  const char* value = std::getenv(config.api_key_env.c_str());
  if (value == nullptr || *value == '\0') {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("environment variable {} (api_key_env) is not set", config.api_key_env));
  }
  const std::string key = value;
  if (!ValidHeaderValue(key)) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        fmt::format("environment variable {} contains a line break", config.api_key_env));
  }
  return key;
}

}  // namespace medaudit::collect
