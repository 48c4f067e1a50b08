// How subcommands plug into the `medaudit` executable: each module adds its CLI11 subcommands
// and a function that runs the command once parsed. main() runs the one the user chose.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace medaudit::cli {

struct Command {
  CLI::App* app = nullptr;   // the (sub)subcommand; it ran when *app is true after parsing
  std::function<int()> run;  // returns the process exit code
};
using CommandList = std::vector<Command>;

void AddCheckCommands(CLI::App& app, CommandList* commands);  // check_command.cc
void AddRulesCommands(CLI::App& app, CommandList* commands);  // rules_command.cc
void AddAuditCommands(CLI::App& app,
                      CommandList* commands);  // audit_command.cc: audit, import, runs, verify
void AddReportCommands(CLI::App& app, CommandList* commands);   // report_command.cc: report, gate
void AddCollectCommands(CLI::App& app, CommandList* commands);  // collect_command.cc: collect
void AddServeCommands(CLI::App& app, CommandList* commands);    // serve_command.cc: serve

}  // namespace medaudit::cli
