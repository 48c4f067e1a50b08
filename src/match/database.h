// A compiled multi-pattern database: every literal and pattern of every loaded rule pack, scanned
// in one linear-time pass over a normalized text.
//
// Engines: Hyperscan (x86-64, when built with it) does the scan; RE2 is the fallback and the
// reference engine of the differential test. Both give the same hits (see Scan()).
// Patterns are written against normalized text (lower case, see text/normalize.h) and matched
// case-sensitively. Syntax is the common subset of Hyperscan and RE2: no backreferences, no
// lookaround, no \b (word boundaries are checked by the `latin_boundary` flag instead, because
// Chinese puts digits right against characters). Whitespace: the scan sees every run of ASCII
// whitespace as one space (hits still point into the input), so `\s{1,4}` or `\s+` means "a gap
// of any length" and a literal's spaces match any gap.
//
// A Database is immutable after Compile() and may be shared by any number of threads; Scan() uses
// thread-local scratch space.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace medaudit::match {

class ScanText;

struct PatternSpec {
  uint32_t id = 0;              // caller's id, reported in hits; need not be dense
  std::string expression;       // a literal string or a regular expression (UTF-8)
  bool literal = false;         // a plain string; never matched inside a number ("120" in "1200")
  bool latin_boundary = false;  // the bytes just before and after a hit must not be ASCII letters
};

struct Hit {
  uint32_t id = 0;
  uint32_t begin = 0;  // byte offsets into the scanned text
  uint32_t end = 0;    // exclusive
  friend bool operator==(const Hit&, const Hit&) = default;
};

enum class Engine : uint8_t { kHyperscan, kRe2 };

struct Options {
  Engine engine = Engine::kHyperscan;  // falls back to kRe2 when built without Hyperscan
  std::string cache_dir;               // where to keep serialized databases ("" = no cache)
  size_t max_patterns = 200000;        // more patterns than this is kTooLarge
  size_t max_expression_bytes = 4096;  // a longer expression is kPatternError
  int64_t re2_max_mem = int64_t{256}
                        << 20;  // RE2 program memory (its 8 MiB default is far too slow)
};

class Database {
 public:
  // Compiles (or loads from the cache, keyed by the SHA-256 of specs + engine + version) every
  // pattern. Fails with kPatternError naming the pattern id and the engine's message when an
  // expression is not supported by both engines or cannot be compiled in linear time.
  static Result<std::shared_ptr<const Database>> Compile(const std::vector<PatternSpec>& specs,
                                                         const Options& options = {});
  // The same, taking the specs: a database loaded from the cache moves their expressions in
  // instead of copying them (start-up, issue 2). `specs` is left valid, its expressions
  // unspecified.
  static Result<std::shared_ptr<const Database>> Compile(std::vector<PatternSpec>&& specs,
                                                         const Options& options = {});
  virtual ~Database() = default;

  // Scans text once and writes the hits to *hits (cleared first), sorted by (begin, end, id).
  // Semantics, identical for both engines: for each pattern, among all its matches that pass the
  // latin_boundary check, the leftmost-longest non-overlapping ones (scan left to right, take the
  // longest match starting at the leftmost possible position, continue after its end).
  void Scan(std::string_view text, std::vector<Hit>* hits) const;
  // The same on a view built once (see scan_text.h), for a text scanned by several databases.
  virtual void Scan(const ScanText& text, std::vector<Hit>* hits) const = 0;

  virtual Engine engine() const = 0;
  virtual size_t pattern_count() const = 0;
  // SHA-256 of the pattern specs: identifies the compiled rule set.
  virtual const std::string& fingerprint() const = 0;
  // Whether this database came from the on-disk cache.
  virtual bool from_cache() const = 0;
};

// Validates one expression without building a database (used by `rules lint`).
Status ValidateExpression(const PatternSpec& spec);

std::string_view EngineName(Engine engine);  // "hyperscan" / "re2"

}  // namespace medaudit::match
