// Placeholder registration; the command is being built (see issues).
#include "cli/command.h"

namespace medaudit::cli {

void AddServeCommands(CLI::App&, CommandList*) {}

}  // namespace medaudit::cli
