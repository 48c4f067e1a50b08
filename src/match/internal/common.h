// Shared pieces of both match engines: expression canonicalization, the boundary check, the exact
// per-pattern match algorithm and the engine-independent parts of a Database.
//
// THE MATCH ALGORITHM (both engines implement exactly this; the differential tests check it):
//   For one pattern P and a text T (the scan text of the input, see ScanText):
//   1. A match is a pair (s, e), s < e, such that T[s, e) is in the language of P. Patterns never
//      match the empty string (rejected at compile time).
//   2. A match is valid when latin_boundary is off, or when the byte T[s-1] (if s > 0) and the
//      byte T[e] (if e < |T|) are not ASCII letters.
//   2b. A literal's match is valid only when it does not split a number: T[s-1] and T[s] are not
//      both ASCII digits, nor T[e-1] and T[e] (crisis number "120" is not in "1200 mg").
//   3. For each start s, the candidate at s is the valid match (s, e) with the largest e.
//   4. Greedy from the left: pos = 0; take the candidate with the smallest s >= pos, emit it,
//      set pos = e, repeat until no candidate is left.
//   Hence a match that fails the boundary check never hides a valid overlapping one: e.g. for
//   latin_boundary `[0-9]+ ?m` on "12 mg", (0, 4) fails at its end ("g" follows), (0, 3) is valid.
//
// Engines: the RE2 engine implements it directly with FindExactRe2 (leftmost-longest unanchored
// search, then anchored searches with shrinking end for the end check) and FindExactLiteral.
// The Hyperscan engine gets, for every pattern, every end offset e and (regexes: with
// HS_FLAG_SOM_LEFTMOST) the leftmost start of a match ending at e. For literals start = e - length,
// which is complete information. For regexes the windows [start(e), e) contain every match, so it
// clusters overlapping windows and decides each cluster either directly from the report (when all
// windows of the cluster share one start and the answer is forced) or with FindExactRe2 restricted
// to the cluster (see hyperscan_database.cc).
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "match/database.h"
#include "match/scan_text.h"

namespace medaudit::match::internal {

// Bumped whenever canonicalization or the cache format changes (part of the fingerprint).
inline constexpr std::string_view kFormatVersion = "medaudit-match-7";

inline bool IsAsciiLetter(unsigned char c) { return ((c | 0x20) >= 'a') && ((c | 0x20) <= 'z'); }

inline bool StartOk(std::string_view text, size_t s) {
  return s == 0 || !IsAsciiLetter(static_cast<unsigned char>(text[s - 1]));
}
inline bool EndOk(std::string_view text, size_t e) {
  return e >= text.size() || !IsAsciiLetter(static_cast<unsigned char>(text[e]));
}

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
// Rule 2b for literals: the match [s, e) does not begin or end inside a run of digits.
inline bool SplitsNoNumber(std::string_view text, size_t s, size_t e) {
  return (s == 0 || !IsAsciiDigit(text[s]) || !IsAsciiDigit(text[s - 1])) &&
         (e >= text.size() || !IsAsciiDigit(text[e - 1]) || !IsAsciiDigit(text[e]));
}

// The expression both engines compile for a regex spec: the spec's expression with \s rewritten
// to RE2's ASCII set [\t\n\f\r ] (Hyperscan's \s also has \v), after rejecting every construct
// whose meaning differs between the engines or that the header forbids (anchors, \b, lookaround,
// backreferences, inline flags, \p classes, ...). Error messages name the problem; callers prefix
// the pattern id.
Result<std::string> CanonicalRegex(std::string_view expression);

// Checks one spec (size limit, UTF-8, canonical form, RE2 compile, not matching the empty string)
// and returns its compiled RE2 (nullptr for literals). Errors are kPatternError naming spec.id.
Result<std::unique_ptr<RE2>> CheckSpec(const PatternSpec& spec, size_t max_expression_bytes);

RE2::Options Re2Options();

// Exact algorithm for one regex restricted to matches inside [begin, end) of text (text is the
// context for the boundary check). Appends hits.
void FindExactRe2(const RE2& re, std::string_view text, size_t begin, size_t end,
                  bool latin_boundary, uint32_t id, std::vector<Hit>* hits);

// Exact algorithm for one literal over the whole text. Appends hits.
void FindExactLiteral(std::string_view literal, std::string_view text, bool latin_boundary,
                      uint32_t id, std::vector<Hit>* hits);

void SortHits(std::vector<Hit>* hits);

using match::ScanText;

using match::ScanLiteral;

// SHA-256 over format version, engine name and version, and every spec (length-prefixed).
std::string Fingerprint(std::string_view engine_name, std::string_view engine_version,
                        const std::vector<PatternSpec>& specs);

// Common state of both engines.
class DatabaseBase : public Database {
 public:
  DatabaseBase(size_t pattern_count, std::string fingerprint)
      : pattern_count_(pattern_count), fingerprint_(std::move(fingerprint)) {}
  size_t pattern_count() const override { return pattern_count_; }
  const std::string& fingerprint() const override { return fingerprint_; }

 private:
  size_t pattern_count_;
  std::string fingerprint_;
};

}  // namespace medaudit::match::internal
