// The Hyperscan engine (x86-64): one block-mode database holding every literal and every string of
// each regex with a small finite language (expand.h), byte-escaped, start = end - length; and every
// other regex (HS_FLAG_UTF8, no SOM, no UCP: \d \w are ASCII like in RE2 and \s is rewritten, see
// common.h). Reports are reduced to the exact hit set of common.h; clusters of a variable-width
// regex's ends are re-matched with RE2.
#pragma once

#ifdef MEDAUDIT_HAVE_HYPERSCAN

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "match/database.h"

namespace medaudit::match::internal {

// `movable`: null, or specs itself when the expressions may be moved from (a database loaded from
// the cache then takes them instead of copies).
Result<std::shared_ptr<const Database>> CompileHyperscan(
    const std::vector<PatternSpec>& specs, const Options& options,
    std::vector<PatternSpec>* movable = nullptr);

// Checks a canonical regex with hs_expression_info (flags as used in the database). Returns an
// error message, or "" when Hyperscan accepts it and it cannot match the empty string.
std::string HyperscanCheckRegex(const std::string& canonical);

// The checksum of a cache file's contents after its checksum line (exposed for tests, which
// rewrite cache files).
uint64_t CacheChecksum(std::string_view bytes);

}  // namespace medaudit::match::internal

#endif  // MEDAUDIT_HAVE_HYPERSCAN
