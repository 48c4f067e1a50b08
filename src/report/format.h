// Deterministic text helpers shared by the report renderers: fixed-point numbers (NaN and
// infinities become "null"), HTML/XML escaping, and RFC 3339 timestamps. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace medaudit::report {

// Digits after the decimal point of every non-integer number in the machine formats.
inline constexpr int kFixedDigits = 6;

// `value` with exactly `digits` decimals ("0.057143"); "-0.000000" is written "0.000000";
// NaN and ±inf → "null". The same string is used by report.json and the HTML data-value
// attributes, so both agree byte for byte.
std::string FixedNumber(double value, int digits = kFixedDigits);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

// Escapes & < > " ' for XML 1.0 and drops characters XML 1.0 forbids (C0 controls other than
// tab, LF, CR; U+FFFE, U+FFFF). Invalid UTF-8 bytes are replaced by U+FFFD.
std::string XmlEscape(std::string_view text);

// Escapes Markdown table-cell text: | → \|, newlines → spaces, and < > & as HTML entities.
std::string MarkdownCell(std::string_view text);

// Milliseconds since the Unix epoch of an RFC 3339 UTC timestamp ("2024-05-01T12:00:00Z",
// fractional seconds and numeric offsets accepted); nullopt when it does not parse.
std::optional<int64_t> ParseRfc3339Millis(std::string_view text);

// Replaces invalid UTF-8 sequences by U+FFFD (so that every renderer gets valid text).
std::string ValidUtf8(std::string_view text);

}  // namespace medaudit::report
