#include "match/database.h"

#include <exception>

#include "match/internal/common.h"
#include "match/internal/hyperscan_database.h"
#include "match/internal/re2_database.h"
#include "match/scan_text.h"

namespace medaudit::match {

std::string_view EngineName(Engine engine) {
  switch (engine) {
    case Engine::kHyperscan:
      return "hyperscan";
    case Engine::kRe2:
      return "re2";
  }
  return "unknown";
}

void Database::Scan(std::string_view text, std::vector<Hit>* hits) const {
  Scan(ScanText(text), hits);
}

namespace {

// Database::Compile; `movable` is specs itself when its expressions may be moved from, else null.
Result<std::shared_ptr<const Database>> CompileSpecs(const std::vector<PatternSpec>& specs,
                                                     const Options& options,
                                                     std::vector<PatternSpec>* movable) {
  if (specs.size() > options.max_patterns) {
    return MakeError(ErrorCode::kTooLarge, std::to_string(specs.size()) +
                                               " patterns, more than the limit of " +
                                               std::to_string(options.max_patterns));
  }
  try {
#ifdef MEDAUDIT_HAVE_HYPERSCAN
    if (options.engine == Engine::kHyperscan) {
      return internal::CompileHyperscan(specs, options, movable);
    }
#else
    (void)movable;
#endif
    return internal::CompileRe2(specs, options);
  } catch (const std::exception& e) {  // e.g. std::bad_alloc
    return MakeError(ErrorCode::kInternal, std::string("match: ") + e.what());
  }
}

}  // namespace

Result<std::shared_ptr<const Database>> Database::Compile(const std::vector<PatternSpec>& specs,
                                                          const Options& options) {
  return CompileSpecs(specs, options, nullptr);
}

Result<std::shared_ptr<const Database>> Database::Compile(std::vector<PatternSpec>&& specs,
                                                          const Options& options) {
  return CompileSpecs(specs, options, &specs);
}

Status ValidateExpression(const PatternSpec& spec) {
  try {
    const Options defaults;
    auto re = internal::CheckSpec(spec, defaults.max_expression_bytes);
    if (!re) return re.error();
#ifdef MEDAUDIT_HAVE_HYPERSCAN
    if (!spec.literal) {
      std::string problem = internal::HyperscanCheckRegex(re.value()->pattern());
      if (!problem.empty()) {
        return MakeError(ErrorCode::kPatternError,
                         "pattern " + std::to_string(spec.id) + ": " + problem);
      }
    }
#endif
    return {};
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string("match: ") + e.what());
  }
}

}  // namespace medaudit::match
