#include "server/request_log.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <ctime>
#include <string>

#include "base/json.h"
#include "base/utf8.h"

namespace medaudit::server {

namespace {

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  const size_t n = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof(text) - n, ".%03dZ", static_cast<int>(millis));
  return text;
}

std::string_view Safe(std::string_view text) {
  if (text.size() > 2048) text = text.substr(0, 2048);
  return utf8::IsValid(text) ? text : std::string_view("(invalid UTF-8)");
}

// One log line: a JSON object of "ts" and the fields `write_fields` adds with the writer.
template <class Fields>
std::string LogLine(Fields&& write_fields) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("ts");
  json::String(w, Timestamp());
  write_fields(w);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

void RequestLog::WriteLine(std::string_view line) {
  std::lock_guard lock(mutex_);
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
  out_->put('\n');
  out_->flush();
}

void RequestLog::Write(std::string_view id, std::string_view method, std::string_view target,
                       int status, size_t bytes, int64_t micros) {
  if (out_ == nullptr) return;
  WriteLine(LogLine([&](auto& w) {
    w.Key("id");
    json::String(w, Safe(id));
    w.Key("method");
    json::String(w, Safe(method));
    w.Key("path");
    json::String(w, Safe(target.substr(0, target.find('?'))));
    w.Key("status");
    w.Int(status);
    w.Key("bytes");
    w.Uint64(bytes);
    w.Key("micros");
    w.Int64(micros);
  }));
}

void RequestLog::Message(std::string_view message) {
  if (out_ == nullptr) return;
  WriteLine(LogLine([&](auto& w) {
    w.Key("message");
    json::String(w, Safe(message));
  }));
}

}  // namespace medaudit::server
