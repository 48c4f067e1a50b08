// Parsing helpers of the medication-statement extractor: amounts, frequencies, durations.
#include "extract/statement.h"

#include <catch2/catch.hpp>

using medaudit::extract::FrequencyRule;
using medaudit::extract::ParseAmount;
using medaudit::extract::ParseDurationDays;
using medaudit::extract::ParseFrequency;

TEST_CASE("Statement: amounts with units in three languages", "[extract][en][zh][ar]") {
  auto mg = ParseAmount("400 mg");
  REQUIRE(mg.has_value());
  CHECK(mg->high == 400);
  CHECK(mg->HighInBase() == 400);
  auto g = ParseAmount("0.5g");
  REQUIRE(g.has_value());
  CHECK(g->HighInBase() == Approx(500));
  auto zh = ParseAmount("500毫克");
  REQUIRE(zh.has_value());
  CHECK(zh->HighInBase() == 500);
  auto ar = ParseAmount("500 ملغ");
  REQUIRE(ar.has_value());
  CHECK(ar->HighInBase() == 500);
  auto range = ParseAmount("1-2 tablets");
  REQUIRE(range.has_value());
  CHECK(range->low == 1);
  CHECK(range->high == 2);
  CHECK(range->kind == medaudit::text::UnitKind::kCount);
  auto thousands = ParseAmount("1,000 mg");
  REQUIRE(thousands.has_value());
  CHECK(thousands->high == 1000);
  auto times = ParseAmount("2 x 500 mg");
  REQUIRE(times.has_value());
  CHECK(times->high == 1000);
  CHECK_FALSE(ParseAmount("500 apples").has_value());
}

TEST_CASE("Statement: frequencies per day", "[extract]") {
  FrequencyRule interval;
  interval.interval_hours = true;
  CHECK(ParseFrequency("every 6 hours", interval) == Approx(4));
  CHECK(ParseFrequency("every 4-6 hours", interval) == Approx(6));  // judge the upper end
  CHECK(ParseFrequency("كل 8 ساعات", interval) == Approx(3));
  FrequencyRule count;
  count.count = true;
  CHECK(ParseFrequency("1日3次", count) == Approx(3));
  CHECK(ParseFrequency("每日2次", count) == Approx(2));
  CHECK(ParseFrequency("three times a day", count) == Approx(3));
  FrequencyRule fixed;
  fixed.per_day = 2;
  CHECK(ParseFrequency("twice daily", fixed) == 2);
  FrequencyRule weekly;
  weekly.count_per_week = true;
  CHECK(ParseFrequency("每周2次", weekly) == Approx(2.0 / 7));
}

TEST_CASE("Statement: durations in days", "[extract]") {
  CHECK(ParseDurationDays("for 7 days") == 7);
  CHECK(ParseDurationDays("for 2 weeks") == 14);
  CHECK(ParseDurationDays("连用7天") == 7);
  CHECK(ParseDurationDays("连用2周") == 14);
  CHECK(ParseDurationDays("لمده 5 ايام") == 5);
  CHECK(ParseDurationDays("لمده اسبوعين") == 14);
}

TEST_CASE("Statement: amounts written in English words", "[extract][en]") {
  auto check = [](const char* hit, double want) {
    INFO(hit);
    auto amount = ParseAmount(hit);
    REQUIRE(amount.has_value());
    CHECK(amount->high == want);
  };
  check("four hundred milligrams", 400);
  check("two hundred and fifty mg", 250);
  check("one thousand milligrams", 1000);
  check("twenty-five mg", 25);
  check("twenty five mg", 25);
  check("fifteen ml", 15);
  check("five hundred mg", 500);
  check("six mg", 6);
  CHECK_FALSE(ParseAmount("hundred mg").has_value());  // no leading number word
  CHECK_FALSE(ParseAmount("four hundred apples").has_value());
}
