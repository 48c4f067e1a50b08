#include "support/fake_model_server.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace medaudit::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;

// The last user message of a chat-completions request body ("" when there is none).
std::string UserMessage(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  auto messages = doc.FindMember("messages");
  if (messages == doc.MemberEnd() || !messages->value.IsArray()) return "";
  std::string text;
  for (const auto& m : messages->value.GetArray()) {
    if (!m.IsObject()) continue;
    auto role = m.FindMember("role");
    auto content = m.FindMember("content");
    if (role != m.MemberEnd() && role->value.IsString() &&
        std::string_view(role->value.GetString()) == "user" && content != m.MemberEnd() &&
        content->value.IsString()) {
      text.assign(content->value.GetString(), content->value.GetStringLength());
    }
  }
  return text;
}

std::string ChatBody(const std::string* answer) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("id");
  w.String("chatcmpl-fake");
  w.Key("object");
  w.String("chat.completion");
  w.Key("choices");
  w.StartArray();
  w.StartObject();
  w.Key("index");
  w.Int(0);
  w.Key("message");
  w.StartObject();
  w.Key("role");
  w.String("assistant");
  w.Key("content");
  if (answer != nullptr) {
    w.String(answer->data(), static_cast<rapidjson::SizeType>(answer->size()));
  } else {
    w.Null();
  }
  w.EndObject();
  w.Key("finish_reason");
  w.String(answer != nullptr ? "stop" : "content_filter");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

// "[name:a:b]" → {a, b}; "[name]" → {} ; absent → nullopt.
std::optional<std::vector<long>> Marker(const std::string& question, const std::string& name) {
  const size_t at = question.find("[" + name);
  if (at == std::string::npos) return std::nullopt;
  const size_t close = question.find(']', at);
  if (close == std::string::npos) return std::nullopt;
  std::vector<long> args;
  size_t pos = at + 1 + name.size();
  if (pos < close && question[pos] != ':') return std::nullopt;  // another marker's prefix
  while (pos < close && question[pos] == ':') {
    ++pos;
    args.push_back(std::strtol(question.c_str() + pos, nullptr, 10));
    pos = question.find_first_of(":]", pos);
  }
  return args;
}

}  // namespace

struct FakeModelServer::Impl {
  Options options;
  std::optional<ssl::context> tls;  // TLS mode; declared first so it outlives every session
  asio::io_context context;
  tcp::acceptor acceptor{context};
  std::vector<std::thread> threads;
  mutable std::mutex mutex;
  std::map<std::string, int64_t> counts;
  int64_t total = 0;
  int64_t connections = 0;
  int port = 0;  // cached: the acceptor is busy on the server thread
  http::request<http::string_body> last;

  // Counts the request; returns how many requests this question has had (1 for the first).
  int64_t Count(const std::string& question, const http::request<http::string_body>& request) {
    std::lock_guard lock(mutex);
    ++total;
    last = request;
    return ++counts[question];
  }

  awaitable<void> Session(tcp::socket socket) {
    {
      std::lock_guard lock(mutex);
      ++connections;
    }
    beast::error_code ec;
    if (tls) {
      beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
      // A client that stalls mid-handshake must not hold the session forever.
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
      co_await stream.async_handshake(ssl::stream_base::server,
                                      asio::redirect_error(asio::use_awaitable, ec));
      beast::get_lowest_layer(stream).expires_never();
      if (!ec) co_await Serve(stream);
      // No close_notify: like plain mode, the server just goes away.
      beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
    } else {
      beast::tcp_stream stream(std::move(socket));
      co_await Serve(stream);
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  template <class Stream>
  awaitable<void> Serve(Stream& stream) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> request;
      co_await http::async_read(stream, buffer, request,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      http::response<http::string_body> response;
      const bool respond = co_await Handle(request, &response);
      if (!respond) break;  // [drop]: close without a response
      response.version(request.version());
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !request.keep_alive()) break;
    }
  }

  // Fills the response; false means: drop the connection instead.
  awaitable<bool> Handle(const http::request<http::string_body>& request,
                         http::response<http::string_body>* response) {
    const std::string target(request.target());
    if (request.method() != http::verb::post || target.size() < 17 ||
        target.substr(target.size() - 17) != "/chat/completions") {
      response->result(http::status::not_found);
      response->body() = R"({"error":{"message":"not found"}})";
      co_return true;
    }
    const std::string question = UserMessage(request.body());
    const int64_t n = Count(question, request);
    long wait_ms = options.latency_ms;
    if (auto slow = Marker(question, "slow"); slow && !slow->empty()) wait_ms += (*slow)[0];
    if (wait_ms > 0) {
      asio::steady_timer timer(co_await asio::this_coro::executor,
                               std::chrono::milliseconds(wait_ms));
      beast::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    response->set(http::field::content_type, "application/json");
    if (auto drop = Marker(question, "drop"); drop && (drop->empty() || n <= (*drop)[0])) {
      co_return false;
    }
    if (auto limited = Marker(question, "429");
        limited && limited->size() == 2 && n <= (*limited)[0]) {
      response->result(http::status::too_many_requests);
      response->set(http::field::retry_after, std::to_string((*limited)[1]));
      response->body() = R"({"error":{"message":"rate limited"}})";
      co_return true;
    }
    if (auto failing = Marker(question, "500");
        failing && (failing->empty() || n <= (*failing)[0])) {
      response->result(http::status::internal_server_error);
      response->body() = R"({"error":{"message":"internal error"}})";
      co_return true;
    }
    if (Marker(question, "malformed")) {
      response->result(http::status::ok);
      response->body() = R"({"choices":[{"message":{"content":"cut off)";
      co_return true;
    }
    if (Marker(question, "echo-auth")) {
      response->result(http::status::bad_request);
      response->body() = "bad request; you sent Authorization: " +
                         std::string(request[http::field::authorization]);
      co_return true;
    }
    response->result(http::status::ok);
    if (Marker(question, "noanswer")) {
      response->body() = ChatBody(nullptr);
      co_return true;
    }
    const std::string answer =
        options.answer_for ? options.answer_for(question) : "Answer: " + question;
    response->body() = ChatBody(&answer);
    co_return true;
  }

  awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(acceptor.get_executor(), Session(std::move(socket)), asio::detached);
    }
  }
};

FakeModelServer::FakeModelServer() : FakeModelServer(Options{}) {}

FakeModelServer::FakeModelServer(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  if (!impl_->options.tls_cert_pem.empty() || !impl_->options.tls_key_pem.empty()) {
    // Throws (boost::system::system_error) on a bad certificate or key: a test setup error.
    auto& ctx = impl_->tls.emplace(ssl::context::tls_server);
    ctx.use_certificate_chain(asio::buffer(impl_->options.tls_cert_pem));
    ctx.use_private_key(asio::buffer(impl_->options.tls_key_pem), ssl::context::pem);
  }
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->context, impl_->Accept(), asio::detached);
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->context.run(); });
  }
}

FakeModelServer::~FakeModelServer() {
  impl_->context.stop();
  for (auto& t : impl_->threads) t.join();
}

int FakeModelServer::port() const { return impl_->port; }

bool FakeModelServer::tls() const { return impl_->tls.has_value(); }

std::string FakeModelServer::base_url() const {
  return std::string(tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) + "/v1";
}

int64_t FakeModelServer::RequestsFor(const std::string& question) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->counts.find(question);
  return it == impl_->counts.end() ? 0 : it->second;
}

std::map<std::string, int64_t> FakeModelServer::RequestCounts() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counts;
}

int64_t FakeModelServer::total_requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->total;
}

int64_t FakeModelServer::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

std::string FakeModelServer::last_authorization() const { return last_header("Authorization"); }

std::string FakeModelServer::last_body() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last.body();
}

std::string FakeModelServer::last_header(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  return std::string(impl_->last[name]);
}

}  // namespace medaudit::testing
