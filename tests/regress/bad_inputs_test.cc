// The bad-input catalogue (docs/bad-inputs.md): every entry of tests/bad-inputs/catalogue.tsv is
// run through the real binary and must give exactly the exit code and output recorded there.
// Entries marked `todo` are known gaps: they record today's behaviour, so fixing one makes its
// entry fail here until the catalogue is updated.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const std::string kDir = std::string(MEDAUDIT_SOURCE_DIR) + "/tests/bad-inputs";

struct Entry {
  std::string id, file, runner, args;
  int exit = 0;
  std::vector<std::string> expect;
  std::string status;
};

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep) parts.emplace_back();
  return parts;
}

std::vector<Entry> Catalogue() {
  std::ifstream in(kDir + "/catalogue.tsv");
  REQUIRE(in.good());
  std::vector<Entry> entries;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto cols = Split(line, '\t');
    REQUIRE(cols.size() == 8);
    Entry e{cols[0], cols[1], cols[2], cols[3], std::stoi(cols[4]), {}, cols[6]};
    if (!cols[5].empty()) e.expect = Split(cols[5], '|');
    REQUIRE((e.status == "ok" || e.status == "todo"));
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void Write(const fs::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

// A fresh directory per run: CTest runs test cases of this binary in parallel processes.
fs::path TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "medaudit-bad-XXXXXX").string();
  REQUIRE(mkdtemp(tmpl.data()) != nullptr);
  return tmpl;
}

// Inputs too large to keep in the repository.
std::string Generate(const std::string& name) {
  if (name == "long-line") {
    std::string answer;
    while (answer.size() < (size_t{2} << 20)) answer += "Rest and drink fluids. ";
    answer += "Take amoxicillin 500 mg three times a day.";
    return "{\"id\":\"long\",\"answer\":\"" + answer + "\"}\n";
  }
  if (name == "long-word") {
    return std::string(size_t{1} << 20, 'a') + " amoxicillin 500 mg three times a day";
  }
  if (name == "deep-json") return std::string(1000000, '[');
  if (name == "deep-json-corpus") {
    return "{\"id\":\"a\",\"answer\":\"Rest.\",\"labels\":" + std::string(1000000, '[') + "}\n";
  }
  FAIL("unknown generated input " << name);
  return {};
}

struct Outcome {
  int exit = -1;
  std::string output;  // stdout then stderr
};

Outcome Run(const Entry& e, const fs::path& tmp) {
  fs::path input;
  if (e.file.rfind("gen:", 0) == 0) {
    input = tmp / ("input-" + e.file.substr(4));
    Write(input, Generate(e.file.substr(4)));
  } else {
    input = fs::path(kDir) / e.file;
  }
  const std::string bin = std::string("'") + MEDAUDIT_BINARY + "'";
  const std::string in = "'" + input.string() + "'";
  std::string cmd;
  if (e.runner == "check") {
    cmd = bin + " check --format json " + e.args + " - < " + in;
  } else if (e.runner == "jsonl") {
    cmd = bin + " check --jsonl " + e.args + " < " + in;
  } else if (e.runner == "audit") {
    cmd = bin + " audit " + in + " --model bad --no-store --out '" + (tmp / "out").string() + "' " +
          e.args;
  } else if (e.runner == "import-csv") {
    cmd = bin + " import csv " + in + " --map id=id,question=question,answer=answer " + e.args;
  } else if (e.runner == "import-healthbench") {
    cmd = bin + " import healthbench " + in + " " + e.args;
  } else if (e.runner == "gate") {
    cmd = bin + " gate --policy " + in + " --report '" + kDir + "/fixtures/clean-report.json' " +
          e.args;
  } else if (e.runner == "pack") {
    const fs::path rules = tmp / "rules";
    fs::create_directories(rules);
    fs::create_directory_symlink(fs::path(MEDAUDIT_SOURCE_DIR) / "rules" / "knowledge",
                                 rules / "knowledge");
    fs::copy_file(input, rules / "pack.json");
    // The shared compiled-rules cache: the knowledge databases a pack needs take seconds to
    // compile, and every pack entry here needs the same ones.
    cmd = bin + " rules test --rules '" + rules.string() + "' " + e.args;
  } else {
    FAIL("unknown runner " << e.runner);
  }
  const fs::path out = tmp / "stdout", err = tmp / "stderr";
  cmd += " > '" + out.string() + "' 2> '" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  Outcome o;
  o.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.output = Slurp(out) + Slurp(err);
  return o;
}

}  // namespace

TEST_CASE("bad inputs: every catalogue entry gives its recorded outcome", "[regress][bad-inputs]") {
  const auto entries = Catalogue();
  REQUIRE(entries.size() >= 60);
  for (const Entry& e : entries) {
    const fs::path tmp = TempDir();
    const Outcome o = Run(e, tmp);
    fs::remove_all(tmp);
    INFO(e.id << " (" << e.status << "): " << e.runner << " " << e.file << " " << e.args
              << "\noutput: " << o.output.substr(0, 2000));
    CHECK(o.exit == e.exit);
    for (const auto& piece : e.expect) {
      INFO("expected to contain: " << piece);
      CHECK(o.output.find(piece) != std::string::npos);
    }
  }
}

TEST_CASE("bad inputs: every file is catalogued and documented", "[regress][bad-inputs]") {
  const auto entries = Catalogue();
  std::set<std::string> files, ids;
  for (const Entry& e : entries) {
    files.insert(e.file);
    CHECK(ids.insert(e.id).second);
  }
  for (const auto& item : fs::directory_iterator(kDir)) {
    const std::string name = item.path().filename().string();
    if (!item.is_regular_file() || name == "catalogue.tsv" || name == "make_inputs.py") continue;
    INFO(name);
    CHECK(files.count(name) == 1);
  }
  const std::string doc = Slurp(fs::path(MEDAUDIT_SOURCE_DIR) / "docs" / "bad-inputs.md");
  for (const auto& id : ids) {
    INFO("docs/bad-inputs.md lacks " << id);
    CHECK(doc.find("`" + id + "`") != std::string::npos);
  }
}
