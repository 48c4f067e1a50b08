// The engine behind text::Normalizer (see text/normalize.h), exposed here only so that tests can
// compare the fast path against a straightforward reference implementation.
#pragma once

#include <unicode/normalizer2.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "text/normalize.h"

namespace medaudit::text::internal {

struct Writer;

class NormEngine {
 public:
  static Result<std::unique_ptr<NormEngine>> Create();

  // The hot path: chunked normalization with the per-code-point table, exact offsets.
  void Normalize(std::string_view input, NormalizedText* out) const;

  // Reference: ICU NFKC_Casefold over the whole input at once, then the per-code-point folds,
  // then the Chinese numeral pass. Produces the same text as Normalize() (no offsets). Slow.
  std::string NormalizeReference(std::string_view input) const;

  // The medaudit folds applied after NFKC_Casefold to one code point; 0 means "remove".
  char32_t Fold(char32_t cp) const;

 private:
  NormEngine() = default;
  void BuildTables();
  bool BoundaryBefore(char32_t cp) const;
  void SlowChunk(std::string_view input, size_t begin, size_t end, Writer* w) const;

  const icu::Normalizer2* nfkc_cf_ = nullptr;  // ICU singleton, not owned
  // Traditional -> simplified Chinese, for the whole BMP (identity where there is no mapping).
  std::vector<char16_t> t2s_;
  // Per BMP code point: offset (bits 0-21) and length (bits 22-29) of its normalized and folded
  // UTF-8 in pool_, "output contains a Chinese numeral" (bit 30), boundary before (bit 31).
  std::vector<uint32_t> table_;
  std::string pool_;
};

// Rewrites Chinese numerals followed by a counter or unit into ASCII digits, in place, starting
// at byte `from` of out->text (which must be on a code point boundary).
void ConvertChineseNumerals(NormalizedText* out, size_t from);

// The evasion passes that run after the engine: look-alike letters folded to Latin inside Latin
// words, accents dropped there (and Taiwan drug characters), then spaced-out Chinese and
// spelled-out words joined. Both return after one cheap byte loop when nothing would change.
// `skip_precheck` and the reference join are the straightforward versions that NormalizeReference
// uses, so that tests can hold the fast ones to them. `original` is the input the text was
// normalized from (empty when its offsets are not exact).
void FoldHomoglyphs(NormalizedText* out, std::string_view original, bool skip_precheck = false);
void JoinSplitWords(NormalizedText* out);
void JoinSplitWordsReference(NormalizedText* out);

}  // namespace medaudit::text::internal
