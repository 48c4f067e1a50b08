// The fuzzy drug-name lookup (knowledge/fuzzy.h): disguised names are found, ordinary words are
// not, and the engine only consults it where a regimen has no drug, with spans into the original.
#include "knowledge/fuzzy.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "knowledge/lexicon.h"
#include "rules/engine.h"
#include "support/shipped_engine.h"

namespace {

using medaudit::knowledge::FuzzyHit;
using medaudit::knowledge::FuzzyIndex;
using medaudit::knowledge::Lexicon;
using medaudit::text::Span;

const Lexicon& Shipped() {
  static const Lexicon lexicon = [] {
    auto normalizer = medaudit::text::Normalizer::Create();
    REQUIRE(normalizer.has_value());
    auto loaded = Lexicon::Load(std::string(MEDAUDIT_SOURCE_DIR) + "/rules/knowledge/drugs.json",
                                **normalizer);
    REQUIRE(loaded.has_value());
    return std::move(*loaded);
  }();
  return lexicon;
}

const FuzzyIndex& Index() { return *Shipped().fuzzy(); }

std::string DrugId(std::optional<uint32_t> drug) {
  return drug ? Shipped().drugs()[*drug].id : std::string("<none>");
}

// Hits of Find() over a whole (already normalized) text, as "drug-id@matched text".
std::vector<std::string> FindAll(const std::string& text, const std::vector<Span>& taken = {}) {
  std::vector<FuzzyHit> hits;
  Index().Find(text, Span{0, static_cast<uint32_t>(text.size())}, taken, &hits);
  std::vector<std::string> out;
  for (const auto& hit : hits) {
    out.push_back(DrugId(hit.drug) + "@" + text.substr(hit.span.begin, hit.span.size()));
  }
  return out;
}

}  // namespace

TEST_CASE("Fuzzy: misspelled and leetspeak Latin names", "[knowledge][en]") {
  CHECK(DrugId(Index().MatchLatin("azithromicin")) == "azithromycin");
  CHECK(DrugId(Index().MatchLatin("doxycyclin")) == "doxycycline");
  CHECK(DrugId(Index().MatchLatin("amlodipne")) == "amlodipine");
  CHECK(DrugId(Index().MatchLatin("metformni")) == "metformin");  // transposition
  CHECK(DrugId(Index().MatchLatin("1bupr0fen")) == "ibuprofen");
  CHECK(DrugId(Index().MatchLatin("d0xycycl1ne")) == "doxycycline");
  CHECK(DrugId(Index().MatchLatin("flucon@zole")) == "fluconazole");
  CHECK(DrugId(Index().MatchLatin("c1pr0fl0xac1n")) == "ciprofloxacin");
  CHECK(DrugId(Index().MatchLatin("c1onazepam")) == "clonazepam");  // 1 read as l
  // Two edits only for long words.
  CHECK(DrugId(Index().MatchLatin("ciproflaxacine")) == "ciprofloxacin");
  CHECK_FALSE(Index().MatchLatin("ibprfen").has_value());
}

TEST_CASE("Fuzzy: ordinary words and numbers never read as a drug", "[knowledge][en]") {
  // Each is within one or two edits of a name or brand, or shares most of its letters.
  for (const char* word :
       {"aspiring", "program", "benefit",  "mental",   "contact", "principle", "decade",
        "frozen",   "shared",  "code",     "morphing", "heroine", "insulted",  "lipstick",
        "vitamins", "walking", "servings", "minutes",  "stairs",  "breakfast", "symptoms"}) {
    INFO(word);
    CHECK_FALSE(Index().MatchLatin(word).has_value());
    CHECK(FindAll(word).empty());
  }
  for (const char* word : {"500mg", "covid19", "h1n1", "b12", "3x", "q6h", "mp3", "4am", "1000"}) {
    INFO(word);
    CHECK_FALSE(Index().MatchLatin(word).has_value());
  }
  // Words shorter than six letters get no edits at all.
  CHECK_FALSE(Index().MatchLatin("advl").has_value());
}

// Every lowercase word of the system word list (wamerican-large, which scripts/install-deps.sh
// installs): none may be read as a drug unless it is a lexicon name.
// rules/knowledge/common_words.json is generated from the same list (scripts/gen_common_words.py);
// this catches a list that was not regenerated.
TEST_CASE("Fuzzy: no dictionary word is read as a drug", "[knowledge][en]") {
  const std::string path = "/usr/share/dict/american-english-large";
  if (!std::filesystem::exists(path)) {
    WARN("no " << path << " (Debian package wamerican-large); dictionary check skipped");
    return;
  }
  std::ifstream in(path);
  std::string word;
  size_t checked = 0;
  std::vector<std::string> fired;
  while (std::getline(in, word)) {
    if (word.size() < 5 ||
        !std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      continue;
    }
    ++checked;
    auto hits = FindAll(word);
    if (hits.empty()) continue;
    // A word that is a name or a name's inflection ("aspirins") may be read as that drug.
    const bool is_name =
        std::any_of(Shipped().names().begin(), Shipped().names().end(), [&](const auto& n) {
          for (const std::string_view ending : {"", "s", "es", "ed", "ing"}) {
            if (word.size() > ending.size() && word.ends_with(ending) &&
                n.normalized == word.substr(0, word.size() - ending.size())) {
              return true;
            }
          }
          return false;
        });
    if (!is_name) fired.push_back(word + " -> " + hits.front());
  }
  INFO("checked " << checked << " words");
  CHECK(checked > 10000);
  CHECK(fired == std::vector<std::string>{});
}

TEST_CASE("Fuzzy: split words and glued fragments", "[knowledge][en][ar]") {
  CHECK(FindAll("take amoxi cillin 500 mg") ==
        std::vector<std::string>{"amoxicillin@amoxi cillin"});
  CHECK(FindAll("take ib*uprofen 400 mg") == std::vector<std::string>{"ibuprofen@ib*uprofen"});
  CHECK(FindAll("take lo-sartan 50 mg") == std::vector<std::string>{"losartan@lo-sartan"});
  CHECK(FindAll("تناول باراسي تامول 500 ملغ") ==
        std::vector<std::string>{"paracetamol@باراسي تامول"});
  // Two ordinary words are not glued into a name.
  CHECK(FindAll("take the stairs for ten minutes").empty());
}

TEST_CASE("Fuzzy: Arabic spelling variants", "[knowledge][ar]") {
  CHECK(DrugId(Index().MatchArabic("ايبوبروفن")) == "ibuprofen");
  CHECK(DrugId(Index().MatchArabic("باراسيتمول")) == "paracetamol");
  CHECK(DrugId(Index().MatchArabic("والباراسيتمول")) == "paracetamol");  // و + ال
  CHECK(DrugId(Index().MatchArabic("اومبرازول")) == "omeprazole");
  for (const char* word : {"الخضروات", "وجبات", "صغيرة", "الفواكه", "الرياضة", "دقائق", "كمادات"}) {
    INFO(word);
    CHECK_FALSE(Index().MatchArabic(word).has_value());
  }
}

TEST_CASE("Fuzzy: pinyin, homophones and Latin letters for characters", "[knowledge][zh]") {
  CHECK(FindAll("口服a mo xi lin 0.5g") == std::vector<std::string>{"amoxicillin@a mo xi lin"});
  CHECK(FindAll("口服a莫西林0.5g") == std::vector<std::string>{"amoxicillin@a莫西林"});
  CHECK(FindAll("服用aqimeisu 0.5g") == std::vector<std::string>{"azithromycin@aqimeisu"});
  CHECK(FindAll("口服阿奇梅素0.5克") == std::vector<std::string>{"azithromycin@阿奇梅素"});
  CHECK(FindAll("口服头孢k肟0.1g") == std::vector<std::string>{"cefixime@头孢k肟"});
  CHECK(FindAll("口服二甲shuang胍0.5g") == std::vector<std::string>{"metformin@二甲shuang胍"});
  CHECK(FindAll("take amoxilin 500 mg") == std::vector<std::string>{"amoxicillin@amoxilin"});
  // Ordinary Chinese with numbers and schedules.
  for (const char* text :
       {"每天散步30分钟，每周5次，有助于控制血糖。", "每日饮水1500毫升，分3次喝完。",
        "孩子每天喝牛奶两次，每次200毫升即可。", "冷敷15分钟，每天3次，可以缓解肿胀。"}) {
    INFO(text);
    CHECK(FindAll(text).empty());
  }
}

TEST_CASE("Fuzzy: common error types in Latin spellings", "[knowledge][en]") {
  CHECK(DrugId(Index().MatchLatin("paracetmaol")) == "paracetamol");   // transposition
  CHECK(DrugId(Index().MatchLatin("amoxxicillin")) == "amoxicillin");  // doubled letter
  CHECK(DrugId(Index().MatchLatin("amoxcillin")) == "amoxicillin");    // dropped letter
  CHECK(DrugId(Index().MatchLatin("paracetomol")) == "paracetamol");   // vowel confusion
  CHECK(DrugId(Index().MatchLatin("ibuprofin")) == "ibuprofen");
  CHECK(DrugId(Index().MatchLatin("augmantin")) == "amoxicillin_clavulanate");
}

// Names written by ear: an Arabic speaker has no p or v (Arabizi "banadol"), c is k or s, the
// vowels e/i and o/u merge, doubled letters and silent h come and go.
TEST_CASE("Fuzzy: names spelled by sound", "[knowledge][en][ar]") {
  CHECK(DrugId(Index().MatchLatin("banadol")) == "paracetamol");
  CHECK(DrugId(Index().MatchLatin("fentolin")) == "salbutamol");
  CHECK(DrugId(Index().MatchLatin("kataflam")) == "diclofenac");
  CHECK(DrugId(Index().MatchLatin("krocin")) == "paracetamol");
  CHECK(DrugId(Index().MatchLatin("kalpol")) == "paracetamol");
  CHECK(DrugId(Index().MatchLatin("advill")) == "ibuprofen");
  CHECK(DrugId(Index().MatchLatin("brufin")) == "ibuprofen");
  CHECK(FindAll("5od banadol 2 kol 8 sa3at") == std::vector<std::string>{"paracetamol@banadol"});
  // Ordinary words that sound like a name stay words (common_words.json lists them), and
  // Arabizi words around a dose are not names.
  for (const char* word : {"alive", "council", "lonely", "login", "deepen", "sumac", "cousin",
                           "looped", "basin", "event", "lattice", "chosen", "induced"}) {
    INFO(word);
    CHECK_FALSE(Index().MatchLatin(word).has_value());
  }
  CHECK(FindAll("5od 7abbet wa7da kol 8 sa3at ba3d el akl w eshrab mayya kteer").empty());
  CHECK(FindAll("khalli balak men el dawa da w 2ol lel doctor law 3andak dagh 3ali").empty());
}

TEST_CASE("Fuzzy: Arabic long vowels dropped or added, one sound in two letters",
          "[knowledge][ar]") {
  CHECK(DrugId(Index().MatchArabic("بروفن")) == "ibuprofen");        // بروفين without ي
  CHECK(DrugId(Index().MatchArabic("بارستامول")) == "paracetamol");  // باراسيتامول less two
  CHECK(DrugId(Index().MatchArabic("والبروفن")) == "ibuprofen");     // و + ال
  CHECK(DrugId(Index().MatchArabic("بنادولل")) == "paracetamol");  // doubled letter
  CHECK(DrugId(Index().MatchArabic("اوغمانتين")) == "amoxicillin_clavulanate");
  for (const char* word :
       {"دلوقتي", "حباية", "ساعات", "مرتين", "يوميا", "الأكل", "شلون", "واجد", "منيح", "بزاف",
        "دابا", "خاصك", "كتير", "الصيدلية", "بالظبط", "المضاد", "الحرارة", "الدكتور",
        // The skeleton of a name, but more than vowel edits away from it.
        "اتناول", "لسرطان", "الكوليسترول", "زيارتك", "الدار"}) {
    INFO(word);
    CHECK_FALSE(Index().MatchArabic(word).has_value());
  }
}

TEST_CASE("Fuzzy: Chinese near-homophones by fuzzy pinyin", "[knowledge][zh]") {
  CHECK(FindAll("布诺芬一次一粒，一日三次") ==
        std::vector<std::string>{"ibuprofen@布诺芬"});                                      // n/l
  CHECK(FindAll("奥施他韦 75mg bid") == std::vector<std::string>{"oseltamivir@奥施他韦"});  // sh/s
  CHECK(FindAll("硝苯地品 10mg tid") == std::vector<std::string>{"nifedipine@硝苯地品"});  // in/ing
  CHECK(FindAll("布地来德 2喷 bid") == std::vector<std::string>{"budesonide@布地来德"});
  // Fewer than half the characters the name's own: not a misspelling of it.
  CHECK(FindAll("不诺分一次一粒").empty());
  // A function character in place of one of the name's (法是通 = "the method is", not 法斯通).
  CHECK(FindAll("具体的方法是通过自我按摩，每天坚持2-3次").empty());
  CHECK(FindAll("法斯通").size() == 1);
  for (const char* text : {"每天散步30分钟，每周5次。", "睡前喝热牛奶一杯，连续三天。",
                           "多喝水，每日2000毫升，少吃辛辣。"}) {
    INFO(text);
    CHECK(FindAll(text).empty());
  }
}

TEST_CASE("Fuzzy: words under a token already found are skipped", "[knowledge][en]") {
  const std::string text = "take 1bupr0fen 400 mg";
  CHECK(FindAll(text).size() == 1);
  CHECK(FindAll(text, {Span{5, 14}}).empty());
}

TEST_CASE("Engine: disguised names become prescriptions, spans in the original bytes",
          "[rules][en][zh][ar]") {
  const auto engine = medaudit::testing::SharedShippedEngine();
  medaudit::rules::Workspace ws;
  struct Case {
    std::string text, drug, original;
  };
  for (const Case& c : std::vector<Case>{
           {"Take Azithromicin 500 mg once a day.", "azithromycin", "Azithromicin"},
           {"Take \xEF\xBC\x91\xEF\xBD\x82upr0fen 400 mg every 6 hours.", "ibuprofen",
            "\xEF\xBC\x91\xEF\xBD\x82upr0fen"},  // full-width "１ｂ" first
           {"口服A莫西林0.5g，每日三次。", "amoxicillin", "A莫西林"},
           {"تناول باراسيتمول ٥٠٠ ملغ كل ست ساعات.", "paracetamol", "باراسيتمول"},
       }) {
    INFO(c.text);
    medaudit::rules::CheckResult result;
    REQUIRE(static_cast<bool>(
        engine->Check({c.text, "", medaudit::text::Lang::kUnknown}, &ws, &result)));
    CHECK(result.verdict == medaudit::rules::Verdict::kBlock);
    bool found = false;
    for (const auto& st : ws.statements) {
      if (!medaudit::extract::IsLexiconDrug(st.drug)) continue;
      CHECK(engine->lexicon().drugs()[st.drug].id == c.drug);
      const Span original = ws.answer.ToOriginal(st.drug_span);
      CHECK(c.text.substr(original.begin, original.size()) == c.original);
      found = true;
    }
    CHECK(found);
  }
  // No regimen in the sentence: the fuzzy lookup does not run.
  engine->Analyze("Ask your doctor whether azithromicin is right for you.", &ws);
  CHECK(ws.statements.empty());
}

TEST_CASE("Fuzzy: ordinary Arabic words one consonant from a name", "[knowledge][ar]") {
  // common_words.json ar_words (scripts/gen_common_words.py, from the hunspell-ar word list).
  for (const char* word : {"بروتين", "البروتين", "والبروتين", "مترين", "الفين", "ماطرين"}) {
    INFO(word);
    CHECK_FALSE(Index().MatchArabic(word).has_value());
  }
  CHECK(FindAll("كلي بروتين وخضار مرتين يوميا").empty());
  CHECK(FindAll("امشي الفين خطوة يوميا لمدة اسبوع").empty());
  // Spelling variants of the names themselves are still read.
  CHECK(DrugId(Index().MatchArabic("بروفن")) == "ibuprofen");
  CHECK(DrugId(Index().MatchArabic("باراسيتامل")) == "paracetamol");
  CHECK(DrugId(Index().MatchArabic("بندول")) == "paracetamol");
}

TEST_CASE("Fuzzy: guarded abbreviations", "[knowledge][en][zh]") {
  CHECK(DrugId(Index().MatchAbbreviation(U"asa")) == "aspirin");
  CHECK(DrugId(Index().MatchAbbreviation(U"pcm")) == "paracetamol");
  CHECK(DrugId(Index().MatchAbbreviation(U"阿奇")) == "azithromycin");
  CHECK(DrugId(Index().MatchAbbreviation(U"左氧")) == "levofloxacin");
  CHECK_FALSE(Index().MatchAbbreviation(U"头孢").has_value());  // a class, not one drug
  CHECK(FindAll("take asa 81 mg daily") == std::vector<std::string>{"aspirin@asa"});
  CHECK(FindAll("pcm 500mg q6h") == std::vector<std::string>{"paracetamol@pcm"});
  CHECK(FindAll("阿奇 0.5g 每天一次") == std::vector<std::string>{"azithromycin@阿奇"});
  CHECK(FindAll("左氧0.5g qd") == std::vector<std::string>{"levofloxacin@左氧"});
  // Tied to a neighbour: part of another name or code.
  CHECK(FindAll("pcm-la 1 tablet every 12 hours").empty());
  CHECK(FindAll("asa/acc guideline, 2 visits a year").empty());
  // Inside a longer run of characters that is not the abbreviation.
  CHECK(FindAll("奇怪的是每天一次就好").empty());
}

TEST_CASE("Lexicon: abbreviations are names, guarded ones are not", "[knowledge][en][zh][ar]") {
  auto id_of = [](std::string_view normalized) {
    for (const auto& n : Shipped().names()) {
      if (n.normalized == normalized) return Shipped().drugs()[n.drug].id;
    }
    return std::string("<none>");
  };
  CHECK(id_of("mtx") == "methotrexate");
  CHECK(id_of("gtn") == "glyceryl_trinitrate");
  CHECK(id_of("5-fu") == "fluorouracil");
  CHECK(id_of("smz-tmp") == "sulfamethoxazole_trimethoprim");
  CHECK(id_of("بارسيتامول") == "paracetamol");
  CHECK(id_of("asa") == "<none>");  // guarded: only where a regimen has no other drug
  CHECK(id_of("阿奇") == "<none>");
}

TEST_CASE("Engine: abbreviations in prescriptions and in ordinary text", "[rules][en][zh][ar]") {
  const auto engine = medaudit::testing::SharedShippedEngine();
  medaudit::rules::Workspace ws;
  struct Case {
    std::string text, drug;
  };
  for (const Case& c : std::vector<Case>{
           {"Take MTX 15 mg once weekly.", "methotrexate"},
           {"Start PCM 500 mg every 6 hours as needed.", "paracetamol"},
           {"Take ASA 81 mg daily.", "aspirin"},
           {"Use NTG 0.4 mg under the tongue every 5 minutes, up to 3 doses.",
            "glyceryl_trinitrate"},
           {"阿奇 0.5g 每天一次，连吃三天。", "azithromycin"},
           {"SMZ-TMP 2片 每天两次，连用3天。", "sulfamethoxazole_trimethoprim"},
           {"خذ بارسيتامول 500 ملغ كل 6 ساعات", "paracetamol"},
       }) {
    INFO(c.text);
    medaudit::rules::CheckResult result;
    REQUIRE(static_cast<bool>(
        engine->Check({c.text, "", medaudit::text::Lang::kUnknown}, &ws, &result)));
    CHECK(result.verdict == medaudit::rules::Verdict::kBlock);
    bool found = false;
    for (const auto& st : ws.statements) {
      if (medaudit::extract::IsLexiconDrug(st.drug)) {
        found |= engine->lexicon().drugs()[st.drug].id == c.drug;
      }
    }
    CHECK(found);
  }
  for (const char* text : {"ASA class II patient, fasting from midnight, surgery at 8 am.",
                           "كلي بروتين وخضار مرتين يوميا", "امشي الفين خطوة يوميا لمدة أسبوع",
                           "奇怪的是每天一次就好。"}) {
    INFO(text);
    medaudit::rules::CheckResult result;
    REQUIRE(
        static_cast<bool>(engine->Check({text, "", medaudit::text::Lang::kUnknown}, &ws, &result)));
    CHECK(result.verdict == medaudit::rules::Verdict::kAllow);
  }
}

// Lexicon::Load reads pinyin.json and common_words.json on another thread while it reads
// drugs.json (start-up): the errors stay those of a one-thread load, drugs.json's first.
TEST_CASE("Lexicon: the fuzzy data's errors keep their order", "[knowledge]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "medaudit_fuzzy_data_errors";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string shipped = std::string(MEDAUDIT_SOURCE_DIR) + "/rules/knowledge/";
  fs::copy_file(shipped + "drugs.json", dir / "drugs.json");
  fs::copy_file(shipped + "common_words.json", dir / "common_words.json");
  std::ofstream(dir / "pinyin.json") << R"({"syllables": ["zhi"]})";
  auto normalizer = medaudit::text::Normalizer::Create();
  REQUIRE(normalizer.has_value());
  const std::string drugs = (dir / "drugs.json").string();

  auto bad_pinyin = Lexicon::Load(drugs, **normalizer);
  REQUIRE_FALSE(bad_pinyin.has_value());
  CHECK(bad_pinyin.error().code == medaudit::ErrorCode::kPackError);
  CHECK(bad_pinyin.error().file == (dir / "pinyin.json").string());
  CHECK(bad_pinyin.error().message == "expected an object with an object 'syllables'");

  std::ofstream(dir / "drugs.json", std::ios::trunc) << "{";
  auto bad_both = Lexicon::Load(drugs, **normalizer);
  REQUIRE_FALSE(bad_both.has_value());
  CHECK(bad_both.error().file == drugs);

  fs::copy_file(shipped + "drugs.json", dir / "drugs.json", fs::copy_options::overwrite_existing);
  fs::copy_file(shipped + "pinyin.json", dir / "pinyin.json", fs::copy_options::overwrite_existing);
  auto good = Lexicon::Load(drugs, **normalizer);
  REQUIRE(good.has_value());
  CHECK(good->fuzzy_fingerprint() == Shipped().fuzzy_fingerprint());
  CHECK(good->fuzzy()->size() == Shipped().fuzzy()->size());
  fs::remove_all(dir);
}
