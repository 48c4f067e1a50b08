#include "server/routes.h"

#include <array>

namespace medaudit::server {

namespace {

constexpr std::array<Route, static_cast<size_t>(RouteId::kCount)> kRoutes{{
    {RouteId::kCheck, "POST", "/v1/check", kScopeCheck, BodyKind::kJson, &Limits::max_check_body,
     "check"},
    {RouteId::kCheckBatch, "POST", "/v1/check/batch", kScopeCheck, BodyKind::kJsonLines,
     &Limits::max_batch_body, "check_batch"},
    {RouteId::kGuard, "POST", "/v1/guard", kScopeCheck, BodyKind::kJson, &Limits::max_check_body,
     "guard"},
    {RouteId::kAuditCreate, "POST", "/v1/audits", kScopeAudit, BodyKind::kJsonLines,
     &Limits::max_audit_body, "audit_create"},
    {RouteId::kAuditGet, "GET", "/v1/audits/{id}", kScopeAudit, BodyKind::kNone,
     &Limits::max_other_body, "audit_get"},
    {RouteId::kAuditReport, "GET", "/v1/audits/{id}/report", kScopeReport, BodyKind::kNone,
     &Limits::max_other_body, "audit_report"},
    {RouteId::kRules, "GET", "/v1/rules", kScopeCheck, BodyKind::kNone, &Limits::max_other_body,
     "rules"},
    {RouteId::kReload, "POST", "/v1/admin/reload", kScopeAdmin, BodyKind::kNone,
     &Limits::max_other_body, "reload"},
    {RouteId::kHealthz, "GET", "/healthz", kScopeNone, BodyKind::kNone, &Limits::max_other_body,
     "healthz"},
    {RouteId::kReadyz, "GET", "/readyz", kScopeNone, BodyKind::kNone, &Limits::max_other_body,
     "readyz"},
    {RouteId::kMetrics, "GET", "/metrics", kScopeAdmin, BodyKind::kNone, &Limits::max_other_body,
     "metrics"},
}};

// Matches a path against a template segment by segment; "{x}" takes one non-empty segment.
bool MatchPath(std::string_view pattern, std::string_view path, std::string_view* id) {
  while (!pattern.empty() && !path.empty()) {
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const size_t pe = pattern.find('/');
    const size_t se = path.find('/');
    const std::string_view pseg = pattern.substr(0, pe);
    const std::string_view seg = path.substr(0, se);
    if (pseg.size() > 2 && pseg.front() == '{' && pseg.back() == '}') {
      if (seg.empty()) return false;
      *id = seg;
    } else if (pseg != seg) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view() : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view() : path.substr(se);
  }
  return pattern.empty() && path.empty();
}

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

RouteMatch MatchRoute(std::string_view method, std::string_view path) {
  RouteMatch match;
  for (const Route& route : kRoutes) {
    std::string_view id;
    if (!MatchPath(route.path, path, &id)) continue;
    match.path_exists = true;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += route.method;
    if (route.method == method && match.route == nullptr) {
      match.route = &route;
      match.id = id;
    }
  }
  return match;
}

size_t BodyLimitFor(std::string_view method, std::string_view path, const Limits& limits) {
  const RouteMatch match = MatchRoute(method, path);
  return match.route != nullptr ? limits.*(match.route->limit) : limits.max_other_body;
}

}  // namespace medaudit::server
