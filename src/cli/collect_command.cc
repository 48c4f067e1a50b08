// Subcommand collect: wiring of collect::Collect to the command line (see collect_command.h).
#include "cli/collect_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "collect/collector.h"

namespace medaudit::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int signal) {
  g_stop.store(true);
  std::signal(signal, SIG_DFL);  // a second Ctrl-C kills at once
}

// SIGINT/SIGTERM handlers for the duration of a collection.
class StopOnSignal {
 public:
  StopOnSignal() {
    g_stop.store(false);
    previous_int_ = std::signal(SIGINT, OnStopSignal);
    previous_term_ = std::signal(SIGTERM, OnStopSignal);
  }
  ~StopOnSignal() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }

 private:
  void (*previous_int_)(int) = SIG_DFL;
  void (*previous_term_)(int) = SIG_DFL;
};

void DrawProgress(const collect::CollectProgress& p) {
  const double fraction = p.total > 0 ? static_cast<double>(p.done) / p.total : 1;
  const int filled = static_cast<int>(fraction * 30);
  const double rate = p.seconds > 0 ? p.done / p.seconds : 0;
  std::cerr << fmt::format("\r[{}{}] {}/{} questions  {} failed  {:.1f}/s ",
                           std::string(filled, '#'), std::string(30 - filled, '.'), p.done, p.total,
                           p.failed, rate)
            << std::flush;
}

std::string CacheDir(const CollectFlags& flags) {
  if (flags.no_cache) return "";
  const std::string base = ResolveCacheDir();
  if (!base.empty()) return (std::filesystem::path(base) / "responses").string();
  const auto parent = std::filesystem::path(flags.out).parent_path();
  return (parent / ".medaudit-cache").string();
}

void PrintSummary(const collect::CollectSummary& s, const std::string& who,
                  const std::string& out) {
  std::string errors;
  for (const auto& [code, n] : s.errors_by_code) {
    errors += fmt::format("{}{} {}", errors.empty() ? "" : ", ", code, n);
  }
  std::cerr << fmt::format(
      "{}: {} questions: {} answered now ({} from the cache), {} already answered, {} failed{}{}; "
      "{} requests, {} retries, {:.1f} s -> {}\n",
      who, s.questions, s.answered, s.cached, s.reused, s.failed,
      errors.empty() ? "" : " (" + errors + ")",
      s.not_asked > 0 ? fmt::format(", {} not asked (interrupted)", s.not_asked) : "", s.requests,
      s.retries, s.seconds, out);
  if (s.stale_lines > 0) {
    std::cerr << fmt::format(
        "{}: {} earlier lines of {} were replaced (failed, unreadable, or collected with other "
        "provider settings)\n",
        who, s.stale_lines, out);
  }
}

}  // namespace

int RunCollect(const CollectFlags& flags, const std::string& who, CollectRecord* record) {
  if (flags.questions.empty() || flags.provider.empty() || flags.out.empty()) {
    std::cerr << who << ": QUESTIONS.jsonl, --provider FILE and --out FILE are required\n";
    return kExitUsage;
  }
  auto provider = collect::LoadProvider(flags.provider);
  if (!provider) {
    std::cerr << who << ": " << provider.error().ToString() << "\n";
    return kExitUsage;
  }
  auto key = collect::ReadApiKey(*provider);
  if (!key) {
    std::cerr << who << ": " << flags.provider << ": " << key.error().message << "\n";
    return kExitUsage;
  }
  if (record != nullptr) *record = {collect::RecordedJson(*provider), provider->model};
  collect::CollectOptions options;
  options.questions_path = flags.questions;
  options.out_path = flags.out;
  options.provider = *provider;
  options.api_key = std::move(*key);
  options.cache_dir = CacheDir(flags);
  options.stop = &g_stop;
  const bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) options.progress = DrawProgress;
  StopOnSignal stop_on_signal;
  auto summary = collect::Collect(options);
  if (tty) std::cerr << "\n";
  if (!summary) {
    std::cerr << who << ": " << summary.error().ToString() << "\n";
    return kExitUsage;
  }
  PrintSummary(*summary, who, flags.out);
  return summary->complete() ? kExitOk : kExitFailed;
}

void AddCollectCommands(CLI::App& app, CommandList* commands) {
  auto flags = std::make_shared<CollectFlags>();
  CLI::App* collect =
      app.add_subcommand("collect", "Ask a model (OpenAI-compatible API) every question of a file");
  collect->add_option("questions", flags->questions, "questions.jsonl ({id, question, ...})")
      ->required();
  collect->add_option("--provider", flags->provider, "provider file (JSON)")->required();
  collect->add_option("--out", flags->out, "answers.jsonl (corpus format; resumed when it exists)")
      ->required();
  collect->add_flag("--no-cache", flags->no_cache, "do not read or write the response cache");
  commands->push_back({collect, [flags] { return RunCollect(*flags, "medaudit collect"); }});
}

}  // namespace medaudit::cli
