// ReadBoundedLine reads a stream of JSON Lines: every line once, in order, without its '\n' or a
// trailing '\r', at most max_bytes of it kept, however the line falls across the reader's chunks.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"

namespace {

struct Line {
  std::string text;
  bool truncated = false;
  friend bool operator==(const Line&, const Line&) = default;
};

std::vector<Line> ReadAll(const std::string& input, size_t max_bytes) {
  std::istringstream in(input);
  std::vector<Line> lines;
  Line line;
  while (medaudit::ReadBoundedLine(in, max_bytes, &line.text, &line.truncated)) {
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("ReadBoundedLine splits lines and keeps empty ones", "[base]") {
  CHECK(ReadAll("", 100).empty());
  CHECK(ReadAll("a\n\nbc\r\nd", 100) ==
        std::vector<Line>{{"a", false}, {"", false}, {"bc", false}, {"d", false}});
  CHECK(ReadAll("\n", 100) == std::vector<Line>{{"", false}});
  CHECK(ReadAll(std::string("x\0y\n", 4), 100) == std::vector<Line>{{std::string("x\0y", 3)}});
}

TEST_CASE("ReadBoundedLine keeps max_bytes of a long line and reads on after it", "[base]") {
  CHECK(ReadAll("abcdef\ngh\n", 4) == std::vector<Line>{{"abcd", true}, {"gh", false}});
  CHECK(ReadAll("abcd\n", 4) == std::vector<Line>{{"abcd", false}});
  CHECK(ReadAll("abcde", 4) == std::vector<Line>{{"abcd", true}});
}

TEST_CASE("ReadBoundedLine reads lines longer than its chunk whole", "[base]") {
  // Lengths around the reader's 16 KiB chunk and its multiples, with and without a final '\n'.
  for (size_t length : {16382u, 16383u, 16384u, 16385u, 32766u, 32767u, 32768u, 100000u}) {
    std::string text;
    for (size_t i = 0; i < length; ++i) text.push_back(static_cast<char>('a' + i % 26));
    INFO("length " << length);
    CHECK(ReadAll(text + "\nz\n", 1 << 20) == std::vector<Line>{{text, false}, {"z", false}});
    CHECK(ReadAll(text, 1 << 20) == std::vector<Line>{{text, false}});
    CHECK(ReadAll(text + "\r\n", 1 << 20) == std::vector<Line>{{text, false}});
    const std::vector<Line> capped = ReadAll(text + "\nz", 20000);
    REQUIRE(capped.size() == 2);
    CHECK(capped[0].text == text.substr(0, 20000));
    CHECK(capped[0].truncated == (length > 20000));
    CHECK(capped[1] == Line{"z", false});
  }
}
