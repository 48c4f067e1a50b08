// RapidJSON helpers: parsing with line/column errors, JSON pointers, and checked field access.
// RapidJSON getters only assert, so every read goes through these checks first.
// Pure functions; thread-safe.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "base/error.h"

namespace medaudit::json {

// RapidJSON parses and writes values recursively, so a document nested deeper than this would
// overflow the stack; every parse of untrusted text rejects it first (issue 8).
inline constexpr size_t kMaxDepth = 256;
// True when data opens more than max_depth arrays/objects at once (string contents skipped).
bool TooDeep(std::string_view data, size_t max_depth = kMaxDepth);

// Parses a whole document. On failure: kInvalidJson with file, line and column of the error.
// A document nested deeper than kMaxDepth is a kInvalidJson error.
Status Parse(std::string_view data, const std::string& file, rapidjson::Document* out);

// The first key that occurs twice in `object` (nullptr when none, or when it is not an object).
// RapidJSON keeps both members; readers that look up the first and consumers that keep the last
// would then see different documents, so every reader of untrusted JSON refuses them. With
// `recursive`, nested objects (and objects inside arrays) are searched too, and *pointer (if
// given) receives the JSON pointer of the object holding the duplicate.
const rapidjson::Value* DuplicateKey(const rapidjson::Value& object, bool recursive = false,
                                     std::string* pointer = nullptr);

// "/rules/3/when" style pointer pieces (RFC 6901 escaping of '~' and '/').
std::string Pointer(std::string_view parent, std::string_view key);
std::string Pointer(std::string_view parent, size_t index);

inline std::string_view View(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// Writes a string value (escaped) — RapidJSON's Writer with the text's exact length.
template <class Writer>
void String(Writer& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

}  // namespace medaudit::json
