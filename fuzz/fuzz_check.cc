// libFuzzer target: rules::Engine::Check with the shipped rules on arbitrary bytes.
// Input: byte 0 picks the language (bits 0-1) and whether to split off a question (bit 2);
// byte 1 is where to split; the rest is the text. Properties: Check fails exactly when the
// answer or question is not valid UTF-8 (kInvalidUtf8); every finding span lies inside the answer
// on code-point boundaries; findings are sorted; the verdict follows from the severities; the
// same input gives the same result with a reused and with a fresh workspace.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "base/utf8.h"
#include "fuzz_util.h"
#include "rules/engine.h"

namespace {

using namespace medaudit;

std::shared_ptr<const rules::Engine>& TheEngine() {
  static std::shared_ptr<const rules::Engine> engine;
  return engine;
}

rules::Verdict ExpectedVerdict(const rules::CheckResult& result) {
  rules::Verdict verdict = rules::Verdict::kAllow;
  for (const auto& f : result.findings) {
    if (f.rule->severity == rules::Severity::kBlock) return rules::Verdict::kBlock;
    if (f.rule->severity == rules::Severity::kHarm || f.rule->severity == rules::Severity::kWarn) {
      verdict = rules::Verdict::kFlag;
    }
  }
  return verdict;
}

bool Same(const rules::CheckResult& a, const rules::CheckResult& b) {
  if (a.verdict != b.verdict || a.lang != b.lang || a.findings.size() != b.findings.size()) {
    return false;
  }
  for (size_t i = 0; i < a.findings.size(); ++i) {
    if (a.findings[i].rule != b.findings[i].rule || !(a.findings[i].span == b.findings[i].span)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheEngine() = LoadShippedEngineOrDie();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const rules::Engine& engine = *TheEngine();
  const uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  rules::CheckInput input;
  input.lang = static_cast<text::Lang>(mode & 3);
  if (mode & 4) {
    const size_t cut = text.size() * data[1] / 256;
    input.question = text.substr(0, cut);
    input.answer = text.substr(cut);
  } else {
    input.answer = text;
  }
  const bool valid = utf8::IsValid(input.answer) && utf8::IsValid(input.question);

  static rules::Workspace reused;
  rules::CheckResult result;
  const Status status = engine.Check(input, &reused, &result);
  FUZZ_CHECK(static_cast<bool>(status) == valid);
  if (!status) {
    FUZZ_CHECK(status.error().code == ErrorCode::kInvalidUtf8);
    return 0;
  }
  if (input.lang != text::Lang::kUnknown) FUZZ_CHECK(result.lang == input.lang);
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const auto& f = result.findings[i];
    FUZZ_CHECK(f.rule != nullptr);
    FUZZ_CHECK(engine.FindRule(f.rule->id) == f.rule);
    FUZZ_CHECK(f.span.begin <= f.span.end);
    FUZZ_CHECK(f.span.end <= input.answer.size());
    FUZZ_CHECK(utf8::IsBoundary(input.answer, f.span.begin));
    FUZZ_CHECK(utf8::IsBoundary(input.answer, f.span.end));
    if (i > 0) {
      const auto& p = result.findings[i - 1];
      FUZZ_CHECK(
          p.span.begin < f.span.begin ||
          (p.span.begin == f.span.begin &&
           (p.span.end < f.span.end || (p.span.end == f.span.end && p.rule->id <= f.rule->id))));
    }
  }
  FUZZ_CHECK(result.verdict == ExpectedVerdict(result));

  rules::Workspace fresh;
  rules::CheckResult again;
  FUZZ_CHECK(static_cast<bool>(engine.Check(input, &fresh, &again)));
  FUZZ_CHECK(Same(result, again));
  return 0;
}
