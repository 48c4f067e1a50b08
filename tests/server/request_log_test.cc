// server::RequestLog: one JSON object per line with "ts" first; the path without its query;
// client values escaped and invalid UTF-8 replaced; server messages as {"ts", "message"}.
#include "server/request_log.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("serve: the request log writes one JSON object per line") {
  std::ostringstream out;
  medaudit::server::RequestLog log(&out);
  log.Write("req-1", "POST", "/v1/check?token=secret", 200, 312, 87);
  log.Write("req-\"2\"", "GET", std::string("/x\xff", 3), 404, 0, -1);
  log.Message("rules reloaded");
  const auto lines = Lines(out.str());
  REQUIRE(lines.size() == 3);
  CHECK(out.str().back() == '\n');
  for (const auto& line : lines) {
    INFO(line);
    CHECK(line.rfind(R"({"ts":")", 0) == 0);
    rapidjson::Document doc;
    doc.Parse(line.data(), line.size());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
    CHECK(doc["ts"].GetStringLength() == 24);  // 2026-11-28T19:40:00.123Z
  }
  CHECK(lines[0].substr(lines[0].find(R"(,"id")")) ==
        R"(,"id":"req-1","method":"POST","path":"/v1/check","status":200,"bytes":312,)"
        R"("micros":87})");
  CHECK(lines[1].find(R"("id":"req-\"2\"")") != std::string::npos);
  CHECK(lines[1].find(R"x("path":"(invalid UTF-8)")x") != std::string::npos);
  CHECK(lines[1].find(R"("micros":-1})") != std::string::npos);
  CHECK(lines[2].substr(lines[2].find(R"(,"message")")) == R"(,"message":"rules reloaded"})");
  CHECK(lines[0].find("secret") == std::string::npos);
}

TEST_CASE("serve: a request log without a stream writes nothing") {
  medaudit::server::RequestLog log(nullptr);
  log.Write("req-1", "GET", "/healthz", 200, 15, 3);
  log.Message("started");
  SUCCEED();
}
