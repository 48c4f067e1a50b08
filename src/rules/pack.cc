#include "rules/pack.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <utility>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/file.h"
#include "base/json.h"
#include "base/sha256.h"
#include "rules/table.h"

namespace medaudit::rules {
namespace {

using rapidjson::Value;

// Builds errors that name the pack file and the JSON pointer.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  Error Fail(const std::string& pointer, std::string message) const {
    Error error = MakeError(ErrorCode::kPackError, std::move(message));
    error.file = file_;
    error.json_pointer = pointer;
    return error;
  }

  Status OnlyKeys(const Value& object, const std::string& pointer,
                  std::initializer_list<std::string_view> allowed) const {
    for (auto& m : object.GetObject()) {
      const std::string_view key = json::View(m.name);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return Fail(json::Pointer(pointer, key), "unknown key '" + std::string(key) + "'");
      }
    }
    return {};
  }

  Result<std::string> String(const Value& object, const std::string& pointer, const char* key,
                             bool required) const {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd()) {
      if (required) return Fail(json::Pointer(pointer, key), std::string("missing '") + key + "'");
      return std::string();
    }
    if (!it->value.IsString()) {
      return Fail(json::Pointer(pointer, key), std::string("'") + key + "' must be a string");
    }
    return std::string(json::View(it->value));
  }

  Status StringList(const Value& value, const std::string& pointer,
                    std::vector<std::string>* out) const {
    if (value.IsString()) {
      out->emplace_back(json::View(value));
      return {};
    }
    if (!value.IsArray()) return Fail(pointer, "expected a string or an array of strings");
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (!value[i].IsString()) return Fail(json::Pointer(pointer, i), "expected a string");
      out->emplace_back(json::View(value[i]));
    }
    return {};
  }

 private:
  std::string file_;
};

Result<Severity> ParseSeverity(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warn") return Severity::kWarn;
  if (name == "harm") return Severity::kHarm;
  if (name == "block") return Severity::kBlock;
  return MakeError(ErrorCode::kPackError, "unknown severity '" + std::string(name) + "'");
}

// The number of strings a term's language entry holds: 1 for a string, the array's size (its items
// are checked when read).
size_t ExpressionCount(const Value& by_lang) {
  if (by_lang.IsString()) return 1;
  return by_lang.IsArray() ? by_lang.Size() : 0;
}

// Appends one language entry of a term (a string or an array of strings) to its expressions, with
// the errors of Reader::StringList and then "empty expression", in that order. JSON pointers are
// built only for an error (start-up: the packs hold ~20,000 expressions).
Status ReadExpressions(const Reader& reader, const Value& value, const std::string& term_pointer,
                       const std::string& lang, Term* term) {
  const Value* items = &value;
  rapidjson::SizeType count = 1;
  if (value.IsArray()) {
    items = value.Begin();
    count = value.Size();
    for (rapidjson::SizeType i = 0; i < count; ++i) {
      if (!items[i].IsString()) {
        return reader.Fail(json::Pointer(json::Pointer(term_pointer, lang), i),
                           "expected a string");
      }
    }
  } else if (!value.IsString()) {
    return reader.Fail(json::Pointer(term_pointer, lang),
                       "expected a string or an array of strings");
  }
  for (rapidjson::SizeType i = 0; i < count; ++i) {
    if (items[i].GetStringLength() == 0) {
      return reader.Fail(json::Pointer(term_pointer, lang), "empty expression");
    }
    term->expressions.emplace_back(lang, json::View(items[i]));
  }
  return {};
}

Status ReadTerms(const Reader& reader, const Value& doc, const char* section, bool literal,
                 Pack* pack) {
  auto it = doc.FindMember(section);
  if (it == doc.MemberEnd()) return {};
  const std::string pointer = std::string("/") + section;
  if (!it->value.IsObject()) return reader.Fail(pointer, "expected an object of named terms");
  for (auto& m : it->value.GetObject()) {
    Term term;
    term.name = m.name.GetString();
    term.literal = literal;
    const std::string term_pointer = json::Pointer(pointer, term.name);
    for (const auto& existing : pack->terms) {
      if (existing.name == term.name) {
        return reader.Fail(term_pointer, "the name '" + term.name + "' is used twice");
      }
    }
    if (!m.value.IsObject())
      return reader.Fail(term_pointer, "expected an object keyed by language");
    size_t count = 0;
    for (auto& by_lang : m.value.GetObject()) count += ExpressionCount(by_lang.value);
    term.expressions.reserve(count);
    for (auto& by_lang : m.value.GetObject()) {
      const std::string lang = by_lang.name.GetString();
      if (lang != "any" && text::ParseLang(lang) == text::Lang::kUnknown) {
        return reader.Fail(json::Pointer(term_pointer, lang), "unknown language '" + lang + "'");
      }
      if (auto s = ReadExpressions(reader, by_lang.value, term_pointer, lang, &term); !s) {
        return s.error();
      }
    }
    pack->terms.push_back(std::move(term));
  }
  return {};
}

// What reading a rule's conditions may change: tables append terms to the pack and row
// citations to the rule; inside a table's template, "$" placeholders are allowed.
struct ConditionContext {
  Pack* pack;
  Rule* rule;
  bool in_template = false;
};

// Where a condition sits: a root pointer, or a key or an index under a parent condition. Reading a
// condition tree needs the JSON pointer only for an error, so it is built only then.
class ConditionAt {
 public:
  explicit ConditionAt(const std::string& root) : root_(&root) {}  // `root` outlives the chain
  explicit ConditionAt(std::string&&) = delete;
  ConditionAt Key(std::string_view key) const { return ConditionAt(this, key, 0, false); }
  ConditionAt Index(size_t index) const { return ConditionAt(this, {}, index, true); }

  // The JSON pointer ("/rules/3/when/all/0/statement"), as json::Pointer builds it.
  std::string Pointer() const {
    if (!parent_) return *root_;
    return is_index_ ? json::Pointer(parent_->Pointer(), index_)
                     : json::Pointer(parent_->Pointer(), key_);
  }

 private:
  ConditionAt(const ConditionAt* parent, std::string_view key, size_t index, bool is_index)
      : parent_(parent), key_(key), index_(index), is_index_(is_index) {}

  const std::string* root_ = nullptr;  // the chain's root only
  const ConditionAt* parent_ = nullptr;
  std::string_view key_;  // a member's key under the parent, or...
  size_t index_ = 0;      // ...an array item's index
  bool is_index_ = false;
};

Result<Condition> ReadCondition(const Reader& reader, const Value& value, const ConditionAt& at,
                                ConditionContext& context);

// A string list; the pointer (for the error) is built only when the list is bad.
template <typename PointerFn>
Status ReadStringList(const Reader& reader, const Value& value, PointerFn pointer,
                      std::vector<std::string>* out) {
  if (value.IsString()) {
    out->emplace_back(json::View(value));
    return {};
  }
  if (value.IsArray()) {
    const auto items = value.GetArray();
    if (std::all_of(items.begin(), items.end(), [](const Value& v) { return v.IsString(); })) {
      for (const auto& item : items) out->emplace_back(json::View(item));
      return {};
    }
  }
  return reader.StringList(value, pointer(), out);
}

Status ReadStatementPredicate(const Reader& reader, const Value& value, const std::string& pointer,
                              StatementPredicate* p) {
  if (!value.IsObject()) return reader.Fail(pointer, "'statement' must be an object");
  if (auto s =
          reader.OnlyKeys(value, pointer,
                          {"mood", "has_any", "has_all", "drug_controlled", "drug_class", "drug",
                           "herbal", "exceeds", "daily_of_weekly", "drug_pregnancy", "drug_min_age",
                           "patient_age_below", "below_min_age", "question_drug"});
      !s) {
    return s.error();
  }
  static const std::set<std::string> kAttributes = {"dose", "frequency", "duration", "route",
                                                    "schedule"};
  for (auto& m : value.GetObject()) {
    const std::string key = m.name.GetString();
    const auto p_key = [&] { return json::Pointer(pointer, key); };
    if (key == "herbal" || key == "daily_of_weekly" || key == "drug_min_age" ||
        key == "below_min_age" || key == "question_drug") {
      if (!m.value.IsBool()) return reader.Fail(p_key(), "'" + key + "' must be true or false");
      if (key == "herbal") {
        p->herbal = m.value.GetBool();
        p->exclude_herbal = !m.value.GetBool();
      } else if (key == "daily_of_weekly") {
        p->daily_of_weekly = m.value.GetBool();
      } else if (key == "below_min_age") {
        p->below_min_age = m.value.GetBool();
      } else if (key == "question_drug") {
        p->question_drug = m.value.GetBool();
      } else {
        p->drug_min_age = m.value.GetBool();
      }
      continue;
    }
    if (key == "patient_age_below") {
      if (!m.value.IsNumber() || m.value.GetDouble() <= 0) {
        return reader.Fail(p_key(), "'patient_age_below' must be a number of years above 0");
      }
      p->patient_age_below = m.value.GetDouble();
      continue;
    }
    std::vector<std::string> list;
    if (auto s = ReadStringList(reader, m.value, p_key, &list); !s) return s.error();
    if (key == "mood") {
      for (const auto& name : list) {
        extract::Mood mood;
        if (!extract::ParseMood(name, &mood))
          return reader.Fail(p_key(), "unknown mood '" + name + "'");
        p->moods.push_back(mood);
      }
    } else if (key == "has_any" || key == "has_all") {
      for (const auto& name : list) {
        if (!kAttributes.count(name)) {
          return reader.Fail(p_key(), "unknown attribute '" + name + "'");
        }
      }
      (key == "has_any" ? p->has_any : p->has_all) = std::move(list);
    } else if (key == "exceeds") {
      for (const auto& name : list) {
        Limit limit;
        if (!ParseLimit(name, &limit)) {
          return reader.Fail(p_key(),
                             "'exceeds' takes single, daily, child_single, child_daily, "
                             "elderly_single, elderly_daily, renal_single, renal_daily, "
                             "renal_avoid, child_age_single, child_age_daily, question_dose, "
                             "question_dose_step or "
                             "stated_total, "
                             "not '" +
                                 name + "'");
        }
        p->exceeds.push_back(limit);
      }
    } else if (key == "drug_pregnancy") {
      for (const auto& name : list) {
        if (name != "contraindicated" && name != "avoid") {
          return reader.Fail(p_key(), "unknown pregnancy flag '" + name + "'");
        }
      }
      p->drug_pregnancy = std::move(list);
    } else if (key == "drug_controlled") {
      p->drug_controlled = std::move(list);
    } else if (key == "drug_class") {
      p->drug_class = std::move(list);
    } else {
      p->drug_ids = std::move(list);
    }
  }
  return {};
}

bool IsPlaceholder(std::string_view name) { return !name.empty() && name.front() == '$'; }

// {"table": {"name": "<knowledge table>", "each": <template>}}: any of the template's instances,
// one per row of rules/knowledge/<name>.json (rules/table.h).
Result<Condition> ReadTable(const Reader& reader, const Value& value, const std::string& pointer,
                            ConditionContext& context) {
  if (context.in_template) return reader.Fail(pointer, "a table cannot sit inside a template");
  if (!value.IsObject()) return reader.Fail(pointer, "'table' is {\"name\", \"each\"}");
  if (auto s = reader.OnlyKeys(value, pointer, {"name", "each"}); !s) return s.error();
  auto name = reader.String(value, pointer, "name", true);
  if (!name) return name.error();
  if (name->empty() ||
      name->find_first_not_of("abcdefghijklmnopqrstuvwxyz_-") != std::string::npos) {
    return reader.Fail(pointer + "/name", "a table name is lower-case letters, '_' and '-'");
  }
  auto each = value.FindMember("each");
  if (each == value.MemberEnd()) return reader.Fail(pointer + "/each", "missing 'each'");
  ConditionContext template_context{context.pack, context.rule, true};
  const std::string each_pointer = pointer + "/each";
  auto tmpl = ReadCondition(reader, each->value, ConditionAt(each_pointer), template_context);
  if (!tmpl) return tmpl.error();
  const auto path =
      std::filesystem::path(context.pack->file).parent_path() / "knowledge" / (*name + ".json");
  auto table = LoadKnowledgeTable(path.string());
  if (!table) return table.error();
  Condition any;
  any.kind = Condition::Kind::kAny;
  TermLookup terms(&context.pack->terms);
  for (const auto& row : table->rows) {
    auto& citations = context.rule->row_citations;
    citations.push_back({table->name + "/" + row.id, row.source});
    auto instance =
        InstantiateRow(*tmpl, *table, row, static_cast<int32_t>(citations.size() - 1), &terms);
    if (!instance) return instance.error();
    any.children.push_back(std::move(*instance));
  }
  return any;
}

Result<Condition> ReadTerm(const Reader& reader, const std::string& key, const Value& value,
                           const ConditionAt& at, const ConditionContext& context) {
  Condition condition;
  condition.kind = key == "lexicon" ? Condition::Kind::kLexicon : Condition::Kind::kPattern;
  if (!value.IsString()) return reader.Fail(at.Pointer(), "expected a term name");
  const std::string name = value.GetString();
  if (context.in_template && IsPlaceholder(name)) {
    condition.placeholder = name;
    return condition;
  }
  const auto& terms = context.pack->terms;
  auto it = std::find_if(terms.begin(), terms.end(), [&](const Term& t) { return t.name == name; });
  if (it == terms.end()) {
    return reader.Fail(at.Pointer(), "no " + key + " named '" + name + "' in this pack");
  }
  if (it->literal != (key == "lexicon")) {
    return reader.Fail(at.Pointer(), "'" + name + "' is not a " + key);
  }
  condition.term = static_cast<uint32_t>(it - terms.begin());
  return condition;
}

Result<Condition> ReadCondition(const Reader& reader, const Value& value, const ConditionAt& at,
                                ConditionContext& context) {
  if (!value.IsObject() || value.MemberCount() != 1) {
    return reader.Fail(at.Pointer(),
                       "a condition is an object with exactly one key: all, any, not, "
                       "lexicon, pattern, statement, question, answer or table");
  }
  const auto& member = *value.MemberBegin();
  const std::string key = member.name.GetString();
  const ConditionAt child_at = at.Key(key);
  Condition condition;
  if (key == "all" || key == "any") {
    condition.kind = key == "all" ? Condition::Kind::kAll : Condition::Kind::kAny;
    if (!member.value.IsArray() || member.value.Empty()) {
      return reader.Fail(child_at.Pointer(), "'" + key + "' needs a non-empty array");
    }
    for (rapidjson::SizeType i = 0; i < member.value.Size(); ++i) {
      auto child = ReadCondition(reader, member.value[i], child_at.Index(i), context);
      if (!child) return child.error();
      condition.children.push_back(std::move(*child));
    }
  } else if (key == "not" || key == "question" || key == "answer") {
    condition.kind = key == "not"        ? Condition::Kind::kNot
                     : key == "question" ? Condition::Kind::kQuestion
                                         : Condition::Kind::kAnswer;
    auto child = ReadCondition(reader, member.value, child_at, context);
    if (!child) return child.error();
    condition.children.push_back(std::move(*child));
  } else if (key == "lexicon" || key == "pattern") {
    return ReadTerm(reader, key, member.value, child_at, context);
  } else if (key == "statement") {
    condition.kind = Condition::Kind::kStatement;
    if (auto s =
            ReadStatementPredicate(reader, member.value, child_at.Pointer(), &condition.statement);
        !s) {
      return s.error();
    }
    const auto& ids = condition.statement.drug_ids;
    const bool placeholder = std::any_of(ids.begin(), ids.end(), IsPlaceholder);
    if (placeholder && (!context.in_template || ids.size() != 1)) {
      return reader.Fail(child_at.Pointer() + "/drug",
                         "a \"$\" drug placeholder stands alone, inside a table's template");
    }
  } else if (key == "table") {
    return ReadTable(reader, member.value, child_at.Pointer(), context);
  } else {
    return reader.Fail(child_at.Pointer(), "unknown condition '" + key + "'");
  }
  return condition;
}

Status ReadTests(const Reader& reader, const Value& value, const std::string& pointer,
                 std::vector<RuleTest>* tests) {
  if (!value.IsArray()) return reader.Fail(pointer, "'tests' must be an array");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    const std::string p = json::Pointer(pointer, i);
    const Value& t = value[i];
    if (!t.IsObject()) return reader.Fail(p, "a test must be an object");
    if (auto s = reader.OnlyKeys(t, p, {"lang", "text", "question", "expect", "note"}); !s) {
      return s.error();
    }
    RuleTest test;
    test.pointer = p;
    auto lang = reader.String(t, p, "lang", true);
    if (!lang) return lang.error();
    if (text::ParseLang(*lang) == text::Lang::kUnknown) {
      return reader.Fail(p + "/lang", "unknown language '" + *lang + "'");
    }
    test.lang = *lang;
    auto text = reader.String(t, p, "text", true);
    if (!text) return text.error();
    test.text = *text;
    auto question = reader.String(t, p, "question", false);
    if (!question) return question.error();
    test.question = *question;
    auto expect = t.FindMember("expect");
    if (expect == t.MemberEnd()) return reader.Fail(p + "/expect", "missing 'expect'");
    if (auto s = reader.StringList(expect->value, p + "/expect", &test.expect); !s)
      return s.error();
    for (const auto& e : test.expect) {
      if (e.rfind("ruleid:", 0) != 0 && e.rfind("ok:", 0) != 0 && e.rfind("todoruleid:", 0) != 0 &&
          e.rfind("todook:", 0) != 0) {
        return reader.Fail(p + "/expect", "an expectation is ruleid:, ok:, todoruleid: or todook:");
      }
    }
    tests->push_back(std::move(test));
  }
  return {};
}

Result<Rule> ReadRule(const Reader& reader, const Value& value, const std::string& pointer,
                      Pack* pack_ptr) {
  const Pack& pack = *pack_ptr;
  if (!value.IsObject()) return reader.Fail(pointer, "a rule must be an object");
  if (auto s = reader.OnlyKeys(value, pointer,
                               {"id", "category", "severity", "harm", "message", "citation",
                                "scope", "when", "tests", "note"});
      !s) {
    return s.error();
  }
  Rule rule;
  rule.pointer = pointer;
  for (auto [field, target] : {std::pair{"id", &rule.id}, std::pair{"category", &rule.category}}) {
    auto v = reader.String(value, pointer, field, true);
    if (!v) return v.error();
    *target = *v;
  }
  if (rule.id.rfind(pack.id + ".", 0) != 0) {
    return reader.Fail(pointer + "/id",
                       "rule id '" + rule.id + "' must start with the pack id '" + pack.id + ".'");
  }
  auto severity_name = reader.String(value, pointer, "severity", true);
  if (!severity_name) return severity_name.error();
  auto severity = ParseSeverity(*severity_name);
  if (!severity) return reader.Fail(pointer + "/severity", severity.error().message);
  rule.severity = *severity;

  if (auto harm = value.FindMember("harm"); harm != value.MemberEnd()) {
    if (!harm->value.IsObject()) return reader.Fail(pointer + "/harm", "'harm' must be an object");
    if (auto s = reader.OnlyKeys(harm->value, pointer + "/harm", {"extent", "likelihood"}); !s) {
      return s.error();
    }
    auto extent = reader.String(harm->value, pointer + "/harm", "extent", true);
    auto likelihood = reader.String(harm->value, pointer + "/harm", "likelihood", true);
    if (!extent) return extent.error();
    if (!likelihood) return likelihood.error();
    static const std::set<std::string> kExtents = {"none", "mild_moderate", "severe_death"};
    static const std::set<std::string> kLikelihoods = {"low", "medium", "high"};
    if (!kExtents.count(*extent)) return reader.Fail(pointer + "/harm/extent", "unknown extent");
    if (!kLikelihoods.count(*likelihood)) {
      return reader.Fail(pointer + "/harm/likelihood", "unknown likelihood");
    }
    rule.harm_extent = *extent;
    rule.harm_likelihood = *likelihood;
  }

  auto message = value.FindMember("message");
  if (message == value.MemberEnd() || !message->value.IsObject()) {
    return reader.Fail(pointer + "/message", "missing 'message' object keyed by language");
  }
  for (auto& m : message->value.GetObject()) {
    const text::Lang lang = text::ParseLang(m.name.GetString());
    if (lang == text::Lang::kUnknown || !m.value.IsString()) {
      return reader.Fail(json::Pointer(pointer + "/message", m.name.GetString()),
                         "messages are strings keyed by zh, en or ar");
    }
    rule.message[static_cast<size_t>(lang)] = m.value.GetString();
  }
  if (rule.message[static_cast<size_t>(text::Lang::kEn)].empty()) {
    return reader.Fail(pointer + "/message/en", "an English message is required");
  }

  auto citation = value.FindMember("citation");
  if (citation == value.MemberEnd() || !citation->value.IsObject()) {
    return reader.Fail(pointer + "/citation", "missing 'citation' {id, text}");
  }
  for (auto [field, target] :
       {std::pair{"id", &rule.citation.id}, std::pair{"text", &rule.citation.text}}) {
    auto v = reader.String(citation->value, pointer + "/citation", field, true);
    if (!v) return v.error();
    if (v->empty()) return reader.Fail(pointer + "/citation/" + field, "empty citation field");
    *target = *v;
  }

  auto scope = reader.String(value, pointer, "scope", false);
  if (!scope) return scope.error();
  if (scope->empty() || *scope == "sentence") {
    rule.scope = Scope::kSentence;
  } else if (*scope == "text") {
    rule.scope = Scope::kText;
  } else {
    return reader.Fail(pointer + "/scope", "scope is 'sentence' or 'text'");
  }

  auto when = value.FindMember("when");
  if (when == value.MemberEnd()) return reader.Fail(pointer + "/when", "missing 'when'");
  ConditionContext context{pack_ptr, &rule};
  const std::string when_pointer = pointer + "/when";
  auto condition = ReadCondition(reader, when->value, ConditionAt(when_pointer), context);
  if (!condition) return condition.error();
  rule.when = std::move(*condition);

  if (auto tests = value.FindMember("tests"); tests != value.MemberEnd()) {
    if (auto s = ReadTests(reader, tests->value, pointer + "/tests", &rule.tests); !s) {
      return s.error();
    }
  }
  return rule;
}

// --- Skipping the rules' tests arrays (PackTests::kSkip) -------------------------------------
// A byte-level pass over the JSON structure that cuts the contents of `"tests": [...]` out of each
// object of the top-level "rules" array, so that the parser never sees them. It tracks only
// strings and brackets; anything it cannot follow makes the caller parse the whole file, which
// reports the exact error.

constexpr size_t kNone = std::string_view::npos;

#ifdef __SSE2__
int MaskOf(__m128i block, char c) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8(c)));
}
#endif

// The first index at or after i whose byte is one of Bytes..., or d.size(); 16 bytes at a time,
// because string contents are most of a pack's bytes.
template <char... Bytes>
size_t FindByte(std::string_view d, size_t i) {
#ifdef __SSE2__
  for (; i + 16 <= d.size(); i += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d.data() + i));
    if (const int mask = (MaskOf(block, Bytes) | ...); mask != 0) {
      return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  for (; i < d.size(); ++i) {
    if (((d[i] == Bytes) || ...)) return i;
  }
  return d.size();
}

// The next '"', '[', ']', '{' or '}' at or after i.
size_t NextStructural(std::string_view d, size_t i) {
  return FindByte<'"', '[', ']', '{', '}'>(d, i);
}

// d[open] is the '"' opening a string: the index of its closing '"', or kNone.
size_t StringClose(std::string_view d, size_t open) {
  for (size_t i = open + 1;;) {
    i = FindByte<'"', '\\'>(d, i);
    if (i >= d.size()) return kNone;
    if (d[i] == '"') return i;
    i += 2;  // the escaped byte
  }
}

size_t SkipSpace(std::string_view d, size_t i) {
  while (i < d.size() && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t')) ++i;
  return i;
}

// Follows brackets from d[i]; *stack holds the open ones. Returns the index after the token at
// i (a string or one bracket), or kNone when a string is not closed or a bracket does not match.
size_t StepStructure(std::string_view d, size_t i, std::vector<char>* stack) {
  const char c = d[i];
  if (c == '"') {
    const size_t close = StringClose(d, i);
    return close == kNone ? kNone : close + 1;
  }
  if (c == '{' || c == '[') {
    stack->push_back(c);
  } else {
    if (stack->empty() || stack->back() != (c == '}' ? '{' : '[')) return kNone;
    stack->pop_back();
  }
  return i + 1;
}

// d[open] is '[': the index of the matching ']', or kNone.
size_t MatchingClose(std::string_view d, size_t open) {
  std::vector<char> stack;
  for (size_t i = open; (i = NextStructural(d, i)) < d.size();) {
    const bool closing = d[i] == ']' || d[i] == '}';
    const size_t next = StepStructure(d, i, &stack);
    if (next == kNone) return kNone;
    if (closing && stack.empty()) return i;
    i = next;
  }
  return kNone;
}

// Writes to *out the bytes of d with every rule's tests array emptied. False when d's strings or
// brackets are not balanced (then *out is unspecified).
bool DropRuleTests(std::string_view d, std::string* out) {
  out->clear();
  out->reserve(d.size());
  std::vector<char> stack;   // the open brackets
  std::string_view top_key;  // the last key of the top-level object
  bool in_rules = false;     // inside the array that is the value of the top-level "rules"
  size_t copied = 0;         // d[0, copied) is in *out
  for (size_t i = 0; (i = NextStructural(d, i)) < d.size();) {
    const size_t next = StepStructure(d, i, &stack);
    if (next == kNone) return false;
    if (d[i] != '"') {
      if (stack.size() == 2 && (d[i] == '[' || d[i] == '{')) {
        in_rules = d[i] == '[' && top_key == "rules";
      }
      if (stack.size() < 2) in_rules = false;
      i = next;
      continue;
    }
    const std::string_view name = d.substr(i + 1, next - i - 2);
    const size_t colon = SkipSpace(d, next);
    i = next;
    if (colon >= d.size() || d[colon] != ':') continue;  // a value, not a key
    if (stack.size() == 1) top_key = name;
    if (!in_rules || stack.size() != 3 || stack[2] != '{' || name != "tests") continue;
    const size_t open = SkipSpace(d, colon + 1);
    if (open >= d.size() || d[open] != '[') continue;  // not an array: the reader reports it
    const size_t close = MatchingClose(d, open);
    if (close == kNone) return false;
    out->append(d.substr(copied, open + 1 - copied));
    copied = close;  // the ']' goes out with what follows it
    i = close + 1;
  }
  if (!stack.empty()) return false;
  out->append(d.substr(copied));
  return true;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarn:
      return "warn";
    case Severity::kHarm:
      return "harm";
    case Severity::kBlock:
      return "block";
  }
  return "info";
}

namespace {
constexpr std::array<std::pair<Limit, std::string_view>, 14> kLimitNames = {{
    {Limit::kSingle, "single"},
    {Limit::kDaily, "daily"},
    {Limit::kChildSingle, "child_single"},
    {Limit::kChildDaily, "child_daily"},
    {Limit::kElderlySingle, "elderly_single"},
    {Limit::kElderlyDaily, "elderly_daily"},
    {Limit::kRenalSingle, "renal_single"},
    {Limit::kRenalDaily, "renal_daily"},
    {Limit::kRenalAvoid, "renal_avoid"},
    {Limit::kChildAgeSingle, "child_age_single"},
    {Limit::kChildAgeDaily, "child_age_daily"},
    {Limit::kQuestionDose, "question_dose"},
    {Limit::kQuestionDoseStep, "question_dose_step"},
    {Limit::kStatedTotal, "stated_total"},
}};
}  // namespace

std::string_view LimitName(Limit limit) {
  for (const auto& [value, name] : kLimitNames) {
    if (value == limit) return name;
  }
  return "single";
}

bool ParseLimit(std::string_view name, Limit* limit) {
  for (const auto& [value, known] : kLimitNames) {
    if (known == name) {
      *limit = value;
      return true;
    }
  }
  return false;
}

const std::string& Rule::Message(text::Lang lang) const {
  const auto& localized = message[static_cast<size_t>(lang)];
  return localized.empty() ? message[static_cast<size_t>(text::Lang::kEn)] : localized;
}

Result<Pack> LoadPack(const std::string& path, PackTests tests, PackHash hash) {
  auto data = ReadFile(path, size_t{16} << 20);
  if (!data) return data.error();
  rapidjson::Document doc;
  // Skipping tests: parse the file without their contents; when that fails, parse it whole so
  // that the error (line and column) is the file's own.
  bool without_tests = false;
  if (tests == PackTests::kSkip) {
    std::string cut;
    without_tests = DropRuleTests(*data, &cut) && static_cast<bool>(json::Parse(cut, path, &doc));
  }
  if (!without_tests) {
    if (auto parsed = json::Parse(*data, path, &doc); !parsed) return parsed.error();
  }
  Reader reader(path);
  if (!doc.IsObject()) return reader.Fail("", "a rule pack must be a JSON object");
  if (auto s = reader.OnlyKeys(doc, "", {"pack", "lexicons", "patterns", "rules", "about"}); !s) {
    return s.error();
  }
  Pack pack;
  pack.file = path;
  if (hash == PackHash::kSha256) pack.sha256 = Sha256Hex(*data);
  pack.tests_loaded = !without_tests;
  auto meta = doc.FindMember("pack");
  if (meta == doc.MemberEnd() || !meta->value.IsObject()) {
    return reader.Fail("/pack", "missing 'pack' metadata object");
  }
  if (auto s = reader.OnlyKeys(meta->value, "/pack",
                               {"id", "version", "title", "jurisdiction", "implements"});
      !s) {
    return s.error();
  }
  for (auto [field, target, required] :
       {std::tuple{"id", &pack.id, true}, std::tuple{"version", &pack.version, true},
        std::tuple{"title", &pack.title, true},
        std::tuple{"jurisdiction", &pack.jurisdiction, false}}) {
    auto v = reader.String(meta->value, "/pack", field, required);
    if (!v) return v.error();
    *target = *v;
  }
  if (auto impl = meta->value.FindMember("implements"); impl != meta->value.MemberEnd()) {
    if (!impl->value.IsArray()) return reader.Fail("/pack/implements", "expected an array");
    for (rapidjson::SizeType i = 0; i < impl->value.Size(); ++i) {
      const std::string p = json::Pointer("/pack/implements", i);
      if (!impl->value[i].IsObject()) return reader.Fail(p, "expected {id, text}");
      auto id = reader.String(impl->value[i], p, "id", true);
      auto text = reader.String(impl->value[i], p, "text", true);
      if (!id) return id.error();
      if (!text) return text.error();
      pack.implements.push_back({*id, *text});
    }
  }
  if (auto s = ReadTerms(reader, doc, "lexicons", true, &pack); !s) return s.error();
  if (auto s = ReadTerms(reader, doc, "patterns", false, &pack); !s) return s.error();

  auto rules = doc.FindMember("rules");
  if (rules == doc.MemberEnd() || !rules->value.IsArray() || rules->value.Empty()) {
    return reader.Fail("/rules", "a pack needs a non-empty 'rules' array");
  }
  std::set<std::string> ids;
  for (rapidjson::SizeType i = 0; i < rules->value.Size(); ++i) {
    auto rule = ReadRule(reader, rules->value[i], json::Pointer("/rules", i), &pack);
    if (!rule) return rule.error();
    if (!ids.insert(rule->id).second) {
      return reader.Fail(json::Pointer("/rules", i) + "/id",
                         "duplicate rule id '" + rule->id + "'");
    }
    pack.rules.push_back(std::move(*rule));
  }
  return pack;
}

Result<std::vector<std::string>> ListPackFiles(const std::string& rules_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(rules_dir, ec)) {
    return MakeError(ErrorCode::kNotFound, "no rules directory: " + rules_dir);
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(rules_dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().filename() != "manifest.json") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty())
    return MakeError(ErrorCode::kNotFound, "no rule packs (*.json) in " + rules_dir);
  return files;
}

}  // namespace medaudit::rules
