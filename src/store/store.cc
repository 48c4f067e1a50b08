#include "store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <functional>

#include "audit/result_json.h"
#include "audit/runner.h"
#include "base/json.h"
#include "base/sha256.h"

namespace medaudit::store {
namespace {

constexpr int kBusyTimeoutMs = 10000;

Error StoreError(const std::string& what, const std::exception& e) {
  return MakeError(ErrorCode::kStoreError, what + ": " + e.what());
}

// ---------------------------------------------------------------------------------------------
// Schema and migrations. Migration i brings the schema from version i to i + 1; each runs in
// its own transaction together with the version update.
// ---------------------------------------------------------------------------------------------

void MigrateTo1(SQLite::Database& db) {
  db.exec(R"sql(
    CREATE TABLE runs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      model TEXT NOT NULL, model_version TEXT NOT NULL,
      corpus_path TEXT NOT NULL, corpus_sha256 TEXT NOT NULL, rules_sha256 TEXT NOT NULL,
      medaudit_version TEXT NOT NULL, started TEXT NOT NULL, finished TEXT NOT NULL,
      command_line TEXT NOT NULL, status TEXT NOT NULL,
      chain_pos INTEGER UNIQUE,            -- position in the hash chain once finished
      content_hash TEXT NOT NULL DEFAULT '', record_hash TEXT NOT NULL DEFAULT '',
      previous_hash TEXT NOT NULL DEFAULT '');
    CREATE TABLE items (
      run_id TEXT NOT NULL, idx INTEGER NOT NULL, item_id TEXT NOT NULL, lang TEXT NOT NULL,
      verdict TEXT NOT NULL, harmful INTEGER NOT NULL,
      baseline_verdict TEXT, baseline_harmful INTEGER NOT NULL,
      coverage REAL NOT NULL, error_code TEXT NOT NULL, error TEXT NOT NULL,
      PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
    CREATE TABLE findings (
      run_id TEXT NOT NULL, idx INTEGER NOT NULL, side TEXT NOT NULL, ord INTEGER NOT NULL,
      rule TEXT NOT NULL, category TEXT NOT NULL, severity TEXT NOT NULL,
      span_begin INTEGER NOT NULL, span_end INTEGER NOT NULL,
      evidence TEXT NOT NULL, message TEXT NOT NULL, citation TEXT NOT NULL,
      PRIMARY KEY (run_id, idx, side, ord)) WITHOUT ROWID;
    CREATE TABLE metrics (run_id TEXT PRIMARY KEY, report_json TEXT NOT NULL);
  )sql");
}

const std::vector<std::function<void(SQLite::Database&)>>& Migrations() {
  static const auto* migrations =
      new std::vector<std::function<void(SQLite::Database&)>>{MigrateTo1};
  return *migrations;
}

int SchemaVersion(SQLite::Database& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  SQLite::Statement q(db, "SELECT MAX(version) FROM schema_version");
  if (q.executeStep() && !q.getColumn(0).isNull()) return q.getColumn(0).getInt();
  return 0;
}

void Migrate(SQLite::Database& db) {
  SQLite::Transaction lock(db);  // serialises concurrent first opens
  int version = SchemaVersion(db);
  lock.commit();
  for (; version < static_cast<int>(Migrations().size()); ++version) {
    SQLite::Transaction tx(db);
    if (SchemaVersion(db) > version) continue;  // another process migrated meanwhile
    Migrations()[version](db);
    SQLite::Statement q(db, "INSERT INTO schema_version (version) VALUES (?)");
    q.bind(1, version + 1);
    q.exec();
    tx.commit();
  }
}

// ---------------------------------------------------------------------------------------------
// Canonical content and hashes (docs/audit.md "Hash chain").
// ---------------------------------------------------------------------------------------------

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(Writer& w, std::string_view key, std::string_view value) {
  json::String(w, key);
  json::String(w, value);
}

void WriteFindings(Writer& w, const std::vector<audit::ItemFinding>& findings) {
  w.StartArray();
  for (const auto& f : findings) {
    w.StartArray();
    json::String(w, f.rule);
    json::String(w, f.category);
    json::String(w, f.severity);
    w.Uint(f.begin);
    w.Uint(f.end);
    json::String(w, f.evidence);
    json::String(w, f.message);
    json::String(w, f.citation);
    w.EndArray();
  }
  w.EndArray();
}

std::string CanonicalItem(const audit::ItemResult& item) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartArray();
  w.Int64(item.index);
  json::String(w, item.id);
  json::String(w, item.lang);
  json::String(w, item.verdict);
  w.Bool(item.harmful);
  if (item.baseline_verdict) {
    json::String(w, *item.baseline_verdict);
  } else {
    w.Null();
  }
  w.Bool(item.baseline_harmful);
  w.Double(item.coverage);
  json::String(w, item.error_code);
  json::String(w, item.error);
  WriteFindings(w, item.findings);
  WriteFindings(w, item.baseline_findings);
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Run fields that are content (not id, times, command line or path).
std::string CanonicalRunContent(const audit::RunInfo& run) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Field(w, "model", run.model);
  Field(w, "model_version", run.model_version);
  Field(w, "corpus_sha256", run.corpus_sha256);
  Field(w, "rules_sha256", run.rules_sha256);
  Field(w, "medaudit_version", run.medaudit_version);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string RecordHash(const audit::RunInfo& run, const std::string& content_hash) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Field(w, "previous_hash", run.previous_hash);
  Field(w, "id", run.id);
  Field(w, "corpus_path", run.corpus_path);
  Field(w, "started", run.started);
  Field(w, "finished", run.finished);
  Field(w, "command_line", run.command_line);
  Field(w, "status", run.status);
  Field(w, "content_hash", content_hash);
  w.EndObject();
  return Sha256Hex({buffer.GetString(), buffer.GetSize()});
}

// ---------------------------------------------------------------------------------------------
// Row mapping.
// ---------------------------------------------------------------------------------------------

constexpr const char* kRunColumns =
    "id, model, model_version, corpus_path, corpus_sha256, rules_sha256, medaudit_version, "
    "started, finished, command_line, status, content_hash, record_hash, previous_hash";

audit::RunInfo ReadRun(SQLite::Statement& q) {
  audit::RunInfo r;
  std::string* fields[] = {&r.id,
                           &r.model,
                           &r.model_version,
                           &r.corpus_path,
                           &r.corpus_sha256,
                           &r.rules_sha256,
                           &r.medaudit_version,
                           &r.started,
                           &r.finished,
                           &r.command_line,
                           &r.status,
                           &r.content_hash,
                           &r.record_hash,
                           &r.previous_hash};
  for (int i = 0; i < 14; ++i) *fields[i] = q.getColumn(i).getString();
  return r;
}

// Streams a run's items in index order with their findings (one query each, merged).
// Returns the number of finding rows attached to an item.
int64_t ForEachItem(SQLite::Database& db, const std::string& run_id,
                    const std::function<void(audit::ItemResult&&)>& fn) {
  int64_t attached = 0;
  SQLite::Statement items(db,
                          "SELECT idx, item_id, lang, verdict, harmful, baseline_verdict, "
                          "baseline_harmful, coverage, error_code, error FROM items "
                          "WHERE run_id = ? ORDER BY idx");
  items.bind(1, run_id);
  SQLite::Statement findings(db,
                             "SELECT idx, side, rule, category, severity, span_begin, span_end, "
                             "evidence, message, citation FROM findings WHERE run_id = ? "
                             "ORDER BY idx, side, ord");
  findings.bind(1, run_id);
  bool have_finding = findings.executeStep();
  while (items.executeStep()) {
    audit::ItemResult item;
    item.index = items.getColumn(0).getInt64();
    item.id = items.getColumn(1).getString();
    item.lang = items.getColumn(2).getString();
    item.verdict = items.getColumn(3).getString();
    item.harmful = items.getColumn(4).getInt() != 0;
    if (!items.getColumn(5).isNull()) item.baseline_verdict = items.getColumn(5).getString();
    item.baseline_harmful = items.getColumn(6).getInt() != 0;
    item.coverage = items.getColumn(7).getDouble();
    item.error_code = items.getColumn(8).getString();
    item.error = items.getColumn(9).getString();
    // Findings of items that no longer exist (deleted rows) are skipped here; the content hash
    // then differs, which is how Verify notices.
    while (have_finding && findings.getColumn(0).getInt64() < item.index) {
      have_finding = findings.executeStep();
    }
    while (have_finding && findings.getColumn(0).getInt64() == item.index) {
      audit::ItemFinding f;
      const std::string side = findings.getColumn(1).getString();
      f.rule = findings.getColumn(2).getString();
      f.category = findings.getColumn(3).getString();
      f.severity = findings.getColumn(4).getString();
      f.begin = static_cast<uint32_t>(findings.getColumn(5).getInt64());
      f.end = static_cast<uint32_t>(findings.getColumn(6).getInt64());
      f.evidence = findings.getColumn(7).getString();
      f.message = findings.getColumn(8).getString();
      f.citation = findings.getColumn(9).getString();
      (side == "baseline" ? item.baseline_findings : item.findings).push_back(std::move(f));
      ++attached;
      have_finding = findings.executeStep();
    }
    fn(std::move(item));
  }
  return attached;
}

int64_t CountFindings(SQLite::Database& db, const std::string& run_id) {
  SQLite::Statement q(db, "SELECT COUNT(*) FROM findings WHERE run_id = ?");
  q.bind(1, run_id);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

std::string StoredMetrics(SQLite::Database& db, const std::string& run_id, bool* found) {
  SQLite::Statement q(db, "SELECT report_json FROM metrics WHERE run_id = ?");
  q.bind(1, run_id);
  *found = q.executeStep();
  return *found ? q.getColumn(0).getString() : std::string();
}

// SHA-256 over the run's content fields, every item and finding in order, and the metrics.
// *attached (optional) receives the number of finding rows that belong to a stored item.
std::string ContentHash(SQLite::Database& db, const audit::RunInfo& run,
                        const std::string& metrics_json, int64_t* attached = nullptr) {
  Sha256 sha;
  sha.Update(CanonicalRunContent(run));
  sha.Update("\n");
  const int64_t n = ForEachItem(db, run.id, [&](audit::ItemResult&& item) {
    sha.Update(CanonicalItem(item));
    sha.Update("\n");
  });
  if (attached != nullptr) *attached = n;
  sha.Update(metrics_json);
  return sha.FinishHex();
}

// ---------------------------------------------------------------------------------------------
// The sink.
// ---------------------------------------------------------------------------------------------

class SqliteSink : public audit::RunSink {
 public:
  SqliteSink(SQLite::Database& db, int batch_items) : db_(db), batch_items_(batch_items) {}
  ~SqliteSink() override { (void)Flush(); }

  Status BeginRun(const audit::RunInfo& run, bool resume) override {
    try {
      run_ = run;
      SQLite::Statement find(db_, "SELECT status FROM runs WHERE id = ?");
      find.bind(1, run.id);
      const bool exists = find.executeStep();
      if (resume) {
        if (!exists) return MakeError(ErrorCode::kNotFound, "no run " + run.id);
        if (find.getColumn(0).getString() != "running") {
          return MakeError(ErrorCode::kInvalidArgument,
                           "run " + run.id + " is already " + find.getColumn(0).getString());
        }
        find.reset();
        SQLite::Statement q(db_,
                            "UPDATE runs SET corpus_sha256 = ?, rules_sha256 = ? WHERE id = ?");
        q.bind(1, run.corpus_sha256);
        q.bind(2, run.rules_sha256);
        q.bind(3, run.id);
        q.exec();
        incremental_.reset();  // stored items were not seen: hash from the database at the end
        return {};
      }
      if (exists) return MakeError(ErrorCode::kInvalidArgument, "run " + run.id + " exists");
      find.reset();
      SQLite::Statement q(db_, std::string("INSERT INTO runs (") + kRunColumns +
                                   ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      const std::string values[] = {run.id,
                                    run.model,
                                    run.model_version,
                                    run.corpus_path,
                                    run.corpus_sha256,
                                    run.rules_sha256,
                                    run.medaudit_version,
                                    run.started,
                                    "",
                                    run.command_line,
                                    "running",
                                    "",
                                    "",
                                    ""};
      for (int i = 0; i < 14; ++i) q.bind(i + 1, values[i]);
      q.exec();
      incremental_ = std::make_unique<Sha256>();
      incremental_->Update(CanonicalRunContent(run));
      incremental_->Update("\n");
      return {};
    } catch (const std::exception& e) {
      return StoreError("cannot begin run " + run.id, e);
    }
  }

  Status AddItem(const audit::ItemResult& item) override {
    if (incremental_) {
      incremental_->Update(CanonicalItem(item));
      incremental_->Update("\n");
    }
    pending_.push_back(item);
    if (static_cast<int>(pending_.size()) >= batch_items_) return Flush();
    return {};
  }

  Status FinishRun(audit::AuditResult* result, const std::string& metrics_json) override {
    if (auto status = Flush(); !status) return status;
    try {
      audit::RunInfo& run = result->run;
      SQLite::Transaction tx(db_);
      SQLite::Statement m(db_,
                          "INSERT OR REPLACE INTO metrics (run_id, report_json) VALUES (?, ?)");
      m.bind(1, run.id);
      m.bind(2, metrics_json);
      m.exec();
      SQLite::Statement head(db_,
                             "SELECT record_hash, chain_pos FROM runs WHERE chain_pos IS NOT NULL "
                             "ORDER BY chain_pos DESC LIMIT 1");
      int64_t position = 1;
      run.previous_hash.clear();
      if (head.executeStep()) {
        run.previous_hash = head.getColumn(0).getString();
        position = head.getColumn(1).getInt64() + 1;
      }
      run.status = "finished";
      // A fresh run saw every item in index order: its hash was built while storing them (the
      // same bytes ContentHash reads back). A resumed run is hashed from the database.
      if (incremental_) {
        incremental_->Update(metrics_json);
        run.content_hash = incremental_->FinishHex();
        incremental_.reset();
      } else {
        run.content_hash = ContentHash(db_, run, metrics_json);
      }
      run.record_hash = RecordHash(run, run.content_hash);
      SQLite::Statement q(db_,
                          "UPDATE runs SET finished = ?, status = ?, chain_pos = ?, "
                          "content_hash = ?, record_hash = ?, previous_hash = ?, "
                          "corpus_sha256 = ?, rules_sha256 = ? WHERE id = ?");
      q.bind(1, run.finished);
      q.bind(2, run.status);
      q.bind(3, static_cast<int64_t>(position));
      q.bind(4, run.content_hash);
      q.bind(5, run.record_hash);
      q.bind(6, run.previous_hash);
      q.bind(7, run.corpus_sha256);
      q.bind(8, run.rules_sha256);
      q.bind(9, run.id);
      q.exec();
      tx.commit();
      return {};
    } catch (const std::exception& e) {
      return StoreError("cannot finish run " + result->run.id, e);
    }
  }

 private:
  Status Flush() {
    if (pending_.empty()) return {};
    try {
      SQLite::Transaction tx(db_);
      SQLite::Statement item(db_,
                             "INSERT INTO items (run_id, idx, item_id, lang, verdict, harmful, "
                             "baseline_verdict, baseline_harmful, coverage, error_code, error) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
      SQLite::Statement finding(db_,
                                "INSERT INTO findings (run_id, idx, side, ord, rule, category, "
                                "severity, span_begin, span_end, evidence, message, citation) "
                                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
      for (const audit::ItemResult& r : pending_) {
        item.bind(1, run_.id);
        item.bind(2, static_cast<int64_t>(r.index));
        item.bind(3, r.id);
        item.bind(4, r.lang);
        item.bind(5, r.verdict);
        item.bind(6, r.harmful ? 1 : 0);
        if (r.baseline_verdict) {
          item.bind(7, *r.baseline_verdict);
        } else {
          item.bind(7);
        }
        item.bind(8, r.baseline_harmful ? 1 : 0);
        item.bind(9, r.coverage);
        item.bind(10, r.error_code);
        item.bind(11, r.error);
        item.exec();
        item.reset();
        for (const char* side : {"answer", "baseline"}) {
          const auto& list = std::string_view(side) == "answer" ? r.findings : r.baseline_findings;
          for (size_t i = 0; i < list.size(); ++i) {
            const audit::ItemFinding& f = list[i];
            finding.bind(1, run_.id);
            finding.bind(2, static_cast<int64_t>(r.index));
            finding.bind(3, side);
            finding.bind(4, static_cast<int64_t>(i));
            finding.bind(5, f.rule);
            finding.bind(6, f.category);
            finding.bind(7, f.severity);
            finding.bind(8, static_cast<int64_t>(f.begin));
            finding.bind(9, static_cast<int64_t>(f.end));
            finding.bind(10, f.evidence);
            finding.bind(11, f.message);
            finding.bind(12, f.citation);
            finding.exec();
            finding.reset();
          }
        }
      }
      tx.commit();
      pending_.clear();
      return {};
    } catch (const std::exception& e) {
      pending_.clear();
      return StoreError("cannot store items of run " + run_.id, e);
    }
  }

  SQLite::Database& db_;
  int batch_items_;
  audit::RunInfo run_;
  std::vector<audit::ItemResult> pending_;
  std::unique_ptr<Sha256> incremental_;
};

}  // namespace

struct Store::Impl {
  explicit Impl(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs) {}
  SQLite::Database db;
};

Store::Store(std::unique_ptr<Impl> impl, std::string path)
    : impl_(std::move(impl)), path_(std::move(path)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    return MakeError(ErrorCode::kIo, "cannot create " + parent.string() + ": " + ec.message());
  try {
    auto impl = std::make_unique<Impl>(path);
    impl->db.exec("PRAGMA journal_mode = WAL");
    impl->db.exec("PRAGMA synchronous = NORMAL");  // durable against process crashes in WAL mode
    impl->db.exec("PRAGMA foreign_keys = ON");
    Migrate(impl->db);
    return std::unique_ptr<Store>(new Store(std::move(impl), path));
  } catch (const std::exception& e) {
    return StoreError("cannot open " + path, e);
  }
}

Result<std::unique_ptr<audit::RunSink>> Store::OpenSink(int batch_items) {
  return std::unique_ptr<audit::RunSink>(new SqliteSink(impl_->db, std::max(1, batch_items)));
}

Result<std::vector<RunRow>> Store::ListRuns() {
  try {
    SQLite::Statement q(impl_->db,
                        "SELECT r.id, r.model, r.model_version, r.status, r.started, r.finished, "
                        "r.corpus_sha256, r.rules_sha256, r.record_hash, "
                        "(SELECT COUNT(*) FROM items i WHERE i.run_id = r.id) FROM runs r "
                        "ORDER BY r.seq");
    std::vector<RunRow> rows;
    while (q.executeStep()) {
      RunRow row;
      std::string* fields[] = {
          &row.id,       &row.model,         &row.model_version, &row.status,     &row.started,
          &row.finished, &row.corpus_sha256, &row.rules_sha256,  &row.record_hash};
      for (int i = 0; i < 9; ++i) *fields[i] = q.getColumn(i).getString();
      row.items = q.getColumn(9).getInt64();
      rows.push_back(std::move(row));
    }
    return rows;
  } catch (const std::exception& e) {
    return StoreError("cannot list runs", e);
  }
}

Result<std::vector<int64_t>> Store::StoredItemIndexes(const std::string& run_id) {
  try {
    SQLite::Statement q(impl_->db, "SELECT idx FROM items WHERE run_id = ? ORDER BY idx");
    q.bind(1, run_id);
    std::vector<int64_t> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    return out;
  } catch (const std::exception& e) {
    return StoreError("cannot read items of " + run_id, e);
  }
}

Result<std::map<int64_t, audit::ItemResult>> Store::LoadItems(const std::string& run_id) {
  try {
    std::map<int64_t, audit::ItemResult> out;
    ForEachItem(impl_->db, run_id, [&](audit::ItemResult&& item) {
      const int64_t index = item.index;
      out.emplace(index, std::move(item));
    });
    return out;
  } catch (const std::exception& e) {
    return StoreError("cannot read items of " + run_id, e);
  }
}

Result<audit::RunInfo> Store::LoadRunInfo(const std::string& run_id) {
  try {
    SQLite::Statement q(impl_->db,
                        std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    q.bind(1, run_id);
    if (!q.executeStep())
      return MakeError(ErrorCode::kNotFound, "no run " + run_id + " in " + path_);
    return ReadRun(q);
  } catch (const std::exception& e) {
    return StoreError("cannot read run " + run_id, e);
  }
}

Result<audit::AuditResult> Store::LoadRun(const std::string& run_id, bool all_items) {
  auto run = LoadRunInfo(run_id);
  if (!run) return run.error();
  try {
    audit::AuditResult result;
    result.run = std::move(*run);
    bool found = false;
    const std::string metrics = StoredMetrics(impl_->db, run_id, &found);
    if (found) {
      if (auto status = audit::ParseMetricsJson(metrics, &result); !status) return status.error();
    }
    ForEachItem(impl_->db, run_id, [&](audit::ItemResult&& item) {
      if (all_items ||
          (audit::KeepInResult(item) &&
           static_cast<int64_t>(result.item_results.size()) < audit::kDefaultMaxKeptItems)) {
        result.item_results.push_back(std::move(item));
      }
    });
    return result;
  } catch (const std::exception& e) {
    return StoreError("cannot read run " + run_id, e);
  }
}

Result<VerifyReport> Store::Verify() {
  VerifyReport report;
  try {
    SQLite::Database& db = impl_->db;
    {
      SQLite::Statement q(db, "PRAGMA integrity_check");
      while (q.executeStep()) {
        if (!report.integrity_check.empty()) report.integrity_check += "; ";
        report.integrity_check += q.getColumn(0).getString();
      }
    }
    if (report.integrity_check != "ok") {
      report.problems.push_back("PRAGMA integrity_check: " + report.integrity_check);
    }
    // Unfinished runs: reported, not tampering — unless they carry chain data.
    {
      SQLite::Statement q(db,
                          "SELECT id, chain_pos IS NOT NULL OR record_hash != '' OR "
                          "EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = runs.id) "
                          "FROM runs WHERE status != 'finished' ORDER BY seq");
      while (q.executeStep()) {
        const std::string id = q.getColumn(0).getString();
        if (q.getColumn(1).getInt() != 0) {
          report.problems.push_back("run " + id +
                                    ": marked unfinished but has a chain record "
                                    "(status edited)");
        } else {
          report.unfinished_runs.push_back(id);
        }
      }
    }
    // Rows that belong to no run (the run row was deleted).
    {
      SQLite::Statement q(db,
                          "SELECT DISTINCT run_id FROM (SELECT run_id FROM items UNION ALL "
                          "SELECT run_id FROM findings UNION ALL SELECT run_id FROM metrics) "
                          "WHERE run_id NOT IN (SELECT id FROM runs) ORDER BY run_id");
      while (q.executeStep()) {
        report.problems.push_back("run " + q.getColumn(0).getString() +
                                  ": deleted (its items, findings or metrics remain)");
      }
    }
    // The chain, in order.
    std::vector<audit::RunInfo> chain;
    std::vector<int64_t> positions;
    {
      SQLite::Statement q(db, std::string("SELECT ") + kRunColumns +
                                  ", chain_pos FROM runs WHERE status = 'finished' "
                                  "ORDER BY chain_pos, seq");
      while (q.executeStep()) {
        chain.push_back(ReadRun(q));
        positions.push_back(q.getColumn(14).isNull() ? -1 : q.getColumn(14).getInt64());
      }
    }
    std::string previous;
    for (size_t i = 0; i < chain.size(); ++i) {
      const audit::RunInfo& run = chain[i];
      ++report.runs_checked;
      if (positions[i] != static_cast<int64_t>(i) + 1) {
        report.problems.push_back("run " + run.id + ": chain position " +
                                  std::to_string(positions[i]) + ", expected " +
                                  std::to_string(i + 1) + " (a run was deleted or reordered)");
      }
      if (run.previous_hash != previous) {
        report.problems.push_back("run " + run.id +
                                  ": previous_hash does not match the preceding run's record "
                                  "(a run was deleted, reordered or edited)");
      }
      bool found = false;
      const std::string metrics = StoredMetrics(db, run.id, &found);
      if (!found) report.problems.push_back("run " + run.id + ": metrics deleted");
      int64_t attached = 0;
      const std::string content = ContentHash(db, run, metrics, &attached);
      if (const int64_t rows = CountFindings(db, run.id); rows != attached) {
        report.problems.push_back("run " + run.id + ": " + std::to_string(rows - attached) +
                                  " finding rows belong to no stored item (rows added or items "
                                  "deleted)");
      }
      if (content != run.content_hash) {
        report.problems.push_back("run " + run.id +
                                  ": content hash mismatch (an item, finding, metric or run field "
                                  "was edited, deleted or reordered)");
      }
      if (RecordHash(run, run.content_hash) != run.record_hash) {
        report.problems.push_back("run " + run.id +
                                  ": record hash mismatch (run fields or hashes edited)");
      }
      previous = run.record_hash;
    }
  } catch (const std::exception& e) {
    return StoreError("cannot verify " + path_, e);
  }
  report.ok = report.problems.empty();
  return report;
}

Result<audit::AuditResult> LoadRun(const std::string& db_path, const std::string& run_id) {
  if (!std::filesystem::exists(db_path)) {
    return MakeError(ErrorCode::kNotFound, "no database " + db_path);
  }
  auto store = Store::Open(db_path);
  if (!store) return store.error();
  return (*store)->LoadRun(run_id);
}

}  // namespace medaudit::store
