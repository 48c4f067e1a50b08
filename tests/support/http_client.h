// A small blocking HTTP/1.1 client for the server tests and benchmarks (POSIX sockets, no Beast):
// keep-alive requests with Content-Length bodies, plus raw-socket helpers for hostile-input tests
// (send arbitrary bytes, read whatever comes back until the server closes). Every read has a
// timeout, so a test never hangs on a misbehaving server. Not thread-safe per object.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medaudit::testing {

struct HttpResult {
  bool ok = false;    // a complete response was read
  std::string error;  // why not
  int status = 0;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string Header(const std::string& lowercase_name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port, int timeout_ms = 10000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request on the kept-alive connection (connecting when needed) and reads the
  // response. Content-Length is added for a body; Host always.
  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "", const Headers& headers = {});
  // Convenience: POST with Content-Type application/json.
  HttpResult PostJson(const std::string& target, const std::string& body,
                      const Headers& headers = {});
  void Close();

 private:
  std::string host_;
  uint16_t port_;
  int timeout_ms_;
  int fd_ = -1;
  std::string pending_;  // bytes read past the previous response
};

// Raw socket helpers. ConnectTcp returns a connected fd or -1.
int ConnectTcp(const std::string& host, uint16_t port);
bool SendAll(int fd, std::string_view data);
// Reads until the peer closes, an error, or timeout_ms pass; *closed tells whether it closed.
std::string ReadUntilClose(int fd, int timeout_ms, bool* closed = nullptr);
// Reads one response from fd (buffer holds bytes already read); timeout in ms.
HttpResult ReadResponse(int fd, std::string* buffer, int timeout_ms);
// Parses the first complete response in raw (headers + Content-Length body); ok=false when
// incomplete or malformed.
HttpResult ParseResponse(std::string_view raw, size_t* consumed = nullptr);

}  // namespace medaudit::testing
