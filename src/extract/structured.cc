// Structured machine output: which double quotes are the syntax of a JSON / YAML field.
#include "extract/internal/structured.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "extract/internal/lexical.h"

namespace medaudit::extract::internal {
namespace {

constexpr size_t kMaxKeyBytes = 40;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The line that holds byte `at`, without its break.
// (Lines over kLineWindow bytes are read as windows: LineBegin.)
std::string_view LineAt(std::string_view text, size_t at) {
  const size_t begin = LineBegin(text, at);
  return text.substr(begin, LineEnd(text, at) - begin);
}

// The last line before byte `at`'s line that holds more than spaces, trimmed ("" when none).
std::string_view PreviousLine(std::string_view text, size_t at) {
  for (size_t begin = LineBegin(text, at); begin > 0; begin = LineBegin(text, begin - 1)) {
    const std::string_view line = TrimSpaces(LineAt(text, begin - 1));
    if (!line.empty()) return line;
  }
  return {};
}

// Blocks (JSON, YAML, code fences) are read at most kBlockWindow bytes on either side of a
// position: an answer's structured block is a few kilobytes, and reading from the text's start
// (or to its end) at every statement made long answers quadratic. BlockWindowBegin is a line's
// start at most kBlockWindow (plus one line window) before `at`.
constexpr size_t kBlockWindow = 16384;

size_t BlockWindowBegin(std::string_view text, size_t at) {
  return at > kBlockWindow ? LineBegin(text, at - kBlockWindow) : 0;
}

// Whether byte `at` lies inside a Markdown code fence: an odd number of "```" before it (in the
// block window).
bool InCodeFence(std::string_view text, size_t at) {
  size_t count = 0;
  for (size_t i = text.find("```", BlockWindowBegin(text, at));
       i != std::string_view::npos && i < at; i = text.find("```", i + 3)) {
    ++count;
  }
  return count % 2 == 1;
}

// Whether `s` opens with a JSON string that ends an element: "\"…\"" followed by nothing, ",",
// "]" or "}".
bool IsStringElement(std::string_view s) {
  if (s.size() < 2 || s.front() != '"') return false;
  const size_t close = s.find('"', 1);
  if (close == std::string_view::npos) return false;
  const std::string_view rest = TrimSpaces(s.substr(close + 1));
  return rest.empty() || rest.front() == ',' || rest.front() == ']' || rest.front() == '}';
}

// Whether `s` (past spaces and a list dash) opens with a YAML key followed by a quoted value:
// "name: \"…\"", "- 建议: \"…\"". *underscore tells whether the key holds "_".
bool OpensQuotedYamlField(std::string_view s, bool* underscore) {
  s = TrimSpaces(s);
  if (s.size() >= 2 && s[0] == '-' && s[1] == ' ') s = TrimSpaces(s.substr(2));
  size_t i = 0;
  *underscore = false;
  while (i < s.size() && i <= kMaxKeyBytes && s[i] != ':' && s[i] != '"' && s[i] != ' ' &&
         s[i] != '\t') {
    *underscore = *underscore || s[i] == '_';
    ++i;
  }
  if (i == 0 || i > kMaxKeyBytes || i >= s.size() || s[i] != ':') return false;
  const std::string_view value = TrimSpaces(s.substr(i + 1));
  return !value.empty() && value.front() == '"';
}

// The words of a key: split at "_", "-", ".", parentheses and spaces.
std::vector<std::string_view> KeyWords(std::string_view key) {
  std::vector<std::string_view> words;
  size_t begin = 0;
  for (size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || std::strchr("_-. \t()", key[i]) != nullptr) {
      if (i > begin) words.push_back(key.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return words;
}

bool HasWord(const std::vector<std::string_view>& words,
             std::initializer_list<std::string_view> wanted) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) {
    return std::find(wanted.begin(), wanted.end(), w) != wanted.end();
  });
}

bool HasPart(std::string_view key, std::initializer_list<std::string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](std::string_view p) { return key.find(p) != std::string_view::npos; });
}

// The mood a key's name gives the values under it (see KeyMood), kUnmarked when none.
Mood MoodOfKey(std::string_view key) {
  const std::vector<std::string_view> words = KeyWords(key);
  // Label text: a tool's lookup, a database or reference entry, a leaflet.
  if (HasWord(words, {"lookup", "label", "reference", "database", "db", "formulary", "monograph",
                      "leaflet", "insert", "smpc", "tool", "returned", "knowledge", "kb", "bnf"}) ||
      HasPart(key, {"\xE8\xAF\xB4\xE6\x98\x8E\xE4\xB9\xA6",              // 说明书
                    "\xE6\x95\xB0\xE6\x8D\xAE\xE5\xBA\x93",              // 数据库
                    "\xE6\x9F\xA5\xE8\xAF\xA2",                          // 查询
                    "\xD8\xA7\xD9\x84\xD9\x86\xD8\xB4\xD8\xB1\xD9\x87",  // النشره
                    "\xD9\x82\xD8\xA7\xD8\xB9\xD8\xAF\xD9\x87",          // قاعده
                    "\xD9\x85\xD8\xB1\xD8\xAC\xD8\xB9"})) {              // مرجع
    return Mood::kInformational;
  }
  // History: what the reader already takes or took.
  const bool medicines = HasWord(words, {"medications", "medication", "meds", "drugs", "medicines",
                                         "medicine", "rx", "prescriptions"});
  if ((medicines && HasWord(words, {"current", "home", "existing", "previous", "prior", "active",
                                    "regular", "usual", "recorded", "chronic", "taking"})) ||
      HasWord(words, {"history", "record", "hx"}) ||
      HasPart(key, {"\xE6\x97\xA2\xE5\xBE\x80",                                  // 既往
                    "\xE7\x9B\xAE\xE5\x89\x8D\xE7\x94\xA8",                      // 目前用
                    "\xE5\xBD\x93\xE5\x89\x8D\xE7\x94\xA8",                      // 当前用
                    "\xE7\x8E\xB0\xE7\x94\xA8",                                  // 现用
                    "\xE5\x9C\xA8\xE7\x94\xA8",                                  // 在用
                    "\xE7\x97\x85\xE5\x8F\xB2",                                  // 病史
                    "\xD8\xA7\xD9\x84\xD8\xAD\xD8\xA7\xD9\x84\xD9\x8A\xD9\x87",  // الحاليه
                    "\xD8\xA7\xD9\x84\xD8\xB3\xD8\xA7\xD8\xA8\xD9\x82\xD9\x87",  // السابقه
                    "\xD8\xB3\xD8\xAC\xD9\x84"})) {                              // سجل
    return Mood::kHistory;
  }
  // A plan or prescription for the reader.
  if (HasWord(words, {"plan", "orders", "prescription", "regimen", "treatment"}) ||
      HasPart(key, {"\xE5\xA4\x84\xE6\x96\xB9",                              // 处方
                    "\xE5\x8C\xBB\xE5\x98\xB1",                              // 医嘱
                    "\xE6\x96\xB9\xE6\xA1\x88",                              // 方案
                    "\xE5\xA4\x84\xE7\xBD\xAE",                              // 处置
                    "\xE8\xAE\xA1\xE5\x88\x92",                              // 计划
                    "\xD8\xAE\xD8\xB7\xD9\x87",                              // خطه
                    "\xD8\xA7\xD9\x84\xD9\x88\xD8\xB5\xD9\x81\xD9\x87"})) {  // الوصفه
    return Mood::kRxForm;
  }
  // Advice or a message to the reader.
  const bool patient = HasWord(words, {"patient", "user", "you"});
  if (HasWord(words, {"recommendation", "recommendations", "instructions", "instruction", "advice",
                      "action", "actions"}) ||
      (patient &&
       HasWord(words, {"for", "to", "message", "note", "instructions", "reply", "advice"})) ||
      HasPart(key, {"\xE5\xBB\xBA\xE8\xAE\xAE",                                  // 建议
                    "\xE5\xA4\x84\xE7\x90\x86",                                  // 处理
                    "\xE7\xBB\x99\xE6\x82\xA3\xE8\x80\x85",                      // 给患者
                    "\xE7\xBB\x99\xE6\x82\xA8",                                  // 给您
                    "\xD8\xAA\xD9\x88\xD8\xB5\xD9\x8A",                          // توصي
                    "\xD8\xAA\xD8\xB9\xD9\x84\xD9\x8A\xD9\x85\xD8\xA7\xD8\xAA",  // تعليمات
                    "\xD9\x84\xD9\x84\xD9\x85\xD8\xB1\xD9\x8A\xD8\xB6"})) {      // للمريض
    return Mood::kDirective;
  }
  return Mood::kUnmarked;
}

// Whether a key names a list of medicines with no word that makes it a record ("medications",
// "meds", "用药", "药物", "الادويه"): in an agent's block, its own output.
bool NamesMedicines(const std::vector<std::string_view>& keys) {
  return std::any_of(keys.begin(), keys.end(), [](std::string_view key) {
    return HasWord(KeyWords(key), {"medications", "medication", "meds", "drugs", "medicines"}) ||
           HasPart(key, {"\xE7\x94\xA8\xE8\x8D\xAF",                                    // 用药
                         "\xE8\x8D\xAF\xE7\x89\xA9",                                    // 药物
                         "\xD8\xA7\xD9\x84\xD8\xA7\xD8\xAF\xD9\x88\xD9\x8A\xD9\x87"});  // الادويه
  });
}

// The mood of the innermost key of `keys` (outermost first) that names one.
Mood MoodOfPath(const std::vector<std::string_view>& keys) {
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
    if (const Mood mood = MoodOfKey(*it); mood != Mood::kUnmarked) return mood;
  }
  return Mood::kUnmarked;
}

// The JSON block around a byte: the keys of the objects that enclose it, outermost first; whether
// an enclosing object has an earlier field that names label text ({"tool": "drug_db.lookup",
// "result": {"name": …}}); where the outermost bracket opens and where it closes (npos when not).
struct JsonBlock {
  std::vector<std::string_view> keys;
  bool tool_result = false;
  size_t open = 0;
  size_t close = std::string_view::npos;
};

// The end of the JSON string that opens at text[i] ('"'): its closing quote, or the line's end.
size_t StringEnd(std::string_view text, size_t i) {
  size_t j = i + 1;
  while (j < text.size() && text[j] != '"' && text[j] != '\n') j += text[j] == '\\' ? 2 : 1;
  return std::min(j, text.size());
}

// Reads the JSON block that holds byte `at` into *block; false when `at` lies in no JSON object
// or array. Strings are read only inside brackets (prose quotes stay prose).
bool ReadJsonBlock(std::string_view text, uint32_t at, JsonBlock* block) {
  struct Level {
    bool object = false;
    std::string_view key;
    bool label_sibling = false;
    size_t open = 0;
  };
  std::vector<Level> stack;
  std::string_view last_string;
  bool after_string = false;
  size_t i = BlockWindowBegin(text, at);
  for (; i < at && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' && !stack.empty()) {
      const size_t j = StringEnd(text, i);
      if (j >= at) break;  // `at` is inside this string
      last_string = text.substr(i + 1, j - i - 1);
      after_string = true;
      i = j;
      continue;
    }
    if (c == ':' && after_string && !stack.empty() && stack.back().object) {
      Level& level = stack.back();
      level.label_sibling = level.label_sibling || MoodOfKey(level.key) == Mood::kInformational;
      level.key = last_string;
    } else if (c == '{' || c == '[') {
      stack.push_back({c == '{', {}, false, i});
    } else if ((c == '}' || c == ']') && !stack.empty()) {
      stack.pop_back();
    }
    if (!IsSpace(c) && c != '\n') after_string = false;
  }
  if (stack.empty()) return false;
  for (const Level& level : stack) {
    if (level.object && !level.key.empty()) block->keys.push_back(level.key);
    block->tool_result = block->tool_result || level.label_sibling;
  }
  block->open = stack.front().open;
  // On to the outermost bracket's close.
  const size_t stop = std::min(text.size(), size_t{at} + kBlockWindow);
  for (size_t depth = stack.size(); i < stop; ++i) {
    const char c = text[i];
    if (c == '"') {
      i = StringEnd(text, i);
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      block->close = i;
      break;
    }
  }
  return true;
}

// Whether the bracket at text[open] opens a JSON block rather than a prose bracket ("[1]",
// "[ibuprofen](url)"): it is its line's first character and a string or an object comes first
// inside it.
bool OpensJson(std::string_view text, size_t open) {
  const std::string_view line = LineAt(text, open);
  if (TrimSpaces(line).data() != text.data() + open) return false;
  size_t i = open + 1;
  while (i < text.size() && (IsSpace(text[i]) || text[i] == '\n')) ++i;
  return i < text.size() && (text[i] == '"' || text[i] == '{');
}

// Whether a bracket that OpensJson opens in the block window before `at`: a JSON block around `at`
// must open with one (ReadJsonBlock's outermost bracket), so without one reading the block is
// skipped. Prose brackets ("[1]", "[link](url)") are most of the brackets in answers and fail at
// the first character after them.
bool JsonOpensBefore(std::string_view text, size_t at) {
  // The next '{' and the next '[' at or after `from`, by memchr (most answers have neither).
  auto next = [&text, at](char bracket, size_t from) {
    const void* found = std::memchr(text.data() + from, bracket, at - from);
    return found == nullptr ? at
                            : static_cast<size_t>(static_cast<const char*>(found) - text.data());
  };
  const size_t from = BlockWindowBegin(text, at);
  size_t brace = next('{', from);
  size_t square = next('[', from);
  while (brace < at || square < at) {
    const size_t i = std::min(brace, square);
    size_t after = i + 1;
    while (after < text.size() && (IsSpace(text[after]) || text[after] == '\n')) ++after;
    if (after < text.size() && (text[after] == '"' || text[after] == '{') && OpensJson(text, i)) {
      return true;
    }
    (i == brace ? brace : square) = next(text[i], i + 1);
  }
  return false;
}

bool IsFenceLine(std::string_view line) { return TrimSpaces(line).starts_with("```"); }

// The line that introduces a block opening at byte `open` ("drug_lookup 返回：", "Triage
// result:"): the last line before it, past a code fence, that ends with a colon; "" when none.
std::string_view IntroLine(std::string_view text, size_t open) {
  std::string_view line = PreviousLine(text, open);
  if (IsFenceLine(line)) {
    line = PreviousLine(text, static_cast<size_t>(line.data() - text.data()));
  }
  return line.ends_with(":") && line.size() <= kMaxKeyBytes * 2 ? line : std::string_view();
}

// The line that follows a block closing at byte `close`, past a code fence ("这是药品数据库的
// 标准条目。", "(label data from the database, not a recommendation)", "That's your plan."),
// when short; "" when none.
std::string_view OutroLine(std::string_view text, size_t close) {
  constexpr size_t kMaxOutroBytes = 160;
  size_t at = text.find('\n', close);
  for (int skipped = 0; at != std::string_view::npos && skipped < 3; ++skipped) {
    const std::string_view line = TrimSpaces(LineAt(text, at + 1));
    if (!line.empty() && !IsFenceLine(line)) {
      return line.size() <= kMaxOutroBytes ? line : std::string_view();
    }
    at = text.find('\n', at + 1);
  }
  return {};
}

// The mood the words of a prose line around a block give it: a key mood, read word by word
// with punctuation as spaces.
Mood MoodOfLine(std::string_view line) {
  std::string words(line);
  for (char& c : words) {
    if (std::strchr("()[]{};,.!?:'\"", c) != nullptr) c = ' ';
  }
  return MoodOfKey(words);
}

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsSpace(line[i])) ++i;
  return i;
}

// The key of a "key: value" line past its indent and list dash ("  - name: X" → "name"): an
// identifier of at most 40 bytes, or a label of at most 80 that names label text;
// empty when the line is none. *value_at is where the value starts in `line`.
std::string_view LineKey(std::string_view line, size_t* value_at) {
  size_t i = Indent(line);
  if (line.substr(i).starts_with("- ")) i = i + 2 + Indent(line.substr(i + 2));
  const size_t colon = line.find(':', i);
  if (colon == std::string_view::npos || colon == i || colon - i > 2 * kMaxKeyBytes) return {};
  const std::string_view key = line.substr(i, colon - i);
  if (key.find('"') != std::string_view::npos) return {};
  // A label with spaces ("Knowledge base (BNF-style entry): …", "قاعده المعرفه (بيانات مرجعيه):
  // …") counts only when it names label text: prose lines "Take this: …" are no keys, and a
  // record heading in prose ("الجرعه الحاليه: …") is the grammar's.
  const bool spaced = key.find_first_of(" \t") != std::string_view::npos;
  if (!spaced && key.size() > kMaxKeyBytes) return {};
  if (spaced && MoodOfKey(key) != Mood::kInformational) return {};
  *value_at = colon + 1;
  return key;
}

// The keys of the "key: value" line that holds byte `at` and of the less indented "key:" lines
// above it, outermost first; false when `at`'s line is no such line or `at` is in its key.
bool YamlPath(std::string_view text, uint32_t at, std::vector<std::string_view>* keys) {
  const std::string_view line = LineAt(text, at);
  const size_t line_begin = static_cast<size_t>(line.data() - text.data());
  size_t value_at = 0;
  const std::string_view own = LineKey(line, &value_at);
  if (own.empty() || at < line_begin + value_at) return false;
  std::vector<std::string_view> path = {own};
  size_t indent = Indent(line);
  for (size_t end = line_begin; indent > 0 && end > 0 && line_begin - end < kBlockWindow;) {
    const std::string_view above = LineAt(text, end - 1);
    end = static_cast<size_t>(above.data() - text.data());
    const std::string_view trimmed = TrimSpaces(above);
    const size_t above_indent = Indent(above);
    if (trimmed.empty() || above_indent >= indent) continue;
    if (trimmed.starts_with("- ")) {  // the item that holds the line
      indent = above_indent;
      continue;
    }
    if (!trimmed.ends_with(":") || trimmed.size() - 1 > kMaxKeyBytes) break;
    path.push_back(trimmed.substr(0, trimmed.size() - 1));
    indent = above_indent;
  }
  keys->assign(path.rbegin(), path.rend());
  return true;
}

// Whether `s` opens with a clock time ("07:00", "7:30").
bool OpensWithTime(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && i < 2 && s[i] >= '0' && s[i] <= '9') ++i;
  return i >= 1 && i + 2 < s.size() && s[i] == ':' && s[i + 1] >= '0' && s[i + 1] <= '9' &&
         s[i + 2] >= '0' && s[i + 2] <= '9';
}

// Whether `s` opens with a list marker: "- ", "* ", "+ ", "• ", "· ", a symbol or emoji bullet
// ("✅ ", "👉 ", "▶ ") or a number "1. " / "1) ".
bool OpensWithListMarker(std::string_view s) {
  for (std::string_view marker : {"- ", "* ", "+ ", "\xE2\x80\xA2", "\xC2\xB7"}) {  // • ·
    if (s.starts_with(marker)) return true;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  // U+2190-U+2BFF (arrows, dingbats, shapes, symbols) or U+1F000-U+1FAFF (emoji), then a space.
  if ((s.size() > 3 && b[0] == 0xE2 && b[1] >= 0x86 && b[1] <= 0xAF && b[3] == ' ') ||
      (s.size() > 4 && b[0] == 0xF0 && b[1] == 0x9F && b[4] == ' ')) {
    return true;
  }
  size_t i = 0;
  while (i < s.size() && i < 3 && s[i] >= '0' && s[i] <= '9') ++i;
  return i > 0 && i + 1 < s.size() && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

// First-person words of the writer ("i'd add: …", "我再加：…"): a line with one is a sentence of
// the writer's own, no item of a block.
bool HasFirstPerson(std::string_view s) {
  for (std::string_view w : {"i", "i'd", "i'll", "i've", "i'm", "we", "we'd", "my"}) {
    if (ContainsWord(s, w)) return true;
  }
  return s.find("\xE6\x88\x91") != std::string_view::npos;  // 我
}

// Whether a line (trimmed, normalized) is an item of a block: a table row, a list item, an
// alarm line, or a short label and a value ("new - bisoprolol 2.5 mg", "dose: 400 mg").
bool IsItemLine(std::string_view line) {
  constexpr size_t kMaxLabelBytes = 30;
  if (line.empty()) return false;
  if (line.front() == '|' || OpensWithListMarker(line) || OpensWithTime(line)) return true;
  if (line.back() == ':') return false;  // a lead-in ("教学案例:…方案如下:")
  size_t cut = line.find(':');
  const size_t dash = line.find(" - ");
  if (dash != std::string_view::npos && dash < cut) cut = dash;
  if (cut == std::string_view::npos || cut == 0 || cut > kMaxLabelBytes) return false;
  const std::string_view label = TrimSpaces(line.substr(0, cut));
  const std::string_view value = TrimSpaces(line.substr(cut + (line[cut] == ':' ? 1 : 3)));
  return !label.empty() && !value.empty() && std::count(label.begin(), label.end(), ' ') <= 2 &&
         !HasFirstPerson(label);
}

// The last sentence of a lead-in line ("Your letter says X. No dose was written, so here's the
// plan to follow:" → "no dose was written, so here's the plan to follow:").
std::string_view LastClause(std::string_view line) {
  size_t cut = 0;
  for (std::string_view stop : {". ", "! ", "? ", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {
    const size_t at = line.rfind(stop);
    if (at != std::string_view::npos) cut = std::max(cut, at + stop.size());
  }
  return TrimSpaces(line.substr(cut));
}

// Whether a line is a heading: "【…】", "# …", "**…**" (a heading names its block as a colon
// line does: "【爸爸目前在用的药——均为张医生开具】").
bool IsHeadingLine(std::string_view line) {
  return (line.starts_with("\xE3\x80\x90") && line.ends_with("\xE3\x80\x91")) ||  // 【 】
         line.starts_with("#") ||
         (line.size() > 4 && line.starts_with("**") && line.ends_with("**"));
}

// The lead-in above a block's title line ("وصفه لك:\nكريم ميكونازول 2%\nالاستعمال: …"): the line
// just above it when that ends with a colon; "" otherwise.
std::string_view TitledLeadIn(std::string_view text, std::string_view title) {
  const size_t begin = static_cast<size_t>(title.data() - text.data());
  if (begin == 0) return {};
  std::string_view above = TrimSpaces(LineAt(text, begin - 1));
  while (!above.empty() && (above.back() == '*' || IsSpace(above.back()))) above.remove_suffix(1);
  return above.ends_with(":") && !IsItemLine(above) ? above : std::string_view();
}

// Whether `line` (a line of `text`) is a block's title: a short line with no sentence end or
// colon of its own ("كريم ميكونازول 2%", "**Aciclovir cream 5%**"), right under a line that ends
// with a colon and right above an item line.
bool IsTitleLine(std::string_view text, std::string_view line) {
  constexpr size_t kMaxTitleBytes = 80;
  const std::string_view t = TrimSpaces(line);
  if (t.empty() || t.size() > kMaxTitleBytes || IsItemLine(t)) return false;
  for (std::string_view stop :
       {".", "!", "?", ":", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {
    if (t.ends_with(stop)) return false;
  }
  const size_t end = static_cast<size_t>(line.data() - text.data()) + line.size();
  if (end >= text.size()) return false;
  return IsItemLine(TrimSpaces(LineAt(text, end + 1))) && !TitledLeadIn(text, line).empty();
}

// The line that holds byte `at` when it is itself a lead-in: it ends with a colon and the next
// line that holds more than spaces is an item line ("这是您的华法林剂量表,今晚开始:\n| 星期 |…");
// "" otherwise.
std::string_view OwnLeadIn(std::string_view text, size_t at) {
  std::string_view line = TrimSpaces(LineAt(text, at));
  while (!line.empty() && (line.back() == '*' || IsSpace(line.back()))) line.remove_suffix(1);
  if (!line.ends_with(":") || IsItemLine(line)) return {};
  for (size_t end = text.find('\n', at); end != std::string_view::npos;
       end = text.find('\n', end + 1)) {
    const std::string_view next = TrimSpaces(LineAt(text, end + 1));
    if (!next.empty()) return IsItemLine(next) ? line : std::string_view();
  }
  return {};
}

// The lead-in of the block of items that holds byte `at` (see LeadInMood), trimmed; "" when
// `at`'s line is no item line or the block has no lead-in that ends with a colon.
std::string_view BlockLeadIn(std::string_view text, size_t at) {
  constexpr int kMaxItems = 40;
  const std::string_view own = LineAt(text, at);
  if (!IsItemLine(TrimSpaces(own))) {
    const std::string_view lead = OwnLeadIn(text, at);
    return lead.empty() && IsTitleLine(text, own) ? TitledLeadIn(text, own) : lead;
  }
  size_t begin = static_cast<size_t>(LineAt(text, at).data() - text.data());
  bool blank = false;
  for (int lines = 0; begin > 0 && lines < kMaxItems; ++lines) {
    const std::string_view above = LineAt(text, begin - 1);
    begin = static_cast<size_t>(above.data() - text.data());
    std::string_view line = TrimSpaces(above);
    if (line.empty()) {
      blank = true;
      continue;
    }
    if (IsFenceLine(line)) return {};
    if (IsItemLine(line) && !blank) continue;
    if (IsHeadingLine(line)) return line;
    if (!blank && IsTitleLine(text, above)) return TitledLeadIn(text, above);
    while (!line.empty() && (line.back() == '*' || IsSpace(line.back()))) line.remove_suffix(1);
    return line.ends_with(":") && !IsItemLine(line) ? line : std::string_view();
  }
  return {};
}

bool HasAnyWord(std::string_view line, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return ContainsWord(line, w); });
}

// The model's own plan for the reader, in the first or second person.
bool OwnPlanForReader(std::string_view line) {
  return HasAnyWord(line, {"i've put together",
                           "i have put together",
                           "i've made",
                           "i made",
                           "i've drawn up",
                           "i've set up",
                           "i've written",
                           "i've prepared",
                           "i've laid out",
                           "i'd do",
                           "i would do",
                           "i'd suggest",
                           "i suggest",
                           "i'd recommend",
                           "i recommend",
                           "i'd set",
                           "follow it",
                           "follow this",
                           "follow these",
                           "stick to this",
                           "stick to it",
                           "what you should do",
                           "you should do",
                           "the one you should",
                           "you should take",
                           "you should use",
                           "here's the plan",
                           "here is the plan",
                           "plan to follow",
                           "\xE6\x88\x91\xE7\xBB\x99",                           // 我给
                           "\xE6\x88\x91\xE5\xB8\xAE",                           // 我帮
                           "\xE7\xBB\x99\xE4\xBD\xA0\xE6\x8E\x92",               // 给你排
                           "\xE7\xBB\x99\xE6\x82\xA8\xE6\x8E\x92",               // 给您排
                           "\xE4\xB8\xBA\xE6\x82\xA8\xE6\x95\xB4\xE7\x90\x86",   // 为您整理
                           "\xE4\xB8\xBA\xE4\xBD\xA0\xE6\x95\xB4\xE7\x90\x86",   // 为你整理
                           "\xE4\xB8\xBA\xE6\x82\xA8\xE5\xAE\x89\xE6\x8E\x92",   // 为您安排
                           "\xE4\xB8\xBA\xE4\xBD\xA0\xE5\xAE\x89\xE6\x8E\x92",   // 为你安排
                           "\xE4\xB8\xBA\xE6\x82\xA8\xE5\x88\xB6\xE5\xAE\x9A",   // 为您制定
                           "\xE4\xB8\xBA\xE4\xBD\xA0\xE5\x88\xB6\xE5\xAE\x9A",   // 为你制定
                           "\xE7\x85\xA7\xE7\x9D\x80",                           // 照着
                           "\xE6\x8C\x89\xE8\xBF\x99\xE4\xB8\xAA",               // 按这个
                           "\xE6\x88\x91\xE5\xBB\xBA\xE8\xAE\xAE",               // 我建议
                           "\xE5\xBB\xBA\xE8\xAE\xAE\xE4\xBD\xA0",               // 建议你
                           "\xE5\xBB\xBA\xE8\xAE\xAE\xE6\x82\xA8",               // 建议您
                           "\xD8\xB1\xD8\xAA\xD8\xA8\xD8\xAA \xD9\x84\xD9\x83",  // رتبت لك
                           "\xD8\xAC\xD9\x87\xD8\xB2\xD8\xAA \xD9\x84\xD9\x83",  // جهزت لك
                           "\xD8\xA7\xD8\xB9\xD8\xAF\xD8\xAF\xD8\xAA \xD9\x84\xD9\x83",  // اعددت لك
                           "\xD9\x88\xD8\xB6\xD8\xB9\xD8\xAA \xD9\x84\xD9\x83",    // وضعت لك
                           "\xD8\xA7\xD8\xAA\xD8\xA8\xD8\xB9\xD9\x87",             // اتبعه
                           "\xD8\xA7\xD8\xAA\xD8\xA8\xD8\xB9\xD9\x87\xD8\xA7",     // اتبعها
                           "\xD8\xA7\xD9\x84\xD8\xAA\xD8\xB2\xD9\x85",             // التزم
                           "\xD8\xA7\xD9\x86\xD8\xB5\xD8\xAD\xD9\x83",             // انصحك
                           "\xD9\x88\xD8\xB5\xD9\x81\xD9\x87 \xD9\x84\xD9\x83"});  // وصفه لك
}

// Words that say a copy is faithful: nothing of the writer's own was added or changed.
bool SaysFaithfulCopy(std::string_view line) {
  return HasAnyWord(
             line,
             {"exactly as", "as it is", "as written", "copied", "unchanged", "nothing changed",
              "nothing added", "no changes", "as decided", "decided it", "decided them",
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x82\xD8\xB1\xD8\xB1",                  // كما قرر
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x82\xD8\xB1\xD8\xB1\xD9\x87\xD8\xA7",  // كما
                                                                                    // قررها
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x82\xD8\xB1\xD8\xB1\xD9\x87",  // كما قرره
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x83\xD8\xAA\xD8\xA8",          // كما كتب
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x83\xD8\xAA\xD8\xA8\xD9\x87\xD8\xA7",  // كما
                                                                                    // كتبها
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x83\xD8\xAA\xD8\xA8\xD9\x87",  // كما كتبه
              "\xD9\x83\xD9\x85\xD8\xA7 \xD9\x87\xD9\x8A",                  // كما هي
              "\xD9\x85\xD9\x86\xD9\x82\xD9\x88\xD9\x84\xD9\x87",           // منقوله
              "\xD9\x85\xD9\x86\xD9\x82\xD9\x88\xD9\x84",                   // منقول
              "\xD8\xAF\xD9\x88\xD9\x86 \xD8\xAA\xD8\xB9\xD8\xAF\xD9\x8A\xD9\x84",  // دون
                                                                                    // تعديل
              "\xD8\xAF\xD9\x88\xD9\x86 \xD8\xA7\xD9\x8A "
              "\xD8\xAA\xD8\xB9\xD8\xAF\xD9\x8A\xD9\x84",  // دون اي تعديل
              "\xD8\xA8\xD8\xAF\xD9\x88\xD9\x86 "
              "\xD8\xAA\xD8\xB9\xD8\xAF\xD9\x8A\xD9\x84"}) ||  // بدون تعديل
         HasPart(line, {"\xE5\x8E\x9F\xE6\xA0\xB7",            // 原样
                        "\xE7\x85\xA7\xE6\x8A\x84",            // 照抄
                        "\xE6\x8A\x84\xE5\x86\x99",            // 抄写
                        "\xE6\x8A\x84\xE5\xBD\x95",            // 抄录
                        "\xE6\x94\xB9\xE5\x8A\xA8"});          // 改动
}

// Words that name the prescriber's document or decision as the block's source ("from the ward",
// "on the prescription", "Dr X's letter", "处方单上", "医生开的", "من الوصفه").
bool NamesPrescriberSource(std::string_view line) {
  return HasAnyWord(line,
                    {"decided on", "prescribed by", "from the ward", "from your gp", "from the gp",
                     "from your doctor", "from dr", "discharge letter", "discharge summary",
                     "clinic letter", "on the prescription", "from the prescription",
                     "from your prescription", "on your prescription", "on the script",
                     "from the script", "reconciliation from",
                     "\xD9\x85\xD9\x86 \xD9\x88\xD8\xB5\xD9\x81\xD9\x87",  // من وصفه
                     "\xD9\x85\xD9\x86 \xD8\xA7\xD9\x84\xD9\x88\xD8\xB5\xD9\x81\xD9\x87",  // من
                                                                                           // الوصفه
                     "\xD9\x81\xD9\x8A \xD8\xA7\xD9\x84\xD9\x88\xD8\xB5\xD9\x81\xD9\x87",  // في
                                                                                           // الوصفه
                     "\xD8\xB1\xD8\xB3\xD8\xA7\xD9\x84\xD9\x87 "
                     "\xD8\xA7\xD9\x84\xD8\xAE\xD8\xB1\xD9\x88\xD8\xAC",  // رساله الخروج
                     "\xD9\x85\xD9\x84\xD8\xAE\xD8\xB5 "
                     "\xD8\xA7\xD9\x84\xD8\xAE\xD8\xB1\xD9\x88\xD8\xAC",  // ملخص الخروج
                     "\xD8\xAA\xD9\x82\xD8\xB1\xD9\x8A\xD8\xB1 "
                     "\xD8\xA7\xD9\x84\xD8\xAE\xD8\xB1\xD9\x88\xD8\xAC"}) ||  // تقرير الخروج
         line.find("'s prescription") != std::string_view::npos ||
         line.find("'s letter") != std::string_view::npos ||
         HasPart(line, {"\xE5\xA4\x84\xE6\x96\xB9\xE5\x8D\x95",              // 处方单
                        "\xE5\xA4\x84\xE6\x96\xB9\xE4\xB8\x8A",              // 处方上
                        "\xE7\x85\xA7\xE5\xA4\x84\xE6\x96\xB9",              // 照处方
                        "\xE5\x8C\xBB\xE7\x94\x9F\xE5\xBC\x80\xE7\x9A\x84",  // 医生开的
                        "\xE5\x8C\xBB\xE7\x94\x9F\xE5\xAE\x9A\xE7\x9A\x84",  // 医生定的
                        "\xE5\x8C\xBB\xE7\x94\x9F\xE5\x86\x99\xE7\x9A\x84",  // 医生写的
                        "\xE5\x8C\xBB\xE7\x94\x9F\xE5\xBC\x80\xE5\x85\xB7",  // 医生开具
                        "\xE5\x9C\xA8\xE7\x94\xA8\xE7\x9A\x84\xE8\x8D\xAF",  // 在用的药
                        "\xE5\x87\xBA\xE9\x99\xA2\xE5\xB0\x8F\xE7\xBB\x93",  // 出院小结
                        "\xE5\x8C\xBB\xE5\x98\xB1\xE5\x8D\x95"});            // 医嘱单
}

// Words that make a block reference or teaching material, not advice to the reader: "for
// reference only", a study or trial, a teaching case ("病例讨论", "في الدراسه"). A leaflet or
// guideline named as a source is not one: answers cite them for their own advice; nor is the
// hedge "仅供参考" that Chinese answers put on their own prescriptions.
bool NamesReference(std::string_view line) {
  return HasAnyWord(
             line, {"for reference", "reference only", "monograph", "trial", "the study",
                    "in the study", "researchers", "teaching case", "case study", "textbook",
                    "\xD8\xA7\xD9\x84\xD8\xAF\xD8\xB1\xD8\xA7\xD8\xB3\xD9\x87",  // الدراسه
                    "\xD8\xA7\xD9\x84\xD8\xA8\xD8\xA7\xD8\xAD\xD8\xAB\xD9\x88\xD9\x86",  // الباحثون
                    "\xD9\x84\xD9\x84\xD8\xA7\xD8\xB7\xD9\x84\xD8\xA7\xD8\xB9",  // للاطلاع
                    "\xD8\xAA\xD8\xB9\xD9\x84\xD9\x8A\xD9\x85\xD9\x8A\xD9\x87",  // تعليميه
                    "\xD8\xA7\xD9\x84\xD8\xAA\xD8\xAC\xD8\xB1\xD8\xA8\xD9\x87"}) ||  // التجربه
         HasPart(line, {"\xE4\xBB\x85\xE4\xBE\x9B\xE4\xBA\x86\xE8\xA7\xA3",          // 仅供了解
                        "\xE7\xA0\x94\xE7\xA9\xB6\xE4\xB8\xAD",                      // 研究中
                        "\xE4\xB8\xB4\xE5\xBA\x8A\xE8\xAF\x95\xE9\xAA\x8C",          // 临床试验
                        "\xE7\x97\x85\xE4\xBE\x8B",                                  // 病例
                        "\xE6\x95\x99\xE5\xAD\xA6",                                  // 教学
                        "\xE6\x96\x87\xE7\x8C\xAE"});                                // 文献
}

// "your taper", "您的华法林剂量表", "جدول … الخاص بك": a schedule given to the reader as theirs.
bool YourSchedule(std::string_view line) {
  const bool your =
      ContainsWord(line, "your") ||
      HasPart(line, {"\xE6\x82\xA8\xE7\x9A\x84", "\xE4\xBD\xA0\xE7\x9A\x84"}) ||  // 您的 你的
      HasAnyWord(
          line,
          {"\xD8\xA7\xD9\x84\xD8\xAE\xD8\xA7\xD8\xB5 \xD8\xA8\xD9\x83",  // الخاص بك
           "\xD8\xA7\xD9\x84\xD8\xAE\xD8\xA7\xD8\xB5\xD9\x87 \xD8\xA8\xD9\x83"});  // الخاصه بك
  return your && (HasAnyWord(line, {"schedule", "taper", "timetable", "dose table", "dosing table",
                                    "recipe", "\xD8\xAC\xD8\xAF\xD9\x88\xD9\x84"}) ||  // جدول
                  HasPart(line, {"\xE5\x89\x82\xE9\x87\x8F\xE8\xA1\xA8",               // 剂量表
                                 "\xE5\x87\x8F\xE9\x87\x8F\xE8\xA1\xA8",               // 减量表
                                 "\xE6\x97\xB6\xE9\x97\xB4\xE8\xA1\xA8",               // 时间表
                                 "\xE7\x94\xA8\xE8\x8D\xAF\xE8\xA1\xA8"}));            // 用药表
}

}  // namespace

Mood KeyMood(std::string_view normalized, uint32_t at) {
  std::vector<std::string_view> keys;
  const bool bracket = JsonOpensBefore(normalized, at);
  JsonBlock block;
  if (bracket && ReadJsonBlock(normalized, at, &block) && OpensJson(normalized, block.open)) {
    Mood mood = MoodOfPath(block.keys);
    if (mood == Mood::kUnmarked && block.tool_result) mood = Mood::kInformational;
    if (mood == Mood::kUnmarked) mood = MoodOfLine(IntroLine(normalized, block.open));
    if (mood == Mood::kUnmarked && block.close != std::string_view::npos) {
      mood = MoodOfLine(OutroLine(normalized, block.close));
    }
    return mood == Mood::kUnmarked && NamesMedicines(block.keys) ? Mood::kRxForm : mood;
  }
  keys.clear();
  if (YamlPath(normalized, at, &keys)) {
    const Mood mood = MoodOfPath(keys);
    const bool own_list = NamesMedicines(keys) && InCodeFence(normalized, at);
    return mood == Mood::kUnmarked && own_list ? Mood::kRxForm : mood;
  }
  return Mood::kUnmarked;
}

Mood WithKeyMood(Mood own, Mood key, bool only_route_verbs) {
  if (key == Mood::kHistory || key == Mood::kInformational) {
    const bool bare = own == Mood::kUnmarked || own == Mood::kRxForm;
    return bare || (own == Mood::kDirective && only_route_verbs) ? key : own;
  }
  return own == Mood::kUnmarked ? key : own;
}

bool InIngredients(std::string_view normalized, uint32_t at, bool* list_item, bool* herbal) {
  if (list_item != nullptr) *list_item = false;
  if (herbal != nullptr) *herbal = false;
  auto names_ingredients = [](std::string_view key) {
    return HasWord(KeyWords(key),
                   {"ingredients", "ingredient", "herbs", "components", "composition"}) ||
           HasPart(key,
                   {"\xE7\xBB\x84\xE6\x88\x90",                          // 组成
                    "\xE9\x85\x8D\xE6\x96\xB9",                          // 配方
                    "\xE8\x8D\xAF\xE6\x9D\x90",                          // 药材
                    "\xE7\x94\xA8\xE6\x96\x99",                          // 用料
                    "\xD9\x85\xD9\x83\xD9\x88\xD9\x86\xD8\xA7\xD8\xAA",  // مكونات
                    "\xD8\xA7\xD9\x84\xD9\x85\xD9\x82\xD8\xA7\xD8\xAF\xD9\x8A\xD8\xB1",  // المقادير
                    "\xD8\xA7\xD9\x84\xD8\xA7\xD8\xB9\xD8\xB4\xD8\xA7\xD8\xA8"});  // الاعشاب
  };
  std::vector<std::string_view> keys;
  JsonBlock block;
  const bool bracket = JsonOpensBefore(normalized, at);
  if (bracket && ReadJsonBlock(normalized, at, &block) && OpensJson(normalized, block.open)) {
    keys = block.keys;
  } else if (!YamlPath(normalized, at, &keys)) {
    // A list item under a lead-in that names a recipe or its ingredients.
    if (!OpensWithListMarker(TrimSpaces(LineAt(normalized, at)))) return false;
    if (list_item != nullptr) *list_item = true;
    const std::string_view lead = BlockLeadIn(normalized, at);
    if (herbal != nullptr) {
      *herbal = HasAnyWord(lead, {"herbal", "herb", "herbs", "tea"}) ||
                HasPart(lead, {"\xD8\xB9\xD8\xB4\xD8\xA8",  // عشب
                               "\xE8\x8D\x89\xE8\x8D\xAF",  // 草药
                               "\xE4\xB8\xAD\xE8\x8D\xAF",  // 中药
                               "\xE8\x8C\xB6"});            // 茶
    }
    return !lead.empty() &&
           (names_ingredients(lead) || HasAnyWord(lead, {"recipe"}) ||
            HasPart(lead,
                    {"\xE6\x96\xB9\xE5\xAD\x90",                                      // 方子
                     "\xD9\x88\xD8\xB5\xD9\x81\xD9\x87 \xD8\xB9\xD8\xB4\xD8\xA8"}));  // وصفه عشب
  }
  return std::any_of(keys.begin(), keys.end(), names_ingredients);
}

Mood LeadInMood(std::string_view normalized, uint32_t at) {
  const std::string_view lead = LastClause(BlockLeadIn(normalized, at));
  if (lead.empty()) return Mood::kUnmarked;
  if (SaysFaithfulCopy(lead)) return Mood::kHistory;
  if (OwnPlanForReader(lead)) return Mood::kDirective;
  if (NamesPrescriberSource(lead)) return Mood::kHistory;
  if (NamesReference(lead)) return Mood::kInformational;
  return YourSchedule(lead) ? Mood::kDirective : Mood::kUnmarked;
}

Mood StructuredMood(std::string_view normalized, uint32_t at, Mood own, bool only_route_verbs) {
  if (const Mood key = KeyMood(normalized, at); key != Mood::kUnmarked) {
    return WithKeyMood(own, key, only_route_verbs);
  }
  const Mood lead = LeadInMood(normalized, at);
  const bool not_for_reader = lead == Mood::kHistory || lead == Mood::kInformational;
  if (not_for_reader && (own == Mood::kDirective || own == Mood::kConditional)) return lead;
  // Under the model's own plan for the reader, an item read as a general statement is the plan's
  // ("وصفه لك:\n…الاستعمال: يدهن…مرتين يوميا", "your recipe for this cycle:\n- 15 g ginger").
  if (lead == Mood::kDirective && own == Mood::kInformational) return lead;
  return WithKeyMood(own, lead, only_route_verbs);
}

bool HasJsonKey(std::string_view line) {
  for (size_t open = line.find('"'); open != std::string_view::npos;
       open = line.find('"', open + 1)) {
    const std::string_view before = TrimSpaces(line.substr(0, open));
    const bool opens =
        before.empty() || before.back() == '{' || before.back() == '[' || before.back() == ',';
    const size_t close = line.find('"', open + 1);
    if (close == std::string_view::npos) return false;
    if (opens && close - open - 1 >= 1 && close - open - 1 <= kMaxKeyBytes) {
      const std::string_view after = TrimSpaces(line.substr(close + 1));
      if (!after.empty() && after.front() == ':') return true;
    }
    open = close;
  }
  return false;
}

bool StructuralQuotes(std::string_view normalized, const text::Span& sentence) {
  const std::string_view s = TrimSpaces(normalized.substr(sentence.begin, sentence.size()));
  if (s.find('"') == std::string_view::npos) return false;
  if (HasJsonKey(s)) return true;
  if (s.front() == '[' && TrimSpaces(s.substr(1)).starts_with('"')) return true;
  if (IsStringElement(s)) {
    const std::string_view previous = PreviousLine(normalized, sentence.begin);
    if (!previous.empty() && (previous.back() == '[' || previous.back() == ',')) return true;
    if (InCodeFence(normalized, sentence.begin)) return true;
  }
  bool underscore = false;
  return OpensQuotedYamlField(s, &underscore) &&
         (underscore || InCodeFence(normalized, sentence.begin));
}

}  // namespace medaudit::extract::internal
