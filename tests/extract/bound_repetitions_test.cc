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
  CHECK(BoundRepetitions("a\\\\s*") == "a\\\\s{0,8}");  // the s repeats, bounded as one character
  // Inside a bracket expression "\\s*" is two members of the class (space or '*'), not a
  // repetition: the class still matches the "**" of Markdown bold.
  CHECK(BoundRepetitions("x[\\s*:\\-]*y") == "x[\\s*:\\-]{0,32}y");
  CHECK(BoundRepetitions("[]\\s*]\\s*") == "[]\\s*]\\s{0,4}");
  CHECK(RE2::FullMatch("x** :y", RE2(BoundRepetitions("x[\\s*:\\-]*y"))));
  // The bounded number still reads the numbers answers write.
  const RE2 number(BoundRepetitions("[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?"));
  for (const char* text : {"4", "0.5", "1,000", "12,500.75", "1,000,000,000,000"}) {
    INFO(text);
    CHECK(RE2::FullMatch(text, number));
  }
}

TEST_CASE("BoundRepetitions bounds every other open repeat", "[extract][grammar]") {
  // A class repeat is a word: at most 32 characters; a group or single character: at most 8.
  CHECK(BoundRepetitions("[a-z']+ing") == "[a-z']{1,32}ing");
  CHECK(BoundRepetitions("(?:[a-z]{2,}\\s+){0,2}") == "(?:[a-z]{2,34}\\s{1,4}){0,2}");
  CHECK(BoundRepetitions("(?:\\s|\\*|,|-)*x") == "(?:\\s|\\*|,|-){0,8}x");
  CHECK(BoundRepetitions("\\**\\s*push") == "\\*{0,8}\\s{0,4}push");
  CHECK(BoundRepetitions("um+|uh+") == "um{1,8}|uh{1,8}");
  CHECK(BoundRepetitions("[\\x{0621}-\\x{064a}]{3,}") == "[\\x{0621}-\\x{064a}]{3,35}");
  // Bounded repeats, lazy marks and escapes stay as they are.
  CHECK(BoundRepetitions("a{1,3}b{2}c??\\x{4e00}") == "a{1,3}b{2}c??\\x{4e00}");
  CHECK(BoundRepetitions("a*?b") == "a{0,8}?b");
  // Every rewritten pattern still parses and matches what it matched.
  const RE2 word(BoundRepetitions("(?:[a-z]{2,}\\s+){0,2}[a-z]{3,}\\s*[0-9]+\\s*g"));
  REQUIRE(word.ok());
  CHECK(RE2::FullMatch("dried ginger root 30 g", word));
}

}  // namespace
