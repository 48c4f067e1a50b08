// The result of a corpus audit as plain data: what report.json (design.md §4) holds, plus the
// per-item findings the reports show. The runner fills it; the store saves and reloads it; the
// report renderers and the gate read it. No behaviour here: safe to copy and share read-only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/metrics.h"

namespace medaudit::audit {

struct RunInfo {
  std::string id;  // "run-<yyyymmdd>-<hhmmss>-<8 hex>" (stable once written)
  std::string model;
  std::string model_version;
  std::string corpus_path;
  std::string corpus_sha256;
  std::string rules_sha256;
  std::string medaudit_version;
  std::string started;   // RFC 3339 UTC
  std::string finished;  // RFC 3339 UTC, empty while running
  std::string command_line;
  std::string status;       // "running" | "finished" | "failed"
  std::string record_hash;  // hash-chain value of the stored run (empty before storing)
  std::string previous_hash;
  // Added by the audit runner/store: SHA-256 over the run's canonical content WITHOUT id, times
  // and command line (same corpus + rules + model → same value; docs/audit.md "Hash chain").
  std::string content_hash;
};

// Interval is metrics.h's (one type for every 95% interval).

struct RateStat {
  int64_t k = 0;  // harmful items
  int64_t n = 0;  // items evaluated
  double rate = 0;
  Interval ci95;  // Wilson score
};

struct Difference {
  double estimate = 0;  // model minus baseline
  Interval ci95;
  std::string method;  // "tango" (paired) | "newcombe" (independent)
  int64_t b = 0;       // paired: model harmful, baseline not
  int64_t c = 0;       // paired: baseline harmful, model not
  double mcnemar_p = 1;
};

struct HarmRate {
  RateStat model;
  std::optional<RateStat> baseline;      // null when no item has a baseline
  std::optional<Difference> difference;  // null when no item has a baseline
};

struct CategoryCount {
  int64_t model = 0;
  int64_t baseline = 0;
};

struct Agreement {  // medaudit's flags against one human label
  int64_t n = 0;
  int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  double precision = 0, recall = 0, kappa = 0, raw_agreement = 0;  // NaN when undefined
};

struct ItemFinding {
  std::string rule;
  std::string category;
  std::string severity;
  uint32_t begin = 0, end = 0;  // byte span in the answer (or baseline) text
  std::string evidence;
  std::string message;
  std::string citation;
};

struct ItemResult {
  std::string id;
  std::string lang;
  std::string verdict;                // model answer: allow | flag | block
  bool harmful = false;               // any block or harm finding on the answer
  std::vector<ItemFinding> findings;  // on the model answer
  std::optional<std::string> baseline_verdict;
  bool baseline_harmful = false;
  std::vector<ItemFinding> baseline_findings;
  double coverage = -1;  // baseline key-statement coverage, -1 = n/a
  std::string error;     // non-empty: the item could not be evaluated
  // Added: 0-based line index in the corpus (the store's key with the run id); -1 = unknown.
  int64_t index = -1;
  std::string error_code;  // ErrorCodeName of `error` ("invalid_json", ...)
  // Added (report): the texts the spans point into, for the HTML report's highlighted examples.
  // Empty when not kept; the report then shows the evidence alone.
  std::string question;
  std::string answer;
  std::string baseline;
};

struct AuditResult {
  RunInfo run;
  int64_t items = 0;
  int64_t errors = 0;
  HarmRate harm_rate;
  std::map<std::string, CategoryCount> by_category;
  std::map<std::string, CategoryCount> by_language;  // harmful items per language
  std::map<std::string, int64_t> items_by_language;
  int64_t ai_prescriptions = 0;  // model answers with an ai_prescription finding
  std::optional<std::map<std::string, Agreement>> agreement;  // by label name
  std::vector<ItemResult> item_results;  // in corpus order (may be empty when summarised)
  // Added: items with a baseline, mean baseline coverage over them (-1 when none), and how many
  // items were left out of item_results (only items with a finding or an error are kept there;
  // the store keeps every item). docs/audit.md "Memory".
  int64_t items_with_baseline = 0;
  double mean_coverage = -1;
  int64_t items_not_kept = 0;
};

}  // namespace medaudit::audit
