// Listener and sessions of `medaudit serve` (Beast + Asio). One Session per connection, on its
// own strand; the handlers (service.cc) run on the I/O threads: a check takes microseconds.
#include "server/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "server/http_glue.h"
#include "server/request_log.h"

namespace medaudit::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

namespace {

// The largest body any route accepts: the header parser's limit until the route is known.
size_t LargestBodyLimit(const Limits& limits) {
  return std::max(
      {limits.max_check_body, limits.max_batch_body, limits.max_audit_body, limits.max_other_body});
}

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Drain() = 0;
};

}  // namespace

struct Server::Impl {
  explicit Impl(const ServerOptions& opts)
      : options(opts), log(opts.log), ioc(Threads()), acceptor(net::make_strand(ioc)) {}

  int Threads() const {
    const int n = options.threads > 0 ? options.threads
                                      : static_cast<int>(std::thread::hardware_concurrency());
    return std::max(1, n);
  }

  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void WaitSignal();
  void Register(SessionBase* session, std::weak_ptr<SessionBase> weak) {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(session, std::move(weak));
  }
  void Unregister(SessionBase* session) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(session);
  }
  size_t SessionCount() {
    std::lock_guard lock(sessions_mutex);
    return sessions.size();
  }
  void StopNow();

  // Order matters: the io_context destroys pending sessions, whose destructors use the service,
  // the log and the session registry, so those are declared (constructed) before it.
  ServerOptions options;
  std::unique_ptr<Service> service;
  RequestLog log;
  std::mutex sessions_mutex;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;

  std::mutex state_mutex;
  std::condition_variable state_cv;
  bool stop_requested = false;  // by a signal; Wait() performs the stop
  bool stopping = false;
  bool stopped = false;

  std::optional<ssl::context> tls;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;
  std::optional<net::steady_timer> accept_retry;
  std::vector<std::thread> threads;
  uint16_t port = 0;
};

namespace {

template <bool kTls>
class Session : public SessionBase, public std::enable_shared_from_this<Session<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  Session(Server::Impl& server, tcp::socket&& socket, bool overloaded)
      : server_(server), stream_(MakeStream(server, std::move(socket))), overloaded_(overloaded) {
    server_.service->metrics().connections_open.fetch_add(1);
    server_.service->metrics().connections_total.fetch_add(1);
  }
  ~Session() override {
    server_.service->metrics().connections_open.fetch_sub(1);
    server_.Unregister(this);
  }

  void Start() {
    server_.Register(this, this->weak_from_this());
    net::dispatch(Tcp().get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void Drain() override {
    net::dispatch(Tcp().get_executor(), [self = this->shared_from_this()] {
      self->draining_ = true;
      // Between requests nothing is lost: close now. A request being read, handled or written
      // finishes first and gets Connection: close.
      if (self->state_ == State::kIdle) self->Tcp().cancel();
    });
  }

 private:
  enum class State { kHandshake, kIdle, kHeader, kBody, kWriting, kClosing };

  static Stream MakeStream(Server::Impl& server, tcp::socket&& socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *server.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }
  const Limits& limits() const { return server_.options.limits; }
  Metrics& metrics() { return server_.service->metrics(); }

  void Begin() {
    if constexpr (kTls) {
      state_ = State::kHandshake;
      Tcp().expires_after(limits().header_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->OnReadError(ec, false);
                                self->ReadHeader();
                              });
    } else {
      ReadHeader();
    }
  }

  void ReadHeader() {
    if (draining_) return Close();
    state_ = buffer_.size() == 0 ? State::kIdle : State::kHeader;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(limits().max_header_bytes, std::numeric_limits<uint32_t>::max())));
    body_limit_ = LargestBodyLimit(limits());
    parser_->body_limit(body_limit_);
    Tcp().expires_after(limits().header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec, true);
    state_ = State::kBody;
    started_ = Clock::now();
    const auto& request = parser_->get();
    request_id_ = RequestIdFor(request);
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view method(request.method_string().data(), request.method_string().size());
    const std::string_view path = target.substr(0, target.find('?'));
    route_ = MatchRoute(method, path).route;
    if (overloaded_) {
      metrics().connections_rejected.fetch_add(1);
      HttpResponse response = ErrorResponse(503, "overloaded", "too many connections");
      response.headers.emplace_back("Retry-After", "1");
      return Respond(std::move(response), /*body_unread=*/!parser_->is_done());
    }
    body_limit_ = BodyLimitFor(method, path, limits());
    if (const auto length = parser_->content_length(); length && *length > body_limit_) {
      return Respond(TooLarge(body_limit_), /*body_unread=*/true);
    }
    parser_->body_limit(body_limit_);
    if (parser_->is_done()) return Handle();
    const auto expect = request.find(http::field::expect);
    if (expect != request.end() && beast::iequals(expect->value(), "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      Tcp().expires_after(limits().write_timeout);
      return net::async_write(stream_, net::buffer(kContinue),
                              [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                if (ec) return self->Close();
                                self->ReadBody();
                              });
    }
    ReadBody();
  }

  void ReadBody() {
    Tcp().expires_after(limits().body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec, false);
                       self->Handle();
                     });
  }

  static HttpResponse TooLarge(size_t limit) {
    return ErrorResponse(413, "too_large",
                         "the request body is larger than " + std::to_string(limit) + " bytes");
  }

  // A failed read: answer what deserves an answer (413, 400), close the rest silently.
  void OnReadError(beast::error_code ec, bool in_header) {
    if (ec == beast::error::timeout) {
      metrics().timeouts.fetch_add(1);
      return Close();
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == http::error::partial_message ||
        ec == net::error::connection_reset || ec.category() == net::error::get_ssl_category() ||
        ec == net::ssl::error::stream_truncated || state_ == State::kHandshake) {
      return Close();
    }
    if (request_id_.empty() || in_header) {
      request_id_ = RequestIdFor(BeastRequest{});
      started_ = Clock::now();
    }
    if (ec == http::error::header_limit) {
      return Respond(ErrorResponse(413, "headers_too_large",
                                   "the request header is larger than " +
                                       std::to_string(limits().max_header_bytes) + " bytes"),
                     true);
    }
    if (ec == http::error::body_limit) return Respond(TooLarge(body_limit_), true);
    metrics().protocol_errors.fetch_add(1);
    Respond(ErrorResponse(400, "bad_request", "malformed HTTP request: " + ec.message()), true);
  }

  void Handle() {
    state_ = State::kWriting;
    const Route* route = nullptr;
    response_ = HandleBeastRequest(*server_.service, parser_->get(), request_id_, &route);
    route_ = route;
    if (draining_ || server_.service->draining()) response_.keep_alive(false);
    Write(false);
  }

  // An answer produced by the transport itself (no handler): always closes the connection.
  void Respond(HttpResponse response, bool body_unread) {
    state_ = State::kWriting;
    response.close = true;
    const unsigned version =
        parser_ && parser_->is_header_done() && parser_->get().version() == 10 ? 10 : 11;
    response_ = ToBeast(std::move(response), version, false, request_id_);
    Write(body_unread);
  }

  void Write(bool body_unread) {
    Tcp().expires_after(limits().write_timeout);
    http::async_write(stream_, response_,
                      [self = this->shared_from_this(), body_unread](beast::error_code ec, size_t) {
                        self->OnWrite(ec, body_unread);
                      });
  }

  void OnWrite(beast::error_code ec, bool body_unread) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count();
    metrics().RecordRequest(route_, response_.result_int(), micros / 1e6);
    const bool header_done = parser_ && parser_->is_header_done();
    const BeastRequest empty;
    const auto& request = parser_ ? parser_->get() : empty;
    server_.log.Write(
        request_id_,
        header_done
            ? std::string_view(request.method_string().data(), request.method_string().size())
            : std::string_view(),
        header_done ? std::string_view(request.target().data(), request.target().size())
                    : std::string_view(),
        response_.result_int(), response_.body().size(), micros);
    if (ec) {
      if (ec == beast::error::timeout) metrics().timeouts.fetch_add(1);
      return Close();
    }
    if (!response_.keep_alive()) return body_unread ? Linger() : Close();
    request_id_.clear();
    route_ = nullptr;
    ReadHeader();
  }

  // After answering a request whose body was not read: stop sending, then read and discard for
  // a moment so that the client sees the answer instead of a reset.
  void Linger() {
    state_ = State::kClosing;
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().expires_after(std::min<std::chrono::milliseconds>(limits().header_timeout,
                                                            std::chrono::milliseconds(2000)));
    DiscardSome(0);
  }

  void DiscardSome(size_t discarded) {
    if (discarded > (size_t{4} << 20)) return Tcp().close();
    Tcp().async_read_some(net::buffer(discard_), [self = this->shared_from_this(), discarded](
                                                     beast::error_code ec, size_t n) {
      if (ec) return self->Tcp().close();
      self->DiscardSome(discarded + n);
    });
  }

  void Close() {
    state_ = State::kClosing;
    if constexpr (kTls) {
      Tcp().expires_after(std::chrono::milliseconds(1000));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->Tcp().close(); });
    } else {
      beast::error_code ignored;
      Tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
      Tcp().close();
    }
  }

  Server::Impl& server_;
  Stream stream_;
  const bool overloaded_;
  bool draining_ = false;
  State state_ = State::kIdle;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  BeastResponse response_;
  std::string request_id_;
  const Route* route_ = nullptr;
  size_t body_limit_ = 0;
  Clock::time_point started_ = Clock::now();
  std::array<char, 4096> discard_;
};

}  // namespace

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // Out of file descriptors and the like: wait a little instead of spinning.
    accept_retry.emplace(acceptor.get_executor(), std::chrono::milliseconds(50));
    accept_retry->async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && acceptor.is_open()) Accept();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  const bool overloaded =
      service->metrics().connections_open.load() >= options.limits.max_connections;
  if (tls) {
    std::make_shared<Session<true>>(*this, std::move(socket), overloaded)->Start();
  } else {
    std::make_shared<Session<false>>(*this, std::move(socket), overloaded)->Start();
  }
  Accept();
}

void Server::Impl::WaitSignal() {
  signals->async_wait([this](beast::error_code ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      auto status = service->Reload();
      log.Message(status ? "rules reloaded (SIGHUP)"
                         : "rules NOT reloaded (SIGHUP): " + status.error().ToString());
      return WaitSignal();
    }
    std::lock_guard lock(state_mutex);
    stop_requested = true;
    state_cv.notify_all();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

uint16_t Server::port() const { return impl_->port; }
Service& Server::service() { return *impl_->service; }

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  boost::system::error_code ec;
  const auto address =
      net::ip::make_address(options.host == "localhost" ? "127.0.0.1" : options.host, ec);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, "not an IP address: " + options.host);
  if (options.tokens_file.empty() && !address.is_loopback()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "refusing to listen on " + options.host +
                         " without --tokens: anyone on the network could call it. Give a tokens "
                         "file (medaudit serve --hash-token) or listen on 127.0.0.1");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "--tls-cert and --tls-key go together");
  }
  auto impl = std::make_unique<Impl>(options);
  if (!options.tls_cert.empty()) {
    impl->tls.emplace(ssl::context::tls_server);
    impl->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                           ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                           ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    impl->tls->use_certificate_chain_file(options.tls_cert, ec);
    if (!ec) impl->tls->use_private_key_file(options.tls_key, ssl::context::pem, ec);
    if (ec)
      return MakeError(ErrorCode::kIo, "cannot load the TLS certificate or key: " + ec.message());
  }
  auto service = Service::Create(options);
  if (!service) return service.error();
  impl->service = std::move(*service);

  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kIo, "cannot listen on " + options.host + ":" +
                                         std::to_string(options.port) + ": " + ec.message());
  }
  impl->port = impl->acceptor.local_endpoint().port();
  if (options.handle_signals) {
    impl->signals.emplace(impl->ioc, SIGINT, SIGTERM, SIGHUP);
    impl->WaitSignal();
  }
  impl->Accept();
  const int threads = impl->Threads();
  for (int i = 0; i < threads; ++i) {
    impl->threads.emplace_back([ioc = &impl->ioc] { ioc->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::Impl::StopNow() {
  service->SetDraining();
  net::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    if (accept_retry) accept_retry->cancel();
  });
  if (signals) {
    net::post(ioc, [this] {
      beast::error_code ignored;
      signals->cancel(ignored);
    });
  }
  {
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(sessions_mutex);
      for (auto& [raw, weak] : sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->Drain();
  }
  const auto deadline = Clock::now() + options.limits.drain_timeout;
  while (SessionCount() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ioc.stop();
  for (auto& thread : threads) thread.join();
  threads.clear();
  service->ShutdownAudits();
}

void Server::Stop() {
  {
    std::unique_lock lock(impl_->state_mutex);
    if (impl_->stopping) {
      impl_->state_cv.wait(lock, [this] { return impl_->stopped; });
      return;
    }
    impl_->stopping = true;
  }
  impl_->StopNow();
  std::lock_guard lock(impl_->state_mutex);
  impl_->stopped = true;
  impl_->state_cv.notify_all();
}

void Server::Wait() {
  {
    std::unique_lock lock(impl_->state_mutex);
    impl_->state_cv.wait(lock, [this] { return impl_->stopped || impl_->stop_requested; });
    if (impl_->stopped) return;
  }
  Stop();
}

}  // namespace medaudit::server
