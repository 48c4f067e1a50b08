// Localized report text: a message catalog keyed by id with one ICU MessageFormat pattern per
// language (zh, en, ar), and a Localizer that formats those patterns (plurals, numbers,
// percentages, dates) with icu::MessageFormat for one language. The catalog is static data;
// tests/report/catalog_test.cc checks that every entry is complete and parses in every language.
// A Localizer is immutable after Create and may be shared between threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/error.h"

namespace medaudit::report {

// One message: its id and its ICU MessageFormat pattern in each language.
struct CatalogEntry {
  const char* id;
  const char* en;
  const char* zh;
  const char* ar;
};

// Every message, in a fixed order.
std::span<const CatalogEntry> Catalog();

// The languages the reports are written in, in the order of CatalogEntry's columns after id.
inline constexpr std::string_view kReportLanguages[] = {"en", "zh", "ar"};

// A date argument (milliseconds since the Unix epoch, UTC), formatted by ICU as a date.
struct DateArg {
  int64_t millis = 0;
};

// A named MessageFormat argument: integer, floating point (for number/percent styles), string
// or date.
using MessageArg = std::variant<int64_t, double, std::string, DateArg>;
using MessageArgs = std::vector<std::pair<std::string, MessageArg>>;

class Localizer {
 public:
  // lang is zh, en or ar; anything else fails with kInvalidArgument.
  static Result<Localizer> Create(std::string_view lang);

  const std::string& lang() const { return lang_; }
  // True for right-to-left languages (ar).
  bool rtl() const { return lang_ == "ar"; }

  // The message `id` formatted with `args` (UTF-8). An unknown id or a pattern ICU rejects
  // yields "⟦id⟧", which the tests look for, so a mistake is visible but never fatal.
  std::string Format(std::string_view id, const MessageArgs& args = {}) const;

  // Number helpers through MessageFormat (so digits follow the locale): an integer; a rate as a
  // percentage with `decimals` decimals; a signed difference in percentage points.
  std::string Integer(int64_t value) const;
  std::string Percent(double rate, int decimals = 1) const;
  std::string SignedPercent(double value, int decimals = 1) const;
  // A long localized date for an RFC 3339 timestamp in UTC; the input itself when it does not
  // parse, "—" when empty.
  std::string Date(std::string_view rfc3339) const;

 private:
  explicit Localizer(std::string lang, int column) : lang_(std::move(lang)), column_(column) {}
  std::string FormatPattern(std::string_view pattern, const MessageArgs& args) const;

  std::string lang_;
  int column_ = 0;
};

// Checks that `pattern` parses as an ICU MessageFormat pattern for `lang`; the ICU error name
// otherwise.
Status CheckPattern(std::string_view pattern, std::string_view lang);

}  // namespace medaudit::report
