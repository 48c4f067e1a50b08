// Benchmark of the check path (normalize, scan, extract, evaluate) on one thread over the real
// answers of ../shared/corpora, printed side by side with the machine's limit (a memchr pass over
// the same bytes) and a plain Python `re` guard over the same lexicon and dose patterns.
// Also measures engine start-up with a warm compiled-rules cache.
// Usage: check_bench [--shared DIR] [--rules DIR] [--repeat N] [--no-python] [--limit N]
//                    [--slowest N] [--only I,J,...] [--questions]
// --questions checks each answer with its item's question, as `check --jsonl` does with lines
// that carry one (the question is normalized, scanned by the primary and the question-only
// databases and extracted too); the MB/s figures still count answer bytes only.
// --slowest N lists the N slowest 1-2 KB answers of the last round (corpus index, bytes, us);
// --only keeps the answers at those indexes (to profile them alone under callgrind).
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "match/database.h"
#include "match/scan_text.h"
#include "rules/engine.h"
#include "text/normalize.h"

namespace {
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// An answer or baseline text of a corpus item, with the item's question ("" when none).
struct Item {
  std::string text;
  std::string question;
};

std::vector<Item> LoadAnswers(const std::string& shared) {
  std::vector<Item> texts;
  for (const auto& dir : fs::directory_iterator(fs::path(shared) / "corpora")) {
    const fs::path items = dir.path() / "items.jsonl";
    if (!fs::exists(items)) continue;
    std::ifstream in(items);
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document doc;
      doc.Parse(line.c_str());
      if (doc.HasParseError() || !doc.IsObject()) continue;
      std::string question;
      if (auto q = doc.FindMember("question"); q != doc.MemberEnd() && q->value.IsString()) {
        question.assign(q->value.GetString(), q->value.GetStringLength());
      }
      for (const char* field : {"answer", "baseline"}) {
        auto it = doc.FindMember(field);
        if (it != doc.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
          texts.push_back(
              {std::string(it->value.GetString(), it->value.GetStringLength()), question});
        }
      }
    }
  }
  return texts;
}

std::vector<Item> KeepIndexes(const std::vector<Item>& texts, const std::string& list) {
  std::vector<Item> kept;
  for (size_t pos = 0; pos < list.size();) {
    size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    const size_t index = std::strtoul(list.substr(pos, comma - pos).c_str(), nullptr, 10);
    if (index < texts.size()) kept.push_back(texts[index]);
    pos = comma + 1;
  }
  return kept;
}

// Marks the end of the warm-up, for `valgrind --tool=callgrind --zero-before=StartTimedRounds`.
[[gnu::noinline]] void StartTimedRounds() { asm volatile(""); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace

// Two stages of the check path timed alone over the same answers (fastest of `repeat` rounds):
// normalization, and the scan of the normalized text with the engine's primary database. The scan
// alone bounds what the whole check can reach with these rules.
struct StageSeconds {
  double normalize = 0;
  double scan = 0;
};
StageSeconds TimeStages(const medaudit::rules::Engine& engine, const std::vector<Item>& texts,
                        int repeat) {
  std::vector<medaudit::text::NormalizedText> normalized(texts.size());
  StageSeconds best{1e300, 1e300};
  std::vector<medaudit::match::Hit> hits;
  for (int r = 0; r < repeat; ++r) {
    auto n0 = Clock::now();
    for (size_t i = 0; i < texts.size(); ++i)
      engine.normalizer().Normalize(texts[i].text, &normalized[i]);
    best.normalize = std::min(best.normalize, Seconds(Clock::now() - n0));
    auto s0 = Clock::now();
    for (const auto& n : normalized) {
      const medaudit::match::ScanText scan_text(n.text, medaudit::match::ScanText::Utf8::kValid);
      engine.database().Scan(scan_text, &hits);
    }
    best.scan = std::min(best.scan, Seconds(Clock::now() - s0));
  }
  return best;
}

// One-line answers of growing size built from the corpus (line breaks made spaces): the check
// path must stay linear in an answer's length, or one long answer stalls a guard. Prints MB/s
// per size and how much longer each 4x larger answer takes (4x is linear).
void PrintLongAnswerScaling(const medaudit::rules::Engine& engine, const std::vector<Item>& texts) {
  if (texts.empty()) return;
  medaudit::rules::Workspace ws;
  medaudit::rules::CheckResult result;
  fmt::print("\nlong one-line answers (corpus text, line breaks as spaces):\n");
  double previous = 0;
  for (const size_t size : {size_t{256} << 10, size_t{1} << 20, size_t{4} << 20}) {
    std::string answer;
    for (size_t i = 0; answer.size() < size; i = (i + 1) % texts.size()) {
      for (char c : texts[i].text) answer.push_back(c == '\n' || c == '\r' ? ' ' : c);
      answer.push_back(' ');
    }
    auto t0 = Clock::now();
    (void)engine.Check({answer, "", medaudit::text::Lang::kUnknown}, &ws, &result);
    const double seconds = Seconds(Clock::now() - t0);
    fmt::print(
        "  {:>5} KiB: {:8.1f} ms, {:6.1f} MB/s{}\n", answer.size() >> 10, seconds * 1e3,
        answer.size() / 1e6 / seconds,
        previous > 0 ? fmt::format(", {:.1f}x the time of 1/4 the size", seconds / previous) : "");
    previous = seconds;
  }
}

int main(int argc, char** argv) {
  std::string shared = std::string(MEDAUDIT_SOURCE_DIR) + "/../shared";
  std::string rules_dir = std::string(MEDAUDIT_SOURCE_DIR) + "/rules";
  int repeat = 3;
  bool python = true;
  size_t limit = 0;  // --limit N: only the first N answers (for callgrind runs)
  size_t slowest = 0;
  std::string only;
  bool questions = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) shared = argv[++i];
    if (a == "--rules" && i + 1 < argc) rules_dir = argv[++i];
    if (a == "--repeat" && i + 1 < argc) repeat = std::atoi(argv[++i]);
    if (a == "--no-python") python = false;
    if (a == "--limit" && i + 1 < argc) limit = std::strtoul(argv[++i], nullptr, 10);
    if (a == "--slowest" && i + 1 < argc) slowest = std::strtoul(argv[++i], nullptr, 10);
    if (a == "--only" && i + 1 < argc) only = argv[++i];
    if (a == "--questions") questions = true;
  }
  auto texts = LoadAnswers(shared);
  if (limit > 0 && texts.size() > limit) texts.resize(limit);
  if (!only.empty()) texts = KeepIndexes(texts, only);
  size_t bytes = 0;
  size_t question_bytes = 0;
  for (auto& t : texts) {
    if (!questions) t.question.clear();
    bytes += t.text.size();
    question_bytes += t.question.size();
  }
  fmt::print("corpus: {} answers, {:.1f} MB from {}/corpora{}\n", texts.size(), bytes / 1e6, shared,
             questions ? fmt::format(", with their questions ({:.1f} MB more, not counted in MB/s)",
                                     question_bytes / 1e6)
                       : "");

  const std::string cache = (fs::temp_directory_path() / "medaudit-bench-cache").string();
  fs::create_directories(cache);
  medaudit::rules::EngineOptions options{rules_dir, cache};
  options.pack_tests = medaudit::rules::PackTests::kSkip;  // as `check` and `serve` load
  auto cold_start = Clock::now();
  auto engine = medaudit::rules::Engine::Load(options);
  const double cold = Seconds(Clock::now() - cold_start);
  if (!engine) {
    fmt::print(stderr, "cannot load rules: {}\n", engine.error().ToString());
    return 2;
  }
  auto warm_start = Clock::now();
  auto warm_engine = medaudit::rules::Engine::Load(options);
  const double warm = Seconds(Clock::now() - warm_start);
  fmt::print("engine load: {:.1f} ms first, {:.1f} ms with cached database ({} patterns, {})\n",
             cold * 1e3, warm * 1e3, (*engine)->pattern_count(),
             medaudit::match::EngineName((*engine)->database().engine()));

  // memchr over the same bytes: the machine's limit for one pass.
  size_t newlines = 0;
  auto m0 = Clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const auto& t : texts) {
      const char* p = t.text.data();
      const char* end = p + t.text.size();
      while ((p = static_cast<const char*>(std::memchr(p, 0x01, end - p))) != nullptr) {
        ++newlines;
        ++p;
      }
    }
  }
  const double memchr_s = Seconds(Clock::now() - m0) / repeat;

  medaudit::rules::Workspace ws;
  medaudit::rules::CheckResult result;
  // Warm-up: lazily built parts (RE2 confirmation programs, the fuzzy index) are built on first
  // use.
  for (size_t i = 0; i<texts.size(); i += texts.size()> 5000 ? 16 : 1) {
    (void)(*engine)->Check({texts[i].text, texts[i].question, medaudit::text::Lang::kUnknown}, &ws,
                           &result);
  }
  std::vector<std::pair<double, size_t>> slow;  // (us, index) of 1-2 KB answers, last round
  // Each answer's fastest round: its own cost without the machine's interruptions.
  std::vector<double> best(texts.size(), 1e300);
  StartTimedRounds();
  std::vector<double> latencies;
  latencies.reserve(texts.size());
  std::vector<double> latencies_1500;
  size_t blocked = 0;
  double check_s = 0;
  for (int r = 0; r < repeat; ++r) {
    latencies.clear();
    latencies_1500.clear();
    slow.clear();
    auto c0 = Clock::now();
    for (size_t i = 0; i < texts.size(); ++i) {
      const std::string& t = texts[i].text;
      auto t0 = Clock::now();
      (void)(*engine)->Check({t, texts[i].question, medaudit::text::Lang::kUnknown}, &ws, &result);
      const double us = Seconds(Clock::now() - t0) * 1e6;
      latencies.push_back(us);
      best[i] = std::min(best[i], us);
      if (t.size() >= 1000 && t.size() <= 2000) {
        latencies_1500.push_back(us);
        slow.emplace_back(us, i);
      }
      blocked += result.verdict == medaudit::rules::Verdict::kBlock;
    }
    check_s += Seconds(Clock::now() - c0);
  }
  check_s /= repeat;

  double python_mbs = 0;
  if (python) {
    const std::string cmd =
        fmt::format("python3 {}/bench/python_re_guard.py --shared {} --rules {}",
                    MEDAUDIT_SOURCE_DIR, shared, rules_dir);
    if (FILE* pipe = popen(cmd.c_str(), "r")) {
      char line[256];
      while (fgets(line, sizeof line, pipe)) {
        if (std::strncmp(line, "MBps ", 5) == 0) python_mbs = std::atof(line + 5);
      }
      pclose(pipe);
    }
  }

  const double check_mbs = bytes / 1e6 / check_s;
  const double memchr_mbs = bytes / 1e6 / memchr_s;
  fmt::print("\n{:<34} {:>10} {:>12} {:>14}\n", "side (one thread)", "MB/s", "answers/s",
             "vs memchr");
  fmt::print("{:<34} {:>10.1f} {:>12} {:>14}\n", "memchr pass (machine limit)", memchr_mbs, "-",
             "1");
  fmt::print("{:<34} {:>10.1f} {:>12.0f} {:>14}\n", "medaudit check (end to end)", check_mbs,
             texts.size() / check_s, fmt::format("1/{:.0f}", memchr_mbs / check_mbs));
  const StageSeconds stages = TimeStages(**engine, texts, repeat);
  for (const auto& [name, seconds] :
       {std::pair{"  of which: normalize alone", stages.normalize},
        std::pair{"  of which: scan alone (primary db)", stages.scan}}) {
    fmt::print("{:<34} {:>10.1f} {:>12.0f} {:>14}\n", name, bytes / 1e6 / seconds,
               texts.size() / seconds,
               fmt::format("1/{:.0f}", memchr_mbs * seconds / (bytes / 1e6)));
  }
  if (python_mbs > 0) {
    fmt::print("{:<34} {:>10.3f} {:>12} {:>14}\n", "python re guard (same lexicon)", python_mbs,
               "-", fmt::format("1/{:.0f}", memchr_mbs / python_mbs));
    fmt::print("medaudit / python re: {:.0f}x\n", check_mbs / python_mbs);
  }
  fmt::print("\nlatency per answer: p50 {:.1f} us, p99 {:.1f} us (all sizes, mean {:.0f} B)\n",
             Percentile(latencies, 0.5), Percentile(latencies, 0.99),
             static_cast<double>(bytes) / texts.size());
  fmt::print("latency per 1-2 KB answer ({}): p50 {:.1f} us, p99 {:.1f} us\n",
             latencies_1500.size(), Percentile(latencies_1500, 0.5),
             Percentile(latencies_1500, 0.99));
  std::vector<double> best_1500;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].text.size() >= 1000 && texts[i].text.size() <= 2000) {
      best_1500.push_back(best[i]);
    }
  }
  fmt::print("fastest of {} rounds per answer: p99 {:.1f} us (all sizes), {:.1f} us (1-2 KB)\n",
             repeat, Percentile(best, 0.99), Percentile(best_1500, 0.99));
  fmt::print("targets: >= 1/200 of memchr; p99 <= 100 us at 1.5 KB; start-up <= 50 ms cached\n");
  fmt::print("(blocked answers: {}, memchr count {})\n", blocked / repeat, newlines);
  PrintLongAnswerScaling(**engine, texts);
  std::sort(slow.rbegin(), slow.rend());
  for (size_t k = 0; k < std::min(slowest, slow.size()); ++k) {
    fmt::print("slow: index {} ({} B) {:.1f} us\n", slow[k].second,
               texts[slow[k].second].text.size(), slow[k].first);
  }
  return 0;
}
