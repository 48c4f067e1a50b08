// Homoglyph folding: Cyrillic or Greek look-alike letters inside a Latin word (an evasion of the
// drug lexicon) become Latin; whole Cyrillic or Greek words stay as they are.
#include <catch2/catch.hpp>
#include <string>

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
