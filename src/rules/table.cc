#include "rules/table.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "base/file.h"
#include "base/json.h"
#include "text/lang.h"

namespace medaudit::rules {
namespace {

using rapidjson::Value;

const std::set<std::string> kTermFields = {"words", "patterns", "unless_words", "unless_patterns"};
constexpr std::string_view kClassPrefix = "class:";

Error TableError(const std::string& file, const std::string& pointer, std::string message) {
  Error error = MakeError(ErrorCode::kPackError, std::move(message));
  error.file = file;
  error.json_pointer = pointer;
  return error;
}

// A list of non-empty strings.
bool ReadStrings(const Value& value, std::vector<std::string>* out) {
  if (!value.IsArray()) return false;
  for (const auto& item : value.GetArray()) {
    if (!item.IsString() || item.GetStringLength() == 0) return false;
    out->emplace_back(json::View(item));
  }
  return true;
}

Status ReadVocabulary(const std::string& file, const Value& value, const std::string& pointer,
                      TableVocabulary* vocabulary) {
  if (!value.IsObject() || value.MemberCount() == 0) {
    return TableError(file, pointer,
                      "a condition is an object of term lists (words, patterns, "
                      "unless_words, unless_patterns)");
  }
  for (const auto& field : value.GetObject()) {
    const std::string name(json::View(field.name));
    const std::string field_pointer = json::Pointer(pointer, name);
    if (!kTermFields.count(name)) {
      return TableError(file, field_pointer, "unknown term list '" + name + "'");
    }
    if (!field.value.IsObject()) {
      return TableError(file, field_pointer, "expected an object keyed by language");
    }
    auto& expressions = vocabulary->terms[name];
    for (const auto& by_lang : field.value.GetObject()) {
      const std::string lang(json::View(by_lang.name));
      if (lang != "any" && text::ParseLang(lang) == text::Lang::kUnknown) {
        return TableError(file, json::Pointer(field_pointer, lang),
                          "unknown language '" + lang + "'");
      }
      std::vector<std::string> list;
      if (!ReadStrings(by_lang.value, &list)) {
        return TableError(file, json::Pointer(field_pointer, lang),
                          "expected an array of non-empty strings");
      }
      for (auto& e : list) expressions.emplace_back(lang, std::move(e));
    }
  }
  return {};
}

Status ReadRow(const KnowledgeTable& table, const Value& value, const std::string& pointer,
               TableRow* row) {
  if (!value.IsObject()) return TableError(table.file, pointer, "a row must be an object");
  for (const auto& field : value.GetObject()) {
    const std::string name(json::View(field.name));
    const std::string field_pointer = json::Pointer(pointer, name);
    if (name == "id" || name == "source" || name == "note") {
      if (!field.value.IsString() || field.value.GetStringLength() == 0) {
        return TableError(table.file, field_pointer, "'" + name + "' must be a non-empty string");
      }
      if (name == "id") row->id = json::View(field.value);
      if (name == "source") row->source = json::View(field.value);
    } else if (field.value.IsString()) {
      const std::string vocabulary(json::View(field.value));
      if (!table.vocabularies.count(vocabulary)) {
        return TableError(table.file, field_pointer, "no condition named '" + vocabulary + "'");
      }
      row->vocabularies[name] = vocabulary;
    } else if (!ReadStrings(field.value, &row->drug_sets[name]) || row->drug_sets[name].empty()) {
      return TableError(table.file, field_pointer,
                        "a row field is a condition name or a non-empty array of drug ids");
    }
  }
  if (row->id.empty()) return TableError(table.file, pointer + "/id", "missing 'id'");
  if (row->source.empty()) {
    return TableError(table.file, pointer + "/source", "missing 'source': every row cites one");
  }
  return {};
}

// "$condition.words" -> ("condition", "words"); "$drug" -> ("drug", "").
std::pair<std::string, std::string> SplitPlaceholder(std::string_view placeholder) {
  placeholder.remove_prefix(1);
  const size_t dot = placeholder.find('.');
  if (dot == std::string_view::npos) return {std::string(placeholder), ""};
  return {std::string(placeholder.substr(0, dot)), std::string(placeholder.substr(dot + 1))};
}

bool IsPlaceholder(std::string_view s) { return !s.empty() && s.front() == '$'; }

// An empty "all": holds for every text.
Condition Always() { return Condition{}; }

// An empty "any": holds for no text.
Condition Never() {
  Condition never;
  never.kind = Condition::Kind::kAny;
  return never;
}

// Fills a copy of the template for one row, in place: each node is copied once (with the whole
// template) and placeholders are replaced where they sit, in the template's depth-first order.
class Instantiator {
 public:
  Instantiator(const KnowledgeTable& table, const TableRow& row, TermLookup* terms)
      : table_(table), row_(row), terms_(terms) {}

  Status Fill(Condition* node) const {
    switch (node->kind) {
      case Condition::Kind::kLexicon:
      case Condition::Kind::kPattern:
        return node->placeholder.empty() ? Status{} : FillTerm(node);
      case Condition::Kind::kStatement:
        return FillStatement(node);
      default:
        break;
    }
    for (auto& child : node->children) {
      if (auto s = Fill(&child); !s) return s.error();
    }
    return {};
  }

 private:
  Error Fail(const std::string& message) const {
    return TableError(table_.file, "", "row '" + row_.id + "': " + message);
  }

  // A lexicon or pattern placeholder: the row's vocabulary's term list, or always / never.
  Status FillTerm(Condition* node) const {
    auto [field, list] = SplitPlaceholder(node->placeholder);
    const bool optional = !field.empty() && field.back() == '?';
    if (optional) field.pop_back();
    auto named = row_.vocabularies.find(field);
    if (optional && named == row_.vocabularies.end() && kTermFields.count(list)) {
      *node = Always();
      return {};
    }
    if (named == row_.vocabularies.end() || !kTermFields.count(list)) {
      return Fail("the template's '" + node->placeholder + "' needs a condition field '" + field +
                  "' and a term list (words, patterns, unless_words, unless_patterns)");
    }
    const bool literal = list.find("words") != std::string::npos;
    if (literal != (node->kind == Condition::Kind::kLexicon)) {
      return Fail("'" + node->placeholder + "': words are lexicons, patterns are patterns");
    }
    const auto& vocabulary = table_.vocabularies.at(named->second);
    auto expressions = vocabulary.terms.find(list);
    if (expressions == vocabulary.terms.end() || expressions->second.empty()) {
      *node = Never();
      return {};
    }
    const std::string name = table_.name + ":" + named->second + "." + list;
    node->placeholder.clear();
    node->term = terms_->FindOrAdd(name, literal, expressions->second);
    return {};
  }

  // A statement whose drug list is a placeholder: the row's drug ids, or its classes, or either.
  Status FillStatement(Condition* node) const {
    const auto& ids = node->statement.drug_ids;
    if (ids.size() != 1 || !IsPlaceholder(ids.front())) return {};
    const std::string field = SplitPlaceholder(ids.front()).first;
    auto set = row_.drug_sets.find(field);
    if (set == row_.drug_sets.end()) {
      return Fail("the template's '" + ids.front() + "' needs a drug set field '" + field + "'");
    }
    Condition by_id = std::move(*node);
    by_id.statement.drug_ids.clear();
    Condition by_class = by_id;
    for (const auto& drug : set->second) {
      if (drug.rfind(kClassPrefix, 0) == 0) {
        by_class.statement.drug_class.push_back(drug.substr(kClassPrefix.size()));
      } else {
        by_id.statement.drug_ids.push_back(drug);
      }
    }
    Condition either = Never();
    if (!by_id.statement.drug_ids.empty()) either.children.push_back(std::move(by_id));
    if (!by_class.statement.drug_class.empty()) either.children.push_back(std::move(by_class));
    *node = either.children.size() == 1 ? std::move(either.children.front()) : std::move(either);
    return {};
  }

  const KnowledgeTable& table_;
  const TableRow& row_;
  TermLookup* terms_;
};

}  // namespace

Result<KnowledgeTable> LoadKnowledgeTable(const std::string& path) {
  auto data = ReadFile(path, size_t{16} << 20);
  if (!data) return data.error();
  rapidjson::Document doc;
  if (auto parsed = json::Parse(*data, path, &doc); !parsed) return parsed.error();
  KnowledgeTable table;
  table.file = path;
  table.name = std::filesystem::path(path).stem().string();
  if (!doc.IsObject()) return TableError(path, "", "a knowledge table must be a JSON object");
  for (const auto& m : doc.GetObject()) {
    const std::string key(json::View(m.name));
    if (key != "about" && key != "version" && key != "conditions" && key != "rows") {
      return TableError(path, json::Pointer("", key), "unknown key '" + key + "'");
    }
  }
  if (auto conditions = doc.FindMember("conditions"); conditions != doc.MemberEnd()) {
    if (!conditions->value.IsObject()) {
      return TableError(path, "/conditions", "expected an object of named conditions");
    }
    for (const auto& c : conditions->value.GetObject()) {
      const std::string name(json::View(c.name));
      if (auto s = ReadVocabulary(path, c.value, json::Pointer("/conditions", name),
                                  &table.vocabularies[name]);
          !s) {
        return s.error();
      }
    }
  }
  auto rows = doc.FindMember("rows");
  if (rows == doc.MemberEnd() || !rows->value.IsArray() || rows->value.Empty()) {
    return TableError(path, "/rows", "a knowledge table needs a non-empty 'rows' array");
  }
  std::set<std::string> ids;
  for (rapidjson::SizeType i = 0; i < rows->value.Size(); ++i) {
    const std::string pointer = json::Pointer("/rows", i);
    TableRow row;
    if (auto s = ReadRow(table, rows->value[i], pointer, &row); !s) return s.error();
    if (!ids.insert(row.id).second) {
      return TableError(path, pointer + "/id", "duplicate row id '" + row.id + "'");
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

uint32_t TermLookup::FindOrAdd(
    const std::string& name, bool literal,
    const std::vector<std::pair<std::string, std::string>>& expressions) {
  if (auto known = found_.find(name); known != found_.end()) return known->second;
  auto it =
      std::find_if(terms_->begin(), terms_->end(), [&](const Term& t) { return t.name == name; });
  if (it == terms_->end()) {
    terms_->push_back(Term{name, literal, expressions});
    it = terms_->end() - 1;
  }
  const auto index = static_cast<uint32_t>(it - terms_->begin());
  found_.emplace(name, index);
  return index;
}

Result<Condition> InstantiateRow(const Condition& tmpl, const KnowledgeTable& table,
                                 const TableRow& row, int32_t citation, TermLookup* terms) {
  Condition instance = tmpl;
  if (auto s = Instantiator(table, row, terms).Fill(&instance); !s) return s.error();
  instance.citation = citation;
  return instance;
}

}  // namespace medaudit::rules
