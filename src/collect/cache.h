// On-disk cache of model answers keyed by the request hash (SHA-256 over URL, body and the
// non-secret headers), so re-collecting the same questions with the same settings (a new output
// file, `audit --provider` in a new run directory) costs no API call. One small JSON file per
// answer under <dir>/<2 hex>/<hash>.json, written atomically; unreadable entries count as misses.
// Only successful answers are stored, never keys or headers. Safe to use from several processes;
// one ResponseCache object must be used by one thread at a time.
#pragma once

#include <optional>
#include <string>

namespace medaudit::collect {

class ResponseCache {
 public:
  explicit ResponseCache(std::string dir) : dir_(std::move(dir)) {}
  bool enabled() const { return !dir_.empty(); }
  std::optional<std::string> Get(const std::string& request_hash) const;
  // Best effort: a full disk or a read-only directory only loses the cache entry.
  void Put(const std::string& request_hash, const std::string& answer) const;

 private:
  std::string PathOf(const std::string& request_hash) const;
  std::string dir_;
};

}  // namespace medaudit::collect
