// `medaudit check` (design.md §4): texts as arguments or stdin, or a JSON Lines stream.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/common.h"

namespace medaudit::cli {

struct CheckFlags {
  EngineFlags engine;
  std::string format = "text";  // text | json (argument mode)
  bool jsonl = false;
  std::string question;    // --question (argument mode)
  std::string lang;        // --lang (argument mode)
  bool exit_zero = false;  // exit 0 even when an answer is flagged or blocked
  size_t max_line_bytes = size_t{64} << 20;
  bool summary = false;
  bool explain = false;  // text mode: print sentences and medication statements  // --summary: a
                         // readable table on stderr after a --jsonl stream
  std::vector<std::string> texts;
};

// Returns the process exit code: 0 all allowed, 1 some answer flagged/blocked (unless
// exit_zero), 2 usage or input error (a bad JSON line, invalid UTF-8, ...).
int RunCheck(const CheckFlags& flags, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace medaudit::cli
