// The request log of `medaudit serve`: one JSON object per line, e.g.
// {"ts":"2026-11-28T19:40:00.123Z","id":"…","method":"POST","path":"/v1/check","status":200,
//  "bytes":312,"micros":87}. The path is logged without its query string; bodies, headers and
// tokens never are. Values from the client are escaped, invalid UTF-8 replaced. Thread-safe.
#pragma once

#include <mutex>
#include <ostream>
#include <string_view>

namespace medaudit::server {

class RequestLog {
 public:
  explicit RequestLog(std::ostream* out) : out_(out) {}
  void Write(std::string_view id, std::string_view method, std::string_view target, int status,
             size_t bytes, int64_t micros);
  // {"ts", "message"}: server events (start, reload, stop).
  void Message(std::string_view message);

 private:
  // Writes one finished JSON object and a newline, whole, under the lock.
  void WriteLine(std::string_view line);

  std::ostream* out_;
  std::mutex mutex_;
};

}  // namespace medaudit::server
