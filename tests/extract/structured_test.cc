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
using medaudit::extract::internal::StructuralQuotes;
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

}  // namespace
