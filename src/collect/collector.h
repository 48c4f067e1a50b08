// `medaudit collect` as a library call: puts every question of a questions file to an
// OpenAI-compatible chat-completions endpoint and writes the answers file (answers.h).
//
// - Concurrency: `provider.concurrency` workers (C++20 coroutines) on ONE io_context run by the
//   calling thread; each worker keeps one keep-alive connection (HTTP/1.1, or HTTPS verified
//   against the system CA store with SNI and hostname checks).
// - Per request: a deadline of timeout_s covering connect, send and receive; `provider.rps`
//   caps the request rate across workers.
// - Retries (up to provider.retries) on 429, 5xx, 408, timeouts and connection errors, with
//   exponential backoff and jitter, or exactly Retry-After seconds (plus ≤ 10 % jitter) when the
//   server sends it. Other statuses, TLS failures and malformed bodies fail at once.
// - Resumable: answers already in the output file for the same settings hash are not asked
//   again; each result line is appended and flushed as soon as it is known, so a killed process
//   loses only in-flight questions. At the end the file is rewritten (atomically) in question
//   order, so two complete collections of the same answers are byte-identical.
// - Cache: successful answers are also stored by request hash (cache.h) when cache_dir is set.
// - Secrets (the API key, secret-looking header values) are redacted from everything recorded.
// Every failure is recorded on its item as "error": {"code", "message"}; codes: timeout,
// connection, tls, rate_limited, server_error, http_error, bad_response, interrupted.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "base/error.h"
#include "collect/provider.h"

namespace medaudit::collect {

struct CollectProgress {
  int64_t total = 0;  // questions in the file
  int64_t done = 0;   // answered or failed so far (reused answers included)
  int64_t failed = 0;
  double seconds = 0;
};

struct CollectOptions {
  std::string questions_path;
  std::string out_path;
  ProviderConfig provider;
  std::string api_key;          // sent as "Authorization: Bearer"; never written anywhere
  std::string cache_dir;        // "" disables the response cache
  double backoff_base_s = 0.5;  // first retry waits about this long, then doubling
  double backoff_max_s = 30;
  double retry_after_max_s = 300;  // a longer Retry-After is capped to this
  // Called on the collecting thread at most ~10 times a second and once at the end.
  std::function<void(const CollectProgress&)> progress;
  // When it becomes true no new request starts (in-flight ones finish); unasked questions are
  // left out of the output and asked by the next run.
  const std::atomic<bool>* stop = nullptr;
};

struct CollectSummary {
  int64_t questions = 0;
  int64_t reused = 0;     // already answered in the output file (resume)
  int64_t answered = 0;   // answered in this run (from the cache or the model)
  int64_t cached = 0;     // of those, served by the response cache
  int64_t failed = 0;     // recorded with an error
  int64_t not_asked = 0;  // left out because of `stop`
  int64_t requests = 0;   // HTTP requests sent (retries included)
  int64_t retries = 0;
  int64_t stale_lines = 0;  // output lines dropped: other settings, failed, unreadable
  double seconds = 0;
  std::string settings_sha256;
  std::map<std::string, int64_t> errors_by_code;
  bool complete() const { return failed == 0 && not_asked == 0; }
};

// Fails (without asking anything) on input and usage errors: bad base_url, unreadable or
// malformed questions file (file:line), unwritable output. Request failures are not errors of
// the call: they are recorded per item and counted in the summary.
Result<CollectSummary> Collect(const CollectOptions& options);

}  // namespace medaudit::collect
