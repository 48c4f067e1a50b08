// Minimal UTF-8 helpers used on the hot path (validation and decoding without allocation).
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace medaudit::utf8 {

inline constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one code point at text[pos]; sets *length to the bytes used (>= 1).
// Returns kInvalid (length 1) for malformed, overlong, surrogate or out-of-range sequences.
char32_t Decode(std::string_view text, size_t pos, size_t* length);

// Byte offset of the first invalid sequence, or text.size() when the whole text is valid UTF-8.
size_t FindInvalid(std::string_view text);

inline bool IsValid(std::string_view text) { return FindInvalid(text) == text.size(); }

// Appends the UTF-8 encoding of cp (which must be a valid scalar value).
template <class String>
void Append(String& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// True when byte offset pos starts a code point (or is text.size()).
inline bool IsBoundary(std::string_view text, size_t pos) {
  return pos >= text.size() || (static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80;
}

}  // namespace medaudit::utf8
