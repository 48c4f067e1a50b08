// Bearer tokens and scopes (401/403), the tokens file format, and reloading rule packs through
// POST /v1/admin/reload with a good and a bad pack.
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/auth.h"
#include "server_fixture.h"

namespace {

using namespace medaudit;
using namespace medaudit::testing;

const std::string kCheckToken = "check-token-0123456789abcdef";
const std::string kAdminToken = "admin-token-0123456789abcdef";

Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

TEST_CASE("serve: tokens file lines and scopes", "[server]") {
  const std::string line =
      server::TokenLine("secret-token", server::kScopeCheck | server::kScopeAdmin, "ops");
  CHECK(line.rfind("sha256:", 0) == 0);
  CHECK(line.find("secret-token") == std::string::npos);
  CHECK(line.substr(71) == " check,admin ops");
  auto auth = server::Authenticator::Parse("# comment\n\n" + line + "\n", "tokens");
  REQUIRE(auth.has_value());
  CHECK(auth->enabled());
  CHECK(auth->Check("Bearer secret-token", server::kScopeCheck).status == 200);
  CHECK(auth->Check("bearer secret-token", server::kScopeAdmin).caller == "ops");
  CHECK(auth->Check("Bearer secret-token", server::kScopeAudit).status == 403);
  CHECK(auth->Check("Bearer other", server::kScopeCheck).status == 401);
  CHECK(auth->Check("", server::kScopeCheck).status == 401);
  CHECK(auth->Check("Basic c2VjcmV0", server::kScopeCheck).status == 401);
  CHECK(auth->Check("", server::kScopeNone).status == 200);

  for (const char* bad : {"sha256:abc check ops", "md5:0 check ops",
                          "sha256:0000000000000000000000000000000000000000000000000000000000000000 "
                          "root ops",
                          "sha256:0000000000000000000000000000000000000000000000000000000000000000 "
                          "check"}) {
    auto parsed = server::Authenticator::Parse(bad, "tokens");
    INFO(bad);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().line == 1);
  }
  CHECK_FALSE(server::Authenticator::Parse("# nothing\n", "tokens").has_value());
}

TEST_CASE("serve: 401 without a token, 403 with the wrong scope", "[server]") {
  ServerTempDir dir("auth");
  auto options = TestOptions();
  options.tokens_file = dir.Write(
      "tokens", server::TokenLine(kCheckToken, server::kScopeCheck, "clinic-app") + "\n" +
                    server::TokenLine(
                        kAdminToken,
                        server::kScopeAdmin | server::kScopeAudit | server::kScopeReport, "ops") +
                    "\n");
  options.db = dir.File("medaudit.db");
  TestServer server(options);
  auto client = server.Client();
  const std::string body = R"({"answer": "Rest."})";

  auto r = client->PostJson("/v1/check", body);
  CHECK(r.status == 401);
  CHECK(r.Header("www-authenticate").find("Bearer") == 0);
  CHECK(r.body.find("\"unauthorized\"") != std::string::npos);
  r = client->PostJson("/v1/check", body, Bearer("wrong-token-0123456789"));
  CHECK(r.status == 401);
  r = client->PostJson("/v1/check", body, Bearer(kCheckToken));
  CHECK(r.status == 200);
  r = client->PostJson("/v1/check", body, Bearer(kAdminToken));
  CHECK(r.status == 403);
  CHECK(r.body.find("\"forbidden\"") != std::string::npos);

  r = client->Request("GET", "/metrics", "", Bearer(kCheckToken));
  CHECK(r.status == 403);
  r = client->Request("GET", "/metrics", "", Bearer(kAdminToken));
  CHECK(r.status == 200);
  r = client->Request("POST", "/v1/admin/reload", "", Bearer(kCheckToken));
  CHECK(r.status == 403);
  r = client->Request("GET", "/v1/audits/run-20000101-000000-deadbeef", "", Bearer(kCheckToken));
  CHECK(r.status == 403);
  r = client->Request("GET", "/v1/audits/run-20000101-000000-deadbeef", "", Bearer(kAdminToken));
  CHECK(r.status == 404);
  r = client->Request("GET", "/v1/rules");
  CHECK(r.status == 401);
  r = client->Request("GET", "/v1/rules", "", Bearer(kCheckToken));
  CHECK(r.status == 200);
  // Health endpoints stay public (load balancers probe them).
  CHECK(client->Request("GET", "/healthz").status == 200);
  CHECK(client->Request("GET", "/readyz").status == 200);
}

TEST_CASE("serve: a bad tokens file or a public address without tokens is refused", "[server]") {
  ServerTempDir dir("auth_start");
  auto options = TestOptions();
  options.tokens_file = dir.Write("tokens", "sha256:nothex check x\n");
  CHECK_FALSE(server::Server::Start(options).has_value());
  options.tokens_file = dir.File("missing");
  CHECK_FALSE(server::Server::Start(options).has_value());
  options.tokens_file.clear();
  options.host = "0.0.0.0";
  auto refused = server::Server::Start(options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("--tokens") != std::string::npos);
  CHECK(server::IsLoopbackHost("127.0.0.1"));
  CHECK(server::IsLoopbackHost("::1"));
  CHECK(server::IsLoopbackHost("localhost"));
  CHECK_FALSE(server::IsLoopbackHost("0.0.0.0"));
  CHECK_FALSE(server::IsLoopbackHost("10.0.0.1"));
}

std::string RulesSha(HttpClient& client) {
  auto r = client.Request("GET", "/v1/rules");
  REQUIRE(r.status == 200);
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  return doc["rules_sha256"].GetString();
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("serve: reload swaps in good packs and keeps the old set on a bad one", "[server]") {
  namespace fs = std::filesystem;
  ServerTempDir dir("reload");
  const fs::path rules = dir.path() / "rules";
  fs::copy(fs::path(MEDAUDIT_SOURCE_DIR) / "rules", rules, fs::copy_options::recursive);
  auto options = TestOptions();
  options.engine_options.rules_dir = rules.string();
  TestServer server(options);
  auto client = server.Client();
  const std::string before = RulesSha(*client);
  const std::string rx = R"({"answer": "Take amoxicillin 500 mg three times a day for 7 days."})";

  // A bad pack: rejected, the old rules stay and keep answering.
  dir.Write("rules/zz-broken.json", R"({"id": "zz", "rules": [)");
  auto r = client->Request("POST", "/v1/admin/reload");
  CHECK(r.status == 500);
  CHECK(r.body.find("previous set stays") != std::string::npos);
  CHECK(RulesSha(*client) == before);
  r = client->PostJson("/v1/check", rx);
  CHECK(r.body.find("\"block\"") != std::string::npos);

  // A good change (a pack's version; same patterns, so the compiled cache is reused).
  fs::remove(rules / "zz-broken.json");
  const fs::path pack = rules / "cn-bj-prescription.json";
  std::string text = ReadAll(pack);
  const size_t version = text.find("\"version\"");
  REQUIRE(version != std::string::npos);
  text.insert(text.find('"', text.find(':', version) + 1) + 1, "9.");
  std::ofstream(pack, std::ios::binary | std::ios::trunc) << text;
  r = client->Request("POST", "/v1/admin/reload");
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(r.body.find("\"reloaded\":true") != std::string::npos);
  const std::string after = RulesSha(*client);
  CHECK(after != before);
  CHECK(client->Request("GET", "/v1/rules").body.find("\"version\":\"9.") != std::string::npos);
  r = client->PostJson("/v1/check", rx);
  CHECK(r.body.find("\"block\"") != std::string::npos);
  r = client->Request("GET", "/metrics");
  CHECK(r.body.find("medaudit_rule_reloads_total{result=\"ok\"} 1") != std::string::npos);
  CHECK(r.body.find("medaudit_rule_reloads_total{result=\"failed\"} 1") != std::string::npos);
}

}  // namespace
