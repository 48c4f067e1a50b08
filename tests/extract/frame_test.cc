// Reading concepts: a part of the text for someone else (a clinician part, a fictional
// or teaching case, a dialogue script: grammar cue types `frame_*`, SentenceReader::NoteFrame) is
// not addressed to the reader; a regimen in guillemets is quoted (InQuotes); an anecdote lends its
// regimen to the reader when a later line tells the reader to follow it or changes its amount
// (AdoptDescribedRegimen on history, TellsReaderToFollow, ChangesRecountedDrug).
#include <catch2/catch.hpp>

#include "extract/internal/lexical.h"
#include "extract/statement.h"
#include "support/statements.h"

using medaudit::extract::Mood;
using medaudit::extract::internal::InQuotes;
using medaudit::testing::AnyDosedWith;

TEST_CASE("InQuotes: guillemets and white corner brackets quote", "[extract][lexical]") {
  const std::string_view text =
      "\xC2\xAB"
      "a 40 mg"
      "\xC2\xBB"
      " b 40 mg";  // «a 40 mg» b 40 mg
  const medaudit::text::Span sentence{0, static_cast<uint32_t>(text.size())};
  CHECK(InQuotes(text, sentence, {4, 9}));
  CHECK_FALSE(InQuotes(text, sentence, {15, 20}));
}

TEST_CASE("A clinician part is not addressed to the reader", "[extract][zh][en][ar]") {
  CHECK_FALSE(AnyDosedWith(
      "给医生：男，67岁，房颤。可考虑利伐沙班20mg qd。\n给患者：请和心内科医生讨论是否需要抗凝。",
      Mood::kUnmarked));
  CHECK(AnyDosedWith(
      "For the doctor: 58M, eGFR 48. Consider empagliflozin 10 mg once daily.\nFor the "
      "patient: ask your diabetes doctor about it.",
      Mood::kInformational));
  // The part for the reader keeps its reading.
  CHECK(AnyDosedWith(
      "للطبيب: سعال منذ أسبوع.\nللمريض: تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات لمدة ٣ أيام.",
      Mood::kDirective));
}

TEST_CASE("A story lasts until the text speaks to the reader", "[extract][en][zh]") {
  CHECK_FALSE(
      AnyDosedWith("Imagine Ms. Li, 45. Her neurologist starts her on propranolol 40 mg twice a "
                   "day.",
                   Mood::kUnmarked));
  CHECK(AnyDosedWith("教学病例：患者张某，30岁，给予阿莫西林1g，每日3次，疗程5天。",
                     Mood::kInformational));
  CHECK(
      AnyDosedWith("Imagine Mr. Tan, 62, who has gout.\n\nFor your own flare, take naproxen 500 mg "
                   "twice a day for 3 days.",
                   Mood::kDirective));
}

TEST_CASE("Speaker lines of a script are the characters'", "[extract][en][zh]") {
  CHECK(AnyDosedWith(
      "下面是科普短剧的剧本：\n小美：我胃疼。\n医生：你先吃奥美拉唑20mg，每天早上一次。",
      Mood::kInformational));
  CHECK(AnyDosedWith(
      "A short script for your class:\nPharmacist: Try cetirizine 10 mg once a day.\n\n"
      "For your own hay fever, take loratadine 10 mg once a day.",
      Mood::kDirective));
}

TEST_CASE("An anecdote lends its regimen to the reader", "[extract][zh][en]") {
  CHECK(AnyDosedWith("我之前也是这样，后来吃了氯雷他定好了。你每天睡前吃一片10mg的，连吃一周试试。",
                     Mood::kDirective));
  CHECK(AnyDosedWith(
      "I was on escitalopram 10mg. When my GP bumped me up it helped. You should go up "
      "to 15mg every morning.",
      Mood::kDirective));
  CHECK_FALSE(AnyDosedWith("I took naproxen 500 mg twice a day for 5 days and it helped me.",
                           Mood::kDirective));
}
