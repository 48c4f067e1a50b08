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

class Instantiator {
 public:
  Instantiator(const KnowledgeTable& table, const TableRow& row, std::vector<Term>* terms)
      : table_(table), row_(row), terms_(terms) {}

  Result<Condition> Instantiate(const Condition& tmpl) const {
    switch (tmpl.kind) {
      case Condition::Kind::kLexicon:
      case Condition::Kind::kPattern:
        return tmpl.placeholder.empty() ? Result<Condition>(tmpl) : TermCondition(tmpl);
      case Condition::Kind::kStatement:
        return StatementCondition(tmpl);
      default:
        break;
    }
    Condition out = tmpl;
    out.children.clear();
    for (const auto& child : tmpl.children) {
      auto instance = Instantiate(child);
      if (!instance) return instance.error();
      out.children.push_back(std::move(*instance));
    }
    return out;
  }

 private:
  Error Fail(const std::string& message) const {
    return TableError(table_.file, "", "row '" + row_.id + "': " + message);
  }

  Result<Condition> TermCondition(const Condition& tmpl) const {
    auto [field, list] = SplitPlaceholder(tmpl.placeholder);
    const bool optional = !field.empty() && field.back() == '?';
    if (optional) field.pop_back();
    auto named = row_.vocabularies.find(field);
    if (optional && named == row_.vocabularies.end() && kTermFields.count(list)) return Always();
    if (named == row_.vocabularies.end() || !kTermFields.count(list)) {
      return Fail("the template's '" + tmpl.placeholder + "' needs a condition field '" + field +
                  "' and a term list (words, patterns, unless_words, unless_patterns)");
    }
    const bool literal = list.find("words") != std::string::npos;
    if (literal != (tmpl.kind == Condition::Kind::kLexicon)) {
      return Fail("'" + tmpl.placeholder + "': words are lexicons, patterns are patterns");
    }
    const auto& vocabulary = table_.vocabularies.at(named->second);
    auto expressions = vocabulary.terms.find(list);
    if (expressions == vocabulary.terms.end() || expressions->second.empty()) return Never();
    const std::string name = table_.name + ":" + named->second + "." + list;
    auto it =
        std::find_if(terms_->begin(), terms_->end(), [&](const Term& t) { return t.name == name; });
    if (it == terms_->end()) {
      terms_->push_back(Term{name, literal, expressions->second});
      it = terms_->end() - 1;
    }
    Condition out = tmpl;
    out.placeholder.clear();
    out.term = static_cast<uint32_t>(it - terms_->begin());
    return out;
  }

  // A statement whose drug list is a placeholder: the row's drug ids, or its classes, or either.
  Result<Condition> StatementCondition(const Condition& tmpl) const {
    const auto& ids = tmpl.statement.drug_ids;
    if (ids.size() != 1 || !IsPlaceholder(ids.front())) return tmpl;
    const std::string field = SplitPlaceholder(ids.front()).first;
    auto set = row_.drug_sets.find(field);
    if (set == row_.drug_sets.end()) {
      return Fail("the template's '" + ids.front() + "' needs a drug set field '" + field + "'");
    }
    Condition by_id = tmpl, by_class = tmpl;
    by_id.statement.drug_ids.clear();
    by_class.statement.drug_ids.clear();
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
    if (either.children.size() == 1) return std::move(either.children.front());
    return either;
  }

  const KnowledgeTable& table_;
  const TableRow& row_;
  std::vector<Term>* terms_;
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

Result<Condition> InstantiateRow(const Condition& tmpl, const KnowledgeTable& table,
                                 const TableRow& row, int32_t citation, std::vector<Term>* terms) {
  auto instance = Instantiator(table, row, terms).Instantiate(tmpl);
  if (!instance) return instance.error();
  instance->citation = citation;
  return instance;
}

}  // namespace medaudit::rules
