// The audit store: full reconstruction of a run, unfinished runs, and `medaudit verify` catching
// edited, deleted and reordered rows (plain SQL on the database file).
#include "store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "../audit/audit_test_util.h"
#include "audit/result_json.h"
#include "audit/runner.h"

namespace medaudit::store {
namespace {

const std::string kDemo = std::string(MEDAUDIT_SOURCE_DIR) + "/corpora/demo/items.jsonl";

audit::AuditResult AuditInto(Store* store, const std::string& id, int threads = 2) {
  audit::AuditOptions options;
  options.corpus_path = kDemo;
  options.run.id = id;
  options.run.model = "demo-model";
  options.run.command_line = "test";
  options.threads = threads;
  auto sink = store->OpenSink(16);
  REQUIRE(sink.has_value());
  auto result = audit::RunAudit(testing::TestEngine(), options, sink->get());
  REQUIRE(result.has_value());
  return *result;
}

TEST_CASE("Store: LoadRun reconstructs the runner's result from the store alone", "[store]") {
  testing::TempDir dir("store_load");
  auto store = Store::Open(dir.File("sub/m.db"));
  REQUIRE(store.has_value());
  const audit::AuditResult fresh = AuditInto(store->get(), "run-a");
  CHECK(fresh.run.status == "finished");
  CHECK(fresh.run.previous_hash.empty());
  CHECK(fresh.run.record_hash.size() == 64);

  auto loaded = (*store)->LoadRun("run-a");
  REQUIRE(loaded.has_value());
  CHECK(audit::MetricsJson(*loaded) == audit::MetricsJson(fresh));
  CHECK(loaded->run.record_hash == fresh.run.record_hash);
  CHECK(loaded->run.content_hash == fresh.run.content_hash);
  CHECK(loaded->run.corpus_sha256 == fresh.run.corpus_sha256);
  CHECK(loaded->run.started == fresh.run.started);
  REQUIRE(loaded->item_results.size() == fresh.item_results.size());
  for (size_t i = 0; i < fresh.item_results.size(); ++i) {
    const auto& a = fresh.item_results[i];
    const auto& b = loaded->item_results[i];
    CHECK(a.id == b.id);
    CHECK(a.index == b.index);
    CHECK(a.verdict == b.verdict);
    CHECK(a.baseline_verdict == b.baseline_verdict);
    CHECK(a.coverage == b.coverage);
    REQUIRE(a.findings.size() == b.findings.size());
    for (size_t j = 0; j < a.findings.size(); ++j) {
      CHECK(a.findings[j].rule == b.findings[j].rule);
      CHECK(a.findings[j].begin == b.findings[j].begin);
      CHECK(a.findings[j].evidence == b.findings[j].evidence);
    }
  }
  auto all = (*store)->LoadItems("run-a");
  REQUIRE(all.has_value());
  CHECK(static_cast<int64_t>(all->size()) == fresh.items);

  // The same corpus and rules on one thread: identical content (only id and times differ).
  const audit::AuditResult second = AuditInto(store->get(), "run-b", 1);
  CHECK(second.run.content_hash == fresh.run.content_hash);
  CHECK(second.run.previous_hash == fresh.run.record_hash);

  auto rows = (*store)->ListRuns();
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].items == fresh.items);
  CHECK_FALSE((*store)->LoadRun("nope").has_value());
  CHECK_FALSE(LoadRun(dir.File("missing.db"), "run-a").has_value());
  CHECK(LoadRun(dir.File("sub/m.db"), "run-b").has_value());
}

TEST_CASE("Store: an unfinished run is reported as unfinished, not as tampering", "[store]") {
  testing::TempDir dir("store_unfinished");
  auto store = Store::Open(dir.File("m.db"));
  REQUIRE(store.has_value());
  AuditInto(store->get(), "run-done");
  auto sink = (*store)->OpenSink(2);
  REQUIRE(sink.has_value());
  audit::RunInfo run;
  run.id = "run-open";
  run.model = "m";
  REQUIRE((*sink)->BeginRun(run, false).has_value());
  for (int i = 0; i < 5; ++i) {
    audit::ItemResult item;
    item.index = i;
    item.id = "x" + std::to_string(i);
    item.verdict = "allow";
    REQUIRE((*sink)->AddItem(item).has_value());
  }
  sink->reset();  // flushes
  auto report = (*store)->Verify();
  REQUIRE(report.has_value());
  CHECK(report->ok);
  CHECK(report->integrity_check == "ok");
  CHECK(report->unfinished_runs == std::vector<std::string>{"run-open"});
  auto indexes = (*store)->StoredItemIndexes("run-open");
  REQUIRE(indexes.has_value());
  CHECK(indexes->size() == 5);
  // Resuming a finished run is refused.
  auto again = (*store)->OpenSink();
  audit::RunInfo done;
  done.id = "run-done";
  CHECK_FALSE((*again)->BeginRun(done, true).has_value());
}

struct Tamper {
  const char* what;
  const char* sql;
  const char* expect;  // substring of the problem Verify reports
};

TEST_CASE("medaudit verify: catches edited, deleted and reordered runs, items and findings",
          "[store]") {
  testing::TempDir dir("store_tamper");
  const std::string db = dir.File("m.db");
  {
    auto store = Store::Open(db);
    REQUIRE(store.has_value());
    AuditInto(store->get(), "r1");
    AuditInto(store->get(), "r2");
    AuditInto(store->get(), "r3");
  }
  REQUIRE(testing::RunMedaudit("verify --db " + db + " > /dev/null") == 0);

  const std::vector<Tamper> cases = {
      {"edit an item", "UPDATE items SET verdict = 'allow' WHERE run_id = 'r2' AND idx = 0",
       "run r2: content hash mismatch"},
      {"edit a finding",
       "UPDATE findings SET severity = 'info' WHERE run_id = 'r2' AND rowid_placeholder",
       "run r2: content hash mismatch"},
      {"delete an item", "DELETE FROM items WHERE run_id = 'r2' AND idx = 3",
       "run r2: content hash mismatch"},
      {"delete a finding",
       "DELETE FROM findings WHERE run_id = 'r2' AND idx = (SELECT MIN(idx) FROM findings "
       "WHERE run_id = 'r2') AND ord = 0 AND side = 'answer'",
       "run r2: content hash mismatch"},
      {"reorder items",
       "UPDATE items SET idx = -1 WHERE run_id = 'r2' AND idx = 0; "
       "UPDATE items SET idx = 0 WHERE run_id = 'r2' AND idx = 1; "
       "UPDATE items SET idx = 1 WHERE run_id = 'r2' AND idx = -1",
       "run r2: content hash mismatch"},
      {"reorder findings",
       "CREATE TEMP TABLE t AS SELECT idx FROM findings WHERE run_id = 'r2' AND side = 'answer' "
       "AND ord = 1 LIMIT 1; "
       "UPDATE findings SET ord = -1 WHERE run_id = 'r2' AND side = 'answer' AND ord = 0 AND idx "
       "= (SELECT idx FROM t); "
       "UPDATE findings SET ord = 0 WHERE run_id = 'r2' AND side = 'answer' AND ord = 1 AND idx "
       "= (SELECT idx FROM t); "
       "UPDATE findings SET ord = 1 WHERE run_id = 'r2' AND side = 'answer' AND ord = -1",
       "run r2: content hash mismatch"},
      {"edit the metrics",
       "UPDATE metrics SET report_json = replace(report_json, '\"ai_prescriptions\":', "
       "'\"ai_prescriptions\":1') WHERE run_id = 'r2'",
       "run r2: content hash mismatch"},
      {"edit a run field", "UPDATE runs SET model = 'other-model' WHERE id = 'r2'",
       "run r2: content hash mismatch"},
      {"edit a run time", "UPDATE runs SET finished = '2000-01-01T00:00:00Z' WHERE id = 'r2'",
       "run r2: record hash mismatch"},
      {"delete a run",
       "DELETE FROM findings WHERE run_id = 'r2'; DELETE FROM items WHERE run_id = 'r2'; "
       "DELETE FROM metrics WHERE run_id = 'r2'; DELETE FROM runs WHERE id = 'r2'",
       "run r3: previous_hash does not match"},
      {"delete only the run row", "DELETE FROM runs WHERE id = 'r2'", "run r2: deleted"},
      {"reorder runs",
       "UPDATE runs SET chain_pos = CASE id WHEN 'r1' THEN 20 WHEN 'r2' THEN 1 END "
       "WHERE id IN ('r1', 'r2'); UPDATE runs SET chain_pos = 2 WHERE id = 'r1'",
       "previous_hash does not match"},
      {"hide a run as unfinished", "UPDATE runs SET status = 'running' WHERE id = 'r3'",
       "run r3: marked unfinished"},
      {"add a finding to a missing item",
       "INSERT INTO findings VALUES ('r2', 999, 'answer', 0, 'x', 'x', 'harm', 0, 0, '', '', '')",
       "finding rows belong to no stored item"},
  };
  for (const Tamper& t : cases) {
    SECTION(t.what) {
      const std::string copy = dir.File("tampered.db");
      std::filesystem::copy_file(db, copy, std::filesystem::copy_options::overwrite_existing);
      {
        SQLite::Database sql(copy, SQLite::OPEN_READWRITE);
        std::string statement = t.sql;
        const std::string placeholder = "rowid_placeholder";
        if (auto pos = statement.find(placeholder); pos != std::string::npos) {
          statement.replace(
              pos, placeholder.size(),
              "idx = (SELECT MIN(idx) FROM findings WHERE run_id = 'r2') AND ord = 0");
        }
        REQUIRE(sql.exec(statement) >= 0);
        REQUIRE(sql.getChanges() > 0);
      }
      CHECK(testing::RunMedaudit("verify --db " + copy + " > /dev/null") == 1);
      auto store = Store::Open(copy);
      REQUIRE(store.has_value());
      auto report = (*store)->Verify();
      REQUIRE(report.has_value());
      CHECK_FALSE(report->ok);
      std::string all;
      for (const auto& p : report->problems) all += p + "\n";
      INFO(all);
      CHECK(all.find(t.expect) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace medaudit::store
