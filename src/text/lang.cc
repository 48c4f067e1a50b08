#include "text/lang.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "base/utf8.h"

namespace medaudit::text {

std::string_view LangName(Lang lang) {
  switch (lang) {
    case Lang::kZh:
      return "zh";
    case Lang::kEn:
      return "en";
    case Lang::kAr:
      return "ar";
    case Lang::kUnknown:
      break;
  }
  return "und";
}

Lang ParseLang(std::string_view name) {
  // Accepts "zh", "ZH", "zh-CN", "zh_Hant_TW", ...: only the primary subtag matters.
  const size_t cut = name.find_first_of("-_");
  const std::string_view primary = name.substr(0, cut);
  if (primary.size() != 2) return Lang::kUnknown;
  const char a = static_cast<char>(primary[0] | 0x20);
  const char b = static_cast<char>(primary[1] | 0x20);
  if (a == 'z' && b == 'h') return Lang::kZh;
  if (a == 'e' && b == 'n') return Lang::kEn;
  if (a == 'a' && b == 'r') return Lang::kAr;
  return Lang::kUnknown;
}

namespace {

bool IsHan(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

bool IsArabic(char32_t cp) {
  return (cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3) ||
         (cp >= 0x06FA && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
         (cp >= 0x08A0 && cp <= 0x08C9) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFC);
}

bool IsLatinLetter(char32_t cp) {
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
         (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A);
}

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// ASCII letters among 8 ASCII bytes: (byte | 0x20) in 'a'..'z'. Adding 0x1F sets a byte's high
// bit from 'a' (0x61) up, adding 0x05 from '{' (0x7B) up; bytes below 0x80 never carry over.
int AsciiLetters(uint64_t word) {
  const uint64_t lower = word | (kOnes * 0x20);
  const uint64_t from_a = (lower + kOnes * 0x1F) & kHighBits;
  const uint64_t past_z = (lower + kOnes * 0x05) & kHighBits;
  // One high bit per letter: gather them into the top byte by multiplication.
  return static_cast<int>((((from_a & ~past_z) >> 7) * kOnes) >> 56);
}

}  // namespace

Lang DetectLang(std::string_view text) {
  uint64_t han = 0, arabic = 0, latin = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    if (pos + 8 <= text.size()) {  // 8 ASCII bytes at a time
      uint64_t word;
      std::memcpy(&word, text.data() + pos, 8);
      if ((word & kHighBits) == 0) {
        latin += AsciiLetters(word);
        pos += 8;
        continue;
      }
    }
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      latin += static_cast<unsigned>(static_cast<unsigned>((byte | 0x20) - 'a') < 26u);
      ++pos;
      continue;
    }
    char32_t cp;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + pos;
    const size_t left = text.size() - pos;
    // Lead bytes E5-E9 with two continuation bytes are U+5000-U+9FFF: all Han.
    if (byte >= 0xE5 && byte <= 0xE9 && left >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
      ++han;
      pos += 3;
      continue;
    }
    if (byte >= 0xE0 && byte < 0xF0 && left >= 3) {
      cp = ((byte & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
      pos += 3;
    } else if (byte >= 0xC0 && byte < 0xE0 && left >= 2) {
      cp = ((byte & 0x1F) << 6) | (s[1] & 0x3F);
      pos += 2;
    } else {
      size_t length;
      cp = utf8::Decode(text, pos, &length);
      pos += length;
      if (cp == utf8::kInvalid) continue;
    }
    if (IsHan(cp)) {
      ++han;
    } else if (IsArabic(cp)) {
      ++arabic;
    } else if (IsLatinLetter(cp)) {
      ++latin;
    }
  }
  han *= 3;
  if (han == 0 && arabic == 0 && latin == 0) return Lang::kUnknown;
  if (han >= arabic && han >= latin) return Lang::kZh;
  if (arabic >= latin) return Lang::kAr;
  return Lang::kEn;
}

}  // namespace medaudit::text
