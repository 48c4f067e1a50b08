// POST /v1/guard: the answer a patient may see. Every sentence that holds a finding of severity
// `block` is replaced by a short notice in the answer's language; the findings (spans into the
// ORIGINAL answer) come along so the caller can log them.
#include <algorithm>

#include "base/json.h"
#include "rules/check_json.h"
#include "server/service.h"
#include "text/segment.h"

namespace medaudit::server {

namespace {

enum class Notice { kPrescription, kSupply, kOther };

Notice NoticeFor(std::string_view category) {
  if (category == "ai_prescription") return Notice::kPrescription;
  if (category == "drug_supply_before_rx") return Notice::kSupply;
  return Notice::kOther;
}

std::string_view NoticeText(Notice notice, text::Lang lang) {
  switch (lang) {
    case text::Lang::kZh:
      switch (notice) {
        case Notice::kPrescription:
          return "【此处内容已移除：处方须由执业医师开具，请咨询医生。】";
        case Notice::kSupply:
          return "【此处内容已移除：药品须凭执业医师开具的处方调配，请咨询医生或药师。】";
        case Notice::kOther:
          return "【此处内容已移除：涉及用药安全，请咨询医生。】";
      }
      break;
    case text::Lang::kAr:
      switch (notice) {
        case Notice::kPrescription:
          return "[تمت إزالة هذا المحتوى: يجب أن تصدر الوصفة الطبية عن طبيب مرخّص. يرجى استشارة "
                 "الطبيب.]";
        case Notice::kSupply:
          return "[تمت إزالة هذا المحتوى: لا تُصرف الأدوية إلا بوصفة من طبيب مرخّص. يرجى استشارة "
                 "الطبيب أو الصيدلي.]";
        case Notice::kOther:
          return "[تمت إزالة هذا المحتوى لأسباب تتعلق بسلامة الدواء. يرجى استشارة الطبيب.]";
      }
      break;
    default:
      break;
  }
  switch (notice) {
    case Notice::kPrescription:
      return "[Removed: prescriptions must be issued by a licensed physician. Please consult a "
             "doctor.]";
    case Notice::kSupply:
      return "[Removed: medicines may only be dispensed against a prescription from a licensed "
             "physician. Please consult a doctor or pharmacist.]";
    case Notice::kOther:
      return "[Removed for medication safety. Please consult a doctor.]";
  }
  return {};
}

struct Replacement {
  text::Span span;  // original bytes of the sentence
  Notice notice;
};

// The original spans of the sentences that hold a block finding, in order, merged when they
// overlap, each with the notice of its most specific finding.
std::vector<Replacement> BlockedSentences(const rules::Workspace& ws,
                                          const rules::CheckResult& result) {
  std::vector<Replacement> out;
  for (const text::Span& sentence : ws.sentences) {
    const text::Span original = ws.answer.ToOriginal(sentence);
    std::optional<Notice> notice;
    for (const auto& f : result.findings) {
      if (f.rule->severity != rules::Severity::kBlock) continue;
      const bool overlaps = f.span.begin < original.end && original.begin < f.span.end;
      const bool inside_empty = f.span.begin == f.span.end && f.span.begin >= original.begin &&
                                f.span.begin < original.end;
      if (!overlaps && !inside_empty) continue;
      const Notice n = NoticeFor(f.rule->category);
      if (!notice || n < *notice) notice = n;
    }
    if (!notice) continue;
    if (!out.empty() && original.begin < out.back().span.end) {
      out.back().span.end = std::max(out.back().span.end, original.end);
      out.back().notice = std::min(out.back().notice, *notice);
    } else {
      out.push_back({original, *notice});
    }
  }
  return out;
}

}  // namespace

HttpResponse Service::Guard(const HttpRequest& request) {
  const auto engine = this->engine();
  thread_local rules::Workspace workspace;
  rules::CheckResult result;
  rapidjson::StringBuffer check_buffer;
  rules::JsonWriter check_writer(check_buffer);
  std::string answer;
  if (!rules::CheckJsonLine(*engine, request.body, false, options_.limits.max_check_body,
                            &workspace, &result, check_writer, &answer)) {
    HttpResponse response;
    response.status = 400;
    response.body.assign(check_buffer.GetString(), check_buffer.GetSize());
    return response;
  }
  metrics_.RecordCheck(result);
  const text::Lang lang = result.lang;
  std::string guarded;
  size_t pos = 0;
  const auto blocked = BlockedSentences(workspace, result);
  for (const Replacement& r : blocked) {
    guarded.append(answer, pos, r.span.begin - pos);
    guarded.append(NoticeText(r.notice, lang));
    pos = r.span.end;
  }
  guarded.append(answer, pos, std::string::npos);

  // The id as the check wrote it: re-read from the check output (already validated); an integer
  // beyond 64 bits keeps its digits (rules::WriteIdExact).
  rapidjson::Document checked;
  checked.Parse(check_buffer.GetString(), check_buffer.GetSize());
  rapidjson::Document lexemes;
  const rapidjson::Value* id_lexemes = nullptr;
  if (rules::NeedsIdLexemes(checked["id"])) {
    lexemes.Parse<rapidjson::kParseNumbersAsStringsFlag>(check_buffer.GetString(),
                                                         check_buffer.GetSize());
    if (!lexemes.HasParseError() && lexemes.IsObject() && lexemes.HasMember("id")) {
      id_lexemes = &lexemes["id"];
    }
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("id");
  rules::WriteIdExact(w, checked["id"], id_lexemes);
  w.Key("verdict");
  json::String(w, rules::VerdictName(result.verdict));
  w.Key("answer");
  json::String(w, guarded);
  w.Key("removed_sentences");
  w.Uint64(blocked.size());
  w.Key("lang");
  json::String(w, text::LangName(lang));
  w.Key("findings");
  rules::WriteFindings(w, result, answer);
  w.EndObject();
  HttpResponse response;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

}  // namespace medaudit::server
