// The extractor's byte-level helpers: FindLast must agree with std::string_view::rfind.
#include "extract/internal/lexical.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace {

using medaudit::extract::internal::FindLast;

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

}  // namespace
