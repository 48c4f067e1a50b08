// Match throughput: scans the shared corpora texts (answer/baseline/question, ASCII-lowercased)
// with ~3,000 literals (en/zh/ar drug names and dosage-form variants) + ~60 regexes, with the
// Hyperscan and RE2 engines and a memchr pass over the same bytes. Prints MB/s side by side,
// per-text latency percentiles, compile and cache-load times.
//   match_bench [shared_dir] [iterations]
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "match/database.h"

namespace {

using Clock = std::chrono::steady_clock;
using medaudit::match::Database;
using medaudit::match::Engine;
using medaudit::match::Hit;
using medaudit::match::PatternSpec;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

struct Corpus {
  std::vector<std::string> texts;
  std::set<std::string> names_en, names_zh, names_ar;
};

Corpus LoadCorpus(const std::filesystem::path& corpora) {
  Corpus corpus;
  for (const auto& entry : std::filesystem::directory_iterator(corpora)) {
    const auto file = entry.path() / "items.jsonl";
    if (!std::filesystem::exists(file)) continue;
    const bool eml = entry.path().filename() == "who_eml_gnuhealth";
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document doc;
      doc.Parse(line.data(), line.size());
      if (doc.HasParseError() || !doc.IsObject()) continue;
      for (const char* field : {"answer", "baseline", "question"}) {
        auto it = doc.FindMember(field);
        if (it != doc.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
          corpus.texts.push_back(Lower(it->value.GetString()));
        }
      }
      auto labels = doc.FindMember("labels");
      if (labels == doc.MemberEnd() || !labels->value.IsObject()) continue;
      auto get = [&](const char* key) -> std::string {
        auto it = labels->value.FindMember(key);
        return it != labels->value.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
      };
      if (eml) {
        auto q = doc.FindMember("question");
        if (q != doc.MemberEnd() && q->value.IsString())
          corpus.names_en.insert(Lower(q->value.GetString()));
        if (auto zh = get("name_zh"); !zh.empty()) corpus.names_zh.insert(zh);
        if (auto ar = get("name_ar"); !ar.empty()) corpus.names_ar.insert(ar);
      } else if (auto drug = get("focus_drug"); !drug.empty() && drug.size() < 40) {
        corpus.names_en.insert(Lower(drug));
      }
    }
  }
  return corpus;
}

std::vector<PatternSpec> Patterns(const Corpus& corpus) {
  std::vector<PatternSpec> specs;
  std::set<std::string> seen;
  uint32_t id = 1;
  auto add = [&](const std::string& literal, bool boundary) {
    if (literal.size() < 2 || !seen.insert(literal).second) return;
    specs.push_back(PatternSpec{id++, literal, true, boundary});
  };
  for (const auto& n : corpus.names_en) add(n, true);
  for (const auto& n : corpus.names_zh) add(n, false);
  for (const auto& n : corpus.names_ar) add(n, false);
  // Dosage-form variants, as rule packs list them.
  for (const char* suffix : {" tablets", " injection"}) {
    for (const auto& n : corpus.names_en) add(n + suffix, true);
  }
  for (const char* suffix : {"片", "注射液"}) {
    for (const auto& n : corpus.names_zh) add(n + suffix, false);
  }
  for (const char* prefix : {"أقراص "}) {
    for (const auto& n : corpus.names_ar) add(prefix + n, false);
  }
  const char* regexes[] = {
      "[0-9]+(\\.[0-9]+)?\\s*(mg|g|ml|mcg|µg|iu|units?|毫克|克|毫升|微克|片|粒|支)",
      "每[日天晚周]\\s*[0-9一二三四两]+\\s*次",
      "一[日天]\\s*[0-9一二三四两]+\\s*次",
      "每次\\s*[0-9一二三四两半]+(\\.[0-9]+)?\\s*(片|粒|mg|毫克|克|袋|支|ml|毫升)",
      "every\\s+[0-9]+(\\s*(to|-)\\s*[0-9]+)?\\s*(hours|hrs|h)",
      "q[0-9]+h",
      "q\\.?[0-9]+\\.?h",
      "كل\\s*[0-9]+\\s*ساع",
      "[0-9]+\\s*(مجم|ملغ|ملغم|مل|جرام|غرام)",
      "(take|taking|prescribe|prescribed|start|begin)\\s+[a-z]+\\s+[0-9]+",
      "(once|twice|three times|four times)\\s+(a|per)\\s+day",
      "[0-9]+\\s*times?\\s+(a|per)\\s+(day|week)",
      "(i|we)\\s+(recommend|prescribe|suggest)\\s+(you\\s+)?(take|taking|start)",
      "(建议|可以|需要)(服用|口服|使用|注射)",
      "(口服|静脉滴注|肌注|外用)[^，。,.]{1,12}",
      "(يمكنك|ننصح|انصح|أنصح)\\s*(بتناول|باستخدام|بأخذ)",
      "[0-9]+\\s*-\\s*[0-9]+\\s*(mg|毫克|片)",
      "(mg|ml)/(kg|day|d)",
      "(疗程|连用|连续服用)\\s*[0-9一二三四五六七两]+\\s*(天|周|日|个月)",
      "for\\s+[0-9]+\\s*(days|weeks|months)",
      "[0-9]+(\\.[0-9]+)?\\s*%",
      "(bid|tid|qid|qd|prn|po|iv|im)",
      "(increase|decrease|reduce|double)\\s+(the\\s+)?dose",
      "(stop|discontinue)\\s+taking",
      "(加量|减量|停药|换药)",
      "(剂量|用量)\\s*(为|是)?\\s*[0-9]+",
      "max(imum)?\\s+(daily\\s+)?dose",
      "[0-9]+\\s*(puffs?|drops?|sprays?)",
      "(at|before)\\s+(bedtime|meals)",
      "(饭前|饭后|睡前)\\s*(服用|口服)?",
      "(زيادة|تقليل)\\s*الجرعة"};
  for (const char* r : regexes) specs.push_back(PatternSpec{id++, r, false, true});
  for (const char* r : regexes) specs.push_back(PatternSpec{id++, r, false, false});
  return specs;
}

struct Run {
  double mbps = 0, p50_us = 0, p99_us = 0, max_us = 0;
  size_t hits = 0;
};

template <class F>
Run Measure(const std::vector<std::string>& texts, size_t bytes, int iterations, F scan) {
  Run run;
  std::vector<double> latencies;
  latencies.reserve(texts.size() * iterations);
  const auto start = Clock::now();
  for (int it = 0; it < iterations; ++it) {
    for (const auto& text : texts) {
      const auto t0 = Clock::now();
      run.hits += scan(text);
      latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.mbps = static_cast<double>(bytes) * iterations / seconds / 1e6;
  std::sort(latencies.begin(), latencies.end());
  run.p50_us = latencies[latencies.size() / 2];
  run.p99_us = latencies[latencies.size() * 99 / 100];
  run.max_us = latencies.back();
  run.hits /= static_cast<size_t>(iterations);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  std::string shared = argc > 1 ? argv[1] : "";
  if (shared.empty()) {
    const char* env = std::getenv("MEDAUDIT_SHARED");
    shared = env != nullptr && *env != '\0' ? env : MEDAUDIT_SOURCE_DIR "/../shared";
  }
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 3;
  const auto corpora = std::filesystem::path(shared) / "corpora";
  if (!std::filesystem::exists(corpora)) {
    std::fprintf(stderr, "no corpora at %s\n", corpora.c_str());
    return 1;
  }
  const Corpus corpus = LoadCorpus(corpora);
  const std::vector<PatternSpec> specs = Patterns(corpus);
  size_t bytes = 0, literals = 0;
  for (const auto& t : corpus.texts) bytes += t.size();
  for (const auto& s : specs) literals += s.literal ? 1 : 0;
  std::printf(
      "corpus: %zu texts, %.1f MB (mean %.0f bytes); patterns: %zu literals + %zu regexes\n",
      corpus.texts.size(), bytes / 1e6, static_cast<double>(bytes) / corpus.texts.size(), literals,
      specs.size() - literals);

  const auto cache_dir = std::filesystem::temp_directory_path() / "medaudit_match_bench_cache";
  std::filesystem::remove_all(cache_dir);
  std::vector<std::shared_ptr<const Database>> dbs;
  for (Engine engine : {Engine::kHyperscan, Engine::kRe2}) {
    medaudit::match::Options options;
    options.engine = engine;
    options.cache_dir = engine == Engine::kHyperscan ? cache_dir.string() : "";
    auto t0 = Clock::now();
    auto db = Database::Compile(specs, options);
    const double compile_ms = Ms(Clock::now() - t0);
    if (!db) {
      std::fprintf(stderr, "compile failed: %s\n", db.error().ToString().c_str());
      return 1;
    }
    std::printf("%-10s compile %8.1f ms", std::string(EngineName((*db)->engine())).c_str(),
                compile_ms);
    if (engine == Engine::kHyperscan) {
      t0 = Clock::now();
      auto cached = Database::Compile(specs, options);
      const double load_ms = Ms(Clock::now() - t0);
      std::printf("   cache load %6.1f ms (from_cache=%d)", load_ms,
                  cached && (*cached)->from_cache() ? 1 : 0);
    }
    std::printf("\n");
    dbs.push_back(*db);
  }
  std::filesystem::remove_all(cache_dir);

  std::vector<Hit> hits;
  const Run hs = Measure(corpus.texts, bytes, iterations, [&](const std::string& t) {
    dbs[0]->Scan(t, &hits);
    return hits.size();
  });
  const Run re2 = Measure(corpus.texts, bytes, iterations, [&](const std::string& t) {
    dbs[1]->Scan(t, &hits);
    return hits.size();
  });
  const Run mem = Measure(corpus.texts, bytes, iterations, [&](const std::string& t) {
    return std::memchr(t.data(), '\x01', t.size()) != nullptr ? size_t{1} : size_t{0};
  });
  std::printf("\n%-10s %10s %10s %10s %10s %10s\n", "engine", "MB/s", "p50 us", "p99 us", "max us",
              "hits");
  for (const auto& [name, run] :
       {std::pair<const char*, Run>{"hyperscan", hs}, {"re2", re2}, {"memchr", mem}}) {
    std::printf("%-10s %10.1f %10.2f %10.2f %10.1f %10zu\n", name, run.mbps, run.p50_us, run.p99_us,
                run.max_us, run.hits);
  }
  std::printf("\nratios: hyperscan/re2 %.2fx, memchr/hyperscan %.1fx, memchr/re2 %.1fx; hits %s\n",
              hs.mbps / re2.mbps, mem.mbps / hs.mbps, mem.mbps / re2.mbps,
              hs.hits == re2.hits ? "equal" : "DIFFER");
  return hs.hits == re2.hits ? 0 : 2;
}
