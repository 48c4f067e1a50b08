#include "match/internal/expand.h"

#include <algorithm>
#include <limits>

#include "base/utf8.h"

namespace medaudit::match::internal {
namespace {

using Strings = std::vector<std::string>;
constexpr size_t kUnbounded = std::numeric_limits<size_t>::max();
constexpr size_t kMaxClassSize = 64;

void SortUnique(Strings* s) {
  std::sort(s->begin(), s->end());
  s->erase(std::unique(s->begin(), s->end()), s->end());
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
// ASCII whitespace as scan text sees it: all of it is the one space.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// A recursive-descent reader of the subset described in expand.h. Every method returns false when
// the expression leaves the model or the language grows past the limits.
class Expander {
 public:
  Expander(std::string_view expression, size_t max_strings, size_t max_bytes)
      : e_(expression), max_strings_(max_strings), max_bytes_(max_bytes) {}

  std::optional<Strings> Run() {
    Strings out;
    if (!Alternation(&out) || pos_ != e_.size()) return std::nullopt;
    if (out.empty() || out.front().empty()) return std::nullopt;  // never or empty matches
    return out;
  }

 private:
  bool Fits(const Strings& s) const {
    if (s.size() > max_strings_) return false;
    size_t bytes = 0;
    for (const auto& x : s) bytes += x.size();
    return bytes <= max_bytes_;
  }

  bool AtEnd() const { return pos_ >= e_.size(); }
  char Peek() const { return e_[pos_]; }

  bool Alternation(Strings* out) {
    out->clear();
    while (true) {
      Strings branch;
      if (!Sequence(&branch)) return false;
      out->insert(out->end(), branch.begin(), branch.end());
      if (!Fits(*out)) return false;
      if (AtEnd() || Peek() != '|') break;
      ++pos_;
    }
    SortUnique(out);
    return true;
  }

  bool Sequence(Strings* out) {
    *out = {""};
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      Strings atom;
      if (!Atom(&atom) || !Quantified(&atom)) return false;
      if (out->size() * atom.size() > max_strings_) return false;
      Strings next;
      next.reserve(out->size() * atom.size());
      for (const auto& a : *out) {
        for (const auto& b : atom) next.push_back(a + b);
      }
      *out = std::move(next);
      if (!Fits(*out)) return false;
    }
    return true;
  }

  bool Atom(Strings* out) {
    const char c = Peek();
    switch (c) {
      case '(':
        ++pos_;
        if (e_.substr(pos_, 2) == "?:") pos_ += 2;
        if (!Alternation(out) || AtEnd() || Peek() != ')') return false;
        ++pos_;
        return true;
      case '[':
        return Class(out);
      case '\\': {
        std::string chars;
        if (!Escape(&chars)) return false;
        for (size_t i = 0; i < chars.size();) {  // each code point is one alternative
          size_t length = 1;
          utf8::Decode(chars, i, &length);
          out->push_back(chars.substr(i, length));
          i += length;
        }
        SortUnique(out);
        return !out->empty();
      }
      case '.':
      case '*':
      case '+':
      case '?':
      case '{':
        return false;
      default:
        break;
    }
    if (IsSpace(c)) {
      if (c != ' ') return false;  // a raw tab or newline never occurs in scan text
      ++pos_;
      *out = {" "};
      return true;
    }
    size_t length = 1;
    utf8::Decode(e_, pos_, &length);
    *out = {std::string(e_.substr(pos_, length))};
    pos_ += length;
    return true;
  }

  // Reads the escape at pos_ ('\\' included) and appends the code points it stands for; \s gives
  // " ", and \t \n \r \f give nothing (they never occur in scan text).
  bool Escape(std::string* chars) {
    ++pos_;
    if (AtEnd()) return false;
    const char d = Peek();
    ++pos_;
    switch (d) {
      case 's':
        *chars += ' ';
        return true;
      case 'd':
        *chars += "0123456789";
        return true;
      case 't':
      case 'n':
      case 'r':
      case 'f':
        return true;
      case 'x': {
        char32_t cp = 0;
        if (!HexEscape(&cp)) return false;
        if (IsSpace(static_cast<char>(cp)) && cp < 0x80) {
          if (cp == ' ') *chars += ' ';
          return true;
        }
        utf8::Append(*chars, cp);
        return true;
      }
      default:
        break;
    }
    if (static_cast<unsigned char>(d) >= 0x80 || (d >= '0' && d <= '9') ||
        ((d | 0x20) >= 'a' && (d | 0x20) <= 'z')) {
      return false;  // \w, \S, \D, \b, ...: not modelled
    }
    *chars += d;
    return true;
  }

  // After "\x": HH or {H...}.
  bool HexEscape(char32_t* cp) {
    std::string_view digits;
    if (!AtEnd() && Peek() == '{') {
      const size_t close = e_.find('}', pos_);
      if (close == std::string_view::npos) return false;
      digits = e_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
    } else {
      digits = e_.substr(pos_, 2);
      pos_ += 2;
    }
    if (digits.empty() || digits.size() > 6) return false;
    uint32_t value = 0;
    for (char h : digits) {
      if (!IsHex(h)) return false;
      value = value * 16 + static_cast<uint32_t>(IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    *cp = value;
    return true;
  }

  // One class member at pos_: its code points (several for \d, none for \t \n \r \f), and
  // whether it can start or end a range (a single written character).
  bool ClassMember(std::u32string* cps, bool* rangeable) {
    cps->clear();
    *rangeable = false;
    if (Peek() == '\\') {
      const char kind = pos_ + 1 < e_.size() ? e_[pos_ + 1] : '\0';
      std::string chars;
      if (!Escape(&chars)) return false;
      for (size_t i = 0; i < chars.size();) {
        size_t length = 1;
        cps->push_back(utf8::Decode(chars, i, &length));
        i += length;
      }
      *rangeable = kind != 's' && kind != 'd' && cps->size() == 1;
      return true;
    }
    size_t length = 1;
    const char32_t cp = utf8::Decode(e_, pos_, &length);
    pos_ += length;
    *rangeable = true;
    if (cp < 0x80 && IsSpace(static_cast<char>(cp))) {
      if (cp != U' ') return false;  // a raw tab or newline never occurs in scan text
    }
    cps->push_back(cp);
    return true;
  }

  bool Class(Strings* out) {
    ++pos_;  // '['
    if (AtEnd() || Peek() == '^') return false;
    std::u32string members, low, high;
    bool first = true;
    while (!AtEnd() && (Peek() != ']' || first)) {
      first = false;
      bool low_rangeable = false;
      if (!ClassMember(&low, &low_rangeable)) return false;
      const bool range = pos_ + 1 < e_.size() && Peek() == '-' && e_[pos_ + 1] != ']';
      if (!range) {
        members += low;
      } else {
        ++pos_;  // '-'
        bool high_rangeable = false;
        if (!low_rangeable || !ClassMember(&high, &high_rangeable) || !high_rangeable ||
            high[0] < low[0] || high[0] - low[0] >= kMaxClassSize) {
          return false;
        }
        for (char32_t c = low[0]; c <= high[0]; ++c) {
          members.push_back(c < 0x80 && IsSpace(static_cast<char>(c)) ? U' ' : c);
        }
      }
      if (members.size() > kMaxClassSize) return false;
    }
    if (AtEnd()) return false;
    ++pos_;  // ']'
    out->clear();
    for (char32_t c : members) {
      std::string s;
      utf8::Append(s, c);
      out->push_back(std::move(s));
    }
    SortUnique(out);
    return !out->empty();
  }

  // Applies the quantifier at pos_ (if any) to *atom.
  bool Quantified(Strings* atom) {
    if (AtEnd()) return true;
    size_t low = 1, high = 1;
    const char q = Peek();
    if (q == '?') {
      low = 0;
    } else if (q == '*') {
      low = 0;
      high = kUnbounded;
    } else if (q == '+') {
      high = kUnbounded;
    } else if (q == '{') {
      if (!Counted(&low, &high)) return false;
    } else {
      return true;
    }
    if (q != '{') ++pos_;
    if (!AtEnd() && Peek() == '?') ++pos_;  // lazy: same language
    if (*atom == Strings{" "}) {
      // Scan text never has two spaces in a row.
      if (low >= 2) {
        atom->clear();
      } else if (low == 0) {
        *atom = {"", " "};
      }
      return true;
    }
    if (high == kUnbounded) return false;
    Strings result;
    Strings power{""};
    for (size_t k = 1; k <= high; ++k) {
      if (k - 1 >= low) result.insert(result.end(), power.begin(), power.end());
      if (power.size() * atom->size() > max_strings_) return false;
      Strings next;
      for (const auto& a : power) {
        for (const auto& b : *atom) next.push_back(a + b);
      }
      SortUnique(&next);
      power = std::move(next);
      if (!Fits(power)) return false;
    }
    if (high >= low) result.insert(result.end(), power.begin(), power.end());
    SortUnique(&result);
    *atom = std::move(result);
    return Fits(*atom);
  }

  // {n}, {n,} or {n,m} at pos_.
  bool Counted(size_t* low, size_t* high) {
    const size_t close = e_.find('}', pos_);
    if (close == std::string_view::npos) return false;
    const std::string_view body = e_.substr(pos_ + 1, close - pos_ - 1);
    const size_t comma = body.find(',');
    auto number = [](std::string_view digits, size_t* value) {
      if (digits.empty() || digits.size() > 4) return false;
      *value = 0;
      for (char c : digits) {
        if (!IsDigit(c)) return false;
        *value = *value * 10 + static_cast<size_t>(c - '0');
      }
      return true;
    };
    if (comma == std::string_view::npos) {
      if (!number(body, low)) return false;
      *high = *low;
    } else {
      if (!number(body.substr(0, comma), low)) return false;
      const std::string_view upper = body.substr(comma + 1);
      if (upper.empty()) {
        *high = kUnbounded;
      } else if (!number(upper, high) || *high < *low) {
        return false;
      }
    }
    pos_ = close + 1;
    return true;
  }

  std::string_view e_;
  size_t max_strings_;
  size_t max_bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<std::vector<std::string>> ExpandFinite(std::string_view expression,
                                                     size_t max_strings, size_t max_bytes) {
  if (expression.empty()) return std::nullopt;
  return Expander(expression, max_strings, max_bytes).Run();
}

}  // namespace medaudit::match::internal
