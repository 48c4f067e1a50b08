// Shared pieces of the CLI subcommands: exit codes, locating the rules directory and the cache,
// loading the engine with a clear error. Used only by src/cli.
#pragma once

#include <memory>
#include <string>

#include "cli/command.h"
#include "rules/engine.h"

namespace medaudit::cli {

// Exit codes (design.md §4): 0 ok/pass, 1 check or policy failed, 2 usage or input error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct EngineFlags {
  std::string rules_dir;             // --rules; empty = default
  bool no_cache = false;             // --no-cache
  std::string engine = "hyperscan";  // --engine hyperscan|re2
  bool require_manifest = false;     // --require-manifest
  bool pack_tests = true;            // load the packs' tests (only `rules test`/`lint` read them)
  bool identify_rules = true;        // hash the rule set (rules::EngineOptions::identify_rules)
  bool questions = true;  // checks may carry a question (rules::EngineOptions::questions)
  // Leave the engine to the OS at exit instead of freeing it: a one-shot process (`check TEXT`)
  // would spend a few ms on it. Only for the process's own command, never in a loop.
  bool keep_until_exit = false;
};

// --rules, else $MEDAUDIT_RULES, else <exe>/../rules, <exe>/../share/medaudit/rules, the source
// tree's rules/.
std::string ResolveRulesDir(const std::string& flag);
// $MEDAUDIT_CACHE_DIR, else $XDG_CACHE_HOME/medaudit, else $HOME/.cache/medaudit (created).
std::string ResolveCacheDir();

// Adds --rules, --no-cache and --engine to a subcommand.
void AddEngineFlags(CLI::App* app, EngineFlags* flags);

// Loads the engine or prints the error to stderr and returns nullptr.
std::shared_ptr<const rules::Engine> LoadEngineOrReport(const EngineFlags& flags);

}  // namespace medaudit::cli
