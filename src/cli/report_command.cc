// Subcommands report and gate (design.md §4): `report` regenerates every report format of a
// stored run; `gate` checks a policy against a run (from the store or a report.json) and exits
// 0 (pass), 1 (violated) or 2 (usage/input error, or a policy that cannot be evaluated).
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "audit/gate.h"
#include "base/file.h"
#include "cli/command.h"
#include "cli/common.h"
#include "report/gate_report.h"
#include "report/json_report.h"
#include "report/writer.h"
#include "store/store.h"

namespace medaudit::cli {
namespace {

constexpr const char* kDefaultDb = "reports/medaudit.db";

struct ReportFlags {
  std::string run_id;
  std::string db = kDefaultDb;
  std::string lang = "en";
  std::string out_dir;  // default reports/<run-id>
  int worst = 10;
};

struct GateFlags {
  std::string policy;
  std::string run_id;
  std::string report;
  std::string against;
  std::string db = kDefaultDb;
  std::string junit, sarif, markdown;
};

int RunReport(const ReportFlags& flags) {
  auto result = store::LoadRun(flags.db, flags.run_id);
  if (!result) {
    std::cerr << "medaudit report: " << result.error().ToString() << "\n";
    return kExitUsage;
  }
  const std::string dir = flags.out_dir.empty()
                              ? (std::filesystem::path("reports") / flags.run_id).string()
                              : flags.out_dir;
  report::ReportOptions options;
  options.lang = flags.lang;
  options.worst_examples = flags.worst;
  if (auto status = report::WriteReports(*result, dir, options); !status) {
    std::cerr << "medaudit report: " << status.error().ToString() << "\n";
    return kExitUsage;
  }
  std::cout << dir << "/report.html\n"
            << dir << "/report.json\n"
            << dir << "/report.md\n"
            << dir << "/report.sarif\n"
            << dir << "/junit.xml\n";
  return kExitOk;
}

// A report.json path or a run id in the store: a value naming an existing file, or ending in
// ".json", is a file.
Result<audit::AuditResult> LoadResult(const std::string& what, const std::string& db,
                                      bool is_file) {
  if (is_file) {
    auto text = ReadFile(what, size_t{64} << 20);
    if (!text) {
      Error e = text.error();
      if (e.file.empty()) e.file = what;
      return e;
    }
    return report::ParseReportJson(*text, what);
  }
  return store::LoadRun(db, what);
}

bool LooksLikeFile(const std::string& value) {
  std::error_code ec;
  return value.ends_with(".json") || std::filesystem::is_regular_file(value, ec);
}

Status WriteOptional(const std::string& path, const std::string& text) {
  if (path.empty()) return {};
  if (path == "-") {
    std::cout << text;
    return {};
  }
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  return WriteFileAtomic(path, text);
}

int RunGate(const GateFlags& flags) {
  auto fail = [](const std::string& message) {
    std::cerr << "medaudit gate: " << message << "\n";
    return kExitUsage;
  };
  if (flags.run_id.empty() == flags.report.empty()) {
    return fail("give exactly one of --run ID or --report report.json");
  }
  auto policy_text = ReadFile(flags.policy, size_t{1} << 20);
  if (!policy_text) {
    Error e = policy_text.error();
    if (e.file.empty()) e.file = flags.policy;
    return fail(e.ToString());
  }
  auto policy = audit::ParseGatePolicy(*policy_text, flags.policy);
  if (!policy) return fail(policy.error().ToString());

  auto run = flags.report.empty() ? LoadResult(flags.run_id, flags.db, false)
                                  : LoadResult(flags.report, flags.db, true);
  if (!run) return fail(run.error().ToString());
  std::optional<audit::AuditResult> reference;
  if (!flags.against.empty()) {
    auto loaded = LoadResult(flags.against, flags.db, LooksLikeFile(flags.against));
    if (!loaded) return fail(loaded.error().ToString());
    reference = std::move(*loaded);
  }
  auto gate = audit::EvaluateGate(*policy, *run, reference ? &*reference : nullptr);
  if (!gate) {
    Error e = gate.error();
    if (e.file.empty()) e.file = flags.policy;
    return fail(e.ToString());
  }
  report::GateContext context{flags.policy, &*run, reference ? &*reference : nullptr};
  std::cout << report::GateTable(*gate, context);
  for (const auto& [path, text] :
       {std::pair{flags.junit, report::GateJunit(*gate, context)},
        std::pair{flags.sarif, report::GateSarif(*gate, context)},
        std::pair{flags.markdown, report::GateMarkdown(*gate, context)}}) {
    if (auto status = WriteOptional(path, text); !status) return fail(status.error().ToString());
  }
  return gate->pass ? kExitOk : kExitFailed;
}

}  // namespace

void AddReportCommands(CLI::App& app, CommandList* commands) {
  auto report_flags = std::make_shared<ReportFlags>();
  auto* report = app.add_subcommand("report", "regenerate every report format of a stored run");
  report->add_option("run", report_flags->run_id, "run id")->required();
  report->add_option("--db", report_flags->db, "audit database (default reports/medaudit.db)");
  report->add_option("--lang", report_flags->lang, "report language: zh, en or ar")
      ->check(CLI::IsMember({"zh", "en", "ar"}));
  report->add_option("--out", report_flags->out_dir, "output directory (default reports/<run>)");
  report->add_option("--worst", report_flags->worst, "flagged answers shown in full (default 10)")
      ->check(CLI::NonNegativeNumber);
  commands->push_back({report, [report_flags] { return RunReport(*report_flags); }});

  auto gate_flags = std::make_shared<GateFlags>();
  auto* gate = app.add_subcommand(
      "gate", "check a policy against a run: exit 0 pass, 1 violated, 2 input error");
  gate->add_option("--policy", gate_flags->policy, "policy JSON file")->required();
  gate->add_option("--run", gate_flags->run_id, "run id in the store");
  gate->add_option("--report", gate_flags->report, "report.json of the run");
  gate->add_option("--against", gate_flags->against,
                   "reference: run id in the store or a report.json");
  gate->add_option("--db", gate_flags->db, "audit database (default reports/medaudit.db)");
  gate->add_option("--junit", gate_flags->junit, "write JUnit XML here ('-' = stdout)");
  gate->add_option("--sarif", gate_flags->sarif, "write SARIF 2.1.0 here ('-' = stdout)");
  gate->add_option("--markdown", gate_flags->markdown, "write a Markdown summary here");
  commands->push_back({gate, [gate_flags] { return RunGate(*gate_flags); }});
}

}  // namespace medaudit::cli
