// Shared pieces of the server tests: the shipped rules loaded once per test binary (with the
// compiled-database cache, so reloads of the same patterns are quick), temporary directories,
// and a TestServer that runs the real server in-process on a loopback ephemeral port.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "rules/engine.h"
#include "server/server.h"
#include "support/http_client.h"
#include "support/shipped_engine.h"
#include "support/temp_dir.h"

namespace medaudit::testing {

inline std::shared_ptr<const rules::Engine> SharedEngine() { return SharedShippedEngine(); }

using ServerTempDir = TempDir;

// Options for a test server: loopback, ephemeral port, 2 threads, the shared engine, no log.
inline server::ServerOptions TestOptions() {
  server::ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.engine = SharedEngine();
  options.engine_options = ShippedRulesOptions();
  return options;
}

class TestServer {
 public:
  explicit TestServer(server::ServerOptions options = TestOptions()) {
    auto started = server::Server::Start(options);
    if (!started) FAIL("server did not start: " << started.error().ToString());
    server_ = std::move(*started);
  }
  uint16_t port() const { return server_->port(); }
  server::Server& server() { return *server_; }
  std::unique_ptr<HttpClient> Client(int timeout_ms = 10000) const {
    return std::make_unique<HttpClient>("127.0.0.1", port(), timeout_ms);
  }
  void Stop() { server_->Stop(); }

 private:
  std::unique_ptr<server::Server> server_;
};

}  // namespace medaudit::testing
