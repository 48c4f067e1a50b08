#include "audit/corpus.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>

#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::audit {
namespace {

void SetError(CorpusItem* item, ErrorCode code, std::string message) {
  item->error_code = std::string(ErrorCodeName(code));
  item->error = std::move(message);
}

std::optional<std::string> StringField(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(json::View(it->value));
}

std::optional<double> NumberLike(const rapidjson::Value& value) {
  if (value.IsNumber()) return value.GetDouble();
  if (value.IsString()) {
    const std::string s(json::View(value));
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() && *end == '\0') return v;
  }
  return std::nullopt;
}

void ReadStrings(const rapidjson::Value& object, const char* name, std::vector<std::string>* out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsArray()) return;
  for (const auto& v : it->value.GetArray()) {
    if (v.IsString()) out->emplace_back(json::View(v));
  }
}

void ReadKqaClaims(const rapidjson::Value& claims, Labels* labels, bool take_must_have) {
  bool any = false;
  bool contradiction = false;
  for (const auto& claim : claims.GetArray()) {
    if (!claim.IsObject()) continue;
    if (auto label = StringField(claim, "majority_label")) {
      any = true;
      contradiction |= (*label == "Contradiction" || *label == "contradiction");
    }
    auto category = StringField(claim, "category_x");
    auto text = StringField(claim, "claim");
    if (take_must_have && category && text && *category == "Must_have") {
      labels->must_have.push_back(*text);
    }
  }
  if (any) labels->binary["kqa_contradiction"] = contradiction;
}

Labels ParseLabels(const rapidjson::Value& object) {
  Labels labels;
  if (!object.IsObject()) return labels;
  for (const char* name : {"harmful", "rx"}) {
    auto it = object.FindMember(name);
    if (it != object.MemberEnd() && it->value.IsBool()) labels.binary[name] = it->value.GetBool();
  }
  ReadStrings(object, "must_have", &labels.must_have);
  ReadStrings(object, "nice_to_have", &labels.nice_to_have);
  if (auto it = object.FindMember("claims"); it != object.MemberEnd() && it->value.IsArray()) {
    ReadKqaClaims(it->value, &labels, labels.must_have.empty());
  }
  if (auto it = object.FindMember("nist_score"); it != object.MemberEnd() && it->value.IsInt()) {
    const int score = it->value.GetInt();
    if (score >= 1 && score <= 4) labels.binary["liveqa_incorrect"] = score == 1;
  }
  if (auto judgment = StringField(object, "judgment"); judgment && !judgment->empty()) {
    labels.binary["medquad_incorrect"] = judgment->rfind("1-", 0) == 0;
  }
  if (auto it = object.FindMember("HallucinationRate"); it != object.MemberEnd()) {
    if (auto rate = NumberLike(it->value)) labels.binary["mts_hallucination"] = *rate > 0;
  }
  return labels;
}

std::string IdText(const rapidjson::Value& id) {
  if (id.IsString()) return std::string(json::View(id));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  id.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Reads one line (without '\n' and a trailing '\r'), keeping at most max_bytes.
bool ReadLine(std::istream& in, size_t max_bytes, std::string* line, bool* truncated, Sha256* sha) {
  line->clear();
  *truncated = false;
  std::streambuf* buf = in.rdbuf();
  bool any = false;
  char chunk[4096];
  size_t fill = 0;
  for (;;) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) break;
    any = true;
    chunk[fill++] = static_cast<char>(c);
    if (fill == sizeof(chunk)) {
      sha->Update({chunk, fill});
      fill = 0;
    }
    if (c == '\n') break;
    if (line->size() < max_bytes) {
      line->push_back(static_cast<char>(c));
    } else {
      *truncated = true;
    }
  }
  if (fill > 0) sha->Update({chunk, fill});
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

}  // namespace

CorpusItem ParseCorpusLine(std::string_view line, int64_t index) {
  CorpusItem item;
  item.index = index;
  item.id = "line:" + std::to_string(index + 1);
  if (size_t bad = utf8::FindInvalid(line); bad != line.size()) {
    SetError(&item, ErrorCode::kInvalidUtf8,
             "line is not valid UTF-8 at byte " + std::to_string(bad));
    return item;
  }
  if (json::TooDeep(line)) {
    SetError(&item, ErrorCode::kInvalidJson,
             "nested deeper than " + std::to_string(json::kMaxDepth) + " levels");
    return item;
  }
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  if (doc.HasParseError()) {
    SetError(
        &item, ErrorCode::kInvalidJson,
        "not a JSON object (parse error at byte " + std::to_string(doc.GetErrorOffset()) + ")");
    return item;
  }
  if (!doc.IsObject()) {
    SetError(&item, ErrorCode::kInvalidJson, "a line must be a JSON object");
    return item;
  }
  if (auto it = doc.FindMember("id"); it != doc.MemberEnd() && !it->value.IsNull()) {
    item.id = IdText(it->value);
  }
  // Two "answer" keys would let one consumer audit a text that another shows: refuse the line.
  std::string where;
  if (const auto* dup = json::DuplicateKey(doc, /*recursive=*/true, &where)) {
    SetError(&item, ErrorCode::kInvalidJson,
             "duplicate key '" + std::string(json::View(*dup)) + "' in " +
                 (where.empty() ? std::string("one line") : "'" + where + "'"));
    return item;
  }
  item.lang = StringField(doc, "lang").value_or("");
  item.question = StringField(doc, "question").value_or("");
  if (auto baseline = StringField(doc, "baseline"); baseline && !baseline->empty()) {
    item.baseline = std::move(*baseline);
  }
  if (auto it = doc.FindMember("labels"); it != doc.MemberEnd())
    item.labels = ParseLabels(it->value);
  auto answer = StringField(doc, "answer");
  if (!answer) {
    SetError(&item, ErrorCode::kMissingField, "'answer' must be a string");
    return item;
  }
  item.answer = std::move(*answer);
  return item;
}

Result<std::unique_ptr<CorpusReader>> CorpusReader::Open(const std::string& path,
                                                         const CorpusOptions& options) {
  std::unique_ptr<CorpusReader> reader(new CorpusReader());
  reader->in_.open(path, std::ios::binary);
  if (!reader->in_) {
    Error e = MakeError(ErrorCode::kNotFound, "cannot open corpus " + path);
    e.file = path;
    return e;
  }
  reader->options_ = options;
  return reader;
}

bool CorpusReader::Next(CorpusItem* item) {
  bool truncated = false;
  for (;;) {
    if (!ReadLine(in_, options_.max_line_bytes, &line_, &truncated, &sha_)) return false;
    bytes_read_ += line_.size() + 1;
    const int64_t index = next_index_++;
    if (!truncated && line_.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (truncated) {
      *item = CorpusItem{};
      item->index = index;
      item->id = "line:" + std::to_string(index + 1);
      SetError(item, ErrorCode::kTooLarge,
               "line is longer than " + std::to_string(options_.max_line_bytes) + " bytes");
      return true;
    }
    *item = ParseCorpusLine(line_, index);
    if (item->error.empty() && !ids_.insert(item->id).second) {
      SetError(item, ErrorCode::kInvalidArgument, "duplicate id " + item->id);
    }
    return true;
  }
}

std::string CorpusReader::Sha256Hex() { return sha_.FinishHex(); }

Result<std::string> CorpusReader::HashFile(const std::string& path) {
  auto reader = Open(path);
  if (!reader) return reader.error();
  CorpusItem item;
  std::string line;
  bool truncated = false;
  while (ReadLine((*reader)->in_, 0, &line, &truncated, &(*reader)->sha_)) {
  }
  return (*reader)->Sha256Hex();
}

}  // namespace medaudit::audit
