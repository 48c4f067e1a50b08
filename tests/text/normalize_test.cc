#include "text/normalize.h"

#include <unicode/translit.h>

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/utf8.h"
#include "text/internal/norm_engine.h"

namespace medaudit::text {
namespace {

const Normalizer& TheNormalizer() {
  static const std::unique_ptr<Normalizer> normalizer = [] {
    auto created = Normalizer::Create();
    REQUIRE(created.has_value());
    return std::move(*created);
  }();
  return *normalizer;
}

const internal::NormEngine& TheEngine() {
  static const std::unique_ptr<internal::NormEngine> engine = [] {
    auto created = internal::NormEngine::Create();
    REQUIRE(created.has_value());
    return std::move(*created);
  }();
  return *engine;
}

std::string Norm(std::string_view input) {
  NormalizedText out;
  TheNormalizer().Normalize(input, &out);
  return out.text;
}

// Checks the offset map invariants of one normalized text.
void CheckOrigins(std::string_view input, const NormalizedText& out) {
  REQUIRE(out.original_size == input.size());
  REQUIRE(out.origin_begin.size() == out.text.size());
  REQUIRE(out.origin_end.size() == out.text.size());
  for (size_t i = 0; i < out.text.size(); ++i) {
    INFO("byte " << i);
    REQUIRE(out.origin_begin[i] < out.origin_end[i]);
    REQUIRE(out.origin_end[i] <= input.size());
    REQUIRE(utf8::IsBoundary(input, out.origin_begin[i]));
    REQUIRE(utf8::IsBoundary(input, out.origin_end[i]));
    if (i > 0) {
      REQUIRE(out.origin_begin[i - 1] <= out.origin_begin[i]);
      REQUIRE(out.origin_end[i - 1] <= out.origin_end[i]);
    }
  }
}

// The original bytes behind the first occurrence of `needle` in the normalized text.
std::string OriginalOf(std::string_view input, std::string_view needle) {
  NormalizedText out;
  TheNormalizer().Normalize(input, &out);
  const size_t at = out.text.find(needle);
  REQUIRE(at != std::string::npos);
  const Span span =
      out.ToOriginal(Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())});
  return std::string(input.substr(span.begin, span.size()));
}

TEST_CASE("Normalizer: case folding and full-width forms", "[text][en]") {
  CHECK(Norm("Take IBUPROFEN 400 MG every 6 Hours") == "take ibuprofen 400 mg every 6 hours");
  CHECK(Norm("ＡＢＣ１２３ｍｇ") == "abc123mg");
  CHECK(Norm("Straße") == "strasse");
  CHECK(Norm("5 µg") == "5 \u03bcg");
  CHECK(Norm("\u338e") == "mg");  // ㎎
  CHECK(Norm("ﬁbrosis") == "fibrosis");
  CHECK(Norm("") == "");
}

TEST_CASE("Normalizer: default-ignorable code points are removed", "[text][en]") {
  CHECK(Norm("amoxi\u200bcillin") == "amoxicillin");
  CHECK(Norm("ibu\u00adpro\u200dfen\u200c") == "ibuprofen");
  CHECK(Norm("\ufeffdose\u202e 5\u200e mg") == "dose 5 mg");
  CHECK(Norm("\u200b") == "");
}

// Marks inside a Latin word are dropped ("íbúprofén" evades a lexicon written without them); in
// a word of another script the sequence composes and stays.
TEST_CASE("Normalizer: combining sequences compose, and drop inside Latin words", "[text][en]") {
  CHECK(Norm("cafe\u0301") == "cafe");
  CHECK(Norm("CAFE\u0301") == "cafe");
  CHECK(Norm("caf\u00e9") == "cafe");
  CHECK(Norm("\u0301abc") == "abc");
  CHECK(Norm("\u03ba\u03b1\u03c6\u03b5\u0301") == "\u03ba\u03b1\u03c6\u03ad");
}

TEST_CASE("Normalizer: dashes, tildes and punctuation", "[text][en][zh]") {
  CHECK(Norm("ab\u2010cd\u2011ef\u2012gh\u2013ij\u2014kl\u2015mn\u2212op") ==
        "ab-cd-ef-gh-ij-kl-mn-op");
  CHECK(Norm("3\uff5e5") == "3~5");
  CHECK(Norm("3\u301c5") == "3~5");
  CHECK(Norm("I\u2019m taking it, don\u2018t \u201bstop") == "i'm taking it, don't 'stop");
  CHECK(Norm("服用。停药、休息") == "服用。停药、休息");
  CHECK(Norm("你好，吗？是！；：") == "你好,吗?是!;:");
}

TEST_CASE("Normalizer: traditional to simplified Chinese", "[text][zh]") {
  // Spaces between Chinese characters are dropped (they only ever hide words from the lexicon).
  CHECK(Norm("阿莫西林膠囊 每日三次 口服") == "阿莫西林胶囊每日3次口服");
  CHECK(Norm("處方") == "处方");
  CHECK(Norm("劑量") == "剂量");
  CHECK(Norm("醫生") == "医生");
  CHECK(Norm("藥物過敏") == "药物过敏");
  CHECK(Norm("兩片") == "2片");
  // CJK compatibility ideographs go through NFKC first.
  CHECK(Norm("\uf900") == "\u5c82");  // U+F900 -> 豈 (NFKC) -> 岂
  // Simplified text is left alone.
  CHECK(Norm("阿莫西林胶囊") == "阿莫西林胶囊");
}

TEST_CASE("Normalizer: Arabic digits and folding", "[text][ar]") {
  CHECK(Norm("تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات") == "تناول باراسيتامول 500 ملغ كل 6 ساعات");
  CHECK(Norm("۰۱۲۳۴۵۶۷۸۹") == "0123456789");
  CHECK(Norm("٠٫٥") == "0.5");
  CHECK(Norm("١٬٠٠٠") == "1000");
  CHECK(Norm("٥٠٪") == "50%");
  CHECK(Norm("أب إب آب ٱب") == "اب اب اب اب");
  CHECK(Norm("حبة") == "حبه");
  CHECK(Norm("مستشفى") == "مستشفي");
  CHECK(Norm("دَوَاءٌ") == "دواء");
  CHECK(Norm("مـــلـــغ") == "ملغ");
  CHECK(Norm("الدَّوَاء") == "الدواء");
  CHECK(Norm("نعم، لا؛ لماذا؟") == "نعم, لا; لماذا?");
  // Decomposed hamza composes first, then folds.
  CHECK(Norm("\u0627\u0654") == "\u0627");
  CHECK(Norm("\u0648\u0654") == "\u0624");
  // Presentation forms.
  CHECK(Norm("\ufefb") == "\u0644\u0627");
}

TEST_CASE("Normalizer: Chinese numerals in dose contexts", "[text][zh]") {
  CHECK(Norm("口服阿莫西林0.5g 每日三次") == "口服阿莫西林0.5g 每日3次");
  CHECK(Norm("每日一次") == "每日1次");
  CHECK(Norm("每八小时一次") == "每8小时1次");
  CHECK(Norm("一日三次") == "1日3次");
  CHECK(Norm("两片") == "2片");
  CHECK(Norm("半片") == "0.5片");
  CHECK(Norm("十五毫升") == "15毫升");
  CHECK(Norm("二十片") == "20片");
  CHECK(Norm("一百二十毫克") == "120毫克");
  CHECK(Norm("五百毫克") == "500毫克");
  CHECK(Norm("一百零五毫克") == "105毫克");
  CHECK(Norm("两千五百毫克") == "2500毫克");
  CHECK(Norm("十粒") == "10粒");
  CHECK(Norm("三个月") == "3个月");
  CHECK(Norm("两个小时") == "2个小时");
  CHECK(Norm("七天") == "7天");
  CHECK(Norm("三周") == "3周");
  CHECK(Norm("五岁") == "5岁");
  CHECK(Norm("二mg") == "2mg");
  CHECK(Norm("四至六小时") == "4至6小时");
  CHECK(Norm("三到五天") == "3到5天");
  CHECK(Norm("三四次") == "3-4次");
  CHECK(Norm("一两天") == "1-2天");
  CHECK(Norm("五千克") == "5千克");
  CHECK(Norm("一片半") == "1.5片");  // a half after the counter
  CHECK(Norm("每次兩粒，每日三次") == "每次2粒,每日3次");
}

TEST_CASE("Normalizer: Chinese numerals outside dose contexts stay", "[text][zh]") {
  for (const char* word :
       {"一般",     "一些",       "一直",       "一定",       "十分重要", "万一",     "三七粉",
        "八角",     "五味子",     "六味地黄丸", "十全大补丸", "八珍汤",   "四君子汤", "六君子丸",
        "二陈汤",   "九味羌活丸", "七叶一枝花", "三九胃泰",   "九九九",   "三七片",   "十滴水",
        "二甲双胍", "十二指肠",   "统一次",     "唯一次",     "千万",     "三七",     "一个人",
        "一半",     "半月板损伤", "八月札"}) {
    INFO(word);
    CHECK(Norm(word) == word);
  }
  CHECK(Norm("十分钟") == "10分钟");
}

TEST_CASE("Normalizer: converted numerals map back to the numeral characters", "[text][zh]") {
  const std::string input = "每日三次，一百二十毫克";
  CHECK(OriginalOf(input, "3") == "三");
  CHECK(OriginalOf(input, "120") == "一百二十");
  CHECK(OriginalOf(input, "120毫克") == "一百二十毫克");
  CHECK(OriginalOf("每日叁次 兩片", "2片") == "兩片");
}

TEST_CASE("Normalizer: spans map back to the original text", "[text][en]") {
  const std::string input = "Take AMOXI\u200bCILLIN ５００ｍｇ";
  CHECK(Norm(input) == "take amoxicillin 500mg");
  CHECK(OriginalOf(input, "amoxicillin") == "AMOXI\u200bCILLIN");
  CHECK(OriginalOf(input, "500mg") == "５００ｍｇ");
  CHECK(OriginalOf(input, "0m") == "０ｍ");
  CHECK(OriginalOf("داءُ بَهْجَت", "بهجت") == "بَهْجَت");
  CHECK(OriginalOf("ﬁbrosis", "f") == "ﬁ");
  CHECK(OriginalOf("ﬁbrosis", "i") == "ﬁ");
  CHECK(OriginalOf("藥物劑量", "剂量") == "劑量");

  NormalizedText out;
  TheNormalizer().Normalize(input, &out);
  // Empty spans map to empty spans.
  CHECK(out.ToOriginal(Span{5, 5}) == Span{5, 5});
  CHECK(out.ToOriginal(
            Span{static_cast<uint32_t>(out.text.size()), static_cast<uint32_t>(out.text.size())}) ==
        Span{static_cast<uint32_t>(input.size()), static_cast<uint32_t>(input.size())});
  CHECK(out.ToOriginal(Span{0, static_cast<uint32_t>(out.text.size())}) ==
        Span{0, static_cast<uint32_t>(input.size())});
}

TEST_CASE("Normalizer: offset map invariants on fixed inputs", "[text][zh][en][ar]") {
  NormalizedText out;
  for (const char* input :
       {"", "a", "A\u0301", "\u0301", "Take AMOXI\u200bCILLIN ５００ｍｇ",
        "每日三次 一百二十毫克 兩片", "تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات",
        "دَوَاءٌ \u0627\u064e\u0654", "\ufdfa \ufefb", "😀👍🏽 👨\u200d👩\u200d👧",
        "한국어 \u1100\u1161\u11a8", "\U0001d400\U0001d401", "𠀀𠀁 \u2f00 \u3000 x"}) {
    INFO(input);
    TheNormalizer().Normalize(input, &out);
    CheckOrigins(input, out);
    CHECK(out.text == TheEngine().NormalizeReference(input));
  }
}

TEST_CASE("Normalizer: long ASCII runs next to other scripts", "[text][zh][en][ar]") {
  std::string input;
  for (int i = 0; i < 50; ++i) {
    input += "Take IBUPROFEN 400 MG every 6 HOURS with FOOD; ";
    input += i % 2 ? "每日三次 兩片。" : "كل ٦ ساعات. ";
    input += "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`@abc e\u0301";
  }
  NormalizedText out;
  TheNormalizer().Normalize(input, &out);
  CheckOrigins(input, out);
  CHECK(out.text == TheEngine().NormalizeReference(input));
  CHECK(out.text.find("abcdefghijklmnopqrstuvwxyz[\\]^_`@abc \u00e9") != std::string::npos);
  CHECK(OriginalOf(input, "ibuprofen 400 mg") == "IBUPROFEN 400 MG");
}

TEST_CASE("Normalizer: output buffers are reused", "[text][en]") {
  NormalizedText out;
  TheNormalizer().Normalize(std::string(10000, 'X'), &out);
  CHECK(out.text == std::string(10000, 'x'));
  TheNormalizer().Normalize("Short", &out);
  CHECK(out.text == "short");
  CHECK(out.origin_begin.size() == 5);
  CHECK(out.original_size == 5);
}

TEST_CASE("Normalizer: normalization is idempotent", "[text][zh][en][ar]") {
  for (const char* input : {"Take AMOXI\u200bCILLIN ５００ｍｇ", "每日三次 一百二十毫克 兩片 半片",
                            "تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات أقراص", "ﬁ ㎎ Ⅻ ½"}) {
    const std::string once = Norm(input);
    CHECK(Norm(once) == once);
  }
}

// Random valid UTF-8 from a mix of scripts and tricky code points.
std::string RandomText(std::mt19937& rng) {
  static const std::vector<std::pair<char32_t, char32_t>> kRanges = {
      {0x20, 0x7E},     {0x41, 0x5A},       {0x0300, 0x036F},    // ASCII, upper, combining
      {0x00A0, 0x024F}, {0x0600, 0x06FF},   {0x064B, 0x065F},    // Latin-1+, Arabic, harakat
      {0xFB50, 0xFDFF}, {0xFE70, 0xFEFF},   {0x4E00, 0x9FFF},    // presentation forms, Han
      {0x3000, 0x303F}, {0xFF00, 0xFFEF},   {0xAC00, 0xD7A3},    // CJK punct, full-width, Hangul
      {0x1100, 0x11FF}, {0x1F300, 0x1FAFF}, {0x200B, 0x200F},    // jamo, emoji, zero-width
      {0x2010, 0x2015}, {0xF900, 0xFAFF},   {0x1D400, 0x1D7FF},  // dashes, compat, math
      {0x0E00, 0x0E7F}, {0x0900, 0x097F},   {0x1E00, 0x1EFF},    // Thai, Devanagari, Vietnamese
  };
  static const std::u32string kSpecial =
      U"一二两三四五六七八九十百千半零〇次片粒日天小时毫克升每个月至三七\u0654\u0653\u0655\u0670"
      U"\u0640ة ى أ٠٥٩۳\u066b\u066c\u066a\u060c\u061b\u061f\u00ad\ufeff\u0345\u03a3\u0130ß";
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<size_t> which(0, kRanges.size());
  std::string text;
  const int n = length(rng);
  for (int i = 0; i < n; ++i) {
    const size_t r = which(rng);
    char32_t cp;
    if (r == kRanges.size()) {
      cp = kSpecial[std::uniform_int_distribution<size_t>(0, kSpecial.size() - 1)(rng)];
    } else {
      cp = std::uniform_int_distribution<char32_t>(kRanges[r].first, kRanges[r].second)(rng);
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    utf8::Append(text, cp);
  }
  return text;
}

TEST_CASE("Normalizer: property test on random text", "[text][zh][en][ar]") {
  std::mt19937 rng(20240611);
  NormalizedText out;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    const std::string input = RandomText(rng);
    INFO("iteration " << iteration << " input " << input);
    TheNormalizer().Normalize(input, &out);
    REQUIRE(utf8::IsValid(out.text));
    CheckOrigins(input, out);
    // The chunked fast path produces exactly what ICU produces on the whole text.
    REQUIRE(out.text == TheEngine().NormalizeReference(input));
    // Every span maps to an original span on code point boundaries.
    for (uint32_t b = 0; b < out.text.size(); b += 3) {
      const Span span = out.ToOriginal(Span{b, std::min<uint32_t>(b + 5, out.text.size())});
      REQUIRE(span.begin <= span.end);
      REQUIRE(utf8::IsBoundary(input, span.begin));
      REQUIRE(utf8::IsBoundary(input, span.end));
    }
  }
}

// Spelled-out and spaced words at every offset of the 16-byte blocks the separator search reads:
// the result must equal the straightforward join.
TEST_CASE("Normalizer: split-word join on random spelled text", "[text][zh][en][ar]") {
  static const std::vector<std::string> kTokens = {
      "a", "m", "o", "x",  "ib", "ab", "cillin", "amoxicillin", "take", " ",  " ", " ",  "-",
      ".", "_", "*", "\t", "阿", "莫", "西林",   "د",           "و",    "اء", "1", "500"};
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<size_t> token(0, kTokens.size() - 1);
  std::uniform_int_distribution<int> length(0, 80);
  NormalizedText out;
  for (int iteration = 0; iteration < 5000; ++iteration) {
    std::string input;
    for (int k = length(rng); k > 0; --k) input += kTokens[token(rng)];
    INFO("input [" << input << "]");
    TheNormalizer().Normalize(input, &out);
    REQUIRE(out.text == TheEngine().NormalizeReference(input));
    CheckOrigins(input, out);
  }
}

TEST_CASE("Normalizer: invalid UTF-8 does not crash", "[text]") {
  NormalizedText out;
  const std::string bad = std::string("ab\xe4\xb8") + "\xff\xc3" + "c\xe4";
  TheNormalizer().Normalize(bad, &out);
  CHECK(utf8::IsValid(out.text));
  CHECK(out.origin_begin.size() == out.text.size());
}

TEST_CASE("Normalizer: traditional table agrees with ICU's transliterator", "[text][zh]") {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t2s(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  REQUIRE(U_SUCCESS(status));
  icu::UnicodeString block;
  for (char16_t c = 0x4E00; c <= 0x9FFF; ++c) {
    block.append(c);
    block.append(u'\n');
  }
  t2s->transliterate(block);
  int32_t at = 0;
  int mismatches = 0, mapped = 0;
  for (char32_t c = 0x4E00; c <= 0x9FFF; ++c) {
    const int32_t nl = block.indexOf(u'\n', at);
    REQUIRE(nl > at);
    const char32_t expected = nl - at == 1 ? block.charAt(at) : c;
    at = nl + 1;
    mapped += expected != c;
    if (TheEngine().Fold(c) != expected) {
      ++mismatches;
      std::string a, b;
      utf8::Append(a, c);
      utf8::Append(b, expected);
      WARN("t2s mismatch " << a << " -> " << b);
    }
  }
  CHECK(mapped > 2000);
  CHECK(mismatches == 0);

  // Spot checks of common characters in medical text.
  CHECK(Norm("藥 醫 療 癥 腸 胃 腎 臟 癒 麻醉 針 劑 膠 囊 錠 顆 滴 噴 貼 週 歲 鐘") ==
        "药医疗症肠胃肾脏愈麻醉针剂胶囊片颗滴喷贴周岁钟");
}

}  // namespace
}  // namespace medaudit::text
