// Mood concepts: a Markdown blockquote line quotes an earlier turn or a leaflet
// (InBlockquote, ResolveMood); a regimen described as what others do becomes advice when offered
// to the reader (cue type `adopt`, AdoptDescribedRegimen); a dose change after a described or
// quoted drug directs that drug (ChangesDescribedDrug); a cap in a later clause does not make the
// regimen before it information (StatesCap, zh and ar).
#include <algorithm>
#include <catch2/catch.hpp>
#include <string_view>
#include <vector>

#include "extract/internal/lexical.h"
#include "extract/statement.h"
#include "rules/engine.h"
#include "support/statements.h"

using medaudit::extract::MedicationStatement;
using medaudit::extract::Mood;
using medaudit::extract::internal::InBlockquote;

using medaudit::testing::AnyDosedWith;
using medaudit::testing::StatementsOf;

TEST_CASE("InBlockquote: a line whose first character past spaces is '>'", "[extract][lexical]") {
  const std::string_view text = "> quoted line\nanswer line\n  > indented quote";
  CHECK(InBlockquote(text, 2));
  CHECK_FALSE(InBlockquote(text, 16));
  CHECK(InBlockquote(text, static_cast<uint32_t>(text.size() - 3)));
  CHECK_FALSE(InBlockquote("a > b", 4));
}

TEST_CASE("A bare regimen on a blockquote line is quoted history", "[extract][zh][en]") {
  CHECK(AnyDosedWith("> 头孢地尼0.1g，一天三次\n\n这个量是常规量。", Mood::kHistory));
  CHECK_FALSE(AnyDosedWith("> 头孢地尼0.1g，一天三次\n\n这个量是常规量。", Mood::kUnmarked));
  // The answer's own line after the quote keeps its reading.
  CHECK_FALSE(AnyDosedWith("> 头疼怎么办\n\n布洛芬缓释胶囊0.3g，每12小时一次，最多吃3天。",
                           Mood::kHistory));
}

TEST_CASE("A regimen others follow, offered to the reader, is advice", "[extract][zh][en]") {
  CHECK(AnyDosedWith("很多人得了流感会吃奥司他韦，75毫克一天两次，吃满5天，你也可以这样试试。",
                     Mood::kDirective));
  CHECK_FALSE(
      AnyDosedWith("很多人得了流感会吃奥司他韦，75毫克一天两次，吃满5天。", Mood::kDirective));
  CHECK(
      AnyDosedWith("Most people take cetirizine 10 mg at night for two weeks. You can do the same.",
                   Mood::kDirective));
}

TEST_CASE("A dose change after a described drug directs it", "[extract][en][zh]") {
  CHECK(
      AnyDosedWith("Levetiracetam is usually started low.\n\nYou've had no drowsiness at 250 mg "
                   "twice a day, so go up to 500 mg twice a day from Monday.",
                   Mood::kDirective));
  // A described option is no instruction.
  CHECK_FALSE(
      AnyDosedWith("缬沙坦属于ARB类降压药。按说明书，常用起始剂量是80mg，每天一次，"
                   "血压控制不好时可增至160mg。",
                   Mood::kDirective));
}
