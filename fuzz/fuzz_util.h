// Shared by the libFuzzer targets of fuzz/: a property check that aborts (so libFuzzer records the
// input as a crash) with the failed condition and its place, and the shipped rules loaded once.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "rules/engine.h"

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

// The engine over the source tree's rules/ (compiled database cached in MEDAUDIT_CACHE_DIR when
// set); aborts when the rules do not load, since no input could then be judged.
inline std::shared_ptr<const medaudit::rules::Engine> LoadShippedEngineOrDie() {
  medaudit::rules::EngineOptions options;
  options.rules_dir = MEDAUDIT_SOURCE_DIR "/rules";
  if (const char* cache = std::getenv("MEDAUDIT_CACHE_DIR")) options.cache_dir = cache;
  auto engine = medaudit::rules::Engine::Load(options);
  if (!engine) {
    std::fprintf(stderr, "cannot load the rules: %s\n", engine.error().message.c_str());
    std::abort();
  }
  return *engine;
}
