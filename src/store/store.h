// The audit store: one SQLite database (SQLiteCpp, WAL mode) holding every audit run, its items,
// findings with spans and its report.json metrics, with a versioned schema (schema_version table,
// migrations applied in order on open) and a hash chain over finished runs (docs/audit.md).
//
// Threading: a Store owns one connection and must be used by one thread at a time. Several
// processes may open the same file (SQLite locking; busy timeout 10 s).
// Nothing throws: SQLiteCpp exceptions are converted to kStoreError.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/result.h"
#include "audit/run_sink.h"
#include "base/error.h"

namespace medaudit::store {

// Schema version this build writes; older databases are migrated on Open.
inline constexpr int kSchemaVersion = 1;

// Summary row of `runs list`.
struct RunRow {
  std::string id, model, model_version, status, started, finished, corpus_sha256, rules_sha256;
  int64_t items = 0;        // items stored so far
  std::string record_hash;  // empty until finished
};

// Outcome of Verify: ok, or what broke. Unfinished runs are listed, not counted as tampering.
struct VerifyReport {
  bool ok = true;
  int64_t runs_checked = 0;
  std::vector<std::string> problems;         // "run X: item 12 edited (hash mismatch)" ...
  std::vector<std::string> unfinished_runs;  // runs still "running" (e.g. killed): resumable
  std::string integrity_check;               // PRAGMA integrity_check result ("ok")
};

class Store {
 public:
  // Opens or creates the database file (parent directories created), sets WAL and applies
  // migrations. Fails with kStoreError (or kIo when the directory cannot be created).
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();

  // A RunSink writing run `run.id` (begun with status "running"), batching items in
  // transactions of `batch_items` items. For a resumed run the sink appends after the stored
  // items. The sink must not outlive the Store.
  Result<std::unique_ptr<audit::RunSink>> OpenSink(int batch_items = 256);

  Result<std::vector<RunRow>> ListRuns();
  // Item indexes already stored for a run, ascending.
  Result<std::vector<int64_t>> StoredItemIndexes(const std::string& run_id);
  // Every stored item of a run by index (for --resume and tests).
  Result<std::map<int64_t, audit::ItemResult>> LoadItems(const std::string& run_id);
  // Run fields only (no items): kNotFound when the run does not exist.
  Result<audit::RunInfo> LoadRunInfo(const std::string& run_id);
  // Full reconstruction of an AuditResult from the store alone: run fields, the stored metrics,
  // and item_results exactly as the runner kept them (items with a finding or an error, in corpus
  // order, at most audit::kDefaultMaxKeptItems; all_items = true returns every stored item).
  // An unfinished run has its stored items and zero metrics. kNotFound for an unknown run.
  Result<audit::AuditResult> LoadRun(const std::string& run_id, bool all_items = false);
  // Checks the hash chain and every run's content. Fails only when the database cannot be read.
  Result<VerifyReport> Verify();

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl, std::string path);
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

// Convenience for the report engineer: opens `db_path` and loads one run.
Result<audit::AuditResult> LoadRun(const std::string& db_path, const std::string& run_id);

}  // namespace medaudit::store
