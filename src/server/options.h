// Configuration of `medaudit serve` (src/server): where to listen, what to load, who may call, and
// the limits that keep a slow or hostile client from hurting the others. Plain data; the CLI
// fills it from flags, tests set short timeouts. docs/api.md describes every limit.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "rules/engine.h"

namespace medaudit::server {

struct Limits {
  size_t max_header_bytes = 16 * 1024;              // request line + headers; larger: 413
  size_t max_check_body = size_t{1} << 20;          // /v1/check, /v1/guard
  size_t max_batch_body = size_t{16} << 20;         // /v1/check/batch
  size_t max_audit_body = size_t{256} << 20;        // /v1/audits (corpus upload)
  size_t max_other_body = 4 * 1024;                 // every other route (GET bodies, reload)
  std::chrono::milliseconds header_timeout{10000};  // whole header, also the keep-alive idle time
  std::chrono::milliseconds body_timeout{60000};    // whole body once the header is in
  std::chrono::milliseconds write_timeout{30000};
  int max_connections = 1024;  // concurrent connections; beyond: 503 + Retry-After, then close
  int max_audits = 2;          // audits queued or running; beyond: 429 + Retry-After
  int audit_threads = 1;       // worker threads of one audit (the check path keeps the rest)
  std::chrono::milliseconds drain_timeout{30000};  // graceful shutdown: then connections are cut
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: an ephemeral port (tests); Server::port() tells which
  int threads = 0;       // I/O threads; 0 = hardware concurrency
  // Rules: `engine` when given (tests share one), else loaded from engine_options; a reload
  // always loads from engine_options.
  rules::EngineOptions engine_options;
  std::shared_ptr<const rules::Engine> engine;
  std::string db;                 // audit store; empty: the audit routes answer 503
  std::string upload_dir;         // uploaded corpora; empty: <dir of db>/uploads
  std::string tokens_file;        // empty: no authentication (loopback only)
  std::string tls_cert, tls_key;  // PEM files; both or neither
  Limits limits;
  bool handle_signals = false;  // SIGTERM/SIGINT: graceful stop; SIGHUP: reload rules
  std::ostream* log = nullptr;  // one JSON line per request; nullptr: no request log
};

}  // namespace medaudit::server
