// `medaudit rules test|lint|list`: run the packs' own tests, lint them, list their rules.
#pragma once

#include <ostream>
#include <string>

#include "cli/common.h"

namespace medaudit::cli {

struct RulesFlags {
  EngineFlags engine;
  std::string pack;      // only this pack id (test)
  bool verbose = false;  // print every failing text
  int min_tests = 30;    // lint: tests required per rule
};

int RunRulesTest(const RulesFlags& flags, std::ostream& out, std::ostream& err);
int RunRulesLint(const RulesFlags& flags, std::ostream& out, std::ostream& err);
int RunRulesManifest(const RulesFlags& flags, std::ostream& out, std::ostream& err);
int RunRulesList(const RulesFlags& flags, std::ostream& out, std::ostream& err);

}  // namespace medaudit::cli
