#include "server/auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <sstream>

#include "base/file.h"
#include "base/sha256.h"

namespace medaudit::server {

namespace {

constexpr std::string_view kHashPrefix = "sha256:";

struct ScopeName {
  Scope scope;
  std::string_view name;
};
constexpr ScopeName kScopes[] = {{kScopeCheck, "check"},
                                 {kScopeAudit, "audit"},
                                 {kScopeReport, "report"},
                                 {kScopeAdmin, "admin"}};

bool ParseHex(std::string_view hex, std::array<unsigned char, 32>* out) {
  if (hex.size() != 64) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < 32; ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Result<uint8_t> ParseScopes(std::string_view text) {
  uint8_t bits = 0;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view word = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    bool known = false;
    for (const auto& s : kScopes) {
      if (word == s.name) {
        bits |= s.scope;
        known = true;
      }
    }
    if (!known) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown scope '" + std::string(word) + "' (check, audit, report, admin)");
    }
  }
  if (bits == 0) return MakeError(ErrorCode::kInvalidArgument, "no scope given");
  return bits;
}

std::string ScopeNames(uint8_t scopes) {
  std::string out;
  for (const auto& s : kScopes) {
    if ((scopes & s.scope) == 0) continue;
    if (!out.empty()) out += ',';
    out += s.name;
  }
  return out;
}

std::string TokenLine(std::string_view token, uint8_t scopes, std::string_view name) {
  return std::string(kHashPrefix) + Sha256Hex(token) + " " + ScopeNames(scopes) + " " +
         std::string(name);
}

Result<Authenticator> Authenticator::Load(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return text.error();
  return Parse(*text, path);
}

Result<Authenticator> Authenticator::Parse(std::string_view text,
                                           const std::string& name_for_errors) {
  Authenticator auth;
  int line_number = 0;
  std::istringstream in{std::string(text)};
  std::string raw;
  while (std::getline(in, raw)) {
    ++line_number;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto fail = [&](std::string message) {
      Error error = MakeError(ErrorCode::kInvalidArgument, std::move(message));
      error.file = name_for_errors;
      error.line = line_number;
      return error;
    };
    std::istringstream fields{std::string(line)};
    std::string hash, scopes, name;
    fields >> hash >> scopes;
    std::getline(fields, name);
    name = std::string(Trim(name));
    Entry entry;
    if (hash.rfind(kHashPrefix, 0) != 0 ||
        !ParseHex(std::string_view(hash).substr(kHashPrefix.size()), &entry.hash)) {
      return fail(
          "expected 'sha256:<64 hex digits> <scopes> <name>' (medaudit serve --hash-token)");
    }
    auto bits = ParseScopes(scopes);
    if (!bits) return fail(bits.error().message);
    if (name.empty()) return fail("the token needs a name (for the logs)");
    entry.scopes = *bits;
    entry.name = std::move(name);
    auth.entries_.push_back(std::move(entry));
  }
  if (auth.entries_.empty()) {
    Error error = MakeError(ErrorCode::kInvalidArgument, "no token in the tokens file");
    error.file = name_for_errors;
    return error;
  }
  return auth;
}

AuthOutcome Authenticator::Check(std::string_view authorization, uint8_t needed) const {
  if (entries_.empty() || needed == kScopeNone) return {200, ""};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return {401, ""};
  }
  const std::string_view token = Trim(authorization.substr(kBearer.size()));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  // Compare with every entry (no early exit) so that timing reveals nothing.
  const Entry* match = nullptr;
  for (const auto& entry : entries_) {
    const bool same = CRYPTO_memcmp(entry.hash.data(), digest, sizeof(digest)) == 0;
    if (same) match = &entry;
  }
  if (match == nullptr) return {401, ""};
  if ((match->scopes & needed) != needed) return {403, match->name};
  return {200, match->name};
}

}  // namespace medaudit::server
