#ifdef MEDAUDIT_HAVE_HYPERSCAN

#include "match/internal/hyperscan_database.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <hs/hs.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <bit>
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
#include "match/internal/expand.h"

namespace medaudit::match::internal {
namespace {

constexpr unsigned kRegexFlags = HS_FLAG_UTF8;
constexpr std::string_view kCacheMagic = "medaudit-hsdb-5\n";
// The cache keeps the databases of recent rule sets (a few MB each; three per rule set) and
// drops the least recently used beyond this, so that editing rules does not fill the disk.
constexpr uintmax_t kMaxCacheBytes = uintmax_t{512} << 20;
// A regex whose scan-text language has at most this many strings (and bytes) is compiled as that
// literal set (expand.h).
constexpr size_t kMaxExpansionStrings = 1024;
constexpr size_t kMaxExpansionBytes = 32 * 1024;

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
  bool literal_set = false;  // a regex compiled as its expansion (expand.h)
  uint32_t length = 0;       // literals and fixed-width regexes: the match length
  uint32_t max_width = 0;    // other regexes: longest match in bytes, 0 when unbounded
  // Literals (used only when no scratch can be allocated): as scanned (ScanLiteral) when compiled,
  // as written when loaded from the cache, where start-up does not pay for the conversion.
  std::string expression;
  std::unique_ptr<LazyRegex> re;  // regexes
  // Whether every report gives the exact start (end - length of its alternative).
  bool KnownStarts() const { return literal || literal_set || length != 0; }
};

// One Hyperscan expression: a literal, one string of an expanded regex, or a regex. Its index is
// the Hyperscan id.
struct Alternative {
  uint32_t pattern = 0;  // index into the pattern table
  uint32_t length = 0;   // match length when fixed, else 0
};

// Frees a database that Hyperscan allocated, or unmaps the cache file a database is used in place
// from (mapping != nullptr, see LoadCached).
struct HsDatabaseDeleter {
  void* mapping = nullptr;
  size_t mapped_bytes = 0;
  void operator()(hs_database_t* db) const {
    if (mapping != nullptr) {
      munmap(mapping, mapped_bytes);
    } else {
      hs_free_database(db);
    }
  }
};
using HsDatabasePtr = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;

// Per thread, one scratch per database the thread scans with, found by the database's
// never-reused serial, so several Database objects can be alive and used from the same thread.
// A thread's scratch for a database is that database's spare one (HyperscanDatabase::spare_,
// allocated on the thread that loaded it) when no other thread has taken it yet.
struct ThreadScratch {
  std::vector<std::pair<uint64_t, hs_scratch_t*>> by_serial;
  ~ThreadScratch() {
    for (auto& [serial, scratch] : by_serial) hs_free_scratch(scratch);
  }
};

struct Event {
  uint32_t index;  // pattern
  uint32_t from;   // exact start when the alternative has a fixed length
  uint32_t to;
};

struct ScanContext {
  const Alternative* alternatives;
  std::vector<Event>* events;
};

int OnMatch(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
            void* context) {
  const auto* c = static_cast<const ScanContext*>(context);
  const Alternative& alternative = c->alternatives[id];
  const auto end = static_cast<uint32_t>(to);
  c->events->push_back(Event{alternative.pattern, end - alternative.length, end});
  return 0;
}

std::atomic<uint64_t> next_serial{1};

class HyperscanDatabase final : public DatabaseBase {
 public:
  HyperscanDatabase(std::vector<HsPattern> patterns, std::vector<Alternative> alternatives,
                    HsDatabasePtr db, std::string fingerprint, bool from_cache)
      : DatabaseBase(patterns.size(), std::move(fingerprint)),
        patterns_(std::move(patterns)),
        alternatives_(std::move(alternatives)),
        db_(std::move(db)),
        from_cache_(from_cache),
        serial_(next_serial.fetch_add(1)) {
    // hs_alloc_scratch checks the whole bytecode's CRC (~11 M instructions for the answer
    // database): done here, on the loading thread, a thread's first scan (`check TEXT`'s only
    // one, on the main thread) takes this scratch instead of paying for it (start-up, issue 2).
    hs_scratch_t* spare = nullptr;
    if (from_cache_ && db_ != nullptr && hs_alloc_scratch(db_.get(), &spare) == HS_SUCCESS) {
      spare_.store(spare);
    }
  }
  ~HyperscanDatabase() override {
    if (hs_scratch_t* spare = spare_.exchange(nullptr); spare != nullptr) hs_free_scratch(spare);
  }
  HyperscanDatabase(const HyperscanDatabase&) = delete;
  HyperscanDatabase& operator=(const HyperscanDatabase&) = delete;

  Engine engine() const override { return Engine::kHyperscan; }
  bool from_cache() const override { return from_cache_; }

  using Database::Scan;
  void Scan(const ScanText& scan_text, std::vector<Hit>* hits) const override {
    hits->clear();
    if (patterns_.empty() || scan_text.view().empty()) return;
    std::string_view text = scan_text.view();
    if (text.size() > UINT32_MAX) text = text.substr(0, UINT32_MAX);  // offsets are 32-bit
    hs_scratch_t* scratch = Scratch();
    thread_local std::vector<Event> events;
    events.clear();
    ScanContext context{alternatives_.data(), &events};
    if (scratch == nullptr || hs_scan(db_.get(), text.data(), static_cast<unsigned>(text.size()), 0,
                                      scratch, OnMatch, &context) != HS_SUCCESS) {
      ScanWithoutHyperscan(text, hits);
      scan_text.MapToInput(hits);
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
      if (p.KnownStarts()) {
        ReduceKnownStarts(p, text, &events[i], &events[i] + (j - i), hits);
      } else {
        ReduceRegex(p, text, &events[i], &events[i] + (j - i), hits);
      }
      i = j;
    }
    SortHits(hits);
    scan_text.MapToInput(hits);
  }

 private:
  hs_scratch_t* Scratch() const {
    thread_local ThreadScratch tls;
    for (const auto& [serial, scratch] : tls.by_serial) {
      if (serial == serial_) return scratch;
    }
    // hs_alloc_scratch would check the bytecode's CRC again: the spare one was allocated for
    // this very database.
    hs_scratch_t* scratch = spare_.exchange(nullptr);
    if (scratch == nullptr && hs_alloc_scratch(db_.get(), &scratch) != HS_SUCCESS) return nullptr;
    if (tls.by_serial.size() >= 64) {
      hs_free_scratch(tls.by_serial.front().second);
      tls.by_serial.erase(tls.by_serial.begin());
    }
    tls.by_serial.emplace_back(serial_, scratch);
    return scratch;
  }

  // Reports with exact starts (literals, literal sets, fixed-width regexes) list every match, so
  // the algorithm of common.h runs on them directly: by start, the longest valid match at the
  // leftmost start not before the previous hit's end.
  static void ReduceKnownStarts(const HsPattern& p, std::string_view text, Event* begin, Event* end,
                                std::vector<Hit>* hits) {
    std::sort(begin, end, [](const Event& a, const Event& b) {
      return a.from != b.from ? a.from < b.from : a.to > b.to;
    });
    uint32_t pos = 0;
    for (const Event* ev = begin; ev != end;) {
      const uint32_t s = ev->from;
      const Event* group_end = ev;
      while (group_end != end && group_end->from == s) ++group_end;
      if (s >= pos && (!p.latin_boundary || StartOk(text, s))) {
        for (; ev != group_end; ++ev) {
          if ((!p.latin_boundary || EndOk(text, ev->to)) &&
              (!p.literal || SplitsNoNumber(text, s, ev->to))) {
            hits->push_back(Hit{p.id, s, ev->to});
            pos = ev->to;
            break;
          }
        }
      }
      ev = group_end;
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
        FindExactLiteral(ScanLiteral(p.expression), text, p.latin_boundary, p.id, hits);
      } else {
        FindExactRe2(p.re->Get(), text, 0, text.size(), p.latin_boundary, p.id, hits);
      }
    }
    SortHits(hits);
  }

  std::vector<HsPattern> patterns_;
  std::vector<Alternative> alternatives_;
  HsDatabasePtr db_;
  bool from_cache_;
  uint64_t serial_;
  mutable std::atomic<hs_scratch_t*> spare_{nullptr};  // owned until a thread takes it
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

// Cache file (the file name is the patterns' fingerprint):
//   magic line (kCacheMagic);
//   checksum line: Checksum() of every byte after it, 16 hex digits and '\n';
//   the number of regexes (uint32) and each regex's RegexInfo (in spec order);
//   the number of alternatives (uint32) and each Alternative;
//   the platform probe: its byte count (uint32) and a one-literal database serialized by the same
//   process that compiled the main one (see PlatformProbe);
//   the database's byte count (uint64), zeros up to the next multiple of kImageAlign;
//   the database itself as hs_deserialize_database_at lays it out at a page-aligned address.
// A load maps the file and scans with the database where it lies: its pages are the page cache's,
// with no copy and no zero-filled pages (start-up, issue 2); the checksum still reads them all
// once. The file must never be rewritten in place while mapped (WriteFileAtomic renames).
// Hyperscan's bytecode holds offsets, not pointers; the only position-dependent field of a
// deserialized database is the bytecode's offset from the header, which depends on the header's
// address modulo 64, and both the writer's buffer and the mapping are page-aligned.
struct RegexInfo {
  uint32_t max_width = 0;
  uint32_t length = 0;
  uint32_t literal_set = 0;
};

constexpr size_t kImageAlign = 4096;
constexpr size_t kChecksumLineBytes = 17;  // 16 hex digits and '\n'

// 64-bit checksum of a cache file (XXH3 from libxxhash): catches a damaged or truncated file at
// memory speed; the cache directory is the user's own, so it is not a defence against an adversary.
uint64_t Checksum(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

std::string ChecksumLine(std::string_view bytes) {
  return fmt::format("{:016x}\n", Checksum(bytes));
}

struct CachedDatabase {
  HsDatabasePtr db;
  std::vector<RegexInfo> regexes;
  std::vector<Alternative> alternatives;
};

// Reads a uint32 count and that many T from the front of *view.
template <class T>
bool ReadTable(std::string_view* view, std::vector<T>* out) {
  uint32_t count = 0;
  if (view->size() < 4) return false;
  std::memcpy(&count, view->data(), 4);
  view->remove_prefix(4);
  if (view->size() / sizeof(T) < count) return false;
  out->resize(count);
  // An empty table has no storage: memcpy must not be given its null pointer.
  if (count != 0) std::memcpy(out->data(), view->data(), count * sizeof(T));
  view->remove_prefix(count * sizeof(T));
  return true;
}

template <class T>
void AppendTable(const std::vector<T>& table, std::string* out) {
  const auto count = static_cast<uint32_t>(table.size());
  out->append(reinterpret_cast<const char*>(&count), 4);
  if (!table.empty()) {
    out->append(reinterpret_cast<const char*>(table.data()), table.size() * sizeof(T));
  }
}

template <class T>
bool ReadValue(std::string_view* view, T* out) {
  if (view->size() < sizeof(T)) return false;
  std::memcpy(out, view->data(), sizeof(T));
  view->remove_prefix(sizeof(T));
  return true;
}

template <class T>
void AppendValue(T value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// A whole file mapped read-only (empty when it cannot be mapped). Cache files are only ever
// replaced by rename (WriteFileAtomic), never truncated in place, so the mapping stays valid.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
      const auto size = static_cast<size_t>(st.st_size);
      // Populated: the checksum reads every page anyway.
      void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<char*>(p);
        size_ = size;
      }
    }
    close(fd);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) munmap(data_, size_);
  }
  std::string_view view() const { return {data_, size_}; }
  // Hands the mapping to a database that lives in it.
  HsDatabaseDeleter Release() {
    HsDatabaseDeleter owner{data_, size_};
    data_ = nullptr;
    size_ = 0;
    return owner;
  }

 private:
  char* data_ = nullptr;
  size_t size_ = 0;
};

// A one-literal database, serialized. Hyperscan refuses to deserialize a database compiled for
// another platform (CPU features, e.g. under valgrind, which hides AVX-512) or another library
// version, but a database used in place is never deserialized: the probe, compiled next to it,
// is deserialized instead, and carries the same platform and version.
std::string PlatformProbe() {
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile("medaudit", 0, HS_MODE_BLOCK, nullptr, &db, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return "";
  }
  char* bytes = nullptr;
  size_t length = 0;
  std::string out;
  if (hs_serialize_database(db, &bytes, &length) == HS_SUCCESS) {
    out.assign(bytes, length);
    std::free(bytes);
  }
  hs_free_database(db);
  return out;
}

bool PlatformMatches(std::string_view probe) {
  hs_database_t* db = nullptr;
  if (probe.empty() || hs_deserialize_database(probe.data(), probe.size(), &db) != HS_SUCCESS) {
    return false;
  }
  hs_free_database(db);
  return true;
}

std::optional<CachedDatabase> LoadCached(const std::string& path, size_t regex_count,
                                         size_t pattern_count) {
  MappedFile file(path);
  const std::string_view whole = file.view();
  if (whole.size() < kCacheMagic.size() + kChecksumLineBytes || !whole.starts_with(kCacheMagic)) {
    return std::nullopt;
  }
  const std::string_view body = whole.substr(kCacheMagic.size() + kChecksumLineBytes);
  if (whole.substr(kCacheMagic.size(), kChecksumLineBytes) != ChecksumLine(body)) {
    return std::nullopt;
  }
  std::string_view view = body;
  CachedDatabase out;
  if (!ReadTable(&view, &out.regexes) || out.regexes.size() != regex_count ||
      !ReadTable(&view, &out.alternatives)) {
    return std::nullopt;
  }
  for (const Alternative& a : out.alternatives) {
    if (a.pattern >= pattern_count) return std::nullopt;
  }
  uint32_t probe_bytes = 0;
  if (!ReadValue(&view, &probe_bytes) || view.size() < probe_bytes ||
      !PlatformMatches(view.substr(0, probe_bytes))) {
    return std::nullopt;
  }
  view.remove_prefix(probe_bytes);
  uint64_t image_bytes = 0;
  if (!ReadValue(&view, &image_bytes)) return std::nullopt;
  const size_t offset = whole.size() - view.size();
  const size_t image_offset = (offset + kImageAlign - 1) / kImageAlign * kImageAlign;
  if (image_offset > whole.size() || whole.size() - image_offset != image_bytes) {
    return std::nullopt;
  }
  // The mapping starts on a page, so the database starts on one too, as when it was written.
  auto* db = reinterpret_cast<hs_database_t*>(const_cast<char*>(whole.data()) + image_offset);
  size_t size = 0;
  if (hs_database_size(db, &size) != HS_SUCCESS || size != image_bytes) return std::nullopt;
  out.db = HsDatabasePtr(db, file.Release());
  return out;
}

void StoreCached(const std::string& dir, const std::string& path, const hs_database_t* db,
                 const std::vector<HsPattern>& patterns,
                 const std::vector<Alternative>& alternatives) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  const std::unique_ptr<char, decltype(&std::free)> serialized(bytes, &std::free);
  size_t image_bytes = 0;
  if (hs_serialized_database_size(bytes, length, &image_bytes) != HS_SUCCESS) return;
  const std::string probe = PlatformProbe();
  if (probe.empty()) return;
  // The database as deserialized at a page-aligned address (see the format above).
  const size_t padded = (image_bytes + kImageAlign - 1) / kImageAlign * kImageAlign;
  const std::unique_ptr<void, decltype(&std::free)> image(std::aligned_alloc(kImageAlign, padded),
                                                          &std::free);
  if (!image || hs_deserialize_database_at(
                    bytes, length, static_cast<hs_database_t*>(image.get())) != HS_SUCCESS) {
    return;
  }
  std::vector<RegexInfo> regexes;
  for (const HsPattern& p : patterns) {
    if (!p.literal) regexes.push_back({p.max_width, p.length, p.literal_set ? 1u : 0u});
  }
  std::string file(kCacheMagic);
  const size_t checksum_at = file.size();
  file.append(kChecksumLineBytes, '\n');
  AppendTable(regexes, &file);
  AppendTable(alternatives, &file);
  AppendValue(static_cast<uint32_t>(probe.size()), &file);
  file += probe;
  AppendValue(static_cast<uint64_t>(image_bytes), &file);
  file.resize((file.size() + kImageAlign - 1) / kImageAlign * kImageAlign, '\0');
  file.append(static_cast<const char*>(image.get()), image_bytes);
  const size_t body = checksum_at + kChecksumLineBytes;
  file.replace(checksum_at, kChecksumLineBytes, ChecksumLine(std::string_view(file).substr(body)));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (WriteFileAtomic(path, file)) {  // best effort: a failed write only costs a recompile
    PruneOldestFiles(dir, ".hsdb", kMaxCacheBytes, path);
  }
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
    p.expression = ScanLiteral(spec.expression);
    p.length = static_cast<uint32_t>(p.expression.size());
  }
  return p;
}

// Builds the pattern table of a cached database without compiling a regex; takes the expressions
// of `movable` (specs itself, or null: copies) once every spec has passed QuickCheck.
Result<std::vector<HsPattern>> PatternsFromCache(const std::vector<PatternSpec>& specs,
                                                 const std::vector<RegexInfo>& regexes,
                                                 const Options& options,
                                                 std::vector<PatternSpec>* movable) {
  for (const PatternSpec& spec : specs) {
    if (auto status = QuickCheck(spec, options.max_expression_bytes); !status) {
      return status.error();
    }
  }
  auto expression = [movable, &specs](size_t i) -> std::string {
    if (movable != nullptr) return std::move((*movable)[i].expression);
    return specs[i].expression;
  };
  std::vector<HsPattern> patterns;
  patterns.reserve(specs.size());
  size_t next_width = 0;
  for (size_t i = 0; i < specs.size(); ++i) {
    const PatternSpec& spec = specs[i];
    HsPattern p;
    p.id = spec.id;
    p.literal = spec.literal;
    p.latin_boundary = spec.latin_boundary;
    if (spec.literal) {
      p.expression = expression(i);  // ScanLiteral is applied if it is ever needed
    } else {
      p.max_width = regexes[next_width].max_width;
      p.length = regexes[next_width].length;
      p.literal_set = regexes[next_width].literal_set != 0;
      ++next_width;
      p.re = std::make_unique<LazyRegex>(expression(i));
    }
    patterns.push_back(std::move(p));
  }
  return patterns;
}

}  // namespace

uint64_t CacheChecksum(std::string_view bytes) { return Checksum(bytes); }

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

// The expression Hyperscan scans for a variable-width regex: per top-level alternative that opens
// with a character class ("[a-z]{3,}…", "(?:[a-z]{2,}\s+){0,2}…", "[\x{4e00}-\x{9fff}]{2,4}…"), the
// suffix from its first top-level "[0-9]" (the number of "herb 5 g"); other alternatives whole.
// Any suffix of a concatenation matches wherever the whole does, ending at the same offset, so the
// result reports a superset of the regex's match ends; a leading class run gives Hyperscan no
// literal to anchor on and keeps an automaton running over every letter of the text.
std::string ScanSuffix(std::string_view expression) {
  std::string out;
  std::string alternative;
  size_t cut = std::string::npos;  // where alternative's first top-level "[0-9]" starts
  auto flush = [&] {
    const bool opens_class = alternative.rfind("[", 0) == 0 || alternative.rfind("(?:[", 0) == 0;
    out += opens_class && cut != std::string::npos ? alternative.substr(cut) : alternative;
    alternative.clear();
    cut = std::string::npos;
  };
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < expression.size(); ++i) {
    char c = expression[i];
    if (c == '\\' && i + 1 < expression.size()) {
      alternative += expression.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      if (depth == 0 && cut == std::string::npos && !alternative.empty() &&
          expression.substr(i, 5) == "[0-9]") {
        cut = alternative.size();
      }
      in_class = true;
      // A ']' first in the class (after an optional '^') is a member.
      for (const char member : {'^', ']'}) {
        if (i + 1 < expression.size() && expression[i + 1] == member) {
          alternative.push_back(c);
          c = expression[++i];
        }
      }
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      flush();
      out.push_back('|');
      continue;
    }
    alternative.push_back(c);
  }
  flush();
  return out;
}

// Whether Hyperscan accepts the expression and every match of it is at least one byte long (it
// rejects patterns that can match the empty string).
bool NeverMatchesEmpty(const std::string& expression) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(expression.c_str(), kRegexFlags, &info, &error) != HS_SUCCESS) {
    hs_free_compile_error(error);
    return false;
  }
  const bool non_empty = info->min_width > 0;
  std::free(info);
  return non_empty;
}

// Fills the width fields of a regex pattern from hs_expression_info.
Status SetRegexWidths(const PatternSpec& spec, const std::string& expression, HsPattern* p) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(expression.c_str(), kRegexFlags, &info, &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    return MakeError(ErrorCode::kPatternError,
                     "pattern " + std::to_string(spec.id) + ": hyperscan: " + message);
  }
  if (info->max_width != UINT_MAX) {
    p->max_width = info->max_width;
    if (info->min_width == info->max_width) p->length = info->max_width;
  }
  std::free(info);
  return {};
}

// The Hyperscan expressions of every pattern, in order, and the pattern table.
struct Expressions {
  std::vector<HsPattern> patterns;
  std::vector<Alternative> alternatives;  // parallel to expressions and flags
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;

  void AddLiteral(std::string_view literal) {
    alternatives.push_back(
        Alternative{static_cast<uint32_t>(patterns.size()), static_cast<uint32_t>(literal.size())});
    expressions.push_back(LiteralExpression(literal));
    flags.push_back(0);
  }
};

Status AddSpec(const PatternSpec& spec, const Options& options, Expressions* out) {
  auto re = CheckSpec(spec, options.max_expression_bytes);
  if (!re) return re.error();
  HsPattern p = PatternBase(spec);
  if (spec.literal) {
    out->AddLiteral(p.expression);
  } else if (auto strings =
                 ExpandFinite(spec.expression, kMaxExpansionStrings, kMaxExpansionBytes)) {
    p.literal_set = true;
    for (const std::string& literal : *strings) out->AddLiteral(literal);
    p.re = std::make_unique<LazyRegex>(std::move(re.value()));
  } else {
    const std::string expression = re.value()->pattern();
    if (auto status = SetRegexWidths(spec, expression, &p); !status) return status.error();
    out->alternatives.push_back(Alternative{static_cast<uint32_t>(out->patterns.size()), p.length});
    // A variable-width regex is confirmed by RE2 in windows of max_width before each reported end
    // (ReduceRegex), so Hyperscan only has to report a superset of its match ends.
    std::string scan = p.length == 0 ? ScanSuffix(expression) : expression;
    if (scan != expression && !NeverMatchesEmpty(scan)) scan = expression;
    out->expressions.push_back(std::move(scan));
    out->flags.push_back(kRegexFlags);
    p.re = std::make_unique<LazyRegex>(std::move(re.value()));
  }
  out->patterns.push_back(std::move(p));
  return {};
}

Result<std::shared_ptr<const Database>> CompileHyperscan(const std::vector<PatternSpec>& specs,
                                                         const Options& options,
                                                         std::vector<PatternSpec>* movable) {
  const std::string fingerprint = Fingerprint("hyperscan", hs_version(), specs);
  std::string cache_path;
  if (!options.cache_dir.empty() && !specs.empty()) {
    cache_path = options.cache_dir + "/" + fingerprint + ".hsdb";
    const auto regexes = static_cast<size_t>(
        std::count_if(specs.begin(), specs.end(), [](const PatternSpec& s) { return !s.literal; }));
    if (auto cached = LoadCached(cache_path, regexes, specs.size())) {
      TouchFile(cache_path);  // recently used: pruning removes the others first
      auto patterns = PatternsFromCache(specs, cached->regexes, options, movable);
      if (!patterns) return patterns.error();
      return std::shared_ptr<const Database>(
          std::make_shared<HyperscanDatabase>(std::move(*patterns), std::move(cached->alternatives),
                                              std::move(cached->db), fingerprint, true));
    }
  }
  Expressions all;
  all.patterns.reserve(specs.size());
  for (const PatternSpec& spec : specs) {
    if (auto status = AddSpec(spec, options, &all); !status) return status.error();
  }
  if (specs.empty()) {
    return std::shared_ptr<const Database>(std::make_shared<HyperscanDatabase>(
        std::move(all.patterns), std::move(all.alternatives), nullptr, fingerprint, false));
  }
  std::vector<const char*> pointers;
  std::vector<unsigned> ids;
  pointers.reserve(all.expressions.size());
  for (const std::string& e : all.expressions) {
    ids.push_back(static_cast<unsigned>(pointers.size()));
    pointers.push_back(e.c_str());
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), all.flags.data(), ids.data(),
                       static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK, nullptr, &db,
                       &error) != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    const int index = error != nullptr ? error->expression : -1;
    hs_free_compile_error(error);
    if (index >= 0 && static_cast<size_t>(index) < all.alternatives.size()) {
      const uint32_t pattern = all.alternatives[static_cast<size_t>(index)].pattern;
      return MakeError(ErrorCode::kPatternError,
                       "pattern " + std::to_string(specs[pattern].id) + ": hyperscan: " + message);
    }
    return MakeError(ErrorCode::kPatternError, "hyperscan: " + message);
  }
  HsDatabasePtr owned(db);
  if (!cache_path.empty()) {
    StoreCached(options.cache_dir, cache_path, db, all.patterns, all.alternatives);
  }
  return std::shared_ptr<const Database>(std::make_shared<HyperscanDatabase>(
      std::move(all.patterns), std::move(all.alternatives), std::move(owned), fingerprint, false));
}

}  // namespace medaudit::match::internal

#endif  // MEDAUDIT_HAVE_HYPERSCAN
