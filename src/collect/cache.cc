#include "collect/cache.h"

#include <filesystem>

#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::collect {

std::string ResponseCache::PathOf(const std::string& request_hash) const {
  return (std::filesystem::path(dir_) / request_hash.substr(0, 2) / (request_hash + ".json"))
      .string();
}

std::optional<std::string> ResponseCache::Get(const std::string& request_hash) const {
  if (!enabled()) return std::nullopt;
  std::error_code ec;
  const std::string path = PathOf(request_hash);
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto text = ReadFile(path, size_t{64} << 20);
  if (!text) return std::nullopt;
  rapidjson::Document doc;
  if (!json::Parse(*text, path, &doc) || !doc.IsObject()) return std::nullopt;
  auto answer = doc.FindMember("answer");
  if (answer == doc.MemberEnd() || !answer->value.IsString()) return std::nullopt;
  std::string value(json::View(answer->value));
  if (!utf8::IsValid(value)) return std::nullopt;
  return value;
}

void ResponseCache::Put(const std::string& request_hash, const std::string& answer) const {
  if (!enabled()) return;
  std::error_code ec;
  const std::string path = PathOf(request_hash);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("answer");
  json::String(w, answer);
  w.EndObject();
  (void)WriteFileAtomic(path, std::string_view(buffer.GetString(), buffer.GetSize()));
}

}  // namespace medaudit::collect
