// medaudit command line: thin wiring of subcommands to the library (design.md §4).
#include <exception>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/common.h"

namespace {

int Main(int argc, char** argv) {
  using namespace medaudit::cli;
  CLI::App app{"medaudit: audits what medical AI models tell patients (zh/en/ar)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", MEDAUDIT_VERSION);
  CommandList commands;
  AddCheckCommands(app, &commands);
  AddRulesCommands(app, &commands);
  AddAuditCommands(app, &commands);
  AddReportCommands(app, &commands);
  AddCollectCommands(app, &commands);
  AddServeCommands(app, &commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const auto& command : commands) {
    if (*command.app) return command.run();
  }
  std::cerr << app.help();
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
