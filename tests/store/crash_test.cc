// Crash safety: `medaudit audit` killed with SIGKILL at random points, then resumed with
// --resume, ends with the same items, findings and metrics (same content hash) as an
// uninterrupted run; after every kill the database passes integrity_check and verify.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "../audit/audit_test_util.h"
#include "audit/result_json.h"
#include "store/store.h"

namespace medaudit::store {
namespace {

// A corpus of `copies` × the demo corpus with unique ids.
std::string WriteCorpus(const testing::TempDir& dir, int copies) {
  std::ifstream in(std::string(MEDAUDIT_SOURCE_DIR) + "/corpora/demo/items.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::ofstream out(dir.File("corpus.jsonl"));
  for (int k = 0; k < copies; ++k) {
    for (const std::string& line : lines) {
      std::string copy = line;
      const size_t id_end = copy.find("\", ");
      copy.insert(id_end, "-c" + std::to_string(k));
      out << copy << "\n";
    }
  }
  return dir.File("corpus.jsonl");
}

// Starts the real binary; returns its pid.
pid_t Start(const std::vector<std::string>& args) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = MEDAUDIT_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

std::optional<RunRow> OnlyRun(const std::string& db) {
  if (!std::filesystem::exists(db)) return std::nullopt;
  auto store = Store::Open(db);
  REQUIRE(store.has_value());
  auto runs = (*store)->ListRuns();
  REQUIRE(runs.has_value());
  REQUIRE(runs->size() <= 1);
  if (runs->empty()) return std::nullopt;
  return runs->front();
}

TEST_CASE("medaudit audit: SIGKILL at random points, then --resume, equals an uninterrupted run",
          "[store][slow]") {
  testing::TempDir dir("crash");
  const std::string corpus = WriteCorpus(dir, 100);  // 6000 items
  const std::vector<std::string> common = {
      "--model", "crash-model",   "--threads", "2",
      "--out",   dir.File("out"), "--rules",   std::string(MEDAUDIT_SOURCE_DIR) + "/rules"};
  auto args = [&](std::vector<std::string> head, const std::string& db) {
    head.insert(head.end(), common.begin(), common.end());
    head.push_back("--db");
    head.push_back(db);
    return head;
  };

  const std::string reference_db = dir.File("reference.db");
  int status = 0;
  // Compile the rules into the cache first: timing a reference run that compiles them (seconds)
  // would put every kill after the end of the cached runs below.
  waitpid(Start({"check", "--rules", std::string(MEDAUDIT_SOURCE_DIR) + "/rules", "warm-up"}),
          &status, 0);
  const auto reference_start = std::chrono::steady_clock::now();
  waitpid(Start(args({"audit", corpus}, reference_db)), &status, 0);
  const auto reference_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - reference_start)
                                .count();
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const auto reference_run = OnlyRun(reference_db);
  REQUIRE(reference_run.has_value());
  auto reference_store = Store::Open(reference_db);
  auto reference = (*reference_store)->LoadRun(reference_run->id);
  REQUIRE(reference.has_value());

  const std::string db = dir.File("crash.db");
  const uint32_t seed = static_cast<uint32_t>(std::random_device{}());
  INFO("random seed " << seed);
  std::mt19937 random(seed);
  // Kill within the first quarter of an uninterrupted run's time, so that at least three kills
  // land before the run can finish however fast or loaded the machine is.
  const int longest = std::max<int>(10, static_cast<int>(reference_ms / 4));
  std::uniform_int_distribution<int> delay_ms(std::max(5, longest / 5), longest);
  int kills = 0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto run = OnlyRun(db);
    if (run && run->status == "finished") break;
    const auto command =
        run ? args({"audit", "--resume", run->id}, db) : args({"audit", corpus}, db);
    const pid_t pid = Start(command);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    kills += WIFSIGNALED(status) ? 1 : 0;
    if (!std::filesystem::exists(db)) continue;
    auto store = Store::Open(db);
    REQUIRE(store.has_value());
    auto report = (*store)->Verify();
    REQUIRE(report.has_value());
    INFO("after kill " << kills);
    CHECK(report->integrity_check == "ok");
    CHECK(report->ok);  // an unfinished run is not tampering
  }
  CHECK(kills >= 3);
  if (auto run = OnlyRun(db); !run || run->status != "finished") {
    waitpid(Start(run ? args({"audit", "--resume", run->id}, db) : args({"audit", corpus}, db)),
            &status, 0);
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  const auto run = OnlyRun(db);
  REQUIRE(run.has_value());
  REQUIRE(run->status == "finished");
  CHECK(testing::RunMedaudit("verify --db " + db + " > /dev/null") == 0);

  auto store = Store::Open(db);
  auto resumed = (*store)->LoadRun(run->id);
  REQUIRE(resumed.has_value());
  CHECK(resumed->run.content_hash == reference->run.content_hash);
  CHECK(audit::MetricsJson(*resumed) == audit::MetricsJson(*reference));
  CHECK(resumed->items == 6000);
  auto indexes = (*store)->StoredItemIndexes(run->id);
  REQUIRE(indexes.has_value());
  REQUIRE(indexes->size() == 6000);
  for (int64_t i = 0; i < 6000; ++i) REQUIRE((*indexes)[i] == i);
}

}  // namespace
}  // namespace medaudit::store
