// SHA-256 digests (OpenSSL) as lowercase hex, for corpus, rule-pack and run hashes.
// Thread-safe; Sha256 (incremental) objects must not be shared between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace medaudit {

std::string Sha256Hex(std::string_view data);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string FinishHex();  // the object can no longer be updated afterwards

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace medaudit
