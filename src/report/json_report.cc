#include "report/json_report.h"

#include <rapidjson/prettywriter.h>

#include <cmath>
#include <limits>

#include "base/json.h"
#include "report/format.h"
#include "report/summary.h"
#include "report/writer.h"

namespace medaudit::report {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Key(Writer& w, std::string_view key) { json::String(w, key); }

void Number(Writer& w, double value) {
  const std::string text = FixedNumber(value);
  if (text == "null") {
    w.Null();
  } else {
    w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }
}

void Str(Writer& w, std::string_view key, std::string_view value) {
  Key(w, key);
  json::String(w, ValidUtf8(value));
}

void Int(Writer& w, std::string_view key, int64_t value) {
  Key(w, key);
  w.Int64(value);
}

void Num(Writer& w, std::string_view key, double value) {
  Key(w, key);
  Number(w, value);
}

void Ci(Writer& w, const audit::Interval& ci) {
  Key(w, "ci95");
  w.StartArray();
  Number(w, ci.lo);
  Number(w, ci.hi);
  w.EndArray();
}

void WriteRun(Writer& w, const audit::RunInfo& run) {
  Key(w, "run");
  w.StartObject();
  Str(w, "id", run.id);
  Str(w, "model", run.model);
  Str(w, "model_version", run.model_version);
  Str(w, "corpus_sha256", run.corpus_sha256);
  Str(w, "rules_sha256", run.rules_sha256);
  Str(w, "started", run.started);
  Str(w, "finished", run.finished);
  Str(w, "corpus_path", run.corpus_path);
  Str(w, "medaudit_version", run.medaudit_version);
  Str(w, "command_line", run.command_line);
  Str(w, "status", run.status);
  Str(w, "record_hash", run.record_hash);
  Str(w, "previous_hash", run.previous_hash);
  w.EndObject();
}

void WriteRate(Writer& w, std::string_view key, const std::optional<audit::RateStat>& rate) {
  Key(w, key);
  if (!rate) {
    w.Null();
    return;
  }
  w.StartObject();
  Int(w, "k", rate->k);
  Int(w, "n", rate->n);
  Num(w, "rate", rate->rate);
  Ci(w, rate->ci95);
  w.EndObject();
}

void WriteHarmRate(Writer& w, const audit::HarmRate& harm) {
  Key(w, "harm_rate");
  w.StartObject();
  WriteRate(w, "model", harm.model);
  WriteRate(w, "baseline", harm.baseline);
  Key(w, "difference");
  if (!harm.difference) {
    w.Null();
  } else {
    const auto& d = *harm.difference;
    w.StartObject();
    Num(w, "estimate", d.estimate);
    Ci(w, d.ci95);
    Str(w, "method", d.method);
    Int(w, "b", d.b);
    Int(w, "c", d.c);
    Num(w, "mcnemar_p", d.mcnemar_p);
    w.EndObject();
  }
  w.EndObject();
}

void WriteCounts(Writer& w, std::string_view key,
                 const std::map<std::string, audit::CategoryCount>& counts,
                 const std::map<std::string, int64_t>* items) {
  Key(w, key);
  w.StartObject();
  for (const auto& [name, count] : counts) {
    Key(w, ValidUtf8(name));
    w.StartObject();
    if (items != nullptr) {
      auto it = items->find(name);
      Int(w, "items", it == items->end() ? 0 : it->second);
    }
    Int(w, "model", count.model);
    Int(w, "baseline", count.baseline);
    w.EndObject();
  }
  w.EndObject();
}

void WriteAgreement(Writer& w, const audit::AuditResult& result) {
  Key(w, "agreement");
  if (!result.agreement) {
    w.Null();
    return;
  }
  w.StartObject();
  for (const auto& [label, a] : *result.agreement) {
    Key(w, ValidUtf8(label));
    w.StartObject();
    Num(w, "precision", a.precision);
    Num(w, "recall", a.recall);
    Num(w, "kappa", a.kappa);
    Num(w, "raw_agreement", a.raw_agreement);
    Int(w, "n", a.n);
    Int(w, "tp", a.tp);
    Int(w, "fp", a.fp);
    Int(w, "fn", a.fn);
    Int(w, "tn", a.tn);
    w.EndObject();
  }
  w.EndObject();
}

// Which items were left out of the rates and why ("input_errors": [{id, line, code, message}]).
// Only the items kept in item_results are listed (all of them for runs of usual size).
void WriteInputErrors(Writer& w, const audit::AuditResult& result) {
  w.Key("input_errors");
  w.StartArray();
  for (const auto* item : InputErrors(result)) {
    w.StartObject();
    Str(w, "id", item->id);
    if (item->index >= 0) Int(w, "line", item->index + 1);
    Str(w, "code", item->error_code);
    Str(w, "message", item->error);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string ReportJson(const audit::AuditResult& result) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Int(w, "format_version", kReportJsonFormatVersion);
  Str(w, "medaudit_version", result.run.medaudit_version);
  WriteRun(w, result.run);
  Int(w, "items", result.items);
  Int(w, "errors", result.errors);
  WriteInputErrors(w, result);
  WriteHarmRate(w, result.harm_rate);
  WriteCounts(w, "by_category", result.by_category, nullptr);
  WriteCounts(w, "by_language", result.by_language, &result.items_by_language);
  Int(w, "ai_prescriptions", result.ai_prescriptions);
  WriteAgreement(w, result);
  Str(w, "record_hash", result.run.record_hash);
  w.EndObject();
  std::string out(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading back.
// ---------------------------------------------------------------------------------------------
namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  const Error* error() const { return error_ ? &*error_ : nullptr; }

  const rapidjson::Value* Member(const rapidjson::Value& obj, std::string_view pointer,
                                 std::string_view key, bool required = true) {
    auto it = obj.FindMember(rapidjson::StringRef(key.data(), key.size()));
    if (it == obj.MemberEnd()) {
      if (required) Fail(json::Pointer(pointer, key), "is missing");
      return nullptr;
    }
    return &it->value;
  }

  void String(const rapidjson::Value& obj, std::string_view pointer, std::string_view key,
              std::string* out, bool required = true) {
    const auto* v = Member(obj, pointer, key, required);
    if (v == nullptr) return;
    if (!v->IsString()) return Fail(json::Pointer(pointer, key), "must be a string");
    *out = json::View(*v);
  }

  void Int(const rapidjson::Value& obj, std::string_view pointer, std::string_view key,
           int64_t* out, bool required = true) {
    const auto* v = Member(obj, pointer, key, required);
    if (v == nullptr) return;
    if (!v->IsInt64() || v->GetInt64() < 0) {
      return Fail(json::Pointer(pointer, key), "must be a non-negative integer");
    }
    *out = v->GetInt64();
  }

  // Numbers may be null (NaN).
  void Double(const rapidjson::Value& obj, std::string_view pointer, std::string_view key,
              double* out, bool required = true) {
    const auto* v = Member(obj, pointer, key, required);
    if (v == nullptr) return;
    ReadDouble(*v, json::Pointer(pointer, key), out);
  }

  void ReadDouble(const rapidjson::Value& v, const std::string& pointer, double* out) {
    if (v.IsNull()) {
      *out = std::numeric_limits<double>::quiet_NaN();
    } else if (v.IsNumber()) {
      *out = v.GetDouble();
    } else {
      Fail(pointer, "must be a number or null");
    }
  }

  void Ci(const rapidjson::Value& obj, std::string_view pointer, audit::Interval* out) {
    const auto* v = Member(obj, pointer, "ci95");
    if (v == nullptr) return;
    const std::string p = json::Pointer(pointer, "ci95");
    if (!v->IsArray() || v->Size() != 2) return Fail(p, "must be an array [lo, hi]");
    ReadDouble((*v)[0], json::Pointer(p, size_t{0}), &out->lo);
    ReadDouble((*v)[1], json::Pointer(p, size_t{1}), &out->hi);
  }

  void Fail(const std::string& pointer, std::string_view what) {
    if (error_) return;
    Error e = MakeError(ErrorCode::kMissingField, pointer + " " + std::string(what));
    e.file = file_;
    e.json_pointer = pointer;
    error_ = std::move(e);
  }

 private:
  std::string file_;
  std::optional<Error> error_;
};

std::optional<audit::RateStat> ReadRate(Reader& r, const rapidjson::Value* v,
                                        const std::string& pointer) {
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsObject()) {
    r.Fail(pointer, "must be an object or null");
    return std::nullopt;
  }
  audit::RateStat rate;
  r.Int(*v, pointer, "k", &rate.k);
  r.Int(*v, pointer, "n", &rate.n);
  r.Double(*v, pointer, "rate", &rate.rate);
  r.Ci(*v, pointer, &rate.ci95);
  return rate;
}

void ReadCounts(Reader& r, const rapidjson::Value* v, const std::string& pointer,
                std::map<std::string, audit::CategoryCount>* counts,
                std::map<std::string, int64_t>* items) {
  if (v == nullptr) return;
  if (!v->IsObject()) return r.Fail(pointer, "must be an object");
  for (const auto& m : v->GetObject()) {
    const std::string name(json::View(m.name));
    const std::string p = json::Pointer(pointer, name);
    if (!m.value.IsObject()) return r.Fail(p, "must be an object");
    auto& count = (*counts)[name];
    r.Int(m.value, p, "model", &count.model);
    r.Int(m.value, p, "baseline", &count.baseline, /*required=*/false);
    if (items != nullptr) r.Int(m.value, p, "items", &(*items)[name], false);
  }
}

void ReadAgreement(Reader& r, const rapidjson::Value* v, audit::AuditResult* out) {
  if (v == nullptr || v->IsNull()) return;
  if (!v->IsObject()) return r.Fail("/agreement", "must be an object or null");
  out->agreement.emplace();
  for (const auto& m : v->GetObject()) {
    const std::string name(json::View(m.name));
    const std::string p = json::Pointer("/agreement", name);
    if (!m.value.IsObject()) return r.Fail(p, "must be an object");
    auto& a = (*out->agreement)[name];
    r.Double(m.value, p, "precision", &a.precision);
    r.Double(m.value, p, "recall", &a.recall);
    r.Double(m.value, p, "kappa", &a.kappa);
    r.Double(m.value, p, "raw_agreement", &a.raw_agreement, false);
    r.Int(m.value, p, "n", &a.n, false);
    r.Int(m.value, p, "tp", &a.tp, false);
    r.Int(m.value, p, "fp", &a.fp, false);
    r.Int(m.value, p, "fn", &a.fn, false);
    r.Int(m.value, p, "tn", &a.tn, false);
  }
}

void ReadRun(Reader& r, const rapidjson::Value& doc, audit::RunInfo* run) {
  const auto* v = r.Member(doc, "", "run");
  if (v == nullptr) return;
  if (!v->IsObject()) return r.Fail("/run", "must be an object");
  r.String(*v, "/run", "id", &run->id);
  r.String(*v, "/run", "model", &run->model);
  r.String(*v, "/run", "model_version", &run->model_version);
  r.String(*v, "/run", "corpus_sha256", &run->corpus_sha256);
  r.String(*v, "/run", "rules_sha256", &run->rules_sha256);
  r.String(*v, "/run", "started", &run->started);
  r.String(*v, "/run", "finished", &run->finished);
  r.String(*v, "/run", "corpus_path", &run->corpus_path, false);
  r.String(*v, "/run", "medaudit_version", &run->medaudit_version, false);
  r.String(*v, "/run", "command_line", &run->command_line, false);
  r.String(*v, "/run", "status", &run->status, false);
  r.String(*v, "/run", "record_hash", &run->record_hash, false);
  r.String(*v, "/run", "previous_hash", &run->previous_hash, false);
}

void ReadDifference(Reader& r, const rapidjson::Value* v, audit::HarmRate* harm) {
  if (v == nullptr || v->IsNull()) return;
  const std::string p = "/harm_rate/difference";
  if (!v->IsObject()) return r.Fail(p, "must be an object or null");
  audit::Difference d;
  r.Double(*v, p, "estimate", &d.estimate);
  r.Ci(*v, p, &d.ci95);
  r.String(*v, p, "method", &d.method, false);
  r.Int(*v, p, "b", &d.b, false);
  r.Int(*v, p, "c", &d.c, false);
  r.Double(*v, p, "mcnemar_p", &d.mcnemar_p, false);
  harm->difference = d;
}

}  // namespace

Result<audit::AuditResult> ParseReportJson(std::string_view data, const std::string& file) {
  rapidjson::Document doc;
  if (auto status = json::Parse(data, file, &doc); !status) return status.error();
  Reader r(file);
  if (!doc.IsObject()) r.Fail("", "report.json must be a JSON object");
  audit::AuditResult out;
  if (doc.IsObject()) {
    ReadRun(r, doc, &out.run);
    r.Int(doc, "", "items", &out.items);
    r.Int(doc, "", "errors", &out.errors, false);
    r.Int(doc, "", "ai_prescriptions", &out.ai_prescriptions);
    if (const auto* harm = r.Member(doc, "", "harm_rate"); harm != nullptr) {
      if (!harm->IsObject()) {
        r.Fail("/harm_rate", "must be an object");
      } else {
        auto model = ReadRate(r, r.Member(*harm, "/harm_rate", "model"), "/harm_rate/model");
        if (model) {
          out.harm_rate.model = *model;
        } else {
          r.Fail("/harm_rate/model", "must be an object");
        }
        out.harm_rate.baseline =
            ReadRate(r, r.Member(*harm, "/harm_rate", "baseline", false), "/harm_rate/baseline");
        ReadDifference(r, r.Member(*harm, "/harm_rate", "difference", false), &out.harm_rate);
      }
    }
    ReadCounts(r, r.Member(doc, "", "by_category"), "/by_category", &out.by_category, nullptr);
    ReadCounts(r, r.Member(doc, "", "by_language", false), "/by_language", &out.by_language,
               &out.items_by_language);
    ReadAgreement(r, r.Member(doc, "", "agreement", false), &out);
    if (out.run.record_hash.empty()) {
      r.String(doc, "", "record_hash", &out.run.record_hash, false);
    }
    if (out.run.medaudit_version.empty()) {
      r.String(doc, "", "medaudit_version", &out.run.medaudit_version, false);
    }
  }
  if (r.error() != nullptr) return *r.error();
  return out;
}

}  // namespace medaudit::report
