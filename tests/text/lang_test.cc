#include "text/lang.h"

#include <catch2/catch.hpp>

namespace medaudit::text {
namespace {

TEST_CASE("LangName and ParseLang round-trip", "[text]") {
  for (Lang lang : {Lang::kZh, Lang::kEn, Lang::kAr}) CHECK(ParseLang(LangName(lang)) == lang);
  CHECK(LangName(Lang::kUnknown) == "und");
  CHECK(ParseLang("zh-CN") == Lang::kZh);
  CHECK(ParseLang("zh_Hant_TW") == Lang::kZh);
  CHECK(ParseLang("ar-SA") == Lang::kAr);
  CHECK(ParseLang("EN-us") == Lang::kEn);
  CHECK(ParseLang("fr") == Lang::kUnknown);
  CHECK(ParseLang("") == Lang::kUnknown);
  CHECK(ParseLang("eng") == Lang::kUnknown);
}

TEST_CASE("DetectLang by script", "[text][zh][en][ar]") {
  CHECK(DetectLang("口服阿莫西林0.5g 每日三次") == Lang::kZh);
  CHECK(DetectLang("take ibuprofen 400 mg every 6 hours") == Lang::kEn);
  CHECK(DetectLang("تناول باراسيتامول ٥٠٠ ملغ كل ٦ ساعات") == Lang::kAr);
  CHECK(DetectLang("") == Lang::kUnknown);
  CHECK(DetectLang("123 456 !!") == Lang::kUnknown);
  CHECK(DetectLang("😀 한국어") == Lang::kUnknown);
  // A Han character weighs three Latin letters.
  CHECK(DetectLang("布洛芬 ibuprofen") == Lang::kZh);        // 9 vs 9: ties go to zh
  CHECK(DetectLang("布洛 ibuprofen tablets") == Lang::kEn);  // 6 vs 16
  CHECK(DetectLang("ibuprofen إيبوبروفين ٤٠٠") == Lang::kAr);
  CHECK(DetectLang("處方藥") == Lang::kZh);
}

TEST_CASE("DetectLang counts only letters in long ASCII runs", "[text][ar][en]") {
  // The 8-byte path: '@' '[' '`' '{' '~' sit next to the letter ranges and are not letters.
  CHECK(DetectLang("@@@@[[[[````{{{{~~~~!!!!0000 مرحبا") == Lang::kAr);
  CHECK(DetectLang("AAAAZZZZaaaazzzz مرحبا بكم يا") == Lang::kEn);  // 16 letters vs 10
  CHECK(DetectLang("aaaa zzzz مرحبا بكم الاولى") == Lang::kAr);     // 8 vs 13
}

}  // namespace
}  // namespace medaudit::text
