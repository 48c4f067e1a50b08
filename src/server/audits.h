// Background corpus audits for `medaudit serve` (POST /v1/audits, GET /v1/audits/{id} and its
// report). An upload is saved under the upload directory as <run id>.jsonl and audited on its
// own thread through the same runner and store as `medaudit audit`; status, summary and reports
// come from the store, so runs made by the CLI are visible too.
//
// Security: a run id from a request must match ^run-[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$ before it is
// used at all, and it is only ever looked up in the store (never turned into a path); upload file
// names are built from server-generated ids. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rules/engine.h"
#include "server/http_types.h"
#include "server/metrics.h"
#include "server/options.h"

namespace medaudit::server {

bool IsValidRunId(std::string_view id);

struct AuditUpload {
  std::string model, model_version;
  std::string_view corpus;  // JSON Lines
};

class AuditManager {
 public:
  using EngineSource = std::function<std::shared_ptr<const rules::Engine>()>;
  AuditManager(std::string db, std::string upload_dir, const Limits& limits, Metrics* metrics,
               EngineSource engine);
  ~AuditManager();  // waits for running audits

  bool enabled() const { return !db_.empty(); }
  HttpResponse Create(const AuditUpload& upload);  // 202, or 400/429/500/503
  HttpResponse Get(std::string_view id);           // 200, or 400/404/500
  // format: html|json|md|sarif|junit; lang: zh|en|ar. 200, or 400/404/503 (still running).
  HttpResponse Report(std::string_view id, std::string_view format, std::string_view lang);
  // Refuses new audits and waits for the running ones (they cannot be interrupted; a run cut
  // short would be resumable with `medaudit audit --resume`).
  void Shutdown();

 private:
  struct Job {
    std::string status;   // running | finished | failed
    std::string error;    // when failed
    std::string summary;  // JSON object, when finished
    std::string model, model_version, started;
    bool done = false;
  };
  void Run(std::string id, std::string corpus_path);
  void JoinFinishedLocked();

  const std::string db_;
  std::string upload_dir_;
  const Limits limits_;
  Metrics* metrics_;
  EngineSource engine_;
  std::mutex mutex_;
  bool shutting_down_ = false;
  std::map<std::string, Job, std::less<>> jobs_;
  std::vector<std::pair<std::string, std::thread>> threads_;
};

}  // namespace medaudit::server
