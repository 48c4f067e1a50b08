// Regexes whose alternatives open with a character class ("herb 5 g") are scanned by Hyperscan
// from their first top-level digit class only, and confirmed whole by RE2: the hits must be the
// same as the RE2 engine's, starting at the herb name, not at the number.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "match/database.h"

namespace medaudit::match {
namespace {

std::vector<std::pair<uint32_t, std::string>> Spans(const std::vector<PatternSpec>& specs,
                                                    Engine engine, const std::string& text) {
  Options options;
  options.engine = engine;
  auto db = Database::Compile(specs, options);
  if (!db) FAIL("compile failed: " << db.error().ToString());
  std::vector<Hit> hits;
  (*db)->Scan(text, &hits);
  std::vector<std::pair<uint32_t, std::string>> out;
  for (const Hit& h : hits) out.emplace_back(h.id, text.substr(h.begin, h.end - h.begin));
  return out;
}

TEST_CASE("class-led regexes report the same spans with a scanned suffix", "[match]") {
  const std::vector<PatternSpec> specs = {
      PatternSpec{1, "(?:[a-z]{2,}\\s+){0,2}[a-z]{3,}\\s*[0-9]+\\s*g", false, true},
      PatternSpec{2, "[\\x{4e00}-\\x{9fff}]{2,4}\\s*[0-9]+\\s*(?:g|克)|tea\\s+[0-9]+g", false,
                  false},
  };
  const std::string text = "fresh ginger root 5 g, tea 3g, x5 g, 5 g; 金银花15克 连翘 10g";
  const auto re2 = Spans(specs, Engine::kRe2, text);
  const auto hs = Spans(specs, Engine::kHyperscan, text);
  CHECK(hs == re2);
  const std::vector<std::pair<uint32_t, std::string>> want = {{1, "fresh ginger root 5 g"},
                                                              {1, "tea 3g"},
                                                              {2, "tea 3g"},
                                                              {2, "金银花15克"},
                                                              {2, "连翘 10g"}};
  CHECK(re2 == want);
}

}  // namespace
}  // namespace medaudit::match
