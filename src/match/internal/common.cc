#include "match/internal/common.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>

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
    if ((!latin_boundary || (StartOk(text, s) && EndOk(text, e))) && SplitsNoNumber(text, s, e)) {
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

// The fingerprint's byte stream, hashed in blocks of a fixed buffer: an SHA-256 update per field
// cost more than the hashing itself, and one buffer for the whole stream was megabytes of fresh
// heap touched at every start-up (issue 2). The digest is that of the concatenated stream.
class FingerprintStream {
 public:
  // A field: its decimal length, ':', its bytes.
  void Field(std::string_view value) {
    Decimal(value.size());
    Append(":");
    Append(value);
  }
  void NumberField(size_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    Field(std::string_view(digits, static_cast<size_t>(end - digits)));
  }
  std::string FinishHex() {
    sha_.Update(std::string_view(buffer_, used_));
    return sha_.FinishHex();
  }

 private:
  static constexpr size_t kBlock = size_t{64} << 10;

  void Decimal(size_t value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    Append(std::string_view(digits, static_cast<size_t>(end - digits)));
  }
  void Append(std::string_view bytes) {
    while (used_ + bytes.size() > kBlock) {
      const size_t room = kBlock - used_;
      std::memcpy(buffer_ + used_, bytes.data(), room);
      sha_.Update(std::string_view(buffer_, kBlock));
      used_ = 0;
      bytes.remove_prefix(room);
    }
    std::memcpy(buffer_ + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
  }

  Sha256 sha_;
  char buffer_[kBlock];
  size_t used_ = 0;
};

}  // namespace

std::string Fingerprint(std::string_view engine_name, std::string_view engine_version,
                        const std::vector<PatternSpec>& specs) {
  auto stream = std::make_unique<FingerprintStream>();
  stream->Field(kFormatVersion);
  stream->Field(engine_name);
  stream->Field(engine_version);
  stream->NumberField(specs.size());
  for (const PatternSpec& spec : specs) {
    stream->NumberField(spec.id);
    const char kind[2] = {spec.literal ? 'L' : 'R', spec.latin_boundary ? 'B' : '-'};
    stream->Field(std::string_view(kind, 2));
    stream->Field(spec.expression);
  }
  return stream->FinishHex();
}

}  // namespace medaudit::match::internal
