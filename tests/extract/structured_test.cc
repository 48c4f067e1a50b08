// Structured machine output: the double quotes of JSON / YAML fields are syntax, not quotation
// marks, so the dose and frequency in a field's value belong to the block's drug.
#include "extract/internal/structured.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string_view>

#include "support/statements.h"

namespace {

using medaudit::extract::Mood;
using medaudit::extract::internal::HasJsonKey;
using medaudit::extract::internal::KeyMood;
using medaudit::extract::internal::LeadInMood;
using medaudit::extract::internal::StructuralQuotes;
using medaudit::extract::internal::StructuredMood;
using medaudit::text::Span;

// Whether the sentence that starts at `sentence` in `text` and runs to the end of its line has
// structural quotes.
bool Structural(std::string_view text, std::string_view sentence) {
  const size_t begin = text.find(sentence);
  REQUIRE(begin != std::string_view::npos);
  return StructuralQuotes(
      text, {static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + sentence.size())});
}

// Whether some statement of `text` has both a dose and a frequency.
bool DoseAndFrequency(const char* text) {
  const auto statements = medaudit::testing::StatementsOf(text);
  return std::any_of(statements.begin(), statements.end(),
                     [](const auto& st) { return st.has_dose() && st.has_frequency(); });
}

TEST_CASE("JSON keys are found at an object's or array's start or after a comma",
          "[extract][structured]") {
  CHECK(HasJsonKey(R"({"drug": "naproxen", "dose": "500 mg"})"));
  CHECK(HasJsonKey(R"(  "dose": "800 mg",)"));
  CHECK(HasJsonKey(R"({"建议":"氯雷他定"})"));
  CHECK(HasJsonKey(R"([{"الدواء": "سيتريزين"}])"));
  CHECK_FALSE(HasJsonKey(R"(He said "take two": that was all.)"));
  CHECK_FALSE(HasJsonKey(R"(以前那种"每小时吃一片"的吃法)"));
  CHECK_FALSE(HasJsonKey(R"("unclosed)"));
}

TEST_CASE("Quotes of JSON and YAML fields are syntax, quotation marks in prose are not",
          "[extract][structured]") {
  constexpr std::string_view kPretty =
      "```json\n{\n  \"plan\": [\n    \"Penicillin V 500 mg twice daily\",\n    \"Rest\"\n  "
      "]\n}\n```";
  CHECK(Structural(kPretty, "\"plan\": ["));
  CHECK(Structural(kPretty, "\"Penicillin V 500 mg twice daily\","));
  CHECK(Structural(kPretty, "\"Rest\""));
  CHECK(Structural(R"(["阿莫西林 0.5g 每日3次", "多喝水"])",
                   R"(["阿莫西林 0.5g 每日3次", "多喝水"])"));
  CHECK(Structural("patient_message: \"Give 5 ml every 6 hours\"",
                   "patient_message: \"Give 5 ml every 6 hours\""));
  CHECK(Structural("```yaml\n  dose: \"20 mg\"\n```", "dose: \"20 mg\""));
  CHECK_FALSE(Structural(R"(You wrote: "take two 500 mg tablets every six hours".)",
                         R"(You wrote: "take two 500 mg tablets every six hours".)"));
  CHECK_FALSE(Structural(R"(Note: "take 2 tablets daily")", R"(Note: "take 2 tablets daily")"));
  CHECK_FALSE(Structural(R"("Take two tablets," he said.)", R"("Take two tablets," he said.)"));
}

TEST_CASE("The dose and frequency of a JSON field belong to the block's drug",
          "[extract][structured]") {
  CHECK(DoseAndFrequency(
      R"({"plan": ["左氧氟沙星滴眼液每次1滴，每日4次，连用7天", "毛巾单独使用"]})"));
  CHECK(DoseAndFrequency(
      R"({"plan": [{"drug": "naproxen", "dose": "500 mg", "frequency": "twice daily"}]})"));
  CHECK(
      DoseAndFrequency("```json\n{\n  \"الخطة\": [\n    \"أموكسيسيلين ٥٠٠ ملغ ثلاث مرات "
                       "يومياً لمدة ١٠ أيام\"\n  ]\n}\n```"));
  // A regimen in quotation marks of prose stays quoted.
  CHECK_FALSE(DoseAndFrequency("以前那种\"每小时吃一片布洛芬\"的吃法不对。"));
}

// The key mood at the first occurrence of `word` in `text` (normalized: lower case, folded).
Mood MoodAt(std::string_view text, std::string_view word) {
  const size_t at = text.find(word);
  REQUIRE(at != std::string_view::npos);
  return KeyMood(text, static_cast<uint32_t>(at));
}

TEST_CASE("Key names give a structured field its mood", "[extract][structured]") {
  constexpr std::string_view kJson =
      R"({"current_medications": [{"name": "metformin", "dose": "500 mg"}], )"
      R"("plan": [{"drug": "naproxen", "dose": "500 mg"}], "for_patient": "take ibuprofen"})";
  CHECK(MoodAt(kJson, "metformin") == Mood::kHistory);
  CHECK(MoodAt(kJson, "naproxen") == Mood::kRxForm);
  CHECK(MoodAt(kJson, "take ibuprofen") == Mood::kDirective);
  CHECK(MoodAt(R"({"tool": "drug_db.lookup", "result": {"name": "amoxicillin"}})", "amoxicillin") ==
        Mood::kInformational);
  CHECK(MoodAt("drug_lookup 返回:\n{\"drug\": \"恩替卡韦\", \"dose\": \"0.5mg\"}", "恩替卡韦") ==
        Mood::kInformational);
  CHECK(MoodAt("```yaml\n既往用药:\n  - 名称: 二甲双胍\n    剂量: 0.5g\n```", "二甲双胍") ==
        Mood::kHistory);
  CHECK(MoodAt("```yaml\nmedication:\n  name: paracetamol\n  dose: 5 ml\n```", "paracetamol") ==
        Mood::kRxForm);
  CHECK(MoodAt("knowledge base (bnf-style entry): montelukast 10 mg once daily", "montelukast") ==
        Mood::kInformational);
  CHECK(MoodAt("{\"الادويه_الحاليه\": [\"املوديبين 5 ملغ\"]}", "املوديبين") == Mood::kHistory);
  // Prose is no block: no key mood.
  CHECK(MoodAt("Take ibuprofen 400 mg [1] three times a day.", "ibuprofen") == Mood::kUnmarked);
  CHECK(MoodAt("See [ibuprofen](https://example.org) for details.", "ibuprofen") ==
        Mood::kUnmarked);
  CHECK(MoodAt("Dose: ibuprofen 400 mg three times a day", "ibuprofen") == Mood::kUnmarked);
  CHECK(MoodAt("Take this: ibuprofen 400 mg", "ibuprofen") == Mood::kUnmarked);
}

// The lead-in mood at the first occurrence of `word` in `text` (normalized).
Mood LeadAt(std::string_view text, std::string_view word) {
  const size_t at = text.find(word);
  REQUIRE(at != std::string_view::npos);
  return LeadInMood(text, static_cast<uint32_t>(at));
}

TEST_CASE("The lead-in of a block of items says whose the block is", "[extract][structured]") {
  // The model's own plan for the reader.
  CHECK(LeadAt("so i've put together a schedule for you, follow it:\n| days | drops |\n|---|---|\n"
               "| days 1-2 | 1 drop every 2 hours |",
               "1 drop") == Mood::kDirective);
  CHECK(
      LeadAt(
          "我给你排了一个减量表,照着吃就行:\n| 时间 | 泼尼松 |\n|---|---|\n| 第1-3天 | 每天30mg |",
          "每天30mg") == Mood::kDirective);
  CHECK(LeadAt("لذلك رتبت لك الجدول التالي, اتبعه:\n\n| الايام | القطره |\n|---|---|\n| اليوم 1 | "
               "نقطه واحده |",
               "نقطه") == Mood::kDirective);
  CHECK(LeadAt("this is your warfarin schedule, starting tonight:\n- mon: 5 mg\n- tue: 4 mg",
               "4 mg") == Mood::kDirective);
  // A faithful restatement of the doctor's decision.
  CHECK(
      LeadAt("here's your reconciliation from the ward, exactly as dr shah decided it:\ncontinue - "
             "ramipril 5 mg once daily\nnew - bisoprolol 2.5 mg once daily",
             "bisoprolol") == Mood::kHistory);
  CHECK(LeadAt("帮您把医生开的药做成了提醒卡(照处方抄写):\n药名:氨氯地平\n剂量:5mg", "氨氯地平") ==
        Mood::kHistory);
  CHECK(
      LeadAt("alarm list for your mum, set from the gp's prescription (nothing changed):\n07:00 - "
             "amlodipine 5 mg",
             "amlodipine") == Mood::kHistory);
  // Label text, a study, a teaching case.
  CHECK(
      LeadAt(
          "for reference only, the taper table printed in the leaflet:\n| week | dose |\n|---|---|"
          "\n| 1 | 40 mg |",
          "40 mg") == Mood::kInformational);
  CHECK(
      LeadAt("in the trial the two arms were dosed like this:\n- arm a: apixaban 5 mg twice daily",
             "apixaban") == Mood::kInformational);
  // No block, no lead-in, or a lead-in that names nobody: no mood.
  CHECK(LeadAt("take ibuprofen 400 mg three times a day.", "ibuprofen") == Mood::kUnmarked);
  CHECK(LeadAt("treatment options:\n- ibuprofen 400 mg every 6 hours", "ibuprofen") ==
        Mood::kUnmarked);
  CHECK(LeadAt("copied from the prescription:\n\nsome prose here.\n- ibuprofen 400 mg",
               "ibuprofen") == Mood::kUnmarked);
  // A line of the writer's own is no item: "and i'd add: …" is not under the restatement.
  CHECK(LeadAt(
            "exactly as dr shah decided it:\nnew - bisoprolol 2.5 mg\nand i'd add: paracetamol 1 g",
            "paracetamol") == Mood::kUnmarked);
}

TEST_CASE("A restatement lead-in turns the items' verbs into history", "[extract][structured]") {
  constexpr std::string_view kList =
      "exactly as dr shah decided it:\ncontinue - ramipril 5 mg once daily\nnew - bisoprolol 2.5 "
      "mg";
  const uint32_t at = static_cast<uint32_t>(kList.find("ramipril"));
  CHECK(StructuredMood(kList, at, Mood::kDirective, false) == Mood::kHistory);
  CHECK(StructuredMood(kList, at, Mood::kNegated, false) == Mood::kNegated);
  // A key that names a mood keeps its precedence over the lead-in.
  constexpr std::string_view kJson = "copied from the prescription:\n{\"plan\": [\"x 5 mg\"]}";
  CHECK(StructuredMood(kJson, static_cast<uint32_t>(kJson.find("x 5")), Mood::kUnmarked, false) ==
        Mood::kRxForm);
}

}  // namespace
