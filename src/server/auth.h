// Bearer-token authentication and scopes for `medaudit serve`.
//
// The tokens file holds one line per token: `sha256:<64 hex> <scopes> <name>` where scopes is a
// comma-separated subset of check,audit,report,admin; blank lines and `#` comments are skipped.
// Only the SHA-256 of a token is stored. A presented token is hashed and compared with EVERY
// entry in constant time (CRYPTO_memcmp), so timing reveals neither which entry nor how many
// bytes matched. Immutable after Load; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace medaudit::server {

enum Scope : uint8_t {
  kScopeNone = 0,
  kScopeCheck = 1,
  kScopeAudit = 2,
  kScopeReport = 4,
  kScopeAdmin = 8
};

// "check,audit" -> bits; kInvalidArgument naming an unknown scope.
Result<uint8_t> ParseScopes(std::string_view text);
std::string ScopeNames(uint8_t scopes);

// One tokens-file line for a token: "sha256:<hex> <scopes> <name>".
std::string TokenLine(std::string_view token, uint8_t scopes, std::string_view name);

struct AuthOutcome {
  int status = 200;    // 200 ok, 401 missing/unknown token, 403 scope missing
  std::string caller;  // the token's name ("" when anonymous or refused)
};

class Authenticator {
 public:
  // No tokens: every call is allowed (the server then listens on loopback only).
  Authenticator() = default;
  // Reads a tokens file; kInvalidArgument naming the line for a malformed one, kIo when it
  // cannot be read, kInvalidArgument when it holds no token.
  static Result<Authenticator> Load(const std::string& path);
  static Result<Authenticator> Parse(std::string_view text, const std::string& name_for_errors);

  bool enabled() const { return !entries_.empty(); }
  // authorization: the Authorization header value ("Bearer <token>"); needed: required scope
  // bits (kScopeNone = public route).
  AuthOutcome Check(std::string_view authorization, uint8_t needed) const;

 private:
  struct Entry {
    std::array<unsigned char, 32> hash;
    uint8_t scopes;
    std::string name;
  };
  std::vector<Entry> entries_;
};

}  // namespace medaudit::server
