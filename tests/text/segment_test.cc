#include "text/segment.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "text/normalize.h"

namespace medaudit::text {
namespace {

std::vector<std::string> Sentences(std::string_view text) {
  std::vector<Span> spans;
  SplitSentences(text, &spans);
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(text.substr(s.begin, s.size()));
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("SplitSentences: English", "[text][en]") {
  CHECK(Sentences("take ibuprofen 400 mg every 6 hours. then rest!") ==
        V{"take ibuprofen 400 mg every 6 hours.", "then rest!"});
  CHECK(Sentences("take 0.5 g twice a day. ok?") == V{"take 0.5 g twice a day.", "ok?"});
  CHECK(Sentences("use e.g. paracetamol, i.e. acetaminophen. done") ==
        V{"use e.g. paracetamol, i.e. acetaminophen.", "done"});
  CHECK(Sentences("ask dr. smith. take no. 5") == V{"ask dr. smith.", "take no. 5"});
  CHECK(Sentences("rp. amoxicillin 0.5 g sig. 1 tab. t.i.d. p.o. for 7 days.") ==
        V{"rp. amoxicillin 0.5 g sig. 1 tab. t.i.d. p.o. for 7 days."});
  CHECK(Sentences("wait... what?! \"really.\" yes") ==
        V{"wait...", "what?!", "\"really.\"", "yes"});
  CHECK(Sentences("visit www.example.com today") == V{"visit www.example.com today"});
  CHECK(Sentences("a; b;c") == V{"a;", "b;", "c"});
}

// The boundary search reads 16 bytes at a time: every terminator must be found at every offset
// within and across those blocks, including the last, partial one.
TEST_CASE("SplitSentences: terminators at every block offset", "[text][zh][en][ar]") {
  for (std::string_view end : {".", "!", "?", ";", "\n", "\r", "\v", "\f", "\u3002", "\uff01",
                               "\uff1f", "\u061f", "\u06d4", "\u2028"}) {
    for (size_t k = 2; k < 40; ++k) {  // one letter and a period would be list numbering ("a.")
      const std::string first(k, 'x');
      for (const std::string_view rest : {"yy", "and a longer tail past one block"}) {
        const std::string text = first + std::string(end) + " " + std::string(rest);
        const bool kept = end == "." || end == "!" || end == "?" || end == ";" ||
                          (end.size() > 1 && end != "\u2028");
        const V expected = {kept ? first + std::string(end) : first, std::string(rest)};
        INFO("terminator " << end << " after " << k << " bytes, tail " << rest);
        CHECK(Sentences(text) == expected);
      }
    }
  }
}

// The boundary search keeps the candidate mask of each 16-byte block between calls, so texts with
// several candidates per block must split the same at every alignment: random texts dense in
// terminators, decimals, abbreviations and closers, shifted by 0-31 leading spaces.
TEST_CASE("SplitSentences: dense candidates at every alignment", "[text][zh][en][ar]") {
  const std::vector<std::string_view> pieces = {
      "x",      "take", " ",      ".",      "!",      "?",    ";",  "\n",
      "0.5",    "e.g.", "\u3002", "\uff01", "\u061f", "\"",   ")",  "\u201d",
      "\u300d", "2.",   "\u00a0", "\u2028", "\u4e2d", "tab.", "..."};
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const size_t count = 1 + rng() % 40;
    for (size_t k = 0; k < count; ++k) text += pieces[rng() % pieces.size()];
    const V expected = Sentences(text);
    for (size_t shift = 1; shift < 32; ++shift) {
      INFO("text [" << text << "] shifted by " << shift);
      CHECK(Sentences(std::string(shift, ' ') + text) == expected);
    }
  }
}

TEST_CASE("SplitSentences: lists and line breaks", "[text][en][zh]") {
  CHECK(Sentences("1. take ibuprofen 400 mg\n2. drink water.\n\n  3. rest") ==
        V{"1. take ibuprofen 400 mg", "2. drink water.", "3. rest"});
  CHECK(Sentences("done. 2. next step") == V{"done.", "2. next step"});
  CHECK(Sentences("a. first\nb. second") == V{"a. first", "b. second"});
  CHECK(Sentences("- take 1 tablet\n* twice daily\r\n• with food") ==
        V{"- take 1 tablet", "* twice daily", "• with food"});
  CHECK(Sentences("line one\nline two") == V{"line one", "line two"});
  CHECK(Sentences("1.多喝水\n2.注意休息") == V{"1.多喝水", "2.注意休息"});
  CHECK(Sentences("the dose is 10. then stop") == V{"the dose is 10.", "then stop"});
}

TEST_CASE("SplitSentences: Chinese", "[text][zh]") {
  CHECK(Sentences("口服阿莫西林0.5g,每日3次。多喝水!注意休息?好;") ==
        V{"口服阿莫西林0.5g,每日3次。", "多喝水!", "注意休息?", "好;"});
  CHECK(Sentences("他说:“每日3次。”然后") == V{"他说:“每日3次。”", "然后"});
  // Unnormalized full-width punctuation also ends sentences.
  CHECK(Sentences("多喝水！注意休息？好；") == V{"多喝水！", "注意休息？", "好；"});
  CHECK(Sentences("服用.然后") == V{"服用.", "然后"});
}

TEST_CASE("SplitSentences: Arabic", "[text][ar]") {
  CHECK(Sentences("تناول باراسيتامول 500 ملغ كل 6 ساعات. لا تتجاوز 4 جرعات?") ==
        V{"تناول باراسيتامول 500 ملغ كل 6 ساعات.", "لا تتجاوز 4 جرعات?"});
  CHECK(Sentences("هل تشعر بالالم؟ خذ 0.5 غ") == V{"هل تشعر بالالم؟", "خذ 0.5 غ"});
}

TEST_CASE("SplitSentences: spans cover every non-space byte once", "[text][zh][en][ar]") {
  auto normalizer = Normalizer::Create();
  REQUIRE(normalizer.has_value());
  NormalizedText out;
  for (const char* input :
       {"", "   ", "\n\n", "a", "Take AMOXI\u200bCILLIN ５００ｍｇ. Then 1.5 tabs!\n2. rest",
        "口服阿莫西林0.5g 每日三次。多喝水！\n\n1、注意",
        "تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات؟ نعم.", "...", "?!?", " . . ",
        "\u3000中文\u3000。\u00a0x"}) {
    INFO(input);
    (*normalizer)->Normalize(input, &out);
    std::vector<Span> spans;
    SplitSentences(out.text, &spans);
    std::string covered(out.text.size(), ' ');
    uint32_t last_end = 0;
    for (const Span& s : spans) {
      CHECK(s.begin < s.end);
      CHECK(s.begin >= last_end);
      last_end = s.end;
      for (uint32_t i = s.begin; i < s.end; ++i) covered[i] = 'x';
      CHECK(out.text[s.begin] != ' ');
      CHECK(out.text[s.end - 1] != ' ');
    }
    for (size_t i = 0; i < out.text.size(); ++i) {
      const char c = out.text[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') CHECK(covered[i] == 'x');
    }
  }
}

TEST_CASE("SplitWords", "[text][zh][en][ar]") {
  auto words = [](std::string_view text, Lang lang) {
    std::vector<std::string> out;
    for (const Span& s : SplitWords(text, lang)) out.emplace_back(text.substr(s.begin, s.size()));
    return out;
  };
  CHECK(words("take ibuprofen 400 mg, twice.", Lang::kEn) ==
        V{"take", "ibuprofen", "400", "mg", "twice"});
  const V zh = words("口服阿莫西林胶囊", Lang::kZh);
  REQUIRE(zh.size() >= 2);
  std::string joined;
  for (const auto& w : zh) joined += w;
  CHECK(joined == "口服阿莫西林胶囊");
  CHECK(words("تناول باراسيتامول 500 ملغ", Lang::kAr) == V{"تناول", "باراسيتامول", "500", "ملغ"});
  CHECK(words("", Lang::kUnknown).empty());
  CHECK(words("hello world", Lang::kUnknown) == V{"hello", "world"});
}

// A mass unit with a period after a number ends the sentence when the next word opens a new
// one, and is an abbreviation inside prescription shorthand otherwise.
TEST_CASE("SplitSentences: a dose in mg ends its sentence before an opening word", "[text][en]") {
  CHECK(Sentences("for 18 kg a single dose works out to about 180 mg. with the suspension you "
                  "have, give her 9 ml.") == V{"for 18 kg a single dose works out to about 180 mg.",
                                               "with the suspension you have, give her 9 ml."});
  CHECK(Sentences("your tablet is 100 mcg. take it before breakfast.") ==
        V{"your tablet is 100 mcg.", "take it before breakfast."});
  CHECK(Sentences("the maximum is 3200 mg. if your kidneys are weak it is lower.") ==
        V{"the maximum is 3200 mg.", "if your kidneys are weak it is lower."});
  // Prescription shorthand goes on after the unit: a number, an abbreviation, a frequency word.
  CHECK(Sentences("amoxicillin 500 mg. 1 cap t.i.d. for 7 days.") ==
        V{"amoxicillin 500 mg. 1 cap t.i.d. for 7 days."});
  CHECK(Sentences("rp. amoxicillin 250 mg. p.o. t.i.d.") ==
        V{"rp. amoxicillin 250 mg. p.o. t.i.d."});
  CHECK(Sentences("ibuprofen 400 mg. every 8 hours.") == V{"ibuprofen 400 mg. every 8 hours."});
  CHECK(Sentences("metformin 500 mg. once daily. then 1 g.") ==
        V{"metformin 500 mg. once daily.", "then 1 g."});
  CHECK(Sentences("amlodipine 5 mg. in the morning.") == V{"amlodipine 5 mg. in the morning."});
  // A unit with no number before it is no dose.
  CHECK(Sentences("write mg. the unit") == V{"write mg. the unit"});
  // Chinese and Arabic end their sentences with their own marks; the rule is for English only.
  CHECK(Sentences("每次10mg。然后休息") == V{"每次10mg。", "然后休息"});
}

}  // namespace
}  // namespace medaudit::text
