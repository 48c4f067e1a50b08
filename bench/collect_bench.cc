// Throughput of `medaudit collect` (collect::Collect) against the in-process fake model server
// with 0 ms latency: requests per second over keep-alive connections, for a few concurrency
// levels, without and with the response cache. Target (docs/bench.md "collect"): ≥ 2,000
// requests/s on 2 cores (client and fake server share them).
//   cmake --build build --target collect_bench && build/collect_bench [QUESTIONS]
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "collect/collector.h"
#include "support/fake_model_server.h"

namespace {

namespace fs = std::filesystem;
using medaudit::collect::Collect;
using medaudit::collect::CollectOptions;

std::string WriteQuestions(const fs::path& dir, int n) {
  const std::string path = (dir / "questions.jsonl").string();
  std::ofstream out(path);
  for (int i = 0; i < n; ++i) {
    out << fmt::format(
               R"({{"id": "b{}", "lang": "en", "question": "Question {}: I have had a headache for )"
               R"(two days, what can I take?"}})",
               i, i)
        << "\n";
  }
  return path;
}

// One collection into a fresh output file; returns requests per second (0 on failure).
double Run(const std::string& base_url, const std::string& questions, const fs::path& dir,
           int concurrency, const std::string& cache_dir, const char* label) {
  const fs::path out = dir / fmt::format("answers-{}-{}.jsonl", label, concurrency);
  fs::remove(out);
  CollectOptions options;
  options.questions_path = questions;
  options.out_path = out.string();
  options.provider.base_url = base_url;
  options.provider.model = "bench";
  options.provider.concurrency = concurrency;
  options.provider.rps = 0;
  options.provider.retries = 0;
  options.cache_dir = cache_dir;
  auto summary = Collect(options);
  if (!summary || !summary->complete()) {
    fmt::print("collect failed: {}\n", summary ? "some items failed" : summary.error().ToString());
    return 0;
  }
  const double rate = static_cast<double>(summary->questions) / summary->seconds;
  fmt::print("{:<22} {:>11} {:>9} {:>9.2f} {:>12.0f}\n", label, concurrency, summary->questions,
             summary->seconds, rate);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("medaudit_collect_bench_{}", getpid());
  fs::create_directories(dir);
  const std::string questions = WriteQuestions(dir, n);
  medaudit::testing::FakeModelServer server;  // one server thread: the client gets the other core
  fmt::print("collect against the fake model server (0 ms latency), {} questions, {} cores\n", n,
             std::thread::hardware_concurrency());
  fmt::print("{:<22} {:>11} {:>9} {:>9} {:>12}\n", "mode", "concurrency", "questions", "seconds",
             "requests/s");
  double best = 0;
  for (int concurrency : {1, 8, 32}) {
    best = std::max(best, Run(server.base_url(), questions, dir, concurrency, "", "no cache"));
  }
  const std::string cache = (dir / "cache").string();
  Run(server.base_url(), questions, dir, 8, cache, "cache (cold: writes)");
  Run(server.base_url(), questions, dir, 8, cache, "cache (warm: reads)");
  fmt::print("best: {:.0f} requests/s (target >= 2000): {}\n", best, best >= 2000 ? "ok" : "BELOW");
  fs::remove_all(dir);
  return best >= 2000 ? 0 : 1;
}
