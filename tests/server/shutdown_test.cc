// Graceful shutdown: requests in flight are finished (with Connection: close), idle keep-alive
// connections are closed, new connections are refused, /readyz turns 503 while draining.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "server_fixture.h"

namespace {

using namespace medaudit;
using namespace medaudit::testing;
using namespace std::chrono_literals;

TEST_CASE("serve: graceful shutdown finishes the requests in flight", "[server]") {
  TestServer server;
  const uint16_t port = server.port();

  // Idle keep-alive connection (one request done).
  HttpClient idle("127.0.0.1", port);
  REQUIRE(idle.Request("GET", "/healthz").status == 200);

  // Requests in flight: header and half the body sent.
  const std::string body = R"({"id": "late", "answer": "Take ibuprofen 400 mg every 6 hours."})";
  const std::string head =
      "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  std::vector<int> in_flight;
  for (int i = 0; i < 3; ++i) {
    const int fd = ConnectTcp("127.0.0.1", port);
    REQUIRE(fd >= 0);
    REQUIRE(SendAll(fd, head + body.substr(0, 10)));
    in_flight.push_back(fd);
  }
  std::this_thread::sleep_for(100ms);  // the server has read the headers

  std::atomic<bool> stopped{false};
  auto stopper = std::async(std::launch::async, [&] {
    server.Stop();
    stopped = true;
  });
  std::this_thread::sleep_for(150ms);
  CHECK_FALSE(stopped);  // waiting for the requests in flight

  // New connections are no longer accepted.
  const int late = ConnectTcp("127.0.0.1", port);
  if (late >= 0) {
    bool closed = false;
    SendAll(late, "GET /healthz HTTP/1.1\r\n\r\n");
    ReadUntilClose(late, 1000, &closed);
    CHECK(closed);
    close(late);
  }
  // The idle connection was closed.
  bool idle_closed = false;
  {
    const int fd = ConnectTcp("127.0.0.1", port);
    if (fd >= 0) close(fd);
  }
  auto r = idle.Request("GET", "/healthz");
  idle_closed = !r.ok;
  CHECK(idle_closed);

  for (int fd : in_flight) {
    REQUIRE(SendAll(fd, body.substr(10)));
    std::string buffer;
    auto response = ReadResponse(fd, &buffer, 5000);
    REQUIRE(response.ok);
    CHECK(response.status == 200);
    CHECK(response.Header("connection") == "close");
    CHECK(response.body.find("\"late\"") != std::string::npos);
    close(fd);
  }
  stopper.get();
  CHECK(stopped);
}

TEST_CASE("serve: readiness turns 503 while draining", "[server]") {
  TestServer server;
  server.server().service().SetDraining();
  HttpClient client("127.0.0.1", server.port());
  auto r = client.Request("GET", "/readyz");
  CHECK(r.status == 503);
  CHECK(r.Header("retry-after") == "5");
  CHECK(r.Header("connection") == "close");
  CHECK(HttpClient("127.0.0.1", server.port()).Request("GET", "/healthz").status == 200);
}

}  // namespace
