// File helpers that return Result instead of throwing. Thread-safe.
#pragma once

#include <string>

#include "base/error.h"

namespace medaudit {

// Reads a whole file. Fails with kNotFound or kIo; with kTooLarge when it exceeds max_bytes.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes = size_t{1} << 30);

// Writes data to path atomically (temp file + rename). Fails with kIo.
Status WriteFileAtomic(const std::string& path, std::string_view data);

}  // namespace medaudit
