// HTTPS through Beast's ssl_stream: a self-signed certificate made with the openssl tool, a check
// over TLS with curl, and plain HTTP or garbage on the TLS port closed without harm. Skipped when
// the openssl or curl tools are missing.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "server_fixture.h"

namespace {

using namespace medaudit;
using namespace medaudit::testing;

std::string Capture(const std::string& command, int* code) {
  std::string output;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

TEST_CASE("serve: HTTPS with --tls-cert and --tls-key", "[server]") {
  int code = 0;
  Capture("command -v openssl && command -v curl", &code);
  if (code != 0) {
    WARN("openssl or curl missing: TLS test skipped");
    return;
  }
  ServerTempDir dir("tls");
  Capture("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " +
              dir.File("key.pem") + " -out " + dir.File("cert.pem"),
          &code);
  REQUIRE(code == 0);
  auto options = TestOptions();
  options.tls_cert = dir.File("cert.pem");
  options.tls_key = dir.File("key.pem");
  options.limits.header_timeout = std::chrono::milliseconds(500);
  TestServer server(options);
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port());
  const std::string check =
      "curl -sk --max-time 10 -H 'Content-Type: application/json' -d "
      "'{\"answer\": \"Take ibuprofen 400 mg every 6 hours.\"}' " +
      url + "/v1/check";
  std::string out = Capture(check, &code);
  CHECK(code == 0);
  CHECK(out.find("\"verdict\":\"block\"") != std::string::npos);

  // Plain HTTP and garbage on the TLS port: closed, nothing else happens.
  for (const std::string& bytes : {std::string("GET /healthz HTTP/1.1\r\n\r\n"),
                                   std::string("\x16\x03\x01\xff\xff garbage", 13)}) {
    const int fd = ConnectTcp("127.0.0.1", server.port());
    REQUIRE(fd >= 0);
    SendAll(fd, bytes);
    bool closed = false;
    ReadUntilClose(fd, 3000, &closed);
    CHECK(closed);
    close(fd);
  }
  out = Capture("curl -sk --max-time 10 " + url + "/healthz", &code);
  CHECK(out == R"({"status":"ok"})");
  // Half-configured TLS is refused.
  options.tls_key.clear();
  CHECK_FALSE(server::Server::Start(options).has_value());
}

}  // namespace
