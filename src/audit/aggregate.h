// Aggregation of item results into the run's metrics (design.md §4, docs/audit.md "Metrics"):
// harm rates with Wilson intervals for the model and the baseline answers, the paired
// model-minus-baseline difference (Tango + McNemar), per-category and per-language counts, AI
// prescriptions, mean baseline coverage and agreement with human labels.
// Counts only; memory does not grow with the number of items. Not thread-safe (one per run).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "audit/corpus.h"
#include "audit/result.h"

namespace medaudit::audit {

// An item is harmful when any of these findings has severity block or harm.
bool AnyHarm(const std::vector<ItemFinding>& findings);
bool HasCategory(const std::vector<ItemFinding>& findings, std::string_view category);
// Which of medaudit's flags is compared with a named human label (see Labels): "rx" compares
// with an ai_prescription finding on the answer, every other label with `harmful`.
bool FlagForLabel(const ItemResult& item, const std::string& label);

class Aggregator {
 public:
  // Adds one item (errors count in items and errors only).
  void Add(const ItemResult& item, const Labels& labels);
  // Writes every metric field of *result (not run, not item_results).
  void Finish(AuditResult* result) const;

 private:
  struct Table {
    int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  };
  int64_t items_ = 0, errors_ = 0, evaluated_ = 0, harmful_ = 0;
  int64_t paired_n_ = 0, baseline_harmful_ = 0, b_ = 0, c_ = 0;
  int64_t ai_prescriptions_ = 0, coverage_n_ = 0;
  double coverage_sum_ = 0;
  std::map<std::string, CategoryCount> by_category_, by_language_;
  std::map<std::string, int64_t> items_by_language_;
  std::map<std::string, Table> agreement_;
};

// Model run A against an independent run B (e.g. a reference run on another corpus): Newcombe's
// hybrid score interval of rate(A) − rate(B), method "newcombe" (b, c, mcnemar_p unused).
Difference CompareIndependent(const RateStat& a, const RateStat& b);

// Fills a RateStat with k, n, k/n (0 when n = 0) and the Wilson 95% interval.
RateStat MakeRate(int64_t k, int64_t n);

}  // namespace medaudit::audit
