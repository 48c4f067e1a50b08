#include "server/audits.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>

#include "audit/runner.h"
#include "base/json.h"
#include "base/sha256.h"
#include "report/writer.h"
#include "store/store.h"

namespace medaudit::server {

namespace fs = std::filesystem;

namespace {

// The headline numbers of report.json (design.md §4) as one JSON object.
std::string Summary(const audit::AuditResult& result) {
  rapidjson::Document report;
  report.Parse(report::ReportJson(result));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  if (report.IsObject()) {
    for (const char* key : {"items", "errors", "harm_rate", "by_category", "ai_prescriptions",
                            "agreement", "record_hash"}) {
      auto it = report.FindMember(key);
      if (it == report.MemberEnd()) continue;
      writer.Key(key);
      it->value.Accept(writer);
    }
  }
  writer.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

bool ValidModelName(std::string_view name) {
  if (name.empty() || name.size() > 200) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

HttpResponse JsonResponse(int status, rapidjson::StringBuffer& buffer) {
  HttpResponse response;
  response.status = status;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

// Opens the store at `db` and loads run `id` (the status and report routes). On failure
// *error is the answer: 404 not_found when the store has no such run, 500 store_error when the
// store cannot be opened or the run cannot be read.
std::optional<audit::AuditResult> LoadStoredRun(const std::string& db, std::string_view id,
                                                HttpResponse* error) {
  auto store = store::Store::Open(db);
  if (!store) {
    *error = ErrorResponse(500, "store_error", "the audit store cannot be opened");
    return std::nullopt;
  }
  auto result = (*store)->LoadRun(std::string(id));
  if (!result) {
    *error = result.error().code == ErrorCode::kNotFound
                 ? ErrorResponse(404, "not_found", "no audit " + std::string(id))
                 : ErrorResponse(500, "store_error", "the audit cannot be read");
    return std::nullopt;
  }
  return std::move(*result);
}

}  // namespace

bool IsValidRunId(std::string_view id) {
  static const std::regex kPattern("^run-[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$");
  return id.size() == 28 && std::regex_match(id.begin(), id.end(), kPattern);
}

AuditManager::AuditManager(std::string db, std::string upload_dir, const Limits& limits,
                           Metrics* metrics, EngineSource engine)
    : db_(std::move(db)),
      upload_dir_(std::move(upload_dir)),
      limits_(limits),
      metrics_(metrics),
      engine_(std::move(engine)) {
  if (upload_dir_.empty() && !db_.empty()) {
    upload_dir_ = (fs::path(db_).parent_path() / "uploads").string();
  }
}

AuditManager::~AuditManager() { Shutdown(); }

void AuditManager::Shutdown() {
  std::vector<std::pair<std::string, std::thread>> threads;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    threads.swap(threads_);
  }
  for (auto& [id, thread] : threads) thread.join();
}

void AuditManager::JoinFinishedLocked() {
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (jobs_[it->first].done) {
      it->second.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
}

HttpResponse AuditManager::Create(const AuditUpload& upload) {
  if (!enabled()) return ErrorResponse(503, "audits_disabled", "the server has no audit store");
  if (!ValidModelName(upload.model)) {
    return ErrorResponse(400, "invalid_argument",
                         "give the model name as ?model=NAME or the X-Medaudit-Model header");
  }
  if (!upload.model_version.empty() && !ValidModelName(upload.model_version)) {
    return ErrorResponse(400, "invalid_argument", "bad model_version");
  }
  if (upload.corpus.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return ErrorResponse(400, "invalid_argument", "the corpus is empty");
  }
  std::string id;
  std::string path;
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) {
      auto response = ErrorResponse(503, "shutting_down", "the server is shutting down");
      response.headers.emplace_back("Retry-After", "5");
      return response;
    }
    JoinFinishedLocked();
    if (static_cast<int>(threads_.size()) >= limits_.max_audits) {
      auto response =
          ErrorResponse(429, "too_many_audits",
                        fmt::format("{} audits are running; try again later", threads_.size()));
      response.headers.emplace_back("Retry-After", "30");
      return response;
    }
    id = audit::NewRunId("serve|" + upload.model);
    std::error_code ec;
    fs::create_directories(upload_dir_, ec);
    path = (fs::path(upload_dir_) / (id + ".jsonl")).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(upload.corpus.data(), static_cast<std::streamsize>(upload.corpus.size()));
    out.close();
    if (!out) return ErrorResponse(500, "io_error", "cannot store the uploaded corpus");
    Job& job = jobs_[id];
    job.status = "running";
    job.model = upload.model;
    job.model_version = upload.model_version;
    job.started = audit::NowRfc3339();
    metrics_->audits_active.fetch_add(1);
    threads_.emplace_back(id, std::thread(&AuditManager::Run, this, id, path));
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("id");
  json::String(w, id);
  w.Key("status");
  w.String("running");
  w.Key("links");
  w.StartObject();
  w.Key("self");
  json::String(w, "/v1/audits/" + id);
  w.Key("report");
  json::String(w, "/v1/audits/" + id + "/report");
  w.EndObject();
  w.EndObject();
  HttpResponse response = JsonResponse(202, buffer);
  response.headers.emplace_back("Location", "/v1/audits/" + id);
  return response;
}

void AuditManager::Run(std::string id, std::string corpus_path) {
  std::string error, summary;
  auto store = store::Store::Open(db_);
  if (!store) {
    error = store.error().ToString();
  } else if (auto sink = (*store)->OpenSink(); !sink) {
    error = sink.error().ToString();
  } else {
    audit::AuditOptions options;
    options.corpus_path = corpus_path;
    options.threads = std::max(1, limits_.audit_threads);
    {
      std::lock_guard lock(mutex_);
      const Job& job = jobs_[id];
      options.run.id = id;
      options.run.model = job.model;
      options.run.model_version = job.model_version;
      options.run.command_line = "medaudit serve: POST /v1/audits model=" + job.model;
    }
    auto result = audit::RunAudit(*engine_(), options, sink->get());
    if (result) {
      summary = Summary(*result);
    } else {
      error = result.error().ToString();
    }
  }
  std::lock_guard lock(mutex_);
  Job& job = jobs_[id];
  job.status = error.empty() ? "finished" : "failed";
  job.error = std::move(error);
  job.summary = std::move(summary);
  job.done = true;
  metrics_->audits_active.fetch_sub(1);
}

HttpResponse AuditManager::Get(std::string_view id) {
  if (!enabled()) return ErrorResponse(503, "audits_disabled", "the server has no audit store");
  if (!IsValidRunId(id)) return ErrorResponse(400, "invalid_argument", "not an audit id");
  Job job;
  bool known = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = jobs_.find(id); it != jobs_.end()) {
      job = it->second;
      known = true;
    }
  }
  audit::RunInfo run;
  if (!known || job.status == "finished") {
    HttpResponse error;
    auto result = LoadStoredRun(db_, id, &error);
    if (!result) return error;
    run = result->run;
    job.status = run.status;
    if (run.status == "finished" && job.summary.empty()) job.summary = Summary(*result);
  } else {
    run.id = std::string(id);
    run.model = job.model;
    run.model_version = job.model_version;
    run.started = job.started;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* key, const std::string& value) {
    w.Key(key);
    json::String(w, value);
  };
  w.StartObject();
  field("id", std::string(id));
  field("status", job.status);
  field("model", run.model);
  field("model_version", run.model_version);
  field("started", run.started);
  if (!run.finished.empty()) field("finished", run.finished);
  if (!run.corpus_sha256.empty()) field("corpus_sha256", run.corpus_sha256);
  if (!run.rules_sha256.empty()) field("rules_sha256", run.rules_sha256);
  if (!job.error.empty()) field("error", job.error);
  if (!job.summary.empty()) {
    w.Key("summary");
    w.RawValue(job.summary.data(), job.summary.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  return JsonResponse(200, buffer);
}

HttpResponse AuditManager::Report(std::string_view id, std::string_view format,
                                  std::string_view lang) {
  if (!enabled()) return ErrorResponse(503, "audits_disabled", "the server has no audit store");
  if (!IsValidRunId(id)) return ErrorResponse(400, "invalid_argument", "not an audit id");
  static const std::map<std::string_view, std::string_view> kTypes = {
      {"html", "text/html; charset=utf-8"},
      {"json", "application/json"},
      {"md", "text/markdown; charset=utf-8"},
      {"sarif", "application/sarif+json"},
      {"junit", "application/xml"}};
  const auto type = kTypes.find(format);
  if (type == kTypes.end()) {
    return ErrorResponse(400, "invalid_argument", "format must be html, json, md, sarif or junit");
  }
  if (lang != "zh" && lang != "en" && lang != "ar") {
    return ErrorResponse(400, "invalid_argument", "lang must be zh, en or ar");
  }
  HttpResponse error;
  auto result = LoadStoredRun(db_, id, &error);
  if (!result) return error;
  if (result->run.status != "finished") {
    auto response = ErrorResponse(503, "not_finished", "the audit is still running");
    response.headers.emplace_back("Retry-After", "5");
    return response;
  }
  report::ReportOptions options;
  options.lang = std::string(lang);
  HttpResponse response;
  response.content_type = std::string(type->second);
  if (format == "html") {
    response.body = report::ReportHtml(*result, options);
  } else if (format == "json") {
    response.body = report::ReportJson(*result);
  } else if (format == "md") {
    response.body = report::ReportMarkdown(*result, options);
  } else if (format == "sarif") {
    response.body = report::ReportSarif(*result);
  } else {
    response.body = report::ReportJunit(*result);
  }
  return response;
}

}  // namespace medaudit::server
