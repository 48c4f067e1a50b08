#include "server/http_glue.h"

#include <fmt/format.h>

#include <atomic>
#include <boost/beast/http/field.hpp>
#include <random>

namespace medaudit::server {

namespace http = boost::beast::http;

namespace {

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  // A per-process random prefix and a counter: unique, cheap, no lock.
  static const uint64_t prefix = std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{:016x}-{:08x}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

}  // namespace

std::string RequestIdFor(const BeastRequest& request) {
  const auto it = request.find("X-Request-Id");
  if (it != request.end() && ValidRequestId({it->value().data(), it->value().size()})) {
    return std::string(it->value());
  }
  return NewRequestId();
}

BeastResponse ToBeast(HttpResponse response, unsigned version, bool keep_alive,
                      const std::string& request_id) {
  BeastResponse out{static_cast<http::status>(response.status), version};
  out.set(http::field::server, "medaudit/" MEDAUDIT_VERSION);
  out.set(http::field::content_type, response.content_type);
  out.set(http::field::cache_control, "no-store");
  out.set("X-Content-Type-Options", "nosniff");
  out.set("X-Request-Id", request_id);
  for (auto& [name, value] : response.headers) out.set(name, value);
  out.body() = std::move(response.body);
  out.keep_alive(keep_alive && !response.close);
  out.prepare_payload();
  return out;
}

BeastResponse HandleBeastRequest(Service& service, const BeastRequest& request,
                                 const std::string& request_id, const Route** route_out) {
  HttpRequest plain;
  const auto method = request.method_string();
  const auto target = request.target();
  plain.method = {method.data(), method.size()};
  plain.target = {target.data(), target.size()};
  for (const auto& field : request) {
    const auto name = field.name_string();
    const auto value = field.value();
    plain.headers.emplace_back(std::string_view(name.data(), name.size()),
                               std::string_view(value.data(), value.size()));
  }
  plain.body = request.body();
  plain.request_id = request_id;
  return ToBeast(service.Handle(plain, route_out), request.version(), request.keep_alive(),
                 request_id);
}

}  // namespace medaudit::server
