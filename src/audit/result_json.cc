#include "audit/result_json.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <limits>

#include "base/json.h"

namespace medaudit::audit {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Number(Writer& w, double v) {
  if (std::isfinite(v)) {
    w.Double(v);
  } else {
    w.Null();
  }
}

void Key(Writer& w, std::string_view key) { json::String(w, key); }

void WriteInterval(Writer& w, const Interval& i) {
  w.StartArray();
  Number(w, i.lo);
  Number(w, i.hi);
  w.EndArray();
}

void WriteRate(Writer& w, const RateStat& r) {
  w.StartObject();
  Key(w, "k");
  w.Int64(r.k);
  Key(w, "n");
  w.Int64(r.n);
  Key(w, "rate");
  Number(w, r.rate);
  Key(w, "ci95");
  WriteInterval(w, r.ci95);
  w.EndObject();
}

void WriteDifference(Writer& w, const Difference& d) {
  w.StartObject();
  Key(w, "estimate");
  Number(w, d.estimate);
  Key(w, "ci95");
  WriteInterval(w, d.ci95);
  Key(w, "method");
  json::String(w, d.method);
  if (d.method == "tango") {
    Key(w, "b");
    w.Int64(d.b);
    Key(w, "c");
    w.Int64(d.c);
    Key(w, "mcnemar_p");
    Number(w, d.mcnemar_p);
  }
  w.EndObject();
}

void WriteCounts(Writer& w, const std::map<std::string, CategoryCount>& counts) {
  w.StartObject();
  for (const auto& [name, c] : counts) {
    Key(w, name);
    w.StartObject();
    Key(w, "model");
    w.Int64(c.model);
    Key(w, "baseline");
    w.Int64(c.baseline);
    w.EndObject();
  }
  w.EndObject();
}

double GetNumber(const rapidjson::Value& v) {
  return v.IsNumber() ? v.GetDouble() : std::numeric_limits<double>::quiet_NaN();
}

int64_t GetInt(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

double GetDouble(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() ? GetNumber(it->value) : std::numeric_limits<double>::quiet_NaN();
}

Interval GetInterval(const rapidjson::Value& o) {
  Interval i;
  auto it = o.FindMember("ci95");
  if (it != o.MemberEnd() && it->value.IsArray() && it->value.Size() == 2) {
    i.lo = GetNumber(it->value[0]);
    i.hi = GetNumber(it->value[1]);
  }
  return i;
}

RateStat GetRate(const rapidjson::Value& o) {
  RateStat r;
  r.k = GetInt(o, "k");
  r.n = GetInt(o, "n");
  r.rate = GetDouble(o, "rate");
  r.ci95 = GetInterval(o);
  return r;
}

std::map<std::string, CategoryCount> GetCounts(const rapidjson::Value& o) {
  std::map<std::string, CategoryCount> out;
  if (!o.IsObject()) return out;
  for (const auto& m : o.GetObject()) {
    if (!m.value.IsObject()) continue;
    out[std::string(json::View(m.name))] = {GetInt(m.value, "model"), GetInt(m.value, "baseline")};
  }
  return out;
}

}  // namespace

std::string MetricsJson(const AuditResult& r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Key(w, "items");
  w.Int64(r.items);
  Key(w, "errors");
  w.Int64(r.errors);
  Key(w, "harm_rate");
  w.StartObject();
  Key(w, "model");
  WriteRate(w, r.harm_rate.model);
  Key(w, "baseline");
  if (r.harm_rate.baseline) {
    WriteRate(w, *r.harm_rate.baseline);
  } else {
    w.Null();
  }
  Key(w, "difference");
  if (r.harm_rate.difference) {
    WriteDifference(w, *r.harm_rate.difference);
  } else {
    w.Null();
  }
  w.EndObject();
  Key(w, "by_category");
  WriteCounts(w, r.by_category);
  Key(w, "by_language");
  WriteCounts(w, r.by_language);
  Key(w, "items_by_language");
  w.StartObject();
  for (const auto& [lang, n] : r.items_by_language) {
    Key(w, lang);
    w.Int64(n);
  }
  w.EndObject();
  Key(w, "ai_prescriptions");
  w.Int64(r.ai_prescriptions);
  Key(w, "agreement");
  if (r.agreement) {
    w.StartObject();
    for (const auto& [label, a] : *r.agreement) {
      Key(w, label);
      w.StartObject();
      Key(w, "precision");
      Number(w, a.precision);
      Key(w, "recall");
      Number(w, a.recall);
      Key(w, "kappa");
      Number(w, a.kappa);
      Key(w, "raw_agreement");
      Number(w, a.raw_agreement);
      Key(w, "n");
      w.Int64(a.n);
      for (auto [name, v] : {std::pair{"tp", a.tp}, {"fp", a.fp}, {"fn", a.fn}, {"tn", a.tn}}) {
        Key(w, name);
        w.Int64(v);
      }
      w.EndObject();
    }
    w.EndObject();
  } else {
    w.Null();
  }
  Key(w, "items_with_baseline");
  w.Int64(r.items_with_baseline);
  Key(w, "mean_coverage");
  Number(w, r.mean_coverage);
  Key(w, "items_not_kept");
  w.Int64(r.items_not_kept);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Status ParseMetricsJson(std::string_view text, AuditResult* r) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return MakeError(ErrorCode::kInvalidJson, "stored metrics are not a JSON object");
  }
  r->items = GetInt(doc, "items");
  r->errors = GetInt(doc, "errors");
  if (auto hr = doc.FindMember("harm_rate"); hr != doc.MemberEnd() && hr->value.IsObject()) {
    const auto& h = hr->value;
    if (auto m = h.FindMember("model"); m != h.MemberEnd() && m->value.IsObject()) {
      r->harm_rate.model = GetRate(m->value);
    }
    if (auto b = h.FindMember("baseline"); b != h.MemberEnd() && b->value.IsObject()) {
      r->harm_rate.baseline = GetRate(b->value);
    }
    if (auto d = h.FindMember("difference"); d != h.MemberEnd() && d->value.IsObject()) {
      Difference diff;
      diff.estimate = GetDouble(d->value, "estimate");
      diff.ci95 = GetInterval(d->value);
      if (auto m = d->value.FindMember("method");
          m != d->value.MemberEnd() && m->value.IsString()) {
        diff.method = std::string(json::View(m->value));
      }
      diff.b = GetInt(d->value, "b");
      diff.c = GetInt(d->value, "c");
      if (d->value.HasMember("mcnemar_p")) diff.mcnemar_p = GetDouble(d->value, "mcnemar_p");
      r->harm_rate.difference = diff;
    }
  }
  if (auto it = doc.FindMember("by_category"); it != doc.MemberEnd())
    r->by_category = GetCounts(it->value);
  if (auto it = doc.FindMember("by_language"); it != doc.MemberEnd())
    r->by_language = GetCounts(it->value);
  if (auto it = doc.FindMember("items_by_language");
      it != doc.MemberEnd() && it->value.IsObject()) {
    for (const auto& m : it->value.GetObject()) {
      if (m.value.IsInt64())
        r->items_by_language[std::string(json::View(m.name))] = m.value.GetInt64();
    }
  }
  r->ai_prescriptions = GetInt(doc, "ai_prescriptions");
  if (auto it = doc.FindMember("agreement"); it != doc.MemberEnd() && it->value.IsObject()) {
    std::map<std::string, Agreement> out;
    for (const auto& m : it->value.GetObject()) {
      if (!m.value.IsObject()) continue;
      Agreement a;
      a.precision = GetDouble(m.value, "precision");
      a.recall = GetDouble(m.value, "recall");
      a.kappa = GetDouble(m.value, "kappa");
      a.raw_agreement = GetDouble(m.value, "raw_agreement");
      a.n = GetInt(m.value, "n");
      a.tp = GetInt(m.value, "tp");
      a.fp = GetInt(m.value, "fp");
      a.fn = GetInt(m.value, "fn");
      a.tn = GetInt(m.value, "tn");
      out[std::string(json::View(m.name))] = a;
    }
    r->agreement = std::move(out);
  }
  r->items_with_baseline = GetInt(doc, "items_with_baseline");
  r->mean_coverage = doc.HasMember("mean_coverage") ? GetDouble(doc, "mean_coverage") : -1;
  r->items_not_kept = GetInt(doc, "items_not_kept");
  return {};
}

}  // namespace medaudit::audit
