// Text normalization for matching, with an exact map back to the original bytes.
//
// Normalize() turns a valid UTF-8 answer into the form every rule pattern is written against:
//  - Unicode NFKC with case folding (ICU), which also removes default-ignorable code points
//    (zero-width spaces and joiners, soft hyphens, bidi controls) and maps full-width forms to
//    ASCII;
//  - Arabic-Indic (U+0660-0669) and Extended Arabic-Indic (U+06F0-06F9) digits to ASCII digits;
//  - Arabic folding: alef forms (أ إ آ ٱ) to ا, ة to ه, ى to ي; diacritics (tashkeel) and tatweel
//  removed;
//  - traditional Chinese characters to simplified;
//  - dashes (U+2010-2015, U+2212) and middle dots (U+00B7, U+2027, U+2219, U+22C5, U+30FB) to
//    '-', the braille blank (U+2800) to a space, typographic apostrophes (U+2018, U+2019,
//    U+201B) to "'", and the Arabic comma/semicolon/question mark to ASCII;
//  - Chinese numerals in dose and schedule contexts to ASCII digits: 三次 -> 3次, 两片 -> 2片,
//    半片 -> 0.5片, 十五毫升 -> 15毫升, 一日三次 -> 1日3次, 每日一次 -> 每日1次, 五百毫克 ->
//    500毫克, and the financial forms 伍佰毫克 -> 500毫克 (a numeral run is converted only when a
//    counter or unit follows it, so 一般/一些 stay as they are);
//  - then the evasion passes: in a word with ASCII letters, look-alike letters of other scripts
//    (UTS #39 confusables: Cyrillic а, Greek capital Β) become their Latin twin and accents and
//    combining marks are dropped ("íbúprofén"); letters spelled out one by one with up to three
//    separators between them ("i. b. u. p", "a-m-o-x") and Chinese characters split by spaces, or
//    by dots or slashes in a chain ("布.洛.芬"), are joined.
// Every normalized byte knows the original byte range it came from, so any span found in the
// normalized text maps back to a span of the ORIGINAL input on code-point boundaries.
//
// A Normalizer is immutable after Create() and may be shared by any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace medaudit::text {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;  // exclusive
  uint32_t size() const { return end - begin; }
  friend bool operator==(const Span&, const Span&) = default;
};

// The normalized form of one input. Reuse one object across calls to avoid allocations.
struct NormalizedText {
  std::string text;                    // normalized UTF-8
  std::vector<uint32_t> origin_begin;  // per normalized byte: start of its source in the original
  std::vector<uint32_t> origin_end;    // per normalized byte: end of its source in the original
  uint32_t original_size = 0;

  // Maps a normalized byte range to the smallest original range that produced it.
  // An empty range maps to an empty range at the corresponding original position.
  Span ToOriginal(Span normalized) const;
};

class Normalizer {
 public:
  // Loads the ICU normalizer and builds the conversion tables. Fails with kInternal when ICU
  // data is missing.
  static Result<std::unique_ptr<Normalizer>> Create();
  ~Normalizer();

  // Precondition: input is valid UTF-8 (callers validate with utf8::FindInvalid first) and
  // shorter than 4 GiB. Overwrites *out, reusing its buffers.
  void Normalize(std::string_view input, NormalizedText* out) const;

 private:
  Normalizer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace medaudit::text
