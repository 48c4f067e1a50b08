// Finite expansion of a regex: the strings a pattern can match in scan text (see ScanText in
// common.h, where every whitespace run is one space), when there are few of them.
//
// Why: most cue patterns are alternations of short phrases ("you\s{1,4}(?:are|'re)\s{1,4}taking").
// As regexes they cost a Hyperscan NFA and an RE2 confirmation of every hit; as literal sets they
// cost neither and report exact starts. Both engines keep identical hits: the RE2 engine still runs
// the regex, so the differential tests check every expansion.
//
// Model: \s, and any whitespace inside a class, is the single space of scan text, so `\s{1,4}` and
// `\s+` expand to " " and `\s?`, `\s*`, `\s{0,4}` to "" or " ". Supported: literals (UTF-8),
// escaped metacharacters, \xHH and \x{H...}, \d, classes of at most 64 code points, (?:...), |, and
// the quantifiers ? * + {n} {n,} {n,m} where the result stays finite.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medaudit::match::internal {

// The sorted, distinct strings of the expression's language in scan text; nullopt when the
// language is infinite, holds the empty string, has more than max_strings strings or more than
// max_bytes bytes in total, or uses a construct outside the model above (the caller keeps the
// regex then). `expression` is the spec's expression as written (before CanonicalRegex).
std::optional<std::vector<std::string>> ExpandFinite(std::string_view expression,
                                                     size_t max_strings, size_t max_bytes);

}  // namespace medaudit::match::internal
