// Context the extractor reads beyond one sentence: the document type (drug label or study
// abstract vs. an answer), references back to a named medicine ("the medication", "该药"), cues
// inside product names, and later clauses that do not set a drug's mood.
#include <catch2/catch.hpp>
#include <string>

#include "extract/statement.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::extract::Mood;
using medaudit::rules::Engine;
using medaudit::rules::Workspace;
using medaudit::testing::StatementsFor;

const Engine& Shipped() { return medaudit::testing::ShippedEngine(); }

}  // namespace

TEST_CASE("Context: the grammar declares label markers and references in three languages",
          "[extract][en][zh][ar]") {
  bool label[3] = {}, anaphor[3] = {};
  const char* langs[3] = {"en", "zh", "ar"};
  for (const auto& entry : Shipped().grammar().entries()) {
    for (int i = 0; i < 3; ++i) {
      if (entry.lang != langs[i]) continue;
      label[i] = label[i] || entry.label_marker;
      anaphor[i] = anaphor[i] || entry.anaphor;
    }
  }
  for (int i = 0; i < 3; ++i) {
    INFO(langs[i]);
    CHECK(label[i]);
    CHECK(anaphor[i]);
  }
}

TEST_CASE("Context: bare regimen lines in a label or abstract are label facts", "[extract][en]") {
  Workspace ws;
  Shipped().Analyze(
      "INTERVENTIONS: Ciprofloxacin, 500 mg twice daily; tamsulosin, 0.4 mg once daily; or "
      "placebo.",
      &ws);
  auto cipro = StatementsFor(ws, "ciprofloxacin");
  REQUIRE(cipro.size() == 1);
  CHECK(cipro[0].mood == Mood::kInformational);
  CHECK(cipro[0].per_day == 2);
  // The same line in an answer stays a bare regimen line.
  Shipped().Analyze("Ciprofloxacin, 500 mg twice daily.", &ws);
  cipro = StatementsFor(ws, "ciprofloxacin");
  REQUIRE(cipro.size() == 1);
  CHECK(cipro[0].mood == Mood::kUnmarked);
}

TEST_CASE("Context: 'the medication' in a later directive takes the schedule",
          "[extract][en][zh]") {
  Workspace ws;
  Shipped().Analyze(
      "Options include:\n1. Clotrimazole\n2. Terbinafine\nKeep the skin dry.\nApply the "
      "medication twice a day for 2 weeks.",
      &ws);
  auto terbinafine = StatementsFor(ws, "terbinafine");
  REQUIRE(terbinafine.size() >= 2);
  CHECK(terbinafine.back().mood == Mood::kDirective);
  CHECK(terbinafine.back().per_day == 2);
  CHECK(terbinafine.back().duration_days == 14);

  // A drug left to the doctor is not what "the cream" means.
  Shipped().Analyze(
      "Ask your doctor whether terbinafine is right for you. They may tell you to apply the "
      "cream twice a day.",
      &ws);
  terbinafine = StatementsFor(ws, "terbinafine");
  REQUIRE(terbinafine.size() == 1);
  CHECK(terbinafine[0].mood == Mood::kReferral);

  Shipped().Analyze("可以考虑以下药物：\n1. 布洛芬\n多喝水。\n请服用该药，每日3次。", &ws);
  auto ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() >= 2);
  CHECK(ibuprofen.back().mood == Mood::kDirective);
  CHECK(ibuprofen.back().per_day == 3);
}

TEST_CASE("Context: a cue inside a product name is part of the name", "[extract][zh]") {
  Workspace ws;
  Shipped().Analyze("溶于5%葡萄糖注射液的头孢曲松钠，每日1次。", &ws);
  auto ceftriaxone = StatementsFor(ws, "ceftriaxone");
  REQUIRE(ceftriaxone.size() == 1);
  CHECK(ceftriaxone[0].mood == Mood::kUnmarked);  // not directive from "注射" in "注射液"
}

TEST_CASE("Context: a prohibition in a later clause does not negate a dose line",
          "[extract][zh][en]") {
  Workspace ws;
  Shipped().Analyze("建议服用布洛芬。最多三天，不要多吃。", &ws);
  auto ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() == 1);
  CHECK(ibuprofen[0].mood == Mood::kDirective);
  CHECK(ibuprofen[0].duration_days == 3);
  // A prohibition in the drug's own clause still negates it.
  Shipped().Analyze("Do not take ibuprofen for 3 days.", &ws);
  ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() == 1);
  CHECK(ibuprofen[0].mood == Mood::kNegated);
}

TEST_CASE("Context: 'a week ago' is a past time", "[extract][en]") {
  Workspace ws;
  Shipped().Analyze("Her Lexapro went up to 10 mg about a week ago.", &ws);
  auto escitalopram = StatementsFor(ws, "escitalopram");
  REQUIRE(escitalopram.size() == 1);
  CHECK(escitalopram[0].mood == Mood::kHistory);
}

TEST_CASE("Context: the next option of a list has the mood of the option before it",
          "[extract][zh][en]") {
  Workspace ws;
  // A generic overview: "或Y，口服，每天2次" is still the overview, not a directive to the reader.
  Shipped().Analyze("主要采用抗病毒治疗（如阿昔洛韦，口服，每天5次；或伐昔洛韦，口服，每天2次）。",
                    &ws);
  auto valaciclovir = StatementsFor(ws, "valaciclovir");
  REQUIRE(valaciclovir.size() == 1);
  CHECK(valaciclovir[0].mood == Mood::kInformational);
  // Advice: the alternative is advice too.
  Shipped().Analyze("建议口服阿莫西林0.5g，每日3次；或头孢呋辛0.25g，每日2次。", &ws);
  auto cefuroxime = StatementsFor(ws, "cefuroxime");
  REQUIRE(cefuroxime.size() == 1);
  CHECK(cefuroxime[0].mood == Mood::kDirective);
  Shipped().Analyze("Take ibuprofen 400 mg every 6 hours; or paracetamol 500 mg every 6 hours.",
                    &ws);
  auto paracetamol = StatementsFor(ws, "paracetamol");
  REQUIRE(paracetamol.size() == 1);
  CHECK(paracetamol[0].mood == Mood::kDirective);
  // An option with its own cue keeps it.
  Shipped().Analyze("建议口服阿莫西林0.5g，每日3次；或不要服用头孢呋辛。", &ws);
  cefuroxime = StatementsFor(ws, "cefuroxime");
  REQUIRE(cefuroxime.size() == 1);
  CHECK(cefuroxime[0].mood == Mood::kNegated);
}

TEST_CASE("Context: a chain of verbs after a modifying cue takes its mood", "[extract][en]") {
  Workspace ws;
  Shipped().Analyze(
      "We decided to take her off prednisone due to adverse effects and start her on colchicine "
      "0.6 mg daily.",
      &ws);
  auto colchicine = StatementsFor(ws, "colchicine");
  REQUIRE(colchicine.size() == 1);
  CHECK(colchicine[0].mood == Mood::kHistory);
  Shipped().Analyze("Do not take or use ibuprofen 400 mg every 6 hours.", &ws);
  auto ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() == 1);
  CHECK(ibuprofen[0].mood == Mood::kNegated);
  // A hedge before "建议" does not carry past the first verb: "通常建议口服X" is advice.
  Shipped().Analyze("通常建议口服依巴斯汀1片每天。", &ws);
  auto ebastine = StatementsFor(ws, "ebastine");
  REQUIRE(ebastine.size() == 1);
  CHECK(ebastine[0].mood == Mood::kDirective);
}

TEST_CASE("Context: a full regimen line may skip one drugless sentence", "[extract][zh]") {
  Workspace ws;
  Shipped().Analyze("建议服用布洛芬缓释胶囊。用于头痛、牙痛。口服，一次1粒，一日2次。", &ws);
  auto ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() == 1);
  CHECK(ibuprofen[0].per_day == 2);
  CHECK(ibuprofen[0].has_dose());
  // A bare frequency two sentences on is not the drug's.
  Shipped().Analyze("建议服用布洛芬。注意休息。每天3次热敷。", &ws);
  ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() == 1);
  CHECK(ibuprofen[0].per_day == 0);
  // A drug ruled out is not continued.
  Shipped().Analyze("不要服用布洛芬。用于头痛。口服，一次1粒，一日2次。", &ws);
  ibuprofen = StatementsFor(ws, "ibuprofen");
  REQUIRE(ibuprofen.size() == 1);
  CHECK(ibuprofen[0].per_day == 0);
}

TEST_CASE("Context: 'the medication' reaches back over a long Markdown list", "[extract][en]") {
  Workspace ws;
  std::string text = "Options:\n- **Clotrimazole** cream\n";
  for (int i = 0; i < 10; ++i) text += "- Keep the area dry.\n";
  text += "- Continue using the medication for the full period, usually 2 to 4 weeks.\n";
  Shipped().Analyze(text, &ws);
  auto clotrimazole = StatementsFor(ws, "clotrimazole");
  REQUIRE(clotrimazole.size() == 2);
  CHECK(clotrimazole[1].mood == Mood::kDirective);
  CHECK(clotrimazole[1].duration_days == 28);
}

TEST_CASE("Context: note medication lists and forum doses are history, plan orders are not",
          "[extract][en][zh][ar]") {
  Workspace ws;
  auto mood_of = [&](const char* text, const char* drug_id) {
    Shipped().Analyze(text, &ws);
    auto found = StatementsFor(ws, drug_id);
    REQUIRE(found.size() == 1);
    return found[0].mood;
  };
  // A heading on a line of its own governs the bare lines under it.
  CHECK(mood_of("CURRENT MEDICATIONS\nLisinopril 10 mg daily.", "lisinopril") == Mood::kHistory);
  CHECK(mood_of("MEDICATIONS\nLisinopril 10 mg daily.\n\nPLAN\nAmlodipine 5 mg daily.",
                "lisinopril") == Mood::kHistory);
  CHECK(mood_of("MEDICATIONS\nLisinopril 10 mg daily.\n\nPLAN\nAmlodipine 5 mg daily.",
                "amlodipine") == Mood::kRxForm);
  CHECK(mood_of("Plan: azithromycin 500 mg on day 1, then 250 mg daily for 4 days.",
                "azithromycin") == Mood::kRxForm);
  // "plan" inside a sentence is no heading.
  CHECK(mood_of("The plan is to keep lisinopril 10 mg daily.", "lisinopril") != Mood::kRxForm);
  CHECK(mood_of("Her medications include lisinopril 10 mg daily.", "lisinopril") == Mood::kHistory);
  CHECK(mood_of("The patient takes lisinopril 10 mg daily.", "lisinopril") == Mood::kHistory);
  // Forum posters' own doses, with straight and curly apostrophes.
  CHECK(mood_of("I've taken 50 mg of sertraline daily for two years.", "sertraline") ==
        Mood::kHistory);
  CHECK(mood_of("I\xE2\x80\x99m currently prescribed lisinopril 10 mg daily.", "lisinopril") ==
        Mood::kHistory);
  CHECK(mood_of("I used to take metformin 500 mg twice a day.", "metformin") == Mood::kHistory);
  // A list split at a semicolon: the next item has the mood of the item before it.
  CHECK(mood_of("目前用药：氨氯地平5mg，每日1次；二甲双胍0.5g，每日2次。", "metformin") ==
        Mood::kHistory);
  CHECK(mood_of("كنت آخذ ميتفورمين 500 ملغ مرتين يوميا.", "metformin") == Mood::kHistory);
}

TEST_CASE("Context: an impersonal treatment overview describes regimens, an answer directs",
          "[extract][en][zh][ar]") {
  Workspace ws;
  auto mood_of = [&](const std::string& text, const char* drug_id, size_t index = 0) {
    Shipped().Analyze(text, &ws);
    auto found = StatementsFor(ws, drug_id);
    REQUIRE(found.size() > index);
    return found[index].mood;
  };
  // No "you", no imperative, and the sentence says it describes treatment: information.
  CHECK(mood_of("Treatment for neurocysticercosis consists of albendazole 15 mg/kg/day for 8 days.",
                "albendazole") == Mood::kInformational);
  CHECK(mood_of("Familial Mediterranean fever is managed with colchicine 1 mg daily.",
                "colchicine") == Mood::kInformational);
  // The list under an overview line.
  CHECK(mood_of("Neurocysticercosis. Treatment may include:\n- albendazole 15 mg/kg/day for 8 "
                "days\n- praziquantel 50 mg/kg/day for 15 days",
                "praziquantel") == Mood::kInformational);
  // The same sentence addressed to the reader, or after an imperative, keeps its reading.
  CHECK(mood_of("For your son, treatment consists of albendazole 15 mg/kg/day for 8 days.",
                "albendazole") == Mood::kUnmarked);
  CHECK(mood_of("Neurocysticercosis is treated with albendazole. Take albendazole 400 mg twice "
                "daily for 8 days.",
                "albendazole", 1) == Mood::kDirective);
  // A bare regimen line of its own is not an overview sentence.
  CHECK(mood_of("Amoxicillin 500 mg three times a day for 7 days. Patients with penicillin "
                "allergy may be given azithromycin.",
                "amoxicillin") == Mood::kUnmarked);
  // "Use of …" opens with a masking cue, not an imperative.
  CHECK(mood_of("Use of colchicine is common. Familial Mediterranean fever is managed with "
                "colchicine 1 mg daily.",
                "colchicine", 1) == Mood::kInformational);
  // A concrete patient (a vignette) is addressed.
  CHECK(mood_of("该患者的治疗方案包括阿莫西林0.5g，每日3次，口服。", "amoxicillin") !=
        Mood::kInformational);
  CHECK(mood_of("急性膀胱炎的治疗方法包括：呋喃妥因100mg，每日2次，疗程5天。", "nitrofurantoin") ==
        Mood::kInformational);
  CHECK(mood_of("你的情况是急性膀胱炎，治疗方法包括：呋喃妥因100mg，每日2次，疗程5天。",
                "nitrofurantoin") != Mood::kInformational);
  CHECK(mood_of("يعالج داء الجيارديات بالميترونيدازول 250 ملغ ثلاث مرات يوميا لمدة 5 ايام.",
                "metronidazole") == Mood::kInformational);
  CHECK(mood_of("يمكنك تناول ميترونيدازول 250 ملغ ثلاث مرات يوميا لمدة 5 ايام. يعالج داء "
                "الجيارديات بالميترونيدازول.",
                "metronidazole") == Mood::kDirective);
}

TEST_CASE("Context: the question tells a personal question from a topic question",
          "[extract][en][zh][ar]") {
  using medaudit::extract::QuestionKind;
  auto kind = [](const std::string& question) {
    medaudit::text::NormalizedText normalized;
    Shipped().normalizer().Normalize(question, &normalized);
    return medaudit::extract::ReadQuestion(normalized.text, Shipped().grammar());
  };
  CHECK(kind("") == QuestionKind::kNone);
  CHECK(kind("What are the treatments for Eosinophilic fasciitis ?") == QuestionKind::kTopic);
  CHECK(kind("How might primary angiitis be treated?") == QuestionKind::kTopic);
  CHECK(kind("What can my son take for fever?") == QuestionKind::kPersonal);
  CHECK(kind("I'm pregnant, what is the treatment for acne?") == QuestionKind::kPersonal);
  CHECK(kind("etomidate amount to administer for RSI in male patient 70kg") ==
        QuestionKind::kPersonal);
  CHECK(kind("Is metformin gluten free?") == QuestionKind::kNone);
  CHECK(kind("梅毒能根治么?什么治疗能根治?") == QuestionKind::kTopic);
  CHECK(kind("我得了梅毒，怎么治疗？") == QuestionKind::kPersonal);
  CHECK(kind("王先生患糖尿病，治疗方案有哪些？") == QuestionKind::kPersonal);
  CHECK(kind("患者男，28岁，关节红肿疼痛，如何治疗？") == QuestionKind::kPersonal);
  CHECK(kind("ما علاج التهاب الحلق البكتيري؟") == QuestionKind::kTopic);
  CHECK(kind("ابني عنده التهاب في الحلق، ما علاجه؟") == QuestionKind::kPersonal);
  // Whole words only: "mine" is no "i", "therapist" no "therapy".
  CHECK(kind("What does a physical therapist do?") == QuestionKind::kNone);
}

TEST_CASE("Context: an impersonal answer reads by the question it answers",
          "[extract][en][zh][ar]") {
  using medaudit::extract::QuestionKind;
  Workspace ws;
  auto mood_of = [&](const std::string& text, const char* drug_id, QuestionKind question) {
    Shipped().Analyze(text, &ws, question);
    auto found = StatementsFor(ws, drug_id);
    REQUIRE(!found.empty());
    return found[0].mood;
  };
  // No overview phrase: the text alone reads a directive; a topic question makes it an overview.
  const std::string en = "Most centers start with prednisone 1 mg/kg per day for 4 to 6 months.";
  CHECK(mood_of(en, "prednisone", QuestionKind::kNone) == Mood::kDirective);
  CHECK(mood_of(en, "prednisone", QuestionKind::kTopic) == Mood::kInformational);
  CHECK(mood_of(en, "prednisone", QuestionKind::kPersonal) == Mood::kDirective);
  // An answer that speaks to its reader is no overview, whatever the question.
  CHECK(mood_of("Start prednisone 40 mg daily for 5 days.", "prednisone", QuestionKind::kTopic) ==
        Mood::kDirective);
  // An overview phrase with a personal question: addressed to the asker.
  const std::string zh = "可选用西地那非50mg，每日1次。";
  CHECK(mood_of(zh, "sildenafil", QuestionKind::kNone) == Mood::kInformational);
  CHECK(mood_of(zh, "sildenafil", QuestionKind::kPersonal) == Mood::kDirective);
  const std::string ar = "البنسلين 500 ملغ مرتين يوميا لمدة 10 ايام.";
  CHECK(mood_of(ar, "benzylpenicillin", QuestionKind::kNone) == Mood::kUnmarked);
  CHECK(mood_of(ar, "benzylpenicillin", QuestionKind::kTopic) == Mood::kInformational);
  // A clinical note keeps its own reading.
  CHECK(
      mood_of("CHIEF COMPLAINT: knee pain. HISTORY OF PRESENT ILLNESS: The patient reports pain.\n"
              "PLAN: prednisone 40 mg daily for 5 days.",
              "prednisone", QuestionKind::kTopic) == Mood::kRxForm);
}

TEST_CASE("Context: a personal account recounts its author's own doses", "[extract][en]") {
  Workspace ws;
  Shipped().Analyze(
      "I was diagnosed with ADHD last year. For several years taken 30mg amphetamine salts 2x "
      "daily with relief. Hi, I usually take 30mg of adderall per day.",
      &ws);
  for (const auto& st : ws.statements) CHECK(st.mood == Mood::kHistory);
  // One first-person line is not an account: the bare line keeps its reading.
  Shipped().Analyze("I was diagnosed with ADHD. Amphetamine salts 30 mg twice daily.", &ws);
  auto amphetamine = StatementsFor(ws, "amphetamine_mixed_salts");
  REQUIRE(!amphetamine.empty());
  CHECK(amphetamine.back().mood == Mood::kUnmarked);
}
