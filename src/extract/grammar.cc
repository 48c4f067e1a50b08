#include "extract/grammar.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "base/file.h"
#include "base/json.h"
#include "text/units.h"

namespace medaudit::extract {
namespace {

Error GrammarError(const std::string& file, std::string pointer, std::string message) {
  Error error = MakeError(ErrorCode::kPackError, std::move(message));
  error.file = file;
  error.json_pointer = std::move(pointer);
  return error;
}

std::string RegexEscape(std::string_view literal) {
  std::string out;
  for (char c : literal) {
    if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos)
      out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// "(?:mg|毫克|…)" from every unit spelling, longest first so alternation prefers it.
std::string UnitAlternation() {
  std::vector<std::string_view> spellings;
  for (const auto& s : text::AllUnitSpellings()) spellings.push_back(s.spelling);
  std::sort(spellings.begin(), spellings.end(), [](std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  spellings.erase(std::unique(spellings.begin(), spellings.end()), spellings.end());
  std::string out = "(?:";
  for (size_t i = 0; i < spellings.size(); ++i) {
    if (i) out.push_back('|');
    out += RegexEscape(spellings[i]);
  }
  out += ")";
  return out;
}

std::string Expand(std::string expression,
                   const std::vector<std::pair<std::string, std::string>>& macros) {
  for (const auto& [name, value] : macros) {
    const std::string key = "{" + name + "}";
    for (size_t pos = expression.find(key); pos != std::string::npos;
         pos = expression.find(key, pos + value.size())) {
      expression.replace(pos, key.size(), value);
    }
  }
  return expression;
}

// Splits a regex at its top-level '|' (outside groups and classes).
std::vector<std::string> TopLevelAlternatives(std::string_view expression) {
  std::vector<std::string> parts(1);
  int depth = 0;
  bool in_class = false;
  for (size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    if (c == '\\' && i + 1 < expression.size()) {
      parts.back() += expression.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth == 0) {
      parts.emplace_back();
      continue;
    }
    parts.back().push_back(c);
  }
  return parts;
}

// The plain string an alternative matches, when it has no regex operator other than "\s+"
// (taken as one space: normalized answers rarely have more) and escaped punctuation.
std::optional<std::string> AsLiteral(std::string_view alternative) {
  std::string literal;
  for (size_t i = 0; i < alternative.size(); ++i) {
    const char c = alternative[i];
    if (c == '\\') {
      // "\\s+" (as written) or "\\s{1,4}" (after BoundRepetitions): one space.
      for (std::string_view space : {std::string_view("\\s+"), std::string_view("\\s{1,4}")}) {
        if (alternative.substr(i, space.size()) == space) {
          literal.push_back(' ');
          i += space.size() - 1;
          goto next;
        }
      }
      if (i + 1 < alternative.size() &&
          std::string_view(".'-/:;,!?\"#%&~").find(alternative[i + 1]) != std::string_view::npos) {
        literal.push_back(alternative[++i]);
        continue;
      }
      return std::nullopt;
    }
    if (std::string_view("()[]{}?*+^$|.").find(c) != std::string_view::npos) return std::nullopt;
    literal.push_back(c);
  next:;
  }
  if (literal.empty()) return std::nullopt;
  return literal;
}

void SplitForScanner(GrammarEntry* entry) {
  std::string residual;
  for (const auto& alternative : TopLevelAlternatives(entry->expression)) {
    if (auto literal = AsLiteral(alternative)) {
      entry->literals.push_back(std::move(*literal));
    } else {
      if (!residual.empty()) residual.push_back('|');
      residual += alternative;
    }
  }
  entry->residual_regex = std::move(residual);
}

struct Section {
  const char* name;
  TokenKind kind;
};

// "words": {"per_time": ["每次", …], "arabic_numbers": [["ثلاث", 3], …], …}.
Status ReadWordLists(const rapidjson::Value& section, const std::string& path, WordLists* out) {
  if (!section.IsObject()) return GrammarError(path, "/words", "expected an object");
  const std::pair<const char*, std::vector<std::string>*> lists[] = {
      {"day_total_after", &out->day_total_after},
      {"day_total_before", &out->day_total_before},
      {"allergy_after", &out->allergy_after},
      {"allergy_before", &out->allergy_before},
      {"per_unit", &out->per_unit},
      {"per_time", &out->per_time},
      {"raise_to", &out->raise_to},
      {"step_up", &out->step_up},
      {"usage_headings", &out->usage_headings},
      {"restate", &out->restate},
      {"asks_amount", &out->asks_amount},
      {"reader_turn", &out->reader_turn},
      {"measured_quantity", &out->measured_quantity},
      {"threshold_compare", &out->threshold_compare},
      {"source_nouns", &out->source_nouns},
      {"no_object_after", &out->no_object_after},
      {"generic_medicine", &out->generic_medicine},
      {"contrast_before", &out->contrast_before},
      {"contrast_after", &out->contrast_after},
      {"describing_article", &out->describing_article},
      {"schedule_nouns", &out->schedule_nouns},
      {"checkup_after", &out->checkup_after},
      {"generic_product_purposes", &out->generic_product_purposes},
      {"generic_product_forms", &out->generic_product_forms},
      {"generic_product_classes", &out->generic_product_classes},
      {"pack_before", &out->pack_before},
      {"pack_after", &out->pack_after},
      {"pack_count_nouns", &out->pack_count_nouns}};
  const std::pair<const char*, std::vector<std::pair<std::string, std::string>>*> maps[] = {
      {"arabic_duals", &out->arabic_duals}, {"count_nouns", &out->count_nouns}};
  for (auto& m : section.GetObject()) {
    const std::string_view name = m.name.GetString();
    const std::string pointer = json::Pointer("/words", m.name.GetString());
    if (name == "about") continue;
    if (!m.value.IsArray()) return GrammarError(path, pointer, "expected an array");
    auto word = [](const rapidjson::Value& v) { return v.IsString() && v.GetStringLength() > 0; };
    auto pair = [&](const rapidjson::Value& v, bool number) {
      return v.IsArray() && v.Size() == 2 && word(v[0]) && (number ? v[1].IsNumber() : word(v[1]));
    };
    bool known = false;
    for (const auto& [list_name, list] : lists) {
      if (name != list_name) continue;
      known = true;
      for (const auto& v : m.value.GetArray()) {
        if (!word(v)) return GrammarError(path, pointer, "words must be non-empty strings");
        list->emplace_back(v.GetString());
      }
    }
    for (const auto& [map_name, map] : maps) {
      if (name != map_name) continue;
      known = true;
      for (const auto& v : m.value.GetArray()) {
        if (!pair(v, false)) return GrammarError(path, pointer, "expected [word, unit] pairs");
        map->emplace_back(v[0].GetString(), v[1].GetString());
      }
    }
    const std::pair<std::string_view, std::vector<std::pair<std::string, double>>*> numbered[] = {
        {"arabic_numbers", &out->arabic_numbers},
        {"unit_strengths_mg", &out->unit_strengths_mg},
        {"liquid_strengths_mg_per_ml", &out->liquid_strengths_mg_per_ml}};
    for (const auto& [list_name, numbers] : numbered) {
      if (name != list_name) continue;
      known = true;
      for (const auto& v : m.value.GetArray()) {
        if (!pair(v, true) || v[1].GetDouble() <= 0) {
          return GrammarError(path, pointer, "expected [word, positive value] pairs");
        }
        numbers->emplace_back(v[0].GetString(), v[1].GetDouble());
      }
    }
    if (!known) return GrammarError(path, pointer, "unknown word list");
  }
  return {};
}

// "question": {"personal": [{"lang": "en", "words": ["my", …]}, …], "topic": […]}.
Status ReadQuestionCues(const rapidjson::Value& section, const std::string& path,
                        std::vector<QuestionCue>* out) {
  if (!section.IsObject()) return GrammarError(path, "/question", "expected an object");
  for (auto& kind : section.GetObject()) {
    const std::string_view name = kind.name.GetString();
    const std::string pointer = json::Pointer("/question", kind.name.GetString());
    if (name == "about") continue;
    if ((name != "personal" && name != "topic") || !kind.value.IsArray()) {
      return GrammarError(path, pointer, "expected an array 'personal' or 'topic'");
    }
    for (rapidjson::SizeType i = 0; i < kind.value.Size(); ++i) {
      const auto& group = kind.value[i];
      auto lang = group.IsObject() ? group.FindMember("lang") : group.MemberEnd();
      auto words = group.IsObject() ? group.FindMember("words") : group.MemberEnd();
      if (!group.IsObject() || lang == group.MemberEnd() || !lang->value.IsString() ||
          words == group.MemberEnd() || !words->value.IsArray()) {
        return GrammarError(path, json::Pointer(pointer, i),
                            "a group needs a string 'lang' and an array 'words'");
      }
      for (const auto& word : words->value.GetArray()) {
        if (!word.IsString() || word.GetStringLength() == 0) {
          return GrammarError(path, json::Pointer(pointer, i), "words must be non-empty strings");
        }
        out->push_back({lang->value.GetString(), word.GetString(), name == "personal"});
      }
    }
  }
  return {};
}

}  // namespace

std::string_view MoodName(Mood mood) {
  switch (mood) {
    case Mood::kUnmarked:
      return "unmarked";
    case Mood::kDirective:
      return "directive";
    case Mood::kRxForm:
      return "rx_form";
    case Mood::kInformational:
      return "informational";
    case Mood::kReferral:
      return "referral";
    case Mood::kNegated:
      return "negated";
    case Mood::kHistory:
      return "history";
    case Mood::kRefusal:
      return "refusal";
    case Mood::kConditional:
      return "conditional";
    case Mood::kQuestion:
      return "question";
  }
  return "unmarked";
}

bool ParseMood(std::string_view name, Mood* mood) {
  for (int m = 0; m <= static_cast<int>(Mood::kQuestion); ++m) {
    if (MoodName(static_cast<Mood>(m)) == name) {
      *mood = static_cast<Mood>(m);
      return true;
    }
  }
  return false;
}

namespace {

// The bound BoundOpenRepeats gives an open repeat of a class ("[a-z]+", a word), and of a group
// or a single character ("(?:,|-)*", "\\**", "um+").
constexpr int kClassRepeatBound = 32;
constexpr int kAtomRepeatBound = 8;

// Rewrites every remaining open repeat outside a bracket expression ("*", "+", "{n,}") into a
// bounded one, so that the pattern has a maximum width. A word of more than 32 characters or a
// group repeated more than 8 times is not worth matching.
std::string BoundOpenRepeats(std::string expression) {
  std::string out;
  out.reserve(expression.size() + 16);
  bool inside = false;
  int bound = kAtomRepeatBound;  // bound for a repeat of the atom that ends at out.back()
  for (size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    if (c == '\\' && i + 1 < expression.size()) {
      out += c;
      out += expression[++i];
      bound = kAtomRepeatBound;
      continue;
    }
    if (inside) {
      out += c;
      if (c == ']') {
        inside = false;
        bound = kClassRepeatBound;
      }
      continue;
    }
    if (c == '[') {
      inside = true;
      out += c;
      // A ']' first in the class (after an optional '^') is a member.
      if (i + 1 < expression.size() && expression[i + 1] == '^') out += expression[++i];
      if (i + 1 < expression.size() && expression[i + 1] == ']') out += expression[++i];
      continue;
    }
    const bool after_atom = !out.empty() && out.back() != '(' && out.back() != '|';
    if ((c == '*' || c == '+') && after_atom) {
      out += fmt::format("{{{},{}}}", c == '*' ? 0 : 1, bound);
      continue;
    }
    if (c == '{') {
      const size_t close = expression.find('}', i);
      const size_t comma = expression.find(',', i);
      if (close != std::string::npos && comma + 1 == close && comma > i + 1 &&
          std::all_of(expression.begin() + i + 1, expression.begin() + comma,
                      [](char d) { return d >= '0' && d <= '9'; })) {
        const int low = std::stoi(expression.substr(i + 1, comma - i - 1));
        out += fmt::format("{{{},{}}}", low, low + bound);
        i = close;
        continue;
      }
    }
    out += c;
    bound = c == ')' ? kAtomRepeatBound : (c == '}' || c == '?' ? 0 : kAtomRepeatBound);
  }
  return out;
}

}  // namespace

namespace {

// The fixed rewrites BoundRepetitions makes before bounding the remaining open repeats.
constexpr std::pair<std::string_view, std::string_view> kRepeatRewrites[] = {
    {"\\s*", "\\s{0,4}"},
    {"\\s+", "\\s{1,4}"},
    {"[0-9]+", "[0-9]{1,9}"},
    {"(?:,[0-9]{3})*", "(?:,[0-9]{3}){0,4}"}};  // thousands groups of the number macros

// One pass: outside a bracket expression ("[\\s*:]": there "\\s*" is two members of the class,
// not a repetition), an unescaped occurrence of a rewrite's text is replaced; the bracket and
// escape state is carried along, so the pass is linear in the expression.
std::string RewriteRepeats(std::string_view expression) {
  std::string out;
  out.reserve(expression.size() + 32);
  bool inside = false;
  for (size_t i = 0; i < expression.size();) {
    if (!inside) {
      bool replaced = false;
      for (const auto& [from, to] : kRepeatRewrites) {
        // The first byte first: a compare per rewrite and byte was a tenth of a start-up's CPU.
        if (expression[i] == from[0] && expression.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    const char c = expression[i];
    if (c == '\\') {
      out += c;
      if (i + 1 < expression.size()) out += expression[i + 1];
      i += 2;  // an escaped character opens or closes nothing
      continue;
    }
    out += c;
    ++i;
    if (!inside && c == '[') {
      inside = true;
      // A ']' first in the class (after an optional '^') is a member.
      if (i < expression.size() && expression[i] == '^') out += expression[i++];
      if (i < expression.size() && expression[i] == ']') out += expression[i++];
    } else if (inside && c == ']') {
      inside = false;
    }
  }
  return out;
}

}  // namespace

std::string BoundRepetitions(std::string expression) {
  // Both passes change only a '*', a '+' or a "{n,}": most expressions have none.
  if (expression.find_first_of("*+") == std::string::npos &&
      expression.find(",}") == std::string::npos) {
    return expression;
  }
  return BoundOpenRepeats(RewriteRepeats(expression));
}

bool HasLatinLetters(std::string_view expression) {
  // Letters inside escapes (\s, \x{..}) do not count.
  for (size_t i = 0; i < expression.size(); ++i) {
    const char c = expression[i];
    if (c == '\\') {
      ++i;
      if (i < expression.size() && expression[i] == 'x') {
        while (i < expression.size() && expression[i] != '}') ++i;
      }
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  }
  return false;
}

Result<Grammar> Grammar::Load(const std::string& path) {
  auto data = ReadFile(path, size_t{8} << 20);
  if (!data) return data.error();
  rapidjson::Document doc;
  if (auto parsed = json::Parse(*data, path, &doc); !parsed) return parsed.error();
  if (!doc.IsObject()) return GrammarError(path, "", "the grammar must be a JSON object");

  Grammar grammar;
  if (auto it = doc.FindMember("version"); it != doc.MemberEnd() && it->value.IsString()) {
    grammar.version_ = it->value.GetString();
  }
  std::vector<std::pair<std::string, std::string>> macros;
  if (auto it = doc.FindMember("macros"); it != doc.MemberEnd() && it->value.IsObject()) {
    for (auto& m : it->value.GetObject()) {
      if (!m.value.IsString()) {
        return GrammarError(path, json::Pointer("/macros", m.name.GetString()),
                            "a macro must be a string");
      }
      macros.emplace_back(m.name.GetString(), m.value.GetString());
    }
  }
  macros.emplace_back("unit", UnitAlternation());

  auto read_entries = [&](const rapidjson::Value& list, const std::string& pointer, TokenKind kind,
                          Mood cue) -> Status {
    if (!list.IsArray()) return GrammarError(path, pointer, "expected an array of entries");
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const auto& e = list[i];
      const std::string p = json::Pointer(pointer, i);
      auto re = e.IsObject() ? e.FindMember("re") : e.MemberEnd();
      if (!e.IsObject() || re == e.MemberEnd() || !re->value.IsString()) {
        return GrammarError(path, p, "an entry needs a string 're'");
      }
      GrammarEntry entry;
      entry.kind = kind;
      entry.cue = cue;
      entry.expression = BoundRepetitions(Expand(re->value.GetString(), macros));
      if (auto l = e.FindMember("lang"); l != e.MemberEnd() && l->value.IsString()) {
        entry.lang = l->value.GetString();
      }
      auto flag = [&](const char* key) {
        auto f = e.FindMember(key);
        return f != e.MemberEnd() && f->value.IsBool() && f->value.GetBool();
      };
      entry.frequency.count = flag("count");
      entry.frequency.count_per_week = flag("count_per_week");
      entry.frequency.interval_hours = flag("interval_hours");
      entry.frequency.as_needed = flag("as_needed");
      entry.frequency.event = flag("event");
      entry.heading = kind == TokenKind::kCue && flag("heading");
      entry.opens = kind == TokenKind::kCue && flag("opens");
      if (auto f = e.FindMember("per_day"); f != e.MemberEnd() && f->value.IsNumber()) {
        entry.frequency.per_day = f->value.GetDouble();
      }
      SplitForScanner(&entry);
      grammar.entries_.push_back(std::move(entry));
    }
    return {};
  };

  static constexpr Section kSections[] = {{"dose", TokenKind::kDose},
                                          {"frequency", TokenKind::kFrequency},
                                          {"duration", TokenKind::kDuration},
                                          {"route", TokenKind::kRoute}};
  for (const auto& section : kSections) {
    auto it = doc.FindMember(section.name);
    if (it == doc.MemberEnd()) {
      return GrammarError(path, std::string("/") + section.name, "missing section");
    }
    if (auto s =
            read_entries(it->value, std::string("/") + section.name, section.kind, Mood::kUnmarked);
        !s) {
      return s.error();
    }
  }
  auto cues = doc.FindMember("cues");
  if (cues == doc.MemberEnd() || !cues->value.IsObject()) {
    return GrammarError(path, "/cues", "missing object 'cues'");
  }
  for (auto& m : cues->value.GetObject()) {
    Mood mood;
    const std::string pointer = json::Pointer("/cues", m.name.GetString());
    const std::string_view name = m.name.GetString();
    if (name == "address" || name == "overview_marker" || name == "clinician_marker" ||
        name == "relay") {
      // Document-type evidence and relayed quotations: these tokens set no mood and mask no cue.
      const size_t first = grammar.entries_.size();
      if (auto s = read_entries(m.value, pointer, TokenKind::kCue, Mood::kUnmarked); !s) {
        return s.error();
      }
      for (size_t i = first; i < grammar.entries_.size(); ++i) {
        GrammarEntry& e = grammar.entries_[i];
        (name == "address"           ? e.address
         : name == "overview_marker" ? e.overview_marker
         : name == "relay"           ? e.relay
                                     : e.clinician_marker) = true;
      }
      continue;
    }
    if (name.starts_with("frame_")) {
      // Who a part of the text is for (grammar.h Frame): these tokens set no mood.
      const Frame frame = name == "frame_other"    ? Frame::kOther
                          : name == "frame_story"  ? Frame::kStory
                          : name == "frame_script" ? Frame::kScript
                          : name == "frame_reader" ? Frame::kReader
                                                   : Frame::kNone;
      if (frame == Frame::kNone) {
        return GrammarError(path, pointer, "unknown cue type '" + std::string(name) + "'");
      }
      const size_t first = grammar.entries_.size();
      if (auto s = read_entries(m.value, pointer, TokenKind::kCue, Mood::kUnmarked); !s) {
        return s.error();
      }
      for (size_t i = first; i < grammar.entries_.size(); ++i) grammar.entries_[i].frame = frame;
      continue;
    }
    if (name == "disclaimer") {
      // A disclaimer ("I'm not a doctor", "作为AI助手", "لست طبيبا") says what the answer
      // is, not that it refuses: it masks the cues it overlaps ("不能" in "不能替代医生")
      // and sets no mood.
      if (auto s = read_entries(m.value, pointer, TokenKind::kCue, Mood::kUnmarked); !s) {
        return s.error();
      }
      continue;
    }
    if (name == "adopt") {
      // Directive cues that also adopt a described regimen for the reader.
      const size_t first = grammar.entries_.size();
      if (auto s = read_entries(m.value, pointer, TokenKind::kCue, Mood::kDirective); !s) {
        return s.error();
      }
      for (size_t i = first; i < grammar.entries_.size(); ++i) grammar.entries_[i].adopt = true;
      continue;
    }
    if (name == "consequence" || name == "note_marker" || name == "label_marker" ||
        name == "therapy" || name == "anaphor" || name == "author_marker") {
      const size_t first = grammar.entries_.size();
      const Mood as = name == "consequence"                              ? Mood::kConditional
                      : name == "note_marker" || name == "author_marker" ? Mood::kHistory
                      : name == "label_marker"                           ? Mood::kInformational
                                                                         : Mood::kUnmarked;
      if (auto s = read_entries(m.value, pointer, TokenKind::kCue, as); !s) return s.error();
      for (size_t i = first; i < grammar.entries_.size(); ++i) {
        GrammarEntry& e = grammar.entries_[i];
        (name == "consequence"     ? e.consequence
         : name == "note_marker"   ? e.note_marker
         : name == "author_marker" ? e.author_marker
         : name == "label_marker"  ? e.label_marker
         : name == "anaphor"       ? e.anaphor
                                   : e.therapy) = true;
      }
      continue;
    }
    if (!ParseMood(m.name.GetString(), &mood)) {
      return GrammarError(path, pointer,
                          "unknown cue type '" + std::string(m.name.GetString()) + "'");
    }
    if (auto s = read_entries(m.value, pointer, TokenKind::kCue, mood); !s) return s.error();
  }
  if (auto product = doc.FindMember("product"); product != doc.MemberEnd()) {
    if (auto s = read_entries(product->value, "/product", TokenKind::kProduct, Mood::kUnmarked);
        !s) {
      return s.error();
    }
  }
  if (auto herbal = doc.FindMember("herbal");
      herbal != doc.MemberEnd() && herbal->value.IsObject()) {
    if (auto decoction = herbal->value.FindMember("decoction");
        decoction != herbal->value.MemberEnd()) {
      if (!decoction->value.IsArray()) {
        return GrammarError(path, "/herbal/decoction", "expected an array of strings");
      }
      for (const auto& word : decoction->value.GetArray()) {
        if (!word.IsString() || word.GetStringLength() == 0) {
          return GrammarError(path, "/herbal/decoction", "words must be non-empty strings");
        }
        grammar.decoctions_.emplace_back(word.GetString());
      }
    }
    if (auto amount = herbal->value.FindMember("amount"); amount != herbal->value.MemberEnd()) {
      if (auto s = read_entries(amount->value, "/herbal/amount", TokenKind::kHerbAmount,
                                Mood::kUnmarked);
          !s) {
        return s.error();
      }
    }
  }
  if (auto words = doc.FindMember("words"); words != doc.MemberEnd()) {
    if (auto s = ReadWordLists(words->value, path, &grammar.words_); !s) return s.error();
  }
  if (auto question = doc.FindMember("question"); question != doc.MemberEnd()) {
    if (auto s = ReadQuestionCues(question->value, path, &grammar.question_cues_); !s) {
      return s.error();
    }
  }
  return grammar;
}

}  // namespace medaudit::extract
