// Every route of `medaudit serve` over real HTTP on a loopback ephemeral port: check, batch,
// guard (zh/en/ar notices), rules, health, readiness, metrics, audits and their reports, and the
// error codes each produces.
#include "server/routes.h"

#include <rapidjson/document.h>

#include <chrono>
#include <thread>

#include "server_fixture.h"

namespace {

using namespace medaudit;
using namespace medaudit::testing;

rapidjson::Document ParseJson(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  INFO(body);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string ErrorCodeOf(const HttpResult& r) {
  auto doc = ParseJson(r.body);
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("error"));
  REQUIRE(doc["error"]["message"].IsString());
  return doc["error"]["code"].GetString();
}

const std::string kRx = "Take amoxicillin 500 mg three times a day for 7 days.";

TEST_CASE("serve: POST /v1/check follows the check JSON contract", "[server]") {
  TestServer server;
  auto client = server.Client();

  auto r = client->PostJson("/v1/check", R"({"id": "a1", "answer": ")" + kRx + R"("})");
  REQUIRE(r.ok);
  CHECK(r.status == 200);
  CHECK(r.Header("content-type") == "application/json");
  CHECK_FALSE(r.Header("x-request-id").empty());
  auto doc = ParseJson(r.body);
  CHECK(std::string(doc["id"].GetString()) == "a1");
  CHECK(std::string(doc["verdict"].GetString()) == "block");
  REQUIRE(doc["findings"].Size() >= 1);
  const auto& f = doc["findings"][0];
  for (const char* key : {"rule", "category", "severity", "evidence", "message", "citation"}) {
    CHECK(f[key].IsString());
  }
  const auto begin = f["span"][0].GetUint(), end = f["span"][1].GetUint();
  CHECK(kRx.substr(begin, end - begin) == f["evidence"].GetString());

  r = client->PostJson("/v1/check", R"({"id": 7, "answer": "Drink water and rest."})",
                       {{"X-Request-Id", "trace-42"}});
  CHECK(r.status == 200);
  CHECK(r.Header("x-request-id") == "trace-42");
  CHECK(std::string(ParseJson(r.body)["verdict"].GetString()) == "allow");
  CHECK(ParseJson(r.body)["id"].GetInt() == 7);

  // A request id that is not a safe token is replaced.
  r = client->PostJson("/v1/check", R"({"answer": "ok"})", {{"X-Request-Id", "bad id\"<>"}});
  CHECK(r.Header("x-request-id") != "bad id\"<>");

  // Input errors: 400 with the contract's error object (id echoed when readable).
  r = client->PostJson("/v1/check", R"({"id": 3, "question": "q"})");
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "missing_field");
  CHECK(ParseJson(r.body)["id"].GetInt() == 3);
  r = client->PostJson("/v1/check", "{not json");
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "invalid_json");
  r = client->PostJson("/v1/check", "{\"answer\": \"\xff\xfe\"}");
  CHECK(r.status == 400);
  CHECK(ErrorCodeOf(r) == "invalid_utf8");
  r = client->PostJson("/v1/check", R"({"answer": "a", "answer": "b"})");
  CHECK(r.status == 400);
  r = client->PostJson("/v1/check", "");
  CHECK(r.status == 400);
  r = client->PostJson("/v1/check", std::string(1000, '['));
  CHECK(r.status == 400);

  // Media type and method.
  r = client->Request("POST", "/v1/check", R"({"answer": "x"})", {{"Content-Type", "text/html"}});
  CHECK(r.status == 415);
  CHECK(ErrorCodeOf(r) == "unsupported_media_type");
  r = client->Request("POST", "/v1/check", R"({"answer": "x"})");
  CHECK(r.status == 415);
  r = client->PostJson("/v1/check", R"({"answer": "x"})",
                       {{"Content-Type", "application/json; charset=utf-8"}});
  CHECK(r.status == 200);
  r = client->Request("GET", "/v1/check");
  CHECK(r.status == 405);
  CHECK(r.Header("allow") == "POST");
  CHECK(ErrorCodeOf(r) == "method_not_allowed");
  r = client->Request("GET", "/v1/nothing");
  CHECK(r.status == 404);
  CHECK(ErrorCodeOf(r) == "not_found");
}

TEST_CASE("serve: request bodies over the route's limit get 413", "[server]") {
  auto options = TestOptions();
  options.limits.max_check_body = 1024;
  TestServer server(options);
  auto client = server.Client();
  const std::string big = R"({"answer": ")" + std::string(2000, 'a') + R"("})";
  auto r = client->PostJson("/v1/check", big);
  REQUIRE(r.ok);
  CHECK(r.status == 413);
  CHECK(ErrorCodeOf(r) == "too_large");
  // The batch route has its own, larger limit.
  r = client->Request("POST", "/v1/check/batch", big + "\n",
                      {{"Content-Type", "application/x-ndjson"}});
  CHECK(r.status == 200);
}

TEST_CASE("serve: POST /v1/check/batch answers JSON Lines in order", "[server]") {
  TestServer server;
  auto client = server.Client();
  const std::string body = R"({"id": 1, "answer": ")" + kRx + "\"}\n" + "not json\r\n" +
                           R"({"id": 3, "answer": "Rest."})" + "\n";
  auto r =
      client->Request("POST", "/v1/check/batch", body, {{"Content-Type", "application/x-ndjson"}});
  REQUIRE(r.status == 200);
  CHECK(r.Header("content-type") == "application/x-ndjson");
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < r.body.size()) {
    const size_t nl = r.body.find('\n', pos);
    lines.push_back(r.body.substr(pos, nl - pos));
    pos = nl + 1;
  }
  REQUIRE(lines.size() == 3);
  CHECK(std::string(ParseJson(lines[0])["verdict"].GetString()) == "block");
  CHECK(ParseJson(lines[1])["error"]["code"].GetString() == std::string("invalid_json"));
  CHECK(ParseJson(lines[2])["id"].GetInt() == 3);
  CHECK(std::string(ParseJson(lines[2])["verdict"].GetString()) == "allow");
}

TEST_CASE("serve: POST /v1/guard replaces blocked sentences with a notice", "[server]") {
  TestServer server;
  auto client = server.Client();
  auto r = client->PostJson("/v1/guard", R"({"id": "g", "answer": "You may have strep throat. )" +
                                             kRx + R"( Drink plenty of water."})");
  REQUIRE(r.status == 200);
  auto doc = ParseJson(r.body);
  const std::string answer = doc["answer"].GetString();
  CHECK(answer.find("amoxicillin") == std::string::npos);
  CHECK(answer.find("You may have strep throat.") == 0);
  CHECK(answer.find("licensed physician") != std::string::npos);
  CHECK(answer.find("Drink plenty of water.") != std::string::npos);
  CHECK(doc["removed_sentences"].GetInt() == 1);
  CHECK(std::string(doc["verdict"].GetString()) == "block");
  CHECK(doc["findings"].Size() >= 1);

  r = client->PostJson("/v1/guard",
                       R"({"answer": "建议口服阿莫西林0.5g，每日三次，连用7天。多喝水。"})");
  REQUIRE(r.status == 200);
  doc = ParseJson(r.body);
  const std::string zh = doc["answer"].GetString();
  CHECK(zh.find("阿莫西林") == std::string::npos);
  CHECK(zh.find("执业医师") != std::string::npos);
  CHECK(zh.find("多喝水") != std::string::npos);

  r = client->PostJson(
      "/v1/guard",
      R"({"lang": "ar", "answer": "تناول أموكسيسيلين 500 ملغ ثلاث مرات يوميا لمدة 7 أيام."})");
  REQUIRE(r.status == 200);
  doc = ParseJson(r.body);
  if (doc["removed_sentences"].GetInt() > 0) {
    CHECK(std::string(doc["answer"].GetString()).find("طبيب") != std::string::npos);
  }

  r = client->PostJson("/v1/guard", R"({"answer": "Rest and drink fluids."})");
  doc = ParseJson(r.body);
  CHECK(std::string(doc["answer"].GetString()) == "Rest and drink fluids.");
  CHECK(doc["removed_sentences"].GetInt() == 0);
  r = client->PostJson("/v1/guard", R"({"question": "no answer"})");
  CHECK(r.status == 400);
}

TEST_CASE("serve: an integer id beyond 64 bits is echoed with its digits", "[server]") {
  // docs/bad-inputs.md big-integer-id: RapidJSON keeps such a number only as a rounded double.
  TestServer server;
  auto client = server.Client();
  const std::string id = "123456789012345678901234567890";
  auto r = client->PostJson("/v1/check", R"({"id": )" + id + R"(, "answer": "Rest."})");
  REQUIRE(r.status == 200);
  CHECK(r.body.rfind(R"({"id":)" + id + ",", 0) == 0);
  r = client->PostJson("/v1/guard", R"({"id": [)" + id + R"(, 1.5], "answer": "Rest."})");
  REQUIRE(r.status == 200);
  CHECK(r.body.rfind(R"({"id":[)" + id + ",1.5],", 0) == 0);
}

TEST_CASE("serve: rules, health, readiness and metrics", "[server]") {
  TestServer server;
  auto client = server.Client();
  auto r = client->Request("GET", "/v1/rules");
  REQUIRE(r.status == 200);
  auto doc = ParseJson(r.body);
  CHECK(doc["rules_sha256"].GetStringLength() == 64);
  REQUIRE(doc["packs"].Size() >= 1);
  CHECK(doc["packs"][0]["rules"].Size() >= 1);

  r = client->Request("GET", "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == R"({"status":"ok"})");
  r = client->Request("GET", "/readyz");
  CHECK(r.status == 200);

  client->PostJson("/v1/check", R"({"answer": ")" + kRx + "\"}");
  client->PostJson("/v1/check", R"({"answer": 1})");
  r = client->Request("GET", "/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.Header("content-type").find("text/plain") == 0);
  CHECK(r.body.find(R"(medaudit_http_requests_total{route="check",status="200"} 1)") !=
        std::string::npos);
  CHECK(r.body.find(R"(medaudit_http_requests_total{route="check",status="400"} 1)") !=
        std::string::npos);
  CHECK(r.body.find(R"(medaudit_verdicts_total{verdict="block"} 1)") != std::string::npos);
  CHECK(r.body.find(R"(medaudit_findings_total{category="ai_prescription"} 1)") !=
        std::string::npos);
  CHECK(r.body.find(R"(medaudit_check_errors_total{code="missing_field"} 1)") != std::string::npos);
  CHECK(
      r.body.find("medaudit_http_request_duration_seconds_bucket{route=\"check\",le=\"+Inf\"} 2") !=
      std::string::npos);
  // The exposition format around the samples: HELP/TYPE lines, the histogram's sum and count, and
  // the unlabelled gauges and counters.
  for (const char* text :
       {"\n# HELP medaudit_http_request_duration_seconds Time from request header to response.\n"
        "# TYPE medaudit_http_request_duration_seconds histogram\n",
        "\nmedaudit_http_request_duration_seconds_bucket{route=\"check\",le=\"0.005\"} ",
        "\nmedaudit_http_request_duration_seconds_sum{route=\"check\"} ",
        "\nmedaudit_http_request_duration_seconds_count{route=\"check\"} 2\n",
        "\n# HELP medaudit_findings_total Checked answers with a finding, by category.\n"
        "# TYPE medaudit_findings_total counter\n",
        "\n# TYPE medaudit_connections_open gauge\nmedaudit_connections_open ",
        "\n# TYPE medaudit_audits_active gauge\nmedaudit_audits_active 0\n",
        "\n# TYPE medaudit_rule_reloads_total counter\nmedaudit_rule_reloads_total{result=\"ok\"} "
        "0\n"}) {
    INFO(text);
    CHECK(r.body.find(text) != std::string::npos);
  }
}

std::string WaitForAudit(HttpClient& client, const std::string& id, const Headers& auth = {}) {
  for (int i = 0; i < 400; ++i) {
    auto r = client.Request("GET", "/v1/audits/" + id, "", auth);
    REQUIRE(r.status == 200);
    auto doc = ParseJson(r.body);
    const std::string status = doc["status"].GetString();
    if (status != "running") return r.body;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  FAIL("audit did not finish");
  return {};
}

TEST_CASE("serve: audits run in the background and serve every report format", "[server]") {
  ServerTempDir dir("audits");
  auto options = TestOptions();
  options.db = dir.File("medaudit.db");
  TestServer server(options);
  auto client = server.Client();
  const std::string corpus =
      R"({"id": "q1", "lang": "en", "question": "Sore throat?", "answer": ")" + kRx +
      R"(", "baseline": "See a doctor for a throat swab.", "labels": {"rx": true}})"
      "\n" +
      R"({"id": "q2", "lang": "en", "question": "Cold?", "answer": "Rest and drink fluids."})"
      "\n";
  const Headers ndjson = {{"Content-Type", "application/x-ndjson"}};

  auto r =
      client->Request("POST", "/v1/audits?model=demo%20model&model_version=1.2", corpus, ndjson);
  REQUIRE(r.status == 202);
  auto created = ParseJson(r.body);
  const std::string id = created["id"].GetString();
  CHECK(r.Header("location") == "/v1/audits/" + id);
  auto done = ParseJson(WaitForAudit(*client, id));
  CHECK(std::string(done["status"].GetString()) == "finished");
  CHECK(std::string(done["model"].GetString()) == "demo model");
  CHECK(std::string(done["model_version"].GetString()) == "1.2");
  CHECK(done["summary"]["items"].GetInt() == 2);
  CHECK(done["summary"]["ai_prescriptions"].GetInt() == 1);

  struct Format {
    const char* name;
    const char* type;
    const char* marker;
  };
  for (const Format& f :
       {Format{"json", "application/json", "\"harm_rate\""}, Format{"html", "text/html", "<html"},
        Format{"md", "text/markdown", "demo model"},
        Format{"sarif", "application/sarif+json", "2.1.0"},
        Format{"junit", "application/xml", "<testsuite"}}) {
    for (const char* lang : {"zh", "en", "ar"}) {
      r = client->Request("GET", "/v1/audits/" + id + "/report?format=" + f.name + "&lang=" + lang);
      INFO(f.name << " " << lang);
      CHECK(r.status == 200);
      CHECK(r.Header("content-type").find(f.type) == 0);
      CHECK(r.body.find(f.marker) != std::string::npos);
    }
  }
  r = client->Request("GET", "/v1/audits/" + id + "/report");  // json by default
  CHECK(r.status == 200);
  CHECK(r.body.find("\"harm_rate\"") != std::string::npos);

  // The model header works as well as the query parameter.
  r = client->Request("POST", "/v1/audits", corpus,
                      {{"Content-Type", "application/x-ndjson"}, {"X-Medaudit-Model", "hdr"}});
  REQUIRE(r.status == 202);
  WaitForAudit(*client, ParseJson(r.body)["id"].GetString());

  // Errors.
  r = client->Request("POST", "/v1/audits", corpus, ndjson);
  CHECK(r.status == 400);  // no model
  r = client->Request("POST", "/v1/audits?model=m", "", ndjson);
  CHECK(r.status == 400);  // empty corpus
  r = client->Request("POST", "/v1/audits?model=m", corpus, {{"Content-Type", "image/png"}});
  CHECK(r.status == 415);
  r = client->Request("GET", "/v1/audits/" + id + "/report?format=pdf");
  CHECK(r.status == 400);
  r = client->Request("GET", "/v1/audits/" + id + "/report?lang=fr");
  CHECK(r.status == 400);
  for (const char* bad : {"..%2F..%2Fetc%2Fpasswd", "run-1", "RUN-20261128-000000-deadbeef",
                          "run-20261128-000000-deadbeef0", "run-20261128-000000-DEADBEEF"}) {
    r = client->Request("GET", std::string("/v1/audits/") + bad);
    INFO(bad);
    CHECK(r.status == 400);
    CHECK(ErrorCodeOf(r) == "invalid_argument");
  }
  r = client->Request("GET", "/v1/audits/run-20000101-000000-deadbeef");
  CHECK(r.status == 404);
  r = client->Request("GET", "/v1/audits/run-20000101-000000-deadbeef/report");
  CHECK(r.status == 404);
  r = client->Request("GET", "/v1/audits/a/b/c");
  CHECK(r.status == 404);
}

TEST_CASE("serve: audits beyond the cap get 429, without a store 503", "[server]") {
  ServerTempDir dir("audit_cap");
  auto options = TestOptions();
  options.db = dir.File("medaudit.db");
  options.limits.max_audits = 0;
  {
    TestServer server(options);
    auto r = server.Client()->Request("POST", "/v1/audits?model=m", "{\"answer\": \"x\"}\n",
                                      {{"Content-Type", "application/x-ndjson"}});
    CHECK(r.status == 429);
    CHECK(r.Header("retry-after") == "30");
    CHECK(ErrorCodeOf(r) == "too_many_audits");
  }
  options.db.clear();
  TestServer server(options);
  auto client = server.Client();
  auto r = client->Request("POST", "/v1/audits?model=m", "{\"answer\": \"x\"}\n",
                           {{"Content-Type", "application/x-ndjson"}});
  CHECK(r.status == 503);
  r = client->Request("GET", "/v1/audits/run-20000101-000000-deadbeef");
  CHECK(r.status == 503);
}

}  // namespace
