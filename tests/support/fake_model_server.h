// A fake OpenAI-compatible chat-completions server for the collect tests and benchmark: a small
// Boost.Beast HTTP/1.1 server (keep-alive) on 127.0.0.1 with an ephemeral port, running on its
// own thread(s) from construction until destruction.
//
// POST <any prefix>/chat/completions answers {"choices":[{"message":{"content": answer}}]}
// where answer = "Answer: " + the last user message, or answer_for(question) when set. Markers
// in the question text select a behaviour (N = count of requests for that question, from 1):
//   [slow:MS]        wait MS milliseconds before answering
//   [429:K:S]        the first K requests get 429 with "Retry-After: S", then a normal answer
//   [500:K]          the first K requests get 500, then a normal answer; [500] always 500
//   [drop:K]         the first K requests: the connection is closed without a response;
//                    [drop] always
//   [malformed]      200 with a body that is not JSON
//   [noanswer]       200 with "content": null
//   [echo-auth]      400 whose body echoes the request's Authorization header (redaction tests)
// TLS mode (tls_cert_pem and tls_key_pem set): the same server behind a TLS handshake
// (Beast ssl_stream); [drop] then closes the TCP connection without a close_notify.
// Requests are counted per question (the user message) so tests can check nothing was asked
// twice. All accessors are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace medaudit::testing {

class FakeModelServer {
 public:
  struct Options {
    int threads = 1;
    int latency_ms = 0;  // added to every answer
    std::function<std::string(const std::string& question)> answer_for;
    // PEM certificate (chain) and private key; both set = TLS mode, both empty = plain HTTP.
    std::string tls_cert_pem;
    std::string tls_key_pem;
  };
  FakeModelServer();
  explicit FakeModelServer(Options options);
  ~FakeModelServer();
  FakeModelServer(const FakeModelServer&) = delete;
  FakeModelServer& operator=(const FakeModelServer&) = delete;

  int port() const;
  bool tls() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>/v1" ("https://..." in TLS mode)

  int64_t RequestsFor(const std::string& question) const;
  std::map<std::string, int64_t> RequestCounts() const;
  int64_t total_requests() const;
  int64_t connections() const;             // TCP connections accepted
  std::string last_authorization() const;  // the Authorization header of the last request
  std::string last_body() const;           // the last request body
  std::string last_header(const std::string& name) const;  // of the last request

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace medaudit::testing
