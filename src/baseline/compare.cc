#include "baseline/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <unordered_set>

#include "text/segment.h"

namespace medaudit::baseline {
namespace {

// At most this many baseline sentences are key statements when there are no must-have labels.
constexpr size_t kMaxBaselineSentences = 40;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// ---------------------------------------------------------------------------------------------
// Escalation (emergency advice).
// ---------------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 34> kEscalationPhrases = {
    // en (normalized text is case-folded)
    "emergency department", "emergency room", "emergency services", "emergency care",
    "emergency medical", "go to the er", "nearest er", "call an ambulance", "ambulance",
    "seek immediate medical", "immediate medical attention", "urgent medical attention",
    "hospital immediately", "seek emergency", "go to the emergency",
    // zh (simplified and traditional)
    "急诊", "急診", "急救", "救护车", "救護車", "立即就医", "立即就醫", "马上就医", "馬上就醫",
    "立刻就医", "立刻就醫", "立即去医院", "马上去医院",
    // ar
    "الطوارئ", "طوارئ", "الإسعاف", "إسعاف", "اسعاف", "أقرب مستشفى"};

constexpr std::array<std::string_view, 5> kEmergencyNumbers = {"911", "120", "999", "112", "997"};
constexpr std::array<std::string_view, 8> kCallCues = {"call", "dial", "打", "拨", "撥",
                                                        "اتصل", "phone", "ring"};

// The emergency number at `pos` counts when it stands alone (no adjacent digits) and is called:
// "911" always, the others after a call cue within 16 bytes or before "急救".
bool IsEmergencyNumberAt(std::string_view text, size_t pos, std::string_view number) {
  if (pos > 0 && (IsAsciiDigit(text[pos - 1]) || text[pos - 1] == '.' || text[pos - 1] == '/')) {
    return false;
  }
  const size_t end = pos + number.size();
  if (end < text.size() && (IsAsciiDigit(text[end]) || text[end] == '/')) return false;
  if (number == "911") return true;
  if (text.substr(end, 8).find("急救") == 0) return true;
  const size_t from = pos >= 16 ? pos - 16 : 0;
  const std::string_view before = text.substr(from, pos - from);
  return std::any_of(kCallCues.begin(), kCallCues.end(),
                     [&](std::string_view cue) { return before.find(cue) != std::string_view::npos; });
}

// The first escalation phrase in a normalized text, or nullopt.
std::optional<std::string> FindEscalation(std::string_view text) {
  std::optional<std::pair<size_t, std::string>> best;
  auto consider = [&](size_t pos, std::string_view what) {
    if (!best || pos < best->first) best = std::make_pair(pos, std::string(what));
  };
  for (std::string_view phrase : kEscalationPhrases) {
    if (size_t pos = text.find(phrase); pos != std::string_view::npos) consider(pos, phrase);
  }
  for (std::string_view number : kEmergencyNumbers) {
    for (size_t pos = text.find(number); pos != std::string_view::npos;
         pos = text.find(number, pos + 1)) {
      if (IsEmergencyNumberAt(text, pos, number)) {
        consider(pos, number);
        break;
      }
    }
  }
  if (!best) return std::nullopt;
  return best->second;
}

// ---------------------------------------------------------------------------------------------
// Content terms.
// ---------------------------------------------------------------------------------------------

const std::unordered_set<std::string_view>& StopWords() {
  static const auto* words = new std::unordered_set<std::string_view>{
      // en
      "the", "and", "for", "are", "but", "not", "you", "your", "with", "this", "that", "from",
      "have", "has", "had", "was", "were", "will", "would", "can", "could", "should", "may",
      "might", "must", "been", "being", "into", "about", "than", "then", "them", "they", "their",
      "there", "these", "those", "which", "what", "when", "where", "who", "whom", "why", "how",
      "also", "such", "some", "any", "all", "each", "other", "more", "most", "very", "its",
      "our", "out", "over", "only", "own", "same", "both", "few", "because", "while", "does",
      "did", "doing", "just", "like", "well", "if", "it", "is", "be", "of", "to", "in", "on", "or",
      "an", "as", "at", "by", "so", "do", "a", "i", "we", "he", "she", "his", "her", "my", "me",
      "usually", "often", "however", "include", "includes", "including",
      // zh
      "的", "了", "是", "在", "和", "与", "或", "等", "也", "就", "都", "而", "及", "对", "可",
      "会", "把", "被", "让", "给", "您", "你", "我", "他", "她", "它", "这", "那", "一", "个",
      "吧", "呢", "吗", "啊", "着", "过", "很", "还", "又", "并", "其", "如", "若", "则",
      "可以", "如果", "因为", "所以", "但是", "一般", "通常", "这些", "那些", "我们", "你们",
      "他们", "以及", "或者", "需要", "进行", "一些", "注意", "时",
      // ar
      "في", "من", "على", "إلى", "الى", "عن", "مع", "أو", "او", "و", "ثم", "هذا", "هذه", "ذلك",
      "التي", "الذي", "كان", "كانت", "يكون", "قد", "لا", "ما", "هل", "أن", "ان", "إن", "كما",
      "عند", "بعد", "قبل", "كل", "أي", "هو", "هي", "لك", "لكن", "يمكن", "حتى"};
  return *words;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Light stemming so that "infections"/"infection" and "الطبيب"/"طبيب" meet.
std::string Stem(std::string_view word, text::Lang lang) {
  if (lang == text::Lang::kEn) {
    for (std::string_view suffix : {"ing", "ies", "es", "ed", "ly", "s"}) {
      if (EndsWith(word, suffix) && word.size() >= suffix.size() + 4) {
        return std::string(word.substr(0, word.size() - suffix.size()));
      }
    }
  } else if (lang == text::Lang::kAr) {
    for (std::string_view prefix : {"وال", "بال", "كال", "فال", "لل", "ال", "و"}) {
      if (word.substr(0, prefix.size()) == prefix && word.size() >= prefix.size() + 6) {
        return std::string(word.substr(prefix.size()));
      }
    }
  }
  return std::string(word);
}

bool HasLetterOrDigit(std::string_view word) {
  // Non-ASCII bytes belong to letters here: ICU word spans exclude punctuation-only tokens except
  // ASCII symbols, which this filters.
  return std::any_of(word.begin(), word.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u);
  });
}

text::Lang LangOf(std::string_view text, text::Lang given) {
  if (given != text::Lang::kUnknown) return given;
  const text::Lang detected = text::DetectLang(text);
  return detected == text::Lang::kUnknown ? text::Lang::kEn : detected;
}

// Whether one content term occurs in the answer: Chinese terms by substring of the normalized
// answer (no spaces between words), others by membership in the answer's stemmed terms.
bool TermCovered(const std::string& term, std::string_view answer_normalized,
                 const std::unordered_set<std::string>& answer_terms) {
  if (answer_terms.count(term) > 0) return true;
  const auto first = static_cast<unsigned char>(term.empty() ? 0 : term[0]);
  const bool han = first >= 0xE3 && first <= 0xE9;
  return han && answer_normalized.find(term) != std::string_view::npos;
}

struct Coverage {
  int statements = 0;
  int covered = 0;
  std::vector<std::string> missed;  // original text of uncovered statements
};

// ---------------------------------------------------------------------------------------------
// Medications.
// ---------------------------------------------------------------------------------------------

bool IsAdvice(extract::Mood mood) {
  return mood == extract::Mood::kDirective || mood == extract::Mood::kRxForm ||
         mood == extract::Mood::kUnmarked || mood == extract::Mood::kInformational;
}

struct BaselineDrug {
  bool negated = false;     // the baseline advises against it
  bool advised = false;     // the baseline gives it as advice or information
  double max_daily_mg = 0;  // highest computable daily dose in the baseline, 0 = none
};

}  // namespace

std::vector<std::string> ContentTerms(std::string_view normalized, text::Lang lang) {
  std::vector<std::string> terms;
  for (const text::Span& span : text::SplitWords(normalized, lang)) {
    std::string_view word = normalized.substr(span.begin, span.size());
    if (!HasLetterOrDigit(word) || StopWords().count(word) > 0) continue;
    if (lang == text::Lang::kEn && word.size() <= 2 && !IsAsciiDigit(word[0])) continue;
    std::string stem = Stem(word, lang);
    if (std::find(terms.begin(), terms.end(), stem) == terms.end()) terms.push_back(std::move(stem));
  }
  return terms;
}

Comparison Comparer::Compare(const Input& input, rules::Workspace* ws) const {
  Comparison out;
  const text::Lang lang = LangOf(input.baseline.empty() ? input.answer : input.baseline, input.lang);
  const lexicon_drugs_size_guard:;
  (void)0;
  return out;
}

}  // namespace medaudit::baseline
