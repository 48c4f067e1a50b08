#include "collect/chat.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::collect {

std::string Url::HostHeader() const {
  const bool default_port = (tls && port == "443") || (!tls && port == "80");
  const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? name : name + ":" + port;
}

Result<Url> ParseBaseUrl(std::string_view base_url) {
  auto bad = [&](std::string_view why) {
    return MakeError(ErrorCode::kInvalidArgument, fmt::format("base_url '{}': {}", base_url, why));
  };
  Url url;
  std::string_view rest = base_url;
  if (rest.substr(0, 7) == "http://") {
    rest.remove_prefix(7);
  } else if (rest.substr(0, 8) == "https://") {
    url.tls = true;
    rest.remove_prefix(8);
  } else {
    return bad("must start with http:// or https://");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("no query or fragment");
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  url.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  if (authority.find('@') != std::string_view::npos) {
    return bad("user info is not allowed (put the API key in the variable named by api_key_env)");
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after IPv6 literal");
      port = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("no host");
  if (port.empty()) {
    url.port = url.tls ? "443" : "80";
  } else {
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return bad("invalid port");
    }
    url.port = std::to_string(value);
  }
  return url;
}

std::string BuildChatBody(const ProviderConfig& config, std::string_view question) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("model");
  json::String(w, config.model);
  w.Key("messages");
  w.StartArray();
  auto message = [&](const char* role, std::string_view content) {
    w.StartObject();
    w.Key("role");
    w.String(role);
    w.Key("content");
    json::String(w, content);
    w.EndObject();
  };
  if (config.system) message("system", *config.system);
  message("user", question);
  w.EndArray();
  w.Key("temperature");
  w.Double(config.temperature);
  w.Key("max_tokens");
  w.Int(config.max_tokens);
  if (config.seed) {
    w.Key("seed");
    w.Int64(*config.seed);
  }
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<std::string> ParseChatAnswer(std::string_view body) {
  rapidjson::Document doc;
  if (auto status = json::Parse(body, "", &doc); !status) {
    return MakeError(
        ErrorCode::kInvalidJson,
        "response body is not JSON (" + status.error().message + "): " + Excerpt(body, 120));
  }
  auto missing = [](std::string what) { return MakeError(ErrorCode::kMissingField, what); };
  if (!doc.IsObject()) return missing("response is not a JSON object");
  auto choices = doc.FindMember("choices");
  if (choices == doc.MemberEnd() || !choices->value.IsArray() || choices->value.Empty()) {
    return missing("response has no choices");
  }
  const auto& first = choices->value[0];
  if (!first.IsObject()) return missing("choices[0] is not an object");
  auto message = first.FindMember("message");
  if (message == first.MemberEnd() || !message->value.IsObject()) {
    return missing("choices[0] has no message");
  }
  auto content = message->value.FindMember("content");
  if (content == message->value.MemberEnd() || !content->value.IsString()) {
    std::string reason;
    auto finish = first.FindMember("finish_reason");
    if (finish != first.MemberEnd() && finish->value.IsString()) {
      reason = fmt::format(" (finish_reason {})", json::View(finish->value));
    }
    return missing("choices[0].message.content is not a string" + reason);
  }
  return std::string(json::View(content->value));
}

std::optional<double> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
    value.remove_prefix(1);
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
    value.remove_suffix(1);
  }
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || seconds < 0) {
    return std::nullopt;
  }
  return static_cast<double>(seconds);
}

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 10)) {
      text.replace(at, secret.size(), "[redacted]");
    }
  }
  return text;
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    size_t length = 1;
    const char32_t cp = utf8::Decode(text, pos, &length);
    if (out.size() + length > max_bytes) {
      out += "…";
      break;
    }
    if (cp == utf8::kInvalid) {
      out += "\uFFFD";
    } else {
      out.append(text.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

}  // namespace medaudit::collect
