#include "audit/importers.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <optional>

#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::audit {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct OutItem {
  std::string id;
  std::string lang;
  std::string question;
  std::optional<std::string> answer, baseline;
  const rapidjson::Value* labels = nullptr;  // copied as is when set
};

void WriteItem(const OutItem& item, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("id");
  json::String(w, item.id);
  if (!item.lang.empty()) {
    w.Key("lang");
    json::String(w, item.lang);
  }
  w.Key("question");
  json::String(w, item.question);
  w.Key("answer");
  if (item.answer) {
    json::String(w, *item.answer);
  } else {
    w.Null();
  }
  if (item.baseline) {
    w.Key("baseline");
    json::String(w, *item.baseline);
  }
  if (item.labels != nullptr) {
    w.Key("labels");
    item.labels->Accept(w);
  }
  w.EndObject();
  out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
  out.put('\n');
}

std::optional<std::string> Str(const rapidjson::Value& o, const char* key) {
  if (!o.IsObject()) return std::nullopt;
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(json::View(it->value));
}

// Calls fn(line_number, document) for every non-blank line that is a JSON object.
template <class Fn>
void ForEachJsonLine(std::istream& in, ImportStats* stats, Fn fn) {
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    ++stats->records;
    rapidjson::Document doc;
    if (!utf8::IsValid(line)) {
      stats->warnings.push_back("line " + std::to_string(number) + ": not valid UTF-8");
      continue;
    }
    if (json::TooDeep(line)) {
      stats->warnings.push_back("line " + std::to_string(number) + ": nested too deeply");
      continue;
    }
    doc.Parse(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      stats->warnings.push_back("line " + std::to_string(number) + ": not a JSON object");
      continue;
    }
    fn(number, doc);
  }
}

}  // namespace

Result<ImportStats> ImportHealthBench(std::istream& in, std::ostream& out) {
  ImportStats stats;
  ForEachJsonLine(in, &stats, [&](int64_t number, rapidjson::Document& doc) {
    OutItem item;
    item.id = Str(doc, "prompt_id").value_or("healthbench-" + std::to_string(number));
    auto prompt = doc.FindMember("prompt");
    if (prompt == doc.MemberEnd() || !prompt->value.IsArray()) {
      stats.warnings.push_back("line " + std::to_string(number) + ": no prompt conversation");
      return;
    }
    for (const auto& turn : prompt->value.GetArray()) {
      if (Str(turn, "role").value_or("") == "user")
        item.question = Str(turn, "content").value_or("");
    }
    std::vector<std::string> answers;
    if (auto ideal = doc.FindMember("ideal_completions_data");
        ideal != doc.MemberEnd() && ideal->value.IsObject()) {
      item.baseline = Str(ideal->value, "ideal_completion");
      if (auto refs = ideal->value.FindMember("ideal_completions_ref_completions");
          refs != ideal->value.MemberEnd() && refs->value.IsArray()) {
        for (const auto& ref : refs->value.GetArray()) {
          if (ref.IsString()) answers.emplace_back(json::View(ref));
        }
      }
    }
    rapidjson::Document labels(rapidjson::kObjectType);
    auto& alloc = labels.GetAllocator();
    for (const char* key : {"prompt_id", "example_tags", "rubrics"}) {
      if (auto it = doc.FindMember(key); it != doc.MemberEnd()) {
        labels.AddMember(rapidjson::Value(key, alloc), rapidjson::Value(it->value, alloc), alloc);
      }
    }
    item.labels = &labels;
    if (answers.empty()) {
      item.answer = Str(doc, "completion");
      WriteItem(item, out);
      ++stats.items;
      return;
    }
    const std::string base_id = item.id;
    for (size_t k = 0; k < answers.size(); ++k) {
      item.id = base_id + "#" + std::to_string(k);
      item.answer = answers[k];
      WriteItem(item, out);
      ++stats.items;
    }
  });
  return stats;
}

Result<ImportStats> ImportKqa(std::istream& in, std::ostream& out) {
  ImportStats stats;
  ForEachJsonLine(in, &stats, [&](int64_t number, rapidjson::Document& doc) {
    OutItem item;
    item.lang = "en";
    item.id = Str(doc, "id").value_or("kqa-" + std::to_string(number));
    auto question = Str(doc, "Question");
    if (!question) {
      stats.warnings.push_back("line " + std::to_string(number) + ": no Question");
      return;
    }
    item.question = *question;
    item.baseline = Str(doc, "Free_form_answer");
    item.answer = Str(doc, "answer");
    rapidjson::Document labels(rapidjson::kObjectType);
    auto& alloc = labels.GetAllocator();
    for (auto [from, to] : {std::pair{"Must_have", "must_have"},
                            {"Nice_to_have", "nice_to_have"},
                            {"Sources", "sources"}}) {
      if (auto it = doc.FindMember(from); it != doc.MemberEnd() && it->value.IsArray()) {
        labels.AddMember(rapidjson::Value(to, alloc), rapidjson::Value(it->value, alloc), alloc);
      }
    }
    item.labels = &labels;
    WriteItem(item, out);
    ++stats.items;
  });
  return stats;
}

Result<CsvMapping> ParseCsvMapping(std::string_view spec) {
  CsvMapping mapping;
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    const std::string_view part = spec.substr(pos, comma - pos);
    pos = comma + 1;
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--map: expected key=column, got '" + std::string(part) + "'");
    }
    const std::string_view key = part.substr(0, eq);
    std::string column(part.substr(eq + 1));
    if (key == "id") {
      mapping.id = column;
    } else if (key == "question") {
      mapping.question = column;
    } else if (key == "answer") {
      mapping.answer = column;
    } else if (key == "baseline") {
      mapping.baseline = column;
    } else if (key == "lang") {
      mapping.lang = column;
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       "--map: unknown key '" + std::string(key) +
                           "' (expected id, question, answer, baseline, lang)");
    }
  }
  if (mapping.answer.empty() && mapping.question.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "--map: map at least question or answer");
  }
  return mapping;
}

bool ReadCsvRecord(std::istream& in, std::vector<std::string>* fields, std::string* error) {
  fields->clear();
  error->clear();
  std::streambuf* buf = in.rdbuf();
  auto peek = [&] { return buf->sgetc(); };
  constexpr int kEof = std::char_traits<char>::eof();
  if (peek() == kEof) return false;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (;;) {
    const int c = buf->sbumpc();
    if (quoted) {
      if (c == kEof) {
        *error = "unterminated quoted field";
        fields->push_back(std::move(field));
        return true;
      }
      if (c == '"') {
        if (peek() == '"') {
          buf->sbumpc();
          field.push_back('"');
        } else {
          quoted = false;
        }
      } else {
        field.push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == kEof || c == '\n') break;
    if (c == '\r') {
      if (peek() == '\n') buf->sbumpc();
      break;
    }
    if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else {
      field.push_back(static_cast<char>(c));
    }
  }
  fields->push_back(std::move(field));
  return true;
}

Result<ImportStats> ImportCsv(std::istream& in, const CsvMapping& mapping, std::ostream& out) {
  ImportStats stats;
  std::vector<std::string> header, row;
  std::string error;
  if (!ReadCsvRecord(in, &header, &error)) {
    return MakeError(ErrorCode::kInvalidArgument, "CSV input is empty (a header row is required)");
  }
  if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0].erase(0, 3);
  auto resolve = [&](const std::string& column) -> Result<int> {
    if (column.empty()) return -1;
    if (auto it = std::find(header.begin(), header.end(), column); it != header.end()) {
      return static_cast<int>(it - header.begin());
    }
    if (std::all_of(column.begin(), column.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const int n = std::stoi(column);
      if (n >= 1 && n <= static_cast<int>(header.size())) return n - 1;
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     "--map: no column '" + column + "' in the header");
  };
  int cols[5];
  const std::string* names[5] = {&mapping.id, &mapping.question, &mapping.answer, &mapping.baseline,
                                 &mapping.lang};
  for (int i = 0; i < 5; ++i) {
    auto col = resolve(*names[i]);
    if (!col) return col.error();
    cols[i] = *col;
  }
  int64_t record = 1;
  while (ReadCsvRecord(in, &row, &error)) {
    ++record;
    if (row.size() == 1 && row[0].empty()) continue;  // blank line
    ++stats.records;
    const std::string where = "record " + std::to_string(record);
    if (!error.empty()) stats.warnings.push_back(where + ": " + error);
    if (row.size() != header.size()) {
      stats.warnings.push_back(where + ": " + std::to_string(row.size()) + " fields, header has " +
                               std::to_string(header.size()));
    }
    auto get = [&](int col) -> std::optional<std::string> {
      if (col < 0 || col >= static_cast<int>(row.size())) return std::nullopt;
      return row[col];
    };
    bool valid = true;
    for (const auto& f : row) valid &= utf8::IsValid(f);
    if (!valid) {
      stats.warnings.push_back(where + ": not valid UTF-8; skipped");
      continue;
    }
    OutItem item;
    item.id = get(cols[0]).value_or("csv-" + std::to_string(record - 1));
    if (item.id.empty()) item.id = "csv-" + std::to_string(record - 1);
    item.question = get(cols[1]).value_or("");
    item.answer = get(cols[2]);
    item.baseline = get(cols[3]);
    if (item.baseline && item.baseline->empty()) item.baseline.reset();
    item.lang = get(cols[4]).value_or("");
    WriteItem(item, out);
    ++stats.items;
  }
  return stats;
}

}  // namespace medaudit::audit
