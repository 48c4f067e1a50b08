#include "server/metrics.h"

#include <fmt/format.h>

#include <set>

namespace medaudit::server {

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

std::string_view RouteLabel(size_t slot) {
  return slot < Routes().size() ? Routes()[slot].name : std::string_view("unmatched");
}

// Prometheus label values escape backslash, quote and newline.
std::string Escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c == '\n' ? 'n' : c);
  }
  return out;
}

}  // namespace

void Metrics::RecordRequest(const Route* route, int status, double seconds) {
  RouteCounters& counters =
      routes_[route == nullptr ? kRouteSlots - 1 : static_cast<size_t>(route->id)];
  size_t s = kStatuses.size() - 1;
  for (size_t i = 0; i + 1 < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) s = i;
  }
  counters.by_status[s].fetch_add(1, kRelaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  counters.buckets[b].fetch_add(1, kRelaxed);
  counters.micros_sum.fetch_add(static_cast<uint64_t>(seconds * 1e6), kRelaxed);
}

void Metrics::RecordCheck(const rules::CheckResult& result) {
  verdicts_[static_cast<size_t>(result.verdict)].fetch_add(1, kRelaxed);
  if (result.findings.empty()) return;
  // Count each category once per answer.
  std::set<std::string_view> categories;
  for (const auto& f : result.findings) categories.insert(f.rule->category);
  std::lock_guard lock(mutex_);
  for (auto category : categories) {
    auto it = findings_by_category_.find(category);
    if (it == findings_by_category_.end()) {
      findings_by_category_.emplace(std::string(category), 1);
    } else {
      ++it->second;
    }
  }
}

void Metrics::RecordCheckError(std::string_view code) {
  std::lock_guard lock(mutex_);
  auto it = check_errors_.find(code);
  if (it == check_errors_.end()) {
    check_errors_.emplace(std::string(code), 1);
  } else {
    ++it->second;
  }
}

void Metrics::RecordReload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, kRelaxed); }

std::string Metrics::Render() const {
  std::string out;
  auto line = [&out](std::string_view format, const auto&... args) {
    fmt::format_to(std::back_inserter(out), fmt::runtime(format), args...);
    out.push_back('\n');
  };
  line("# HELP medaudit_http_requests_total HTTP requests by route and status.");
  line("# TYPE medaudit_http_requests_total counter");
  for (size_t r = 0; r < kRouteSlots; ++r) {
    for (size_t s = 0; s < kStatuses.size(); ++s) {
      const uint64_t n = routes_[r].by_status[s].load(kRelaxed);
      if (n == 0) continue;
      const std::string status = kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      line("medaudit_http_requests_total{{route=\"{}\",status=\"{}\"}} {}", RouteLabel(r), status,
           n);
    }
  }
  line("# HELP medaudit_http_request_duration_seconds Time from request header to response.");
  line("# TYPE medaudit_http_request_duration_seconds histogram");
  for (size_t r = 0; r < kRouteSlots; ++r) {
    uint64_t total = 0;
    for (const auto& bucket : routes_[r].buckets) total += bucket.load(kRelaxed);
    if (total == 0) continue;  // keep the page short: routes never called are left out
    uint64_t cumulative = 0;
    std::string label(RouteLabel(r));
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += routes_[r].buckets[b].load(kRelaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      line("medaudit_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}", label, le,
           cumulative);
    }
    line("medaudit_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}", label,
         routes_[r].micros_sum.load(kRelaxed) / 1e6);
    line("medaudit_http_request_duration_seconds_count{{route=\"{}\"}} {}", label, cumulative);
  }
  line("# HELP medaudit_verdicts_total Checked answers by verdict.");
  line("# TYPE medaudit_verdicts_total counter");
  for (auto v : {rules::Verdict::kAllow, rules::Verdict::kFlag, rules::Verdict::kBlock}) {
    line("medaudit_verdicts_total{{verdict=\"{}\"}} {}", rules::VerdictName(v),
         verdicts_[static_cast<size_t>(v)].load(kRelaxed));
  }
  {
    std::lock_guard lock(mutex_);
    line("# HELP medaudit_findings_total Checked answers with a finding, by category.");
    line("# TYPE medaudit_findings_total counter");
    for (const auto& [category, n] : findings_by_category_) {
      line("medaudit_findings_total{{category=\"{}\"}} {}", Escape(category), n);
    }
    line("# HELP medaudit_check_errors_total Check inputs refused, by error code.");
    line("# TYPE medaudit_check_errors_total counter");
    for (const auto& [code, n] : check_errors_) {
      line("medaudit_check_errors_total{{code=\"{}\"}} {}", Escape(code), n);
    }
  }
  line("# TYPE medaudit_connections_open gauge");
  line("medaudit_connections_open {}", connections_open.load(kRelaxed));
  line("# TYPE medaudit_connections_total counter");
  line("medaudit_connections_total {}", connections_total.load(kRelaxed));
  line("# TYPE medaudit_connections_rejected_total counter");
  line("medaudit_connections_rejected_total {}", connections_rejected.load(kRelaxed));
  line("# TYPE medaudit_timeouts_total counter");
  line("medaudit_timeouts_total {}", timeouts.load(kRelaxed));
  line("# TYPE medaudit_protocol_errors_total counter");
  line("medaudit_protocol_errors_total {}", protocol_errors.load(kRelaxed));
  line("# TYPE medaudit_audits_active gauge");
  line("medaudit_audits_active {}", audits_active.load(kRelaxed));
  line("# TYPE medaudit_rule_reloads_total counter");
  line("medaudit_rule_reloads_total{{result=\"ok\"}} {}", reloads_ok_.load(kRelaxed));
  line("medaudit_rule_reloads_total{{result=\"failed\"}} {}", reloads_failed_.load(kRelaxed));
  return out;
}

}  // namespace medaudit::server
