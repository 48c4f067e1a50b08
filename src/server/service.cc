#include "server/service.h"

#include <exception>

#include "base/json.h"
#include "rules/check_json.h"

namespace medaudit::server {

namespace {

rules::Workspace& ThreadWorkspace() {
  thread_local rules::Workspace workspace;
  return workspace;
}

std::string_view MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  while (!content_type.empty() && content_type.front() == ' ') content_type.remove_prefix(1);
  return content_type;
}

bool AcceptsContentType(BodyKind kind, std::string_view content_type) {
  const std::string_view media = MediaType(content_type);
  if (kind == BodyKind::kNone) return true;
  if (EqualsIgnoreCase(media, "application/json")) return true;  // a one-line batch is JSON too
  if (kind == BodyKind::kJson) return false;
  for (std::string_view accepted :
       {"application/x-ndjson", "application/jsonl", "application/x-jsonlines",
        "application/jsonlines", "application/json-lines", "text/plain"}) {
    if (EqualsIgnoreCase(media, accepted)) return true;
  }
  return false;
}

HttpResponse Json(int status, const rapidjson::StringBuffer& buffer) {
  HttpResponse response;
  response.status = status;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

}  // namespace

Service::Service(const ServerOptions& options) : options_(options) {}
Service::~Service() = default;

Result<std::unique_ptr<Service>> Service::Create(const ServerOptions& options) {
  std::unique_ptr<Service> service(new Service(options));
  service->options_.engine = nullptr;  // the live set is engine_
  std::shared_ptr<const rules::Engine> engine = options.engine;
  if (!engine) {
    auto loaded = rules::Engine::Load(options.engine_options);
    if (!loaded) return loaded.error();
    engine = *loaded;
  }
  service->engine_.store(std::move(engine));
  if (!options.tokens_file.empty()) {
    auto auth = Authenticator::Load(options.tokens_file);
    if (!auth) return auth.error();
    service->auth_ = std::move(*auth);
  }
  Service* self = service.get();
  service->audits_ =
      std::make_unique<AuditManager>(options.db, options.upload_dir, options.limits,
                                     &service->metrics_, [self] { return self->engine(); });
  return service;
}

Status Service::Reload() {
  std::lock_guard lock(reload_mutex_);
  auto loaded = rules::Engine::Load(options_.engine_options);
  metrics_.RecordReload(static_cast<bool>(loaded));
  if (!loaded) return loaded.error();
  engine_.store(*loaded);
  return {};
}

HttpResponse Service::Handle(const HttpRequest& request, const Route** route_out) {
  if (route_out != nullptr) *route_out = nullptr;
  const RouteMatch match = MatchRoute(request.method, request.Path());
  if (match.route == nullptr) {
    if (!match.path_exists) return ErrorResponse(404, "not_found", "no such resource");
    HttpResponse response = ErrorResponse(405, "method_not_allowed", "allowed: " + match.allow);
    response.headers.emplace_back("Allow", match.allow);
    return response;
  }
  if (route_out != nullptr) *route_out = match.route;
  const Route& route = *match.route;
  const AuthOutcome auth = auth_.Check(request.Header("authorization"), route.scope);
  if (auth.status == 401) {
    HttpResponse response =
        ErrorResponse(401, "unauthorized", "a valid 'Authorization: Bearer <token>' is required");
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"medaudit\"");
    return response;
  }
  if (auth.status == 403) {
    return ErrorResponse(403, "forbidden",
                         "the token lacks the '" + ScopeNames(route.scope) + "' scope");
  }
  if (!AcceptsContentType(route.body, request.Header("content-type"))) {
    return ErrorResponse(415, "unsupported_media_type",
                         route.body == BodyKind::kJson
                             ? "send Content-Type: application/json"
                             : "send Content-Type: application/x-ndjson (JSON Lines)");
  }
  try {
    return Dispatch(route, match.id, request);
  } catch (const std::exception& e) {
    return ErrorResponse(500, "internal", "internal error");
  }
}

HttpResponse Service::Dispatch(const Route& route, std::string_view id,
                               const HttpRequest& request) {
  switch (route.id) {
    case RouteId::kCheck:
      return Check(request);
    case RouteId::kCheckBatch:
      return CheckBatch(request);
    case RouteId::kGuard:
      return Guard(request);
    case RouteId::kAuditCreate:
      return CreateAudit(request);
    case RouteId::kAuditGet:
      return audits_->Get(id);
    case RouteId::kAuditReport: {
      std::string format = request.QueryParam("format");
      std::string lang = request.QueryParam("lang");
      return audits_->Report(id, format.empty() ? "json" : format, lang.empty() ? "en" : lang);
    }
    case RouteId::kRules:
      return RulesList();
    case RouteId::kReload:
      return ReloadRoute();
    case RouteId::kHealthz:
      return Health(false);
    case RouteId::kReadyz:
      return Health(true);
    case RouteId::kMetrics: {
      HttpResponse response;
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body = metrics_.Render();
      return response;
    }
    case RouteId::kCount:
      break;
  }
  return ErrorResponse(404, "not_found", "no such resource");
}

HttpResponse Service::Check(const HttpRequest& request) {
  const auto engine = this->engine();
  rules::CheckResult result;
  rapidjson::StringBuffer buffer;
  rules::JsonWriter writer(buffer);
  const bool ok = rules::CheckJsonLine(*engine, request.body, false, options_.limits.max_check_body,
                                       &ThreadWorkspace(), &result, writer);
  if (ok) {
    metrics_.RecordCheck(result);
    return Json(200, buffer);
  }
  // The error object {"id", "error": {"code", "message"}} is both the JSONL contract's error
  // line and the HTTP error shape.
  rapidjson::Document doc;
  doc.Parse(buffer.GetString(), buffer.GetSize());
  const std::string_view code = json::View(doc["error"]["code"]);
  metrics_.RecordCheckError(code);
  return Json(code == "too_large" ? 413 : 400, buffer);
}

HttpResponse Service::CheckBatch(const HttpRequest& request) {
  const auto engine = this->engine();
  rules::CheckResult result;
  rapidjson::StringBuffer buffer;
  std::string out;
  std::string_view body = request.body;
  while (!body.empty()) {
    const size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    buffer.Clear();
    rules::JsonWriter writer(buffer);
    const bool truncated = line.size() > options_.limits.max_check_body;
    if (rules::CheckJsonLine(*engine, truncated ? std::string_view() : line, truncated,
                             options_.limits.max_check_body, &ThreadWorkspace(), &result, writer)) {
      metrics_.RecordCheck(result);
    } else {
      metrics_.RecordCheckError("batch_line");
    }
    out.append(buffer.GetString(), buffer.GetSize());
    out.push_back('\n');
  }
  HttpResponse response;
  response.content_type = "application/x-ndjson";
  response.body = std::move(out);
  return response;
}

HttpResponse Service::RulesList() {
  const auto engine = this->engine();
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("rules_sha256");
  json::String(w, engine->rules_sha256());
  w.Key("packs");
  w.StartArray();
  for (const auto& pack : engine->packs()) {
    w.StartObject();
    auto field = [&w](const char* key, std::string_view value) {
      w.Key(key);
      json::String(w, value);
    };
    field("id", pack.id);
    field("version", pack.version);
    field("title", pack.title);
    field("jurisdiction", pack.jurisdiction);
    field("sha256", pack.sha256);
    w.Key("rules");
    w.StartArray();
    for (const auto& rule : pack.rules) {
      w.StartObject();
      field("id", rule.id);
      field("category", rule.category);
      field("severity", rules::SeverityName(rule.severity));
      field("citation", rule.citation.text);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Json(200, buffer);
}

HttpResponse Service::ReloadRoute() {
  if (auto status = Reload(); !status) {
    return ErrorResponse(
        500, ErrorCodeName(status.error().code),
        "rules not reloaded, the previous set stays: " + status.error().ToString());
  }
  const auto engine = this->engine();
  size_t rules = 0;
  for (const auto& pack : engine->packs()) rules += pack.rules.size();
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("reloaded");
  w.Bool(true);
  w.Key("rules_sha256");
  json::String(w, engine->rules_sha256());
  w.Key("packs");
  w.Uint64(engine->packs().size());
  w.Key("rules");
  w.Uint64(rules);
  w.EndObject();
  return Json(200, buffer);
}

HttpResponse Service::CreateAudit(const HttpRequest& request) {
  AuditUpload upload;
  upload.model = request.QueryParam("model");
  if (upload.model.empty()) upload.model = std::string(request.Header("x-medaudit-model"));
  upload.model_version = request.QueryParam("model_version");
  if (upload.model_version.empty()) {
    upload.model_version = std::string(request.Header("x-medaudit-model-version"));
  }
  upload.corpus = request.body;
  return audits_->Create(upload);
}

HttpResponse Service::Health(bool ready) {
  if (ready && draining()) {
    auto response = ErrorResponse(503, "shutting_down", "the server is shutting down");
    response.headers.emplace_back("Retry-After", "5");
    return response;
  }
  HttpResponse response;
  response.body = ready ? R"({"status":"ready"})" : R"({"status":"ok"})";
  return response;
}

}  // namespace medaudit::server
