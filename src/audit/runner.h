// The batch runner: reads a corpus (streaming), checks every answer and every clinician baseline
// with the same engine, compares them (src/baseline), aggregates the metrics and writes every
// item through a RunSink as it goes. Runs on `threads` threads (one rules::Workspace each) in
// batches; output is deterministic: items reach the sink and the result in corpus order, and
// the numbers do not depend on the thread count.
//
// Memory: the result's item_results keeps only items with a finding (answer or baseline) or an
// error, at most max_kept_items of them (items_not_kept counts the rest); the sink gets all.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "audit/corpus.h"
#include "audit/result.h"
#include "audit/run_sink.h"
#include "base/error.h"
#include "rules/engine.h"

namespace medaudit::audit {

// Default cap on AuditResult::item_results (the store keeps every item regardless).
inline constexpr int64_t kDefaultMaxKeptItems = 100000;

struct AuditOptions {
  std::string corpus_path;
  RunInfo run;  // id, model, model_version, command_line from the caller; the runner fills the rest
  int threads = 0;        // 0 = std::thread::hardware_concurrency()
  int batch_items = 512;  // items read and evaluated per parallel batch
  int64_t max_kept_items = kDefaultMaxKeptItems;
  // Resume: the run's items already stored (index → result); they are not evaluated or sent to
  // the sink again. `run` then holds the stored run (its id and started time are kept).
  bool resume = false;
  const std::map<int64_t, ItemResult>* done = nullptr;
  // Called after every batch with items done so far and corpus bytes read.
  std::function<void(int64_t items, uint64_t bytes)> progress;
};

// Runs the audit. Fails (kNotFound, kIo, kInvalidArgument for a changed corpus on resume, or the
// sink's error) only when the run cannot go on; bad items are recorded in their ItemResult.
Result<AuditResult> RunAudit(const rules::Engine& engine, const AuditOptions& options,
                             RunSink* sink);

// Evaluates one item: the engine on the answer and on the baseline, then the baseline
// comparison. An item with an error (from reading or from the engine) keeps only id, index,
// error. Thread-safe given one Workspace per thread. Exposed for tests and the server.
ItemResult EvaluateItem(const rules::Engine& engine, const CorpusItem& item,
                        rules::Workspace* workspace);

// Current UTC time as RFC 3339 ("2025-01-31T12:00:00Z").
std::string NowRfc3339();
// A new run id "run-YYYYMMDD-HHMMSS-xxxxxxxx": UTC time, then 8 hex digits of a hash of `salt`,
// the clock, the process id and a per-process counter (two runs in one second still differ).
std::string NewRunId(std::string_view salt);
// Whether an item is kept in AuditResult::item_results: a finding on either answer, or an error.
bool KeepInResult(const ItemResult& item);

}  // namespace medaudit::audit
