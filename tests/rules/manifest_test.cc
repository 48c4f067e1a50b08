// Rule-pack manifests: a rules directory matches its manifest until any covered file changes,
// appears or disappears.
#include "rules/manifest.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/file.h"

namespace fs = std::filesystem;

TEST_CASE("Manifest: detects changed, added and removed files", "[rules]") {
  const fs::path dir =
      fs::temp_directory_path() / ("medaudit_manifest_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "knowledge");
  std::ofstream(dir / "a.json") << "{\"pack\": 1}";
  std::ofstream(dir / "knowledge" / "drugs.json") << "{\"drugs\": []}";

  auto manifest = medaudit::rules::BuildManifest(dir.string());
  REQUIRE(manifest.has_value());
  REQUIRE(medaudit::WriteFileAtomic((dir / "manifest.json").string(), *manifest).has_value());
  CHECK(medaudit::rules::VerifyManifest(dir.string()).has_value());

  std::ofstream(dir / "a.json", std::ios::app) << " ";
  auto changed = medaudit::rules::VerifyManifest(dir.string());
  REQUIRE_FALSE(changed.has_value());
  CHECK(changed.error().code == medaudit::ErrorCode::kIntegrity);
  CHECK(changed.error().message.find("a.json") != std::string::npos);

  REQUIRE(medaudit::WriteFileAtomic((dir / "manifest.json").string(),
                                    *medaudit::rules::BuildManifest(dir.string()))
              .has_value());
  std::ofstream(dir / "extra.json") << "{}";
  auto added = medaudit::rules::VerifyManifest(dir.string());
  REQUIRE_FALSE(added.has_value());
  CHECK(added.error().message.find("extra.json is not listed") != std::string::npos);

  fs::remove(dir / "extra.json");
  fs::remove(dir / "knowledge" / "drugs.json");
  auto removed = medaudit::rules::VerifyManifest(dir.string());
  REQUIRE_FALSE(removed.has_value());
  CHECK(removed.error().message.find("knowledge/drugs.json") != std::string::npos);

  fs::remove(dir / "manifest.json");
  auto missing = medaudit::rules::VerifyManifest(dir.string());
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == medaudit::ErrorCode::kNotFound);
  fs::remove_all(dir);
}
