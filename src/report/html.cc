// report.html: one self-contained, printable, localized page (inline CSS and SVG; no scripts,
// no fonts or images from the network; a Content-Security-Policy forbids any fetch).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "base/json.h"
#include "report/catalog.h"
#include "report/format.h"
#include "report/summary.h"
#include "report/writer.h"

namespace medaudit::report {
namespace {

constexpr const char* kStyle = R"css(
:root{--ink:#1b1f24;--muted:#5b6570;--line:#d0d7de;--bg:#ffffff;--soft:#f6f8fa;
--block:#b42318;--harm:#c4320a;--warn:#b54708;--info:#175cd3;--ok:#067647;--model:#3056d3;--base:#7a5af8}
*{box-sizing:border-box}
html{font-family:"Noto Sans","Noto Sans CJK SC","Noto Sans Arabic","Noto Naskh Arabic",system-ui,
"PingFang SC","Microsoft YaHei",Tahoma,Arial,sans-serif;color:var(--ink);background:var(--bg);
line-height:1.5;font-size:15px}
body{max-width:980px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:1.7rem;margin:0 0 4px}h2{font-size:1.25rem;margin:28px 0 10px;padding-bottom:4px;
border-bottom:2px solid var(--line)}h3{font-size:1.02rem;margin:14px 0 6px}
.subtitle,.muted,figcaption,.note{color:var(--muted)}figcaption,.note{font-size:.88rem}
nav ol{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;margin:8px 0 0;list-style:none;
font-size:.9rem}nav a{color:var(--info);text-decoration:none}
.verdict{border:2px solid var(--line);border-inline-start-width:10px;border-radius:8px;
padding:12px 18px;margin:18px 0;background:var(--soft)}
.verdict p.headline{font-size:1.2rem;font-weight:700;margin:4px 0 8px}
.verdict-block{border-color:var(--block)}.verdict-block .headline{color:var(--block)}
.verdict-flag{border-color:var(--warn)}.verdict-flag .headline{color:var(--warn)}
.verdict-allow{border-color:var(--ok)}.verdict-allow .headline{color:var(--ok)}
.verdict-none{border-color:var(--warn)}.verdict-none .headline{color:var(--warn)}
.verdict ul{margin:0;padding-inline-start:20px}
table{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:.92rem}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:start;vertical-align:top}
th{background:var(--soft);font-weight:600}td.num,th.num{text-align:end;
font-variant-numeric:tabular-nums;white-space:nowrap}
code,.hash{font-family:"Noto Sans Mono","DejaVu Sans Mono",Consolas,monospace;font-size:.85em;
overflow-wrap:anywhere}
.big{font-size:2.2rem;font-weight:700;line-height:1.1}
.rx-count{display:flex;align-items:baseline;gap:12px}
.bad{color:var(--block)}.good{color:var(--ok)}
blockquote{margin:8px 0;padding:8px 14px;border-inline-start:4px solid var(--line);
background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere}
blockquote.rule{font-size:1.02rem}
mark{background:#ffe08a;color:inherit;padding:0 1px;border-radius:2px}
mark.sev-block,mark.sev-harm{background:#fecdca;outline:1px solid var(--block)}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.78rem;font-weight:700;
color:#fff;background:var(--muted);vertical-align:middle}
.sev-block.badge{background:var(--block)}.sev-harm.badge{background:var(--harm)}
.sev-warn.badge{background:var(--warn)}.sev-info.badge{background:var(--info)}
.example{border:1px solid var(--line);border-radius:8px;padding:4px 14px 10px;margin:12px 0}
.example ul{padding-inline-start:20px;margin:6px 0}
.chart{width:100%;height:auto;max-width:900px;display:block}
.chart text{font-size:12px;fill:var(--ink)}.chart .tick{fill:var(--muted)}
dl.repro{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;font-size:.9rem}
dl.repro dt{font-weight:600}dl.repro dd{margin:0;overflow-wrap:anywhere}
footer{margin-top:32px;font-size:.82rem;color:var(--muted)}
@page{size:A4;margin:14mm 12mm}
@media print{html{font-size:11pt}body{max-width:none;padding:0}nav{display:none}
section,.example,table,figure,.verdict,blockquote{break-inside:avoid}
h2,h3{break-after:avoid}#examples,#method{break-before:page}a{color:inherit;text-decoration:none}
.verdict,th,mark,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
)css";

class Page {
 public:
  Page(const audit::AuditResult& result, const Localizer& l, const ReportOptions& options)
      : r_(result), l_(l), options_(options) {}

  std::string Render() {
    Head();
    out_ << "<body>\n";
    Header();
    Verdict();
    HarmSection();
    RxSection();
    CategorySection();
    LanguageSection();
    RulesSection();
    ExamplesSection();
    InputErrorsSection();
    AgreementSection();
    MethodSection();
    ReproSection();
    out_ << "<footer>" << T("footer", {{"version", Version()}}) << "</footer>\n";
    out_ << "</body>\n</html>\n";
    return out_.str();
  }

 private:
  std::string T(std::string_view id, const MessageArgs& args = {}) const {
    return HtmlEscape(l_.Format(id, args));
  }
  std::string Version() const {
    return r_.run.medaudit_version.empty() ? MEDAUDIT_VERSION : r_.run.medaudit_version;
  }

  // A number shown to people and its machine value (the same text as in report.json).
  std::string Metric(std::string_view pointer, std::string_view value,
                     std::string_view display) const {
    return fmt::format("<span data-metric=\"{}\" data-value=\"{}\">{}</span>", HtmlEscape(pointer),
                       HtmlEscape(value), HtmlEscape(display));
  }
  std::string IntMetric(std::string_view pointer, int64_t value) const {
    return Metric(pointer, std::to_string(value), l_.Integer(value));
  }
  std::string RateMetric(std::string_view pointer, double value) const {
    return Metric(pointer, FixedNumber(value), l_.Percent(value));
  }
  std::string SignedMetric(std::string_view pointer, double value) const {
    return Metric(pointer, FixedNumber(value), l_.SignedPercent(value));
  }
  std::string DecimalMetric(std::string_view pointer, double value, int decimals) const {
    const std::string display = std::isfinite(value) ? FixedNumber(value, decimals) : "—";
    return Metric(pointer, FixedNumber(value), display);
  }

  std::string CategoryName(const std::string& category) const {
    std::string name = l_.Format("cat." + category);
    return name.starts_with("⟦") ? category : name;
  }
  std::string LanguageName(const std::string& lang) const {
    std::string name = l_.Format("lang." + lang);
    return name.starts_with("⟦") ? (lang.empty() ? l_.Format("lang.unknown") : lang) : name;
  }
  std::string SeverityBadge(const std::string& severity) const {
    std::string name = l_.Format("sev." + severity);
    if (name.starts_with("⟦")) name = severity;
    return fmt::format("<span class=\"badge sev-{}\">{}</span>", HtmlEscape(severity),
                       HtmlEscape(name));
  }

  void Head() {
    out_ << "<!DOCTYPE html>\n<html lang=\"" << l_.lang() << "\" dir=\""
         << (l_.rtl() ? "rtl" : "ltr") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<meta name=\"generator\" content=\"medaudit " << HtmlEscape(Version()) << "\">\n"
         << "<title>" << T("title") << " — " << HtmlEscape(r_.run.model) << " "
         << HtmlEscape(r_.run.id) << "</title>\n<style>" << kStyle << "</style>\n</head>\n";
  }

  void Header() {
    out_ << "<header>\n<h1>" << T("title") << "</h1>\n<p class=\"subtitle\">"
         << T("subtitle",
              {{"model", r_.run.model},
               {"version", r_.run.model_version},
               {"n", r_.items},
               {"date", l_.Date(r_.run.finished.empty() ? r_.run.started : r_.run.finished)}})
         << "</p>\n<nav aria-label=\"" << T("nav.label") << "\"><ol>";
    const char* sections[][2] = {{"verdict", "verdict.heading"},
                                 {"harm", "section.harm"},
                                 {"rx", "section.rx"},
                                 {"categories", "section.categories"},
                                 {"languages", "section.languages"},
                                 {"rules", "section.rules"},
                                 {"examples", "section.examples"},
                                 {"method", "section.method"},
                                 {"repro", "section.repro"}};
    for (const auto& s : sections) {
      out_ << "<li><a href=\"#" << s[0] << "\">" << T(s[1]) << "</a></li>";
    }
    out_ << "</ol></nav>\n</header>\n";
  }

  void Verdict() {
    const std::string verdict = OverallVerdict(r_);
    const auto& m = r_.harm_rate.model;
    out_ << "<section id=\"verdict\" class=\"verdict verdict-" << verdict << "\">\n<h2>"
         << T("verdict.heading") << "</h2>\n<p class=\"headline\" data-verdict=\"" << verdict
         << "\">" << T("verdict." + verdict) << "</p>\n<ul>\n<li>"
         << T("verdict.model",
              {{"k", m.k}, {"n", m.n}, {"rate", m.rate}, {"lo", m.ci95.lo}, {"hi", m.ci95.hi}})
         << "</li>\n";
    if (r_.harm_rate.baseline && r_.harm_rate.difference) {
      const auto& b = *r_.harm_rate.baseline;
      const auto& d = *r_.harm_rate.difference;
      out_ << "<li>"
           << T("verdict.baseline", {{"k", b.k},
                                     {"n", b.n},
                                     {"rate", b.rate},
                                     {"d", d.estimate},
                                     {"lo", d.ci95.lo},
                                     {"hi", d.ci95.hi},
                                     {"method", MethodName(d.method)}})
           << "</li>\n";
    } else {
      out_ << "<li>" << T("verdict.no_baseline") << "</li>\n";
    }
    out_ << "<li>" << T("verdict.rx", {{"k", r_.ai_prescriptions}}) << "</li>\n";
    if (r_.errors > 0) out_ << "<li>" << T("verdict.errors", {{"n", r_.errors}}) << "</li>\n";
    out_ << "</ul>\n</section>\n";
  }

  std::string MethodName(const std::string& method) const {
    std::string name = l_.Format("method." + (method.empty() ? std::string("tango") : method));
    return name.starts_with("⟦") ? method : name;
  }

  // Horizontal interval chart: one row per arm, a bar to the rate, whiskers to the 95% limits,
  // dashed reference lines at the Med-PaLM figures.
  void Chart() {
    struct Row {
      std::string label;
      const audit::RateStat* stat;
      const char* color;
    };
    std::vector<Row> rows{{l_.Format("chart.model"), &r_.harm_rate.model, "var(--model)"}};
    if (r_.harm_rate.baseline) {
      rows.push_back({l_.Format("chart.baseline"), &*r_.harm_rate.baseline, "var(--base)"});
    }
    double top = kMedPalmHarmRate;
    for (const auto& row : rows)
      top = std::max(top, std::isfinite(row.stat->ci95.hi) ? row.stat->ci95.hi : 0);
    const double step = top <= 0.1 ? 0.02 : top <= 0.25 ? 0.05 : 0.1;
    const double axis_max = std::min(1.0, std::ceil(top * 1.1 / step) * step);
    const int left = 170, right = 30, width = 760, row_h = 46, top_pad = 34;
    const int plot_w = width - left - right;
    const int height = top_pad + row_h * static_cast<int>(rows.size()) + 48;
    auto x = [&](double v) {
      return left + plot_w * std::clamp(std::isfinite(v) ? v : 0.0, 0.0, axis_max) / axis_max;
    };
    out_ << fmt::format(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
        "direction=\"ltr\" aria-label=\"{}\">\n<title>{}</title>\n",
        width, height, width, height, T("chart.title"), T("chart.title"));
    const int axis_y = top_pad + row_h * static_cast<int>(rows.size());
    for (double t = 0; t <= axis_max + 1e-9; t += step) {
      out_ << fmt::format(
          "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#e5e7eb\"/>"
          "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
          x(t), top_pad - 6, axis_y, axis_y + 16, HtmlEscape(l_.Percent(t, 0)));
    }
    out_ << fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#57606a\"/>\n",
                        left, left + plot_w, axis_y, axis_y);
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& s = *rows[i].stat;
      const double cy = top_pad + row_h * static_cast<double>(i) + row_h / 2.0;
      out_ << fmt::format(
          "<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n"
          "<rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"18\" fill=\"{}\" "
          "fill-opacity=\"0.35\"/>\n"
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
          "stroke-width=\"2\"/>\n"
          "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
          "stroke-width=\"2\"/><line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
          "stroke=\"{}\" stroke-width=\"2\"/>\n"
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"5\" fill=\"{}\"/>\n",
          left - 10, cy, HtmlEscape(rows[i].label), left, cy - 9, x(s.rate) - left, rows[i].color,
          x(s.ci95.lo), x(s.ci95.hi), cy, cy, rows[i].color, x(s.ci95.lo), x(s.ci95.lo), cy - 8,
          cy + 8, rows[i].color, x(s.ci95.hi), x(s.ci95.hi), cy - 8, cy + 8, rows[i].color,
          x(s.rate), cy, rows[i].color);
    }
    // Reference lines: Med-PaLM labelled above the plot, clinicians below the axis.
    out_ << fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#b42318\" "
        "stroke-dasharray=\"5 4\"/><text x=\"{0:.1f}\" y=\"{3}\" "
        "text-anchor=\"middle\">{4}</text>\n"
        "<line x1=\"{5:.1f}\" x2=\"{5:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#067647\" "
        "stroke-dasharray=\"2 3\"/><text x=\"{5:.1f}\" y=\"{6}\" "
        "text-anchor=\"middle\">{7}</text>\n",
        x(kMedPalmHarmRate), top_pad - 4, axis_y, top_pad - 18,
        T("chart.ref_medpalm", {{"rate", kMedPalmHarmRate}}), x(kMedPalmClinicianHarmRate),
        axis_y + 34, T("chart.ref_clinicians", {{"rate", kMedPalmClinicianHarmRate}}));
    out_ << "</svg>\n";
  }

  void RateRow(const std::string& label, const std::string& pointer, const audit::RateStat& s) {
    out_ << "<tr><th scope=\"row\">" << HtmlEscape(label) << "</th><td class=\"num\">"
         << IntMetric(pointer + "/k", s.k) << "</td><td class=\"num\">"
         << IntMetric(pointer + "/n", s.n) << "</td><td class=\"num\">"
         << RateMetric(pointer + "/rate", s.rate) << "</td><td class=\"num\">"
         << RateMetric(pointer + "/ci95/0", s.ci95.lo) << " – "
         << RateMetric(pointer + "/ci95/1", s.ci95.hi) << "</td></tr>\n";
  }

  void HarmSection() {
    out_ << "<section id=\"harm\">\n<h2>" << T("section.harm") << "</h2>\n<figure>\n";
    Chart();
    out_ << "<figcaption>"
         << T("chart.caption",
              {{"medpalm", kMedPalmHarmRate}, {"clinicians", kMedPalmClinicianHarmRate}})
         << "</figcaption>\n</figure>\n<table>\n<thead><tr><th>" << T("th.answers")
         << "</th><th class=\"num\">" << T("th.harmful") << "</th><th class=\"num\">"
         << T("th.items") << "</th><th class=\"num\">" << T("th.rate_plain")
         << "</th><th class=\"num\">" << T("th.ci95") << "</th></tr></thead>\n<tbody>\n";
    RateRow(l_.Format("chart.model"), "/harm_rate/model", r_.harm_rate.model);
    if (r_.harm_rate.baseline) {
      RateRow(l_.Format("chart.baseline"), "/harm_rate/baseline", *r_.harm_rate.baseline);
    }
    if (r_.harm_rate.difference) {
      const auto& d = *r_.harm_rate.difference;
      out_ << "<tr><th scope=\"row\">" << T("chart.model") << " − " << T("chart.baseline")
           << "<br><span class=\"note\">" << HtmlEscape(MethodName(d.method))
           << "; McNemar p = " << DecimalMetric("/harm_rate/difference/mcnemar_p", d.mcnemar_p, 4)
           << "; b = " << IntMetric("/harm_rate/difference/b", d.b)
           << ", c = " << IntMetric("/harm_rate/difference/c", d.c)
           << "</span></th><td class=\"num\"></td><td class=\"num\"></td><td class=\"num\">"
           << SignedMetric("/harm_rate/difference/estimate", d.estimate)
           << "</td><td class=\"num\">" << SignedMetric("/harm_rate/difference/ci95/0", d.ci95.lo)
           << " – " << SignedMetric("/harm_rate/difference/ci95/1", d.ci95.hi) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  void RxSection() {
    out_ << "<section id=\"rx\">\n<h2>" << T("section.rx") << "</h2>\n<div class=\"rx-count\">"
         << "<span class=\"big " << (r_.ai_prescriptions > 0 ? "bad" : "good") << "\">"
         << IntMetric("/ai_prescriptions", r_.ai_prescriptions) << "</span><span>" << T("rx.count")
         << "</span></div>\n<p>" << T("verdict.rx", {{"k", r_.ai_prescriptions}})
         << "</p>\n<blockquote class=\"rule\" lang=\"zh\" dir=\"ltr\">"
            "「处方应由接诊医师本人开具，经药师审核合格后方可生效，严禁使用人工智能等自动生成处方。"
            "」"
            "</blockquote>\n";
    if (l_.lang() != "zh") out_ << "<p>" << T("rx.rule") << "</p>\n";
    out_ << "<ul>\n<li>" << T("rx.source_bj") << "</li>\n<li>" << T("rx.source_nhc")
         << "</li>\n</ul>\n";
    std::set<std::string> citations;
    for (const auto& item : r_.item_results) {
      for (const auto& f : item.findings) {
        if (f.category == "ai_prescription" && !f.citation.empty()) citations.insert(f.citation);
      }
    }
    if (!citations.empty()) {
      out_ << "<p class=\"note\">" << T("th.citation") << ":</p>\n<ul class=\"note\">\n";
      for (const auto& c : citations) out_ << "<li>" << HtmlEscape(c) << "</li>\n";
      out_ << "</ul>\n";
    }
    out_ << "</section>\n";
  }

  void CategorySection() {
    out_ << "<section id=\"categories\">\n<h2>" << T("section.categories") << "</h2>\n";
    if (r_.by_category.empty()) {
      out_ << "<p>" << T("table.empty") << "</p>\n</section>\n";
      return;
    }
    out_ << "<table>\n<thead><tr><th>" << T("th.category") << "</th><th class=\"num\">"
         << T("th.model") << "</th><th class=\"num\">" << T("th.baseline")
         << "</th></tr></thead>\n<tbody>\n";
    for (const auto& [category, count] : r_.by_category) {
      const std::string p = json::Pointer("/by_category", category);
      out_ << "<tr><td>" << HtmlEscape(CategoryName(category)) << " <code>" << HtmlEscape(category)
           << "</code></td><td class=\"num\">" << IntMetric(p + "/model", count.model)
           << "</td><td class=\"num\">" << IntMetric(p + "/baseline", count.baseline)
           << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n<p class=\"note\">" << T("table.note_counts")
         << "</p>\n</section>\n";
  }

  void LanguageSection() {
    out_ << "<section id=\"languages\">\n<h2>" << T("section.languages") << "</h2>\n";
    std::set<std::string> langs;
    for (const auto& [lang, n] : r_.items_by_language) langs.insert(lang);
    for (const auto& [lang, c] : r_.by_language) langs.insert(lang);
    if (langs.empty()) {
      out_ << "<p>" << T("table.empty") << "</p>\n</section>\n";
      return;
    }
    out_ << "<table>\n<thead><tr><th>" << T("th.language") << "</th><th class=\"num\">"
         << T("th.items") << "</th><th class=\"num\">" << T("th.harmful_model")
         << "</th><th class=\"num\">" << T("th.harmful_baseline") << "</th><th class=\"num\">"
         << T("th.rate") << "</th></tr></thead>\n<tbody>\n";
    for (const auto& lang : langs) {
      const std::string p = json::Pointer("/by_language", lang);
      auto items_it = r_.items_by_language.find(lang);
      const int64_t items = items_it == r_.items_by_language.end() ? 0 : items_it->second;
      auto count_it = r_.by_language.find(lang);
      const audit::CategoryCount count =
          count_it == r_.by_language.end() ? audit::CategoryCount{} : count_it->second;
      const double rate = items > 0 ? static_cast<double>(count.model) / items : NAN;
      out_ << "<tr><td>" << HtmlEscape(LanguageName(lang)) << " <code>" << HtmlEscape(lang)
           << "</code></td><td class=\"num\">" << IntMetric(p + "/items", items)
           << "</td><td class=\"num\">" << IntMetric(p + "/model", count.model)
           << "</td><td class=\"num\">" << IntMetric(p + "/baseline", count.baseline)
           << "</td><td class=\"num\">" << HtmlEscape(l_.Percent(rate)) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  void RulesSection() {
    out_ << "<section id=\"rules\">\n<h2>" << T("section.rules") << "</h2>\n";
    const auto rules = SummarizeRules(r_);
    if (rules.empty()) {
      const bool summarised = r_.item_results.empty() && r_.harm_rate.model.k > 0;
      out_ << "<p>" << T(summarised ? "rules.summarised" : "rules.none") << "</p>\n</section>\n";
      return;
    }
    out_ << "<table>\n<thead><tr><th>" << T("th.rule") << "</th><th>" << T("th.severity")
         << "</th><th class=\"num\">" << T("th.answers") << "</th><th>" << T("th.citation")
         << "</th></tr></thead>\n<tbody>\n";
    for (const auto& rule : rules) {
      out_ << "<tr><td><code>" << HtmlEscape(rule.id) << "</code><br><span dir=\"auto\">"
           << HtmlEscape(rule.message) << "</span></td><td>" << SeverityBadge(rule.severity)
           << "</td><td class=\"num\">" << HtmlEscape(l_.Integer(rule.answers))
           << "</td><td dir=\"auto\">" << HtmlEscape(rule.citation) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  // The answer with every finding's byte span wrapped in <mark>; spans are widened to UTF-8
  // character boundaries and clipped to the text. Empty when no span fits the text.
  static std::string Highlight(const audit::ItemResult& item) {
    const std::string& text = item.answer;
    if (text.empty()) return {};
    auto is_boundary = [&](size_t i) {
      return i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    };
    std::vector<int> rank(text.size() + 1, 99);  // worst severity covering each byte
    bool any = false;
    for (const auto& f : item.findings) {
      size_t b = std::min<size_t>(f.begin, text.size());
      size_t e = std::min<size_t>(f.end, text.size());
      if (b >= e) continue;
      while (b > 0 && !is_boundary(b)) --b;
      while (e < text.size() && !is_boundary(e)) ++e;
      for (size_t i = b; i < e; ++i) rank[i] = std::min(rank[i], SeverityRank(f.severity));
      any = true;
    }
    if (!any) return {};
    static const char* kNames[] = {"block", "harm", "warn", "info", "other"};
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      size_t j = i;
      while (j < text.size() && rank[j] == rank[i]) ++j;
      const std::string piece = HtmlEscape(ValidUtf8(std::string_view(text).substr(i, j - i)));
      if (rank[i] == 99) {
        out += piece;
      } else {
        out += fmt::format("<mark class=\"sev-{}\">{}</mark>", kNames[std::min(rank[i], 4)], piece);
      }
      i = j;
    }
    return out;
  }

  void Example(const audit::ItemResult& item) {
    out_ << "<article class=\"example\" data-item=\"" << HtmlEscape(item.id) << "\">\n<h3>"
         << T("example.item", {{"id", item.id}}) << " " << SeverityBadge(WorstSeverity(item))
         << " <span class=\"muted\">"
         << T("verdict.name." + (item.verdict.empty() ? std::string("flag") : item.verdict))
         << "</span></h3>\n";
    const std::string lang_attr =
        item.lang.empty() ? "" : " lang=\"" + HtmlEscape(item.lang) + "\"";
    if (!item.question.empty()) {
      out_ << "<p><strong>" << T("example.question") << ":</strong> <span dir=\"auto\"" << lang_attr
           << ">" << HtmlEscape(ValidUtf8(item.question)) << "</span></p>\n";
    }
    const std::string highlighted = Highlight(item);
    if (!highlighted.empty()) {
      out_ << "<p><strong>" << T("example.answer") << ":</strong></p>\n<blockquote dir=\"auto\""
           << lang_attr << ">" << highlighted << "</blockquote>\n";
    }
    out_ << "<ul>\n";
    for (const auto& f : item.findings) {
      out_ << "<li>" << SeverityBadge(f.severity) << " <code>" << HtmlEscape(f.rule)
           << "</code> — <span dir=\"auto\">" << HtmlEscape(f.message) << "</span><br>"
           << T("example.evidence") << ": <mark class=\"sev-" << HtmlEscape(f.severity)
           << "\" dir=\"auto\"" << lang_attr << ">" << HtmlEscape(ValidUtf8(f.evidence))
           << "</mark> <span class=\"note\">[" << f.begin << ", " << f.end << ")</span><br>"
           << "<span class=\"note\" dir=\"auto\">" << HtmlEscape(f.citation) << "</span></li>\n";
    }
    out_ << "</ul>\n</article>\n";
  }

  void ExamplesSection() {
    out_ << "<section id=\"examples\">\n<h2>" << T("section.examples") << "</h2>\n";
    const auto worst = WorstItems(r_);
    if (worst.empty()) {
      const bool summarised = r_.item_results.empty() && r_.harm_rate.model.k > 0;
      out_ << "<p>" << T(summarised ? "rules.summarised" : "example.none") << "</p>\n";
    }
    const size_t shown =
        std::min(worst.size(), static_cast<size_t>(std::max(0, options_.worst_examples)));
    for (size_t i = 0; i < shown; ++i) Example(r_.item_results[worst[i]]);
    if (worst.size() > shown) {
      out_ << "<p class=\"note\">"
           << T("example.more", {{"n", static_cast<int64_t>(worst.size() - shown)}}) << "</p>\n";
    }
    out_ << "</section>\n";
  }

  // Items left out of the rates (input errors), so that the corpus can be fixed and rerun.
  void InputErrorsSection() {
    const auto errors = InputErrors(r_);
    if (errors.empty()) return;
    out_ << "<section id=\"input-errors\">\n<h2>" << T("section.input_errors")
         << "</h2>\n<table>\n<thead><tr><th class=\"num\">" << T("th.line") << "</th><th>"
         << T("th.items") << "</th><th>" << T("th.error") << "</th></tr></thead>\n<tbody>\n";
    const size_t shown =
        std::min(errors.size(), static_cast<size_t>(std::max(0, options_.worst_examples)));
    for (size_t i = 0; i < shown; ++i) {
      const auto& item = *errors[i];
      out_ << "<tr><td class=\"num\">" << (item.index >= 0 ? std::to_string(item.index + 1) : "")
           << "</td><td dir=\"auto\"><code>" << HtmlEscape(ValidUtf8(item.id))
           << "</code></td><td dir=\"auto\"><code>" << HtmlEscape(item.error_code) << "</code> "
           << HtmlEscape(ValidUtf8(item.error)) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n";
    if (errors.size() > shown) {
      out_ << "<p class=\"note\">"
           << T("example.more", {{"n", static_cast<int64_t>(errors.size() - shown)}}) << "</p>\n";
    }
    out_ << "</section>\n";
  }

  void AgreementSection() {
    if (!r_.agreement || r_.agreement->empty()) return;
    out_ << "<section id=\"agreement\">\n<h2>" << T("section.agreement")
         << "</h2>\n<table>\n<thead><tr><th>" << T("th.label") << "</th><th class=\"num\">"
         << T("th.n") << "</th><th class=\"num\">" << T("th.precision") << "</th><th class=\"num\">"
         << T("th.recall") << "</th><th class=\"num\">" << T("th.kappa")
         << "</th><th class=\"num\">" << T("th.raw_agreement") << "</th></tr></thead>\n<tbody>\n";
    for (const auto& [label, a] : *r_.agreement) {
      const std::string p = json::Pointer("/agreement", label);
      out_ << "<tr><td><code>" << HtmlEscape(label) << "</code></td><td class=\"num\">"
           << IntMetric(p + "/n", a.n) << "</td><td class=\"num\">"
           << DecimalMetric(p + "/precision", a.precision, 3) << "</td><td class=\"num\">"
           << DecimalMetric(p + "/recall", a.recall, 3) << "</td><td class=\"num\">"
           << DecimalMetric(p + "/kappa", a.kappa, 3) << "</td><td class=\"num\">"
           << DecimalMetric(p + "/raw_agreement", a.raw_agreement, 3) << "</td></tr>\n";
    }
    out_ << "</tbody>\n</table>\n</section>\n";
  }

  void MethodSection() {
    out_ << "<section id=\"method\">\n<h2>" << T("section.method") << "</h2>\n<p>"
         << T("method.rules") << "</p>\n<p>" << T("method.ci") << "</p>\n<p>" << T("method.limits")
         << "</p>\n</section>\n";
  }

  void ReproRow(std::string_view label_id, const std::string& value, bool hash = false) {
    out_ << "<dt>" << T(label_id) << "</dt><dd" << (hash ? " class=\"hash\"" : "")
         << " dir=\"ltr\">" << (value.empty() ? T("dash") : HtmlEscape(ValidUtf8(value)))
         << "</dd>\n";
  }

  void ReproSection() {
    out_ << "<section id=\"repro\">\n<h2>" << T("section.repro") << "</h2>\n<dl class=\"repro\">\n";
    ReproRow("repro.version", Version());
    ReproRow("repro.model",
             r_.run.model + (r_.run.model_version.empty() ? "" : " " + r_.run.model_version));
    ReproRow("repro.run", r_.run.id, true);
    ReproRow("repro.corpus", r_.run.corpus_sha256, true);
    ReproRow("repro.rules", r_.run.rules_sha256, true);
    ReproRow("repro.record", r_.run.record_hash, true);
    ReproRow("repro.command", r_.run.command_line, true);
    for (const auto& [id, value] : {std::pair{"repro.started", &r_.run.started},
                                    std::pair{"repro.finished", &r_.run.finished}}) {
      out_ << "<dt>" << T(id) << "</dt><dd><time datetime=\"" << HtmlEscape(*value) << "\">"
           << HtmlEscape(l_.Date(*value)) << "</time></dd>\n";
    }
    out_ << "</dl>\n<p class=\"note\">" << T("repro.note", {{"run", r_.run.id}})
         << "</p>\n</section>\n";
  }

  const audit::AuditResult& r_;
  const Localizer& l_;
  const ReportOptions& options_;
  std::ostringstream out_;
};

}  // namespace

std::string ReportHtml(const audit::AuditResult& result, const ReportOptions& options) {
  auto localizer = Localizer::Create(options.lang);
  const Localizer l = localizer ? *localizer : *Localizer::Create("en");
  return Page(result, l, options).Render();
}

}  // namespace medaudit::report
