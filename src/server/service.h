// The request handlers of `medaudit serve`, independent of sockets: Handle() takes a plain
// request and returns the response for every route of routes.h (check, batch, guard, audits,
// reports, rules, reload, health, metrics), including authentication (401/403), unknown paths
// (404), wrong methods (405) and content types (415). The transport (server.cc) adds limits,
// timeouts, request ids and logs; the fuzzer (fuzz/fuzz_http.cc) calls it directly.
//
// Rules are loaded once and shared read-only by every thread; Reload() loads a new set and swaps
// the shared pointer atomically, keeping the old set when the new one fails to load (requests in
// flight finish with the set they started with). Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "base/error.h"
#include "rules/engine.h"
#include "server/audits.h"
#include "server/auth.h"
#include "server/http_types.h"
#include "server/metrics.h"
#include "server/options.h"
#include "server/routes.h"

namespace medaudit::server {

class Service {
 public:
  // Loads the engine (unless options.engine is given) and the tokens file.
  static Result<std::unique_ptr<Service>> Create(const ServerOptions& options);
  ~Service();

  // Never throws. *route_out (optional) receives the matched route or nullptr.
  HttpResponse Handle(const HttpRequest& request, const Route** route_out = nullptr);

  // Loads the rules again from options.engine_options.rules_dir and swaps them in.
  Status Reload();

  void SetDraining() { draining_.store(true); }
  bool draining() const { return draining_.load(); }
  // Stops accepting audits and waits for the running ones.
  void ShutdownAudits() { audits_->Shutdown(); }

  std::shared_ptr<const rules::Engine> engine() const { return engine_.load(); }
  Metrics& metrics() { return metrics_; }
  const ServerOptions& options() const { return options_; }
  const Authenticator& auth() const { return auth_; }

 private:
  explicit Service(const ServerOptions& options);
  HttpResponse Dispatch(const Route& route, std::string_view id, const HttpRequest& request);
  HttpResponse Check(const HttpRequest& request);
  HttpResponse CheckBatch(const HttpRequest& request);
  HttpResponse Guard(const HttpRequest& request);
  HttpResponse RulesList();
  HttpResponse ReloadRoute();
  HttpResponse CreateAudit(const HttpRequest& request);
  HttpResponse Health(bool ready);

  ServerOptions options_;
  Authenticator auth_;
  Metrics metrics_;
  std::atomic<std::shared_ptr<const rules::Engine>> engine_;
  std::mutex reload_mutex_;
  std::atomic<bool> draining_{false};
  std::unique_ptr<AuditManager> audits_;
};

}  // namespace medaudit::server
