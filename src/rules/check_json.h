// The JSON shape of a check result (design.md §4, "Check"): used by `check`, the server and the
// audit runner so that every face prints exactly the same object. Thread-safe.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "base/error.h"
#include "rules/engine.h"

namespace medaudit::rules {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// {"id": <id>, "verdict": ..., "findings": [...]}; id may be null (nullptr).
void WriteCheckResult(JsonWriter& writer, const rapidjson::Value* id, const CheckResult& result,
                      std::string_view answer);

// {"id": <id or null>, "error": {"code": ..., "message": ...}}
void WriteCheckError(JsonWriter& writer, const rapidjson::Value* id, const Error& error);

// One input line of `check --jsonl` (design.md §4): writes exactly one output object to writer —
// the verdict, or an error object for a truncated, empty, too deep, non-JSON, non-UTF-8 or
// non-object line, a missing or non-string answer, or a repeated answer/question/lang/id.
// Returns true with *result filled when the object is a verdict; when answer_out is given, the
// checked answer is copied there.
bool CheckJsonLine(const Engine& engine, std::string_view line, bool truncated,
                   size_t max_line_bytes, Workspace* workspace, CheckResult* result,
                   JsonWriter& writer, std::string* answer_out = nullptr);

// The findings array alone.
void WriteFindings(JsonWriter& writer, const CheckResult& result, std::string_view answer);

// Writes an echoed id as the input spelled it: value.Accept(writer), except that an integer
// beyond 64 bits (which RapidJSON keeps only as a rounded double) is written with its original
// digits, taken from `lexemes` = the same value parsed with rapidjson::kParseNumbersAsStringsFlag.
// With lexemes == nullptr this is value.Accept(writer). Other numbers (1.0, 1e2, -0) are written
// as before, in RapidJSON's form.
void WriteIdExact(JsonWriter& writer, const rapidjson::Value& value,
                  const rapidjson::Value* lexemes);

// True when `value` holds a number that WriteIdExact may need the lexemes for.
bool NeedsIdLexemes(const rapidjson::Value& value);

}  // namespace medaudit::rules
