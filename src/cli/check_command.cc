#include "cli/check_command.h"

#include <fmt/format.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <iostream>
#include <iterator>
#include <latch>
#include <map>
#include <system_error>
#include <thread>
#include <vector>

#include "base/file.h"
#include "base/json.h"
#include "base/utf8.h"
#include "rules/check_json.h"

namespace medaudit::cli {
namespace {

// The engine's start-up allocates tens of megabytes in small pieces; on 4 KiB pages that was
// thousands of page faults, a fifth of a `check` process's time (issue 2). Grow the heap in one
// step of 64 MiB, keep large blocks on it (they were separate mappings, each faulted page by page)
// and ask for transparent huge pages on it: advice only, which the kernel may ignore.
void PrepareHeapForEngine() {
  constexpr size_t kStep = size_t{64} << 20;
  constexpr uintptr_t kHugePage = uintptr_t{2} << 20;
  mallopt(M_TOP_PAD, static_cast<int>(kStep));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * kStep));
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kStep / 2));
  // A block larger than the top of the heap makes malloc grow the heap (by kStep more than the
  // block); freed, it stays there for the engine.
  void* probe = malloc(kStep / 4);
  const auto top = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(probe) + kHugePage - 1) & ~(kHugePage - 1);
#ifdef MADV_HUGEPAGE
  if (probe != nullptr && top > begin + kHugePage) {
    (void)madvise(reinterpret_cast<void*>(begin), top - begin, MADV_HUGEPAGE);
  }
#endif
  free(probe);
}

// Gives the engine's loading threads (M_ARENA_MAX in RunCheck) arenas that are ready: `count`
// threads, alive at once so that each gets an arena of its own, grow its heap in one step and ask
// for transparent huge pages on it, then exit; glibc keeps an exited thread's arena on a free
// list and hands it to the next new thread. (A new thread's arena otherwise grows by one mprotect
// call per few pages, on 4 KiB pages.) Advice only: with another allocator nothing changes.
void PrepareThreadArenas(int count) {
  constexpr size_t kArenaStep = size_t{24} << 20;        // under M_MMAP_THRESHOLD (32 MiB)
  constexpr uintptr_t kHeapBytes = uintptr_t{64} << 20;  // glibc's aligned heap of a thread arena
  std::latch all_allocated(count);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    try {
      threads.emplace_back([&all_allocated] {
        void* block = malloc(kArenaStep);
#ifdef MADV_HUGEPAGE
        if (block != nullptr) {
          const uintptr_t heap = reinterpret_cast<uintptr_t>(block) & ~(kHeapBytes - 1);
          (void)madvise(reinterpret_cast<void*>(heap), kHeapBytes, MADV_HUGEPAGE);
        }
#endif
        all_allocated.arrive_and_wait();  // no other thread may take this arena before it is freed
        free(block);
      });
    } catch (const std::system_error&) {  // no more threads: those started go on without the rest
      all_allocated.count_down(count - i);
      break;
    }
  }
  for (auto& thread : threads) thread.join();
}

// Counts for the --summary table: verdicts per language and findings per rule.
struct Summary {
  std::map<std::string, std::array<int64_t, 3>> verdicts_by_lang;
  std::map<std::string, int64_t> findings_by_rule;
  int64_t errors = 0;

  void Add(const rules::CheckResult& result) {
    verdicts_by_lang[std::string(text::LangName(result.lang))]
                    [static_cast<size_t>(result.verdict)]++;
    std::string last;
    for (const auto& f : result.findings) {
      if (f.rule->id != last) findings_by_rule[f.rule->id]++;
      last = f.rule->id;
    }
  }

  void Print(std::ostream& err) const {
    err << fmt::format("\n{:<6} {:>8} {:>8} {:>8} {:>8}\n", "lang", "answers", "allow", "flag",
                       "block");
    std::array<int64_t, 3> total{};
    for (const auto& [lang, counts] : verdicts_by_lang) {
      const int64_t n = counts[0] + counts[1] + counts[2];
      err << fmt::format("{:<6} {:>8} {:>8} {:>8} {:>8}\n", lang, n, counts[0], counts[1],
                         counts[2]);
      for (size_t i = 0; i < 3; ++i) total[i] += counts[i];
    }
    err << fmt::format("{:<6} {:>8} {:>8} {:>8} {:>8}\n", "all", total[0] + total[1] + total[2],
                       total[0], total[1], total[2]);
    if (errors > 0) err << fmt::format("input errors: {}\n", errors);
    err << "\nanswers with a finding, by rule:\n";
    for (const auto& [rule, count] : findings_by_rule) {
      err << fmt::format("  {:<40} {:>6}\n", rule, count);
    }
  }
};

int RunJsonl(const rules::Engine& engine, const CheckFlags& flags, std::istream& in,
             std::ostream& out) {
  Summary summary;
  rules::Workspace workspace;
  rules::CheckResult result;
  rapidjson::StringBuffer buffer;
  std::string line;
  bool truncated = false;
  bool input_error = false;
  bool failed = false;
  while (ReadBoundedLine(in, flags.max_line_bytes, &line, &truncated)) {
    buffer.Clear();
    rules::JsonWriter writer(buffer);
    if (rules::CheckJsonLine(engine, line, truncated, flags.max_line_bytes, &workspace, &result,
                             writer)) {
      failed |= result.verdict != rules::Verdict::kAllow;
      summary.Add(result);
    } else {
      input_error = true;
      ++summary.errors;
    }
    out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
    out.put('\n');
  }
  out.flush();
  if (flags.summary) summary.Print(std::cerr);
  if (input_error) return kExitUsage;
  return failed && !flags.exit_zero ? kExitFailed : kExitOk;
}

void PrintText(const rules::CheckResult& result, std::string_view answer, size_t index,
               size_t count, std::ostream& out) {
  if (count > 1) out << "[" << index + 1 << "] ";
  out << rules::VerdictName(result.verdict) << "\n";
  for (const auto& f : result.findings) {
    out << "  " << rules::SeverityName(f.rule->severity) << "  " << f.rule->id << "  ["
        << f.span.begin << "," << f.span.end << ")  \""
        << answer.substr(f.span.begin, f.span.size()) << "\"\n"
        << "      " << f.rule->Message(result.lang) << "\n"
        << "      " << f.citation().text << "\n";
  }
}

// For rule authors: what the extractor read from each sentence, with the question's context (its
// drug, its strengths) as the check itself reads it.
void PrintExplain(const rules::Engine& engine, std::string_view text, std::string_view question,
                  std::ostream& out) {
  rules::Workspace ws;
  ws.scan_all = true;  // show every cue, also in a text without a medicine
  rules::CheckResult ignored;
  (void)engine.Check({text, question}, &ws, &ignored);  // the text was checked just before
  const auto& normalized = ws.answer.text;
  for (size_t s = 0; s < ws.sentences.size(); ++s) {
    const auto span = ws.sentences[s];
    out << "  sentence " << s << ": " << normalized.substr(span.begin, span.size()) << "\n";
    for (const auto& token : ws.tokens) {
      if (token.span.begin < span.begin || token.span.end > span.end) continue;
      static constexpr const char* kKinds[] = {"drug",  "dose", "frequency", "duration",
                                               "route", "herb", "cue",       "product"};
      out << "    " << kKinds[static_cast<int>(token.kind)];
      if (token.kind == extract::TokenKind::kCue) out << ":" << extract::MoodName(token.cue);
      out << " '" << normalized.substr(token.span.begin, token.span.size()) << "'\n";
    }
  }
  for (const auto& st : ws.statements) {
    const std::string drug = st.drug == extract::kHerbalRecipe ? std::string("(herbal recipe)")
                             : st.drug == extract::kUnknownProduct
                                 ? std::string("(named product)")
                                 : engine.lexicon().drugs()[st.drug].id;
    out << fmt::format("  statement: {} mood={} sentence={} dose={} per_day={} days={} route={}",
                       drug, extract::MoodName(st.mood), st.sentence,
                       st.dose ? st.dose->high : (st.count_dose ? st.count_dose->high : 0),
                       st.per_day, st.duration_days, st.has_route);
    if (auto daily = st.DailyMg()) out << fmt::format(" daily_mg={}", *daily);
    out << "\n";
  }
}

}  // namespace

int RunCheck(const CheckFlags& flags, std::istream& in, std::ostream& out, std::ostream& err) {
  if (!flags.jsonl && flags.texts.empty()) {
    err << "medaudit check: give TEXT arguments, '-' for stdin, or --jsonl\n";
    return kExitUsage;
  }
  if (flags.format != "text" && flags.format != "json") {
    err << "medaudit check: --format is text or json\n";
    return kExitUsage;
  }
#ifdef M_ARENA_MAX
  // An arena per loading thread (this one, the pack loader, the two database threads): with one
  // arena they took turns for its lock, and the futex wake-ups cost more than the mprotect calls
  // a thread's own arena makes to grow (measured: -5 ms wall, -10 ms CPU per start-up;
  // docs/bench.md).
  mallopt(M_ARENA_MAX, 4);
#endif
  PrepareHeapForEngine();
  PrepareThreadArenas(3);  // the pack loader and the two database threads
  EngineFlags engine_flags = flags.engine;
  engine_flags.pack_tests = false;      // check never reads them
  engine_flags.identify_rules = false;  // nor reports rules_sha256
  // Texts given as arguments share one --question: without it, no check reads the question
  // database (the second largest), so it is not loaded. JSON lines may each carry a question.
  engine_flags.questions = flags.jsonl || !flags.question.empty();
  auto engine = LoadEngineOrReport(engine_flags);
  if (!engine) return kExitUsage;
  if (flags.jsonl) return RunJsonl(*engine, flags, in, out);

  rules::Workspace workspace;
  rules::CheckResult result;
  bool failed = false;
  bool input_error = false;
  for (size_t i = 0; i < flags.texts.size(); ++i) {
    std::string text = flags.texts[i];
    if (text == "-") text.assign(std::istreambuf_iterator<char>(in), {});
    rules::CheckInput input{text, flags.question, text::ParseLang(flags.lang)};
    if (auto status = engine->Check(input, &workspace, &result); !status) {
      err << "medaudit check: text " << i + 1 << ": " << status.error().ToString() << "\n";
      input_error = true;
      continue;
    }
    failed |= result.verdict != rules::Verdict::kAllow;
    if (flags.format == "json") {
      rapidjson::StringBuffer buffer;
      rules::JsonWriter writer(buffer);
      rapidjson::Value id(static_cast<uint64_t>(i));
      rules::WriteCheckResult(writer, &id, result, text);
      out << buffer.GetString() << "\n";
    } else {
      PrintText(result, text, i, flags.texts.size(), out);
      if (flags.explain) PrintExplain(*engine, text, flags.question, out);
    }
  }
  if (input_error) return kExitUsage;
  return failed && !flags.exit_zero ? kExitFailed : kExitOk;
}

}  // namespace medaudit::cli

namespace medaudit::cli {

void AddCheckCommands(CLI::App& app, CommandList* commands) {
  auto flags = std::make_shared<CheckFlags>();
  flags->engine.keep_until_exit = true;  // the process's own command: exit frees everything
  auto* cmd = app.add_subcommand("check", "check answers: allow / flag / block with findings");
  AddEngineFlags(cmd, &flags->engine);
  cmd->add_option("--format", flags->format, "text or json (argument mode)");
  cmd->add_flag("--jsonl", flags->jsonl, "JSON Lines in on stdin, one result line out each");
  cmd->add_option("--question", flags->question, "the question the answer replies to");
  cmd->add_option("--lang", flags->lang, "answer language zh|en|ar (default: detected)");
  cmd->add_flag("--exit-zero", flags->exit_zero, "exit 0 even when answers are flagged");
  cmd->add_option("--max-line-bytes", flags->max_line_bytes, "longest JSONL line accepted");
  cmd->add_flag("--summary", flags->summary, "with --jsonl: print a summary table to stderr");
  cmd->add_flag("--explain", flags->explain, "print sentences, tokens and statements");
  cmd->add_option("texts", flags->texts, "texts to check; '-' reads stdin");
  commands->push_back({cmd, [flags] { return RunCheck(*flags, std::cin, std::cout, std::cerr); }});
}

}  // namespace medaudit::cli
