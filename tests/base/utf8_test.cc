// utf8::FindInvalid (inline fast path) against Decode, the one definition of valid UTF-8.
#include "base/utf8.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

namespace medaudit::utf8 {
namespace {

size_t FirstInvalidByDecode(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t length = 1;
    if (Decode(text, pos, &length) == kInvalid) return pos;
    pos += length;
  }
  return text.size();
}

TEST_CASE("FindInvalid agrees with Decode", "[base][utf8]") {
  // Overlongs, surrogates, values above U+10FFFF, truncated and stray continuation bytes.
  for (const std::string bad :
       {"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80", "\xE4\xB8", "\x80", "\xFF", "\xF0\x8F\xBF\xBF"}) {
    const std::string text = "abcdefgh" + bad + "xyz";
    CHECK(FindInvalid(text) == 8);
    CHECK(FirstInvalidByDecode(text) == 8);
  }
  const std::string_view valid = "中文 العربية English \xF0\x9F\x98\x80";
  CHECK(FindInvalid(valid) == valid.size());
  std::mt19937 rng(7);
  const std::string pieces[] = {"a",
                                "abcdefgh",
                                "\xC3\xA9",
                                "\xE4\xB8\xAD",
                                "\xF0\x9F\x98\x80",
                                "\xED\x9F\xBF",
                                "\xEE\x80\x80",
                                "\x80",
                                "\xC3",
                                "\xE4\xB8",
                                "\xF4\x8F\xBF\xBF",
                                "\xF4\x90\x80\x80",
                                "\xE0\xA0\x80"};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t count = rng() % 12;
    for (size_t k = 0; k < count; ++k) text += pieces[rng() % std::size(pieces)];
    INFO("round " << round);
    REQUIRE(FindInvalid(text) == FirstInvalidByDecode(text));
  }
}

}  // namespace
}  // namespace medaudit::utf8
