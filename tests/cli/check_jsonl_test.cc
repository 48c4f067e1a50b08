// `medaudit check --jsonl` through the real binary: the bad-input contract of design.md §4 —
// every bad line gets its own error object, the rest of the stream is processed, exit code 2.
#include <rapidjson/document.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct RunResult {
  int exit_code = -1;
  std::vector<std::string> lines;
};

RunResult RunCheck(const std::string& input, const std::string& args = "--jsonl") {
  // Unique per process and call: CTest runs test cases in parallel processes.
  static int calls = 0;
  const std::string stem =
      "/tmp/medaudit_check_test_" + std::to_string(::getpid()) + "_" + std::to_string(calls++);
  const std::string in_path = stem + "_in.jsonl";
  const std::string out_path = stem + "_out.jsonl";
  std::ofstream(in_path, std::ios::binary) << input;
  const std::string cmd = std::string(MEDAUDIT_BINARY) + " check " + args + " --rules " +
                          MEDAUDIT_SOURCE_DIR + "/rules < " + in_path + " > " + out_path +
                          " 2>/dev/null";
  const int status = std::system(cmd.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream out(out_path, std::ios::binary);
  for (std::string line; std::getline(out, line);) result.lines.push_back(line);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  return result;
}

rapidjson::Document ParseLine(const std::string& line) {
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

std::string ErrorCode(const rapidjson::Document& doc) {
  REQUIRE(doc.HasMember("error"));
  return doc["error"]["code"].GetString();
}

}  // namespace

TEST_CASE("Check JSONL: one output line per input line in input order", "[cli]") {
  const auto run = RunCheck(
      "{\"id\": 1, \"answer\": \"Take ibuprofen 400 mg every 6 hours.\"}\n"
      "{\"id\": \"b\", \"answer\": \"Rest and drink fluids.\", \"extra\": [1,2]}\n"
      "{\"id\": {\"k\": 3}, \"answer\": \"建议口服阿莫西林胶囊0.5g，每日三次。\", \"lang\": "
      "\"zh\"}\n");
  REQUIRE(run.lines.size() == 3);
  auto first = ParseLine(run.lines[0]);
  CHECK(first["id"].GetInt() == 1);
  CHECK(std::string(first["verdict"].GetString()) == "block");
  const auto& finding = first["findings"][0];
  CHECK(std::string(finding["rule"].GetString()) == "cn-bj.ai-prescription");
  CHECK(std::string(finding["category"].GetString()) == "ai_prescription");
  const std::string answer = "Take ibuprofen 400 mg every 6 hours.";
  const auto begin = finding["span"][0].GetUint();
  const auto end = finding["span"][1].GetUint();
  CHECK(answer.substr(begin, end - begin) == finding["evidence"].GetString());
  auto second = ParseLine(run.lines[1]);
  CHECK(std::string(second["id"].GetString()) == "b");
  CHECK(std::string(second["verdict"].GetString()) == "allow");
  auto third = ParseLine(run.lines[2]);
  CHECK(third["id"]["k"].GetInt() == 3);
  CHECK(std::string(third["verdict"].GetString()) == "block");
  CHECK(run.exit_code == 1);
}

TEST_CASE("Check JSONL: bad lines get error objects and the stream goes on", "[cli]") {
  std::string input;
  input += "{\"id\": 1, \"answer\": \"fine\"\n";                    // invalid JSON
  input += "{\"id\": 2, \"answer\": \"bad \xff\xfe utf8\"}\n";      // invalid UTF-8
  input += "{\"id\": 3}\n";                                         // missing answer
  input += "{\"id\": 4, \"answer\": 42}\n";                         // non-string answer
  input += "\n";                                                    // empty line
  input += "[1, 2]\n";                                              // not an object
  input += "{\"id\": 7, \"answer\": \"Drink water and rest.\"}\n";  // fine
  const auto run = RunCheck(input);
  REQUIRE(run.lines.size() == 7);
  CHECK(ErrorCode(ParseLine(run.lines[0])) == "invalid_json");
  auto utf8 = ParseLine(run.lines[1]);
  CHECK(ErrorCode(utf8) == "invalid_utf8");
  CHECK(ErrorCode(ParseLine(run.lines[2])) == "missing_field");
  auto missing = ParseLine(run.lines[3]);
  CHECK(ErrorCode(missing) == "missing_field");
  CHECK(missing["id"].GetInt() == 4);
  CHECK(ErrorCode(ParseLine(run.lines[4])) == "invalid_json");
  CHECK(ErrorCode(ParseLine(run.lines[5])) == "invalid_json");
  auto last = ParseLine(run.lines[6]);
  CHECK(std::string(last["verdict"].GetString()) == "allow");
  CHECK(run.exit_code == 2);
}

TEST_CASE("Check JSONL: an 8 MiB answer gets a verdict", "[cli][slow]") {
  std::string answer;
  const std::string sentence = "Rest, drink fluids and see a doctor if the fever lasts. ";
  while (answer.size() < (size_t{8} << 20)) answer += sentence;
  answer += "Take ibuprofen 400 mg every 6 hours.";
  const auto run = RunCheck("{\"id\": \"big\", \"answer\": \"" + answer +
                            "\"}\n{\"id\": 2, \"answer\": \"ok\"}\n");
  REQUIRE(run.lines.size() == 2);
  auto big = ParseLine(run.lines[0]);
  CHECK(std::string(big["verdict"].GetString()) == "block");
  CHECK(big["findings"][0]["span"][0].GetUint() > (8u << 20) - 100);
}

TEST_CASE("Check JSONL: a line over --max-line-bytes is an error, not a crash", "[cli]") {
  const std::string answer(4096, 'a');
  const auto run =
      RunCheck("{\"id\": 1, \"answer\": \"" + answer + "\"}\n{\"id\": 2, \"answer\": \"ok\"}\n",
               "--jsonl --max-line-bytes 1000");
  REQUIRE(run.lines.size() == 2);
  CHECK(ErrorCode(ParseLine(run.lines[0])) == "too_large");
  CHECK(std::string(ParseLine(run.lines[1])["verdict"].GetString()) == "allow");
  CHECK(run.exit_code == 2);
}

TEST_CASE("Check: usage errors exit 2", "[cli]") {
  const std::string cmd = std::string(MEDAUDIT_BINARY) + " check --format yaml x >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 2);
  const std::string bad_rules =
      std::string(MEDAUDIT_BINARY) + " check --rules /nonexistent x >/dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(bad_rules.c_str())) == 2);
}
