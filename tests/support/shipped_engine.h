// The check engine with the rules shipped in rules/, loaded once per test binary and shared (an
// Engine is immutable and thread-safe). Fails the calling test if the rules do not load.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "rules/engine.h"

namespace medaudit::testing {

inline const rules::Engine& ShippedEngine() {
  static std::shared_ptr<const rules::Engine> engine = [] {
    rules::EngineOptions options;
    options.rules_dir = std::string(MEDAUDIT_SOURCE_DIR) + "/rules";
    auto loaded = rules::Engine::Load(options);
    REQUIRE(loaded.has_value());
    return *loaded;
  }();
  return *engine;
}

}  // namespace medaudit::testing
