// medaudit command line: thin wiring of subcommands to the library (design.md §4).
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/check_command.h"
#include "cli/rules_command.h"

namespace {

void AddEngineFlags(CLI::App* app, medaudit::cli::EngineFlags* flags) {
  app->add_option("--rules", flags->rules_dir, "rules directory (default: the shipped rules/)");
  app->add_flag("--no-cache", flags->no_cache, "do not read or write the compiled-rules cache");
  app->add_option("--engine", flags->engine, "scan engine: hyperscan or re2")
      ->check(CLI::IsMember({"hyperscan", "re2"}));
}

int Main(int argc, char** argv) {
  using namespace medaudit::cli;
  CLI::App app{"medaudit: audits what medical AI models tell patients (zh/en/ar)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", MEDAUDIT_VERSION);

  CheckFlags check;
  auto* check_cmd = app.add_subcommand("check", "check answers: allow / flag / block with findings");
  AddEngineFlags(check_cmd, &check.engine);
  check_cmd->add_option("--format", check.format, "text or json (argument mode)");
  check_cmd->add_flag("--jsonl", check.jsonl, "JSON Lines in on stdin, one result line out each");
  check_cmd->add_option("--question", check.question, "the question the answer replies to");
  check_cmd->add_option("--lang", check.lang, "answer language zh|en|ar (default: detected)");
  check_cmd->add_flag("--exit-zero", check.exit_zero, "exit 0 even when answers are flagged");
  check_cmd->add_option("--max-line-bytes", check.max_line_bytes, "longest JSONL line accepted");
  check_cmd->add_flag("--summary", check.summary, "with --jsonl: print a summary table to stderr");
  check_cmd->add_option("texts", check.texts, "texts to check; '-' reads stdin");

  RulesFlags rules_flags;
  auto* rules_cmd = app.add_subcommand("rules", "test, lint or list rule packs");
  rules_cmd->require_subcommand(1);
  auto* test_cmd = rules_cmd->add_subcommand("test", "run every pack's own tests");
  auto* lint_cmd = rules_cmd->add_subcommand("lint", "check packs for missing tests and fields");
  auto* list_cmd = rules_cmd->add_subcommand("list", "list packs and rules");
  for (auto* cmd : {test_cmd, lint_cmd, list_cmd}) AddEngineFlags(cmd, &rules_flags.engine);
  test_cmd->add_option("--pack", rules_flags.pack, "only this pack id");
  test_cmd->add_flag("-v,--verbose", rules_flags.verbose, "print failing texts");
  lint_cmd->add_option("--min-tests", rules_flags.min_tests, "tests required per rule");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (*check_cmd) return RunCheck(check, std::cin, std::cout, std::cerr);
  if (*test_cmd) return RunRulesTest(rules_flags, std::cout, std::cerr);
  if (*lint_cmd) return RunRulesLint(rules_flags, std::cout, std::cerr);
  if (*list_cmd) return RunRulesList(rules_flags, std::cout, std::cerr);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "medaudit: internal error: " << e.what() << "\n";
    return medaudit::cli::kExitUsage;
  }
}
