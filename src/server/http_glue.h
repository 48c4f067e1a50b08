// Between Beast messages and the plain request/response of http_types.h: the one function the
// transport and the fuzzer (fuzz/fuzz_http.cc) use to answer a parsed request. Includes Beast's
// message headers: include it only from .cc files that already speak Beast.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "server/http_types.h"
#include "server/routes.h"
#include "server/service.h"

namespace medaudit::server {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The client's X-Request-Id when it is 1-64 characters of [A-Za-z0-9._-], else a fresh one.
std::string RequestIdFor(const BeastRequest& request);

// A response carrying `response`, X-Request-Id, Content-Length, Cache-Control: no-store, and the
// keep-alive decision (off when response.close).
BeastResponse ToBeast(HttpResponse response, unsigned version, bool keep_alive,
                      const std::string& request_id);

// Handles one parsed request end to end (no limits, no timeouts: those are the transport's).
BeastResponse HandleBeastRequest(Service& service, const BeastRequest& request,
                                 const std::string& request_id, const Route** route_out = nullptr);

}  // namespace medaudit::server
