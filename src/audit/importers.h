// Importers from public benchmark formats to the corpus format of design.md §4, one JSON object
// per output line (`medaudit import healthbench|kqa|csv IN > OUT.jsonl`). Sources carry no model
// answers unless stated; such items get "answer": null and are filled by `medaudit collect`.
//  - HealthBench JSONL: question = last user turn of `prompt`, baseline =
//    ideal_completions_data.ideal_completion, labels = {prompt_id, example_tags, rubrics}; when
//    ideal_completions_data.ideal_completions_ref_completions holds model answers, one item per
//    answer (id "<prompt_id>#<k>"), else one item with `completion` (if any) as answer.
//  - K-QA JSONL: Question, Free_form_answer → baseline, Must_have/Nice_to_have →
//    labels.must_have/nice_to_have, id "kqa-<line>" unless the record has "id".
//  - CSV (RFC 4180, header row required): columns chosen by a mapping "id=col,question=col,
//    answer=col,baseline=col,lang=col" (col = header name or 1-based number).
// Bad records never stop an import: they are counted and described in ImportStats::warnings.
// Pure functions of their streams; thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "base/error.h"

namespace medaudit::audit {

struct ImportStats {
  int64_t records = 0;                // source records read
  int64_t items = 0;                  // corpus lines written
  std::vector<std::string> warnings;  // "line 12: not a JSON object", ...
};

Result<ImportStats> ImportHealthBench(std::istream& in, std::ostream& out);
Result<ImportStats> ImportKqa(std::istream& in, std::ostream& out);

struct CsvMapping {
  std::string id, question, answer, baseline, lang;  // column names or 1-based numbers
};
// Parses "id=col,question=col,...". kInvalidArgument for an unknown key or a missing '='.
Result<CsvMapping> ParseCsvMapping(std::string_view spec);
Result<ImportStats> ImportCsv(std::istream& in, const CsvMapping& mapping, std::ostream& out);

// Reads one RFC 4180 record (quoted fields may hold commas, "" and line breaks; CRLF or LF).
// Returns false at end of input; *error is set for an unterminated quote.
bool ReadCsvRecord(std::istream& in, std::vector<std::string>* fields, std::string* error);

}  // namespace medaudit::audit
