// Hostile input over real sockets: malformed and truncated HTTP, oversized headers and bodies,
// bad JSON and UTF-8, slowloris trickling, the connection cap, and hundreds of connections opened
// and dropped. Each is answered (JSON error) or closed, and the server keeps serving others.
// Timeouts are short (options struct) so that the whole file runs in a few seconds, also under
// ASan.
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace {

using namespace medaudit;
using namespace medaudit::testing;
using namespace std::chrono_literals;

server::ServerOptions HostileOptions() {
  auto options = TestOptions();
  options.limits.header_timeout = 300ms;
  options.limits.body_timeout = 300ms;
  options.limits.write_timeout = 1000ms;
  options.limits.max_header_bytes = 4096;
  options.limits.max_check_body = 8192;
  return options;
}

// Sends raw bytes on a fresh connection and returns what came back before the server closed.
std::string Exchange(uint16_t port, const std::string& bytes, int timeout_ms = 3000,
                     bool* closed = nullptr) {
  const int fd = ConnectTcp("127.0.0.1", port);
  REQUIRE(fd >= 0);
  SendAll(fd, bytes);
  std::string reply = ReadUntilClose(fd, timeout_ms, closed);
  close(fd);
  return reply;
}

void ExpectStillServing(uint16_t port) {
  HttpClient client("127.0.0.1", port);
  auto r = client.PostJson("/v1/check", R"({"answer": "Rest and drink fluids."})");
  REQUIRE(r.ok);
  CHECK(r.status == 200);
}

void ExpectJsonError(const std::string& reply, int status) {
  INFO(reply);
  auto r = ParseResponse(reply);
  REQUIRE(r.ok);
  CHECK(r.status == status);
  CHECK(r.Header("content-type") == "application/json");
  CHECK(r.body.rfind(R"({"error":{"code":)", 0) == 0);
  CHECK_FALSE(r.Header("x-request-id").empty());
}

TEST_CASE("serve: malformed and truncated HTTP is answered or closed", "[server]") {
  TestServer server(HostileOptions());
  const uint16_t port = server.port();

  for (const std::string& garbage :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n"),
        std::string("GET /healthz HTTP/1.1\r\nHost: a\0b\r\n\r\n", 36),
        std::string("POST /v1/check HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
        std::string("POST /v1/check HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
        std::string("POST /v1/check HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                    "Content-Type: application/json\r\n\r\nzz\r\n")}) {
    INFO(garbage);
    ExpectJsonError(Exchange(port, garbage), 400);
  }
  // Truncated: the client goes away mid-header or mid-body.
  for (const std::string& cut :
       {std::string("GET /heal"), std::string("POST /v1/check HTTP/1.1\r\nContent-Len"),
        std::string("POST /v1/check HTTP/1.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: 100\r\n\r\n{\"answer\": ")}) {
    const int fd = ConnectTcp("127.0.0.1", port);
    REQUIRE(fd >= 0);
    SendAll(fd, cut);
    close(fd);
  }
  // Not a request at all: TLS client hello bytes on the plain port.
  ExpectJsonError(
      Exchange(port, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n"),
      400);
  ExpectStillServing(port);
}

TEST_CASE("serve: oversized headers and bodies get 413", "[server]") {
  TestServer server(HostileOptions());
  const uint16_t port = server.port();
  // Header over max_header_bytes.
  ExpectJsonError(
      Exchange(port, "GET /healthz HTTP/1.1\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n"),
      413);
  // Declared body over the route's limit: answered before the body is sent.
  ExpectJsonError(Exchange(port,
                           "POST /v1/check HTTP/1.1\r\nContent-Type: application/json\r\n"
                           "Content-Length: 10000000000\r\n\r\n"),
                  413);
  // Body sent in full, over the limit.
  ExpectJsonError(Exchange(port,
                           "POST /v1/check HTTP/1.1\r\nContent-Type: application/json\r\n"
                           "Content-Length: 9000\r\n\r\n" +
                               std::string(9000, ' ')),
                  413);
  // Chunked body growing past the limit.
  std::string chunked =
      "POST /v1/check HTTP/1.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 10; ++i) chunked += "3e8\r\n" + std::string(1000, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  ExpectJsonError(Exchange(port, chunked), 413);
  // GET with a body larger than the small default.
  ExpectJsonError(Exchange(port, "GET /healthz HTTP/1.1\r\nContent-Length: 5000\r\n\r\n"), 413);
  ExpectStillServing(port);
}

TEST_CASE("serve: invalid JSON and UTF-8 in bodies get JSON errors", "[server]") {
  TestServer server(HostileOptions());
  HttpClient client("127.0.0.1", server.port());
  for (const std::string& body :
       {std::string("{\"answer\": \"\xc0\xaf\"}"), std::string("{\"answer\": \"\xed\xa0\x80\"}"),
        std::string("\xff\xfe{}"), std::string("[1,2,3]"), std::string("{\"answer\": \"x\""),
        std::string("{\"answer\": \"a\u0000b\"}", 16), std::string(300, '{'),
        std::string("{\"id\": \"\xff\", \"answer\": \"ok\"}")}) {
    auto r = client.PostJson("/v1/check", body);
    INFO(body);
    REQUIRE(r.ok);
    if (r.status == 200) continue;  // e.g. an escaped NUL inside a valid string is text
    CHECK(r.status == 400);
    CHECK(r.body.find("\"error\":{\"code\":") != std::string::npos);
  }
  auto r = client.Request("POST", "/v1/check/batch", std::string("\xff\n{}\n[\n"),
                          {{"Content-Type", "application/x-ndjson"}});
  CHECK(r.status == 200);
  CHECK(std::count(r.body.begin(), r.body.end(), '\n') == 3);
}

TEST_CASE("serve: slow clients are cut off by the header and body timeouts", "[server]") {
  TestServer server(HostileOptions());
  const uint16_t port = server.port();
  const auto start = std::chrono::steady_clock::now();
  // Slowloris: one header byte every 50 ms never completes within the 300 ms header timeout.
  std::thread trickle([port] {
    const int fd = ConnectTcp("127.0.0.1", port);
    REQUIRE(fd >= 0);
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaa";
    bool cut = false;
    for (char c : request) {
      if (!SendAll(fd, std::string(1, c))) {
        cut = true;
        break;
      }
      std::this_thread::sleep_for(50ms);
    }
    bool closed = false;
    ReadUntilClose(fd, 2000, &closed);
    CHECK((cut || closed));
    close(fd);
  });
  // Slow body: header at once, body never completes.
  std::thread slow_body([port] {
    bool closed = false;
    Exchange(port,
             "POST /v1/check HTTP/1.1\r\nContent-Type: application/json\r\n"
             "Content-Length: 50\r\n\r\n{\"answer\"",
             3000, &closed);
    CHECK(closed);
  });
  // An idle keep-alive connection is closed after the header timeout too.
  std::thread idle([port] {
    bool closed = false;
    const int fd = ConnectTcp("127.0.0.1", port);
    REQUIRE(fd >= 0);
    ReadUntilClose(fd, 3000, &closed);
    CHECK(closed);
    close(fd);
  });
  // Meanwhile others are served promptly.
  for (int i = 0; i < 5; ++i) {
    ExpectStillServing(port);
    std::this_thread::sleep_for(50ms);
  }
  trickle.join();
  slow_body.join();
  idle.join();
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  HttpClient client("127.0.0.1", port);
  auto metrics = client.Request("GET", "/metrics").body;
  CHECK(metrics.find("medaudit_timeouts_total 0") == std::string::npos);
}

TEST_CASE("serve: the connection cap answers 503 with Retry-After", "[server]") {
  auto options = HostileOptions();
  options.limits.max_connections = 4;
  options.limits.header_timeout = 2000ms;
  TestServer server(options);
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(ConnectTcp("127.0.0.1", server.port()));
    REQUIRE(held.back() >= 0);
  }
  std::this_thread::sleep_for(100ms);  // let the server accept them
  const std::string reply = Exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ExpectJsonError(reply, 503);
  CHECK(ParseResponse(reply).Header("retry-after") == "1");
  for (int fd : held) close(fd);
  // Once they are gone, requests are served again.
  for (int i = 0; i < 100; ++i) {
    HttpClient client("127.0.0.1", server.port());
    if (client.Request("GET", "/healthz").status == 200) break;
    std::this_thread::sleep_for(20ms);
  }
  ExpectStillServing(server.port());
}

TEST_CASE("serve: hundreds of connections opened and dropped leave no trace", "[server]") {
  TestServer server(HostileOptions());
  const uint16_t port = server.port();
  const std::string partial = "POST /v1/check HTTP/1.1\r\nContent-Length: 40\r\n\r\n{";
  for (int round = 0; round < 4; ++round) {
    std::vector<int> fds;
    for (int i = 0; i < 150; ++i) {
      const int fd = ConnectTcp("127.0.0.1", port);
      if (fd < 0) continue;
      if (i % 3 == 1) SendAll(fd, "GET /heal");
      if (i % 3 == 2) SendAll(fd, partial);
      fds.push_back(fd);
    }
    for (int fd : fds) close(fd);
    ExpectStillServing(port);
  }
  // Pipelined requests on one connection are answered in order.
  const std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n";
  const std::string reply = Exchange(port, two);
  size_t used = 0;
  auto first = ParseResponse(reply, &used);
  REQUIRE(first.ok);
  CHECK(first.body == R"({"status":"ok"})");
  auto second = ParseResponse(std::string_view(reply).substr(used));
  REQUIRE(second.ok);
  CHECK(second.body == R"({"status":"ready"})");
  // Every dropped connection is eventually released.
  HttpClient client("127.0.0.1", port);
  bool released = false;
  for (int i = 0; i < 150 && !released; ++i) {
    const auto metrics = client.Request("GET", "/metrics").body;
    released = metrics.find("medaudit_connections_open 1\n") != std::string::npos;
    if (!released) std::this_thread::sleep_for(20ms);
  }
  CHECK(released);
}

}  // namespace
