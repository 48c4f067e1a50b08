#include "cli/rules_command.h"

#include <fmt/format.h>

#include "base/file.h"
#include "rules/manifest.h"
#include "rules/pack_tests.h"

namespace medaudit::cli {

int RunRulesTest(const RulesFlags& flags, std::ostream& out, std::ostream& err) {
  auto engine = LoadEngineOrReport(flags.engine);
  if (!engine) return kExitUsage;
  std::vector<std::string> only;
  if (!flags.pack.empty()) only.push_back(flags.pack);
  const auto report = rules::RunPackTests(*engine, only);
  for (const auto& f : report.failures) {
    out << fmt::format("FAIL {}{}: {}: {}\n", f.pack_file, f.pointer, f.rule, f.problem);
    if (flags.verbose) out << "     text: " << f.text << "\n";
  }
  if (report.tests == 0) {
    err << "medaudit rules test: no tests found\n";
    return kExitFailed;
  }
  out << fmt::format("rule tests: {} cases, {} expectations, {} todo\n", report.tests,
                     report.expectations, report.todo);
  out << fmt::format("{} passed, {} failed\n", report.tests - report.failed, report.failed);
  return report.failed == 0 ? kExitOk : kExitFailed;
}

int RunRulesLint(const RulesFlags& flags, std::ostream& out, std::ostream& err) {
  auto engine = LoadEngineOrReport(flags.engine);
  if (!engine) return kExitUsage;
  rules::LintOptions options;
  options.min_tests_per_rule = flags.min_tests;
  const auto problems = rules::LintPacks(*engine, options);
  for (const auto& p : problems) out << p.pack_file << p.pointer << ": " << p.problem << "\n";
  size_t rule_count = 0;
  for (const auto& pack : engine->packs()) rule_count += pack.rules.size();
  out << fmt::format("lint: {} packs, {} rules, {} problems\n", engine->packs().size(), rule_count,
                     problems.size());
  (void)err;
  return problems.empty() ? kExitOk : kExitFailed;
}

int RunRulesManifest(const RulesFlags& flags, std::ostream& out, std::ostream& err) {
  const std::string dir = ResolveRulesDir(flags.engine.rules_dir);
  auto manifest = rules::BuildManifest(dir);
  if (!manifest) {
    err << "medaudit rules manifest: " << manifest.error().ToString() << "\n";
    return kExitUsage;
  }
  const std::string path = dir + "/" + rules::kManifestFile;
  if (auto written = WriteFileAtomic(path, *manifest); !written) {
    err << "medaudit rules manifest: " << written.error().ToString() << "\n";
    return kExitUsage;
  }
  out << "wrote " << path << "\n";
  return kExitOk;
}

int RunRulesList(const RulesFlags& flags, std::ostream& out, std::ostream& err) {
  auto engine = LoadEngineOrReport(flags.engine);
  if (!engine) return kExitUsage;
  (void)err;
  out << fmt::format("rules sha256 {}  ({} patterns, {} engine{})\n", engine->rules_sha256(),
                     engine->pattern_count(), match::EngineName(engine->database().engine()),
                     engine->database().from_cache() ? ", cached" : "");
  for (const auto& pack : engine->packs()) {
    out << fmt::format("\n{} {}  {}  [{}]\n", pack.id, pack.version, pack.title, pack.file);
    for (const auto& rule : pack.rules) {
      out << fmt::format("  {:<40} {:<22} {:<6} {:>3} tests  {}\n", rule.id, rule.category,
                         rules::SeverityName(rule.severity), rule.tests.size(), rule.citation.text);
    }
  }
  return kExitOk;
}

}  // namespace medaudit::cli

namespace medaudit::cli {

void AddRulesCommands(CLI::App& app, CommandList* commands) {
  auto flags = std::make_shared<RulesFlags>();
  auto* rules = app.add_subcommand("rules", "test, lint or list rule packs");
  rules->require_subcommand(1);
  auto* test = rules->add_subcommand("test", "run every pack's own tests");
  auto* lint = rules->add_subcommand("lint", "check packs for missing tests and fields");
  auto* list = rules->add_subcommand("list", "list packs and rules");
  auto* manifest = rules->add_subcommand(
      "manifest", "write rules/manifest.json: the SHA-256 of every pack and knowledge file");
  manifest->add_option("--rules", flags->engine.rules_dir, "rules directory");
  for (auto* cmd : {test, lint, list}) AddEngineFlags(cmd, &flags->engine);
  test->add_option("--pack", flags->pack, "only this pack id");
  test->add_flag("-v,--verbose", flags->verbose, "print failing texts");
  lint->add_option("--min-tests", flags->min_tests, "tests required per rule");
  commands->push_back({test, [flags] { return RunRulesTest(*flags, std::cout, std::cerr); }});
  commands->push_back({lint, [flags] { return RunRulesLint(*flags, std::cout, std::cerr); }});
  commands->push_back({list, [flags] { return RunRulesList(*flags, std::cout, std::cerr); }});
  commands->push_back(
      {manifest, [flags] { return RunRulesManifest(*flags, std::cout, std::cerr); }});
}

}  // namespace medaudit::cli
