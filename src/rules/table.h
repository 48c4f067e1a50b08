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

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
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

// A pack's terms as the rows of a table see them: the index of the first term with a given name,
// appending one when none has it. Names already looked up are answered from a map; a name met
// for the first time is searched in the whole vector (so a term some other rule or table added
// earlier is found, as by a linear search). Only this lookup may append to `terms` while it lives.
class TermLookup {
 public:
  explicit TermLookup(std::vector<Term>* terms) : terms_(terms) {}

  // The index of the first term named `name`; if none, appends Term{name, literal, expressions}.
  uint32_t FindOrAdd(const std::string& name, bool literal,
                     const std::vector<std::pair<std::string, std::string>>& expressions);

 private:
  std::vector<Term>* terms_;
  std::unordered_map<std::string, uint32_t> found_;
};

// The template condition instantiated for one row. Term lists the instance uses are appended to
// the pack's terms once (named "<table>:<vocabulary>.<field>") and referenced by index; the
// instance carries `citation` (its row's index in the rule's row citations). Fails on a
// placeholder the row cannot fill, naming the row. Pass one `TermLookup` to all the rows of a
// table: it keeps the names it found.
Result<Condition> InstantiateRow(const Condition& tmpl, const KnowledgeTable& table,
                                 const TableRow& row, int32_t citation, TermLookup* terms);

}  // namespace medaudit::rules
