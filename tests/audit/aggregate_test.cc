// Aggregation of item results against hand-computed numbers (docs/domain.md §6 vectors).
#include "audit/aggregate.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "audit/result_json.h"

namespace medaudit::audit {
namespace {

ItemFinding MakeFinding(const std::string& category, const std::string& severity) {
  ItemFinding f;
  f.rule = "test." + category;
  f.category = category;
  f.severity = severity;
  return f;
}

ItemResult MakeItem(int64_t index, bool harmful, std::optional<bool> baseline_harmful,
                    const std::string& lang = "en") {
  ItemResult r;
  r.index = index;
  r.id = "i" + std::to_string(index);
  r.lang = lang;
  if (harmful) r.findings.push_back(MakeFinding("overdose", "harm"));
  r.harmful = AnyHarm(r.findings);
  r.verdict = harmful ? "flag" : "allow";
  if (baseline_harmful) {
    if (*baseline_harmful) r.baseline_findings.push_back(MakeFinding("overdose", "block"));
    r.baseline_harmful = AnyHarm(r.baseline_findings);
    r.baseline_verdict = *baseline_harmful ? "block" : "allow";
  }
  return r;
}

TEST_CASE("Aggregator: harm rates, Wilson intervals and the paired Tango difference", "[audit]") {
  // 140 questions: 3 harmful in both answers, 5 in the model's only, 2 in the baseline's only.
  Aggregator aggregator;
  for (int64_t i = 0; i < 140; ++i) {
    const bool model = i < 8;
    const bool baseline = i < 3 || (i >= 8 && i < 10);
    aggregator.Add(MakeItem(i, model, baseline, i % 2 ? "zh" : "ar"), Labels{});
  }
  AuditResult r;
  aggregator.Finish(&r);
  CHECK(r.items == 140);
  CHECK(r.errors == 0);
  CHECK(r.harm_rate.model.k == 8);
  CHECK(r.harm_rate.model.n == 140);
  CHECK(r.harm_rate.model.rate == Approx(8.0 / 140));
  CHECK(r.harm_rate.model.ci95.lo == Approx(0.02924).margin(1e-5));  // domain.md §6.2
  CHECK(r.harm_rate.model.ci95.hi == Approx(0.10870).margin(1e-5));
  REQUIRE(r.harm_rate.baseline);
  CHECK(r.harm_rate.baseline->k == 5);
  CHECK(r.harm_rate.baseline->ci95.lo == Approx(0.015350).margin(1e-6));
  CHECK(r.harm_rate.baseline->ci95.hi == Approx(0.080877).margin(1e-6));
  REQUIRE(r.harm_rate.difference);
  const Difference& d = *r.harm_rate.difference;
  CHECK(d.method == "tango");
  CHECK(d.b == 5);
  CHECK(d.c == 2);
  CHECK(d.estimate == Approx(3.0 / 140));
  CHECK(d.mcnemar_p == Approx(0.453125).margin(1e-6));  // exact: b + c < 25
  CHECK(d.ci95.hi == Approx(0.06877).margin(1e-4));     // metrics.h NonInferiorityPaired vector
  CHECK(d.ci95.lo < d.estimate);
  CHECK(r.by_category.at("overdose").model == 8);
  CHECK(r.by_category.at("overdose").baseline == 5);
  CHECK(r.items_by_language.at("ar") == 70);
  CHECK(r.by_language.at("ar").model == 4);     // even indexes 0, 2, 4, 6
  CHECK(r.by_language.at("zh").baseline == 2);  // 1 and 9
  CHECK_FALSE(r.agreement.has_value());
}

TEST_CASE("Aggregator: errors, AI prescriptions and no baseline", "[audit]") {
  Aggregator aggregator;
  ItemResult rx = MakeItem(0, false, std::nullopt);
  rx.findings.push_back(MakeFinding("ai_prescription", "block"));
  rx.findings.push_back(MakeFinding("ai_prescription", "block"));  // one item, counted once
  rx.harmful = true;
  aggregator.Add(rx, {});
  aggregator.Add(MakeItem(1, false, std::nullopt), {});
  ItemResult bad;
  bad.index = 2;
  bad.error = "not a JSON object";
  aggregator.Add(bad, {});
  AuditResult r;
  aggregator.Finish(&r);
  CHECK(r.items == 3);
  CHECK(r.errors == 1);
  CHECK(r.harm_rate.model.k == 1);
  CHECK(r.harm_rate.model.n == 2);
  CHECK(r.ai_prescriptions == 1);
  CHECK(r.by_category.at("ai_prescription").model == 1);
  CHECK_FALSE(r.harm_rate.baseline);
  CHECK_FALSE(r.harm_rate.difference);
}

TEST_CASE("Aggregator: agreement with human labels (precision, recall, kappa)", "[audit]") {
  // tp 6, fp 4, fn 2, tn 88 → p_o 0.94, p_e 0.836, kappa 0.634 (domain.md §6.8).
  Aggregator aggregator;
  for (int64_t i = 0; i < 100; ++i) {
    const bool flag = i < 10;
    const bool label = i < 6 || (i >= 10 && i < 12);
    Labels labels;
    labels.binary["harmful"] = label;
    if (i < 20) labels.binary["rx"] = false;
    aggregator.Add(MakeItem(i, flag, std::nullopt), labels);
  }
  AuditResult r;
  aggregator.Finish(&r);
  REQUIRE(r.agreement);
  const Agreement& a = r.agreement->at("harmful");
  CHECK(a.n == 100);
  CHECK(a.tp == 6);
  CHECK(a.fp == 4);
  CHECK(a.fn == 2);
  CHECK(a.tn == 88);
  CHECK(a.precision == Approx(0.6));
  CHECK(a.recall == Approx(0.75));
  CHECK(a.raw_agreement == Approx(0.94));
  CHECK(a.kappa == Approx(0.634).margin(1e-3));
  const Agreement& rx = r.agreement->at("rx");  // no rx flag, no rx label: kappa undefined
  CHECK(rx.n == 20);
  CHECK(std::isnan(rx.precision));
  CHECK(std::isnan(rx.kappa));
  CHECK(rx.raw_agreement == Approx(1.0));
}

TEST_CASE("MetricsJson: round-trips every metric and is canonical", "[audit]") {
  Aggregator aggregator;
  for (int64_t i = 0; i < 30; ++i) {
    Labels labels;
    labels.binary["harmful"] = i % 3 == 0;
    aggregator.Add(MakeItem(i, i % 4 == 0, i % 5 == 0, i % 2 ? "zh" : "en"), labels);
  }
  AuditResult r;
  aggregator.Finish(&r);
  const std::string json = MetricsJson(r);
  AuditResult back;
  REQUIRE(ParseMetricsJson(json, &back).has_value());
  CHECK(MetricsJson(back) == json);
  CHECK(back.harm_rate.difference->b == r.harm_rate.difference->b);
  CHECK(back.harm_rate.model.ci95.hi == r.harm_rate.model.ci95.hi);
  CHECK(json.find("\"difference\":{\"estimate\":") != std::string::npos);
}

TEST_CASE("CompareIndependent: Newcombe's hybrid interval for two runs", "[audit]") {
  const Difference d = CompareIndependent(MakeRate(41, 138), MakeRate(8, 140));
  CHECK(d.method == "newcombe");
  CHECK(d.ci95.lo == Approx(0.15309).margin(1e-5));  // domain.md §6.4
  CHECK(d.ci95.hi == Approx(0.32554).margin(1e-5));
}

}  // namespace
}  // namespace medaudit::audit
