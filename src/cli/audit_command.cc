// Subcommands audit, import, runs, verify: registered here. The runner (src/audit) writes through
// the store's RunSink (src/store); this file wires the two and prints progress and summaries.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "audit/importers.h"
#include "audit/runner.h"
#include "base/sha256.h"
#include "cli/collect_command.h"
#include "cli/command.h"
#include "cli/common.h"
#include "report/writer.h"
#include "store/store.h"

namespace medaudit::cli {
namespace {

constexpr const char* kDefaultDb = "reports/medaudit.db";

struct AuditFlags {
  std::string corpus, model, model_version, db = kDefaultDb, out, lang = "en", resume;
  // --provider: `corpus` holds questions; answers are collected first (docs/collect.md).
  std::string provider, answers_out;
  std::string provider_json;  // filled by the collection: the provider settings minus secrets
  int threads = 0;
  bool no_store = false;  // benchmarking: run and report without writing the database
  EngineFlags engine;
};

// Discards everything (for --no-store, used by bench/audit_bench.sh to price the store).
class NullSink : public audit::RunSink {
 public:
  Status BeginRun(const audit::RunInfo&, bool) override { return {}; }
  Status AddItem(const audit::ItemResult&) override { return {}; }
  Status FinishRun(audit::AuditResult*, const std::string&) override { return {}; }
};

std::string Percent(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : "n/a"; }
std::string Fixed(double v, int digits = 3) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : "n/a";
}

std::string NewRunId(const AuditFlags& flags) {
  return audit::NewRunId(fmt::format("{}|{}|{}", flags.model, flags.model_version, flags.corpus));
}

std::string CommandLine(const AuditFlags& flags) {
  std::string line = "medaudit audit";
  if (!flags.corpus.empty()) line += " " + flags.corpus;
  if (!flags.model.empty()) line += " --model " + flags.model;
  if (!flags.model_version.empty()) line += " --model-version " + flags.model_version;
  if (!flags.resume.empty()) line += " --resume " + flags.resume;
  if (!flags.provider.empty()) {
    line += " --provider " + flags.provider + " --answers-out " + flags.answers_out;
    // The settings the answers came from, recorded (hash-chained) with the run.
    line += " provider=" + flags.provider_json;
  }
  return line;
}

// Progress on stderr when it is a terminal: "[#####.....] 1234 items  56.7 items/s  ETA 12 s".
class Progress {
 public:
  Progress(uint64_t total_bytes) : total_(total_bytes), tty_(isatty(STDERR_FILENO) != 0) {}
  void Update(int64_t items, uint64_t bytes) {
    if (!tty_) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double fraction = total_ > 0 ? std::min(1.0, static_cast<double>(bytes) / total_) : 0;
    const double rate = seconds > 0 ? items / seconds : 0;
    const double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
    const int filled = static_cast<int>(fraction * 30);
    std::cerr << fmt::format("\r[{}{}] {} items  {:.1f} items/s  ETA {:.0f} s ",
                             std::string(filled, '#'), std::string(30 - filled, '.'), items, rate,
                             eta)
              << std::flush;
  }
  void Done() {
    if (tty_) std::cerr << "\n";
  }

 private:
  uint64_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void PrintRate(std::ostream& out, const char* name, const audit::RateStat& r) {
  out << fmt::format("  {:<10} {:>6}/{:<6} {:>7}   95% CI [{}, {}]\n", name, r.k, r.n,
                     Percent(r.rate), Percent(r.ci95.lo), Percent(r.ci95.hi));
}

void PrintSummary(const audit::AuditResult& r, double seconds, std::ostream& out) {
  out << fmt::format("medaudit audit: run {} — model {}{}\n", r.run.id, r.run.model,
                     r.run.model_version.empty() ? "" : " " + r.run.model_version);
  out << fmt::format("  {} items ({} with a clinician baseline, {} input errors)", r.items,
                     r.items_with_baseline, r.errors);
  if (seconds > 0) out << fmt::format(" in {:.1f} s", seconds);
  out << "\n\nharm rate (an item is harmful when any finding is block or harm)\n";
  PrintRate(out, "model", r.harm_rate.model);
  if (r.harm_rate.baseline) PrintRate(out, "baseline", *r.harm_rate.baseline);
  if (const auto& d = r.harm_rate.difference) {
    out << fmt::format(
        "  difference {:+.1f} points, 95% CI [{:+.1f}, {:+.1f}] ({}, paired; b = {}, c = {}, "
        "McNemar p = {})\n",
        100 * d->estimate, 100 * d->ci95.lo, 100 * d->ci95.hi, d->method, d->b, d->c,
        Fixed(d->mcnemar_p, 4));
  }
  out << fmt::format("  AI prescriptions: {}\n", r.ai_prescriptions);
  if (r.mean_coverage >= 0) {
    out << fmt::format("  mean baseline coverage: {}\n", Percent(r.mean_coverage));
  }
  if (!r.by_category.empty()) {
    out << fmt::format("\n{:<26} {:>8} {:>9}\n", "items by category", "model", "baseline");
    for (const auto& [category, c] : r.by_category) {
      out << fmt::format("  {:<24} {:>8} {:>9}\n", category, c.model, c.baseline);
    }
  }
  if (!r.items_by_language.empty()) {
    out << fmt::format("\n{:<26} {:>8} {:>9} {:>9}\n", "harmful items by language", "items",
                       "model", "baseline");
    for (const auto& [lang, n] : r.items_by_language) {
      const auto it = r.by_language.find(lang);
      const audit::CategoryCount c =
          it == r.by_language.end() ? audit::CategoryCount{} : it->second;
      out << fmt::format("  {:<24} {:>8} {:>9} {:>9}\n", lang, n, c.model, c.baseline);
    }
  }
  if (r.agreement) {
    out << fmt::format("\n{:<26} {:>6} {:>10} {:>8} {:>7} {:>10}\n", "agreement with labels", "n",
                       "precision", "recall", "kappa", "agreement");
    for (const auto& [label, a] : *r.agreement) {
      out << fmt::format("  {:<24} {:>6} {:>10} {:>8} {:>7} {:>10}\n", label, a.n,
                         Fixed(a.precision), Fixed(a.recall), Fixed(a.kappa),
                         Fixed(a.raw_agreement));
    }
  }
}

// audit --provider: collects answers to the questions in flags->corpus into flags->answers_out
// (default <out dir>/answers.jsonl), then points the audit at them. Returns the collect exit
// code; the run id is chosen here so the answers land in the run's report directory.
int CollectForAudit(AuditFlags* flags, std::string* run_id) {
  *run_id = NewRunId(*flags);
  if (flags->answers_out.empty()) {
    const std::string out_dir =
        flags->out.empty() ? (std::filesystem::path("reports") / *run_id).string() : flags->out;
    flags->answers_out = (std::filesystem::path(out_dir) / "answers.jsonl").string();
  }
  CollectFlags collect{flags->corpus, flags->provider, flags->answers_out, flags->engine.no_cache};
  CollectRecord record;
  const int code = RunCollect(collect, "medaudit audit", &record);
  if (code == kExitUsage) return code;
  if (flags->model.empty()) flags->model = record.model;
  flags->provider_json = record.provider_json;
  if (code != kExitOk) {
    std::cerr << "medaudit audit: some questions have no answer; they are audited as input "
                 "errors and the command exits 1\n";
  }
  flags->corpus = flags->answers_out;
  return code;
}

int RunAuditCommand(AuditFlags flags) {
  if (flags.no_store && !flags.resume.empty()) {
    std::cerr << "medaudit audit: --no-store cannot be combined with --resume\n";
    return kExitUsage;
  }
  if (!flags.provider.empty() && !flags.resume.empty()) {
    std::cerr << "medaudit audit: --provider cannot be combined with --resume (rerun with the "
                 "same --answers-out: answered questions are not asked again)\n";
    return kExitUsage;
  }
  // Rules first: a pack that fails to load must not cost a whole collection of API calls.
  EngineFlags engine_flags = flags.engine;
  engine_flags.pack_tests = false;  // an audit never reads the packs' tests
  auto engine = LoadEngineOrReport(engine_flags);
  if (!engine) return kExitUsage;
  std::string run_id;
  int collect_code = kExitOk;
  const std::string questions = flags.corpus;
  if (!flags.provider.empty()) {
    collect_code = CollectForAudit(&flags, &run_id);
    if (collect_code == kExitUsage) return collect_code;
  }
  auto store = store::Store::Open(flags.no_store ? ":memory:" : flags.db);
  if (!store) {
    std::cerr << "medaudit audit: " << store.error().ToString() << "\n";
    return kExitUsage;
  }
  audit::AuditOptions options;
  std::map<int64_t, audit::ItemResult> done;
  if (!flags.resume.empty()) {
    auto run = (*store)->LoadRunInfo(flags.resume);
    if (!run) {
      std::cerr << "medaudit audit: " << run.error().ToString() << "\n";
      return kExitUsage;
    }
    if (run->status != "running") {
      std::cerr << "medaudit audit: run " << run->id << " is " << run->status
                << "; only unfinished runs can be resumed\n";
      return kExitUsage;
    }
    auto items = (*store)->LoadItems(flags.resume);
    if (!items) {
      std::cerr << "medaudit audit: " << items.error().ToString() << "\n";
      return kExitUsage;
    }
    done = std::move(*items);
    options.run = *run;
    options.resume = true;
    options.done = &done;
    if (flags.corpus.empty()) flags.corpus = run->corpus_path;
    std::cerr << fmt::format("medaudit audit: resuming {} ({} items already stored)\n", run->id,
                             done.size());
  } else {
    if (flags.corpus.empty() || flags.model.empty()) {
      std::cerr << "medaudit audit: CORPUS and --model are required (or --resume RUN)\n";
      return kExitUsage;
    }
    options.run.id = run_id.empty() ? NewRunId(flags) : run_id;
    options.run.model = flags.model;
    options.run.model_version = flags.model_version;
    AuditFlags shown = flags;
    shown.corpus = questions;  // with --provider: the questions file the user gave
    options.run.command_line = CommandLine(shown);
  }
  options.corpus_path = flags.corpus;
  options.threads = flags.threads;
  auto sink = (*store)->OpenSink();
  if (!sink) {
    std::cerr << "medaudit audit: " << sink.error().ToString() << "\n";
    return kExitUsage;
  }
  if (flags.no_store) *sink = std::make_unique<NullSink>();
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(flags.corpus, ec);
  Progress progress(ec ? 0 : size);
  options.progress = [&](int64_t items, uint64_t bytes) { progress.Update(items, bytes); };
  const auto start = std::chrono::steady_clock::now();
  auto result = audit::RunAudit(*engine, options, sink->get());
  progress.Done();
  if (!result) {
    std::cerr << "medaudit audit: " << result.error().ToString() << "\n";
    return kExitUsage;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(*result, seconds, std::cout);
  const std::string out_dir =
      flags.out.empty() ? (std::filesystem::path("reports") / result->run.id).string() : flags.out;
  report::ReportOptions report_options;
  report_options.lang = flags.lang;
  if (auto status = report::WriteReports(*result, out_dir, report_options); !status) {
    std::cerr << "medaudit audit: reports not written: " << status.error().ToString() << "\n";
  } else {
    std::cout << "\nreports: " << out_dir << "/\n";
  }
  if (!flags.no_store) std::cout << "stored: " << flags.db << " (run " << result->run.id << ")\n";
  if (!flags.provider.empty()) std::cout << "answers: " << flags.answers_out << "\n";
  return collect_code == kExitOk ? kExitOk : kExitFailed;
}

int RunImport(const std::string& format, const std::string& input, const std::string& map) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (input != "-") {
    file.open(input, std::ios::binary);
    if (!file) {
      std::cerr << "medaudit import: cannot open " << input << "\n";
      return kExitUsage;
    }
    in = &file;
  }
  Result<audit::ImportStats> stats = MakeError(ErrorCode::kInternal, "");
  if (format == "healthbench") {
    stats = audit::ImportHealthBench(*in, std::cout);
  } else if (format == "kqa") {
    stats = audit::ImportKqa(*in, std::cout);
  } else {
    auto mapping = audit::ParseCsvMapping(map);
    if (!mapping) {
      std::cerr << "medaudit import csv: " << mapping.error().ToString() << "\n";
      return kExitUsage;
    }
    stats = audit::ImportCsv(*in, *mapping, std::cout);
  }
  std::cout.flush();
  if (!stats) {
    std::cerr << "medaudit import " << format << ": " << stats.error().ToString() << "\n";
    return kExitUsage;
  }
  for (const auto& w : stats->warnings)
    std::cerr << "medaudit import: " << input << ": " << w << "\n";
  std::cerr << fmt::format("medaudit import {}: {} records, {} items, {} warnings\n", format,
                           stats->records, stats->items, stats->warnings.size());
  return stats->warnings.empty() ? kExitOk : kExitFailed;
}

// Opens the store `db`, which must exist; on failure prints "<command>: <error>" to stderr and
// returns nullptr (the caller exits with kExitUsage).
std::unique_ptr<store::Store> OpenExisting(const std::string& db, std::string_view command) {
  auto store = std::filesystem::exists(db) ? store::Store::Open(db)
                                           : Result<std::unique_ptr<store::Store>>(MakeError(
                                                 ErrorCode::kNotFound, "no database " + db));
  if (!store) {
    std::cerr << command << ": " << store.error().ToString() << "\n";
    return nullptr;
  }
  return std::move(*store);
}

int RunRunsList(const std::string& db) {
  auto store = OpenExisting(db, "medaudit runs");
  if (store == nullptr) return kExitUsage;
  auto runs = store->ListRuns();
  if (!runs) {
    std::cerr << "medaudit runs: " << runs.error().ToString() << "\n";
    return kExitUsage;
  }
  std::cout << fmt::format("{:<34} {:<20} {:<10} {:>8} {:<21} {}\n", "run", "model", "status",
                           "items", "started", "record hash");
  for (const auto& r : *runs) {
    std::cout << fmt::format("{:<34} {:<20} {:<10} {:>8} {:<21} {}\n", r.id,
                             r.model + (r.model_version.empty() ? "" : " " + r.model_version),
                             r.status, r.items, r.started, r.record_hash.substr(0, 16));
  }
  return kExitOk;
}

int RunRunsShow(const std::string& db, const std::string& id) {
  auto store = OpenExisting(db, "medaudit runs");
  if (store == nullptr) return kExitUsage;
  auto result = store->LoadRun(id);
  if (!result) {
    std::cerr << "medaudit runs show: " << result.error().ToString() << "\n";
    return kExitUsage;
  }
  const audit::RunInfo& r = result->run;
  std::cout << fmt::format(
      "run            {}\nstatus         {}\nmodel          {} {}\ncorpus         {}\n"
      "corpus sha256  {}\nrules sha256   {}\nmedaudit       {}\nstarted        {}\n"
      "finished       {}\ncommand        {}\ncontent hash   {}\nrecord hash    {}\n"
      "previous hash  {}\n\n",
      r.id, r.status, r.model, r.model_version, r.corpus_path, r.corpus_sha256, r.rules_sha256,
      r.medaudit_version, r.started, r.finished, r.command_line, r.content_hash, r.record_hash,
      r.previous_hash);
  if (r.status == "finished") {
    PrintSummary(*result, 0, std::cout);
  } else {
    std::cout << result->item_results.size() << " items with findings stored so far\n";
  }
  return kExitOk;
}

int RunVerify(const std::string& db) {
  auto store = OpenExisting(db, "medaudit verify");
  if (store == nullptr) return kExitUsage;
  auto report = store->Verify();
  if (!report) {
    std::cerr << "medaudit verify: " << report.error().ToString() << "\n";
    return kExitUsage;
  }
  for (const auto& id : report->unfinished_runs) {
    std::cout << "unfinished: " << id << " (resume with: medaudit audit --resume " << id << ")\n";
  }
  for (const auto& p : report->problems) std::cout << "TAMPERED: " << p << "\n";
  std::cout << fmt::format(
      "medaudit verify: {} finished runs checked, {} unfinished, "
      "integrity_check {}: {}\n",
      report->runs_checked, report->unfinished_runs.size(), report->integrity_check,
      report->ok ? "ok" : "FAILED");
  return report->ok ? kExitOk : kExitFailed;
}

}  // namespace

void AddAuditCommands(CLI::App& app, CommandList* commands) {
  auto flags = std::make_shared<AuditFlags>();
  CLI::App* audit = app.add_subcommand("audit", "Audit a corpus (JSON Lines) and store the run");
  audit->add_option("corpus", flags->corpus, "corpus.jsonl");
  audit->add_option("--model", flags->model, "name of the model under audit");
  audit->add_option("--model-version", flags->model_version, "version of the model");
  audit->add_option("--db", flags->db, "audit database")->capture_default_str();
  audit->add_option("--out", flags->out, "report directory (default reports/<run-id>/)");
  audit->add_option("--lang", flags->lang, "report language: zh|en|ar")->capture_default_str();
  audit->add_option("--threads", flags->threads, "worker threads (default: all cores)");
  audit->add_option("--resume", flags->resume, "finish an unfinished (killed) run");
  audit->add_flag("--no-store", flags->no_store, "do not store the run (benchmarks)");
  audit->add_option("--provider", flags->provider,
                    "collect answers first: CORPUS holds questions, FILE is a provider file "
                    "(docs/collect.md)");
  audit->add_option("--answers-out", flags->answers_out,
                    "with --provider: where the answers go (default <out dir>/answers.jsonl)");
  AddEngineFlags(audit, &flags->engine);
  commands->push_back({audit, [flags] { return RunAuditCommand(*flags); }});

  CLI::App* import = app.add_subcommand("import", "Convert a benchmark file to the corpus format");
  import->require_subcommand(1);
  for (const char* format : {"healthbench", "kqa", "csv"}) {
    auto input = std::make_shared<std::string>();
    auto map = std::make_shared<std::string>();
    CLI::App* sub = import->add_subcommand(format, std::string("import ") + format);
    sub->add_option("input", *input, "input file or - for stdin")->required();
    if (std::string_view(format) == "csv") {
      sub->add_option("--map", *map, "id=col,question=col,answer=col,baseline=col,lang=col")
          ->required();
    }
    commands->push_back({sub, [format, input, map] { return RunImport(format, *input, *map); }});
  }

  auto db = std::make_shared<std::string>(kDefaultDb);
  CLI::App* runs = app.add_subcommand("runs", "List or show stored audit runs");
  runs->require_subcommand(1);
  CLI::App* list = runs->add_subcommand("list", "list runs");
  list->add_option("--db", *db, "audit database")->capture_default_str();
  commands->push_back({list, [db] { return RunRunsList(*db); }});
  auto id = std::make_shared<std::string>();
  CLI::App* show = runs->add_subcommand("show", "show one run");
  show->add_option("run", *id, "run id")->required();
  show->add_option("--db", *db, "audit database")->capture_default_str();
  commands->push_back({show, [db, id] { return RunRunsShow(*db, *id); }});

  CLI::App* verify = app.add_subcommand("verify", "Verify the audit store's hash chain");
  verify->add_option("--db", *db, "audit database")->capture_default_str();
  commands->push_back({verify, [db] { return RunVerify(*db); }});
}

}  // namespace medaudit::cli
