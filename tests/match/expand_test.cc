// Tests of the finite expansion of regexes (match/internal/expand.h) and of the scan text's
// whitespace model (every whitespace run is one space; hits point into the input).
#include "match/internal/expand.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "match/database.h"
#include "match/internal/common.h"

namespace medaudit::match::internal {
namespace {

using Strings = std::vector<std::string>;

std::optional<Strings> Expand(std::string_view expression, size_t max_strings = 1024) {
  return ExpandFinite(expression, max_strings, 1 << 20);
}

TEST_CASE("finite regexes expand to their strings", "[match][expand]") {
  CHECK(Expand("abc") == Strings{"abc"});
  CHECK(Expand("(?:is|are)\\s{1,4}(?:a|an)") == Strings{"are a", "are an", "is a", "is an"});
  CHECK(Expand("colou?r") == Strings{"color", "colour"});
  CHECK(Expand("randomi[sz]ed") == Strings{"randomised", "randomized"});
  CHECK(Expand("每\\s{0,4}[日天]") == Strings{"每 天", "每 日", "每天", "每日"});
  CHECK(Expand("b\\.?i\\.?d\\.?")->size() == 8);
  CHECK(Expand("x[0-2]{1,2}") ==
        Strings{"x0", "x00", "x01", "x02", "x1", "x10", "x11", "x12", "x2", "x20", "x21", "x22"});
  CHECK(Expand("\\x{6bcf}\\x41") == Strings{"每A"});
  CHECK(Expand("a[\\s-]b") == Strings{"a b", "a-b"});
  CHECK(Expand("a(b|c)d") == Strings{"abd", "acd"});
  CHECK(Expand("don'?t") == Strings{"don't", "dont"});
}

TEST_CASE("whitespace is one space in scan text", "[match][expand]") {
  CHECK(Expand("a\\s+b") == Strings{"a b"});
  CHECK(Expand("a\\s*b") == Strings{"a b", "ab"});
  CHECK(Expand("a +b") == Strings{"a b"});
  // Two spaces in a row never occur, so these branches match nothing.
  CHECK(Expand("a\\s{2,4}b|c") == Strings{"c"});
  CHECK_FALSE(Expand("a\\s{2}b").has_value());
  // Raw tabs and \n never occur in scan text: not expanded (the regex stays, and never matches).
  CHECK_FALSE(Expand("a\\nb").has_value());
}

TEST_CASE("infinite, large or unmodelled regexes are not expanded", "[match][expand]") {
  CHECK_FALSE(Expand("ab+").has_value());
  CHECK_FALSE(Expand("a.b").has_value());
  CHECK_FALSE(Expand("[^a]b").has_value());
  CHECK_FALSE(Expand("[a-z]{3}").has_value());  // class of 26 is fine, 26^3 strings are not
  CHECK_FALSE(Expand("[\\x{4e00}-\\x{9fff}]").has_value());
  CHECK_FALSE(Expand("\\w").has_value());
  CHECK_FALSE(Expand("[0-9]{1,9}").has_value());
  CHECK_FALSE(Expand("a?").has_value());  // matches the empty string
  CHECK_FALSE(Expand("(a|b)(c|d)(e|f)", 4).has_value());
  CHECK(Expand("(a|b)(c|d)(e|f)", 8)->size() == 8);
}

TEST_CASE("a gap of any whitespace matches, and spans point into the input", "[match][expand]") {
  const std::vector<PatternSpec> specs = {
      {1, "you\\s{1,4}(?:are|'re)\\s{1,4}taking", false, true},
      {2, "chest pain", true, true},
      {3, "q[0-9]{1,2}h", false, true},
  };
  const std::string text = "if you \n\t are  taking it\nchest\n\npain q6h";
  for (Engine engine : {Engine::kRe2, Engine::kHyperscan}) {
    Options options;
    options.engine = engine;
    auto db = Database::Compile(specs, options);
    REQUIRE(db.has_value());
    std::vector<Hit> hits;
    (*db)->Scan(text, &hits);
    INFO(EngineName(engine));
    REQUIRE(hits.size() == 3);
    CHECK(text.substr(hits[0].begin, hits[0].end - hits[0].begin) == "you \n\t are  taking");
    CHECK(text.substr(hits[1].begin, hits[1].end - hits[1].begin) == "chest\n\npain");
    CHECK(text.substr(hits[2].begin, hits[2].end - hits[2].begin) == "q6h");
  }
}

TEST_CASE("scan text keeps clean input in place and maps collapsed runs", "[match][expand]") {
  {
    const std::string clean = "one space only";
    const ScanText scan(clean);
    CHECK(scan.view().data() == clean.data());
  }
  const std::string messy = "a \t b\n";
  const ScanText scan(messy);
  CHECK(scan.view() == "a b ");
  std::vector<Hit> hits = {{1, 1, 2}, {2, 3, 4}};
  scan.MapToInput(&hits);
  CHECK(hits[0].begin == 1);
  CHECK(hits[0].end == 4);  // the space covers " \t "
  CHECK(hits[1].begin == 5);
  CHECK(hits[1].end == 6);
}

}  // namespace
}  // namespace medaudit::match::internal
