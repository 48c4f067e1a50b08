// The asynchronous half of collect: connections, pacing, retries and the worker loop. This is
// the only file of src/collect that includes Boost.Beast/Asio (they are heavy to compile).
#include "collect/collector.h"

#include <fmt/format.h>
#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <random>
#include <vector>

#include "base/file.h"
#include "base/sha256.h"
#include "base/utf8.h"
#include "collect/answers.h"
#include "collect/cache.h"
#include "collect/chat.h"

namespace medaudit::collect {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using Clock = std::chrono::steady_clock;
using Request = http::request<http::string_body>;

constexpr size_t kMaxResponseBytes = size_t{64} << 20;

std::chrono::nanoseconds Seconds(double s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

awaitable<void> Sleep(double seconds) {
  asio::steady_timer timer(co_await asio::this_coro::executor, Seconds(seconds));
  beast::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// The result of one HTTP round trip.
struct Exchange {
  beast::error_code ec;  // transport error (timeout included); status is 0 then
  int status = 0;
  std::string body;
  std::optional<double> retry_after;
  std::string tls_reason;  // why the certificate was rejected ("hostname mismatch"), if known
};

// One keep-alive connection (plain or TLS), reopened whenever it fails or the server closes it.
class Connection {
 public:
  Connection(ssl::context* tls_context, const Url& url) : tls_context_(tls_context), url_(url) {}

  awaitable<Exchange> RoundTrip(const Request& request, Clock::time_point deadline) {
    const bool reused = open_;
    Exchange exchange = co_await Attempt(request, deadline);
    // A kept-alive connection the server closed while idle fails at once: resend once on a
    // fresh connection without counting an attempt.
    if (reused && IsStaleConnection(exchange.ec) && Clock::now() < deadline) {
      exchange = co_await Attempt(request, deadline);
    }
    co_return exchange;
  }

 private:
  static bool IsStaleConnection(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
  }

  void Close() {
    open_ = false;
    tls_reason_.clear();
    tls_.reset();
    tcp_.reset();
    buffer_.clear();
  }

  awaitable<beast::error_code> Open(Clock::time_point deadline) {
    Close();
    auto executor = co_await asio::this_coro::executor;
    beast::error_code ec;
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(url_.host, url_.port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return ec;
    if (url_.tls) {
      tls_.emplace(executor, *tls_context_);
      // SNI (never for an IP address, RFC 6066), then hostname or IP verification (RFC 6125)
      // by OpenSSL itself, which then reports a mismatch as such in the verify result.
      SSL* handle = tls_->native_handle();
      beast::error_code not_ip;
      asio::ip::make_address(url_.host, not_ip);
      const bool set =
          not_ip ? SSL_set_tlsext_host_name(handle, url_.host.c_str()) == 1 &&
                       SSL_set1_host(handle, url_.host.c_str()) == 1
                 : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), url_.host.c_str()) == 1;
      if (!set) {
        co_return beast::error_code(static_cast<int>(::ERR_get_error()),
                                    asio::error::get_ssl_category());
      }
      auto& lowest = beast::get_lowest_layer(*tls_);
      lowest.expires_at(deadline);
      co_await lowest.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return ec;
      lowest.socket().set_option(tcp::no_delay(true), ec);
      co_await tls_->async_handshake(ssl::stream_base::client,
                                     asio::redirect_error(asio::use_awaitable, ec));
      // "certificate verify failed" alone does not say why; the verify result does.
      if (const long result = SSL_get_verify_result(handle); ec && result != X509_V_OK) {
        tls_reason_ = X509_verify_cert_error_string(result);
      }
    } else {
      tcp_.emplace(executor);
      tcp_->expires_at(deadline);
      co_await tcp_->async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return ec;
      tcp_->socket().set_option(tcp::no_delay(true), ec);
      ec = {};
    }
    if (!ec) open_ = true;
    co_return ec;
  }

  awaitable<Exchange> Attempt(const Request& request, Clock::time_point deadline) {
    Exchange exchange;
    if (!open_) {
      exchange.ec = co_await Open(deadline);
      if (exchange.ec) {
        exchange.tls_reason = tls_reason_;
        Close();
        co_return exchange;
      }
    }
    if (tls_) {
      beast::get_lowest_layer(*tls_).expires_at(deadline);
      exchange = co_await Transfer(*tls_, request);
    } else {
      tcp_->expires_at(deadline);
      exchange = co_await Transfer(*tcp_, request);
    }
    co_return exchange;
  }

  template <class Stream>
  awaitable<Exchange> Transfer(Stream& stream, const Request& request) {
    Exchange exchange;
    beast::error_code& ec = exchange.ec;
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      Close();
      co_return exchange;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBytes);
    co_await http::async_read(stream, buffer_, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      Close();
      co_return exchange;
    }
    auto& response = parser.get();
    exchange.status = static_cast<int>(response.result_int());
    if (auto it = response.find(http::field::retry_after); it != response.end()) {
      exchange.retry_after = ParseRetryAfter(std::string_view(it->value()));
    }
    exchange.body = std::move(response.body());
    if (!response.keep_alive()) Close();
    co_return exchange;
  }

  ssl::context* tls_context_;
  const Url& url_;
  std::optional<beast::tcp_stream> tcp_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  std::string tls_reason_;  // of the last failed handshake
  bool open_ = false;
};

// Spaces request starts 1/rps apart across all workers (one thread: no locking).
class Pacer {
 public:
  explicit Pacer(double rps) : interval_(rps > 0 ? Seconds(1 / rps) : Clock::duration::zero()) {}
  awaitable<void> Acquire() {
    if (interval_ == Clock::duration::zero()) co_return;
    const auto now = Clock::now();
    const auto slot = std::max(now, next_);
    next_ = slot + interval_;
    if (slot > now) {
      asio::steady_timer timer(co_await asio::this_coro::executor, slot);
      beast::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

 private:
  Clock::duration interval_;
  Clock::time_point next_ = Clock::now();
};

// What became of one question.
struct Outcome {
  bool ok = false;
  std::string answer;         // when ok
  std::string code, message;  // when not ok
  bool cached = false;
};

// How one round trip ends: success, a retryable failure, or a final one.
struct Verdict {
  Outcome outcome;
  bool retryable = false;
  std::optional<double> retry_after;
};

class Collector {
 public:
  Collector(const CollectOptions& options, const Url& url, std::vector<Question> questions)
      : options_(options),
        config_(options.provider),
        url_(url),
        questions_(std::move(questions)),
        pacer_(config_.rps),
        cache_(options.cache_dir),
        tls_context_(ssl::context::tls_client),
        rng_(std::random_device{}()) {
    secrets_.push_back(options.api_key);
    for (const auto& [name, value] : config_.headers) {
      if (IsSecretHeader(name)) secrets_.push_back(value);
    }
    stamp_ = {config_.base_url, config_.model, SettingsHash(config_)};
    if (url_.tls) {
      tls_context_.set_default_verify_paths();
      tls_context_.set_verify_mode(ssl::verify_peer);
    }
  }

  Result<CollectSummary> Run() {
    summary_.questions = static_cast<int64_t>(questions_.size());
    summary_.settings_sha256 = stamp_.settings_sha256;
    auto previous = ReadPreviousAnswers(options_.out_path, questions_, stamp_.settings_sha256);
    if (!previous) return previous.error();
    summary_.stale_lines = previous->stale;
    lines_.assign(questions_.size(), std::string());
    for (size_t i = 0; i < questions_.size(); ++i) {
      auto it = previous->answers.find(questions_[i].id);
      if (it == previous->answers.end()) {
        pending_.push_back(i);
      } else {
        lines_[i] = AnswerLine(questions_[i], it->second, stamp_);
        ++summary_.reused;
      }
    }
    done_ = summary_.reused;
    // Start from a clean file (no truncated last line, no stale lines) holding the reused answers.
    if (auto status = RewriteOutput(); !status) return status.error();
    out_ = std::fopen(options_.out_path.c_str(), "ab");
    if (out_ == nullptr) {
      return MakeError(ErrorCode::kIo, "cannot append to " + options_.out_path);
    }
    RunWorkers();
    std::fclose(out_);
    out_ = nullptr;
    if (!write_error_.empty()) return MakeError(ErrorCode::kIo, write_error_);
    if (worker_exception_) {
      try {
        std::rethrow_exception(worker_exception_);
      } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal, std::string("collect failed: ") + e.what());
      }
    }
    summary_.not_asked = static_cast<int64_t>(pending_.size() - next_pending_);
    if (auto status = RewriteOutput(); !status) return status.error();
    summary_.seconds = Elapsed();
    ReportProgress(true);
    return summary_;
  }

 private:
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  Status RewriteOutput() const {
    std::string text;
    for (const std::string& line : lines_) {
      if (line.empty()) continue;
      text += line;
      text += '\n';
    }
    std::error_code ec;
    const auto parent = std::filesystem::path(options_.out_path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    return WriteFileAtomic(options_.out_path, text);
  }

  void RunWorkers() {
    asio::io_context context(1);
    const size_t workers =
        std::min(pending_.size(), static_cast<size_t>(std::max(1, config_.concurrency)));
    for (size_t w = 0; w < workers; ++w) {
      asio::co_spawn(context, Worker(), [this](std::exception_ptr e) {
        if (e && !worker_exception_) worker_exception_ = e;
      });
    }
    context.run();
  }

  bool Stopping() const {
    return (options_.stop != nullptr && options_.stop->load()) || !write_error_.empty();
  }

  awaitable<void> Worker() {
    Connection connection(&tls_context_, url_);
    while (!Stopping() && next_pending_ < pending_.size()) {
      const size_t index = pending_[next_pending_++];
      Outcome outcome = co_await Ask(connection, questions_[index]);
      Record(index, outcome);
    }
  }

  Request MakeRequest(std::string body) const {
    Request request(http::verb::post, url_.path + "/chat/completions", 11);
    request.set(http::field::host, url_.HostHeader());
    request.set(http::field::user_agent, "medaudit/" MEDAUDIT_VERSION);
    request.set(http::field::content_type, "application/json");
    request.set(http::field::accept, "application/json");
    if (!options_.api_key.empty()) {
      request.set(http::field::authorization, "Bearer " + options_.api_key);
    }
    for (const auto& [name, value] : config_.headers) request.set(name, value);
    request.keep_alive(true);
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
  }

  // Request hash: what decides the answer (URL, body, non-secret headers), never the key.
  std::string RequestHash(const std::string& body) const {
    std::string material = config_.base_url + "\n" + body + "\n";
    for (const auto& [name, value] : config_.headers) {
      material += name + ": " + (IsSecretHeader(name) ? std::string("<redacted>") : value) + "\n";
    }
    return Sha256Hex(material);
  }

  awaitable<Outcome> Ask(Connection& connection, const Question& question) {
    std::string body = BuildChatBody(config_, question.question);
    const std::string request_hash = RequestHash(body);
    if (auto hit = cache_.Get(request_hash)) {
      co_return Outcome{true, std::move(*hit), "", "", true};
    }
    const Request request = MakeRequest(std::move(body));
    for (int attempt = 0;; ++attempt) {
      co_await pacer_.Acquire();
      ++summary_.requests;
      const auto deadline = Clock::now() + Seconds(config_.timeout_s);
      Verdict verdict = Judge(co_await connection.RoundTrip(request, deadline));
      if (verdict.outcome.ok) {
        cache_.Put(request_hash, verdict.outcome.answer);
        co_return verdict.outcome;
      }
      const bool last = !verdict.retryable || attempt >= config_.retries;
      if (last || Stopping()) {
        if (attempt > 0) verdict.outcome.message += fmt::format(" ({} attempts)", attempt + 1);
        if (!last) verdict.outcome.code = "interrupted";
        co_return verdict.outcome;
      }
      ++summary_.retries;
      co_await Sleep(RetryDelay(attempt, verdict.retry_after));
    }
  }

  double RetryDelay(int attempt, std::optional<double> retry_after) {
    std::uniform_real_distribution<double> unit(0, 1);
    if (retry_after) {
      return std::min(*retry_after, options_.retry_after_max_s) * (1 + 0.1 * unit(rng_));
    }
    const double ceiling =
        std::min(options_.backoff_max_s, options_.backoff_base_s * std::pow(2.0, attempt));
    return ceiling * (0.5 + 0.5 * unit(rng_));  // "equal jitter": never 0, never in lockstep
  }

  Verdict Judge(const Exchange& exchange) const {
    Verdict v;
    Outcome& o = v.outcome;
    if (exchange.ec) {
      v.retryable = true;
      if (exchange.ec == beast::error::timeout) {
        o.code = "timeout";
        o.message = fmt::format("no response within {} s", config_.timeout_s);
      } else if (exchange.ec.category() == asio::error::get_ssl_category()) {
        v.retryable = false;  // a certificate or protocol failure does not heal by retrying
        o.code = "tls";
        o.message = fmt::format("TLS with {}: {}", url_.HostHeader(), exchange.ec.message());
        if (!exchange.tls_reason.empty()) o.message += " (" + exchange.tls_reason + ")";
      } else {
        o.code = "connection";
        o.message = fmt::format("{}: {}", url_.HostHeader(), exchange.ec.message());
      }
      o.message = Redact(o.message, secrets_);
      return v;
    }
    const int status = exchange.status;
    if (status < 200 || status > 299) {
      v.retryable = status == 429 || status == 408 || (status >= 500 && status <= 599);
      v.retry_after = exchange.retry_after;
      o.code = status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "http_error";
      o.message = Redact(fmt::format("HTTP {}: {}", status, Excerpt(exchange.body)), secrets_);
      return v;
    }
    auto answer = ParseChatAnswer(exchange.body);
    if (!answer) {
      o.code = "bad_response";
      o.message = Redact(Excerpt(answer.error().message, 400), secrets_);
      return v;
    }
    if (!utf8::IsValid(*answer)) {
      o.code = "bad_response";
      o.message = "the answer is not valid UTF-8";
      return v;
    }
    o.ok = true;
    o.answer = Redact(std::move(*answer), secrets_);
    return v;
  }

  void Record(size_t index, const Outcome& outcome) {
    const Question& q = questions_[index];
    if (outcome.ok) {
      lines_[index] = AnswerLine(q, outcome.answer, stamp_);
      ++summary_.answered;
      if (outcome.cached) ++summary_.cached;
    } else {
      lines_[index] = ErrorLine(q, outcome.code, outcome.message, stamp_);
      ++summary_.failed;
      ++summary_.errors_by_code[outcome.code];
    }
    ++done_;
    const std::string& line = lines_[index];
    if (std::fwrite(line.data(), 1, line.size(), out_) != line.size() ||
        std::fputc('\n', out_) == EOF || std::fflush(out_) != 0) {
      if (write_error_.empty()) write_error_ = "cannot write " + options_.out_path;
    }
    ReportProgress(false);
  }

  void ReportProgress(bool final) {
    if (!options_.progress) return;
    const auto now = Clock::now();
    if (!final && now - last_progress_ < std::chrono::milliseconds(100)) return;
    last_progress_ = now;
    options_.progress({summary_.questions, done_, summary_.failed, Elapsed()});
  }

  const CollectOptions& options_;
  const ProviderConfig& config_;
  const Url& url_;
  std::vector<Question> questions_;
  Pacer pacer_;
  ResponseCache cache_;
  ssl::context tls_context_;
  std::mt19937_64 rng_;
  std::vector<std::string> secrets_;
  ProviderStamp stamp_;
  std::vector<std::string> lines_;  // the output line of each question ("" = none yet)
  std::vector<size_t> pending_;     // question indexes to ask, in order
  size_t next_pending_ = 0;
  int64_t done_ = 0;
  std::FILE* out_ = nullptr;
  std::string write_error_;
  std::exception_ptr worker_exception_;
  CollectSummary summary_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_progress_{};
};

}  // namespace

Result<CollectSummary> Collect(const CollectOptions& options) {
  auto url = ParseBaseUrl(options.provider.base_url);
  if (!url) return url.error();
  if (options.out_path.empty()) return MakeError(ErrorCode::kInvalidArgument, "no output path");
  std::error_code ec;
  if (std::filesystem::equivalent(options.questions_path, options.out_path, ec)) {
    return MakeError(ErrorCode::kInvalidArgument, "the output file is the questions file");
  }
  auto questions = ReadQuestions(options.questions_path);
  if (!questions) return questions.error();
  Collector collector(options, *url, std::move(*questions));
  return collector.Run();
}

}  // namespace medaudit::collect
