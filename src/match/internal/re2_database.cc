#include "match/internal/re2_database.h"

#include <re2/set.h>

#include "match/internal/common.h"

namespace medaudit::match::internal {
namespace {

struct Re2Pattern {
  uint32_t id = 0;
  bool literal = false;
  bool latin_boundary = false;
  std::string expression;   // literals
  std::unique_ptr<RE2> re;  // regexes
};

class Re2Database final : public DatabaseBase {
 public:
  Re2Database(std::vector<Re2Pattern> patterns, std::unique_ptr<RE2::Set> set,
              std::string fingerprint)
      : DatabaseBase(patterns.size(), std::move(fingerprint)),
        patterns_(std::move(patterns)),
        set_(std::move(set)) {}

  using Database::Scan;
  void Scan(const ScanText& scan_text, std::vector<Hit>* hits) const override {
    hits->clear();
    if (patterns_.empty() || scan_text.view().empty()) return;
    const std::string_view text = scan_text.view();
    thread_local std::vector<int> matched;
    matched.clear();
    RE2::Set::ErrorInfo info{};
    if (!set_->Match(re2::StringPiece(text.data(), text.size()), &matched, &info) &&
        info.kind != RE2::Set::kNoError) {
      // The DFA ran out of memory: check every pattern (slow but exact).
      matched.resize(patterns_.size());
      for (size_t i = 0; i < patterns_.size(); ++i) matched[i] = static_cast<int>(i);
    }
    for (int index : matched) {
      const Re2Pattern& p = patterns_[static_cast<size_t>(index)];
      if (p.literal) {
        FindExactLiteral(p.expression, text, p.latin_boundary, p.id, hits);
      } else {
        FindExactRe2(*p.re, text, 0, text.size(), p.latin_boundary, p.id, hits);
      }
    }
    SortHits(hits);
    scan_text.MapToInput(hits);
  }

  Engine engine() const override { return Engine::kRe2; }
  bool from_cache() const override { return false; }

 private:
  std::vector<Re2Pattern> patterns_;
  std::unique_ptr<RE2::Set> set_;
};

}  // namespace

Result<std::shared_ptr<const Database>> CompileRe2(const std::vector<PatternSpec>& specs,
                                                   const Options& options) {
  RE2::Options set_options = Re2Options();
  set_options.set_max_mem(options.re2_max_mem);
  auto set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  std::vector<Re2Pattern> patterns;
  patterns.reserve(specs.size());
  for (const PatternSpec& spec : specs) {
    auto re = CheckSpec(spec, options.max_expression_bytes);
    if (!re) return re.error();
    Re2Pattern p;
    p.id = spec.id;
    p.literal = spec.literal;
    p.latin_boundary = spec.latin_boundary;
    std::string set_expression;
    if (spec.literal) {
      p.expression = ScanLiteral(spec.expression);
      set_expression = RE2::QuoteMeta(p.expression);
    } else {
      set_expression = re.value()->pattern();
      p.re = std::move(re.value());
    }
    std::string error;
    if (set->Add(set_expression, &error) < 0) {
      return MakeError(ErrorCode::kPatternError,
                       "pattern " + std::to_string(spec.id) + ": re2 set: " + error);
    }
    patterns.push_back(std::move(p));
  }
  if (!set->Compile()) {
    return MakeError(ErrorCode::kTooLarge, "re2: the pattern set does not fit in re2_max_mem (" +
                                               std::to_string(options.re2_max_mem) + " bytes)");
  }
  return std::shared_ptr<const Database>(std::make_shared<Re2Database>(
      std::move(patterns), std::move(set), Fingerprint("re2", "re2-2022", specs)));
}

}  // namespace medaudit::match::internal
