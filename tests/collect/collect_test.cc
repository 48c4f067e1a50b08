// medaudit collect against the in-process fake model server (tests/support/fake_model_server.h):
// provider-file checks, complete outputs where every failure says why, retries honouring
// Retry-After, resume after an interruption and after SIGKILL of the real binary without asking
// an answered question twice, the response cache, keep-alive reuse, the rps cap, audit
// --provider end to end, and that the API key appears nowhere it could leak.
#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "../audit/audit_test_util.h"
#include "base/file.h"
#include "base/json.h"
#include "collect/answers.h"
#include "collect/chat.h"
#include "collect/collector.h"
#include "collect/provider.h"
#include "store/store.h"
#include "support/fake_model_server.h"

namespace medaudit::collect {
namespace {

using testing::FakeModelServer;
using testing::TempDir;

std::string JsonString(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  json::String(writer, text);
  return buffer.GetString();
}

std::string QuestionLine(const std::string& id, const std::string& question) {
  return fmt::format(R"({{"id": "{}", "lang": "en", "question": {}, "baseline": "Rest.", )"
                     R"("labels": {{"harmful": false}}}})",
                     id, JsonString(question));
}

std::string WriteQuestions(const TempDir& dir, const std::vector<std::string>& questions,
                           const std::string& name = "questions.jsonl") {
  std::string text;
  for (size_t i = 0; i < questions.size(); ++i) {
    text += QuestionLine("q" + std::to_string(i), questions[i]) + "\n";
  }
  return dir.Write(name, text);
}

struct OutputLine {
  std::string id, answer, error_code, error_message, raw;
};

std::vector<OutputLine> ReadOutput(const std::string& path) {
  std::vector<OutputLine> lines;
  std::ifstream in(path);
  for (std::string text; std::getline(in, text);) {
    rapidjson::Document doc;
    if (!json::Parse(text, path, &doc).has_value() || !doc.IsObject())
      continue;  // a line cut by a kill
    OutputLine line;
    line.raw = text;
    line.id = doc["id"].GetString();
    if (doc.HasMember("answer")) line.answer = doc["answer"].GetString();
    if (doc.HasMember("error")) {
      line.error_code = doc["error"]["code"].GetString();
      line.error_message = doc["error"]["message"].GetString();
    }
    lines.push_back(line);
  }
  return lines;
}

CollectOptions Options(const FakeModelServer& server, const TempDir& dir,
                       const std::string& questions) {
  CollectOptions options;
  options.questions_path = questions;
  options.out_path = dir.File("answers.jsonl");
  options.provider.base_url = server.base_url();
  options.provider.model = "fake-model";
  options.provider.rps = 0;
  options.provider.retries = 2;
  options.provider.timeout_s = 5;
  options.backoff_base_s = 0.01;
  return options;
}

std::string ReadAll(const std::string& path) {
  auto text = ReadFile(path);
  return text ? *text : std::string();
}

TEST_CASE("collect: provider file is strict and names the bad key", "[collect]") {
  auto ok = ParseProvider(R"({"base_url": "http://127.0.0.1:8000/v1/", "model": "m",
      "api_key_env": "K", "system": "s", "temperature": 0.5, "max_tokens": 64, "seed": 7,
      "concurrency": 3, "rps": 5, "timeout_s": 1.5, "retries": 1, "headers": {"X-Org": "a"}})",
                          "p.json");
  REQUIRE(ok.has_value());
  CHECK(ok->base_url == "http://127.0.0.1:8000/v1");
  CHECK(ok->seed == 7);
  CHECK(ok->headers.at("X-Org") == "a");

  auto unknown = ParseProvider(R"({"base_url": "http://h", "model": "m", "api_key": "x"})", "p");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().message.find("unknown key 'api_key'") != std::string::npos);
  CHECK(unknown.error().json_pointer == "/api_key");

  auto duplicate = ParseProvider(R"({"base_url": "http://h", "model": "m", "model": "n"})", "p");
  REQUIRE_FALSE(duplicate.has_value());
  CHECK(duplicate.error().message.find("duplicate key 'model'") != std::string::npos);

  CHECK_FALSE(ParseProvider(R"({"model": "m"})", "p").has_value());
  CHECK_FALSE(
      ParseProvider(R"({"base_url": "http://h", "model": "m", "rps": "5"})", "p").has_value());
  CHECK_FALSE(ParseProvider(R"({"base_url": "http://h", "model": "m", "concurrency": 0})", "p")
                  .has_value());
  CHECK_FALSE(
      ParseProvider(R"({"base_url": "http://h", "model": "m", "headers": {"Authorization": "x"}})",
                    "p")
          .has_value());
  CHECK_FALSE(ParseProvider("[1]", "p").has_value());
}

TEST_CASE("collect: settings hash ignores secrets and execution settings", "[collect]") {
  ProviderConfig a;
  a.base_url = "http://h/v1";
  a.model = "m";
  a.headers["X-Api-Key"] = "secret-one";
  ProviderConfig b = a;
  b.headers["X-Api-Key"] = "secret-two";
  b.concurrency = 99;
  b.retries = 0;
  CHECK(SettingsHash(a) == SettingsHash(b));
  CHECK(RecordedJson(a).find("secret-one") == std::string::npos);
  b.temperature = 0.7;
  CHECK(SettingsHash(a) != SettingsHash(b));
}

TEST_CASE("collect: chat protocol helpers", "[collect]") {
  auto url = ParseBaseUrl("https://api.example.com/v1");
  REQUIRE(url.has_value());
  CHECK(url->tls);
  CHECK(url->port == "443");
  CHECK(url->path == "/v1");
  CHECK(url->HostHeader() == "api.example.com");
  auto local = ParseBaseUrl("http://[::1]:11434/v1/");
  REQUIRE(local.has_value());
  CHECK(local->host == "::1");
  CHECK(local->HostHeader() == "[::1]:11434");
  CHECK(local->path == "/v1");
  CHECK_FALSE(ParseBaseUrl("ftp://h").has_value());
  CHECK_FALSE(ParseBaseUrl("http://user:pw@h/v1").has_value());
  CHECK_FALSE(ParseBaseUrl("http://h:99999").has_value());

  ProviderConfig config;
  config.model = "m";
  config.system = "Be brief.";
  config.seed = 3;
  const std::string body = BuildChatBody(config, "Is \"it\" safe?");
  rapidjson::Document doc;
  REQUIRE(json::Parse(body, "", &doc).has_value());
  CHECK(std::string(doc["messages"][0]["role"].GetString()) == "system");
  CHECK(std::string(doc["messages"][1]["content"].GetString()) == "Is \"it\" safe?");
  CHECK(doc["seed"].GetInt() == 3);
  CHECK(doc["max_tokens"].GetInt() == 1024);

  CHECK(ParseChatAnswer(R"({"choices":[{"message":{"content":"hi"}}]})").value() == "hi");
  CHECK(ParseChatAnswer("{").error().code == ErrorCode::kInvalidJson);
  CHECK(ParseChatAnswer(R"({"choices":[]})").error().code == ErrorCode::kMissingField);
  CHECK(ParseRetryAfter(" 3 ") == 3.0);
  CHECK_FALSE(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
  CHECK(Redact("key=abc and abc", {"abc"}) == "key=[redacted] and [redacted]");
  CHECK(Excerpt("\xff"
                "abc") ==
        "\xEF\xBF\xBD"
        "abc");
}

TEST_CASE("collect: a malformed questions file is an input error with its line number",
          "[collect]") {
  TempDir dir("collect_questions");
  auto check = [&](const std::string& text, int64_t line, const std::string& words) {
    const std::string path = dir.Write("q.jsonl", text);
    auto questions = ReadQuestions(path);
    REQUIRE_FALSE(questions.has_value());
    CHECK(questions.error().line == line);
    CHECK(questions.error().ToString().find(words) != std::string::npos);
  };
  const std::string good = R"({"id": 1, "question": "a"})";
  check(good + "\n\n{\"id\": 2}\n", 3, "question");
  check(good + "\n{\"question\": \"b\"}\n", 2, "id");
  check(good + "\n{not json\n", 2, "JSON");
  check(good + "\n" + good + "\n", 2, "duplicate id");
  check(good + "\n[1]\n", 2, "object");
  check("{\"id\": 1, \"question\": \"\xff\"}\n", 1, "UTF-8");
  auto fine = ReadQuestions(
      dir.Write("ok.jsonl", good + "\n" + R"({"id":"x","question":"b","answer":"old"})"));
  REQUIRE(fine.has_value());
  CHECK(fine->at(0).id == "1");
  CHECK(fine->at(1).carried.find("answer") == std::string::npos);
}

TEST_CASE("collect: the output is complete and every failed item says why", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_complete");
  const std::vector<std::string> questions = {
      "What helps a cold?", "[slow:2000] slow",    "[429:1:1] limited once",
      "[500] always down",  "[500:1] down once",   "[drop] dropped",
      "[malformed] broken", "[noanswer] filtered", "Is \"x\" unicode 头痛?"};
  CollectOptions options = Options(server, dir, WriteQuestions(dir, questions));
  options.provider.timeout_s = 0.3;
  options.provider.concurrency = 4;
  const auto start = std::chrono::steady_clock::now();
  auto summary = Collect(options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(summary.has_value());
  const auto lines = ReadOutput(options.out_path);
  REQUIRE(lines.size() == questions.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i].raw);
    CHECK(lines[i].id == "q" + std::to_string(i));                           // question order
    CHECK(lines[i].answer.empty() != lines[i].error_code.empty());           // answer XOR error
    CHECK(lines[i].raw.find(R"("baseline":"Rest.")") != std::string::npos);  // carried over
    CHECK(lines[i].raw.find(R"("model":"fake-model")") != std::string::npos);
    CHECK(lines[i].raw.find(summary->settings_sha256) != std::string::npos);
  }
  CHECK(lines[0].answer == "Answer: What helps a cold?");
  CHECK(lines[1].error_code == "timeout");
  CHECK(lines[2].answer == "Answer: [429:1:1] limited once");
  CHECK(lines[3].error_code == "server_error");
  CHECK(lines[3].error_message.find("HTTP 500") != std::string::npos);
  CHECK(lines[3].error_message.find("3 attempts") != std::string::npos);
  CHECK(lines[4].answer == "Answer: [500:1] down once");
  CHECK(lines[5].error_code == "connection");
  CHECK(lines[6].error_code == "bad_response");
  CHECK(lines[7].error_code == "bad_response");
  CHECK(lines[7].error_message.find("content_filter") != std::string::npos);
  CHECK(lines[8].answer == "Answer: Is \"x\" unicode 头痛?");
  CHECK(summary->failed == 5);
  CHECK(summary->answered == 4);
  CHECK_FALSE(summary->complete());
  // Retries: 429 once (then answered), [500] three attempts, [500:1] two.
  CHECK(server.RequestsFor("[429:1:1] limited once") == 2);
  CHECK(server.RequestsFor("[500] always down") == 3);
  CHECK(server.RequestsFor("[500:1] down once") == 2);
  CHECK(server.RequestsFor("[slow:2000] slow") == 3);
  CHECK(server.RequestsFor("What helps a cold?") == 1);
  CHECK(server.RequestsFor("[malformed] broken") == 1);  // not retried
  CHECK(seconds >= 1.0);                                 // Retry-After: 1 was waited
}

TEST_CASE("collect: Retry-After is honoured before the retry", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_retry_after");
  CollectOptions options = Options(server, dir, WriteQuestions(dir, {"[429:2:1] twice"}));
  const auto start = std::chrono::steady_clock::now();
  auto summary = Collect(options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(summary.has_value());
  CHECK(summary->complete());
  CHECK(summary->retries == 2);
  CHECK(server.RequestsFor("[429:2:1] twice") == 3);
  CHECK(seconds >= 2.0);  // two waits of Retry-After: 1 (backoff base is only 10 ms)
}

TEST_CASE("collect: a rerun asks only what is not answered yet", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_resume");
  const std::vector<std::string> questions = {"one", "two", "[500:3] flaky", "four"};
  CollectOptions options = Options(server, dir, WriteQuestions(dir, questions));
  REQUIRE(Collect(options).value().failed == 1);  // [500:3] fails its 3 attempts
  auto second = Collect(options);
  REQUIRE(second.has_value());
  CHECK(second->reused == 3);
  CHECK(second->answered == 1);
  CHECK(second->complete());
  for (const char* q : {"one", "two", "four"}) CHECK(server.RequestsFor(q) == 1);
  CHECK(server.RequestsFor("[500:3] flaky") == 4);
  const auto lines = ReadOutput(options.out_path);
  REQUIRE(lines.size() == 4);
  for (const auto& line : lines) CHECK_FALSE(line.answer.empty());
  // A third run asks nothing; the file stays byte-identical.
  const std::string before = ReadAll(options.out_path);
  CHECK(Collect(options).value().requests == 0);
  CHECK(ReadAll(options.out_path) == before);
  // Other settings: every question is asked again and the old lines are replaced.
  options.provider.temperature = 0.5;
  auto changed = Collect(options);
  REQUIRE(changed.has_value());
  CHECK(changed->answered == 4);
  CHECK(changed->stale_lines == 4);
  CHECK(ReadOutput(options.out_path).size() == 4);
}

TEST_CASE("collect: interrupted through the API, then resumed", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_interrupt");
  std::vector<std::string> questions;
  for (int i = 0; i < 40; ++i) questions.push_back("question " + std::to_string(i));
  CollectOptions options = Options(server, dir, WriteQuestions(dir, questions));
  options.provider.concurrency = 2;
  std::atomic<bool> stop{false};
  options.stop = &stop;
  options.progress = [&](const CollectProgress& p) {
    if (p.done >= 5) stop = true;
  };
  options.provider.rps = 100;  // slow enough for the stop to land mid-way
  auto first = Collect(options);
  REQUIRE(first.has_value());
  CHECK(first->not_asked > 0);
  CHECK_FALSE(first->complete());
  stop = false;
  options.progress = nullptr;
  auto second = Collect(options);
  REQUIRE(second.has_value());
  CHECK(second->complete());
  CHECK(second->reused == first->answered);
  for (const auto& [question, count] : server.RequestCounts()) {
    INFO(question);
    CHECK(count == 1);
  }
  CHECK(ReadOutput(options.out_path).size() == 40);
}

// Starts the real binary with stdout/stderr to files; returns its pid.
pid_t StartBinary(const std::vector<std::string>& args, const std::string& log) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<std::string> copy = args;
    std::string binary = MEDAUDIT_BINARY;
    std::vector<char*> argv = {binary.data()};
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) {
      _exit(126);
    }
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

size_t CountLines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

TEST_CASE("collect: SIGKILL mid-way, then a rerun never re-asks an answered question",
          "[collect]") {
  FakeModelServer::Options server_options;
  server_options.latency_ms = 20;
  FakeModelServer server(server_options);
  TempDir dir("collect_kill");
  std::vector<std::string> questions;
  for (int i = 0; i < 80; ++i) questions.push_back("killed question " + std::to_string(i));
  const std::string questions_path = WriteQuestions(dir, questions);
  const std::string provider = dir.Write(
      "provider.json", fmt::format(R"({{"base_url": "{}", "model": "m", "concurrency": 2, )"
                                   R"("rps": 0, "timeout_s": 5}})",
                                   server.base_url()));
  const std::string out = dir.File("answers.jsonl");
  const std::vector<std::string> args = {"collect", questions_path, "--provider", provider, "--out",
                                         out,       "--no-cache"};
  const pid_t pid = StartBinary(args, dir.File("log1.txt"));
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (CountLines(out) < 5 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  CHECK(WaitExit(pid) == -1);
  const auto partial = ReadOutput(out);
  INFO(partial.size() << " answers before the kill");
  REQUIRE(partial.size() >= 5);
  REQUIRE(partial.size() < questions.size());
  const int64_t asked_before = server.total_requests();

  CHECK(WaitExit(StartBinary(args, dir.File("log2.txt"))) == 0);
  const auto lines = ReadOutput(out);
  REQUIRE(lines.size() == questions.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i].id == "q" + std::to_string(i));
    CHECK(lines[i].answer == "Answer: " + questions[i]);
  }
  // Answers on disk before the kill were never asked again; only in-flight ones (≤ concurrency)
  // were asked twice.
  for (const auto& line : partial) {
    CHECK(server.RequestsFor(line.answer.substr(8)) == 1);
  }
  const int64_t twice = server.total_requests() - static_cast<int64_t>(questions.size());
  CHECK(twice <= 2);
  CHECK(asked_before <= static_cast<int64_t>(partial.size()) + 2);
}

TEST_CASE("collect: the response cache answers a new output file without the model", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_cache");
  CollectOptions options = Options(server, dir, WriteQuestions(dir, {"a", "b", "c"}));
  options.cache_dir = dir.File("cache");
  REQUIRE(Collect(options).value().answered == 3);
  options.out_path = dir.File("other.jsonl");
  auto again = Collect(options);
  REQUIRE(again.has_value());
  CHECK(again->cached == 3);
  CHECK(again->requests == 0);
  CHECK(server.total_requests() == 3);
  CHECK(ReadOutput(options.out_path).size() == 3);
  options.cache_dir.clear();  // --no-cache
  options.out_path = dir.File("third.jsonl");
  CHECK(Collect(options).value().requests == 3);
}

TEST_CASE("collect: connections are kept alive and the rps cap holds", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_keepalive");
  std::vector<std::string> questions;
  for (int i = 0; i < 60; ++i) questions.push_back("k" + std::to_string(i));
  CollectOptions options = Options(server, dir, WriteQuestions(dir, questions));
  options.provider.concurrency = 3;
  REQUIRE(Collect(options).value().complete());
  CHECK(server.connections() <= 3);

  TempDir capped_dir("collect_rps");
  CollectOptions capped =
      Options(server, capped_dir, WriteQuestions(capped_dir, {"r1", "r2", "r3", "r4", "r5", "r6"}));
  capped.provider.rps = 10;
  capped.provider.concurrency = 6;
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(Collect(capped).value().complete());
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(480));  // 5 gaps
}

TEST_CASE("collect: request format, headers and the bearer key", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_request");
  CollectOptions options = Options(server, dir, WriteQuestions(dir, {"format?"}));
  options.provider.system = "You are careful.";
  options.provider.seed = 42;
  options.provider.max_tokens = 77;
  options.provider.headers["X-Team"] = "qa";
  options.api_key = "sk-format-test";
  REQUIRE(Collect(options).value().complete());
  CHECK(server.last_authorization() == "Bearer sk-format-test");
  CHECK(server.last_header("X-Team") == "qa");
  CHECK(server.last_header("Content-Type") == "application/json");
  rapidjson::Document body;
  REQUIRE(json::Parse(server.last_body(), "", &body).has_value());
  CHECK(std::string(body["model"].GetString()) == "fake-model");
  CHECK(body["messages"].Size() == 2);
  CHECK(std::string(body["messages"][0]["content"].GetString()) == "You are careful.");
  CHECK(body["seed"].GetInt() == 42);
  CHECK(body["max_tokens"].GetInt() == 77);
  CHECK(body["temperature"].GetDouble() == 0);
}

TEST_CASE("collect: HTTPS to a server that does not speak TLS fails with a reason", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_tls");
  CollectOptions options = Options(server, dir, WriteQuestions(dir, {"tls?"}));
  options.provider.base_url = "https://127.0.0.1:" + std::to_string(server.port()) + "/v1";
  options.provider.retries = 0;
  options.provider.timeout_s = 2;
  auto summary = Collect(options);
  REQUIRE(summary.has_value());
  const auto lines = ReadOutput(options.out_path);
  REQUIRE(lines.size() == 1);
  CHECK((lines[0].error_code == "tls" || lines[0].error_code == "connection"));
  CHECK_FALSE(lines[0].error_message.empty());
}

// --- HTTPS against the fake server in TLS mode, with a certificate made at test time. ---

struct TestCert {
  std::string cert_pem, key_pem;
};

// A self-signed P-256 certificate for `cn` with subjectAltName `san` ("DNS:a,IP:1.2.3.4");
// nullopt (the caller skips) when OpenSSL cannot make one.
std::optional<TestCert> SelfSigned(const std::string& cn, const std::string& san) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) return std::nullopt;
  X509* x = cert.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);  // tolerate a little clock skew
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key.get());
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, x, x, nullptr, nullptr, 0);
  // As `openssl req -x509` would make it: its own CA, usable as a trust anchor.
  for (const auto& [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, san},
                                   {NID_basic_constraints, "critical,CA:TRUE"},
                                   {NID_ext_key_usage, "serverAuth"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str());
    if (ext == nullptr) return std::nullopt;
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x, key.get(), EVP_sha256()) == 0) return std::nullopt;
  auto pem = [](auto write) -> std::string {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || write(bio.get()) != 1) return "";
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(size));
  };
  TestCert out;
  out.cert_pem = pem([&](BIO* b) { return PEM_write_bio_X509(b, x); });
  out.key_pem = pem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (out.cert_pem.empty() || out.key_pem.empty()) return std::nullopt;
  return out;
}

// Sets (or with nullptr unsets) an environment variable for one scope. The client reads
// SSL_CERT_FILE when it builds its SSL context (set_default_verify_paths), i.e. in Collect().
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

FakeModelServer::Options TlsServerOptions(const TestCert& cert) {
  FakeModelServer::Options options;
  options.tls_cert_pem = cert.cert_pem;
  options.tls_key_pem = cert.key_pem;
  return options;
}

std::string HttpsUrl(const std::string& host, const FakeModelServer& server) {
  return "https://" + host + ":" + std::to_string(server.port()) + "/v1";
}

TEST_CASE("collect: HTTPS with a trusted certificate for the host answers", "[collect]") {
  auto cert = SelfSigned("localhost", "DNS:localhost,IP:127.0.0.1");
  if (!cert) {
    WARN("skipped: OpenSSL could not make a test certificate");
    return;
  }
  FakeModelServer server(TlsServerOptions(*cert));
  TempDir dir("collect_https_ok");
  ScopedEnv trust("SSL_CERT_FILE", dir.Write("ca.pem", cert->cert_pem).c_str());
  const std::vector<std::string> questions = {"tls one", "tls two", "tls three", "tls four"};
  CollectOptions options = Options(server, dir, WriteQuestions(dir, questions));
  options.provider.concurrency = 2;
  options.provider.timeout_s = 2;

  SECTION("by name") {
    options.provider.base_url = HttpsUrl("localhost", server);
    auto summary = Collect(options);
    REQUIRE(summary.has_value());
    CHECK(summary->complete());
    CHECK(summary->answered == 4);
    const auto lines = ReadOutput(options.out_path);
    REQUIRE(lines.size() == questions.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      INFO(lines[i].raw);
      CHECK(lines[i].answer == "Answer: " + questions[i]);
    }
    CHECK(server.connections() <= 2);  // kept alive over TLS too
    CHECK(server.last_header("Host") == "localhost:" + std::to_string(server.port()));
  }
  SECTION("by IP address: matched against the certificate's IP SAN") {
    options.provider.base_url = HttpsUrl("127.0.0.1", server);
    auto summary = Collect(options);
    REQUIRE(summary.has_value());
    CHECK(summary->complete());
    CHECK(ReadOutput(options.out_path).at(0).answer == "Answer: tls one");
  }
  SECTION("a connection dropped without close_notify is retried like plain HTTP") {
    options.provider.base_url = HttpsUrl("localhost", server);
    options.questions_path = WriteQuestions(dir, {"[drop:1] dropped once"}, "drop.jsonl");
    auto summary = Collect(options);
    REQUIRE(summary.has_value());
    CHECK(summary->complete());
    CHECK(summary->retries == 1);
    CHECK(ReadOutput(options.out_path).at(0).answer == "Answer: [drop:1] dropped once");
  }
}

// Every item fails with code tls, is not retried, and no answer is accepted.
void CheckAllTls(const FakeModelServer& server, const CollectOptions& options,
                 const std::string& why) {
  auto summary = Collect(options);
  REQUIRE(summary.has_value());
  CHECK(summary->answered == 0);
  CHECK(summary->retries == 0);
  CHECK(summary->errors_by_code["tls"] == summary->questions);
  CHECK(server.total_requests() == 0);  // the request never left the client
  const auto lines = ReadOutput(options.out_path);
  REQUIRE(lines.size() == static_cast<size_t>(summary->questions));
  for (const auto& line : lines) {
    INFO(line.raw);
    CHECK(line.answer.empty());
    CHECK(line.error_code == "tls");
    CHECK(line.error_message.find(why) != std::string::npos);
  }
}

TEST_CASE("collect: HTTPS to a certificate for another name fails with a hostname reason",
          "[collect]") {
  auto other = SelfSigned("other.example", "DNS:other.example,IP:10.9.9.9");
  auto name_only = SelfSigned("localhost", "DNS:localhost");
  if (!other || !name_only) {
    WARN("skipped: OpenSSL could not make a test certificate");
    return;
  }
  TempDir dir("collect_https_mismatch");
  const std::string questions = WriteQuestions(dir, {"m1", "m2", "m3"});
  SECTION("a name that is not in the certificate") {
    FakeModelServer server(TlsServerOptions(*other));
    ScopedEnv trust("SSL_CERT_FILE", dir.Write("ca.pem", other->cert_pem).c_str());
    CollectOptions options = Options(server, dir, questions);
    options.provider.base_url = HttpsUrl("localhost", server);
    CheckAllTls(server, options, "hostname mismatch");
  }
  SECTION("an IP address that is only a DNS name in the certificate") {
    FakeModelServer server(TlsServerOptions(*name_only));
    ScopedEnv trust("SSL_CERT_FILE", dir.Write("ca.pem", name_only->cert_pem).c_str());
    CollectOptions options = Options(server, dir, questions);
    options.provider.base_url = HttpsUrl("127.0.0.1", server);
    CheckAllTls(server, options, "IP address mismatch");
  }
}

TEST_CASE("collect: HTTPS to an untrusted self-signed certificate fails with code tls",
          "[collect]") {
  auto cert = SelfSigned("localhost", "DNS:localhost,IP:127.0.0.1");
  if (!cert) {
    WARN("skipped: OpenSSL could not make a test certificate");
    return;
  }
  FakeModelServer server(TlsServerOptions(*cert));
  TempDir dir("collect_https_untrusted");
  ScopedEnv untrusted("SSL_CERT_FILE", nullptr);  // the system store only
  CollectOptions options = Options(server, dir, WriteQuestions(dir, {"u1", "u2"}));
  options.provider.base_url = HttpsUrl("localhost", server);
  CheckAllTls(server, options, "self-signed certificate");
}

TEST_CASE("collect: command line exit codes", "[collect]") {
  FakeModelServer server;
  TempDir dir("collect_cli");
  const std::string good = WriteQuestions(dir, {"fine", "also fine"}, "good.jsonl");
  const std::string bad = WriteQuestions(dir, {"fine", "[500] broken"}, "bad.jsonl");
  const std::string provider = dir.Write(
      "p.json",
      fmt::format(R"({{"base_url": "{}", "model": "m", "retries": 0}})", server.base_url()));
  const std::string log = " > " + dir.File("log.txt") + " 2>&1";
  auto run = [&](const std::string& args) { return testing::RunMedaudit(args + log); };
  CHECK(run("collect " + good + " --provider " + provider + " --out " + dir.File("a.jsonl") +
            " --no-cache") == 0);
  CHECK(run("collect " + bad + " --provider " + provider + " --out " + dir.File("b.jsonl") +
            " --no-cache") == 1);
  dir.Write("unknown.json", R"({"base_url": "http://127.0.0.1:1", "model": "m", "temprature": 0})");
  CHECK(run("collect " + good + " --provider " + dir.File("unknown.json") + " --out " +
            dir.File("c.jsonl")) == 2);
  CHECK(ReadAll(dir.File("log.txt")).find("temprature") != std::string::npos);
  dir.Write("noid.jsonl", "{\"id\": 1, \"question\": \"a\"}\n{\"question\": \"b\"}\n");
  CHECK(run("collect " + dir.File("noid.jsonl") + " --provider " + provider + " --out " +
            dir.File("d.jsonl")) == 2);
  CHECK(ReadAll(dir.File("log.txt")).find("noid.jsonl:2") != std::string::npos);
  CHECK(server.RequestsFor("a") == 0);  // nothing asked before the input is known good
  dir.Write("env.json", fmt::format(R"({{"base_url": "{}", "model": "m", "api_key_env": )"
                                    R"("MEDAUDIT_TEST_UNSET_KEY_VAR"}})",
                                    server.base_url()));
  CHECK(run("collect " + good + " --provider " + dir.File("env.json") + " --out " +
            dir.File("e.jsonl")) == 2);
  CHECK(ReadAll(dir.File("log.txt")).find("MEDAUDIT_TEST_UNSET_KEY_VAR") != std::string::npos);
}

// Every file under dir (recursively) that contains needle, except `skip`.
std::vector<std::string> FilesContaining(const std::string& dir, const std::string& needle,
                                         const std::string& skip) {
  std::vector<std::string> hits;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().string() != skip &&
        ReadAll(entry.path().string()).find(needle) != std::string::npos) {
      hits.push_back(entry.path().string());
    }
  }
  return hits;
}

TEST_CASE("collect: audit --provider end to end; the API key appears nowhere", "[collect]") {
  FakeModelServer::Options server_options;
  server_options.answer_for = [](const std::string& q) {
    return q.find("fever") != std::string::npos
               ? std::string("Take ibuprofen 400 mg every 6 hours.")
               : "Rest and drink fluids. " + q;
  };
  FakeModelServer server(server_options);
  TempDir dir("collect_secret");
  const std::string key = "sk-medaudit-SECRET-5f2c9a71";
  ::setenv("MEDAUDIT_TEST_API_KEY", key.c_str(), 1);
  const std::string questions = WriteQuestions(
      dir,
      {"I have a fever, what should I take?", "Sore throat?", "[echo-auth] echo", "[500] down"});
  const std::string provider = dir.Write(
      "provider.json",
      fmt::format(
          R"({{"base_url": "{}", "model": "fake-gpt", "api_key_env": "MEDAUDIT_TEST_API_KEY", )"
          R"("retries": 1, "rps": 0, "headers": {{"X-Api-Token": "hdr-SECRET-91"}}}})",
          server.base_url()));
  const std::string log = " > " + dir.File("stdout.txt") + " 2> " + dir.File("stderr.txt");
  const int code = std::system((MEDAUDIT_BINARY + std::string(" audit ") + questions +
                                " --provider " + provider + " --db " + dir.File("db/medaudit.db") +
                                " --out " + dir.File("report") + " " + testing::RulesFlag() + log)
                                   .c_str());
  ::unsetenv("MEDAUDIT_TEST_API_KEY");
  INFO(ReadAll(dir.File("stderr.txt")));
  CHECK(WEXITSTATUS(code) == 1);  // two questions failed; the run is still stored and reported
  CHECK(server.last_authorization() == "Bearer " + key);  // the key was sent...
  CHECK(server.last_header("X-Api-Token") == "hdr-SECRET-91");
  for (const std::string& secret : {key, std::string("hdr-SECRET-91")}) {
    INFO(secret);
    // ...and recorded nowhere (the provider file itself holds the header value: the user put it)
    CHECK(FilesContaining(dir.File(""), secret, provider).empty());
  }
  const auto answers = ReadOutput(dir.File("report/answers.jsonl"));
  REQUIRE(answers.size() == 4);
  CHECK(answers[2].error_code == "http_error");
  CHECK(answers[2].error_message.find("[redacted]") != std::string::npos);
  CHECK(answers[3].error_code == "server_error");
  const std::string report = ReadAll(dir.File("report/report.json"));
  rapidjson::Document report_json;
  REQUIRE(json::Parse(report, "report.json", &report_json).has_value());
  CHECK(report_json["items"].GetInt() == 4);
  CHECK(report_json["ai_prescriptions"].GetInt() == 1);  // the fever answer
  // The provider settings (minus secrets) are recorded with the stored run.
  auto store = store::Store::Open(dir.File("db/medaudit.db"));
  REQUIRE(store.has_value());
  auto runs = (*store)->ListRuns();
  REQUIRE(runs.has_value());
  REQUIRE(runs->size() == 1);
  CHECK(runs->front().model == "fake-gpt");
  auto info = (*store)->LoadRunInfo(runs->front().id);
  REQUIRE(info.has_value());
  CHECK(info->command_line.find("provider={\"base_url\":\"" + server.base_url()) !=
        std::string::npos);
  CHECK(info->command_line.find("\"api_key_env\":\"MEDAUDIT_TEST_API_KEY\"") != std::string::npos);
  CHECK(info->command_line.find("<redacted>") != std::string::npos);
}

}  // namespace
}  // namespace medaudit::collect
