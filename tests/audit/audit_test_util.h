// Shared helpers of the audit, store and baseline tests: one engine loaded from the source
// tree's rules (loaded once per test binary), temporary files and running the real binary.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "rules/engine.h"
#include "support/shipped_engine.h"
#include "support/temp_dir.h"

namespace medaudit::testing {

inline const rules::Engine& TestEngine() { return ShippedEngine(); }

// Runs `medaudit <args>` through the shell; returns the exit code (-1 when killed).
inline int RunMedaudit(const std::string& args) {
  const std::string cmd = std::string(MEDAUDIT_BINARY) + " " + args;
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string RulesFlag() { return std::string("--rules ") + MEDAUDIT_SOURCE_DIR + "/rules"; }

}  // namespace medaudit::testing
