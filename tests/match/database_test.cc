// Tests of the multi-pattern matcher (match/database.h): semantics on hand-made cases, errors, the
// Hyperscan cache, and differential tests Hyperscan vs RE2 (random and over the shared corpora).
#include "match/database.h"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/utf8.h"
#include "match/internal/common.h"
#include "match/internal/hyperscan_database.h"

namespace medaudit::match {
namespace {

PatternSpec Lit(uint32_t id, std::string expression, bool boundary = false) {
  return PatternSpec{id, std::move(expression), true, boundary};
}
PatternSpec Re(uint32_t id, std::string expression, bool boundary = false) {
  return PatternSpec{id, std::move(expression), false, boundary};
}

std::shared_ptr<const Database> MustCompile(const std::vector<PatternSpec>& specs, Engine engine,
                                            const std::string& cache_dir = "") {
  Options options;
  options.engine = engine;
  options.cache_dir = cache_dir;
  auto db = Database::Compile(specs, options);
  if (!db) FAIL("compile failed: " << db.error().ToString());
  return *db;
}

std::vector<Hit> ScanWith(const Database& db, std::string_view text) {
  std::vector<Hit> hits;
  db.Scan(text, &hits);
  return hits;
}

std::string Show(const std::vector<Hit>& hits) {
  std::ostringstream out;
  for (const Hit& h : hits) out << "{" << h.id << "," << h.begin << "," << h.end << "} ";
  return out.str();
}

// Scans with both engines, checks they agree, returns the hits.
std::vector<Hit> ScanBoth(const std::vector<PatternSpec>& specs, std::string_view text) {
  auto re2 = MustCompile(specs, Engine::kRe2);
  auto hs = MustCompile(specs, Engine::kHyperscan);
  std::vector<Hit> a = ScanWith(*re2, text);
  std::vector<Hit> b = ScanWith(*hs, text);
  INFO("text: " << text);
  INFO("re2: " << Show(a));
  INFO("hs:  " << Show(b));
  CHECK(a == b);
  return a;
}

bool Valid(const PatternSpec& spec) { return ValidateExpression(spec).has_value(); }

std::vector<Hit> H(std::initializer_list<Hit> hits) { return hits; }

TEST_CASE("literals in Chinese, Arabic and English", "[match]") {
  std::vector<PatternSpec> specs = {Lit(1, "阿莫西林"), Lit(2, "أموكسيسيلين"),
                                    Lit(3, "amoxicillin", true), Lit(4, "布洛芬")};
  const std::string text = "服用阿莫西林和布洛芬; take amoxicillin; تناول أموكسيسيلين";
  auto hits = ScanBoth(specs, text);
  REQUIRE(hits.size() == 4);
  CHECK(text.substr(hits[0].begin, hits[0].end - hits[0].begin) == "阿莫西林");
  CHECK(hits[0].id == 1);
  CHECK(hits[1].id == 4);
  CHECK(hits[2].id == 3);
  CHECK(text.substr(hits[2].begin, hits[2].end - hits[2].begin) == "amoxicillin");
  CHECK(hits[3].id == 2);
  CHECK(ScanBoth(specs, "").empty());
  CHECK(ScanBoth({}, "anything").empty());
}

TEST_CASE("regexes with classes and counted repetition", "[match]") {
  std::vector<PatternSpec> specs = {Re(1, "[0-9]+(\\.[0-9]+)?\\s*(mg|g|ml|毫克|克|毫升)", true),
                                    Re(2, "每[日天]\\s*[0-9]+\\s*次"), Re(3, "q[0-9]{1,2}h", true),
                                    Re(4, "كل\\s*[0-9]+\\s*ساع"),
                                    Re(5, "every\\s+[0-9]+\\s*(hours|hrs|h)", true)};
  const std::string text = "take 2.5 mg q8h, 每日 3 次 500毫克, كل 8 ساعات, every 12 hours, q123h";
  auto hits = ScanBoth(specs, text);
  std::vector<std::pair<uint32_t, std::string>> got;
  for (const Hit& h : hits) got.emplace_back(h.id, text.substr(h.begin, h.end - h.begin));
  std::vector<std::pair<uint32_t, std::string>> want = {{1, "2.5 mg"},    {3, "q8h"},
                                                        {2, "每日 3 次"}, {1, "500毫克"},
                                                        {4, "كل 8 ساع"},  {5, "every 12 hours"}};
  CHECK(got == want);
}

TEST_CASE("latin_boundary", "[match]") {
  std::vector<PatternSpec> specs = {Lit(1, "ketamine", true), Lit(2, "tid", true),
                                    Lit(3, "esketamine", true)};
  CHECK(ScanBoth(specs, "esketamine") == H({{3, 0, 10}}));
  CHECK(ScanBoth(specs, "ketamine, esketamine") == H({{1, 0, 8}, {3, 10, 20}}));
  CHECK(ScanBoth(specs, "timid tid tidy (tid) antidote") == H({{2, 6, 9}, {2, 16, 19}}));
  // Digits and CJK are not letters: "tid3次" still matches, Chinese around a name too.
  CHECK(ScanBoth(specs, "1tid3次").size() == 1);
  CHECK(ScanBoth(specs, "用ketamine治疗") == H({{1, 3, 11}}));
  // Without the flag, substrings match.
  CHECK(ScanBoth({Lit(7, "tid")}, "antidote") == H({{7, 2, 5}}));
}

TEST_CASE("a literal never matches inside a number", "[match]") {
  // Crisis numbers and numeric terms: "120" is not in "1200 mg", "000" not in "2000 ml".
  const std::vector<PatternSpec> specs = {Lit(1, "120"), Lit(2, "000"), Lit(3, "3次")};
  CHECK(ScanBoth(specs, "1200 mg, 2000 ml, 13次").empty());
  CHECK(ScanBoth(specs, "打120，拨000，一天3次") == H({{1, 3, 6}, {2, 12, 15}, {3, 24, 28}}));
  CHECK(ScanBoth(specs, "120.5 or 1,000") == H({{1, 0, 3}, {2, 11, 14}}));
  // Letters and other bytes next to the digits do not block (no latin_boundary here).
  CHECK(ScanBoth(specs, "call120now") == H({{1, 4, 7}}));
  // Regexes keep their own semantics: a pattern may start inside a number.
  CHECK(ScanBoth({Re(4, "20[0-9]")}, "1200") == H({{4, 1, 4}}));
}

TEST_CASE("a match failing the boundary does not hide a valid overlapping one", "[match]") {
  // Longest at 0 is "12 m" (then "g"), "12 " is followed by "m"; "12" is valid.
  CHECK(ScanBoth({Re(1, "[0-9]+ ?m?", true)}, "12 mg") == H({{1, 0, 2}}));
  // Start 1 fails ("a" before), start 2 is valid.
  CHECK(ScanBoth({Re(1, "[0-9]+x?", true)}, "a12x") == H({{1, 2, 4}}));
  // Literal occurrences overlapping an invalid one.
  CHECK(ScanBoth({Lit(1, "aba", true)}, "xaba aba") == H({{1, 5, 8}}));
  CHECK(ScanBoth({Lit(1, "1a1", true)}, "1a1a1").empty());
  CHECK(ScanBoth({Lit(1, "1a1", true)}, "1a1 1a1a1 1a1") == H({{1, 0, 3}, {1, 10, 13}}));
  CHECK(ScanBoth({Re(1, "q[0-9]+h", true)}, "xq8h q12h q1hx") == H({{1, 5, 9}}));
}

TEST_CASE("overlapping matches of different patterns are all reported", "[match]") {
  std::vector<PatternSpec> specs = {Lit(1, "阿莫西林"), Lit(2, "阿莫西林克拉维酸钾"),
                                    Lit(3, "克拉维酸"), Re(4, "[0-9]+mg"), Re(5, "mg")};
  const std::string text = "阿莫西林克拉维酸钾 250mg";
  auto hits = ScanBoth(specs, text);
  REQUIRE(hits.size() == 5);
  CHECK(hits[0].id == 1);
  CHECK(hits[1].id == 2);
  CHECK(hits[2].id == 3);
  CHECK(hits[3].id == 4);
  CHECK(hits[4].id == 5);
}

TEST_CASE("leftmost-longest non-overlapping per pattern", "[match]") {
  CHECK(ScanBoth({Re(1, "ab|abcd|bcde")}, "abcde") == H({{1, 0, 4}}));
  CHECK(ScanBoth({Re(1, "a+")}, "aaa baa") == H({{1, 0, 3}, {1, 5, 7}}));
  CHECK(ScanBoth({Lit(1, "aa")}, "aaaaa") == H({{1, 0, 2}, {1, 2, 4}}));
  CHECK(ScanBoth({Re(1, "(a|ab)(c|bcd)?")}, "abcd") == H({{1, 0, 4}}));
  CHECK(ScanBoth({Re(1, "x[0-9]*")}, "x1x22") == H({{1, 0, 2}, {1, 2, 5}}));
}

TEST_CASE("invalid patterns are errors naming the pattern id", "[match]") {
  const std::vector<std::pair<std::string, std::string>> cases = {{"(abc", ""},
                                                                  {"a\\bc", "boundary"},
                                                                  {"(?=a)b", "lookahead"},
                                                                  {"(a)\\1", "backref"},
                                                                  {"^abc", "anchor"},
                                                                  {"abc$", "anchor"},
                                                                  {"(?<!a)b", "lookbehind"},
                                                                  {"(?i)abc", "inline"},
                                                                  {"\\p{Han}", "Unicode"},
                                                                  {"[abc", "unterminated"},
                                                                  {"a{2,1}", ""}};
  for (Engine engine : {Engine::kRe2, Engine::kHyperscan}) {
    for (const auto& [expression, words] : cases) {
      Options options;
      options.engine = engine;
      auto db = Database::Compile({Lit(1, "ok"), Re(4242, expression)}, options);
      INFO(expression);
      REQUIRE_FALSE(db.has_value());
      CHECK(db.error().code == ErrorCode::kPatternError);
      CHECK_THAT(db.error().message, Catch::Contains("4242"));
      if (!words.empty()) CHECK_THAT(db.error().message, Catch::Contains(words));
      CHECK_FALSE(Valid(Re(4242, expression)));
    }
  }
  CHECK(Valid(Re(1, "q[0-9]+h")));
  CHECK(Valid(Re(1, "每[日天]\\s*[0-9]+\\s*次")));
  CHECK(Valid(Lit(1, "a.b(")));
  CHECK_FALSE(Valid(Lit(1, "")));
  CHECK_FALSE(Valid(Lit(1, "\xff\xfe")));
}

TEST_CASE("empty-matching patterns are rejected", "[match]") {
  for (const std::string expression : {"a*", "(x)?", "[0-9]*(mg)?", "(|a)"}) {
    INFO(expression);
    auto status = ValidateExpression(Re(9, expression));
    REQUIRE_FALSE(status.has_value());
    CHECK_THAT(status.error().message, Catch::Contains("empty"));
    for (Engine engine : {Engine::kRe2, Engine::kHyperscan}) {
      Options options;
      options.engine = engine;
      auto db = Database::Compile({Re(9, expression)}, options);
      REQUIRE_FALSE(db.has_value());
      CHECK_THAT(db.error().message, Catch::Contains("9"));
    }
  }
}

TEST_CASE("limits from Options", "[match]") {
  Options options;
  options.max_patterns = 2;
  auto db = Database::Compile({Lit(1, "a"), Lit(2, "b"), Lit(3, "c")}, options);
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().code == ErrorCode::kTooLarge);
  options = Options{};
  options.max_expression_bytes = 4;
  db = Database::Compile({Lit(1, "abcde")}, options);
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().code == ErrorCode::kPatternError);
}

TEST_CASE("engine names and fallback", "[match]") {
  CHECK(EngineName(Engine::kHyperscan) == "hyperscan");
  CHECK(EngineName(Engine::kRe2) == "re2");
  auto db = MustCompile({Lit(1, "a")}, Engine::kRe2);
  CHECK(db->engine() == Engine::kRe2);
  CHECK(db->pattern_count() == 1);
  CHECK(db->fingerprint().size() == 64);
#ifdef MEDAUDIT_HAVE_HYPERSCAN
  CHECK(MustCompile({Lit(1, "a")}, Engine::kHyperscan)->engine() == Engine::kHyperscan);
#endif
}

TEST_CASE("Hyperscan cache round trip and corrupted cache", "[match]") {
#ifdef MEDAUDIT_HAVE_HYPERSCAN
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("medaudit_match_cache_" + std::to_string(std::random_device{}()));
  std::filesystem::remove_all(dir);
  std::vector<PatternSpec> specs = {Lit(1, "阿莫西林"), Re(2, "q[0-9]+h", true),
                                    Lit(3, "tid", true)};
  const std::string text = "阿莫西林 q8h tid timid";
  auto first = MustCompile(specs, Engine::kHyperscan, dir.string());
  CHECK_FALSE(first->from_cache());
  const std::filesystem::path file = dir / (first->fingerprint() + ".hsdb");
  REQUIRE(std::filesystem::exists(file));
  auto second = MustCompile(specs, Engine::kHyperscan, dir.string());
  CHECK(second->from_cache());
  CHECK(second->fingerprint() == first->fingerprint());
  CHECK(ScanWith(*second, text) == ScanWith(*first, text));
  CHECK(ScanWith(*second, text).size() == 3);

  // A cached database compiles its RE2 confirmation programs on first use: several threads
  // racing to the first hit of the variable-width regex all get the same hits.
  {
    auto cached = MustCompile(specs, Engine::kHyperscan, dir.string());
    REQUIRE(cached->from_cache());
    const auto want = ScanWith(*first, text);
    std::vector<std::vector<Hit>> got(4);
    std::vector<std::thread> threads;
    for (auto& out : got) threads.emplace_back([&] { out = ScanWith(*cached, text); });
    for (auto& t : threads) t.join();
    for (const auto& out : got) CHECK(out == want);
  }

  // Different specs: different fingerprint, not from cache.
  auto other = MustCompile({Lit(1, "阿莫西林")}, Engine::kHyperscan, dir.string());
  CHECK_FALSE(other->from_cache());
  CHECK(other->fingerprint() != first->fingerprint());

  // Corrupt one byte of our tables (after the checksum line), one in the middle (Hyperscan's
  // bytecode, used in place from the mapped file), then truncate: ignored and rebuilt.
  for (int round = 0; round < 3; ++round) {
    std::string bytes;
    {
      std::ifstream in(file, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    if (round == 0) {
      const size_t tables = bytes.find('\n', bytes.find('\n') + 1) + 1;
      REQUIRE(tables + 5 < bytes.size());
      bytes[tables + 5] ^= 0x55;  // the first regex's max_width: only the checksum sees it
    } else if (round == 1) {
      bytes[bytes.size() / 2] ^= 0x55;
    } else {
      bytes.resize(bytes.size() / 3);
    }
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << bytes;
    }
    auto rebuilt = MustCompile(specs, Engine::kHyperscan, dir.string());
    CHECK_FALSE(rebuilt->from_cache());
    CHECK(ScanWith(*rebuilt, text) == ScanWith(*first, text));
    CHECK(MustCompile(specs, Engine::kHyperscan, dir.string())->from_cache());
  }
  std::filesystem::remove_all(dir);
#else
  WARN("built without Hyperscan");
#endif
}

#ifdef MEDAUDIT_HAVE_HYPERSCAN
// The cache file's bytes after the checksum line (magic line, then 16 hex digits and '\n').
size_t CacheBody(const std::string& bytes) { return bytes.find('\n', bytes.find('\n') + 1) + 1; }

std::string ReadBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteBytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}
#endif

TEST_CASE("a cached database of another platform is rebuilt", "[match]") {
#ifdef MEDAUDIT_HAVE_HYPERSCAN
  // A database is used in place from the mapped cache file, never deserialized; the platform
  // probe stored beside it (a one-literal database) is what Hyperscan checks. Give the probe a
  // foreign platform and a valid checksum: the database must be compiled again, not used.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("medaudit_match_probe_" + std::to_string(std::random_device{}()));
  std::filesystem::remove_all(dir);
  const std::vector<PatternSpec> specs = {Lit(1, "布洛芬"), Re(2, "[0-9]+ ?mg", true)};
  const std::string text = "布洛芬 400 mg";
  auto first = MustCompile(specs, Engine::kHyperscan, dir.string());
  REQUIRE_FALSE(first->from_cache());
  const std::filesystem::path file = dir / (first->fingerprint() + ".hsdb");
  std::string bytes = ReadBytes(file);
  const size_t body = CacheBody(bytes);
  size_t at = body;
  uint32_t count = 0;
  std::memcpy(&count, bytes.data() + at, 4);  // regexes
  at += 4 + count * 12;
  std::memcpy(&count, bytes.data() + at, 4);  // alternatives
  at += 4 + count * 8;
  uint32_t probe = 0;
  std::memcpy(&probe, bytes.data() + at, 4);
  at += 4;
  REQUIRE(probe > 20);
  // Hyperscan's serialized header: magic, version, length (uint32 each), then the platform.
  bytes[at + 12] = static_cast<char>(bytes[at + 12] ^ 0x3f);
  const std::string checksum =
      fmt::format("{:016x}", internal::CacheChecksum(std::string_view(bytes).substr(body)));
  bytes.replace(body - 17, 16, checksum);
  WriteBytes(file, bytes);
  auto rebuilt = MustCompile(specs, Engine::kHyperscan, dir.string());
  CHECK_FALSE(rebuilt->from_cache());
  CHECK(ScanWith(*rebuilt, text) == ScanWith(*first, text));
  auto cached = MustCompile(specs, Engine::kHyperscan, dir.string());
  CHECK(cached->from_cache());
  CHECK(ScanWith(*cached, text) == ScanWith(*first, text));
  CHECK(ScanWith(*cached, text).size() == 2);
  std::filesystem::remove_all(dir);
#else
  WARN("built without Hyperscan");
#endif
}

TEST_CASE("several databases alive and several threads", "[match]") {
  auto a = MustCompile({Lit(1, "alpha"), Re(2, "[0-9]+mg")}, Engine::kHyperscan);
  auto b = MustCompile({Lit(3, "beta"), Re(4, "q[0-9]+h")}, Engine::kHyperscan);
  const std::string text = "alpha beta 5mg q8h";
  const std::vector<Hit> want_a = ScanWith(*a, text);
  const std::vector<Hit> want_b = ScanWith(*b, text);
  CHECK(want_a.size() == 2);
  CHECK(want_b.size() == 2);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      int good = 1;
      for (int i = 0; i < 200; ++i) {
        good &= ScanWith(*a, text) == want_a;
        good &= ScanWith(*b, text) == want_b;
      }
      ok[t] = good;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == std::vector<int>(4, 1));
}

TEST_CASE("cached databases hand their spare scratch to the first thread", "[match]") {
#ifdef MEDAUDIT_HAVE_HYPERSCAN
  // A database loaded from the cache allocates one scratch on the loading thread; the first
  // thread that scans it takes that one, the others allocate their own. Several such databases
  // on one thread, threads racing for a spare, a database freed while a thread still holds its
  // scratch, and more databases on one thread than it keeps scratches for all scan alike.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("medaudit_match_spare_" + std::to_string(std::random_device{}()));
  std::filesystem::remove_all(dir);
  const std::vector<PatternSpec> specs_a = {Lit(1, "alpha"), Re(2, "[0-9]+ ?mg", true)};
  const std::vector<PatternSpec> specs_b = {Lit(3, "beta"), Re(4, "q[0-9]+h")};
  const std::string text = "alpha beta 5 mg q8h";
  const auto want_a = ScanWith(*MustCompile(specs_a, Engine::kHyperscan, dir.string()), text);
  const auto want_b = ScanWith(*MustCompile(specs_b, Engine::kHyperscan, dir.string()), text);
  REQUIRE(want_a.size() == 2);
  REQUIRE(want_b.size() == 2);
  for (int round = 0; round < 3; ++round) {
    auto a = MustCompile(specs_a, Engine::kHyperscan, dir.string());
    auto b = MustCompile(specs_b, Engine::kHyperscan, dir.string());
    REQUIRE(a->from_cache());
    REQUIRE(b->from_cache());
    std::vector<int> ok(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        int good = 1;
        for (int i = 0; i < 50; ++i) {
          good &= (t % 2 == 0 ? ScanWith(*a, text) == want_a : ScanWith(*b, text) == want_b);
          good &= (t % 2 == 0 ? ScanWith(*b, text) == want_b : ScanWith(*a, text) == want_a);
        }
        ok[t] = good;
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(ok == std::vector<int>(4, 1));
    CHECK(ScanWith(*a, text) == want_a);  // this thread: a spare or its own scratch
    a.reset();                            // freed while this thread may hold its scratch
    CHECK(ScanWith(*b, text) == want_b);
  }
  for (int i = 0; i < 70; ++i) {  // more than the 64 scratches a thread keeps
    auto a = MustCompile(specs_a, Engine::kHyperscan, dir.string());
    REQUIRE(a->from_cache());
    CHECK(ScanWith(*a, text) == want_a);
  }
  std::filesystem::remove_all(dir);
#else
  WARN("built without Hyperscan");
#endif
}

TEST_CASE("invalid UTF-8 input is scanned identically", "[match]") {
  std::vector<PatternSpec> specs = {Lit(1, "阿莫西林"), Re(2, "[^ ]+mg", true), Re(3, "a.b")};
  ScanBoth(specs, std::string("\xe9\x98 阿莫西林 \xff\xfe"
                              "5mg a\xc3z\x80"
                              "b a\xc3\xa9"
                              "b"));
}

TEST_CASE("scan text is valid UTF-8 and unchanged when already valid and spaced", "[match]") {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a",
                                           "阿",
                                           "\xe9\x98",
                                           "\xff",
                                           "\xc3\xa9",
                                           "\xc0\xaf",
                                           "\xed\xa0\x80",
                                           "\xf4\x90\x80\x80",
                                           "\xf0\x9f\x98\x80",
                                           "\x80",
                                           "abcdefgh",
                                           "\xe0\x80\x80"};
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int n = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int k = 0; k < n; ++k) {
      text += pieces[std::uniform_int_distribution<size_t>(0, pieces.size() - 1)(rng)];
    }
    internal::ScanText scan(text);  // no whitespace among the pieces: same length
    INFO(i);
    REQUIRE(scan.view().size() == text.size());
    REQUIRE(utf8::IsValid(scan.view()));
    if (utf8::IsValid(text)) REQUIRE(scan.view() == text);
  }
}

// ---- Random differential test ----

std::string RandomText(std::mt19937& rng, const std::vector<std::string>& fragments,
                       int max_parts) {
  std::string text;
  const int parts = std::uniform_int_distribution<int>(0, max_parts)(rng);
  for (int i = 0; i < parts; ++i) {
    text += fragments[std::uniform_int_distribution<size_t>(0, fragments.size() - 1)(rng)];
  }
  return text;
}

TEST_CASE("Hyperscan and RE2 agree on random inputs", "[match]") {
  std::mt19937 rng(20240611);
  const std::vector<std::string> fragments = {"a",  "b", "ab", "q",   "1",  "2",  "8",    "h",
                                              "mg", " ", "每", "日",  "次", "كل", "ساعة", "\n",
                                              "x",  "-", ".",  "tid", "e",  "é",  "g",    "0"};
  const std::vector<std::string> atoms = {
      "a", "b",   "1",      "[ab]",  "[0-9]", "[^ ]",   ".", "(a|b1)", "每",  "x",
      "h", "\\s", "(mg|g)", "[a-z]", "日",    "(ab|a)", "é", "\\d",    "\\w", "[^a-z0-9]"};
  const std::vector<std::string> quantifiers = {"", "", "", "+", "?", "*", "{1,2}", "{2}", "+?"};
  int compared = 0;
  for (int round = 0; round < 150; ++round) {
    std::vector<PatternSpec> specs;
    const int count = std::uniform_int_distribution<int>(1, 8)(rng);
    for (int i = 0; i < count; ++i) {
      const bool boundary = std::uniform_int_distribution<int>(0, 1)(rng) == 1;
      const uint32_t id = static_cast<uint32_t>(i * 7 + 1);
      if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) {
        std::string literal = RandomText(rng, fragments, 3);
        if (literal.empty()) literal = "a";
        specs.push_back(Lit(id, literal, boundary));
      } else {
        std::string expression;
        const int n = std::uniform_int_distribution<int>(1, 4)(rng);
        for (int k = 0; k < n; ++k) {
          expression += atoms[std::uniform_int_distribution<size_t>(0, atoms.size() - 1)(rng)];
          expression +=
              quantifiers[std::uniform_int_distribution<size_t>(0, quantifiers.size() - 1)(rng)];
        }
        if (!Valid(Re(id, expression))) continue;  // e.g. matches the empty string
        specs.push_back(Re(id, expression, boundary));
      }
    }
    auto re2 = MustCompile(specs, Engine::kRe2);
    auto hs = MustCompile(specs, Engine::kHyperscan);
    for (int t = 0; t < 40; ++t) {
      const std::string text = RandomText(rng, fragments, 40);
      std::vector<Hit> a = ScanWith(*re2, text);
      std::vector<Hit> b = ScanWith(*hs, text);
      if (a != b) {
        std::ostringstream patterns;
        for (const auto& s : specs) {
          patterns << s.id << (s.literal ? " L " : " R ") << (s.latin_boundary ? "B " : "- ")
                   << s.expression << "\n";
        }
        INFO("patterns:\n" << patterns.str());
        INFO("text: [" << text << "]");
        INFO("re2: " << Show(a));
        INFO("hs:  " << Show(b));
        REQUIRE(a == b);
      }
      ++compared;
    }
  }
  CHECK(compared > 4000);
}

// ---- Differential test over the shared corpora ----

std::vector<PatternSpec> RealisticPatterns() {
  const char* en[] = {"amoxicillin",
                      "ampicillin",
                      "penicillin",
                      "azithromycin",
                      "clarithromycin",
                      "erythromycin",
                      "doxycycline",
                      "tetracycline",
                      "minocycline",
                      "ciprofloxacin",
                      "levofloxacin",
                      "moxifloxacin",
                      "metronidazole",
                      "clindamycin",
                      "vancomycin",
                      "gentamicin",
                      "amikacin",
                      "ceftriaxone",
                      "cefuroxime",
                      "cephalexin",
                      "cefixime",
                      "nitrofurantoin",
                      "trimethoprim",
                      "sulfamethoxazole",
                      "fluconazole",
                      "itraconazole",
                      "nystatin",
                      "acyclovir",
                      "valacyclovir",
                      "oseltamivir",
                      "ibuprofen",
                      "naproxen",
                      "diclofenac",
                      "aspirin",
                      "paracetamol",
                      "acetaminophen",
                      "celecoxib",
                      "indomethacin",
                      "ketorolac",
                      "morphine",
                      "codeine",
                      "tramadol",
                      "oxycodone",
                      "hydrocodone",
                      "fentanyl",
                      "methadone",
                      "buprenorphine",
                      "naloxone",
                      "ketamine",
                      "esketamine",
                      "propofol",
                      "midazolam",
                      "diazepam",
                      "lorazepam",
                      "alprazolam",
                      "clonazepam",
                      "zolpidem",
                      "sertraline",
                      "fluoxetine",
                      "paroxetine",
                      "citalopram",
                      "escitalopram",
                      "venlafaxine",
                      "duloxetine",
                      "bupropion",
                      "mirtazapine",
                      "amitriptyline",
                      "nortriptyline",
                      "trazodone",
                      "lithium",
                      "quetiapine",
                      "olanzapine",
                      "risperidone",
                      "aripiprazole",
                      "haloperidol",
                      "clozapine",
                      "lamotrigine",
                      "valproate",
                      "carbamazepine",
                      "levetiracetam",
                      "phenytoin",
                      "gabapentin",
                      "pregabalin",
                      "topiramate",
                      "metformin",
                      "insulin",
                      "glipizide",
                      "glimepiride",
                      "sitagliptin",
                      "empagliflozin",
                      "dapagliflozin",
                      "liraglutide",
                      "semaglutide",
                      "pioglitazone",
                      "levothyroxine",
                      "methimazole",
                      "prednisone",
                      "prednisolone",
                      "dexamethasone",
                      "hydrocortisone",
                      "methylprednisolone",
                      "budesonide",
                      "fluticasone",
                      "salbutamol",
                      "albuterol",
                      "montelukast",
                      "tiotropium",
                      "cetirizine",
                      "loratadine",
                      "diphenhydramine",
                      "omeprazole",
                      "esomeprazole",
                      "pantoprazole",
                      "lansoprazole",
                      "ranitidine",
                      "famotidine",
                      "ondansetron",
                      "metoclopramide",
                      "loperamide",
                      "lisinopril",
                      "enalapril",
                      "ramipril",
                      "losartan",
                      "valsartan",
                      "candesartan",
                      "amlodipine",
                      "nifedipine",
                      "diltiazem",
                      "verapamil",
                      "metoprolol",
                      "atenolol",
                      "propranolol",
                      "carvedilol",
                      "bisoprolol",
                      "nadolol",
                      "hydrochlorothiazide",
                      "furosemide",
                      "spironolactone",
                      "warfarin",
                      "heparin",
                      "enoxaparin",
                      "apixaban",
                      "rivaroxaban",
                      "dabigatran",
                      "clopidogrel",
                      "atorvastatin",
                      "simvastatin",
                      "rosuvastatin",
                      "digoxin",
                      "amiodarone",
                      "nitroglycerin",
                      "sildenafil",
                      "tadalafil",
                      "finasteride",
                      "tamsulosin",
                      "methotrexate",
                      "hydroxychloroquine",
                      "allopurinol",
                      "colchicine",
                      "isotretinoin",
                      "tretinoin",
                      "estradiol",
                      "progesterone",
                      "testosterone",
                      "oxytocin",
                      "misoprostol",
                      "folic acid",
                      "iron",
                      "vitamin d",
                      "lexapro",
                      "valium",
                      "tylenol",
                      "advil",
                      "xanax",
                      "zoloft",
                      "prozac",
                      "tid",
                      "bid",
                      "qid",
                      "prn"};
  const char* zh[] = {
      "阿莫西林",   "青霉素",     "头孢",         "头孢克肟",     "阿奇霉素", "红霉素",
      "左氧氟沙星", "甲硝唑",     "布洛芬",       "对乙酰氨基酚", "阿司匹林", "吗啡",
      "曲马多",     "地西泮",     "二甲双胍",     "胰岛素",       "格列美脲", "泼尼松",
      "地塞米松",   "氢化可的松", "奥美拉唑",     "雷尼替丁",     "硝苯地平", "氨氯地平",
      "美托洛尔",   "卡托普利",   "氯沙坦",       "呋塞米",       "华法林",   "肝素",
      "氯吡格雷",   "阿托伐他汀", "地高辛",       "硝酸甘油",     "甲氨蝶呤", "别嘌醇",
      "秋水仙碱",   "叶酸",       "维生素",       "钙片",         "黄体酮",   "雌激素",
      "沙利度胺",   "泼尼松龙",   "左甲状腺素",   "甲巯咪唑",     "阿昔洛韦", "奥司他韦",
      "氟康唑",     "克拉霉素",   "葆宫止血颗粒", "龙血竭",       "党参",     "板蓝根",
      "连花清瘟",   "六味地黄丸", "抗生素",       "消炎药",       "降压药",   "降糖药",
      "激素",       "处方"};
  const char* ar[] = {"أموكسيسيلين",  "باراسيتامول",  "ايبوبروفين",   "إيبوبروفين", "أسبرين",
                      "اسبرين",       "مورفين",       "ميتفورمين",    "انسولين",    "إنسولين",
                      "بريدنيزون",    "ديكساميثازون", "أوميبرازول",   "وارفارين",   "هيبارين",
                      "أتورفاستاتين", "مضاد حيوي",    "مضادات حيوية", "فيتامين",    "حديد",
                      "كورتيزون",     "دواء",         "علاج",         "حبوب",       "مرهم",
                      "قطرة",         "كريم",         "شراب",         "حقنة",       "ابر"};
  std::vector<PatternSpec> specs;
  uint32_t id = 1;
  for (const char* name : en) specs.push_back(Lit(id++, name, true));
  for (const char* name : zh) specs.push_back(Lit(id++, name));
  for (const char* name : ar) specs.push_back(Lit(id++, name));
  const char* regexes[] = {
      "[0-9]+(\\.[0-9]+)?\\s*(mg|g|ml|mcg|µg|iu|units?|毫克|克|毫升|微克|片|粒|支)",
      "每[日天晚周]\\s*[0-9一二三四两]+\\s*次",
      "一[日天]\\s*[0-9一二三四两]+\\s*次",
      "每次\\s*[0-9一二三四两半]+(\\.[0-9]+)?\\s*(片|粒|mg|毫克|克|袋|支|ml|毫升)",
      "every\\s+[0-9]+(\\s*(to|-)\\s*[0-9]+)?\\s*(hours|hrs|h)",
      "q[0-9]+h",
      "q\\.?[0-9]+\\.?h",
      "كل\\s*[0-9]+\\s*ساع",
      "[0-9]+\\s*(مجم|ملغ|ملغم|مل|جرام|غرام)",
      "(take|taking|prescribe|prescribed|start|begin)\\s+[a-z]+\\s+[0-9]+",
      "(once|twice|three times|four times)\\s+(a|per)\\s+day",
      "[0-9]+\\s*times?\\s+(a|per)\\s+(day|week)",
      "(i|we)\\s+(recommend|prescribe|suggest)\\s+(you\\s+)?(take|taking|start)",
      "(建议|可以|需要)(服用|口服|使用|注射)",
      "(口服|静脉滴注|肌注|外用)[^，。,.]{1,12}",
      "(يمكنك|ننصح|انصح|أنصح)\\s*(بتناول|باستخدام|بأخذ)",
      "[0-9]+\\s*-\\s*[0-9]+\\s*(mg|毫克|片)",
      "(mg|ml)/(kg|day|d)",
      "(疗程|连用|连续服用)\\s*[0-9一二三四五六七两]+\\s*(天|周|日|个月)",
      "for\\s+[0-9]+\\s*(days|weeks|months)",
      "[0-9]+(\\.[0-9]+)?\\s*%",
      "(bid|tid|qid|qd|prn|po|iv|im)"};
  for (const char* expression : regexes) specs.push_back(Re(id++, expression, true));
  // The same expressions without the boundary flag (different reduction paths).
  for (const char* expression : regexes) specs.push_back(Re(id++, expression, false));
  return specs;
}

std::string SharedDir() {
  if (const char* env = std::getenv("MEDAUDIT_SHARED"); env != nullptr && *env != '\0') return env;
  return MEDAUDIT_SOURCE_DIR "/../shared";
}

TEST_CASE("Hyperscan and RE2 agree on the shared corpora", "[match][slow]") {
  const std::filesystem::path corpora = std::filesystem::path(SharedDir()) / "corpora";
  if (!std::filesystem::exists(corpora)) {
    WARN("no shared corpora at " << corpora.string() << "; skipped");
    return;
  }
  const std::vector<PatternSpec> specs = RealisticPatterns();
  auto re2 = MustCompile(specs, Engine::kRe2);
  auto hs = MustCompile(specs, Engine::kHyperscan);
  size_t texts = 0;
  size_t hits_total = 0;
  size_t mismatches = 0;
  std::vector<Hit> a;
  std::vector<Hit> b;
  for (const auto& entry : std::filesystem::directory_iterator(corpora)) {
    const std::filesystem::path file = entry.path() / "items.jsonl";
    if (!std::filesystem::exists(file)) continue;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document doc;
      doc.Parse(line.data(), line.size());
      if (doc.HasParseError() || !doc.IsObject()) continue;
      for (const char* field : {"answer", "baseline", "question"}) {
        auto it = doc.FindMember(field);
        if (it == doc.MemberEnd() || !it->value.IsString()) continue;
        std::string text(it->value.GetString(), it->value.GetStringLength());
        for (char& c : text) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        re2->Scan(text, &a);
        hs->Scan(text, &b);
        ++texts;
        hits_total += a.size();
        if (a != b) {
          ++mismatches;
          if (mismatches <= 3) {
            INFO("file " << file.string() << " text: " << text.substr(0, 2000));
            INFO("re2: " << Show(a));
            INFO("hs:  " << Show(b));
            CHECK(a == b);
          }
        }
      }
    }
  }
  INFO("texts " << texts << ", hits " << hits_total);
  CHECK(mismatches == 0);
  CHECK(texts > 1000);
  CHECK(hits_total > 1000);
}

}  // namespace
}  // namespace medaudit::match
