// libFuzzer target: arbitrary bytes as an HTTP request through the server's request parsing
// (Beast's request_parser with the server's header and body limits), routing and handlers
// (server::HandleBeastRequest, no sockets), with the shipped rules, no tokens and no audit store.
// Properties: an input the parser accepts gets a response whose status is one the API documents;
// every 4xx/5xx body is JSON {"error": {"code": string, "message": string}} (the check routes may
// add "id"); every body that claims application/json parses WITH UTF-8 validation; the response
// carries X-Request-Id and a Content-Length equal to the body size.
#include <rapidjson/document.h>
#include <rapidjson/encodings.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>

#include "fuzz_util.h"
#include "server/http_glue.h"
#include "server/service.h"

namespace {

using namespace medaudit;
namespace http = boost::beast::http;

std::unique_ptr<server::Service>& TheService() {
  static std::unique_ptr<server::Service> service;
  return service;
}

bool ParsesStrictly(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  return !doc.HasParseError();
}

void CheckErrorBody(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  FUZZ_CHECK(!doc.HasParseError());
  FUZZ_CHECK(doc.IsObject());
  auto error = doc.FindMember("error");
  FUZZ_CHECK(error != doc.MemberEnd() && error->value.IsObject());
  auto code = error->value.FindMember("code");
  auto message = error->value.FindMember("message");
  FUZZ_CHECK(code != error->value.MemberEnd() && code->value.IsString());
  FUZZ_CHECK(code->value.GetStringLength() > 0);
  FUZZ_CHECK(message != error->value.MemberEnd() && message->value.IsString());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  server::ServerOptions options;
  options.engine_options.rules_dir = std::string(MEDAUDIT_SOURCE_DIR) + "/rules";
  if (const char* cache = std::getenv("MEDAUDIT_CACHE_DIR"))
    options.engine_options.cache_dir = cache;
  auto service = server::Service::Create(options);
  if (!service) {
    std::fprintf(stderr, "cannot start the service: %s\n", service.error().ToString().c_str());
    std::abort();
  }
  TheService() = std::move(*service);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::set<int> kStatuses = {200, 202, 400, 401, 403, 404,
                                          405, 413, 415, 429, 500, 503};
  server::Service& service = *TheService();
  const server::Limits& limits = service.options().limits;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_check_body);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;  // the transport answers these with 400/413 or closes

  const auto response = server::HandleBeastRequest(service, parser.get(), "fuzz-1");
  const int status = response.result_int();
  FUZZ_CHECK(kStatuses.count(status) == 1);
  FUZZ_CHECK(response["X-Request-Id"] == "fuzz-1");
  FUZZ_CHECK(response["Content-Length"] == std::to_string(response.body().size()));
  const bool json = response[http::field::content_type].starts_with("application/json");
  if (status >= 400) {
    FUZZ_CHECK(json);
    CheckErrorBody(response.body());
  } else if (json) {
    FUZZ_CHECK(ParsesStrictly(response.body()));
  }
  return 0;
}
