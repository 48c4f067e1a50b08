// `medaudit collect` (design.md §4), also used by `medaudit audit --provider`: loads the provider
// file and the API key, runs collect::Collect with a progress bar on a terminal, stops starting
// new requests on the first SIGINT/SIGTERM, and prints a summary on stderr.
#pragma once

#include <string>

namespace medaudit::cli {

struct CollectFlags {
  std::string questions;
  std::string provider;
  std::string out;
  bool no_cache = false;
};

// What the caller may record about the collection (never a secret).
struct CollectRecord {
  std::string provider_json;  // collect::RecordedJson of the provider file
  std::string model;          // the provider's model name
};

// Returns the exit code: 0 every question answered, 1 some failed or interrupted, 2 usage or
// input error (the error is printed, prefixed with `who`).
int RunCollect(const CollectFlags& flags, const std::string& who, CollectRecord* record = nullptr);

}  // namespace medaudit::cli
