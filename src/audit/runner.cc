#include "audit/runner.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <thread>

#include "audit/aggregate.h"
#include "audit/result_json.h"
#include "base/sha256.h"
#include "baseline/compare.h"

namespace medaudit::audit {
namespace {

std::string VerdictOf(const std::vector<ItemFinding>& findings) {
  bool flag = false;
  for (const auto& f : findings) {
    if (f.severity == "block") return "block";
    flag |= f.severity == "harm" || f.severity == "warn";
  }
  return flag ? "flag" : "allow";
}

void AppendFindings(const rules::CheckResult& check, std::string_view text,
                    std::vector<ItemFinding>* out) {
  for (const auto& f : check.findings) {
    ItemFinding item;
    item.rule = f.rule->id;
    item.category = f.rule->category;
    item.severity = std::string(rules::SeverityName(f.rule->severity));
    item.begin = f.span.begin;
    item.end = f.span.end;
    item.evidence = std::string(text.substr(f.span.begin, f.span.size()));
    item.message = f.rule->Message(check.lang);
    item.citation = f.citation().text;
    out->push_back(std::move(item));
  }
}

void AppendComparison(const baseline::Comparison& comparison, std::vector<ItemFinding>* out) {
  for (const auto& f : comparison.findings) {
    ItemFinding item;
    item.rule = f.rule;
    item.category = f.category;
    item.severity = f.severity;
    item.begin = f.begin;
    item.end = f.end;
    item.evidence = f.evidence;
    item.message = f.message;
    item.citation = "clinician baseline";
    out->push_back(std::move(item));
  }
}

void SetError(ItemResult* r, const Error& e) {
  r->error_code = std::string(ErrorCodeName(e.code));
  r->error = e.message;
}

}  // namespace

std::string NowRfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewRunId(std::string_view salt) {
  static std::atomic<uint64_t> counter{0};
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  const std::string hashed = fmt::format("{}|{}|{}|{}", salt, ticks, getpid(), counter++);
  return fmt::format("run-{}-{}", stamp, Sha256Hex(hashed).substr(0, 8));
}

bool KeepInResult(const ItemResult& item) {
  return !item.error.empty() || !item.findings.empty() || !item.baseline_findings.empty();
}

ItemResult EvaluateItem(const rules::Engine& engine, const CorpusItem& item, rules::Workspace* ws) {
  ItemResult r;
  r.id = item.id;
  r.index = item.index;
  r.lang = item.lang;
  if (!item.error.empty()) {
    r.error = item.error;
    r.error_code = item.error_code;
    return r;
  }
  rules::CheckResult check;
  rules::CheckInput input{item.answer, item.question, text::ParseLang(item.lang)};
  if (auto status = engine.Check(input, ws, &check); !status) {
    SetError(&r, status.error());
    return r;
  }
  r.lang = std::string(text::LangName(check.lang));
  AppendFindings(check, item.answer, &r.findings);
  if (!item.baseline && item.labels.must_have.empty()) {
    r.verdict = VerdictOf(r.findings);
    r.harmful = AnyHarm(r.findings);
    return r;
  }
  // Keep the answer's analysis: the baseline check below reuses the workspace.
  const std::vector<extract::MedicationStatement> answer_statements = ws->statements;
  const text::NormalizedText answer_normalized = ws->answer;
  if (item.baseline) {
    rules::CheckInput baseline_input{*item.baseline, item.question, text::ParseLang(item.lang)};
    if (auto status = engine.Check(baseline_input, ws, &check); !status) {
      Error e = status.error();
      e.message = "baseline: " + e.message;
      ItemResult failed;
      failed.id = r.id;
      failed.index = r.index;
      failed.lang = r.lang;
      SetError(&failed, e);
      return failed;
    }
    AppendFindings(check, *item.baseline, &r.baseline_findings);
    r.baseline_verdict = VerdictOf(r.baseline_findings);
    r.baseline_harmful = AnyHarm(r.baseline_findings);
  }
  baseline::Input in;
  in.answer = item.answer;
  in.baseline = item.baseline ? std::string_view(*item.baseline) : std::string_view();
  in.must_have = &item.labels.must_have;
  in.lang = text::ParseLang(item.lang);
  if (item.baseline) in.baseline_statements = &ws->statements;
  in.answer_statements = &answer_statements;
  in.answer_normalized = &answer_normalized;
  const baseline::Comparison comparison = baseline::Comparer(engine).Compare(in, ws);
  AppendComparison(comparison, &r.findings);
  r.coverage = comparison.coverage;
  r.verdict = VerdictOf(r.findings);
  r.harmful = AnyHarm(r.findings);
  return r;
}

namespace {

// Evaluates batch[i] for every i not already done on one thread per workspace, while the
// calling thread runs `meanwhile` (writing the previous batch to the sink), then joins.
Status EvaluateBatch(const rules::Engine& engine, const std::vector<CorpusItem>& batch,
                     const std::map<int64_t, ItemResult>* done,
                     std::vector<rules::Workspace>* workspaces, std::vector<ItemResult>* out,
                     const std::function<Status()>& meanwhile) {
  out->assign(batch.size(), ItemResult{});
  std::atomic<size_t> next{0};
  auto work = [&](rules::Workspace* ws) {
    for (size_t i = next++; i < batch.size(); i = next++) {
      if (done != nullptr && done->count(batch[i].index) > 0) continue;
      (*out)[i] = EvaluateItem(engine, batch[i], ws);
    }
  };
  const size_t n = std::min(workspaces->size(), std::max<size_t>(batch.size(), 1));
  std::vector<std::thread> threads;
  for (size_t t = 0; t < n; ++t) threads.emplace_back(work, &(*workspaces)[t]);
  Status status = meanwhile();
  for (auto& t : threads) t.join();
  return status;
}

}  // namespace

Result<AuditResult> RunAudit(const rules::Engine& engine, const AuditOptions& options,
                             RunSink* sink) {
  auto corpus_sha = CorpusReader::HashFile(options.corpus_path);
  if (!corpus_sha) return corpus_sha.error();
  auto reader = CorpusReader::Open(options.corpus_path);
  if (!reader) return reader.error();

  AuditResult result;
  result.run = options.run;
  if (options.resume && !result.run.corpus_sha256.empty() &&
      result.run.corpus_sha256 != *corpus_sha) {
    return MakeError(ErrorCode::kInvalidArgument, "the corpus changed since run " + result.run.id +
                                                      " began (SHA-256 " + *corpus_sha +
                                                      ", stored " + result.run.corpus_sha256 + ")");
  }
  if (options.resume && !result.run.rules_sha256.empty() &&
      result.run.rules_sha256 != engine.rules_sha256()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the rules changed since run " + result.run.id + " began");
  }
  result.run.corpus_path = options.corpus_path;
  result.run.corpus_sha256 = *corpus_sha;
  result.run.rules_sha256 = engine.rules_sha256();
  result.run.medaudit_version = MEDAUDIT_VERSION;
  if (result.run.started.empty()) result.run.started = NowRfc3339();
  result.run.finished.clear();
  result.run.status = "running";
  if (auto status = sink->BeginRun(result.run, options.resume); !status) return status.error();

  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads) : hw;
  std::vector<rules::Workspace> workspaces(threads);
  Aggregator aggregator;
  std::vector<CorpusItem> batch, previous;
  std::vector<ItemResult> evaluated, previous_results;
  int64_t items_done = 0;
  // Sends the previous batch to the sink and the aggregation, in corpus order.
  auto emit = [&]() -> Status {
    for (size_t i = 0; i < previous.size(); ++i) {
      const ItemResult* r = &previous_results[i];
      auto stored = options.done != nullptr ? options.done->find(previous[i].index)
                                            : std::map<int64_t, ItemResult>::const_iterator();
      if (options.done != nullptr && stored != options.done->end()) {
        r = &stored->second;
      } else if (auto status = sink->AddItem(*r); !status) {
        return status;
      }
      aggregator.Add(*r, previous[i].labels);
      if (KeepInResult(*r) &&
          static_cast<int64_t>(result.item_results.size()) < options.max_kept_items) {
        result.item_results.push_back(*r);
      } else {
        ++result.items_not_kept;
      }
    }
    items_done += static_cast<int64_t>(previous.size());
    if (options.progress && !previous.empty()) {
      options.progress(items_done, (*reader)->bytes_read());
    }
    previous.clear();
    return {};
  };
  for (bool more = true; more;) {
    batch.clear();
    CorpusItem item;
    while (batch.size() < static_cast<size_t>(std::max(1, options.batch_items))) {
      if (!(*reader)->Next(&item)) {
        more = false;
        break;
      }
      batch.push_back(std::move(item));
    }
    if (auto status = EvaluateBatch(engine, batch, options.done, &workspaces, &evaluated, emit);
        !status) {
      return status.error();
    }
    previous.swap(batch);
    previous_results.swap(evaluated);
  }
  if (auto status = emit(); !status) return status.error();
  aggregator.Finish(&result);
  result.run.finished = NowRfc3339();
  result.run.status = "finished";
  if (auto status = sink->FinishRun(&result, MetricsJson(result)); !status) return status.error();
  return result;
}

}  // namespace medaudit::audit
