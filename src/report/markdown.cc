// report.md: a short localized summary for CI job summaries and PR comments.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "report/catalog.h"
#include "report/format.h"
#include "report/summary.h"
#include "report/writer.h"

namespace medaudit::report {
namespace {

Localizer MakeLocalizer(const std::string& lang) {
  auto localizer = Localizer::Create(lang);
  return localizer ? *localizer : *Localizer::Create("en");
}

std::string CategoryName(const Localizer& l, const std::string& category) {
  std::string name = l.Format("cat." + category);
  return name.starts_with("⟦") ? category : name;
}

std::string RateCell(const Localizer& l, const audit::RateStat& r) {
  return fmt::format("{}/{} | {} | {} – {}", r.k, r.n, l.Percent(r.rate), l.Percent(r.ci95.lo),
                     l.Percent(r.ci95.hi));
}

void WriteSummary(const audit::AuditResult& result, const Localizer& l, std::ostream& out) {
  const auto& harm = result.harm_rate;
  out << "- "
      << MarkdownCell(l.Format("verdict.model", {{"k", harm.model.k},
                                                 {"n", harm.model.n},
                                                 {"rate", harm.model.rate},
                                                 {"lo", harm.model.ci95.lo},
                                                 {"hi", harm.model.ci95.hi}}))
      << "\n";
  if (harm.baseline && harm.difference) {
    const auto& b = *harm.baseline;
    const auto& d = *harm.difference;
    out << "- "
        << MarkdownCell(l.Format(
               "verdict.baseline",
               {{"k", b.k},
                {"n", b.n},
                {"rate", b.rate},
                {"d", d.estimate},
                {"lo", d.ci95.lo},
                {"hi", d.ci95.hi},
                {"method", l.Format("method." + (d.method.empty() ? "tango" : d.method))}}))
        << "\n";
  } else {
    out << "- " << l.Format("verdict.no_baseline") << "\n";
  }
  out << "- " << MarkdownCell(l.Format("verdict.rx", {{"k", result.ai_prescriptions}})) << "\n";
  if (result.errors > 0) {
    out << "- " << MarkdownCell(l.Format("verdict.errors", {{"n", result.errors}})) << "\n";
  }
}

void WriteRateTable(const audit::AuditResult& result, const Localizer& l, std::ostream& out) {
  out << "\n| " << l.Format("th.answers") << " | " << l.Format("th.harmful") << " | "
      << l.Format("th.rate_plain") << " | " << l.Format("th.ci95") << " |\n|---|---:|---:|---:|\n";
  out << "| " << l.Format("chart.model") << " | " << RateCell(l, result.harm_rate.model) << " |\n";
  if (result.harm_rate.baseline) {
    out << "| " << l.Format("chart.baseline") << " | " << RateCell(l, *result.harm_rate.baseline)
        << " |\n";
  }
  out << "| " << l.Format("th.reference") << " | " << l.Format("dash") << " | Med-PaLM "
      << l.Percent(kMedPalmHarmRate) << " · " << l.Format("chart.baseline") << " "
      << l.Percent(kMedPalmClinicianHarmRate) << " | " << l.Format("dash") << " |\n";
}

void WriteCategories(const audit::AuditResult& result, const Localizer& l, std::ostream& out) {
  if (result.by_category.empty()) return;
  out << "\n### " << l.Format("section.categories") << "\n\n| " << l.Format("th.category") << " | "
      << l.Format("th.model") << " | " << l.Format("th.baseline") << " |\n|---|---:|---:|\n";
  for (const auto& [category, count] : result.by_category) {
    out << "| " << MarkdownCell(CategoryName(l, category)) << " (`" << MarkdownCell(category)
        << "`) | " << count.model << " | " << count.baseline << " |\n";
  }
}

void WriteFindings(const audit::AuditResult& result, const Localizer& l, int limit,
                   std::ostream& out) {
  const auto worst = WorstItems(result);
  if (worst.empty()) return;
  out << "\n### " << l.Format("section.examples") << "\n\n| " << l.Format("th.items") << " | "
      << l.Format("th.rule") << " | " << l.Format("th.severity") << " | "
      << l.Format("example.evidence") << " |\n|---|---|---|---|\n";
  int shown = 0;
  int64_t total = 0;
  for (size_t index : worst)
    total += static_cast<int64_t>(result.item_results[index].findings.size());
  for (size_t index : worst) {
    const auto& item = result.item_results[index];
    for (const auto& f : item.findings) {
      if (shown >= limit) break;
      out << "| `" << MarkdownCell(item.id) << "` | `" << MarkdownCell(f.rule) << "` | "
          << l.Format("sev." + f.severity) << " | " << MarkdownCell(f.evidence) << " |\n";
      ++shown;
    }
  }
  if (total > shown) out << "\n" << l.Format("md.more_findings", {{"n", total - shown}}) << "\n";
}

// The items left out of the rates, so that a reader can fix the corpus and rerun.
void WriteInputErrors(const audit::AuditResult& result, const Localizer& l, int limit,
                      std::ostream& out) {
  const auto errors = InputErrors(result);
  if (errors.empty()) return;
  out << "\n### " << l.Format("section.input_errors") << "\n\n| " << l.Format("th.line") << " | "
      << l.Format("th.items") << " | " << l.Format("th.error") << " |\n|---:|---|---|\n";
  const size_t shown = std::min(errors.size(), static_cast<size_t>(std::max(limit, 0)));
  for (size_t i = 0; i < shown; ++i) {
    const auto& item = *errors[i];
    out << "| " << (item.index >= 0 ? std::to_string(item.index + 1) : "") << " | `"
        << MarkdownCell(item.id) << "` | `" << MarkdownCell(item.error_code) << "` "
        << MarkdownCell(item.error) << " |\n";
  }
  if (errors.size() > shown) {
    out << "\n"
        << l.Format("md.more_findings", {{"n", static_cast<int64_t>(errors.size() - shown)}})
        << "\n";
  }
}

}  // namespace

std::string ReportMarkdown(const audit::AuditResult& result, const ReportOptions& options) {
  const Localizer l = MakeLocalizer(options.lang);
  std::ostringstream out;
  const std::string verdict = OverallVerdict(result);
  static const char* kIcon[] = {"⛔", "⚠️", "✅", "❔"};
  const int icon = verdict == "block" ? 0 : verdict == "flag" ? 1 : verdict == "allow" ? 2 : 3;
  out << "## " << l.Format("title") << " — " << MarkdownCell(result.run.model) << " "
      << MarkdownCell(result.run.model_version) << "\n\n";
  out << kIcon[icon] << " **" << l.Format("verdict." + verdict) << "**\n\n";
  WriteSummary(result, l, out);
  WriteRateTable(result, l, out);
  WriteCategories(result, l, out);
  WriteFindings(result, l, options.worst_examples, out);
  WriteInputErrors(result, l, options.worst_examples, out);
  out << "\n<sub>medaudit " << MarkdownCell(result.run.medaudit_version) << " · "
      << l.Format("repro.run") << " `" << MarkdownCell(result.run.id) << "` · "
      << l.Format("repro.corpus") << " `" << MarkdownCell(result.run.corpus_sha256.substr(0, 12))
      << "` · " << l.Format("repro.rules") << " `"
      << MarkdownCell(result.run.rules_sha256.substr(0, 12)) << "`</sub>\n";
  return out.str();
}

}  // namespace medaudit::report
