// File helpers that return Result instead of throwing. Thread-safe.
#pragma once

#include <cstdint>
#include <istream>
#include <string>

#include "base/error.h"

namespace medaudit {

// Reads a whole file. Fails with kNotFound or kIo; with kTooLarge when it exceeds max_bytes.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = size_t{1} << 30);

// Writes data to path atomically (temp file + rename). Fails with kIo.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// Reads one line (without '\n' and a trailing '\r') into *line, keeping at most max_bytes;
// *truncated says whether the line was longer (the rest is consumed). Returns false at the end
// of input. A stream of untrusted JSON Lines is read through this, so a huge line costs no memory.
bool ReadBoundedLine(std::istream& in, size_t max_bytes, std::string* line, bool* truncated);

// Keeps a cache directory bounded: while the files of dir whose names end in suffix total more
// than max_bytes, removes the least recently written one, never keep_path. Best effort: errors
// (a file removed meanwhile by another process) are ignored. Returns how many files it removed.
size_t PruneOldestFiles(const std::string& dir, std::string_view suffix, uintmax_t max_bytes,
                        const std::string& keep_path);

// Marks a file as just used (its write time becomes now), so that PruneOldestFiles keeps it.
void TouchFile(const std::string& path);

}  // namespace medaudit
