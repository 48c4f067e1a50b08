// The route table of `medaudit serve`: method, path template (OpenAPI style, "{id}" = one path
// segment), required scope, accepted body and its size limit. docs/openapi.json lists exactly
// these routes (tests/server/openapi_test.cc compares both ways). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "server/auth.h"
#include "server/options.h"

namespace medaudit::server {

enum class RouteId : uint8_t {
  kCheck,
  kCheckBatch,
  kGuard,
  kAuditCreate,
  kAuditGet,
  kAuditReport,
  kRules,
  kReload,
  kHealthz,
  kReadyz,
  kMetrics,
  kCount  // not a route: the number of routes (metrics also count "unmatched")
};

enum class BodyKind : uint8_t { kNone, kJson, kJsonLines };

struct Route {
  RouteId id;
  std::string_view method;
  std::string_view path;  // "/v1/audits/{id}"
  uint8_t scope;          // kScopeNone: public
  BodyKind body;
  size_t Limits::*limit;  // body size limit
  std::string_view name;  // label in /metrics and logs ("check", "audit_get", ...)
};

std::span<const Route> Routes();

struct RouteMatch {
  const Route* route = nullptr;  // nullptr: no route for this method and path
  bool path_exists = false;      // the path matched some route (then a missing method is 405)
  std::string allow;             // methods allowed on the path ("GET, POST")
  std::string_view id;           // the {id} segment, when the template has one
};

RouteMatch MatchRoute(std::string_view method, std::string_view path);

// Body limit to apply before the route is known for sure: the route's, else max_other_body.
size_t BodyLimitFor(std::string_view method, std::string_view path, const Limits& limits);

}  // namespace medaudit::server
