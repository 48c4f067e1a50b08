// BoundRepetitions (extract/grammar.h): every repetition rule authors write unbounded gets a small
// bound, so that the scanner confirms a pattern's hit in a short window.
#include <re2/re2.h>

#include <catch2/catch.hpp>

#include "extract/grammar.h"

namespace {

using medaudit::extract::BoundRepetitions;

TEST_CASE("BoundRepetitions bounds spaces, digit runs and thousands groups", "[extract][grammar]") {
  CHECK(BoundRepetitions("take\\s+[0-9]+\\s*mg") == "take\\s{1,4}[0-9]{1,9}\\s{0,4}mg");
  CHECK(BoundRepetitions("[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?") ==
        "[0-9]{1,9}(?:,[0-9]{3}){0,4}(?:\\.[0-9]{1,9})?");
  // An escaped backslash before "s*" is a literal backslash, not \s.
  CHECK(BoundRepetitions("a\\\\s*") == "a\\\\s*");
  // Inside a bracket expression "\\s*" is two members of the class (space or '*'), not a
  // repetition: the class still matches the "**" of Markdown bold.
  CHECK(BoundRepetitions("x[\\s*:\\-]*y") == "x[\\s*:\\-]*y");
  CHECK(BoundRepetitions("[]\\s*]\\s*") == "[]\\s*]\\s{0,4}");
  CHECK(RE2::FullMatch("x** :y", RE2(BoundRepetitions("x[\\s*:\\-]*y"))));
  // The bounded number still reads the numbers answers write.
  const RE2 number(BoundRepetitions("[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?"));
  for (const char* text : {"4", "0.5", "1,000", "12,500.75", "1,000,000,000,000"}) {
    INFO(text);
    CHECK(RE2::FullMatch(text, number));
  }
}

}  // namespace
