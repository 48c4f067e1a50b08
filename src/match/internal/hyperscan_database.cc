#ifdef MEDAUDIT_HAVE_HYPERSCAN

#include "match/internal/hyperscan_database.h"

#include <fmt/format.h>
#include <hs/hs.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>

#include "base/file.h"
#include "base/sha256.h"
#include "base/utf8.h"
#include "match/internal/common.h"

namespace medaudit::match::internal {
namespace {

constexpr unsigned kRegexFlags = HS_FLAG_UTF8;
constexpr std::string_view kCacheMagic = "medaudit-hsdb-2\n";

// The RE2 program that confirms a regex's Hyperscan hits. Compiling all of them costs more than
// the rest of start-up together, and most never hit in a run, so a database loaded from the cache
// compiles each on first use (thread-safe). The pattern was validated when the cache was written.
class LazyRegex {
 public:
  explicit LazyRegex(std::string expression) : expression_(std::move(expression)) {}
  explicit LazyRegex(std::unique_ptr<RE2> compiled) : re_(std::move(compiled)) {
    std::call_once(once_, [] {});
  }
  const RE2& Get() const {
    std::call_once(once_, [this] {
      auto canonical = CanonicalRegex(expression_);
      // Cannot fail for an expression that compiled when the cache was written; if a library
      // upgrade made it fail, a pattern that never matches is the safe-to-detect outcome and
      // `rules test` (which compiles afresh after the fingerprint changes) shows it.
      re_ = std::make_unique<RE2>(canonical ? *canonical : std::string("[^\\x00-\\x{10FFFF}]"),
                                  Re2Options());
    });
    return *re_;
  }

 private:
  std::string expression_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
};

struct HsPattern {
  uint32_t id = 0;
  bool literal = false;
  bool latin_boundary = false;
  uint32_t length = 0;            // literals and fixed-width regexes: the match length
  uint32_t max_width = 0;         // regexes: longest match in bytes, 0 when unbounded
  std::string expression;         // literals (used when no scratch can be allocated)
  std::unique_ptr<LazyRegex> re;  // regexes
};

struct HsDatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
using HsDatabasePtr = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;

// One scratch per thread, grown (hs_alloc_scratch keeps it valid for every database it was
// allocated for) for each database the thread scans with; `sized_for` remembers which ones by a
// never-reused serial, so several Database objects can be alive and used from the same thread.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::vector<uint64_t> sized_for;
  ~ThreadScratch() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

struct Event {
  uint32_t index;
  uint32_t from;
  uint32_t to;
};

int OnMatch(unsigned int index, unsigned long long from, unsigned long long to, unsigned int,
            void* context) {
  static_cast<std::vector<Event>*>(context)->push_back(
      Event{index, static_cast<uint32_t>(from), static_cast<uint32_t>(to)});
  return 0;
}

std::atomic<uint64_t> next_serial{1};

class HyperscanDatabase final : public DatabaseBase {
 public:
  HyperscanDatabase(std::vector<HsPattern> patterns, HsDatabasePtr db, std::string fingerprint,
                    bool from_cache)
      : DatabaseBase(patterns.size(), std::move(fingerprint)),
        patterns_(std::move(patterns)),
        db_(std::move(db)),
        from_cache_(from_cache),
        serial_(next_serial.fetch_add(1)) {}

  Engine engine() const override { return Engine::kHyperscan; }
  bool from_cache() const override { return from_cache_; }

  void Scan(std::string_view input, std::vector<Hit>* hits) const override {
    hits->clear();
    if (patterns_.empty() || input.empty()) return;
    const SanitizedText sanitized(input);
    std::string_view text = sanitized.view();
    if (text.size() > UINT32_MAX) text = text.substr(0, UINT32_MAX);  // offsets are 32-bit
    hs_scratch_t* scratch = Scratch();
    thread_local std::vector<Event> events;
    events.clear();
    if (scratch == nullptr || hs_scan(db_.get(), text.data(), static_cast<unsigned>(text.size()), 0,
                                      scratch, OnMatch, &events) != HS_SUCCESS) {
      ScanWithoutHyperscan(text, hits);
      return;
    }
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      if (a.index != b.index) return a.index < b.index;
      if (a.to != b.to) return a.to < b.to;
      return a.from < b.from;
    });
    size_t i = 0;
    while (i < events.size()) {
      size_t j = i;
      while (j < events.size() && events[j].index == events[i].index) ++j;
      const HsPattern& p = patterns_[events[i].index];
      if (p.literal) {
        ReduceLiteral(p, text, &events[i], &events[i] + (j - i), hits);
      } else {
        ReduceRegex(p, text, &events[i], &events[i] + (j - i), hits);
      }
      i = j;
    }
    SortHits(hits);
  }

 private:
  hs_scratch_t* Scratch() const {
    thread_local ThreadScratch tls;
    for (uint64_t serial : tls.sized_for) {
      if (serial == serial_) return tls.scratch;
    }
    if (hs_alloc_scratch(db_.get(), &tls.scratch) != HS_SUCCESS) return nullptr;
    if (tls.sized_for.size() >= 64) tls.sized_for.erase(tls.sized_for.begin());
    tls.sized_for.push_back(serial_);
    return tls.scratch;
  }

  // Literal reports are complete: every occurrence ends at a reported offset.
  static void ReduceLiteral(const HsPattern& p, std::string_view text, const Event* begin,
                            const Event* end, std::vector<Hit>* hits) {
    uint32_t pos = 0;
    for (const Event* ev = begin; ev != end; ++ev) {
      if (ev->to < p.length) continue;
      const uint32_t s = ev->to - p.length;
      if (s < pos || (ev != begin && ev[-1].to == ev->to)) continue;
      if (!p.latin_boundary || (StartOk(text, s) && EndOk(text, ev->to))) {
        hits->push_back(Hit{p.id, s, ev->to});
        pos = ev->to;
      }
    }
  }

  // Regex reports give every end offset e of the pattern (no SOM: HS_FLAG_SOM_LEFTMOST made the
  // whole scan ~3x slower). Every match ends at a reported end and is at most max_width bytes
  // long (hs_expression_info), so:
  //  - a fixed-width regex (min_width == max_width) is reduced like a literal: start = e - width;
  //  - otherwise the exact RE2 algorithm of common.h runs on [first end - max_width, last end)
  //    (from 0 when max_width is unbounded), which contains every match.
  static void ReduceRegex(const HsPattern& p, std::string_view text, const Event* begin,
                          const Event* end, std::vector<Hit>* hits) {
    if (p.length != 0) {
      ReduceLiteral(p, text, begin, end, hits);
      return;
    }
    if (p.max_width == 0) {  // unbounded width: one pass from the start of the text
      FindExactRe2(p.re->Get(), text, 0, end[-1].to, p.latin_boundary, p.id, hits);
      return;
    }
    // Bounded width: every match lies in [e - max_width, e] of a reported end e, so RE2 runs only
    // on clusters of nearby ends. Clusters are more than max_width apart, so no match spans two,
    // and leftmost-longest selection inside each cluster equals selection over the whole text.
    auto window_start = [&](uint32_t to) {
      size_t from = to > p.max_width ? to - p.max_width : 0;
      while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
      return from;
    };
    size_t cluster_from = window_start(begin->to);
    size_t cluster_to = begin->to;
    for (const Event* ev = begin + 1; ev != end; ++ev) {
      const size_t from = window_start(ev->to);
      if (from > cluster_to) {
        FindExactRe2(p.re->Get(), text, cluster_from, cluster_to, p.latin_boundary, p.id, hits);
        cluster_from = from;
      }
      cluster_to = std::max<size_t>(cluster_to, ev->to);
    }
    FindExactRe2(p.re->Get(), text, cluster_from, cluster_to, p.latin_boundary, p.id, hits);
  }

  void ScanWithoutHyperscan(std::string_view text, std::vector<Hit>* hits) const {
    hits->clear();
    for (const HsPattern& p : patterns_) {
      if (p.literal) {
        FindExactLiteral(p.expression, text, p.latin_boundary, p.id, hits);
      } else {
        FindExactRe2(p.re->Get(), text, 0, text.size(), p.latin_boundary, p.id, hits);
      }
    }
    SortHits(hits);
  }

  std::vector<HsPattern> patterns_;
  HsDatabasePtr db_;
  bool from_cache_;
  uint64_t serial_;
};

std::string LiteralExpression(std::string_view literal) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(literal.size() * 4);
  for (char ch : literal) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsAsciiLetter(c) || (c >= '0' && c <= '9')) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Cache file: magic, CRC-32 of the rest (8 hex digits, '\n'), the number of regexes (uint32), each
// regex's max_width and length (2 x uint32, in spec order), then Hyperscan's serialized database.
// The file name is the patterns' fingerprint; the CRC only catches a torn or damaged file.
struct RegexWidth {
  uint32_t max_width = 0;
  uint32_t length = 0;
};

uint32_t Crc32(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

struct CachedDatabase {
  HsDatabasePtr db;
  std::vector<RegexWidth> widths;
};

std::optional<CachedDatabase> LoadCached(const std::string& path, size_t regex_count) {
  auto data = ReadFile(path);
  if (!data) return std::nullopt;
  std::string_view view = *data;
  if (view.size() < kCacheMagic.size() + 9 + 4 || !view.starts_with(kCacheMagic)) {
    return std::nullopt;
  }
  view.remove_prefix(kCacheMagic.size());
  if (view[8] != '\n' || view.substr(0, 8) != fmt::format("{:08x}", Crc32(view.substr(9)))) {
    return std::nullopt;
  }
  view.remove_prefix(9);
  uint32_t count = 0;
  std::memcpy(&count, view.data(), 4);
  view.remove_prefix(4);
  if (count != regex_count || view.size() < size_t{count} * sizeof(RegexWidth)) return std::nullopt;
  CachedDatabase out;
  out.widths.resize(count);
  std::memcpy(out.widths.data(), view.data(), count * sizeof(RegexWidth));
  view.remove_prefix(count * sizeof(RegexWidth));
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(view.data(), view.size(), &db) != HS_SUCCESS) return std::nullopt;
  out.db.reset(db);
  return out;
}

void StoreCached(const std::string& dir, const std::string& path, const hs_database_t* db,
                 const std::vector<HsPattern>& patterns) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  std::string payload(4, '\0');
  uint32_t count = 0;
  for (const HsPattern& p : patterns) {
    if (p.literal) continue;
    const RegexWidth width{p.max_width, p.length};
    payload.append(reinterpret_cast<const char*>(&width), sizeof(width));
    ++count;
  }
  std::memcpy(payload.data(), &count, 4);
  payload.append(bytes, length);
  std::free(bytes);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string file(kCacheMagic);
  file += fmt::format("{:08x}\n", Crc32(payload));
  file += payload;
  (void)WriteFileAtomic(path, file);  // best effort: a failed write only costs a recompile
}

// The checks of CheckSpec that do not compile anything (size, UTF-8): a database from the cache
// was built from these very expressions, which passed the full checks then.
Status QuickCheck(const PatternSpec& spec, size_t max_expression_bytes) {
  if (spec.expression.empty() || spec.expression.size() > max_expression_bytes ||
      !utf8::IsValid(spec.expression)) {
    auto full = CheckSpec(spec, max_expression_bytes);
    if (!full) return full.error();
  }
  return {};
}

// The fields every pattern gets from its spec; literals are complete with them.
HsPattern PatternBase(const PatternSpec& spec) {
  HsPattern p;
  p.id = spec.id;
  p.literal = spec.literal;
  p.latin_boundary = spec.latin_boundary;
  if (spec.literal) {
    p.length = static_cast<uint32_t>(spec.expression.size());
    p.expression = spec.expression;
  }
  return p;
}

// Builds the pattern table of a cached database without compiling a regex.
Result<std::vector<HsPattern>> PatternsFromCache(const std::vector<PatternSpec>& specs,
                                                 const std::vector<RegexWidth>& widths,
                                                 const Options& options) {
  std::vector<HsPattern> patterns;
  patterns.reserve(specs.size());
  size_t next_width = 0;
  for (const PatternSpec& spec : specs) {
    if (auto status = QuickCheck(spec, options.max_expression_bytes); !status) {
      return status.error();
    }
    HsPattern p = PatternBase(spec);
    if (!spec.literal) {
      p.max_width = widths[next_width].max_width;
      p.length = widths[next_width].length;
      ++next_width;
      p.re = std::make_unique<LazyRegex>(spec.expression);
    }
    patterns.push_back(std::move(p));
  }
  return patterns;
}

}  // namespace

std::string HyperscanCheckRegex(const std::string& canonical) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(canonical.c_str(), kRegexFlags, &info, &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return "hyperscan: " + message;
  }
  const bool empty = info->min_width == 0;
  std::free(info);
  if (empty) return "expression matches the empty string";
  hs_database_t* db = nullptr;
  if (hs_compile(canonical.c_str(), kRegexFlags, HS_MODE_BLOCK, nullptr, &db, &error) !=
      HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return "hyperscan: " + message;
  }
  hs_free_database(db);
  return "";
}

Result<std::shared_ptr<const Database>> CompileHyperscan(const std::vector<PatternSpec>& specs,
                                                         const Options& options) {
  const std::string fingerprint = Fingerprint("hyperscan", hs_version(), specs);
  std::string cache_path;
  if (!options.cache_dir.empty() && !specs.empty()) {
    cache_path = options.cache_dir + "/" + fingerprint + ".hsdb";
    const auto regexes = static_cast<size_t>(
        std::count_if(specs.begin(), specs.end(), [](const PatternSpec& s) { return !s.literal; }));
    if (auto cached = LoadCached(cache_path, regexes)) {
      auto patterns = PatternsFromCache(specs, cached->widths, options);
      if (!patterns) return patterns.error();
      return std::shared_ptr<const Database>(std::make_shared<HyperscanDatabase>(
          std::move(*patterns), std::move(cached->db), fingerprint, true));
    }
  }
  std::vector<HsPattern> patterns;
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  patterns.reserve(specs.size());
  expressions.reserve(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const PatternSpec& spec = specs[i];
    auto re = CheckSpec(spec, options.max_expression_bytes);
    if (!re) return re.error();
    HsPattern p = PatternBase(spec);
    if (spec.literal) {
      expressions.push_back(LiteralExpression(spec.expression));
      flags.push_back(0);
    } else {
      expressions.push_back(re.value()->pattern());
      flags.push_back(kRegexFlags);
      hs_expr_info_t* info = nullptr;
      hs_compile_error_t* error = nullptr;
      if (hs_expression_info(expressions.back().c_str(), kRegexFlags, &info, &error) !=
          HS_SUCCESS) {
        std::string message = error != nullptr ? error->message : "unknown error";
        hs_free_compile_error(error);
        return MakeError(ErrorCode::kPatternError,
                         "pattern " + std::to_string(spec.id) + ": hyperscan: " + message);
      }
      if (info->max_width != UINT_MAX) {
        p.max_width = info->max_width;
        if (info->min_width == info->max_width) p.length = info->max_width;
      }
      std::free(info);
      p.re = std::make_unique<LazyRegex>(std::move(re.value()));
    }
    ids.push_back(static_cast<unsigned>(i));
    patterns.push_back(std::move(p));
  }
  if (specs.empty()) {
    return std::shared_ptr<const Database>(
        std::make_shared<HyperscanDatabase>(std::move(patterns), nullptr, fingerprint, false));
  }
  std::vector<const char*> pointers;
  pointers.reserve(expressions.size());
  for (const std::string& e : expressions) pointers.push_back(e.c_str());
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK, nullptr, &db,
                       &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    const int index = error != nullptr ? error->expression : -1;
    hs_free_compile_error(error);
    if (index >= 0 && static_cast<size_t>(index) < specs.size()) {
      return MakeError(ErrorCode::kPatternError,
                       "pattern " + std::to_string(specs[static_cast<size_t>(index)].id) +
                           ": hyperscan: " + message);
    }
    return MakeError(ErrorCode::kPatternError, "hyperscan: " + message);
  }
  HsDatabasePtr owned(db);
  if (!cache_path.empty()) StoreCached(options.cache_dir, cache_path, db, patterns);
  return std::shared_ptr<const Database>(std::make_shared<HyperscanDatabase>(
      std::move(patterns), std::move(owned), fingerprint, false));
}

}  // namespace medaudit::match::internal

#endif  // MEDAUDIT_HAVE_HYPERSCAN
