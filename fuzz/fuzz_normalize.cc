// libFuzzer target: text::Normalizer on arbitrary valid UTF-8.
// Properties: the origin maps have one entry per normalized byte, are monotonic, lie inside the
// input and on code-point boundaries; ToOriginal of any normalized span lands on boundaries and
// inside the input; the output is valid UTF-8; normalizing again (fresh and reused buffers) gives
// exactly the same text and maps.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/utf8.h"
#include "fuzz_util.h"
#include "text/normalize.h"

namespace {

using medaudit::text::NormalizedText;
using medaudit::text::Normalizer;
using medaudit::text::Span;
namespace utf8 = medaudit::utf8;

const Normalizer* GetNormalizer() {
  static const Normalizer* normalizer = [] {
    auto created = Normalizer::Create();
    if (!created) {
      std::fprintf(stderr, "cannot create the normalizer\n");
      std::abort();
    }
    return created->release();
  }();
  return normalizer;
}

bool SameMaps(const NormalizedText& a, const NormalizedText& b) {
  return a.text == b.text && a.origin_begin == b.origin_begin && a.origin_end == b.origin_end &&
         a.original_size == b.original_size;
}

void CheckSpan(const NormalizedText& n, std::string_view input, Span normalized) {
  const Span original = n.ToOriginal(normalized);
  FUZZ_CHECK(original.begin <= original.end);
  FUZZ_CHECK(original.end <= input.size());
  FUZZ_CHECK(utf8::IsBoundary(input, original.begin));
  FUZZ_CHECK(utf8::IsBoundary(input, original.end));
  if (normalized.begin < normalized.end) {
    // The smallest original range that produced the bytes covers each byte's own origin.
    for (uint32_t i = normalized.begin; i < normalized.end; ++i) {
      FUZZ_CHECK(original.begin <= n.origin_begin[i]);
      FUZZ_CHECK(n.origin_end[i] <= original.end);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!utf8::IsValid(input)) return 0;
  const Normalizer* normalizer = GetNormalizer();
  static NormalizedText reused;  // buffers carried over from the previous input
  NormalizedText fresh;
  normalizer->Normalize(input, &fresh);
  normalizer->Normalize(input, &reused);
  FUZZ_CHECK(SameMaps(fresh, reused));

  const NormalizedText& n = fresh;
  FUZZ_CHECK(n.original_size == input.size());
  FUZZ_CHECK(n.origin_begin.size() == n.text.size());
  FUZZ_CHECK(n.origin_end.size() == n.text.size());
  FUZZ_CHECK(utf8::IsValid(n.text));
  for (size_t i = 0; i < n.text.size(); ++i) {
    FUZZ_CHECK(n.origin_begin[i] <= n.origin_end[i]);
    FUZZ_CHECK(n.origin_end[i] <= input.size());
    FUZZ_CHECK(utf8::IsBoundary(input, n.origin_begin[i]));
    FUZZ_CHECK(utf8::IsBoundary(input, n.origin_end[i]));
    if (i > 0) {
      FUZZ_CHECK(n.origin_begin[i - 1] <= n.origin_begin[i]);
      FUZZ_CHECK(n.origin_end[i - 1] <= n.origin_end[i]);
    }
  }

  // Spans between code-point boundaries of the normalized text: every empty span, every single
  // code point, runs of up to 4 code points, and the whole text.
  std::vector<uint32_t> cuts;
  for (uint32_t i = 0; i <= n.text.size(); ++i) {
    if (utf8::IsBoundary(n.text, i)) cuts.push_back(i);
  }
  for (size_t a = 0; a < cuts.size(); ++a) {
    for (size_t b = a; b < cuts.size() && b <= a + 4; ++b) CheckSpan(n, input, {cuts[a], cuts[b]});
  }
  CheckSpan(n, input, {0, static_cast<uint32_t>(n.text.size())});

  NormalizedText again;
  normalizer->Normalize(input, &again);
  FUZZ_CHECK(SameMaps(n, again));
  return 0;
}
