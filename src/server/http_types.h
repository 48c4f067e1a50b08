// Plain HTTP request/response values between the transport (server.cc, http_glue.cc: Beast) and
// the handlers (service.cc): the handlers never see Beast, so they compile fast and can be driven
// by tests and the fuzzer without sockets. A request's views point into the transport's message
// and are valid only while the handler runs.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medaudit::server {

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ... as sent
  std::string_view target;  // origin-form: path and optional "?query"
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;
  std::string request_id;  // assigned by the transport (X-Request-Id)

  // First header with this (case-insensitive) name, or "".
  std::string_view Header(std::string_view name) const;
  std::string_view Path() const;   // target without the query
  std::string_view Query() const;  // after '?', or ""
  // Value of a query parameter (percent-decoded; '+' is a space); empty when absent.
  std::string QueryParam(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  bool close = false;  // close the connection after this response
};

// {"error": {"code": code, "message": message}} with the given status.
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace medaudit::server
