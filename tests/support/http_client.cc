#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace medaudit::testing {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Waits for fd to become readable; false on timeout.
bool WaitReadable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  do {
    rc = poll(&p, 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

}  // namespace

std::string HttpResult::Header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? std::string() : it->second;
}

int ConnectTcp(const std::string& host, uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr) != 1 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadUntilClose(int fd, int timeout_ms, bool* closed) {
  std::string out;
  if (closed != nullptr) *closed = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0 || !WaitReadable(fd, static_cast<int>(left))) return out;
    const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (closed != nullptr) *closed = true;
      return out;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
}

HttpResult ParseResponse(std::string_view raw, size_t* consumed) {
  HttpResult result;
  const size_t end = raw.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    result.error = "incomplete header";
    return result;
  }
  std::string_view head = raw.substr(0, end);
  const size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") {
    result.error = "bad status line";
    return result;
  }
  result.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  head = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!head.empty()) {
    const size_t nl = head.find("\r\n");
    const std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    result.headers[Lower(std::string(line.substr(0, colon)))] = std::string(value);
  }
  const size_t length = std::strtoull(result.Header("content-length").c_str(), nullptr, 10);
  const size_t body_start = end + 4;
  if (raw.size() < body_start + length) {
    result.error = "incomplete body";
    return result;
  }
  result.body = std::string(raw.substr(body_start, length));
  result.ok = true;
  if (consumed != nullptr) *consumed = body_start + length;
  return result;
}

HttpResult ReadResponse(int fd, std::string* buffer, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char chunk[16384];
  for (;;) {
    size_t consumed = 0;
    HttpResult result = ParseResponse(*buffer, &consumed);
    if (result.ok) {
      // Skip interim 1xx responses (100 Continue).
      buffer->erase(0, consumed);
      if (result.status >= 100 && result.status < 200) continue;
      return result;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0 || !WaitReadable(fd, static_cast<int>(left))) {
      result.error = "timeout";
      return result;
    }
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      result.error = n == 0 ? "connection closed" : std::strerror(errno);
      return result;
    }
    buffer->append(chunk, static_cast<size_t>(n));
  }
}

HttpClient::HttpClient(std::string host, uint16_t port, int timeout_ms)
    : host_(std::move(host)), port_(port), timeout_ms_(timeout_ms) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  pending_.clear();
}

HttpResult HttpClient::Request(const std::string& method, const std::string& target,
                               const std::string& body, const Headers& headers) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: " + host_ + "\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool fresh = fd_ < 0;
    if (fresh) {
      fd_ = ConnectTcp(host_, port_);
      if (fd_ < 0) return HttpResult{false, "cannot connect", 0, {}, {}};
    }
    if (SendAll(fd_, request)) {
      HttpResult result = ReadResponse(fd_, &pending_, timeout_ms_);
      if (result.ok) {
        if (Lower(result.Header("connection")) == "close") Close();
        return result;
      }
      Close();
      if (fresh) return result;  // a reused connection may have been closed by the server: retry
    } else {
      Close();
      if (fresh) return HttpResult{false, "send failed", 0, {}, {}};
    }
  }
  return HttpResult{false, "failed", 0, {}, {}};
}

HttpResult HttpClient::PostJson(const std::string& target, const std::string& body,
                                const Headers& headers) {
  Headers all = headers;
  all.emplace_back("Content-Type", "application/json");
  return Request("POST", target, body, all);
}

}  // namespace medaudit::testing
