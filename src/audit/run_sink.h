// Where the audit runner writes a run while it goes: the store implements it (src/store), tests
// may use an in-memory one. The runner calls BeginRun once, AddItem for every item in ascending
// index order (items already stored before a resume are not sent again), then FinishRun once.
// A sink is used by one thread at a time. Implementations must make every AddItem durable in
// batches so that a killed run can be resumed (docs/audit.md "Crash safety").
#pragma once

#include <cstdint>
#include <string>

#include "audit/result.h"
#include "base/error.h"

namespace medaudit::audit {

class RunSink {
 public:
  virtual ~RunSink() = default;
  // Records a new run (status "running"), or, when resuming, checks that run.id exists and is
  // unfinished. Fails with kStoreError, or kInvalidArgument for a finished run.
  virtual Status BeginRun(const RunInfo& run, bool resume) = 0;
  // Queues one item result (item.index set). Durable at the latest after the next batch or
  // FinishRun.
  virtual Status AddItem(const ItemResult& item) = 0;
  // Flushes queued items, stores the metrics (`metrics_json`: canonical JSON of the result
  // without items, see result_json.h), sets finished time and status, computes the run's content
  // and record hashes and writes them back into *result (run.content_hash, record_hash,
  // previous_hash).
  virtual Status FinishRun(AuditResult* result, const std::string& metrics_json) = 0;
};

}  // namespace medaudit::audit
