#include "baseline/compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
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
constexpr std::array<std::string_view, 8> kCallCues = {"call", "dial", "打",    "拨",
                                                       "撥",   "اتصل", "phone", "ring"};

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
  return std::any_of(kCallCues.begin(), kCallCues.end(), [&](std::string_view cue) {
    return before.find(cue) != std::string_view::npos;
  });
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
      "also", "such", "some", "any", "all", "each", "other", "more", "most", "very", "its", "our",
      "out", "over", "only", "own", "same", "both", "few", "because", "while", "does", "did",
      "doing", "just", "like", "well", "if", "it", "is", "be", "of", "to", "in", "on", "or", "an",
      "as", "at", "by", "so", "do", "a", "i", "we", "he", "she", "his", "her", "my", "me",
      "usually", "often", "however", "include", "includes", "including",
      // zh
      "的", "了", "是", "在", "和", "与", "或", "等", "也", "就", "都", "而", "及", "对", "可",
      "会", "把", "被", "让", "给", "您", "你", "我", "他", "她", "它", "这", "那", "一", "个",
      "吧", "呢", "吗", "啊", "着", "过", "很", "还", "又", "并", "其", "如", "若", "则", "可以",
      "如果", "因为", "所以", "但是", "一般", "通常", "这些", "那些", "我们", "你们", "他们",
      "以及", "或者", "需要", "进行", "一些", "注意", "时",
      // ar
      "في", "من", "على", "إلى", "الى", "عن", "مع", "أو", "او", "و", "ثم", "هذا", "هذه", "ذلك",
      "التي", "الذي", "كان", "كانت", "يكون", "قد", "لا", "ما", "هل", "أن", "ان", "إن", "كما", "عند",
      "بعد", "قبل", "كل", "أي", "هو", "هي", "لك", "لكن", "يمكن", "حتى"};
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
    if (std::find(terms.begin(), terms.end(), stem) == terms.end())
      terms.push_back(std::move(stem));
  }
  return terms;
}

namespace {

// Contradictions: answer statements that give a drug the baseline advises against, or a daily
// dose above the baseline's for the same drug.
void FindContradictions(const rules::Engine& engine, const Input& input, rules::Workspace* ws,
                        Comparison* out) {
  std::map<uint32_t, BaselineDrug> baseline_drugs;
  if (input.baseline_statements == nullptr) engine.Analyze(input.baseline, ws);
  for (const auto& st : input.baseline_statements ? *input.baseline_statements : ws->statements) {
    if (st.drug == extract::kHerbalRecipe) continue;
    BaselineDrug& drug = baseline_drugs[st.drug];
    if (st.mood == extract::Mood::kNegated) {
      drug.negated = true;
    } else if (IsAdvice(st.mood)) {
      drug.advised = true;
      if (auto daily = st.DailyMg()) drug.max_daily_mg = std::max(drug.max_daily_mg, *daily);
    }
  }
  if (baseline_drugs.empty()) return;
  const bool given = input.answer_statements != nullptr && input.answer_normalized != nullptr;
  if (!given) engine.Analyze(input.answer, ws);
  const text::NormalizedText& normalized = given ? *input.answer_normalized : ws->answer;
  const auto& drugs = engine.lexicon().drugs();
  for (const auto& st : given ? *input.answer_statements : ws->statements) {
    if (st.drug == extract::kHerbalRecipe || !IsAdvice(st.mood)) continue;
    if (st.mood == extract::Mood::kInformational) continue;  // "the usual dose is" is not advice
    auto it = baseline_drugs.find(st.drug);
    if (it == baseline_drugs.end()) continue;
    const std::string& name = st.drug < drugs.size() ? drugs[st.drug].id : "?";
    std::string message;
    if (it->second.negated && !it->second.advised) {
      message = fmt::format(
          "the answer recommends {} but the clinician's baseline advises against it", name);
    } else if (auto daily = st.DailyMg(); daily && it->second.max_daily_mg > 0 &&
                                          *daily > it->second.max_daily_mg * (1 + 1e-9)) {
      message =
          fmt::format("daily dose of {} is {:g} mg; the clinician's baseline gives at most {:g} mg",
                      name, *daily, it->second.max_daily_mg);
    } else {
      continue;
    }
    const text::Span span = normalized.ToOriginal(st.span);
    Finding f;
    f.rule = kContradictionRule;
    f.category = "baseline_contradiction";
    f.severity = "harm";
    f.begin = span.begin;
    f.end = span.end;
    f.evidence = std::string(input.answer.substr(span.begin, span.size()));
    f.message = std::move(message);
    out->findings.push_back(std::move(f));
  }
}

void FindMissedEscalation(const text::Normalizer& normalizer, const Input& input, Comparison* out) {
  text::NormalizedText baseline, answer;
  normalizer.Normalize(input.baseline, &baseline);
  const auto wanted = FindEscalation(baseline.text);
  if (!wanted) return;
  const text::NormalizedText* normalized = input.answer_normalized;
  if (normalized == nullptr) {
    normalizer.Normalize(input.answer, &answer);
    normalized = &answer;
  }
  if (FindEscalation(normalized->text)) return;
  Finding f;
  f.rule = kMissedEscalationRule;
  f.category = "missed_emergency";
  f.severity = "harm";
  f.evidence = *wanted;
  f.message = fmt::format(
      "the clinician's baseline advises emergency care (\"{}\"); the answer gives no such advice",
      *wanted);
  out->findings.push_back(std::move(f));
}

// Key statements: the must-have labels, else the baseline's sentences (at most
// kMaxBaselineSentences, each with at least two content terms).
std::vector<std::string> KeyStatements(const text::Normalizer& normalizer, const Input& input,
                                       text::Lang lang, bool* from_labels) {
  std::vector<std::string> statements;
  *from_labels = input.must_have != nullptr && !input.must_have->empty();
  if (*from_labels) return *input.must_have;
  if (input.baseline.empty()) return statements;
  text::NormalizedText baseline;
  normalizer.Normalize(input.baseline, &baseline);
  std::vector<text::Span> sentences;
  text::SplitSentences(baseline.text, &sentences);
  for (const text::Span& s : sentences) {
    if (statements.size() >= kMaxBaselineSentences) break;
    std::string_view sentence = std::string_view(baseline.text).substr(s.begin, s.size());
    if (ContentTerms(sentence, lang).size() < 2) continue;
    const text::Span original = baseline.ToOriginal(s);
    statements.emplace_back(input.baseline.substr(original.begin, original.size()));
  }
  return statements;
}

void MeasureCoverage(const text::Normalizer& normalizer, const Input& input, text::Lang lang,
                     Comparison* out) {
  bool from_labels = false;
  const std::vector<std::string> statements = KeyStatements(normalizer, input, lang, &from_labels);
  if (statements.empty()) return;
  text::NormalizedText own_answer, statement;
  const text::NormalizedText* given = input.answer_normalized;
  if (given == nullptr) {
    normalizer.Normalize(input.answer, &own_answer);
    given = &own_answer;
  }
  const text::NormalizedText& answer = *given;
  const text::Lang answer_lang = LangOf(input.answer, input.lang);
  std::unordered_set<std::string> answer_terms;
  for (auto& term : ContentTerms(answer.text, answer_lang)) answer_terms.insert(std::move(term));
  std::vector<std::string> missed;
  for (const std::string& text : statements) {
    normalizer.Normalize(text, &statement);
    const auto terms = ContentTerms(statement.text, LangOf(text, text::Lang::kUnknown));
    if (terms.empty()) continue;
    const auto hits = std::count_if(terms.begin(), terms.end(), [&](const std::string& t) {
      return TermCovered(t, answer.text, answer_terms);
    });
    ++out->statements;
    if (static_cast<double>(hits) >= kCoverageThreshold * static_cast<double>(terms.size())) {
      ++out->covered;
    } else {
      missed.push_back(text);
    }
  }
  if (out->statements == 0) return;
  out->coverage = static_cast<double>(out->covered) / out->statements;
  auto omission = [&](std::string evidence, std::string message) {
    Finding f;
    f.rule = kOmissionRule;
    f.category = "baseline_omission";
    f.severity = "warn";
    f.evidence = std::move(evidence);
    f.message = std::move(message);
    out->findings.push_back(std::move(f));
  };
  if (from_labels) {
    for (std::string& text : missed) {
      omission(text, "the answer omits a must-have statement: " + text);
    }
  } else if (out->coverage < kSentenceCoverageAlarm) {
    omission(missed.front(),
             fmt::format("the answer covers {} of {} key statements of the clinician's baseline",
                         out->covered, out->statements));
  }
}

}  // namespace

Comparison Comparer::Compare(const Input& input, rules::Workspace* ws) const {
  Comparison out;
  const text::Lang lang =
      LangOf(input.baseline.empty() ? input.answer : input.baseline, input.lang);
  if (!input.baseline.empty()) {
    FindContradictions(engine_, input, ws, &out);
    FindMissedEscalation(engine_.normalizer(), input, &out);
  }
  MeasureCoverage(engine_.normalizer(), input, lang, &out);
  return out;
}

}  // namespace medaudit::baseline
