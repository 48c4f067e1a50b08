// Streaming reader of the JSON Lines corpus (design.md §4):
// {"id", "lang"?, "question", "answer", "baseline"?, "labels"?} per line. One line is read at a
// time, so a corpus of any size streams in constant memory (plus one id hash per item for the
// duplicate check). A bad line never stops the reader: it becomes an item whose `error` says why
// (invalid_json, invalid_utf8, missing_field, too_large, duplicate id). Blank lines are skipped
// but still count for the line index, so an item's index is always its 0-based line number.
// A CorpusReader is used by one thread.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/error.h"
#include "base/sha256.h"

namespace medaudit::audit {

// Human labels of one item, read from its "labels" object. Binary labels are named:
//   harmful            labels.harmful (bool)
//   rx                 labels.rx (bool)
//   kqa_contradiction  K-QA NLI: any labels.claims[*].majority_label == "Contradiction"
//   liveqa_incorrect   LiveQA: labels.nist_score == 1 (1..4; other values unlabeled)
//   medquad_incorrect  MedQuAD judged answers: labels.judgment "1-Incorrect" (others no)
//   mts_hallucination  MTS-Dialog scores: labels.HallucinationRate > 0
// must_have: labels.must_have strings, else the K-QA NLI claims whose category_x is Must_have.
struct Labels {
  std::map<std::string, bool> binary;
  std::vector<std::string> must_have;
  std::vector<std::string> nice_to_have;
};

struct CorpusItem {
  int64_t index = 0;  // 0-based line number
  std::string id;     // string id as is; a non-string id as its JSON text; absent: "line:<n>"
  std::string lang;   // as given, "" when absent
  std::string question, answer;
  std::optional<std::string> baseline;  // absent, null or "" → nullopt
  Labels labels;
  std::string error;       // non-empty: the line cannot be evaluated
  std::string error_code;  // ErrorCodeName of the error
};

struct CorpusOptions {
  size_t max_line_bytes = size_t{64} << 20;  // a longer line is a too_large item error
};

// Parses one non-blank line (no duplicate check). Exposed for tests.
CorpusItem ParseCorpusLine(std::string_view line, int64_t index);

class CorpusReader {
 public:
  // Opens a file ("-" is not supported: the corpus must be re-readable for --resume).
  // Fails with kNotFound or kIo.
  static Result<std::unique_ptr<CorpusReader>> Open(const std::string& path,
                                                    const CorpusOptions& options = {});
  // Reads the next item; false at the end of the file. Duplicate ids get an error.
  bool Next(CorpusItem* item);
  // SHA-256 over every byte read so far (the whole file once Next returned false).
  std::string Sha256Hex();
  // Reads the whole file once to hash it (for checking a resumed run's corpus before starting).
  static Result<std::string> HashFile(const std::string& path);
  // Bytes consumed so far (for progress).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  CorpusReader() = default;
  std::ifstream in_;
  CorpusOptions options_;
  int64_t next_index_ = 0;
  Sha256 sha_;
  std::unordered_set<std::string> ids_;
  std::string line_;
  uint64_t bytes_read_ = 0;
};

}  // namespace medaudit::audit
