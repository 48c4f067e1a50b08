// Tests of match::internal::Fingerprint (match/internal/common.h): the digest is the SHA-256 of
// one length-prefixed stream of fields, whatever the size of the buffer it is hashed through, so
// that cached databases keep their names (the file name is the fingerprint).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "match/internal/common.h"

namespace medaudit::match::internal {
namespace {

// The stream as one string, as Fingerprint built it before it hashed in blocks.
std::string Stream(std::string_view engine_name, std::string_view engine_version,
                   const std::vector<PatternSpec>& specs) {
  std::string out;
  auto field = [&out](std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
  };
  field(kFormatVersion);
  field(engine_name);
  field(engine_version);
  field(std::to_string(specs.size()));
  for (const PatternSpec& spec : specs) {
    field(std::to_string(spec.id));
    field(std::string{spec.literal ? 'L' : 'R', spec.latin_boundary ? 'B' : '-'});
    field(spec.expression);
  }
  return out;
}

TEST_CASE("Fingerprint is the SHA-256 of the whole field stream", "[match]") {
  std::vector<PatternSpec> specs;
  CHECK(Fingerprint("hyperscan", "5.4", specs) == Sha256Hex(Stream("hyperscan", "5.4", specs)));

  // Many small fields: the stream crosses the block boundary inside fields of every kind.
  for (uint32_t i = 0; i < 9000; ++i) {
    specs.push_back({i * 7, "布洛芬 ibuprofen " + std::to_string(i), i % 3 == 0, i % 2 == 0});
  }
  const std::string stream = Stream("hyperscan", "5.4", specs);
  REQUIRE(stream.size() > 3 * (size_t{64} << 10));
  CHECK(Fingerprint("hyperscan", "5.4", specs) == Sha256Hex(stream));

  // One field longer than several blocks, between short ones.
  specs.insert(specs.begin() + 5, PatternSpec{99, std::string(200'000, 'x'), false, false});
  CHECK(Fingerprint("re2", "re2-2022", specs) == Sha256Hex(Stream("re2", "re2-2022", specs)));

  // Any change of a spec changes it.
  const std::string before = Fingerprint("re2", "re2-2022", specs);
  specs.back().latin_boundary = !specs.back().latin_boundary;
  CHECK(Fingerprint("re2", "re2-2022", specs) != before);
}

}  // namespace
}  // namespace medaudit::match::internal
