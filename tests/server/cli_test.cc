// The real binary: `serve --host 0.0.0.0` without tokens must refuse to start (exit 2) with a
// message naming --tokens; `serve --hash-token` prints a line the server accepts.
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "server/auth.h"
#include "server_fixture.h"

namespace {

using namespace medaudit;
using namespace medaudit::testing;

// Runs a shell command; returns its exit code and stdout+stderr.
int Run(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output->append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_CASE("serve: the binary refuses a public address without tokens (exit 2)", "[server]") {
  std::string output;
  const int code = Run(std::string(MEDAUDIT_BINARY) + " serve --host 0.0.0.0 --port 0", &output);
  CHECK(code == 2);
  CHECK(output.find("--tokens") != std::string::npos);
  CHECK(output.find("refusing") != std::string::npos);
}

TEST_CASE("serve: --hash-token prints a tokens-file line", "[server]") {
  std::string output;
  const int code = Run("echo my-long-random-token-123 | " + std::string(MEDAUDIT_BINARY) +
                           " serve --hash-token - --scopes check,report --name app",
                       &output);
  REQUIRE(code == 0);
  CHECK(output.find("my-long-random-token") == std::string::npos);
  auto auth = server::Authenticator::Parse(output, "stdout");
  REQUIRE(auth.has_value());
  CHECK(auth->Check("Bearer my-long-random-token-123", server::kScopeReport).status == 200);
  CHECK(auth->Check("Bearer my-long-random-token-123", server::kScopeAdmin).status == 403);

  output.clear();
  CHECK(Run(std::string(MEDAUDIT_BINARY) + " serve --hash-token short --name x", &output) == 2);
  output.clear();
  CHECK(Run(std::string(MEDAUDIT_BINARY) +
                " serve --hash-token my-long-random-token-123 --scopes root --name x",
            &output) == 2);
}

}  // namespace
