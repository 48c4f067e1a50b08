// `medaudit serve`: the HTTP(S) front of the check engine and the audit store (design.md §4,
// docs/api.md). Boost.Beast over Asio, asynchronous, a pool of I/O threads, HTTP/1.1 keep-alive,
// optional TLS. Limits (header and body sizes, header/body/write timeouts, connection cap) come
// from ServerOptions::limits. Every response carries X-Request-Id; one JSON log line per request
// goes to ServerOptions::log (never the body or the token).
//
// Start() binds and returns at once; Stop() shuts down gracefully: stop accepting, answer the
// requests in flight (with Connection: close), close idle connections, wait for running audits.
// With handle_signals, SIGTERM/SIGINT make Wait() return after such a stop and SIGHUP reloads
// the rules. All methods are thread-safe; do not call Stop() from a request handler.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.h"
#include "server/options.h"
#include "server/service.h"

namespace medaudit::server {

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(const std::string& host);

class Server {
 public:
  // Fails with kInvalidArgument (bad host, TLS half configured, non-loopback host without
  // tokens), the engine's or tokens file's error, or kIo when the address cannot be bound.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();  // Stop()

  uint16_t port() const;  // the bound port (useful with port 0)
  Service& service();

  void Stop();
  // Blocks until the server stopped: after Stop() from another thread, or (handle_signals) after
  // SIGTERM/SIGINT, in which case Wait() performs the graceful stop itself.
  void Wait();

  struct Impl;  // the transport (server.cc); public only so that its sessions can name it

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace medaudit::server
