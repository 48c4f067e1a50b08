#include "rules/manifest.h"

#include <filesystem>
#include <map>

#include "base/file.h"
#include "base/json.h"
#include "base/sha256.h"

namespace medaudit::rules {
namespace {

namespace fs = std::filesystem;

// Relative path -> SHA-256 of every file a manifest covers.
Result<std::map<std::string, std::string>> HashRulesFiles(const std::string& rules_dir) {
  std::error_code ec;
  if (!fs::is_directory(rules_dir, ec)) {
    return MakeError(ErrorCode::kNotFound, "no rules directory: " + rules_dir);
  }
  std::map<std::string, std::string> hashes;
  for (const auto& entry : fs::recursive_directory_iterator(rules_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), rules_dir).generic_string();
    if (entry.path().extension() != ".json" || relative == kManifestFile) continue;
    auto data = ReadFile(entry.path().string());
    if (!data) return data.error();
    hashes[relative] = Sha256Hex(*data);
  }
  return hashes;
}

Error Integrity(const std::string& message) { return MakeError(ErrorCode::kIntegrity, message); }

}  // namespace

Result<std::string> BuildManifest(const std::string& rules_dir) {
  auto hashes = HashRulesFiles(rules_dir);
  if (!hashes) return hashes.error();
  std::string out = "{\n  \"algorithm\": \"sha256\",\n  \"files\": {\n";
  size_t i = 0;
  for (const auto& [file, hash] : *hashes) {
    out += "    \"" + file + "\": \"" + hash + "\"";
    out += ++i < hashes->size() ? ",\n" : "\n";
  }
  out += "  }\n}\n";
  return out;
}

Status VerifyManifest(const std::string& rules_dir) {
  const std::string path = rules_dir + "/" + kManifestFile;
  auto data = ReadFile(path);
  if (!data) return data.error();
  rapidjson::Document doc;
  if (auto parsed = json::Parse(*data, path, &doc); !parsed) return parsed.error();
  auto files = doc.IsObject() ? doc.FindMember("files") : doc.MemberEnd();
  if (!doc.IsObject() || files == doc.MemberEnd() || !files->value.IsObject()) {
    return Integrity(path + ": a manifest is {\"algorithm\": \"sha256\", \"files\": {path: hash}}");
  }
  auto actual = HashRulesFiles(rules_dir);
  if (!actual) return actual.error();
  for (const auto& [file, hash] : *actual) {
    auto listed = files->value.FindMember(file.c_str());
    if (listed == files->value.MemberEnd()) {
      return Integrity(file + " is not listed in " + path);
    }
    if (!listed->value.IsString() || json::View(listed->value) != hash) {
      return Integrity(file + " does not match its SHA-256 in " + path);
    }
  }
  for (auto& m : files->value.GetObject()) {
    if (!actual->count(m.name.GetString())) {
      return Integrity(std::string(m.name.GetString()) + " is listed in " + path + " but missing");
    }
  }
  return {};
}

}  // namespace medaudit::rules
