#include "text/segment.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <memory>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace medaudit::text {
namespace {

using namespace std::string_view_literals;

// Tokens that end with a period without ending a sentence (lower case, as normalized).
constexpr std::array kAbbreviations = {
    "e.g"sv, "i.e"sv,    "dr"sv,   "mr"sv,  "mrs"sv,   "ms"sv,    "prof"sv,  "vs"sv,  "mg"sv,
    "mcg"sv, "tab"sv,    "tabs"sv, "cap"sv, "caps"sv,  "no"sv,    "nos"sv,   "rp"sv,  "sig"sv,
    "st"sv,  "approx"sv, "fig"sv,  "ref"sv, "b.i.d"sv, "t.i.d"sv, "q.i.d"sv, "q.d"sv, "q.o.d"sv,
    "p.o"sv, "p.r.n"sv,  "a.c"sv,  "p.c"sv, "h.s"sv,   "i.v"sv,   "i.m"sv,   "s.c"sv, "u.s"sv,
    "inj"sv, "sol"sv,    "susp"sv, "max"sv, "min"sv,   "hrs"sv,   "wk"sv,    "wks"sv,
};

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
inline bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
inline bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
inline bool IsCloser(unsigned char c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}';
}

// Length of the line break at text[i], or 0: \n, \r, \v, \f, U+0085, U+2028, U+2029.
inline size_t LineBreakAt(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) return 2;
  if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xA8) {
    return 3;
  }
  return 0;
}

// Length of a non-ASCII sentence terminator at text[i], or 0: 。 ！ ？ ； ｡ ؟ ۔ (the full-width and
// Arabic forms only occur when the text was not normalized).
inline size_t WideTerminatorAt(std::string_view text, size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + i;
  const size_t left = text.size() - i;
  switch (s[0]) {
    case 0xD8:  // U+061F ؟
      return left >= 2 && s[1] == 0x9F ? 2 : 0;
    case 0xDB:  // U+06D4 ۔
      return left >= 2 && s[1] == 0x94 ? 2 : 0;
    case 0xE3:  // U+3002 。
      return left >= 3 && s[1] == 0x80 && s[2] == 0x82 ? 3 : 0;
    case 0xEF:  // U+FF01 ！ U+FF1B ； U+FF1F ？ U+FF61 ｡
      if (left < 3) return 0;
      if (s[1] == 0xBC && (s[2] == 0x81 || s[2] == 0x9B || s[2] == 0x9F)) return 3;
      return s[1] == 0xBD && s[2] == 0xA1 ? 3 : 0;
    default:
      return 0;
  }
}

// Length of a closing quote or bracket at text[i] that belongs to the preceding sentence end.
inline size_t CloserAt(std::string_view text, size_t i) {
  if (IsCloser(static_cast<unsigned char>(text[i]))) return 1;
  static constexpr std::array kWide = {"”"sv, "’"sv, "」"sv, "』"sv, "）"sv, "》"sv, "】"sv};
  for (std::string_view t : kWide) {
    if (text.substr(i, t.size()) == t) return t.size();
  }
  return 0;
}

// Length of the symbol ending at text[end] when it is one that lists use as a bullet: arrows,
// dingbats, geometric shapes and other symbols (U+2190-U+2BFF: ✅ ✔ ▶ ➡ ★), emoji (U+1F000-U+1FAFF:
// 👉 🔹 💊); else 0.
size_t BulletSymbolBefore(std::string_view text, size_t start, size_t end) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  if (end >= start + 3 && s[end - 3] == 0xE2 && s[end - 2] >= 0x86 && s[end - 2] <= 0xAF) {
    return 3;
  }
  if (end >= start + 4 && s[end - 4] == 0xF0 && s[end - 3] == 0x9F) return 4;
  return 0;
}

// True when the token ending at text[i] (exclusive) is only digits or one letter and nothing but
// spaces and bullets stand between it and the sentence start: "1. take", "a) ...", "✅ 2. …" list
// numbering.
bool IsListNumber(std::string_view text, size_t sentence_start, size_t i) {
  size_t b = i;
  while (b > sentence_start && text[b - 1] >= '0' && text[b - 1] <= '9') --b;
  if (b == i) {
    if (b > sentence_start && IsAsciiLetter(static_cast<unsigned char>(text[b - 1]))) --b;
    if (b == i) return false;
    if (b > sentence_start && IsAsciiAlnum(static_cast<unsigned char>(text[b - 1]))) return false;
  } else if (i - b > 3) {
    return false;
  }
  // Before the number, spaces and bullets: "- 1.", "✅ 1.", "👉 2.". Not markdown emphasis or
  // heading marks: "**3. Schedule …**" is a heading, and its words must not run into the
  // sentence before it.
  while (b > sentence_start) {
    const auto c = static_cast<unsigned char>(text[b - 1]);
    if (c == ' ' || c == '\t' || c == '-' || c == '+') {
      --b;
      continue;
    }
    const size_t symbol = BulletSymbolBefore(text, sentence_start, b);
    if (symbol == 0) break;
    b -= symbol;
  }
  return b == sentence_start;
}

// "… works out to about 180 mg. With the suspension you have, give her 9 ml": a mass unit after
// a number ends its sentence when the next word can only open a new one (a pronoun, an article,
// an imperative, a connective). Prescription shorthand ("500 mg. 1 cap t.i.d.", "250 mg. p.o.")
// goes on with a number or an abbreviation and keeps its sentence. The text is case-folded, so
// the next word's capital cannot tell.
bool AmountEndsSentence(std::string_view text, size_t unit_begin, size_t dot) {
  const std::string_view unit = text.substr(unit_begin, dot - unit_begin);
  if (unit != "mg" && unit != "mcg") return false;
  size_t n = unit_begin;
  while (n > 0 && text[n - 1] == ' ') --n;
  if (n == 0 || text[n - 1] < '0' || text[n - 1] > '9') return false;
  size_t w = dot + 1;
  if (w >= text.size() || text[w] != ' ') return false;
  while (w < text.size() && text[w] == ' ') ++w;
  size_t end = w;
  while (end < text.size() &&
         (IsAsciiLetter(static_cast<unsigned char>(text[end])) || text[end] == '\'')) {
    ++end;
  }
  if (end < text.size() && text[end] == '.') return false;  // "p.o.", "b.i.d."
  // ("once", "at", "in" and "and" go on as often as they open: "500 mg. once daily", "200 mg. at
  // night", "500 mg. in the morning".)
  static constexpr std::string_view kOpeners[] = {
      "a",     "after",    "always", "an",    "ask",    "because", "but",   "call",
      "check", "continue", "do",     "don't", "give",   "he",      "her",   "his",
      "i",     "if",       "it",     "it's",  "keep",   "make",    "never", "please",
      "she",   "since",    "so",     "start", "stop",   "take",    "that",  "that's",
      "the",   "then",     "these",  "they",  "this",   "those",   "use",   "we",
      "what",  "when",     "with",   "you",   "you'll", "you're",  "your"};
  const std::string_view word = text.substr(w, end - w);
  return std::find(std::begin(kOpeners), std::end(kOpeners), word) != std::end(kOpeners);
}

// Whether the '.' at text[i] ends a sentence.
bool DotEndsSentence(std::string_view text, size_t sentence_start, size_t i) {
  if (i + 1 < text.size()) {
    const auto next = static_cast<unsigned char>(text[i + 1]);
    // 0.5, e.g, www.example.com, "i.e.,": a period inside a token ends nothing.
    if (next < 0x80 && !IsAsciiSpace(next) && !IsCloser(next) && next != '.' && next != '!' &&
        next != '?' && next != ';') {
      return false;
    }
  }
  size_t b = i;
  while (b > sentence_start &&
         (IsAsciiLetter(static_cast<unsigned char>(text[b - 1])) || text[b - 1] == '.')) {
    --b;
  }
  constexpr size_t kLongestAbbreviation = 6;  // "approx"
  if (b < i && i - b <= kLongestAbbreviation &&
      (b == 0 || static_cast<unsigned char>(text[b - 1]) < 0x80)) {
    const std::string_view token = text.substr(b, i - b);
    for (std::string_view abbreviation : kAbbreviations) {
      if (token == abbreviation) return AmountEndsSentence(text, b, i);
    }
  }
  return !IsListNumber(text, sentence_start, i);
}

void Push(std::string_view text, size_t begin, size_t end, std::vector<Span>* out) {
  auto is_space = [&](size_t at, bool backward) -> size_t {
    if (backward) {
      if (at == 0) return 0;
      const auto c = static_cast<unsigned char>(text[at - 1]);
      if (IsAsciiSpace(c)) return 1;
      if (at >= 2 && c == 0xA0 && static_cast<unsigned char>(text[at - 2]) == 0xC2) return 2;
      if (at >= 3 && text.substr(at - 3, 3) == "\u3000"sv) return 3;
      return 0;
    }
    const auto c = static_cast<unsigned char>(text[at]);
    if (IsAsciiSpace(c)) return 1;
    if (text.substr(at, 2) == "\u00a0"sv) return 2;
    if (text.substr(at, 3) == "\u3000"sv) return 3;
    return 0;
  };
  while (begin < end) {
    const size_t k = is_space(begin, false);
    if (k == 0) break;
    begin += k;
  }
  while (end > begin) {
    const size_t k = is_space(end, true);
    if (k == 0) break;
    end -= k;
  }
  if (begin < end) out->push_back(Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
}

// Bytes that may start a sentence boundary: . ! ? ; line breaks, and the lead bytes of U+0085,
// U+061F, U+06D4, U+2028/2029, U+3002 and the full-width forms U+FF01/FF1B/FF1F/FF61.
constexpr std::array<bool, 256> kInteresting = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'.', '!', '?', ';', '\n', '\r', '\v', '\f'}) t[c] = true;
  for (unsigned char c : {0xC2, 0xD8, 0xDB, 0xE2, 0xE3, 0xEF}) t[c] = true;
  return t;
}();

// The bytes kInteresting marks, left to right, sixteen bytes at a time: most bytes of a text are
// letters, and Latin text has a candidate only every few dozen bytes. The mask of the last block
// is kept, so text with candidates every few bytes (Chinese punctuation, decimal points) has each
// block classified once, not once per candidate.
class Candidates {
 public:
  Candidates(const unsigned char* s, size_t n) : s_(s), n_(n) {}

  // The first marked byte at or after i, or n.
  size_t Next(size_t i) {
#ifdef __SSE2__
    if (has_block_ && i >= block_ && i < block_ + 16) {
      if (const uint32_t rest = mask_ >> (i - block_)) {
        return i + static_cast<size_t>(__builtin_ctz(rest));
      }
      i = block_ + 16;
    }
    for (; i + 16 <= n_; i += 16) {
      block_ = i;
      has_block_ = true;
      mask_ = Classify(s_ + i);
      if (mask_ != 0) return i + static_cast<size_t>(__builtin_ctz(mask_));
    }
#endif
    while (i < n_ && !kInteresting[s_[i]]) ++i;
    return i;
  }

 private:
#ifdef __SSE2__
  // Bit k set when kInteresting marks p[k].
  static uint32_t Classify(const unsigned char* p) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // \n \v \f \r are 0x0A..0x0D: one unsigned range test (v - 0x0A <= 3).
    const __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8(0x0A));
    const __m128i breaks = _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8(3)), shifted);
    // Written out rather than looped over a list: the loop was not unrolled, and rebuilding each
    // constant per block cost more than the comparisons.
    const auto eq = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const __m128i ascii =
        _mm_or_si128(_mm_or_si128(eq('.'), eq('!')), _mm_or_si128(eq('?'), eq(';')));
    const __m128i lead2 = _mm_or_si128(eq('\xC2'), _mm_or_si128(eq('\xD8'), eq('\xDB')));
    const __m128i lead3 = _mm_or_si128(eq('\xE2'), _mm_or_si128(eq('\xE3'), eq('\xEF')));
    const __m128i any = _mm_or_si128(_mm_or_si128(breaks, ascii), _mm_or_si128(lead2, lead3));
    return static_cast<uint32_t>(_mm_movemask_epi8(any));
  }
#endif

  const unsigned char* s_;
  size_t n_;
  size_t block_ = 0;  // start of the last classified block
  bool has_block_ = false;
  uint32_t mask_ = 0;  // its marked bytes
};

}  // namespace

void SplitSentences(std::string_view text, std::vector<Span>* out) {
  out->clear();
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t start = 0;
  size_t i = 0;
  Candidates candidates(s, n);
  while (true) {
    i = candidates.Next(i);
    if (i >= n) break;
    if (const size_t br = LineBreakAt(text, i)) {
      Push(text, start, i, out);
      i += br;
      start = i;
      continue;
    }
    const unsigned char c = s[i];
    size_t term = 0;
    if (c == '!' || c == '?' || c == ';') {
      term = 1;
    } else if (c == '.') {
      term = DotEndsSentence(text, start, i) ? 1 : 0;
    } else {
      term = WideTerminatorAt(text, i);
    }
    if (term == 0) {
      ++i;
      continue;
    }
    // Take further terminators ("?!", "...") and closing quotes into this sentence.
    size_t j = i + term;
    while (j < n) {
      const auto d = s[j];
      if (d == '.' || d == '!' || d == '?' || d == ';') {
        ++j;
      } else if (const size_t k = d >= 0x80 ? WideTerminatorAt(text, j) : 0) {
        j += k;
      } else if (const size_t k2 = CloserAt(text, j)) {
        j += k2;
      } else {
        break;
      }
    }
    Push(text, start, j, out);
    start = i = j;
  }
  Push(text, start, n, out);
}

std::vector<Span> SplitWords(std::string_view normalized, Lang lang) {
  std::vector<Span> words;
  const int index = static_cast<int>(lang);
  thread_local std::unique_ptr<icu::BreakIterator> cache[4];
  UErrorCode status = U_ZERO_ERROR;
  if (!cache[index]) {
    const char* locale = lang == Lang::kZh   ? "zh"
                         : lang == Lang::kEn ? "en"
                         : lang == Lang::kAr ? "ar"
                                             : "";
    cache[index].reset(icu::BreakIterator::createWordInstance(icu::Locale(locale), status));
    if (U_FAILURE(status) || !cache[index]) {
      cache[index].reset();
      return words;
    }
  }
  icu::BreakIterator* it = cache[index].get();
  UText* ut =
      utext_openUTF8(nullptr, normalized.data(), static_cast<int64_t>(normalized.size()), &status);
  if (U_FAILURE(status)) return words;
  it->setText(ut, status);
  if (U_SUCCESS(status)) {
    int32_t begin = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; begin = end, end = it->next()) {
      if (it->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) {
        words.push_back(Span{static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
      }
    }
  }
  // Detach the iterator from the UText before closing it.
  icu::UnicodeString empty;
  it->setText(empty);
  utext_close(ut);
  return words;
}

}  // namespace medaudit::text
