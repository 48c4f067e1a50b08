#include "match/internal/common.h"

#include <algorithm>
#include <cstring>

#include "base/sha256.h"
#include "base/utf8.h"

namespace medaudit::match::internal {
namespace {

bool IsAsciiAlnum(unsigned char c) { return IsAsciiLetter(c) || (c >= '0' && c <= '9'); }
bool IsHex(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

Error PatternError(uint32_t id, std::string_view problem) {
  return MakeError(ErrorCode::kPatternError,
                   "pattern " + std::to_string(id) + ": " + std::string(problem));
}

size_t NextCodePoint(std::string_view text, size_t pos) {
  ++pos;
  while (pos < text.size() && !utf8::IsBoundary(text, pos)) ++pos;
  return pos;
}

}  // namespace

Result<std::string> CanonicalRegex(std::string_view expr) {
  auto fail = [](std::string message) { return MakeError(ErrorCode::kPatternError, message); };
  if (expr.empty()) return fail("empty expression");
  std::string out;
  out.reserve(expr.size() + 16);
  bool in_class = false;
  size_t class_start = 0;  // index in expr just after "[" or "[^"
  size_t i = 0;
  while (i < expr.size()) {
    const unsigned char c = static_cast<unsigned char>(expr[i]);
    if (c == '\\') {
      if (i + 1 >= expr.size()) return fail("trailing backslash");
      const unsigned char d = static_cast<unsigned char>(expr[i + 1]);
      switch (d) {
        case 'd':
        case 'D':
        case 'w':
        case 'W':
        case 't':
        case 'n':
        case 'r':
        case 'f':
          out += '\\';
          out += static_cast<char>(d);
          i += 2;
          continue;
        case 's':
          out += in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
          i += 2;
          continue;
        case 'S':
          if (in_class) return fail("\\S inside a character class is not supported");
          out += "[^\\t\\n\\f\\r ]";
          i += 2;
          continue;
        case 'x': {
          size_t j = i + 2;
          if (j < expr.size() && expr[j] == '{') {
            size_t k = j + 1;
            while (k < expr.size() && IsHex(static_cast<unsigned char>(expr[k]))) ++k;
            if (k == j + 1 || k >= expr.size() || expr[k] != '}' || k - j - 1 > 6) {
              return fail("malformed \\x{...} escape");
            }
            out.append(expr.substr(i, k + 1 - i));
            i = k + 1;
          } else {
            if (j + 2 > expr.size() || !IsHex(static_cast<unsigned char>(expr[j])) ||
                !IsHex(static_cast<unsigned char>(expr[j + 1]))) {
              return fail("malformed \\x escape (use \\xHH or \\x{H...})");
            }
            out.append(expr.substr(i, 4));
            i += 4;
          }
          continue;
        }
        case 'b':
        case 'B':
          return fail("word boundary \\" + std::string(1, static_cast<char>(d)) +
                      " is not supported (use the latin_boundary flag)");
        case 'A':
        case 'z':
        case 'Z':
        case 'G':
          return fail("anchor \\" + std::string(1, static_cast<char>(d)) +
                      " is not supported (matching is unanchored)");
        case 'p':
        case 'P':
          return fail("Unicode property classes (\\p, \\P) are not supported");
        default:
          break;
      }
      if (d >= '0' && d <= '9') return fail("backreferences and octal escapes are not supported");
      if (d >= 0x80 || IsAsciiAlnum(d)) {
        return fail("unsupported escape \\" + std::string(1, static_cast<char>(d)));
      }
      if (d < 0x20) return fail("escaped control character");
      out += '\\';
      out += static_cast<char>(d);
      i += 2;
      continue;
    }
    if (in_class) {
      if (c == ']' && i != class_start) {
        in_class = false;
      } else if (c == '[') {
        if (i + 1 < expr.size() &&
            (expr[i + 1] == ':' || expr[i + 1] == '=' || expr[i + 1] == '.')) {
          return fail("POSIX bracket expressions ([:...:]) are not supported");
        }
      }
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    switch (c) {
      case '[':
        in_class = true;
        out += '[';
        ++i;
        if (i < expr.size() && expr[i] == '^') {
          out += '^';
          ++i;
        }
        class_start = i;
        continue;
      case '^':
      case '$':
        return fail(std::string("anchor ") + static_cast<char>(c) +
                    " is not supported (matching is unanchored)");
      case '(':
        if (i + 1 < expr.size() && expr[i + 1] == '?') {
          if (i + 2 < expr.size() && expr[i + 2] == ':') break;
          if (i + 2 < expr.size() && (expr[i + 2] == '=' || expr[i + 2] == '!')) {
            return fail("lookahead is not supported");
          }
          if (i + 3 < expr.size() && expr[i + 2] == '<' &&
              (expr[i + 3] == '=' || expr[i + 3] == '!')) {
            return fail("lookbehind is not supported");
          }
          return fail("inline flags and named groups ((?...) other than (?:) are not supported");
        }
        break;
      default:
        break;
    }
    out += static_cast<char>(c);
    ++i;
  }
  if (in_class) return fail("unterminated character class");
  return out;
}

RE2::Options Re2Options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(true);
  options.set_longest_match(true);
  options.set_log_errors(false);
  return options;
}

Result<std::unique_ptr<RE2>> CheckSpec(const PatternSpec& spec, size_t max_expression_bytes) {
  if (spec.expression.empty()) return PatternError(spec.id, "empty expression");
  if (spec.expression.size() > max_expression_bytes) {
    return PatternError(spec.id, "expression is " + std::to_string(spec.expression.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(max_expression_bytes));
  }
  if (!utf8::IsValid(spec.expression)) return PatternError(spec.id, "expression is not UTF-8");
  if (spec.literal) return std::unique_ptr<RE2>();
  auto canonical = CanonicalRegex(spec.expression);
  if (!canonical) return PatternError(spec.id, canonical.error().message);
  auto re = std::make_unique<RE2>(*canonical, Re2Options());
  if (!re->ok()) return PatternError(spec.id, "re2: " + re->error());
  if (RE2::FullMatch("", *re)) return PatternError(spec.id, "expression matches the empty string");
  return re;
}

void FindExactRe2(const RE2& re, std::string_view text, size_t begin, size_t end,
                  bool latin_boundary, uint32_t id, std::vector<Hit>* hits) {
  re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece m;
  size_t pos = begin;
  while (pos < end) {
    if (!re.Match(whole, pos, end, RE2::UNANCHORED, &m, 1)) break;
    const size_t s = static_cast<size_t>(m.data() - text.data());
    size_t e = s + m.size();
    if (e == s) {  // cannot happen: empty-matching patterns are rejected
      pos = NextCodePoint(text, s);
      continue;
    }
    if (!latin_boundary) {
      hits->push_back(Hit{id, static_cast<uint32_t>(s), static_cast<uint32_t>(e)});
      pos = e;
      continue;
    }
    bool found = false;
    if (StartOk(text, s)) {
      // Longest match at s whose end passes the check: shrink the end through the match ends.
      while (true) {
        if (EndOk(text, e)) {
          found = true;
          break;
        }
        if (e <= s + 1 || !re.Match(whole, s, e - 1, RE2::ANCHOR_START, &m, 1)) break;
        e = s + m.size();
        if (e == s) break;
      }
    }
    if (found) {
      hits->push_back(Hit{id, static_cast<uint32_t>(s), static_cast<uint32_t>(e)});
      pos = e;
    } else {
      pos = NextCodePoint(text, s);
    }
  }
}

void FindExactLiteral(std::string_view literal, std::string_view text, bool latin_boundary,
                      uint32_t id, std::vector<Hit>* hits) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t s = text.find(literal, pos);
    if (s == std::string_view::npos) break;
    const size_t e = s + literal.size();
    if (!latin_boundary || (StartOk(text, s) && EndOk(text, e))) {
      hits->push_back(Hit{id, static_cast<uint32_t>(s), static_cast<uint32_t>(e)});
      pos = e;
    } else {
      pos = s + 1;
    }
  }
}

void SortHits(std::vector<Hit>* hits) {
  std::sort(hits->begin(), hits->end(), [](const Hit& a, const Hit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.end != b.end) return a.end < b.end;
    return a.id < b.id;
  });
}

namespace {

// Offset of the first byte that is not part of a valid UTF-8 sequence (text.size() if none).
// Same acceptance as utf8::FindInvalid (no overlongs, surrogates or values above U+10FFFF), with
// an 8-bytes-at-a-time ASCII fast path; this runs on every scan.
size_t FastFindInvalid(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + length > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < length; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return n;
}

}  // namespace

namespace {

bool IsScanSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Offset of the first byte the view changes: a whitespace byte other than ' ', or a whitespace
// byte right after another; text.size() if none. Skips 8 bytes at a time while none is <= ' '
// (all of Chinese and Arabic text, much of the rest).
size_t FirstChange(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (((word - kOnes * 0x21) & ~word & kHighs) == 0) {  // no byte below 0x21
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c <= ' ' && IsScanSpace(c)) {
      if (c != ' ') return i;
      if (i + 1 < n && IsScanSpace(p[i + 1])) return i + 1;
    }
    ++i;
  }
  return n;
}

void ReplaceInvalid(std::string* text, size_t from) {
  size_t pos = from;
  while (pos < text->size()) {
    size_t length = 1;
    if (utf8::Decode(*text, pos, &length) == utf8::kInvalid) {
      for (size_t k = 0; k < length; ++k) (*text)[pos + k] = '\x1A';
    }
    pos += length;
  }
}

// Copies input into *copy with every whitespace run as one space, from `first` (a FirstChange
// offset; the bytes before it are copied as they are), and records a Gap after each run of two
// or more bytes.
void Collapse(std::string_view input, size_t first, std::string* copy,
              std::vector<ScanText::Gap>* gaps) {
  copy->assign(input.data(), first);
  const size_t n = input.size();
  size_t i = first;
  while (i < n) {
    size_t word_end = i;  // copy the bytes up to the next whitespace in one piece
    while (word_end < n && !IsScanSpace(static_cast<unsigned char>(input[word_end]))) ++word_end;
    if (word_end > i) {
      copy->append(input.data() + i, word_end - i);
      i = word_end;
      continue;
    }
    // The run may have started just before `first` (a second space): extend the kept one.
    const bool continues = !copy->empty() && copy->back() == ' ' && i > 0 &&
                           IsScanSpace(static_cast<unsigned char>(input[i - 1]));
    size_t end = i;
    while (end < n && IsScanSpace(static_cast<unsigned char>(input[end]))) ++end;
    if (!continues) copy->push_back(' ');
    if (continues || end - i >= 2) {
      gaps->push_back(
          ScanText::Gap{static_cast<uint32_t>(copy->size()), static_cast<uint32_t>(end)});
    }
    i = end;
  }
}

}  // namespace

ScanText::ScanText(std::string_view input) : view_(input) {
  thread_local std::string copy;
  thread_local std::vector<Gap> gaps;
  const size_t bad = FastFindInvalid(input);
  const size_t first = FirstChange(input);
  if (bad == input.size() && first == input.size()) return;
  gaps.clear();
  if (first < input.size()) {
    Collapse(input, first, &copy, &gaps);
    if (!gaps.empty()) gaps_ = &gaps;
  } else {
    copy.assign(input);
  }
  // Collapsing touches ASCII only; invalid sequences stay invalid and are replaced here.
  if (bad != input.size()) ReplaceInvalid(&copy, 0);
  view_ = copy;
}

uint32_t ScanText::ToInput(uint32_t view_offset) const {
  auto after = std::upper_bound(gaps_->begin(), gaps_->end(), view_offset,
                                [](uint32_t v, const Gap& gap) { return v < gap.view; });
  if (after == gaps_->begin()) return view_offset;
  const Gap& gap = after[-1];
  return gap.input + (view_offset - gap.view);
}

void ScanText::MapToInput(std::vector<Hit>* hits) const {
  if (gaps_ == nullptr) return;
  for (Hit& hit : *hits) {
    hit.begin = ToInput(hit.begin);
    hit.end = ToInput(hit.end);
  }
}

std::string ScanLiteral(std::string_view literal) {
  std::string out;
  out.reserve(literal.size());
  bool previous_space = false;
  for (const char ch : literal) {
    const bool space = IsScanSpace(static_cast<unsigned char>(ch));
    if (space && previous_space) continue;
    previous_space = space;
    out += space ? ' ' : ch;
  }
  return out;
}

std::string Fingerprint(std::string_view engine_name, std::string_view engine_version,
                        const std::vector<PatternSpec>& specs) {
  Sha256 sha;
  auto field = [&sha](std::string_view value) {
    sha.Update(std::to_string(value.size()));
    sha.Update(":");
    sha.Update(value);
  };
  field(kFormatVersion);
  field(engine_name);
  field(engine_version);
  field(std::to_string(specs.size()));
  for (const PatternSpec& spec : specs) {
    field(std::to_string(spec.id));
    field(std::string(spec.literal ? "L" : "R") + (spec.latin_boundary ? "B" : "-"));
    field(spec.expression);
  }
  return sha.FinishHex();
}

}  // namespace medaudit::match::internal
