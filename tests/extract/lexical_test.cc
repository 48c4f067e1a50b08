// The extractor's byte-level helpers: FindLast must agree with std::string_view::rfind; the line
// around a byte (bounded on long lines); bold heading lines; English herb amounts that name no
// ingredient.
#include "extract/internal/lexical.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace {

using medaudit::extract::Token;
using medaudit::extract::TokenKind;
using medaudit::extract::internal::BulletSymbolSize;
using medaudit::extract::internal::FindLast;
using medaudit::extract::internal::IsBoldLine;
using medaudit::extract::internal::kLineWindow;
using medaudit::extract::internal::LineBegin;
using medaudit::extract::internal::LineEnd;
using medaudit::extract::internal::NamelessAmount;
using medaudit::extract::internal::WordsBegin;

// The words of a one-line text past its list markup and bullets.
std::string_view Words(std::string_view line) {
  const uint32_t at = WordsBegin(line, {0, static_cast<uint32_t>(line.size())});
  return line.substr(at);
}

// Whether `hit`, found at the start of `text`, is a herb amount that names no ingredient.
bool Nameless(std::string_view text, std::string_view hit) {
  Token t;
  t.kind = TokenKind::kHerbAmount;
  t.span = {0, static_cast<uint32_t>(hit.size())};
  return NamelessAmount(text, t);
}

TEST_CASE("FindLast finds the last occurrence as rfind does", "[extract][lexical]") {
  const std::string text = "a, b; c, d：“e”，f，";
  for (std::string_view needle :
       {",", ";", "：", "，", "“", " - ", "x", "d", "a, b", "f，", "", "，，"}) {
    INFO("needle: " << needle);
    CHECK(FindLast(text, needle) == std::string_view(text).rfind(needle));
  }
  CHECK(FindLast("", ",") == std::string_view::npos);
  CHECK(FindLast(",,,", ",,") == 1);  // overlapping occurrences: the last start
}

TEST_CASE("LineBegin and LineEnd bound the line around a byte", "[extract][lexical]") {
  const std::string text = "ab\ncd\n\nef";
  for (size_t at = 0; at <= text.size(); ++at) {
    INFO("at " << at);
    const size_t newline_before = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
    const size_t newline_after = text.find('\n', at);
    CHECK(LineBegin(text, at) == (newline_before == std::string::npos ? 0 : newline_before + 1));
    CHECK(LineEnd(text, at) == (newline_after == std::string::npos ? text.size() : newline_after));
  }
  // A line longer than the window is read as the window on each side of the byte.
  const std::string long_line = "x\n" + std::string(3 * kLineWindow, 'a') + "\ny";
  const size_t middle = 2 + kLineWindow + kLineWindow / 2;
  CHECK(LineBegin(long_line, middle) == middle - kLineWindow);
  CHECK(LineEnd(long_line, middle) == middle + kLineWindow);
  CHECK(LineBegin(long_line, 10) == 2);
  CHECK(LineEnd(long_line, long_line.size() - 10) == long_line.size() - 2);
}

TEST_CASE("IsBoldLine: a line that is all bold", "[extract][lexical]") {
  CHECK(IsBoldLine("**退热用药安排**"));
  CHECK(IsBoldLine("  **Your plan** "));
  CHECK_FALSE(IsBoldLine("**Note:** take it with food"));
  CHECK_FALSE(IsBoldLine("**a** and **b**"));
  CHECK_FALSE(IsBoldLine("****"));
}

TEST_CASE("NamelessAmount: a quantity word before the number names no herb", "[extract][lexical]") {
  CHECK(Nameless("approximately 6 teaspoons of added sugar", "approximately 6 teaspoons"));
  CHECK(Nameless("dissolve 1 teaspoon of salt in water", "dissolve 1 teaspoon"));
  CHECK_FALSE(Nameless("peppermint leaf 1 tsp + fennel", "peppermint leaf 1 tsp"));
  // The ingredient may follow: "about 10 g (a thumb-sized piece) of ginger".
  CHECK_FALSE(Nameless("about 10 g (a thumb-sized piece) of ginger", "about 10 g"));
  CHECK_FALSE(Nameless("roughly 10 g) of fresh ginger", "roughly 10 g"));
  // Amounts written number first are not judged here.
  CHECK_FALSE(Nameless("1 tsp turmeric", "1 tsp turmeric"));
}

}  // namespace

TEST_CASE("WordsBegin: emoji, arrow and keycap bullets are list markup", "[extract][lexical]") {
  CHECK(Words("👉 give 2 mg once") == "give 2 mg once");
  CHECK(Words("➡ 每天2次,用3天") == "每天2次,用3天");
  CHECK(Words("1⃣ ٤ نقط بالاذن") == "٤ نقط بالاذن");
  CHECK(Words("▪ بابونج") == "بابونج");
  CHECK(Words("- ✅ 每次5ml") == "每次5ml");
  CHECK(Words("• take it") == "take it");
  CHECK(Words("👨‍👩‍👧 everyone") == "everyone");
  CHECK(Words("take it") == "take it");
  CHECK(Words("“quoted” text") == "“quoted” text");  // quotation marks are words' punctuation
  CHECK(Words("💊") == "");
  CHECK(BulletSymbolSize("—", 0) == 0);  // a dash is no bullet symbol
  CHECK(BulletSymbolSize("💊", 2) == 0);  // a cut sequence is none either
}
