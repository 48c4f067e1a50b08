// libFuzzer target: rules::LoadPack on arbitrary bytes (written to a per-process temp file).
// Properties: a failure is a kPackError or kInvalidJson (or kInvalidUtf8) with a message; a pack
// that loads has a non-empty id, every rule id starts with "<pack id>.", every rule has a
// citation, every condition term index is in range, and match::ValidateExpression on each of its
// expressions returns (ok or kPatternError) without crashing.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fuzz_util.h"
#include "match/database.h"
#include "rules/pack.h"

namespace {

using namespace medaudit;

const std::string& TempPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr ? dir : "/tmp") + "/medaudit_fuzz_pack_" +
           std::to_string(getpid()) + ".json";
  }();
  return path;
}

// Removes the temp file when libFuzzer exits normally (-max_total_time, -runs); after a crash it
// stays, next to the artifact.
void RemoveTempFile() { std::remove(TempPath().c_str()); }

void CheckCondition(const rules::Condition& c, const rules::Pack& pack) {
  using Kind = rules::Condition::Kind;
  if (c.kind == Kind::kLexicon || c.kind == Kind::kPattern) {
    FUZZ_CHECK(c.term < pack.terms.size());
  }
  if (c.kind == Kind::kNot || c.kind == Kind::kQuestion || c.kind == Kind::kAnswer) {
    FUZZ_CHECK(c.children.size() == 1);
  }
  for (const auto& child : c.children) CheckCondition(child, pack);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TempPath();  // constructed before the atexit handler, so destroyed after it runs
  std::atexit(RemoveTempFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream out(TempPath(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto pack = rules::LoadPack(TempPath());
  if (!pack) {
    const ErrorCode code = pack.error().code;
    FUZZ_CHECK(code == ErrorCode::kPackError || code == ErrorCode::kInvalidJson ||
               code == ErrorCode::kInvalidUtf8);
    FUZZ_CHECK(!pack.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(!pack->id.empty());
  for (const auto& rule : pack->rules) {
    FUZZ_CHECK(rule.id.rfind(pack->id + ".", 0) == 0);
    FUZZ_CHECK(!rule.citation.id.empty() || !rule.citation.text.empty());
    CheckCondition(rule.when, *pack);
  }
  for (const auto& term : pack->terms) {
    for (const auto& [lang, expression] : term.expressions) {
      match::PatternSpec spec{0, expression, term.literal, false};
      const Status status = match::ValidateExpression(spec);
      if (!status) FUZZ_CHECK(status.error().code == ErrorCode::kPatternError);
    }
  }
  return 0;
}
