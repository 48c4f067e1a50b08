#include "extract/internal/lexical.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

namespace medaudit::extract::internal {

bool IsArabicLead(unsigned char c) { return c >= 0xD8 && c <= 0xDB; }

namespace {

// Whether the Arabic letter before `at` is a proclitic "و"/"ف" that starts its word ("وانا").
bool ArabicProcliticBefore(std::string_view text, size_t at) {
  if (at < 2) return false;
  const std::string_view letter = text.substr(at - 2, 2);
  if (letter != "\xD9\x88" && letter != "\xD9\x81") return false;
  return at < 4 || !IsArabicLead(static_cast<unsigned char>(text[at - 4]));
}

}  // namespace

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '.')) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiLetter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsAsciiLetterOrDigit(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool EndsWithColon(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '*')) {
    sentence.remove_suffix(1);
  }
  return !sentence.empty() && sentence.back() == ':';
}

bool IsMarkdownHeading(std::string_view sentence) {
  while (!sentence.empty() && (sentence.front() == ' ' || sentence.front() == '\n')) {
    sentence.remove_prefix(1);
  }
  return !sentence.empty() && sentence.front() == '#';
}

bool IsBoldLine(std::string_view sentence) {
  const std::string_view line = Trim(sentence);
  return line.size() > 4 && line.starts_with("**") && line.ends_with("**") &&
         line.substr(2, line.size() - 4).find("**") == std::string_view::npos &&
         line.find('\n') == std::string_view::npos;
}

bool EndsWithSemicolon(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '\n')) {
    sentence.remove_suffix(1);
  }
  return !sentence.empty() && sentence.back() == ';';
}

namespace {

// Whether the last clause of a sentence ended by "?" is only a tag that asks the listener to
// agree ("…, ok?", "…，好吗？", "…، ماشي؟", "…, theek hai?"): the sentence before it says
// what it says; it asks nothing.
bool EndsWithTag(std::string_view sentence) {
  size_t cut = std::string_view::npos;
  for (std::string_view boundary : {",", ";", "\xEF\xBC\x8C", "\xD8\x8C"}) {  // , ; ， ،
    const size_t at = sentence.rfind(boundary);
    if (at != std::string_view::npos && (cut == std::string_view::npos || at > cut)) {
      cut = at + boundary.size();
    }
  }
  if (cut == std::string_view::npos) return false;
  std::string_view tag = sentence.substr(cut);
  while (!tag.empty() && std::string_view(" ?!.~").find(tag.back()) != std::string_view::npos) {
    tag.remove_suffix(1);
  }
  while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
  static constexpr std::string_view kTags[] = {
      "ok",
      "okay",
      "alright",
      "all right",
      "right",
      "got it",
      "understood",
      "sound good",
      "sounds good",
      "deal",
      "yeah",
      "mashi",
      "tamam",
      "theek hai",
      "thik hai",
      "samjhe",
      "d'accord",
      "daccord",
      "wakha",
      "sa7",
      "ok na",
      "okay na",
      "theek hai na",
      "\xE5\xA5\xBD\xE5\x90\xA7",                           // 好吧
      "\xE5\xAF\xB9\xE5\x90\xA7",                           // 对吧
      "\xE5\xA5\xBD\xE5\x90\x97",                           // 好吗
      "\xE5\xA5\xBD\xE4\xB8\x8D\xE5\xA5\xBD",               // 好不好
      "\xE8\xA1\x8C\xE5\x90\x97",                           // 行吗
      "\xE6\x98\x8E\xE7\x99\xBD\xE5\x90\x97",               // 明白吗
      "\xE8\xAE\xB0\xE4\xBD\x8F\xE4\xBA\x86\xE5\x90\x97",   // 记住了吗
      "\xE7\x9F\xA5\xE9\x81\x93\xE5\x90\x97",               // 知道吗
      "\xD9\x85\xD8\xA7\xD8\xB4\xD9\x8A",                   // ماشي
      "\xD8\xAA\xD9\x85\xD8\xA7\xD9\x85",                   // تمام
      "\xD8\xA7\xD9\x88\xD9\x83\xD9\x8A",                   // اوكي
      "\xD8\xB7\xD9\x8A\xD8\xA8",                           // طيب
      "\xD8\xB5\xD8\xAD",                                   // صح
      "\xD9\x85\xD9\x81\xD9\x87\xD9\x88\xD9\x85",           // مفهوم
      "\xD8\xA7\xD8\xAA\xD9\x81\xD9\x82\xD9\x86\xD8\xA7"};  // اتفقنا
  return std::find(std::begin(kTags), std::end(kTags), tag) != std::end(kTags);
}

}  // namespace

bool EndsWithQuestion(std::string_view sentence) {
  while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '"')) {
    sentence.remove_suffix(1);
  }
  return !sentence.empty() && sentence.back() == '?' && !EndsWithTag(sentence);
}

bool OpensWithAlternative(std::string_view sentence) {
  while (!sentence.empty() &&
         std::string_view(" \t*-(").find(sentence.front()) != std::string_view::npos) {
    sentence.remove_prefix(1);
  }
  static constexpr std::string_view kAlternatives[] = {"\xE6\x88\x96", "or ", "\xD8\xA7\xD9\x88 "};
  for (auto a : kAlternatives) {
    if (sentence.substr(0, a.size()) == a) return true;
  }
  return false;
}

size_t BulletSymbolSize(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  const auto at = [&](size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
  };
  if (at(0) == 0xF0 && at(1) == 0x9F && at(2) != 0 && at(3) != 0) return 4;  // U+1F000–U+1FFFF
  if (at(0) != 0xE2 || at(1) == 0 || at(2) == 0) return 0;
  const unsigned char b = at(1);
  const unsigned char c = at(2);
  // • (U+2022), the zero-width joiner (U+200D), the keycap mark (U+20E3); arrows, technical and
  // geometric symbols, dingbats (U+2190–U+27BF); arrows and stars of U+2B00–U+2BFF.
  if ((b == 0x80 && (c == 0xA2 || c == 0x8D)) || (b == 0x83 && c == 0xA3) ||
      (b >= 0x86 && b <= 0x9F) || (b >= 0xAC && b <= 0xAF)) {
    return 3;
  }
  return 0;
}

uint32_t WordsBegin(std::string_view normalized, const text::Span& sentence) {
  uint32_t begin = sentence.begin;
  while (begin < sentence.end) {
    if (std::string_view(" \t\n*#->_.0123456789()").find(normalized[begin]) !=
        std::string_view::npos) {
      ++begin;
    } else if (const size_t symbol = BulletSymbolSize(normalized, begin); symbol > 0) {
      begin += static_cast<uint32_t>(symbol);
    } else {
      break;
    }
  }
  return std::min(begin, sentence.end);
}

bool Inside(const text::Span& inner, const text::Span& outer) {
  return inner.begin >= outer.begin && inner.end <= outer.end;
}

void Extend(text::Span* span, const text::Span& other) {
  span->begin = std::min(span->begin, other.begin);
  span->end = std::max(span->end, other.end);
}

bool CrossesClause(std::string_view between) {
  static constexpr std::string_view kBoundaries[] = {
      ",", ";", ":", " - ", "\xEF\xBC\x8C", "\xEF\xBC\x9B", "\xE3\x80\x82"};
  for (auto b : kBoundaries) {
    if (between.find(b) != std::string_view::npos) return true;
  }
  return false;
}

bool StartsWithAny(std::string_view text, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return text.starts_with(w); });
}

bool EndsWithAny(std::string_view text, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return text.ends_with(w); });
}

bool WordBefore(std::string_view text, size_t at, const std::vector<std::string>& words) {
  std::string_view before = text.substr(0, at);
  while (!before.empty() && (before.back() == ' ' || before.back() == ':')) {
    before.remove_suffix(1);
  }
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    return !w.empty() && before.ends_with(w) && IsWholeWordAt(before, before.size() - w.size(), w);
  });
}

bool IsWholeWordAt(std::string_view text, size_t at, std::string_view word) {
  const auto first = static_cast<unsigned char>(word.front());
  const auto last = static_cast<unsigned char>(word.back());
  const size_t end = at + word.size();
  if (IsAsciiLetter(first) && at > 0 &&
      IsAsciiLetterOrDigit(static_cast<unsigned char>(text[at - 1]))) {
    return false;
  }
  if (IsArabicLead(first) && at >= 2 && IsArabicLead(static_cast<unsigned char>(text[at - 2])) &&
      !ArabicProcliticBefore(text, at)) {
    return false;
  }
  if (IsAsciiLetter(last) && end < text.size() &&
      IsAsciiLetterOrDigit(static_cast<unsigned char>(text[end]))) {
    return false;
  }
  // The last byte of an Arabic letter is a continuation byte; the word's first byte tells.
  return !(IsArabicLead(static_cast<unsigned char>(word[word.size() >= 2 ? word.size() - 2 : 0])) &&
           end < text.size() && IsArabicLead(static_cast<unsigned char>(text[end])));
}

bool ContainsWord(std::string_view text, std::string_view word) {
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    if (IsWholeWordAt(text, at, word)) return true;
  }
  return false;
}

bool IsTableRow(std::string_view normalized, const text::Span& sentence) {
  const std::string_view line = normalized.substr(sentence.begin, sentence.size());
  const size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && line[first] == '|';
}

size_t FindLast(std::string_view text, std::string_view needle) {
  if (needle.size() == 1) {
    const void* p = memrchr(text.data(), needle.front(), text.size());
    return p == nullptr ? std::string_view::npos : static_cast<const char*>(p) - text.data();
  }
  size_t last = std::string_view::npos;
  for (size_t at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + 1)) {
    last = at;
  }
  return last;
}

size_t LineBegin(std::string_view text, size_t at) {
  at = std::min(at, text.size());
  const size_t from = at > kLineWindow ? at - kLineWindow : 0;
  const void* p = memrchr(text.data() + from, '\n', at - from);
  return p == nullptr ? from : static_cast<const char*>(p) - text.data() + 1;
}

size_t LineEnd(std::string_view text, size_t at) {
  at = std::min(at, text.size());
  const size_t to = std::min(text.size(), at + kLineWindow);
  const void* p = memchr(text.data() + at, '\n', to - at);
  return p == nullptr ? to : static_cast<const char*>(p) - text.data();
}

bool InBlockquote(std::string_view normalized, uint32_t at) {
  size_t i = LineBegin(normalized, at);
  while (i < normalized.size() && (normalized[i] == ' ' || normalized[i] == '\t')) ++i;
  return i < normalized.size() && normalized[i] == '>';
}

bool InTableRow(std::string_view normalized, uint32_t at) {
  size_t i = LineBegin(normalized, at);
  while (i < normalized.size() && (normalized[i] == ' ' || normalized[i] == '\t')) ++i;
  return i < normalized.size() && normalized[i] == '|';
}

bool InQuotes(std::string_view normalized, const text::Span& sentence, const text::Span& at) {
  const std::string_view before = normalized.substr(sentence.begin, at.begin - sentence.begin);
  for (const auto& [open, close] :
       {std::pair<std::string_view, std::string_view>{"\xE2\x80\x9C", "\xE2\x80\x9D"},  // “ ”
        {"\xE3\x80\x8C", "\xE3\x80\x8D"},                                               // 「 」
        {"\xE3\x80\x8E", "\xE3\x80\x8F"},                                               // 『 』
        {"\xC2\xAB", "\xC2\xBB"}}) {                                                    // « »
    const size_t o = FindLast(before, open);
    if (o != std::string_view::npos && before.find(close, o) == std::string_view::npos) return true;
  }
  return std::count(before.begin(), before.end(), '"') % 2 == 1;
}

text::Span EnclosingParenthesis(std::string_view normalized, uint32_t at, text::Span limit) {
  // Within kLineWindow on either side (no parenthetical is longer): callers ask for every cue of
  // the text, and an unbounded search from each made long answers quadratic.
  limit.begin = std::max<uint32_t>(limit.begin, at > kLineWindow ? at - kLineWindow : 0);
  limit.end = std::min<uint32_t>(limit.end, at + kLineWindow);
  // Most texts have no parenthesis before `at`: one memrchr says so without the byte loop.
  if (at <= limit.begin ||
      memrchr(normalized.data() + limit.begin, '(', at - limit.begin) == nullptr) {
    return {};
  }
  int depth = 0;
  uint32_t open = limit.begin;
  bool found = false;
  for (uint32_t i = at; i > limit.begin; --i) {
    const char c = normalized[i - 1];
    if (c == ')') ++depth;
    if (c == '(' && depth-- == 0) {
      open = i - 1;
      found = true;
      break;
    }
  }
  if (!found) return {};
  depth = 0;
  for (uint32_t i = at; i < limit.end; ++i) {
    const char c = normalized[i];
    if (c == '(') ++depth;
    if (c == ')' && depth-- == 0) return {open, i + 1};
  }
  return {};
}

bool JoinsIngredients(std::string_view between) {
  between = Trim(between);
  static constexpr std::string_view kJoiners[] = {
      "",        "/", "+", "&", "-", "and", "with", "\xE5\x92\x8C", "\xE4\xB8\x8E", "\xE5\x8F\x8A",
      "\xD9\x88"};
  return std::find(std::begin(kJoiners), std::end(kJoiners), between) != std::end(kJoiners);
}

// Whether an English herb amount written name first ("peppermint leaf 1 tsp", "sage 5 g") names
// no ingredient: the word before its number is a function or quantity word ("approximately 6
// teaspoons", "corresponds to 30 grams", "a maximum of 2 tsp").
bool NamelessAmount(std::string_view normalized, const Token& t) {
  const std::string_view hit = normalized.substr(t.span.begin, t.span.size());
  if (hit.empty() || !IsAsciiLetter(static_cast<unsigned char>(hit.front()))) return false;
  const size_t digit = hit.find_first_of("0123456789");
  if (digit == std::string_view::npos) return false;
  std::string_view name = hit.substr(0, digit);
  while (!name.empty() && !IsAsciiLetter(static_cast<unsigned char>(name.back()))) {
    name.remove_suffix(1);
  }
  const size_t space = name.find_last_of(' ');
  const std::string_view last = space == std::string_view::npos ? name : name.substr(space + 1);
  // Space-delimited, so that a lookup of " word " matches whole words only.
  static constexpr std::string_view kNotNames =
      " approximately about around roughly nearly almost only just than to of is are was be and "
      "or the a an with per up over under least most maximum max minimum total daily day add "
      "use take mix contains equals intake limit eat drink extra another first then every "
      "dissolve stir put pour in into plus heaping ";
  if (last.empty() || kNotNames.find(" " + std::string(last) + " ") == std::string_view::npos) {
    return false;
  }
  // "a thumb-sized piece of fresh ginger (about 10 g)": an amount in parentheses right after a
  // word that is no amount word weighs what that word names.
  std::string_view before = normalized.substr(0, t.span.begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  if (before.ends_with("(")) {
    before.remove_suffix(1);
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    size_t start = before.size();
    while (start > 0 && IsAsciiLetter(static_cast<unsigned char>(before[start - 1]))) --start;
    const std::string_view word = before.substr(start);
    if (word.size() >= 3 &&
        kNotNames.find(" " + std::string(word) + " ") == std::string_view::npos) {
      return false;
    }
  }
  // "about 10 g (roughly a thumb-sized piece) of peeled ginger": the ingredient follows.
  // (Or closes the parenthesis the amount is in: "2 cm (roughly 10 g) of fresh ginger".)
  std::string_view after = normalized.substr(t.span.end);
  after.remove_prefix(std::min(after.find_first_not_of(" )"), after.size()));
  if (after.starts_with("(")) {
    after.remove_prefix(std::min(after.find(')') + 1, after.size()));
    after.remove_prefix(std::min(after.find_first_not_of(' '), after.size()));
  }
  if (!after.starts_with("of ")) return true;
  // ("1 teaspoon of salt", "of sugar", "of baking soda" weigh no plant.)
  after.remove_prefix(3);
  for (std::string_view kind : {"added ", "free ", "table ", "white ", "brown "}) {
    if (after.starts_with(kind)) after.remove_prefix(kind.size());
  }
  for (std::string_view household : {"salt", "sugar", "baking soda", "bicarbonate", "water"}) {
    if (after.starts_with(household)) return true;
  }
  return false;
}

bool IsEmptyOrOneOf(std::string_view lead, std::span<const std::string_view> words) {
  while (!lead.empty() && (lead.front() == ' ' || lead.front() == '*')) lead.remove_prefix(1);
  while (!lead.empty() && (lead.back() == ' ' || lead.back() == '*')) lead.remove_suffix(1);
  return lead.empty() || std::find(words.begin(), words.end(), lead) != words.end();
}

}  // namespace medaudit::extract::internal
