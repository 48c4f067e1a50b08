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

// Adds one to counts[key], looking it up without building a std::string when it is there.
void Increment(std::map<std::string, uint64_t, std::less<>>& counts, std::string_view key) {
  auto it = counts.find(key);
  if (it == counts.end()) {
    counts.emplace(std::string(key), 1);
  } else {
    ++it->second;
  }
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
  for (auto category : categories) Increment(findings_by_category_, category);
}

void Metrics::RecordCheckError(std::string_view code) {
  std::lock_guard lock(mutex_);
  Increment(check_errors_, code);
}

void Metrics::RecordReload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, kRelaxed); }

std::string Metrics::Render() const {
  std::string out;
  auto line = [&out](std::string_view format, const auto&... args) {
    fmt::format_to(std::back_inserter(out), fmt::runtime(format), args...);
    out.push_back('\n');
  };
  // The "# HELP" (when there is one) and "# TYPE" lines that open a metric family.
  auto family = [&line](std::string_view name, std::string_view type, std::string_view help = {}) {
    if (!help.empty()) line("# HELP {} {}", name, help);
    line("# TYPE {} {}", name, type);
  };
  // A counter family with one label, one sample per entry of a value -> count map.
  auto counters = [&](std::string_view name, std::string_view help, std::string_view label,
                      const auto& counts) {
    family(name, "counter", help);
    for (const auto& [value, n] : counts) {
      line("{}{{{}=\"{}\"}} {}", name, label, Escape(value), n);
    }
  };
  // A family of one unlabelled sample.
  auto single = [&](std::string_view name, std::string_view type, const auto& value) {
    family(name, type);
    line("{} {}", name, value.load(kRelaxed));
  };

  family("medaudit_http_requests_total", "counter", "HTTP requests by route and status.");
  for (size_t r = 0; r < kRouteSlots; ++r) {
    for (size_t s = 0; s < kStatuses.size(); ++s) {
      const uint64_t n = routes_[r].by_status[s].load(kRelaxed);
      if (n == 0) continue;
      const std::string status = kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      line("medaudit_http_requests_total{{route=\"{}\",status=\"{}\"}} {}", RouteLabel(r), status,
           n);
    }
  }
  constexpr std::string_view kDuration = "medaudit_http_request_duration_seconds";
  family(kDuration, "histogram", "Time from request header to response.");
  for (size_t r = 0; r < kRouteSlots; ++r) {
    uint64_t total = 0;
    for (const auto& bucket : routes_[r].buckets) total += bucket.load(kRelaxed);
    if (total == 0) continue;  // keep the page short: routes never called are left out
    const std::string_view route = RouteLabel(r);
    // One line of the route's histogram: "<name><suffix>{route="..."<extra>} <value>".
    auto sample = [&](std::string_view suffix, std::string_view extra, const auto& value) {
      line("{}{}{{route=\"{}\"{}}} {}", kDuration, suffix, route, extra, value);
    };
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += routes_[r].buckets[b].load(kRelaxed);
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      sample("_bucket", fmt::format(",le=\"{}\"", le), cumulative);
    }
    sample("_sum", "", fmt::format("{:.6f}", routes_[r].micros_sum.load(kRelaxed) / 1e6));
    sample("_count", "", cumulative);
  }
  family("medaudit_verdicts_total", "counter", "Checked answers by verdict.");
  for (auto v : {rules::Verdict::kAllow, rules::Verdict::kFlag, rules::Verdict::kBlock}) {
    line("medaudit_verdicts_total{{verdict=\"{}\"}} {}", rules::VerdictName(v),
         verdicts_[static_cast<size_t>(v)].load(kRelaxed));
  }
  {
    std::lock_guard lock(mutex_);
    counters("medaudit_findings_total", "Checked answers with a finding, by category.", "category",
             findings_by_category_);
    counters("medaudit_check_errors_total", "Check inputs refused, by error code.", "code",
             check_errors_);
  }
  single("medaudit_connections_open", "gauge", connections_open);
  single("medaudit_connections_total", "counter", connections_total);
  single("medaudit_connections_rejected_total", "counter", connections_rejected);
  single("medaudit_timeouts_total", "counter", timeouts);
  single("medaudit_protocol_errors_total", "counter", protocol_errors);
  single("medaudit_audits_active", "gauge", audits_active);
  family("medaudit_rule_reloads_total", "counter");
  line("medaudit_rule_reloads_total{{result=\"ok\"}} {}", reloads_ok_.load(kRelaxed));
  line("medaudit_rule_reloads_total{{result=\"failed\"}} {}", reloads_failed_.load(kRelaxed));
  return out;
}

}  // namespace medaudit::server
