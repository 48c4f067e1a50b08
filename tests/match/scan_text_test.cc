// ScanText against a byte-at-a-time reference: the chunked (16-byte) collapse must give the same
// view and the same offset map on any input, in particular around chunk edges.
#include "match/scan_text.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/utf8.h"

namespace medaudit::match {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

struct Reference {
  std::string view;
  std::vector<uint32_t> input_of;  // view offset -> input offset, one entry past the end
};

// The definition: each whitespace run is one space standing at the run's start; each byte of an
// invalid UTF-8 sequence is 0x1A.
Reference Build(const std::string& input) {
  Reference ref;
  std::string fixed = input;
  for (size_t pos = 0; pos < fixed.size();) {
    size_t length = 1;
    if (utf8::Decode(fixed, pos, &length) == utf8::kInvalid) {
      for (size_t k = 0; k < length; ++k) fixed[pos + k] = '\x1A';
    }
    pos += length;
  }
  for (size_t i = 0; i < fixed.size(); ++i) {
    const auto c = static_cast<unsigned char>(fixed[i]);
    if (IsSpace(c) && i > 0 && IsSpace(static_cast<unsigned char>(fixed[i - 1]))) continue;
    ref.view.push_back(IsSpace(c) ? ' ' : fixed[i]);
    ref.input_of.push_back(static_cast<uint32_t>(i));
  }
  ref.input_of.push_back(static_cast<uint32_t>(fixed.size()));
  return ref;
}

void ExpectSame(const std::string& input, ScanText::Utf8 mode) {
  const Reference ref = Build(input);
  const ScanText scan(input, mode);
  REQUIRE(std::string(scan.view()) == ref.view);
  std::vector<Hit> hits;
  for (uint32_t v = 0; v <= ref.view.size(); ++v) hits.push_back({0, v, v});
  scan.MapToInput(&hits);
  for (uint32_t v = 0; v <= ref.view.size(); ++v) {
    INFO("view offset " << v);
    // A hit's begin at a run's space maps to the run start; an end after it to the run end.
    CHECK(hits[v].begin == ref.input_of[v]);
    const uint32_t end = v == 0 ? 0 : ref.input_of[v - 1] + 1;
    const bool after_run = v > 0 && ref.view[v - 1] == ' ';
    CHECK(hits[v].end == (after_run ? ref.input_of[v] : end));
  }
}

TEST_CASE("scan text equals the byte-at-a-time definition on random input", "[match][scan]") {
  std::mt19937 rng(20261129);
  const std::vector<std::string> pieces = {"a",    "b",   "Q",  " ",  " ",        "\n",
                                           "\t",   "\r",  "\v", "\f", "\xC3\xA9", "\xE4\xB8\xAD",
                                           "\xFF", "\xC3"};
  for (int round = 0; round < 4000; ++round) {
    std::string input;
    const size_t length = rng() % 90;
    for (size_t k = 0; k < length; ++k) input += pieces[rng() % pieces.size()];
    INFO("input bytes " << input.size() << " round " << round);
    ExpectSame(input, ScanText::Utf8::kCheck);
    if (utf8::FindInvalid(input) == input.size()) ExpectSame(input, ScanText::Utf8::kValid);
  }
}

TEST_CASE("scan text handles runs across 16-byte chunk edges", "[match][scan]") {
  for (size_t at = 10; at < 40; ++at) {
    for (const std::string run : {"  ", " \n", "\n\n\n", "\t", " ", "\r\n  \t"}) {
      std::string input(at, 'x');
      input += run;
      input += "y";
      ExpectSame(input, ScanText::Utf8::kValid);
      input += run;  // a run at the very end
      ExpectSame(input, ScanText::Utf8::kValid);
    }
  }
}

}  // namespace
}  // namespace medaudit::match
