// The Hyperscan engine (x86-64): one block-mode database holding every literal (byte-escaped, no
// SOM: start = end - length) and every regex (HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST, no UCP: \d \w
// are ASCII like in RE2 and \s is rewritten, see common.h). Reports are reduced to the exact hit
// set of common.h; regex clusters that the report does not decide are re-matched with RE2.
#pragma once

#ifdef MEDAUDIT_HAVE_HYPERSCAN

#include <memory>
#include <string>
#include <vector>

#include "match/database.h"

namespace medaudit::match::internal {

Result<std::shared_ptr<const Database>> CompileHyperscan(const std::vector<PatternSpec>& specs,
                                                         const Options& options);

// Checks a canonical regex with hs_expression_info (flags as used in the database). Returns an
// error message, or "" when Hyperscan accepts it and it cannot match the empty string.
std::string HyperscanCheckRegex(const std::string& canonical);

}  // namespace medaudit::match::internal

#endif  // MEDAUDIT_HAVE_HYPERSCAN
