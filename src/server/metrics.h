// Counters of `medaudit serve`, rendered in the Prometheus text format (GET /metrics):
// requests by route and status, latency histograms by route, verdicts, findings by category,
// check input errors by code, connections and audits. Thread-safe: the hot path only touches
// relaxed atomics; categories and error codes (open sets) go through a mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "rules/engine.h"
#include "server/routes.h"

namespace medaudit::server {

class Metrics {
 public:
  static constexpr size_t kRouteSlots = static_cast<size_t>(RouteId::kCount) + 1;  // + unmatched
  static constexpr std::array<int, 13> kStatuses = {200, 202, 400, 401, 403, 404, 405,
                                                    413, 415, 429, 500, 503, 0 /*other*/};
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30};

  // route: nullptr for a request that matched no route.
  void RecordRequest(const Route* route, int status, double seconds);
  void RecordCheck(const rules::CheckResult& result);
  void RecordCheckError(std::string_view code);
  void RecordReload(bool ok);

  std::atomic<int64_t> connections_open{0};
  std::atomic<uint64_t> connections_total{0};
  std::atomic<uint64_t> connections_rejected{0};  // over the connection cap
  std::atomic<uint64_t> timeouts{0};              // header/body/write timeouts
  std::atomic<uint64_t> protocol_errors{0};       // unparsable HTTP
  std::atomic<int64_t> audits_active{0};

  std::string Render() const;

 private:
  struct RouteCounters {
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> micros_sum{0};
  };
  std::array<RouteCounters, kRouteSlots> routes_{};
  std::array<std::atomic<uint64_t>, 3> verdicts_{};
  std::atomic<uint64_t> reloads_ok_{0}, reloads_failed_{0};
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t, std::less<>> findings_by_category_;
  std::map<std::string, uint64_t, std::less<>> check_errors_;
};

}  // namespace medaudit::server
