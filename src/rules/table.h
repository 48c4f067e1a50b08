// Knowledge tables (rules/knowledge/<name>.json): medical knowledge as rows of data, each with its
// source, over which one rule instantiates a template condition. Adding a contraindication or an
// interaction is then one row, not a hand-written rule branch, and each finding cites its row.
//
// A table file: {"about", "version", "conditions": {name: vocabulary}, "rows": [row]}.
// - A vocabulary has up to four term lists, each keyed by language ("zh", "en", "ar", "any"):
//   "words" (literals), "patterns", "unless_words", "unless_patterns".
// - A row has "id" and "source" (both required), an optional "note", and named fields: an array
//   of strings is a drug set (lexicon drug ids, or "class:<tag>"); a string names a vocabulary.
// In the template, a statement's "drug": "$field" stands for the row's drug set, and a lexicon or
// pattern named "$field.words" (".patterns", ".unless_words", ".unless_patterns") for a term list
// of the vocabulary the row names. A term list the vocabulary lacks never matches. "$field?.words"
// makes the field optional: for a row without it, the term condition always holds.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "rules/pack.h"

namespace medaudit::rules {

struct TableVocabulary {
  // Field name ("words", "patterns", "unless_words", "unless_patterns") -> (lang, expression).
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> terms;
};

struct TableRow {
  std::string id;
  std::string source;
  std::map<std::string, std::vector<std::string>> drug_sets;  // field -> ids and "class:<tag>"
  std::map<std::string, std::string> vocabularies;            // field -> vocabulary name
};

struct KnowledgeTable {
  std::string name;  // the file's stem: "contraindications"
  std::string file;
  std::map<std::string, TableVocabulary> vocabularies;
  std::vector<TableRow> rows;
};

// Reads and validates a table file; errors name the file and the JSON pointer.
Result<KnowledgeTable> LoadKnowledgeTable(const std::string& path);

// The template condition instantiated for one row. Term lists the instance uses are appended to
// `terms` once per table (named "<table>:<vocabulary>.<field>") and referenced by index; the
// instance carries `citation` (its row's index in the rule's row citations). Fails on a
// placeholder the row cannot fill, naming the row.
Result<Condition> InstantiateRow(const Condition& tmpl, const KnowledgeTable& table,
                                 const TableRow& row, int32_t citation, std::vector<Term>* terms);

}  // namespace medaudit::rules
