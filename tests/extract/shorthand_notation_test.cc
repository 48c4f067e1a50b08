// Dosing shorthand as clinicians, pharmacists and patients write it in the regions the engine
// serves (extract/amount.cc, attach.cc, text/units.cc): morning-noon-night slots ("2-0-2", "½-0-½",
// "1+1+1"), "x5/7" / "x 1/52" / "for 2/12" durations, "6 hourly", vulgar fractions ("½ tab",
// "1½ tabs"), plural and misspelt units ("500mgs", "miligrams", "مللي جرام"), the Chinese "1#"
// (one tablet), Cantonese 羹 / 啖 (a spoonful, a mouthful), Egyptian برشامة / حباية, Arabizi
// 7abba / 7abbteen, a brand's strength before a singular count noun ("بنادول ٥٠٠ حباية") and a
// bare count between the verb and the name ("take 2 advil").
#include <catch2/catch.hpp>
#include <string>

#include "extract/internal/amount.h"
#include "extract/statement.h"
#include "support/shipped_engine.h"
#include "text/units.h"

namespace {

using medaudit::extract::FrequencyRule;
using medaudit::extract::MedicationStatement;
using medaudit::extract::ParseAmount;
using medaudit::extract::ParseDurationDays;
using medaudit::extract::ParseFrequency;
using medaudit::testing::StatementsIn;
namespace text = medaudit::text;
namespace internal = medaudit::extract::internal;

// The statement of `drug` with the largest daily amount read (nullptr when there is none).
const MedicationStatement* Main(const std::vector<MedicationStatement>& sts) {
  const MedicationStatement* best = nullptr;
  for (const auto& st : sts) {
    if (best == nullptr || st.DailyMg().value_or(0) > best->DailyMg().value_or(0) ||
        st.per_day > best->per_day) {
      best = &st;
    }
  }
  return best;
}

}  // namespace

TEST_CASE("Shorthand: morning-noon-night slots", "[extract][shorthand]") {
  FrequencyRule count;
  count.count = true;
  CHECK(ParseFrequency("1-0-1", count) == Approx(2));
  CHECK(ParseFrequency("2-2-2-2", count) == Approx(4));
  CHECK(ParseFrequency("2 - 0 - 2", count) == Approx(2));
  CHECK(ParseFrequency("1+1+1", count) == Approx(3));
  CHECK(ParseFrequency("0-0-1", count) == Approx(1));
  CHECK(ParseFrequency("1\xE2\x81\x84"
                       "2-0-1\xE2\x81\x84"
                       "2",
                       count) == Approx(2));  // ½-0-½
  CHECK(ParseFrequency("1/2-0-1/2", count) == Approx(2));
  CHECK(ParseFrequency("0.5-0-0.5", count) == Approx(2));
  auto slots = internal::ReadSlots("1-0-2");
  REQUIRE(slots);
  CHECK(slots->size() == 3);
  CHECK((*slots)[2] == Approx(2));
  slots = internal::ReadSlots(
      "11\xE2\x81\x84"
      "2-0-1");  // 1½-0-1
  REQUIRE(slots);
  CHECK((*slots)[0] == Approx(1.5));
  // Not slots: two numbers, a date, a word.
  CHECK_FALSE(internal::ReadSlots("1-2"));
  CHECK_FALSE(internal::ReadSlots("2024-01-02x"));
  CHECK_FALSE(internal::ReadSlots("1-0-1-0-1"));
  CHECK_FALSE(internal::ReadSlots("1 day"));
}

TEST_CASE("Shorthand: x5/7, x 1/52, for 2/12 and Arabic word counts", "[extract][shorthand]") {
  CHECK(ParseDurationDays("x5/7") == Approx(5));
  CHECK(ParseDurationDays("x 7/7") == Approx(7));
  CHECK(ParseDurationDays("x 1/52") == Approx(7));
  CHECK(ParseDurationDays("for 4/52") == Approx(28));
  CHECK(ParseDurationDays("for 2/12") == Approx(60));
  CHECK(ParseDurationDays("x 5 days") == Approx(5));  // unchanged
  // "لمده خمس ايام", "لمده تلات ايام", "لمده عشره ايام" (normalized).
  CHECK(ParseDurationDays("\xD9\x84\xD9\x85\xD8\xAF\xD9\x87 \xD8\xAE\xD9\x85\xD8\xB3 "
                          "\xD8\xA7\xD9\x8A\xD8\xA7\xD9\x85") == Approx(5));
  CHECK(ParseDurationDays("\xD9\x84\xD9\x85\xD8\xAF\xD9\x87 \xD8\xAA\xD9\x84\xD8\xA7\xD8\xAA "
                          "\xD8\xA7\xD9\x8A\xD8\xA7\xD9\x85") == Approx(3));
  CHECK(ParseDurationDays("\xD9\x84\xD9\x85\xD8\xAF\xD9\x87 \xD8\xB9\xD8\xB4\xD8\xB1\xD9\x87 "
                          "\xD8\xA7\xD9\x8A\xD8\xA7\xD9\x85") == Approx(10));
}

TEST_CASE("Shorthand: unit spellings", "[extract][shorthand]") {
  for (const char* mg : {"mgs", "miligram", "miligrams",
                         "\xD9\x85\xD9\x84\xD9\x84\xD9\x8A\xD8\xAC"
                         "\xD8\xB1\xD8\xA7\xD9\x85"}) {  // ملليجرام
    auto u = text::LookupUnit(mg);
    REQUIRE(u);
    CHECK(u->unit == text::Unit::kMg);
  }
  CHECK(text::LookupUnit("gms")->unit == text::Unit::kG);
  CHECK(text::LookupUnit("mililitres")->unit == text::Unit::kMl);
  CHECK(text::LookupUnit("#")->unit == text::Unit::kTablet);
  CHECK(text::LookupUnit("7abbat")->unit == text::Unit::kTablet);
  CHECK(text::LookupUnit("\xD8\xA8\xD8\xB1\xD8\xB4\xD8\xA7\xD9\x85\xD9\x87")->unit ==
        text::Unit::kCapsule);                                          // برشامه
  CHECK(text::LookupUnit("\xE7\xBE\xB9")->unit == text::Unit::kSpoon);  // 羹
  CHECK(text::LookupUnit("\xE5\x95\x96")->unit == text::Unit::kSpoon);  // 啖
  auto a = ParseAmount("500mgs");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kMg);
  CHECK(a->high == Approx(500));
  a = ParseAmount("1#");
  REQUIRE(a);
  CHECK(a->kind == text::UnitKind::kCount);
  CHECK(a->high == Approx(1));
  a = ParseAmount("2 7abbat");
  REQUIRE(a);
  CHECK(a->unit == text::Unit::kTablet);
  CHECK(a->high == Approx(2));
  a = ParseAmount("7abbteen");
  REQUIRE(a);
  CHECK(a->high == Approx(2));
  a = ParseAmount("5od 7abba");
  REQUIRE(a);
  CHECK(a->high == Approx(1));
  CHECK_FALSE(ParseAmount("5od panadol"));
}

TEST_CASE("Shorthand: vulgar fractions", "[extract][shorthand]") {
  size_t i = 0;
  auto v = internal::VulgarFractionAt(
      "1\xE2\x81\x84"
      "2 tab",
      &i);
  REQUIRE(v);
  CHECK(*v == Approx(0.5));
  CHECK(i == 5);
  i = 0;
  v = internal::VulgarFractionAt(
      "11\xE2\x81\x84"
      "2 tabs",
      &i);
  REQUIRE(v);
  CHECK(*v == Approx(1.5));
  i = 0;
  CHECK_FALSE(internal::VulgarFractionAt("1/2", &i));
  CHECK_FALSE(
      internal::VulgarFractionAt("123\xE2\x81\x84"
                                 "2",
                                 &i));
  CHECK(i == 0);
}

TEST_CASE("Shorthand: amounts and schedules in answers", "[extract][shorthand][en]") {
  struct Case {
    const char* text;
    const char* drug;
    double daily_mg;
  };
  const Case cases[] = {
      {"take paracetamol 500mg 1/2 tab twice a day", "paracetamol", 500},
      {"take paracetamol 500mg \xC2\xBD tab twice a day", "paracetamol", 500},     // ½
      {"take paracetamol 500mg 1\xC2\xBD tabs twice a day", "paracetamol", 1500},  // 1½
      {"take paracetamol 500mgs twice a day", "paracetamol", 1000},
      {"Paracetamol 500mg 6 hourly", "paracetamol", 2000},
      {"Paracetamol 500mg 6-hourly", "paracetamol", 2000},
      {"Paracetamol 500 mg 4-6 hourly for pain", "paracetamol", 3000},
      {"take 2 advil 200mg every 6 hrs", "ibuprofen", 1600},
      // "hourly" alone is every hour.
      {"take paracetamol 500mg hourly", "paracetamol", 12000},
      // A count restated in parentheses adds nothing.
      {"take 2 panadol (1000mg) every 6 hours", "paracetamol", 4000},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto sts = StatementsIn(c.text, c.drug);
    const MedicationStatement* st = Main(sts);
    REQUIRE(st != nullptr);
    REQUIRE(st->DailyMg());
    CHECK(*st->DailyMg() == Approx(c.daily_mg));
  }
}

TEST_CASE("Shorthand: Chinese and Arabic amounts in answers", "[extract][shorthand][zh][ar]") {
  // "布洛芬 200mg 1# tid": one tablet of 200 mg three times a day.
  auto sts = StatementsIn("\xE5\xB8\x83\xE6\xB4\x9B\xE8\x8A\xAC 200mg 1# tid", "ibuprofen");
  const MedicationStatement* st = Main(sts);
  REQUIRE(st != nullptr);
  REQUIRE(st->count_dose);
  CHECK(st->count_dose->high == Approx(1));
  CHECK(st->DailyMg().value_or(0) == Approx(600));
  // "Rp. 二甲双胍片 0.5g×60# Sig. 0.5g bid": 60# is the quantity dispensed.
  sts = StatementsIn(
      "Rp. \xE4\xBA\x8C\xE7\x94\xB2\xE5\x8F\x8C\xE8\x83\x8D 0.5g\xC3\x97"
      "60# Sig. 0.5g bid",
      "metformin");
  st = Main(sts);
  REQUIRE(st != nullptr);
  CHECK(st->DailyMg().value_or(0) == Approx(1000));
  // "خد بنادول ٥٠٠ حباية كل ٨ ساعات": Panadol 500, one tablet every eight hours.
  sts = StatementsIn(
      "\xD8\xAE\xD8\xAF \xD8\xA8\xD9\x86\xD8\xA7\xD8\xAF\xD9\x88\xD9\x84 \xD9\xA5\xD9\xA0\xD9\xA0 "
      "\xD8\xAD\xD8\xA8\xD8\xA7\xD9\x8A\xD8\xA9 \xD9\x83\xD9\x84 \xD9\xA8 "
      "\xD8\xB3\xD8\xA7\xD8\xB9\xD8\xA7\xD8\xAA",
      "paracetamol");
  st = Main(sts);
  REQUIRE(st != nullptr);
  CHECK(st->DailyMg().value_or(0) == Approx(1500));
  // "5od 2 7abbat panadol 500 kol 6 sa3at": two tablets every six hours.
  sts = StatementsIn("5od 2 7abbat panadol 500 kol 6 sa3at", "paracetamol");
  st = Main(sts);
  REQUIRE(st != nullptr);
  CHECK(st->DailyMg().value_or(0) == Approx(4000));
}

TEST_CASE("Shorthand: numbers that are no amount", "[extract][shorthand]") {
  // A pack of 20 tablets is no strength of a count; "Panadol 2 tablets" counts two.
  auto sts = StatementsIn("take panadol 2 tablets every 6 hours", "paracetamol");
  const MedicationStatement* st = Main(sts);
  REQUIRE(st != nullptr);
  REQUIRE(st->count_dose);
  CHECK(st->count_dose->high == Approx(2));
  // A date and a blood pressure are no slots or fractions.
  sts = StatementsIn("I took paracetamol on 1/2/2024 and my BP was 120/80", "paracetamol");
  for (const auto& s : sts) CHECK_FALSE(s.has_frequency());
}
