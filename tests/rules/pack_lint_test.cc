// The linter's check that regexes are written in normalized form: a character the normalizer
// folds can never match, so the pattern that holds it has a dead part.
#include <catch2/catch.hpp>
#include <string>

#include "rules/pack_tests.h"
#include "text/normalize.h"

namespace {

std::string Folded(const std::string& expression) {
  static const auto normalizer = medaudit::text::Normalizer::Create();
  REQUIRE(normalizer.has_value());
  medaudit::text::NormalizedText scratch;
  auto c = medaudit::rules::FirstFoldedCharacter(expression, **normalizer, &scratch);
  return c.character.empty() ? "" : c.character + "->" + c.folded;
}

TEST_CASE("Lint: characters normalized text never has", "[rules][lint]") {
  CHECK(Folded("انتهى") == "ى->ي");
  CHECK(Folded("الم[^.،]{0,20}الصدر") == "،->,");  // the class lacks ','
  CHECK(Folded("持续[^。，,]{0,6}加重").empty());  // the class has ',' too
  CHECK(Folded("(?:服藥|服药)") == "藥->药");
  CHECK(Folded("Take\\s+it") == "T->t");
  CHECK(Folded("血压(?:是|：)?") == "：->:");
  CHECK(Folded("[\\x{4e00}-\\x{9fff}]{2,4}\\s*[0-9]+\\S*\\p{L}").empty());  // escapes are syntax
  CHECK(Folded("كل\\s*[0-9]+\\s*ساعات").empty());
}

}  // namespace
