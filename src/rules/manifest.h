// Rule-pack manifests: rules/manifest.json lists the SHA-256 of every pack and knowledge file, so
// that a deployment can require that the rules it loads are exactly the reviewed ones
// (`--require-manifest`). Integrity, not authorship: sign the manifest file itself with your
// release tooling if you need to know who approved it. Pure functions; thread-safe.
#pragma once

#include <string>

#include "base/error.h"

namespace medaudit::rules {

inline constexpr const char* kManifestFile = "manifest.json";

// The manifest of a rules directory as canonical JSON (files sorted, one per line).
Result<std::string> BuildManifest(const std::string& rules_dir);

// Checks rules_dir against its manifest.json: every pack (*.json except the manifest) and
// knowledge file must be listed with a matching hash, and every listed file must exist.
// Fails with kIntegrity naming the first file that differs, or kNotFound without a manifest.
Status VerifyManifest(const std::string& rules_dir);

}  // namespace medaudit::rules
