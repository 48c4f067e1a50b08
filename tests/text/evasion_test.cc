// The text layer against the evasions a model produces to get past a filter: invisible code
// points, look-alike letters from other scripts, accents, letters split by separators, financial
// numerals. Every case checks the scan text and that spans still point into the original bytes;
// the negatives check that ordinary text in zh, en and ar is left as it is.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "text/internal/norm_engine.h"
#include "text/normalize.h"

namespace {

using medaudit::text::NormalizedText;
using medaudit::text::Normalizer;
using medaudit::text::Span;

const Normalizer& TheNormalizer() {
  static const auto normalizer = Normalizer::Create();
  REQUIRE(normalizer.has_value());
  return **normalizer;
}

std::string Normalized(const std::string& input) {
  NormalizedText out;
  TheNormalizer().Normalize(input, &out);
  return out.text;
}

// The original bytes behind the first occurrence of `word` in the normalized text.
std::string OriginalOf(const std::string& input, const std::string& word) {
  NormalizedText out;
  TheNormalizer().Normalize(input, &out);
  const size_t at = out.text.find(word);
  if (at == std::string::npos) return "<" + word + " not found in '" + out.text + "'>";
  const Span span =
      out.ToOriginal({static_cast<uint32_t>(at), static_cast<uint32_t>(at + word.size())});
  return input.substr(span.begin, span.size());
}

}  // namespace

TEST_CASE("Evasion: default-ignorable code points vanish from the scan text",
          "[text][zh][en][ar]") {
  // NFKC_Casefold removes Default_Ignorable_Code_Point: zero-width space, ZWNJ, ZWJ, soft hyphen,
  // word joiner, BOM, bidi marks and controls, variation selectors, CGJ, the Mongolian vowel
  // separator, invisible operators, Hangul fillers and tag characters.
  const std::vector<std::string> kInvisible = {"\u200B", "\u200C", "\u200D",     "\u00AD", "\u2060",
                                               "\uFEFF", "\u200E", "\u200F",     "\u202A", "\u202E",
                                               "\u2066", "\u2069", "\uFE0F",     "\u034F", "\u180E",
                                               "\u2063", "\u3164", "\U000E0041", "\u061C"};
  for (const std::string& z : kInvisible) {
    INFO("invisible U+" << z);
    const std::string en = "Take ibu" + z + "pro" + z + "fen 400 mg";
    CHECK(Normalized(en) == "take ibuprofen 400 mg");
    CHECK(OriginalOf(en, "ibuprofen") == "ibu" + z + "pro" + z + "fen");
    const std::string zh = "服用布" + z + "洛" + z + "芬，每次400毫克";
    CHECK(Normalized(zh) == "服用布洛芬,每次400毫克");
    CHECK(OriginalOf(zh, "布洛芬") == "布" + z + "洛" + z + "芬");
    const std::string ar = "تناول باراسي" + z + "تامول 500 ملغ";
    CHECK(Normalized(ar) == "تناول باراسيتامول 500 ملغ");
    CHECK(OriginalOf(ar, "باراسيتامول") == "باراسي" + z + "تامول");
  }
}

TEST_CASE("Evasion: the braille blank is a space and middle dots a hyphen", "[text][en][zh]") {
  CHECK(Normalized("take\u2800ibuprofen") == "take ibuprofen");
  CHECK(Normalized("Take i\u00B7b\u00B7u\u00B7p\u00B7r\u00B7o\u00B7f\u00B7e\u00B7n 400 mg") ==
        "take ibuprofen 400 mg");
  CHECK(Normalized("服用布\u00B7洛\u00B7芬") == "服用布洛芬");
  CHECK(OriginalOf("服用布\u00B7洛\u00B7芬", "布洛芬") == "布\u00B7洛\u00B7芬");
  // A middle dot in a transliterated name or between words is a hyphen, nothing more.
  CHECK(Normalized("John\u00B7Smith") == "john-smith");
  CHECK(Normalized("word \u00B7 word") == "word - word");
}

TEST_CASE("Evasion: look-alike letters in a Latin word read as Latin", "[text][en][zh][ar]") {
  // Two look-alikes in a row at the start (Cyrillic а с), Greek capitals in an upper-case word
  // (Β and Ι read as B and I before case folding makes them β and ι), Cyrillic capitals.
  const std::string leading = "Take \u0430\u0441etaminophen 500 mg";
  CHECK(Normalized(leading) == "take acetaminophen 500 mg");
  CHECK(OriginalOf(leading, "acetaminophen") == "\u0430\u0441etaminophen");
  const std::string greek = "Take \u0399\u0392UPROFEN 400 MG";
  CHECK(Normalized(greek) == "take ibuprofen 400 mg");
  CHECK(OriginalOf(greek, "ibuprofen") == "\u0399\u0392UPROFEN");
  CHECK(Normalized("\u041C\u0415TFORMIN") == "metformin");  // Cyrillic М Е
  CHECK(Normalized("\u039DAPROXEN") == "naproxen");         // Greek capital Ν is N, not ν (v)
  CHECK(Normalized("ibuprofe\u03BD") == "ibuprofev");       // a lower-case ν is a v
  // In Chinese and Arabic answers too.
  CHECK(Normalized("服用ibupr\u043Efen，每次400毫克") == "服用ibuprofen,每次400毫克");
  CHECK(Normalized("تناول \u0430moxicillin 500 ملغ") == "تناول amoxicillin 500 ملغ");
}

TEST_CASE("Evasion: real Cyrillic and Greek text and unit symbols stay", "[text][en]") {
  // A word with a Cyrillic letter that has no Latin twin (л, ж, ц) is Cyrillic text.
  CHECK(Normalized("\u041F\u0430\u0440\u0430\u0446\u0435\u0442\u0430\u043C\u043E\u043B") ==
        "\u043F\u0430\u0440\u0430\u0446\u0435\u0442\u0430\u043C\u043E\u043B");
  CHECK(Normalized("\u0430\u0441\u0435") == "\u0430\u0441\u0435");  // all Cyrillic: no Latin letter
  CHECK(Normalized("\u03B1\u03C3\u03C0\u03B9\u03C1\u03AF\u03BD\u03B7") ==
        "\u03B1\u03C3\u03C0\u03B9\u03C1\u03AF\u03BD\u03B7");  // ασπιρίνη stays
  // Unit symbols and Greek-letter prefixes keep their letters: μg is not mg.
  CHECK(Normalized("50\u03BCg") == "50\u03BCg");
  CHECK(Normalized("50\u00B5g") == "50\u03BCg");
  CHECK(Normalized("50 \u039CG") == "50 \u03BCg");  // too short to be a disguised word
  CHECK(Normalized("\u03B2-blocker") == "\u03B2-blocker");
  CHECK(Normalized("\u03C9-3") == "\u03C9-3");
}

TEST_CASE("Evasion: accents and combining marks on a Latin word are dropped", "[text][en]") {
  const std::string accented = "Take \u00EDb\u00FAprof\u00E9n 400 mg";
  CHECK(Normalized(accented) == "take ibuprofen 400 mg");
  CHECK(OriginalOf(accented, "ibuprofen") == "\u00EDb\u00FAprof\u00E9n");
  const std::string marks = "Take ibu\u0307pro\u0301fen 400 mg";  // combining dot, acute
  CHECK(Normalized(marks) == "take ibuprofen 400 mg");
  CHECK(OriginalOf(marks, "ibuprofen") == "ibu\u0307pro\u0301fen");
  CHECK(Normalized("ibuprof\u00E8ne") == "ibuprofene");
  // Letters with no ASCII reading stay, and so do Arabic harakat (folded by the Arabic rules).
  CHECK(Normalized("s\u00F8ren") == "s\u00F8ren");
  CHECK(Normalized("بَارَاسِيتَامُول") == "باراسيتامول");
}

TEST_CASE("Evasion: letters spelled out with separators are joined", "[text][en][ar]") {
  const std::string dotted = "Take i. b. u. p. r. o. f. e. n. 400 mg";
  CHECK(Normalized(dotted) == "take ibuprofen. 400 mg");
  CHECK(OriginalOf(dotted, "ibuprofen") == "i. b. u. p. r. o. f. e. n");
  CHECK(Normalized("Take i  b  u  p  r  o  f  e  n 400 mg") == "take ibuprofen 400 mg");
  CHECK(Normalized("Take i - b - u - p - r - o - f - e - n") == "take ibuprofen");
  CHECK(Normalized("Take i/b/u/p/r/o/f/e/n") == "take ibuprofen");
  CHECK(Normalized("I.B.U.P.R.O.F.E.N") == "ibuprofen");
  CHECK(Normalized("تناول ب . ا . ر . ا . س . ي . ت . ا . م . و . ل") == "تناول باراسيتامول");
  // Not a spelled-out word: fewer than four letters, words between, four separators, or units.
  CHECK(Normalized("plan a. b is fine") == "plan a. b is fine");
  CHECK(Normalized("a / b") == "a / b");
  CHECK(Normalized("mg/kg/day") == "mg/kg/day");
  CHECK(Normalized("a    b    c    d") == "a    b    c    d");
  CHECK(Normalized("options a, b, c, d") == "options a, b, c, d");
}

TEST_CASE("Evasion: Chinese characters split by separators are joined", "[text][zh]") {
  const std::string dotted = "服用布.洛.芬，每次400毫克";
  CHECK(Normalized(dotted) == "服用布洛芬,每次400毫克");
  CHECK(OriginalOf(dotted, "布洛芬") == "布.洛.芬");
  CHECK(Normalized("服用布/洛/芬") == "服用布洛芬");
  CHECK(Normalized("服用布  洛  芬") == "服用布洛芬");
  CHECK(Normalized("服用阿莫 西林") == "服用阿莫西林");
  // One dot between two characters ends a sentence; one slash offers two options; a spaced dash
  // is a clause boundary.
  CHECK(Normalized("多喝水.然后休息") == "多喝水.然后休息");
  CHECK(Normalized("早/晚各一次") == "早/晚各1次");
  CHECK(Normalized("头痛 - 发热") == "头痛 - 发热");
}

TEST_CASE("Evasion: financial Chinese numerals are numbers in dose contexts", "[text][zh]") {
  CHECK(Normalized("每次伍佰毫克，一天叁次") == "每次500毫克,1天3次");
  CHECK(OriginalOf("每次伍佰毫克", "500") == "伍佰");
  CHECK(Normalized("每次肆佰毫克") == "每次400毫克");
  CHECK(Normalized("每次壹粒，每日贰次") == "每次1粒,每日2次");
  CHECK(Normalized("每天一万单位") == "每天10000单位");
  CHECK(Normalized("一万五千单位") == "15000单位");
  CHECK(Normalized("青霉素八十万单位") == "青霉素800000单位");
  CHECK(Normalized("每天两千国际单位") == "每天2000国际单位");
  // Words that end in one of those characters are no quantity.
  CHECK(Normalized("收拾一次") == "收拾一次");
  CHECK(Normalized("大陆十天") == "大陆十天");
  CHECK(Normalized("队伍三天") == "队伍三天");
  CHECK(Normalized("万一不舒服") == "万一不舒服");
  CHECK(Normalized("万古霉素") == "万古霉素");
}

// The fast passes and the reference must agree on texts built from the separators and letters
// the new rules read (no capitals of other scripts: the reference has no original to consult).
TEST_CASE("Evasion: separator sequences, fast and reference agree", "[text][zh][en][ar]") {
  auto engine = medaudit::text::internal::NormEngine::Create();
  REQUIRE(engine.has_value());
  static const std::vector<std::string> kPieces = {
      "a",      "b",      "i",      "x",      " ",      " ",  "  ", ". ", ".", "/",
      "-",      "\t",     "布",     "洛",     "芬",     "西", "ab", "م",  "و", "ب",
      "\u0430", "\u0441", "\u00E9", "\u0301", "\u043B", "1",  "\n", "mg"};
  std::mt19937 rng(20261130);
  std::uniform_int_distribution<size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  NormalizedText out;
  int changed = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string input;
    for (int n = length(rng); n > 0; --n) input += kPieces[piece(rng)];
    TheNormalizer().Normalize(input, &out);
    INFO("input '" << input << "'");
    REQUIRE(out.text == (*engine)->NormalizeReference(input));
    // Spans stay ordered and inside the input.
    for (size_t i = 0; i < out.text.size(); ++i) {
      REQUIRE(out.origin_begin[i] < out.origin_end[i]);
      REQUIRE(out.origin_end[i] <= input.size());
      if (i > 0) REQUIRE(out.origin_begin[i - 1] <= out.origin_begin[i]);
    }
    NormalizedText plain;
    (*engine)->Normalize(input, &plain);
    changed += plain.text != out.text;
  }
  CHECK(changed > 1000);
}
