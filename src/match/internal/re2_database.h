// The RE2 engine: fallback when built without Hyperscan, and the reference of the differential
// tests. RE2::Set finds which patterns match at all; each of those is then matched with the exact
// algorithm of common.h (its own RE2, or std::string_view::find for literals).
#pragma once

#include <memory>
#include <vector>

#include "match/database.h"

namespace medaudit::match::internal {

Result<std::shared_ptr<const Database>> CompileRe2(const std::vector<PatternSpec>& specs,
                                                   const Options& options);

}  // namespace medaudit::match::internal
