// libFuzzer target: the corpus line reader (audit::ParseCorpusLine, audit::CorpusReader) and the
// importers (CSV, HealthBench, K-QA) on arbitrary bytes. Byte 0 picks the importer.
// Properties: the reader returns one item per non-blank line with index = line number; an item
// either has an error code or an id; ids of error-free items are unique; every line an importer
// writes is a JSON object that ParseCorpusLine reads without an invalid_json/invalid_utf8 error,
// and ImportStats::items equals the number of lines written.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "audit/corpus.h"
#include "audit/importers.h"
#include "base/sha256.h"
#include "fuzz_util.h"

namespace {

using namespace medaudit;

const std::string& TempPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr ? dir : "/tmp") + "/medaudit_fuzz_corpus_" +
           std::to_string(getpid()) + ".jsonl";
  }();
  return path;
}

void FuzzReader(std::string_view bytes) {
  {
    std::ofstream out(TempPath(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  audit::CorpusOptions options;
  options.max_line_bytes = 4096;  // small, so that too-long lines are reached
  auto reader = audit::CorpusReader::Open(TempPath(), options);
  FUZZ_CHECK(static_cast<bool>(reader));
  audit::CorpusItem item;
  std::set<std::string> ids;
  int64_t last_index = -1;
  size_t items = 0;
  while ((*reader)->Next(&item)) {
    ++items;
    FUZZ_CHECK(item.index > last_index);
    last_index = item.index;
    FUZZ_CHECK(item.error.empty() == item.error_code.empty());
    if (item.error.empty()) FUZZ_CHECK(ids.insert(item.id).second);
  }
  // The corpus hash (checked on --resume) covers every byte of the file. (bytes_read() is only
  // approximate: it is for progress and does not count dropped '\r' or truncated bytes.)
  Sha256 whole;
  whole.Update(bytes);
  FUZZ_CHECK((*reader)->Sha256Hex() == whole.FinishHex());
  // Every line on its own, as the reader sees it.
  size_t start = 0;
  int64_t index = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos && line.size() <= 4096) {
      const audit::CorpusItem one = audit::ParseCorpusLine(line, index);
      FUZZ_CHECK(one.index == index);
      FUZZ_CHECK(one.error.empty() == one.error_code.empty());
    }
    start = end + 1;
    ++index;
  }
}

void FuzzImporter(uint8_t which, std::string_view bytes) {
  std::istringstream in{std::string(bytes)};
  std::ostringstream out;
  Result<audit::ImportStats> stats = audit::ImportStats{};
  switch (which % 3) {
    case 0: {
      auto mapping = audit::ParseCsvMapping("id=1,question=2,answer=3,baseline=4,lang=5");
      FUZZ_CHECK(static_cast<bool>(mapping));
      stats = audit::ImportCsv(in, *mapping, out);
      break;
    }
    case 1:
      stats = audit::ImportHealthBench(in, out);
      break;
    default:
      stats = audit::ImportKqa(in, out);
      break;
  }
  if (!stats) return;
  const std::string written = out.str();
  size_t start = 0;
  int64_t lines = 0;
  while (start < written.size()) {
    size_t end = written.find('\n', start);
    FUZZ_CHECK(end != std::string::npos);  // every item line ends with '\n'
    const std::string_view line(written.data() + start, end - start);
    const audit::CorpusItem item = audit::ParseCorpusLine(line, lines);
    if (item.error_code == "invalid_json" || item.error_code == "invalid_utf8") {
      std::fprintf(stderr, "importer wrote a bad line (%s): %.*s\n", item.error.c_str(),
                   static_cast<int>(line.size()), line.data());
      std::abort();
    }
    ++lines;
    start = end + 1;
  }
  FUZZ_CHECK(stats->items == lines);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  FuzzReader(bytes);
  FuzzImporter(data[0], bytes);
  return 0;
}
