#include "base/file.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace medaudit {

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound, "no such file: " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(in.tellg());
  if (size > max_bytes) {
    return MakeError(ErrorCode::kTooLarge,
                     path + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  in.seekg(0);
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (!in) return MakeError(ErrorCode::kIo, "cannot read " + path);
  return data;
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError(ErrorCode::kIo, "cannot write " + tmp + ": " + std::strerror(errno));
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) return MakeError(ErrorCode::kIo, "cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return MakeError(ErrorCode::kIo, "cannot rename to " + path + ": " + std::strerror(errno));
  }
  return {};
}

bool ReadBoundedLine(std::istream& in, size_t max_bytes, std::string* line, bool* truncated) {
  line->clear();
  *truncated = false;
  // istream::getline finds the newline in the stream's buffer a block at a time (memchr), where a
  // byte-at-a-time loop cost more than parsing the line's JSON. A line longer than the chunk
  // comes in several reads: getline then stops with failbit, which is cleared to go on.
  std::array<char, 16384> chunk;
  bool any = false;
  for (;;) {
    in.getline(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<size_t>(in.gcount());
    const bool newline = !in.fail() && !in.eof();  // getline extracted the '\n' (counted in got)
    const size_t bytes = newline ? got - 1 : got;
    any = any || got > 0;
    const size_t room = max_bytes - std::min(max_bytes, line->size());
    line->append(chunk.data(), std::min(bytes, room));
    *truncated = *truncated || bytes > room;
    if (newline || in.eof() || got == 0) break;
    in.clear();  // the chunk filled up before the line's end
  }
  if (in.eof()) in.clear(std::ios::eofbit);  // a last line without '\n' is still a line
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

size_t PruneOldestFiles(const std::string& dir, std::string_view suffix, uintmax_t max_bytes,
                        const std::string& keep_path) {
  namespace fs = std::filesystem;
  struct Entry {
    fs::path path;
    fs::file_time_type written;
    uintmax_t bytes;
  };
  std::vector<Entry> entries;
  uintmax_t total = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    if (!path.filename().string().ends_with(suffix) || !it->is_regular_file(ec)) continue;
    const uintmax_t bytes = it->file_size(ec);
    const fs::file_time_type written = it->last_write_time(ec);
    if (ec) continue;
    total += bytes;
    entries.push_back({path, written, bytes});
  }
  if (total <= max_bytes) return 0;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.written < b.written; });
  const fs::path keep = fs::path(keep_path).lexically_normal();
  size_t removed = 0;
  for (const Entry& entry : entries) {
    if (total <= max_bytes) break;
    if (entry.path.lexically_normal() == keep) continue;
    if (fs::remove(entry.path, ec)) ++removed;
    total -= entry.bytes;  // a file another process removed meanwhile is gone too
  }
  return removed;
}

void TouchFile(const std::string& path) {
  std::error_code ec;
  std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ec);
}

}  // namespace medaudit
