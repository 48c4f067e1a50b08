#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ures.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <cstring>

#include "base/utf8.h"
#include "text/internal/norm_engine.h"

namespace medaudit::text {

Span NormalizedText::ToOriginal(Span normalized) const {
  const size_t size = text.size();
  if (normalized.begin >= normalized.end) {
    const uint32_t at = normalized.begin < size ? origin_begin[normalized.begin] : original_size;
    return Span{at, at};
  }
  const uint32_t last = std::min<uint32_t>(normalized.end, static_cast<uint32_t>(size)) - 1;
  // Origins are non-decreasing, so the first byte has the smallest begin and the last the
  // largest end.
  return Span{origin_begin[std::min<size_t>(normalized.begin, last)], origin_end[last]};
}

namespace internal {
namespace {

constexpr uint32_t kOffsetMask = (1u << 22) - 1;
constexpr uint32_t kLengthShift = 22;
constexpr uint32_t kNumeralBit = 1u << 30;
constexpr uint32_t kBoundaryBit = 1u << 31;
constexpr size_t kNoNumeral = static_cast<size_t>(-1);

bool IsChineseNumeral(char32_t cp) {
  switch (cp) {
    case U'零':
    case U'〇':
    case U'一':
    case U'二':
    case U'两':
    case U'三':
    case U'四':
    case U'五':
    case U'六':
    case U'七':
    case U'八':
    case U'九':
    case U'十':
    case U'百':
    case U'千':
    case U'半':
    case U'壹':
    case U'贰':
    case U'叁':
    case U'肆':
    case U'伍':
    case U'陆':
    case U'柒':
    case U'捌':
    case U'玖':
    case U'拾':
    case U'佰':
    case U'仟':
    case U'万':
      return true;
    default:
      return false;
  }
}

// Decodes one code point of (supposedly valid) UTF-8; malformed bytes decode as U+FFFD, length 1.
inline char32_t DecodeAt(const unsigned char* s, size_t left, size_t* length) {
  const unsigned b0 = s[0];
  if (b0 >= 0xE0 && b0 < 0xF0 && left >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    const char32_t cp = ((b0 & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *length = 3;
      return cp;
    }
  } else if (b0 >= 0xC2 && b0 < 0xE0 && left >= 2 && (s[1] & 0xC0) == 0x80) {
    *length = 2;
    return ((b0 & 0x1F) << 6) | (s[1] & 0x3F);
  }
  const char32_t cp =
      utf8::Decode(std::string_view(reinterpret_cast<const char*>(s), left), 0, length);
  return cp == utf8::kInvalid ? 0xFFFD : cp;
}

// Arabic letters whose chunk with trailing harakat can skip ICU (see Normalize()).
inline bool IsArabicBaseLetter(char32_t cp) { return cp >= 0x0621 && cp <= 0x064A; }
// Harakat (ccc 27-35) that take part in no canonical composition and are removed by Fold().
inline bool IsDroppedHaraka(char32_t cp) { return (cp >= 0x064B && cp <= 0x0652) || cp == 0x0670; }

// Room for one UTF-8 encoded code point, usable with utf8::Append.
struct FixedBytes {
  char data[4];
  size_t size = 0;
  void push_back(char c) { data[size++] = c; }
};

// Traditional -> simplified from the source rules of ICU's "Hant-Hans" transliterator (read
// straight from the ICU data, which takes ~1 ms where compiling the transliterator takes ~30 ms
// and running it over the CJK block another ~15 ms). The rules are "simplified <> traditional"
// pairs ("丢↔丟;", "发←髮;", phrases, contexts); Hant-Hans runs them in reverse, so the single
// character rules with a ↔ or ← arrow map traditional to simplified, and as in ICU the first
// rule for a character wins. Returns false when the data is missing or looks wrong.
bool LoadTraditionalToSimplified(std::vector<char16_t>* t2s) {
  UErrorCode status = U_ZERO_ERROR;
  UResourceBundle* root = ures_openDirect(U_ICUDATA_NAME "-translit", "root", &status);
  if (U_FAILURE(status)) return false;
  UResourceBundle* ids = ures_getByKey(root, "RuleBasedTransliteratorIDs", nullptr, &status);
  UResourceBundle* entry = ures_getByKey(ids, "Hant-Hans", nullptr, &status);
  UResourceBundle* rules = ures_getByKey(entry, "file", nullptr, &status);
  int32_t direction_length = 0, length = 0;
  const UChar* direction = ures_getStringByKey(rules, "direction", &direction_length, &status);
  const UChar* text = ures_getStringByKey(rules, "resource", &length, &status);
  size_t mapped = 0;
  if (U_SUCCESS(status) && std::u16string_view(direction, direction_length) == u"REVERSE") {
    std::vector<bool> seen(0x10000, false);
    const std::u16string_view all(text, length);
    size_t at = 0;
    while (at < all.size()) {
      size_t semi = all.find(u';', at);
      if (semi == std::u16string_view::npos) semi = all.size();
      std::u16string_view rule = all.substr(at, semi - at);
      at = semi + 1;
      while (!rule.empty() && (rule.front() == u' ' || rule.front() == u'\t' ||
                               rule.front() == u'\n' || rule.front() == u'\r')) {
        rule.remove_prefix(1);
      }
      while (!rule.empty() && (rule.back() == u' ' || rule.back() == u'\t')) rule.remove_suffix(1);
      // Single characters only: "S↔T" or "S←T" (3 UTF-16 units, no surrogates).
      if (rule.size() != 3 || (rule[1] != u'\u2194' && rule[1] != u'\u2190')) continue;
      const char16_t simplified = rule[0], traditional = rule[2];
      if (U16_IS_SURROGATE(simplified) || U16_IS_SURROGATE(traditional)) continue;
      if (seen[traditional]) continue;
      seen[traditional] = true;
      (*t2s)[traditional] = simplified;
      ++mapped;
    }
  }
  ures_close(rules);
  ures_close(entry);
  ures_close(ids);
  ures_close(root);
  return mapped >= 1000;
}

// Fallback: run the compiled transliterator over the CJK Unified Ideographs (~45 ms).
Status TransliterateTraditionalToSimplified(std::vector<char16_t>* t2s) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> transliterator(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || transliterator == nullptr) {
    return MakeError(ErrorCode::kInternal,
                     std::string("ICU Traditional-Simplified transliterator unavailable: ") +
                         u_errorName(status));
  }
  // One character per line, so that each line's result is that character's mapping.
  constexpr char16_t kFirst = 0x4E00, kLast = 0x9FFF;
  icu::UnicodeString block;
  for (uint32_t c = kFirst; c <= kLast; ++c) {
    block.append(static_cast<char16_t>(c));
    block.append(u'\n');
  }
  transliterator->transliterate(block);
  int32_t at = 0;
  for (uint32_t c = kFirst; c <= kLast; ++c) {
    const int32_t nl = block.indexOf(u'\n', at);
    if (nl < 0) break;
    if (nl - at == 1 && !U16_IS_SURROGATE(block.charAt(at))) (*t2s)[c] = block.charAt(at);
    at = nl + 1;
  }
  return {};
}

}  // namespace

// Output buffers of one Normalize() call, written through raw pointers.
struct Writer {
  NormalizedText* t;
  char* s = nullptr;
  uint32_t* ob = nullptr;
  uint32_t* oe = nullptr;
  size_t w = 0;
  size_t cap = 0;
  size_t first_numeral = kNoNumeral;

  explicit Writer(NormalizedText* text, size_t initial) : t(text) { Resize(initial); }
  __attribute__((noinline)) void Resize(size_t new_cap) {
    cap = new_cap;
    t->text.resize(cap);
    t->origin_begin.resize(cap);
    t->origin_end.resize(cap);
    s = t->text.data();
    ob = t->origin_begin.data();
    oe = t->origin_end.data();
  }
  inline __attribute__((always_inline)) void Reserve(size_t extra) {
    if (__builtin_expect(w + extra > cap, 0)) Resize(std::max(w + extra, cap * 2));
  }
  // Appends bytes that all come from original[begin, end).
  inline __attribute__((always_inline)) void Emit(const char* bytes, size_t n, uint32_t begin,
                                                  uint32_t end) {
    Reserve(n);
    // Locals, so that the char stores cannot alias (and force reloads of) the members.
    char* const sp = s + w;
    uint32_t* const obp = ob + w;
    uint32_t* const oep = oe + w;
    for (size_t i = 0; i < n; ++i) {
      sp[i] = bytes[i];
      obp[i] = begin;
      oep[i] = end;
    }
    w += n;
  }
  void Finish() {
    t->text.resize(w);
    t->origin_begin.resize(w);
    t->origin_end.resize(w);
  }
};

char32_t NormEngine::Fold(char32_t cp) const {
  if (cp == 0x00B7) return U'-';  // middle dot: see below
  if (cp < 0x0600) return cp;
  if (cp <= 0x06FF) {
    if (cp >= 0x0660 && cp <= 0x0669) return U'0' + (cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9) return U'0' + (cp - 0x06F0);
    if ((cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640 || cp == 0x066C) return 0;
    switch (cp) {
      case 0x0622:  // آ
      case 0x0623:  // أ
      case 0x0625:  // إ
      case 0x0671:  // ٱ
      case 0x0672:
      case 0x0673:
        return 0x0627;
      case 0x0629:  // ة
        return 0x0647;
      case 0x0649:  // ى
        return 0x064A;
      case 0x060C:
        return U',';
      case 0x061B:
        return U';';
      case 0x061F:
        return U'?';
      case 0x066A:
        return U'%';
      case 0x066B:
        return U'.';
      case 0x06D4:  // Arabic full stop
        return U'.';
      default:
        return cp;
    }
  }
  if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212) return U'-';
  // Middle dots split a word as a hyphen does ("布·洛·芬", "i·b·u·p·r·o·f·e·n"); the braille blank
  // is an empty cell that shows as a space.
  if (cp == 0x2027 || cp == 0x2219 || cp == 0x22C5 || cp == 0x30FB) return U'-';
  if (cp == 0x2800) return U' ';
  // Typographic apostrophes (I’m, don’t): patterns spell the ASCII one.
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B) return U'\'';
  if (cp == 0x301C) return U'~';
  if (cp < 0x10000 && !t2s_.empty()) return t2s_[cp];
  return cp;
}

bool NormEngine::BoundaryBefore(char32_t cp) const {
  if (cp < 0x10000) return (table_[cp] & kBoundaryBit) != 0;
  return nfkc_cf_->hasBoundaryBefore(static_cast<UChar32>(cp));
}

Result<std::unique_ptr<NormEngine>> NormEngine::Create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc_cf == nullptr) {
    return MakeError(ErrorCode::kInternal,
                     std::string("ICU NFKC_Casefold data unavailable: ") + u_errorName(status));
  }
  std::unique_ptr<NormEngine> engine(new NormEngine());
  engine->nfkc_cf_ = nfkc_cf;

  engine->t2s_.resize(0x10000);
  for (uint32_t i = 0; i < 0x10000; ++i) engine->t2s_[i] = static_cast<char16_t>(i);
  if (!LoadTraditionalToSimplified(&engine->t2s_)) {
    Status fallback = TransliterateTraditionalToSimplified(&engine->t2s_);
    if (!fallback) return fallback.error();
  }
  engine->BuildTables();
  return engine;
}

void NormEngine::BuildTables() {
  table_.assign(0x10000, 0);
  pool_.clear();
  pool_.reserve(0x10000 * 3 + 4096);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString single, normalized;
  std::string utf8;
  for (char32_t cp = 0; cp < 0x10000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    uint32_t flags = nfkc_cf_->hasBoundaryBefore(static_cast<UChar32>(cp)) ? kBoundaryBit : 0;
    utf8.clear();
    auto add = [&](char32_t c) {
      const char32_t folded = Fold(c);
      if (folded == 0) return;
      if (IsChineseNumeral(folded)) flags |= kNumeralBit;
      utf8::Append(utf8, folded);
    };
    if (nfkc_cf_->isInert(static_cast<UChar32>(cp))) {
      add(cp);
    } else {
      single.setTo(static_cast<UChar32>(cp));
      status = U_ZERO_ERROR;
      nfkc_cf_->normalize(single, normalized, status);
      if (U_FAILURE(status)) normalized = single;
      for (int32_t i = 0; i < normalized.length();) {
        const UChar32 c = normalized.char32At(i);
        add(static_cast<char32_t>(c));
        i += U16_LENGTH(c);
      }
    }
    const size_t offset = pool_.size();
    pool_ += utf8;
    table_[cp] = flags | static_cast<uint32_t>(offset) |
                 (static_cast<uint32_t>(utf8.size()) << kLengthShift);
  }
}

void NormEngine::SlowChunk(std::string_view input, size_t begin, size_t end, Writer* w) const {
  char stack[512];
  icu::CheckedArrayByteSink sink(stack, sizeof(stack));
  UErrorCode status = U_ZERO_ERROR;
  const icu::StringPiece piece(input.data() + begin, static_cast<int32_t>(end - begin));
  nfkc_cf_->normalizeUTF8(0, piece, sink, nullptr, status);
  std::string heap;
  std::string_view result;
  if (U_FAILURE(status)) {
    result = input.substr(begin, end - begin);
  } else if (sink.Overflowed()) {
    icu::StringByteSink<std::string> heap_sink(&heap);
    status = U_ZERO_ERROR;
    nfkc_cf_->normalizeUTF8(0, piece, heap_sink, nullptr, status);
    result = U_FAILURE(status) ? input.substr(begin, end - begin) : std::string_view(heap);
  } else {
    result = std::string_view(stack, static_cast<size_t>(sink.NumberOfBytesWritten()));
  }
  const auto* r = reinterpret_cast<const unsigned char*>(result.data());
  for (size_t i = 0; i < result.size();) {
    size_t length;
    const char32_t folded = Fold(DecodeAt(r + i, result.size() - i, &length));
    i += length;
    if (folded == 0) continue;
    if (IsChineseNumeral(folded) && w->first_numeral == kNoNumeral) w->first_numeral = w->w;
    FixedBytes bytes;
    utf8::Append(bytes, folded);
    w->Emit(bytes.data, bytes.size, static_cast<uint32_t>(begin), static_cast<uint32_t>(end));
  }
}

void NormEngine::Normalize(std::string_view input, NormalizedText* out) const {
  const size_t n = input.size();
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  out->original_size = static_cast<uint32_t>(n);
  Writer w(out, n + n / 4 + 64);
  const char* pool = pool_.data();
  const uint32_t* table = table_.data();

  // A normalization chunk starts at a code point with a boundary before it and runs up to the
  // next such code point. Most chunks are one code point, normalized through the table; ASCII
  // code points are lowercased directly; longer chunks go through ICU (SlowChunk).
  auto chunk_end = [&](size_t next) {
    while (next < n && in[next] >= 0x80) {
      size_t length;
      const char32_t cp = DecodeAt(in + next, n - next, &length);
      if (!BoundaryBefore(cp)) {
        next += length;
        continue;
      }
      break;
    }
    return next;
  };

  size_t pos = 0;
  // The non-ASCII code point at pos when already decoded by the look-ahead (else kNone).
  constexpr char32_t kNone = 0xFFFFFFFF;
  char32_t cp = kNone;
  size_t length = 0;
  while (pos < n) {
    if (in[pos] < 0x80) {
      size_t r = pos + 1;
      while (r + 8 <= n) {
        uint64_t word;
        std::memcpy(&word, in + r, 8);
        if (word & 0x8080808080808080ULL) break;
        r += 8;
      }
      while (r < n && in[r] < 0x80) ++r;
      size_t fast = r;
      if (r < n) {
        cp = DecodeAt(in + r, n - r, &length);
        // A combining mark after the run belongs to the run's last character.
        if (!BoundaryBefore(cp)) fast = r - 1;
      }
      const size_t count = fast - pos;
      w.Reserve(count);
      char* s = w.s + w.w;
      uint32_t* ob = w.ob + w.w;
      uint32_t* oe = w.oe + w.w;
      size_t i = 0;
#ifdef __SSE2__
      {
        const __m128i before_a = _mm_set1_epi8('A' - 1), after_z = _mm_set1_epi8('Z' + 1);
        const __m128i case_bit = _mm_set1_epi8(0x20), four = _mm_set1_epi32(4);
        for (; i + 16 <= count; i += 16) {
          __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + pos + i));
          const __m128i upper =
              _mm_and_si128(_mm_cmpgt_epi8(v, before_a), _mm_cmplt_epi8(v, after_z));
          v = _mm_add_epi8(v, _mm_and_si128(upper, case_bit));
          _mm_storeu_si128(reinterpret_cast<__m128i*>(s + i), v);
          __m128i b =
              _mm_add_epi32(_mm_set1_epi32(static_cast<int>(pos + i)), _mm_setr_epi32(0, 1, 2, 3));
          for (int k = 0; k < 4; ++k) {
            _mm_storeu_si128(reinterpret_cast<__m128i*>(ob + i + 4 * k), b);
            b = _mm_add_epi32(b, _mm_set1_epi32(1));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(oe + i + 4 * k), b);
            b = _mm_add_epi32(b, _mm_sub_epi32(four, _mm_set1_epi32(1)));
          }
        }
      }
#endif
      for (; i < count; ++i) {
        const unsigned char c = in[pos + i];
        s[i] = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26u ? 32 : 0));
        ob[i] = static_cast<uint32_t>(pos + i);
        oe[i] = static_cast<uint32_t>(pos + i + 1);
      }
      w.w += count;
      pos = fast;
      if (fast < r) {
        const size_t end = chunk_end(r);
        SlowChunk(input, pos, end, &w);
        pos = end;
        cp = kNone;
      }
      continue;
    }
    if (cp == kNone) cp = DecodeAt(in + pos, n - pos, &length);
    const size_t next = pos + length;
    // Look ahead: does the next code point start a new chunk?
    char32_t next_cp = kNone;
    size_t next_length = 0;
    bool single = true;
    if (next < n && in[next] >= 0x80) {
      next_cp = DecodeAt(in + next, n - next, &next_length);
      single = BoundaryBefore(next_cp);
    }
    if (single) {
      if (cp < 0x10000) {
        const uint32_t e = table[cp];
        const size_t len = (e >> kLengthShift) & 0xFF;
        if ((e & kNumeralBit) && w.first_numeral == kNoNumeral) w.first_numeral = w.w;
        w.Emit(pool + (e & kOffsetMask), len, static_cast<uint32_t>(pos),
               static_cast<uint32_t>(next));
      } else if (nfkc_cf_->isInert(static_cast<UChar32>(cp))) {
        // Supplementary code points (emoji, Han extensions) that normalization leaves alone.
        w.Emit(input.data() + pos, length, static_cast<uint32_t>(pos), static_cast<uint32_t>(next));
      } else {
        SlowChunk(input, pos, next, &w);
      }
      pos = next;
      cp = next_cp;
      length = next_length;
      continue;
    }
    const size_t end = chunk_end(next + next_length);
    bool done = false;
    if (IsArabicBaseLetter(cp)) {
      // An Arabic letter followed only by harakat that compose with nothing: Fold() drops the
      // harakat, so the result is the letter's own table entry.
      bool harakat_only = true;
      for (size_t q = next; q < end;) {
        size_t l;
        if (!IsDroppedHaraka(DecodeAt(in + q, n - q, &l))) {
          harakat_only = false;
          break;
        }
        q += l;
      }
      if (harakat_only) {
        const uint32_t e = table[cp];
        w.Emit(pool + (e & kOffsetMask), (e >> kLengthShift) & 0xFF, static_cast<uint32_t>(pos),
               static_cast<uint32_t>(end));
        done = true;
      }
    }
    if (!done) SlowChunk(input, pos, end, &w);
    pos = end;
    cp = kNone;
  }
  w.Finish();
  if (w.first_numeral != kNoNumeral) ConvertChineseNumerals(out, w.first_numeral);
}

namespace {

// Latin letters outside ASCII that read as an ASCII one (Unicode confusables: dotless i, IPA
// letters, small capitals). NFKC leaves them alone, so "amoxıcillin" would evade the lexicon.
char LatinVariantLookAlike(char32_t cp) {
  switch (cp) {
    case 0x0131:  // ı
    case 0x0269:  // ɩ
    case 0x026A:  // ɪ
      return 'i';
    case 0x0237:  // ȷ
    case 0x1D0A:  // ᴊ
      return 'j';
    case 0x0251:  // ɑ
    case 0x1D00:  // ᴀ
      return 'a';
    case 0x0261:  // ɡ
      return 'g';
    case 0x0138:  // ĸ
    case 0x1D0B:  // ᴋ
      return 'k';
    case 0x01C0:  // ǀ
      return 'l';
    case 0x0274:  // ɴ
      return 'n';
    case 0x0280:  // ʀ
      return 'r';
    case 0x028F:  // ʏ
      return 'y';
    case 0x1D04:  // ᴄ
      return 'c';
    case 0x1D05:  // ᴅ
      return 'd';
    case 0x1D07:  // ᴇ
      return 'e';
    case 0x1D0D:  // ᴍ
      return 'm';
    case 0x1D0F:  // ᴏ
      return 'o';
    case 0x1D18:  // ᴘ
      return 'p';
    case 0x1D1B:  // ᴛ
      return 't';
    case 0x1D1C:  // ᴜ
      return 'u';
    case 0x1D20:  // ᴠ
      return 'v';
    case 0x1D21:  // ᴡ
      return 'w';
    case 0x1D22:  // ᴢ
      return 'z';
    default:
      return 0;
  }
}

// Cyrillic, Greek and Armenian letters (and the Latin variants above) that look like Latin ones
// (after case folding), for the homoglyph fold below.
char LatinLookAlike(char32_t cp) {
  switch (cp) {
    case 0x0430:
      return 'a';  // а
    case 0x0435:
      return 'e';  // е
    case 0x043E:
      return 'o';  // о
    case 0x0440:
      return 'p';  // р
    case 0x0441:
      return 'c';  // с
    case 0x0443:
      return 'y';  // у
    case 0x0445:
      return 'x';  // х
    case 0x0456:
      return 'i';  // і
    case 0x0458:
      return 'j';  // ј
    case 0x0455:
      return 's';  // ѕ
    case 0x043A:
      return 'k';  // к
    case 0x043C:
      return 'm';  // м
    case 0x043D:
      return 'h';  // н (looks like H)
    case 0x0442:
      return 't';  // т
    case 0x0432:
      return 'b';  // в
    case 0x03BF:
      return 'o';  // ο
    case 0x03B1:
      return 'a';  // α
    case 0x03B5:
      return 'e';  // ε
    case 0x03B9:
      return 'i';  // ι
    case 0x03BA:
      return 'k';  // κ
    case 0x03BD:
      return 'v';  // ν
    case 0x03C1:
      return 'p';  // ρ
    case 0x03C4:
      return 't';  // τ
    case 0x03C5:
      return 'u';  // υ
    case 0x03C7:
      return 'x';  // χ
    case 0x04CF:
      return 'l';  // ӏ (palochka)
    case 0x0501:
      return 'd';  // ԁ
    case 0x051B:
      return 'q';  // ԛ
    case 0x051D:
      return 'w';  // ԝ
    case 0x0585:
      return 'o';  // օ (Armenian)
    case 0x057D:
      return 'u';  // ս (Armenian)
    default:
      return LatinVariantLookAlike(cp);
  }
}

// Taiwan/Hong Kong drug-name characters that ICU's one-to-one Traditional-Simplified table keeps:
// 醯 (acyl: 對乙醯氨基酚 = 对乙酰氨基酚) and 錠/锭 (tablet: 氯雷他定錠 = 氯雷他定片).
char32_t SimplifiedDrugCharacter(char32_t cp) {
  switch (cp) {
    case 0x91AF:
      return 0x9170;  // 醯 -> 酰
    case 0x9320:
    case 0x952D:
      return 0x7247;  // 錠, 锭 -> 片
    default:
      return 0;
  }
}

bool IsAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }

// What a code point is to the look-alike fold. Other values are the ASCII letter it reads as.
constexpr char kNotInWord = 0;   // ends a word: space, digit, punctuation, Han, Arabic, ...
constexpr char kMark = 1;        // combining mark: dropped inside a Latin word
constexpr char kForeign = 2;     // Greek, Cyrillic, Armenian or Cherokee letter with no Latin twin
constexpr char kLatinOther = 3;  // Latin letter with no ASCII reading (ø, ł, æ): kept as it is

bool IsFoldLetter(char kind) { return kind >= 'a' && kind <= 'z'; }

// The ASCII letter that Unicode's confusables data (UTS #39, through ICU's spoof checker) reads
// a single code point as: its skeleton is one Latin letter.
char SkeletonLetter(const USpoofChecker* checker, UChar32 cp) {
  if (checker == nullptr) return 0;
  UChar in[2], out[8];
  int32_t n = 0;
  U16_APPEND_UNSAFE(in, n, cp);
  UErrorCode status = U_ZERO_ERROR;
  const int32_t m = uspoof_getSkeleton(checker, 0, in, n, out, 8, &status);
  if (U_FAILURE(status) || m != 1 || out[0] >= 0x80) return 0;
  const char c = static_cast<char>(out[0] | 0x20);
  return IsAsciiLetter(c) ? c : 0;
}

// Per BMP code point, what it is inside a Latin word (see the constants above). The letters come
// from data, not from a hand list: the UTS #39 skeleton of the letter or of its case fold (the
// Greek capital Β and the Cyrillic В read as b although the lower-case β and в do not), else the
// canonical decomposition (í = i + a mark), else the small list above. Built once, on first use.
const std::vector<char>& LookAlikeTable() {
  static const std::vector<char> table = [] {
    std::vector<char> t(0x10000, kNotInWord);
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* checker = uspoof_open(&status);
    if (U_FAILURE(status)) checker = nullptr;
    status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) nfd = nullptr;
    struct Block {
      char32_t first, last;
      bool latin;
    };
    static constexpr Block kBlocks[] = {
        {0x00C0, 0x024F, true},  {0x0250, 0x02AF, true},  {0x0370, 0x03FF, false},
        {0x0400, 0x052F, false}, {0x0530, 0x058F, false}, {0x13A0, 0x13FF, false},
        {0x1D00, 0x1DBF, true},  {0x1E00, 0x1EFF, true},  {0xA640, 0xA69F, false},
        {0xA720, 0xA7FF, true},  {0xAB30, 0xAB6F, true},
    };
    icu::UnicodeString decomposition;
    for (const Block& block : kBlocks) {
      for (char32_t cp = block.first; cp <= block.last; ++cp) {
        const auto c = static_cast<UChar32>(cp);
        if (!u_isalpha(c)) continue;
        char latin = SkeletonLetter(checker, c);
        // The skeleton of a capital I is l (they look alike); a capital that looks like I
        // (Greek Ι, Cyrillic І) is an i once the word is case-folded.
        if (latin == 'l' && u_isupper(c)) latin = 'i';
        if (latin == 0) latin = SkeletonLetter(checker, u_foldCase(c, U_FOLD_CASE_DEFAULT));
        if (latin == 0 && nfd != nullptr && nfd->getDecomposition(c, decomposition) &&
            decomposition.length() >= 2 && decomposition.charAt(0) < 0x80) {
          bool marks_only = true;
          for (int32_t i = 1; i < decomposition.length(); ++i) {
            marks_only = marks_only && u_charType(decomposition.charAt(i)) == U_NON_SPACING_MARK;
          }
          const char base = static_cast<char>(decomposition.charAt(0) | 0x20);
          if (marks_only && IsAsciiLetter(base)) latin = base;
        }
        if (latin == 0) latin = LatinLookAlike(cp);
        t[cp] = latin != 0 ? latin : block.latin ? kLatinOther : kForeign;
      }
    }
    static constexpr char32_t kMarkBlocks[][2] = {
        {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x20D0, 0x20FF}, {0xFE20, 0xFE2F}};
    for (const auto& range : kMarkBlocks) {
      for (char32_t cp = range[0]; cp <= range[1]; ++cp) {
        const int8_t type = u_charType(static_cast<UChar32>(cp));
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) t[cp] = kMark;
      }
    }
    if (checker != nullptr) uspoof_close(checker);
    return t;
  }();
  return table;
}

// The kind (see above) of the normalized code point at text[pos], and its length. An ASCII
// letter is its own kind. When `original` is given and the code point came from exactly one
// original code point, that one is read (the capital Β before case folding made it β).
char KindAt(const NormalizedText& out, std::string_view original, size_t pos, size_t* length) {
  const std::string& text = out.text;
  const auto b = static_cast<unsigned char>(text[pos]);
  *length = 1;
  if (b < 0x80) return IsAsciiLetter(static_cast<char>(b)) ? static_cast<char>(b) : kNotInWord;
  const char32_t cp = utf8::Decode(text, pos, length);
  if (cp == utf8::kInvalid || cp >= 0x10000) return kNotInWord;
  const std::vector<char>& table = LookAlikeTable();
  char kind = table[cp];
  // A mark is never read through its source: the dot of İ (i + U+0307 after case folding) would
  // read as a second i.
  if (kind != kNotInWord && kind != kMark && !original.empty()) {
    const uint32_t from = out.origin_begin[pos], to = out.origin_end[pos + *length - 1];
    size_t original_length = 1;
    const char32_t source =
        from < original.size() ? utf8::Decode(original, from, &original_length) : utf8::kInvalid;
    if (source != utf8::kInvalid && source < 0x10000 && from + original_length == to &&
        IsFoldLetter(table[source])) {
      kind = table[source];
    }
  }
  return kind;
}

// Folds the word text[begin, end) when it is a Latin word with look-alike letters or marks: it has
// an ASCII letter, at least 3 letters (so that unit symbols such as μg stay as they are), no
// letter of another script that has no Latin twin (real Cyrillic or Greek text stays), and
// something to fold. Appends the result (folded or not) to the output buffers.
struct FoldBuffers {
  std::string& text;
  std::vector<uint32_t>& begin;
  std::vector<uint32_t>& end;
  void Copy(const NormalizedText& out, size_t from, size_t to) {
    text.append(out.text, from, to - from);
    begin.insert(begin.end(), out.origin_begin.begin() + from, out.origin_begin.begin() + to);
    end.insert(end.end(), out.origin_end.begin() + from, out.origin_end.begin() + to);
  }
};

void FoldWord(const NormalizedText& out, std::string_view original, size_t word_begin,
              size_t word_end, FoldBuffers* buffers) {
  size_t letters = 0;
  bool ascii = false, fold = false, foreign = false;
  for (size_t pos = word_begin; pos < word_end;) {
    size_t length = 1;
    const char kind = KindAt(out, original, pos, &length);
    const bool is_ascii = length == 1 && IsAsciiLetter(out.text[pos]);
    ascii = ascii || is_ascii;
    fold = fold || (!is_ascii && (IsFoldLetter(kind) || kind == kMark));
    foreign = foreign || kind == kForeign;
    if (kind != kMark) ++letters;
    pos += length;
  }
  if (!ascii || !fold || foreign || letters < 3) {
    buffers->Copy(out, word_begin, word_end);
    return;
  }
  for (size_t pos = word_begin; pos < word_end;) {
    size_t length = 1;
    const char kind = KindAt(out, original, pos, &length);
    if (length == 1 || kind == kLatinOther) {
      buffers->Copy(out, pos, pos + length);
    } else if (kind == kMark) {
      // The letter before keeps the mark's bytes, so spans still cover the whole original word.
      if (buffers->end.size() > 0) {
        buffers->end.back() = std::max(buffers->end.back(), out.origin_end[pos + length - 1]);
      }
    } else {
      buffers->text.push_back(kind);
      buffers->begin.push_back(out.origin_begin[pos]);
      buffers->end.push_back(out.origin_end[pos + length - 1]);
    }
    pos += length;
  }
}

// Whether the code point starting with the lead byte at text[i] may make FoldHomoglyphs change
// something: a Taiwan drug character, or a letter of the look-alikes' blocks in a word that also
// has an ASCII letter.
bool FoldsAt(std::string_view text, size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  // Lead byte 0xE9 starts U+9000-U+9FFF, common Han: of it only 醯 (E9 86 AF), 錠 (E9 8C A0) and
  // 锭 (E9 94 AD) fold, so most of it is rejected without decoding.
  if (s[i] == 0xE9) {
    if (i + 1 < text.size() && s[i + 1] != 0x86 && s[i + 1] != 0x8C && s[i + 1] != 0x94) {
      return false;
    }
    size_t length = 1;
    const char32_t cp = utf8::Decode(text, i, &length);
    return cp != utf8::kInvalid && SimplifiedDrugCharacter(cp) != 0;
  }
  const std::vector<char>& table = LookAlikeTable();
  auto kind_at = [&](size_t pos, size_t* length) -> char {
    *length = 1;
    if (s[pos] < 0x80) return IsAsciiLetter(static_cast<char>(s[pos])) ? 'a' : kNotInWord;
    const char32_t cp = utf8::Decode(text, pos, length);
    return cp == utf8::kInvalid || cp >= 0x10000 ? kNotInWord : table[cp];
  };
  size_t length = 1;
  if (kind_at(i, &length) == kNotInWord) return false;
  // Look for an ASCII letter in the same word, both ways.
  for (size_t pos = i + length; pos < text.size();) {
    const char kind = kind_at(pos, &length);
    if (kind == kNotInWord) break;
    if (s[pos] < 0x80) return true;
    pos += length;
  }
  for (size_t pos = i; pos > 0;) {
    size_t start = pos - 1;
    while (start > 0 && (s[start] & 0xC0) == 0x80) --start;
    const char kind = kind_at(start, &length);
    if (kind == kNotInWord) break;
    if (s[start] < 0x80) return true;
    pos = start;
  }
  return false;
}

// Lead bytes of the look-alikes' blocks (Latin-1 letters to Armenian: 0xC3-0xD6; Cherokee, small
// capitals, Latin Extended Additional: 0xE1; Latin Extended-D/E, Cyrillic Extended-B: 0xEA) and
// of 醯錠锭 (0xE9). No continuation byte is among them.
constexpr std::array<bool, 256> kFoldLead = [] {
  std::array<bool, 256> lead{};
  for (int b = 0xC3; b <= 0xD6; ++b) lead[b] = true;
  for (int b : {0xE1, 0xE9, 0xEA}) lead[b] = true;
  return lead;
}();

#ifdef __SSE2__
// 0xFF in each byte of v within [low, low + span].
inline __m128i InRange(__m128i v, unsigned char low, unsigned char span) {
  const __m128i offset = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(low)));
  return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(static_cast<char>(span))), offset);
}

// Bit k set when kFoldLead marks p[k].
inline uint32_t FoldLeadMask(const unsigned char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto eq = [&v](unsigned char c) {
    return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c)));
  };
  const __m128i singles = _mm_or_si128(eq(0xE1), _mm_or_si128(eq(0xE9), eq(0xEA)));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_or_si128(InRange(v, 0xC3, 0xD6 - 0xC3), singles)));
}
#endif

// True when FoldHomoglyphs may change something. Looks only at the lead bytes of the blocks
// above, 16 bytes at a time, so the usual text (all Chinese, all Arabic, plain English) costs a
// few instructions per block and no allocation.
bool MayFoldHomoglyphs(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
#ifdef __SSE2__
  for (; i + 16 <= n; i += 16) {
    for (uint32_t mask = FoldLeadMask(s + i); mask != 0; mask &= mask - 1) {
      if (FoldsAt(text, i + static_cast<size_t>(__builtin_ctz(mask)))) return true;
    }
  }
#endif
  for (; i < n; ++i) {
    if (kFoldLead[s[i]] && FoldsAt(text, i)) return true;
  }
  return false;
}

}  // namespace

// "аmoxicillin" with a Cyrillic а, "ΙΒUPROFEN" with Greek capitals, "íbúprofén" with accents
// evade a Latin lexicon. In a word that also has ASCII letters, every look-alike letter is folded
// to its Latin twin and combining marks are dropped; whole Cyrillic or Greek words are left as
// they are. Offsets keep pointing at the original letters.
void FoldHomoglyphs(NormalizedText* out, std::string_view original, bool skip_precheck) {
  const std::string& text = out->text;
  if (!skip_precheck && !MayFoldHomoglyphs(text)) return;
  // Swapped with *out below, so buffers circulate between calls instead of being allocated.
  thread_local std::string folded;
  thread_local std::vector<uint32_t> begin, end;
  folded.clear();
  begin.clear();
  end.clear();
  FoldBuffers buffers{folded, begin, end};
  size_t pos = 0;
  while (pos < text.size()) {
    size_t length = 1;
    const char kind = KindAt(*out, original, pos, &length);
    if (kind != kNotInWord) {
      size_t word_end = pos + length;
      while (word_end < text.size()) {
        size_t next = 1;
        if (KindAt(*out, original, word_end, &next) == kNotInWord) break;
        word_end += next;
      }
      FoldWord(*out, original, pos, word_end, &buffers);
      pos = word_end;
      continue;
    }
    const char32_t cp = length == 1 ? 0 : utf8::Decode(text, pos, &length);
    const char32_t simplified = cp == utf8::kInvalid ? 0 : SimplifiedDrugCharacter(cp);
    if (simplified != 0) {  // both are 3-byte characters: offsets carry over byte by byte
      utf8::Append(folded, simplified);
      begin.insert(begin.end(), out->origin_begin.begin() + pos,
                   out->origin_begin.begin() + pos + length);
      end.insert(end.end(), out->origin_end.begin() + pos, out->origin_end.begin() + pos + length);
    } else {
      buffers.Copy(*out, pos, pos + length);
    }
    pos += length;
  }
  out->text.swap(folded);
  out->origin_begin.swap(begin);
  out->origin_end.swap(end);
}

namespace {

bool IsHan(char32_t cp) { return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF); }
bool IsArabicLetterCp(char32_t cp) { return cp >= 0x0621 && cp <= 0x064A; }
bool IsSingleLetter(char32_t cp) { return (cp >= 'a' && cp <= 'z') || IsArabicLetterCp(cp); }
bool IsSpellingSeparator(char32_t cp) {
  return cp == ' ' || cp == '-' || cp == '.' || cp == '_' || cp == '*' || cp == '/';
}
char32_t CodePointBefore(std::string_view text, size_t end, size_t* begin);
char32_t CodePointAt(std::string_view text, size_t pos, size_t* length);
bool IsSeparatorByte(char32_t cp) { return IsSpellingSeparator(cp) || cp == '\t'; }
// A spelled-out word may put up to this many separators between its letters ("i. b. u", "a - b").
constexpr size_t kMaxSeparators = 3;

// Whether the separators text[p, q) between the Han characters `prev` (starting at prev_begin)
// and `next` (ending at next_end) hide one word: one space, tab, hyphen, underscore or asterisk
// ("阿莫 西林", Chinese puts no spaces between words); a few spaces or tabs; or a dot or slash in a
// chain of single characters ("布.洛.芬", "布/洛/芬"; one dot between two characters ends a
// sentence).
bool JoinsHan(std::string_view text, size_t prev_begin, size_t p, size_t q, size_t next_end) {
  const char c = text[p];
  if (q == p + 1 && (c == ' ' || c == '-' || c == '_' || c == '*' || c == '\t')) return true;
  bool spaces = true;
  for (size_t k = p; k < q; ++k) spaces = spaces && (text[k] == ' ' || text[k] == '\t');
  if (spaces) return true;
  if (q != p + 1 || (c != '.' && c != '/')) return false;
  size_t unused = 0, length = 0;
  if (next_end < text.size() && text[next_end] == c &&
      IsHan(CodePointAt(text, next_end + 1, &length))) {
    return true;
  }
  return prev_begin >= 1 && text[prev_begin - 1] == c &&
         IsHan(CodePointBefore(text, prev_begin - 1, &unused));
}

// Two spellings that hide a drug name from the lexicon: spaces between Chinese characters
// ("阿莫 西林"; Chinese does not put spaces between words) and a word spelled out letter by letter
// ("a-m-o-x-i-c-i-l-l-i-n", "أ م و ك س ي"). Both are joined; offsets keep pointing at the letters.
std::vector<uint32_t>& ThreadRun() {
  thread_local std::vector<uint32_t> run;
  return run;
}

// The code point that ends right before byte `end` (0 at the start of the text).
char32_t CodePointBefore(std::string_view text, size_t end, size_t* begin) {
  if (end == 0) return 0;
  size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  size_t length = 1;
  const char32_t cp = utf8::Decode(text, start, &length);
  *begin = start;
  return start + length == end ? cp : utf8::kInvalid;
}

char32_t CodePointAt(std::string_view text, size_t pos, size_t* length) {
  *length = 1;
  if (pos >= text.size()) return 0;
  const auto b = static_cast<unsigned char>(text[pos]);
  return b < 0x80 ? b : utf8::Decode(text, pos, length);
}

#ifdef __SSE2__
// 0xFF in each byte of v that is an ASCII lower-case letter (normalized text has no upper case).
inline __m128i LowerLetters(__m128i v) {
  const __m128i offset = _mm_sub_epi8(v, _mm_set1_epi8('a'));
  return _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(25)), offset);
}
#endif

// Calls f(p) for every byte p of text that may be a separator (' ' '-' '_' '*' '.' '/' or '\t'),
// in order: 16 bytes at a time, so Chinese or Arabic text without separators costs little.
// Separators right after two ASCII letters (the end of an ordinary word, most separators of Latin
// text) may be skipped: f treats them as ending any run, which the next candidate does as well.
template <class F>
void ForEachSeparatorCandidate(std::string_view text, F&& f) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
#ifdef __SSE2__
  for (; i < 2 && i < n; ++i) {
    const unsigned char c = bytes[i];
    if (c == ' ' || c == '-' || c == '_' || c == '*' || c == '.' || c == '/' || c == '\t') f(i);
  }
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
    // Written out: a loop over a list of bytes was not unrolled and rebuilt each constant.
    const auto eq = [&v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    __m128i any =
        _mm_or_si128(_mm_or_si128(_mm_or_si128(eq(' '), eq('-')), eq('/')),
                     _mm_or_si128(_mm_or_si128(eq('_'), eq('*')), _mm_or_si128(eq('.'), eq('\t'))));
    const __m128i after_word = _mm_and_si128(
        LowerLetters(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i - 1))),
        LowerLetters(_mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i - 2))));
    any = _mm_andnot_si128(after_word, any);
    for (auto mask = static_cast<uint32_t>(_mm_movemask_epi8(any)); mask != 0; mask &= mask - 1) {
      f(i + static_cast<size_t>(__builtin_ctz(mask)));
    }
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = bytes[i];
    if (c == ' ' || c == '-' || c == '_' || c == '*' || c == '.' || c == '/' || c == '\t') f(i);
  }
}

// The separators JoinSplitWords drops, as byte offsets in ascending order. Every separator is one
// ASCII byte, so only those bytes are visited: a text without spaced Chinese or spelled-out words
// costs one byte loop and no allocation. Same result as JoinSplitWordsReference below.
void FindSplitWordSeparators(std::string_view text, std::vector<uint32_t>* drops) {
  constexpr size_t kMinSpelledLetters = 4;
  drops->clear();
  std::vector<uint32_t>& run = ThreadRun();  // separators of the current spelled-out run
  run.clear();
  size_t letters = 0;  // standing-alone letters of the current run
  size_t run_end = 0;  // byte just after the run's last letter
  auto close_run = [&] {
    if (letters >= kMinSpelledLetters) drops->insert(drops->end(), run.begin(), run.end());
    run.clear();
    letters = 0;
  };
  auto standing_alone = [&](char32_t cp, size_t begin,
                            size_t end) {  // a letter between non-letters
    size_t unused = 0, length = 0;
    return IsSingleLetter(cp) && !IsSingleLetter(CodePointBefore(text, begin, &unused)) &&
           !IsSingleLetter(CodePointAt(text, end, &length));
  };
  size_t consumed = 0;  // separators before this byte belong to a sequence already read
  ForEachSeparatorCandidate(text, [&](size_t p) {
    if (p < consumed) return;
    const char c = text[p];
    // Most separators of Latin text follow a word: after two ASCII letters the letter before the
    // separator does not stand alone, no run continues and no Han character is involved. (Most
    // such separators are skipped by ForEachSeparatorCandidate; this catches the rest.)
    if (p >= 2 && IsAsciiLetter(text[p - 1]) && IsAsciiLetter(text[p - 2])) {
      if (c != '\t') close_run();
      return;
    }
    size_t q = p + 1;  // the separator sequence is text[p, q)
    while (q < text.size() && q - p < kMaxSeparators && IsSeparatorByte(text[q])) ++q;
    consumed = q;
    bool spelling = true;
    for (size_t k = p; k < q; ++k) spelling = spelling && text[k] != '\t';
    size_t prev_begin = 0, next_length = 0;
    const char32_t prev = CodePointBefore(text, p, &prev_begin);
    const char32_t next = CodePointAt(text, q, &next_length);
    if (IsHan(prev) && IsHan(next) && JoinsHan(text, prev_begin, p, q, q + next_length)) {
      close_run();
      for (size_t k = p; k < q; ++k) drops->push_back(static_cast<uint32_t>(k));
      return;
    }
    if (!spelling) {
      close_run();
      return;
    }
    if (!(run_end == p && letters > 0)) {  // not continuing a run: may start one at prev
      close_run();
      if (!standing_alone(prev, prev_begin, p)) return;
      letters = 1;
    }
    if (!IsSingleLetter(next)) {
      close_run();
      return;
    }
    for (size_t k = p; k < q; ++k) run.push_back(static_cast<uint32_t>(k));
    if (standing_alone(next, q, q + next_length)) {
      ++letters;
      run_end = q + next_length;
    } else {
      close_run();  // "a m o x icillin": the run ends at a word, its separator included
    }
  });
  close_run();
}

}  // namespace

void JoinSplitWords(NormalizedText* out) {
  thread_local std::vector<uint32_t> drops;
  FindSplitWordSeparators(out->text, &drops);
  if (drops.empty()) return;
  const std::string& text = out->text;
  // Swapped with *out below, so buffers circulate between calls instead of being allocated.
  thread_local std::string joined;
  thread_local std::vector<uint32_t> begin, end;
  joined.clear();
  begin.clear();
  end.clear();
  size_t from = 0;
  for (size_t k = 0; k <= drops.size(); ++k) {
    const size_t to = k < drops.size() ? drops[k] : text.size();
    joined.append(text, from, to - from);
    begin.insert(begin.end(), out->origin_begin.begin() + from, out->origin_begin.begin() + to);
    end.insert(end.end(), out->origin_end.begin() + from, out->origin_end.begin() + to);
    from = to + 1;
  }
  out->text.swap(joined);
  out->origin_begin.swap(begin);
  out->origin_end.swap(end);
}

// The straightforward version (one record per code point), kept as the reference the tests hold
// JoinSplitWords to.
void JoinSplitWordsReference(NormalizedText* out) {
  const std::string& text = out->text;
  struct CodePoint {
    char32_t cp;
    size_t pos, length;
  };
  std::vector<CodePoint> cps;
  cps.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    size_t length = 1;
    const char32_t cp = utf8::Decode(text, pos, &length);
    cps.push_back({cp, pos, length});
    pos += length;
  }
  std::vector<bool> drop(cps.size(), false);
  bool any = false;
  for (size_t i = 1; i + 1 < cps.size(); ++i) {
    if (!IsHan(cps[i - 1].cp) || !IsSeparatorByte(cps[i].cp) || IsSeparatorByte(cps[i - 1].cp)) {
      continue;
    }
    size_t k = i;
    while (k < cps.size() && k - i < kMaxSeparators && IsSeparatorByte(cps[k].cp)) ++k;
    if (k < cps.size() && IsHan(cps[k].cp) &&
        JoinsHan(text, cps[i - 1].pos, cps[i].pos, cps[k].pos, cps[k].pos + cps[k].length)) {
      for (size_t d = i; d < k; ++d) drop[d] = any = true;
    }
  }
  constexpr size_t kMinSpelledLetters = 4;
  for (size_t i = 0; i < cps.size();) {
    // A run letter (sep letter)+ where each letter stands alone.
    const bool starts = IsSingleLetter(cps[i].cp) && (i == 0 || !IsSingleLetter(cps[i - 1].cp));
    size_t j = i, letters = 0;
    if (starts) {
      while (j < cps.size() && IsSingleLetter(cps[j].cp) &&
             (j + 1 >= cps.size() || !IsSingleLetter(cps[j + 1].cp))) {
        ++letters;
        size_t k = j + 1;
        while (k < cps.size() && k - (j + 1) < kMaxSeparators && IsSpellingSeparator(cps[k].cp)) {
          ++k;
        }
        if (k > j + 1 && k < cps.size() && IsSingleLetter(cps[k].cp)) {
          j = k;
        } else {
          ++j;
          break;
        }
      }
    }
    if (letters >= kMinSpelledLetters) {
      for (size_t k = i; k < j; ++k) {
        if (IsSpellingSeparator(cps[k].cp)) drop[k] = any = true;
      }
      i = j;
    } else {
      i = starts ? std::max(j, i + 1) : i + 1;
    }
  }
  if (!any) return;
  std::string joined;
  std::vector<uint32_t> begin, end;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (drop[i]) continue;
    joined.append(text, cps[i].pos, cps[i].length);
    for (size_t k = cps[i].pos; k < cps[i].pos + cps[i].length; ++k) {
      begin.push_back(out->origin_begin[k]);
      end.push_back(out->origin_end[k]);
    }
  }
  out->text.swap(joined);
  out->origin_begin.swap(begin);
  out->origin_end.swap(end);
}

std::string NormEngine::NormalizeReference(std::string_view input) const {
  UErrorCode status = U_ZERO_ERROR;
  std::string icu_out;
  icu::StringByteSink<std::string> sink(&icu_out);
  nfkc_cf_->normalizeUTF8(0, icu::StringPiece(input.data(), static_cast<int32_t>(input.size())),
                          sink, nullptr, status);
  NormalizedText text;
  for (size_t i = 0; i < icu_out.size();) {
    size_t length;
    const char32_t folded = Fold(utf8::Decode(icu_out, i, &length));
    i += length;
    if (folded != 0) utf8::Append(text.text, folded);
  }
  text.origin_begin.assign(text.text.size(), 0);
  text.origin_end.assign(text.text.size(), static_cast<uint32_t>(input.size()));
  text.original_size = static_cast<uint32_t>(input.size());
  ConvertChineseNumerals(&text, 0);
  FoldHomoglyphs(&text, {}, /*skip_precheck=*/true);
  JoinSplitWordsReference(&text);
  return text.text;
}

}  // namespace internal

struct Normalizer::Impl {
  std::unique_ptr<internal::NormEngine> engine;
};

Normalizer::Normalizer() : impl_(std::make_unique<Impl>()) {}
Normalizer::~Normalizer() = default;

Result<std::unique_ptr<Normalizer>> Normalizer::Create() {
  auto engine = internal::NormEngine::Create();
  if (!engine) return engine.error();
  std::unique_ptr<Normalizer> normalizer(new Normalizer());
  normalizer->impl_->engine = std::move(*engine);
  return normalizer;
}

void Normalizer::Normalize(std::string_view input, NormalizedText* out) const {
  impl_->engine->Normalize(input, out);
  internal::FoldHomoglyphs(out, input);
  internal::JoinSplitWords(out);
}

}  // namespace medaudit::text
