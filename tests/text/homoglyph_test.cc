// Homoglyph folding: Cyrillic or Greek look-alike letters inside a Latin word (an evasion of the
// drug lexicon) become Latin; whole Cyrillic or Greek words stay as they are.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "text/internal/norm_engine.h"
#include "text/normalize.h"

TEST_CASE("Normalizer: look-alike letters inside Latin words fold to Latin", "[text][en]") {
  auto normalizer = medaudit::text::Normalizer::Create();
  REQUIRE(normalizer.has_value());
  medaudit::text::NormalizedText out;
  const std::string input = "Take \xD0\xB0moxicillin 500 mg";  // Cyrillic а
  (*normalizer)->Normalize(input, &out);
  CHECK(out.text == "take amoxicillin 500 mg");
  const auto span = out.ToOriginal({5, 16});
  CHECK(input.substr(span.begin, span.size()) == "\xD0\xB0moxicillin");

  (*normalizer)->Normalize("\xD0\x9B\xD0\xB5\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5", &out);
  CHECK(out.text == "\xD0\xBB\xD0\xB5\xD1\x87\xD0\xB5\xD0\xBD\xD0\xB8\xD0\xB5");  // лечение kept
  (*normalizer)
      ->Normalize(
          "ibupr\xCE\xBF"
          "fen",
          &out);  // Greek ο
  CHECK(out.text == "ibuprofen");
}

TEST_CASE("Normalizer: Latin variants and other look-alikes fold to ASCII", "[text][en]") {
  auto normalizer = medaudit::text::Normalizer::Create();
  REQUIRE(normalizer.has_value());
  medaudit::text::NormalizedText out;
  const std::string dotless =
      "amox\xC4\xB1"
      "cillin 500 mg";  // ı U+0131
  (*normalizer)->Normalize(dotless, &out);
  CHECK(out.text == "amoxicillin 500 mg");
  const auto span = out.ToOriginal({0, 11});
  CHECK(dotless.substr(span.begin, span.size()) ==
        "amox\xC4\xB1"
        "cillin");

  (*normalizer)->Normalize("\xC9\x91moxicillin", &out);  // ɑ U+0251
  CHECK(out.text == "amoxicillin");
  (*normalizer)->Normalize("ibuprofe\xC9\xB4", &out);  // ɴ U+0274
  CHECK(out.text == "ibuprofen");
  (*normalizer)
      ->Normalize(
          "\xE1\xB4\x8D"
          "etformin",
          &out);  // ᴍ U+1D0D
  CHECK(out.text == "metformin");
  (*normalizer)
      ->Normalize(
          "warfar\xC9\xAA"
          "n",
          &out);  // ɪ U+026A
  CHECK(out.text == "warfarin");
  (*normalizer)->Normalize("\xD5\xBD", &out);  // a lone Armenian ս is not inside a Latin word
  CHECK(out.text == "\xD5\xBD");
}

// The evasion passes first run a cheap scan and skip the exact pass when it says nothing would
// change. The reference normalizer always runs the exact passes: on texts built from the pieces
// the passes look for, both must agree, so the scan never skips a change.
TEST_CASE("Normalizer: the evasion pre-checks never skip a change", "[text][zh][en][ar]") {
  auto normalizer = medaudit::text::Normalizer::Create();
  REQUIRE(normalizer.has_value());
  auto engine = medaudit::text::internal::NormEngine::Create();
  REQUIRE(engine.has_value());
  static const std::vector<std::string> kPieces = {
      "a", "m", "o", "x", "b", " ", " ", "-", "_", "*", ".", "\t", "阿", "莫", "西", "林", "ab",
      "ox", "7", "\xD0\xB0", "\xC4\xB1", "\xCE\xBF", "醯", "錠", "م", "و", "ك", "أ", "\n",
      // The pre-check rejects other characters of 醯錠锭's lead byte by their second byte, and
      // looks 16 bytes at a time: neighbours of 锭 and a small capital, and longer texts.
      "锭", "钠", "院", "阳", "\xE1\xB4\x80", "amoxicillin "};
  std::mt19937 rng(20261128);
  std::uniform_int_distribution<size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  medaudit::text::NormalizedText out;
  int changed = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string input;
    for (int n = length(rng); n > 0; --n) input += kPieces[piece(rng)];
    (*normalizer)->Normalize(input, &out);
    INFO("input '" << input << "'");
    REQUIRE(out.text == (*engine)->NormalizeReference(input));
    medaudit::text::NormalizedText plain;
    (*engine)->Normalize(input, &plain);
    changed += plain.text != out.text;
  }
  CHECK(changed > 1000);  // the pieces do trigger both passes often
}
