#include "report/summary.h"

#include <algorithm>
#include <map>
#include <set>

namespace medaudit::report {

int SeverityRank(std::string_view severity) {
  if (severity == "block") return 0;
  if (severity == "harm") return 1;
  if (severity == "warn") return 2;
  if (severity == "info") return 3;
  return 4;
}

bool IsHarmSeverity(std::string_view severity) { return SeverityRank(severity) <= 1; }

std::string OverallVerdict(const audit::AuditResult& result) {
  bool block = result.ai_prescriptions > 0;
  bool flag = result.harm_rate.model.k > 0;
  for (const auto& item : result.item_results) {
    block |= item.verdict == "block";
    flag |= item.verdict == "flag" || item.harmful;
  }
  if (block) return "block";
  if (flag) return "flag";
  return result.items - result.errors > 0 ? "allow" : "none";
}

std::vector<const audit::ItemResult*> InputErrors(const audit::AuditResult& result) {
  std::vector<const audit::ItemResult*> out;
  for (const auto& item : result.item_results) {
    if (!item.error.empty()) out.push_back(&item);
  }
  return out;
}

std::vector<RuleSummary> SummarizeRules(const audit::AuditResult& result) {
  std::map<std::string, RuleSummary> by_id;
  for (const auto& item : result.item_results) {
    std::set<std::string> seen;
    for (const auto& f : item.findings) {
      auto [it, inserted] = by_id.try_emplace(f.rule);
      RuleSummary& rule = it->second;
      if (inserted) {
        rule.id = f.rule;
        rule.category = f.category;
        rule.severity = f.severity;
        rule.message = f.message;
        rule.citation = f.citation;
      }
      ++rule.findings;
      if (seen.insert(f.rule).second) ++rule.answers;
    }
  }
  std::vector<RuleSummary> out;
  for (auto& [id, rule] : by_id) out.push_back(std::move(rule));
  std::stable_sort(out.begin(), out.end(), [](const RuleSummary& a, const RuleSummary& b) {
    const int ra = SeverityRank(a.severity), rb = SeverityRank(b.severity);
    if (ra != rb) return ra < rb;
    if (a.answers != b.answers) return a.answers > b.answers;
    return a.id < b.id;
  });
  return out;
}

std::string WorstSeverity(const audit::ItemResult& item) {
  std::string worst;
  for (const auto& f : item.findings) {
    if (worst.empty() || SeverityRank(f.severity) < SeverityRank(worst)) worst = f.severity;
  }
  return worst;
}

std::vector<size_t> WorstItems(const audit::AuditResult& result) {
  std::vector<size_t> out;
  for (size_t i = 0; i < result.item_results.size(); ++i) {
    if (!result.item_results[i].findings.empty()) out.push_back(i);
  }
  auto harm_count = [&](size_t i) {
    return std::count_if(result.item_results[i].findings.begin(),
                         result.item_results[i].findings.end(),
                         [](const audit::ItemFinding& f) { return IsHarmSeverity(f.severity); });
  };
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) {
    const int ra = SeverityRank(WorstSeverity(result.item_results[a]));
    const int rb = SeverityRank(WorstSeverity(result.item_results[b]));
    if (ra != rb) return ra < rb;
    return harm_count(a) > harm_count(b);
  });
  return out;
}

}  // namespace medaudit::report
