// SentenceReader, part 3: lines that continue an earlier statement (a dose line after its drug,
// a dose line answering the question's drug, "the medication"), and headers for later lines.
#include <algorithm>

#include "extract/internal/attach.h"
#include "extract/internal/lexical.h"
#include "extract/internal/mood.h"
#include "extract/internal/sentence.h"

namespace medaudit::extract::internal {
namespace {

// How many sentences back "the medication" in a directive can refer to the drug named last (a
// Markdown answer lists the options, then gives the "How to use" steps in many short lines).
constexpr uint32_t kAnaphorReach = 16;
// How many sentences back an offer to follow a described regimen ("you can follow the same")
// reaches.
constexpr uint32_t kAdoptReach = 8;

// Whether a sentence is only a drug and its regimen ("Cipro for 2 days only."): the drug opens
// it (past list markup), an attribute follows it right away, and at most one short word
// ("only", "more") comes after.
bool RegimenFragment(std::string_view normalized, const text::Span& sentence,
                     const MedicationStatement& st, const std::vector<const Token*>& attributes) {
  const bool adjacent = std::any_of(attributes.begin(), attributes.end(), [&](const Token* a) {
    return a->span.begin >= st.drug_span.end && a->span.begin <= st.drug_span.end + 1;
  });
  if (!adjacent) return false;
  if (st.drug_span.begin != WordsBegin(normalized, sentence) ||
      st.span.begin != st.drug_span.begin || st.span.end > sentence.end ||
      st.span.end - st.drug_span.end > 32) {
    return false;
  }
  std::string_view after = Trim(normalized.substr(st.span.end, sentence.end - st.span.end));
  for (std::string_view stop : {".", ";", "!", "\xE3\x80\x82"}) {  // 。
    if (after.ends_with(stop)) after.remove_suffix(stop.size());
  }
  after = Trim(after);
  return after.size() <= 8 && after.find(' ') == std::string_view::npos;
}

// Whether the words before a drug recount the author's own use: a first-person subject ("我…吃了",
// "I had…", "I used…", "my…", "انا", "كنت", "جربت").
bool RecountsOwnUse(std::string_view before) {
  static constexpr std::string_view kFirstPerson[] = {"\xE6\x88\x91",  // 我
                                                      "i had ",
                                                      "i used ",
                                                      "i took ",
                                                      "i gave ",
                                                      "i was ",
                                                      "i've ",
                                                      "i have been ",
                                                      "i tried ",
                                                      "my ",
                                                      "\xD8\xA7\xD9\x86\xD8\xA7 ",         // انا
                                                      "\xD9\x83\xD9\x86\xD8\xAA ",         // كنت
                                                      "\xD8\xAC\xD8\xB1\xD8\xA8\xD8\xAA",  // جربت
                                                      "\xD8\xA7\xD8\xAE\xD8\xB0\xD8\xAA"};  // اخذت
  return std::any_of(std::begin(kFirstPerson), std::end(kFirstPerson), [&](std::string_view w) {
    const size_t at = before.find(w);
    // Latin words start a word.
    return at != std::string_view::npos &&
           (at == 0 || static_cast<unsigned char>(w.front()) >= 0x80 || before[at - 1] == ' ');
  });
}

// Whether a question asks for an amount, a length or a time (grammar `words.asks_amount`).
bool AsksAmount(std::string_view question, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return ContainsWord(question, w); });
}

// Whether a prohibition is one of stopping abruptly ("don't stop it suddenly", "不要突然停药",
// "ما بصير توقفه فجأة"): it keeps the drug going, so a dose line after it is the taper.
bool ForbidsAbruptStop(std::string_view sentence) {
  static constexpr std::string_view kWords[] = {
      "suddenly",
      "abruptly",
      "all at once",
      "cold turkey",
      "\xE7\xAA\x81\xE7\x84\xB6",                                            // 突然
      "\xE9\xAA\xA4\xE7\x84\xB6",                                            // 骤然
      "\xE4\xB8\x80\xE4\xB8\x8B\xE5\xAD\x90",                                // 一下子
      "\xD9\x81\xD8\xAC\xD8\xA7\xD9\x87",                                    // فجاه
      "\xD9\x85\xD8\xB1\xD9\x87 \xD9\x88\xD8\xA7\xD8\xAD\xD8\xAF\xD9\x87"};  // مره واحده
  return std::any_of(std::begin(kWords), std::end(kWords), [&](std::string_view w) {
    return sentence.find(w) != std::string_view::npos;
  });
}

// The moods in which a line may continue the statement before it.
bool MayContinue(Mood here) {
  return here == Mood::kUnmarked || here == Mood::kDirective || here == Mood::kRxForm;
}

// Whether a line is a numbered list item ("3. …", "3) …"), past spaces and emphasis.
bool OpensWithNumber(std::string_view normalized, const text::Span& sentence) {
  size_t i = sentence.begin;
  while (i < sentence.end && (normalized[i] == ' ' || normalized[i] == '\n')) ++i;
  const size_t digits = i;
  while (i < sentence.end && IsDigit(normalized[i])) ++i;
  return i > digits && i < sentence.end && (normalized[i] == '.' || normalized[i] == ')');
}

bool HasKind(const std::vector<const Token*>& tokens, TokenKind kind) {
  return std::any_of(tokens.begin(), tokens.end(), [&](const Token* a) { return a->kind == kind; });
}

// Whether a line is a bulleted or numbered list item ("- …", "* …", "• …", "3. …", "👉 …",
// "➡ …", "1⃣ …").
bool IsListItem(std::string_view normalized, const text::Span& sentence) {
  const uint32_t words = WordsBegin(normalized, sentence);
  const std::string_view markup = normalized.substr(sentence.begin, words - sentence.begin);
  if (markup.find_first_of("-*") != std::string_view::npos) return true;
  if (OpensWithNumber(normalized, sentence)) return true;
  for (size_t i = 0; i < markup.size(); ++i) {
    if (BulletSymbolSize(markup, i) > 0) return true;
  }
  return Trim(normalized.substr(words, sentence.end - words)).starts_with("\xE2\x80\xA2");  // •
}

// Whether `text` opens with one of the words as a whole word (a Latin or Arabic word must end
// there; Chinese needs no end).
bool OpensWithWord(std::string_view text, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    if (w.empty() || !text.starts_with(w)) return false;
    if (text.size() == w.size() || static_cast<unsigned char>(w.front()) >= 0xE0) return true;
    const auto next = static_cast<unsigned char>(text[w.size()]);
    return !IsAsciiLetterOrDigit(next) && !IsArabicLead(next);
  });
}

// Whether a heading line holds one of the words (a Latin or Arabic word must stand alone:
// "dose" is not in "overdosed"; a Chinese word needs no boundary).
bool NamesUsage(std::string_view line, const std::vector<std::string>& words) {
  const auto word_byte = [&](size_t i) {
    const auto c = static_cast<unsigned char>(line[i]);
    return IsAsciiLetterOrDigit(c) || IsArabicLead(c);
  };
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    for (size_t at = line.find(w); !w.empty() && at != std::string_view::npos;
         at = line.find(w, at + 1)) {
      if (static_cast<unsigned char>(w.front()) >= 0xE0) return true;
      const size_t end = at + w.size();
      if ((at == 0 || !word_byte(at - 1)) && (end == line.size() || !word_byte(end))) return true;
    }
    return false;
  });
}

// Whether a stretch of text holds a word: a Latin or Arabic word, or two Chinese characters.
bool HoldsWord(std::string_view gap) {
  size_t cjk = 0;
  for (size_t i = 0; i < gap.size(); ++i) {
    const auto c = static_cast<unsigned char>(gap[i]);
    if (IsAsciiLetter(c) || IsArabicLead(c)) return true;
    if (c >= 0xE4 && c <= 0xE9) ++cjk;  // the lead byte of a CJK ideograph
  }
  return cjk >= 2;
}

// Whether the words before a directive verb in its clause are only a word of politeness or a
// connective ("please", "kindly", "so", "then", "请", "就", "من فضلك"): the verb still opens it.
bool OnlyPoliteLead(std::string_view lead) {
  static constexpr std::string_view kLeads[] = {
      "please",
      "kindly",
      "so",
      "then",
      "now",
      "so please",
      "\xE8\xAF\xB7",                                        // 请
      "\xE5\xB0\xB1",                                        // 就
      "\xE7\x8E\xB0\xE5\x9C\xA8",                            // 现在
      "\xE9\xA9\xAC\xE4\xB8\x8A",                            // 马上
      "\xD8\xA7\xD9\x84\xD8\xA7\xD9\x86",                    // الان
      "\xE6\x89\x80\xE4\xBB\xA5",                            // 所以
      "\xD9\x84\xD8\xB0\xD9\x84\xD9\x83",                    // لذلك
      "\xD9\x84\xD9\x87\xD8\xB0\xD8\xA7",                    // لهذا
      "\xD8\xA7\xD8\xB0\xD9\x86",                            // اذن
      "\xD9\x85\xD9\x86 \xD9\x81\xD8\xB6\xD9\x84\xD9\x83"};  // من فضلك
  return internal::IsEmptyOrOneOf(lead, kLeads);
}

}  // namespace

// Whether a drug is the contrasted term of a comparison, not the topic of its sentence:
// "amoxicillin is different from penicillin", "unlike penicillin", "compared with penicillin",
// "الاموكسيسيلين يختلف عن البنسلين", "مقارنة بالبنسلين", "阿莫西林和青霉素不一样", "比青霉素".
bool Contrasted(std::string_view normalized, const text::Span& sentence,
                const MedicationStatement& st, const WordLists& words) {
  std::string_view before = normalized.substr(sentence.begin, st.drug_span.begin - sentence.begin);
  // Past an article or an Arabic proclitic article ("from the penicillin", "عن البنسلين").
  for (std::string_view article :
       {"\xD8\xA8\xD8\xA7\xD9\x84", "\xD9\x84\xD9\x84", "\xD8\xA7\xD9\x84"}) {  // بال لل ال
    if (before.ends_with(article)) {
      before.remove_suffix(article.size());
      break;
    }
  }
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (std::string_view article : {" the", " your", " a"}) {
    if (before.ends_with(article)) before.remove_suffix(article.size());
  }
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  const auto ends_with_word = [&](const std::string& w) {
    if (w.empty() || !before.ends_with(w)) return false;
    const size_t at = before.size() - w.size();
    return at == 0 || static_cast<unsigned char>(w.front()) >= 0xE0 || before[at - 1] == ' ';
  };
  if (std::any_of(words.contrast_before.begin(), words.contrast_before.end(), ends_with_word)) {
    return true;
  }
  const std::string_view after =
      normalized.substr(st.drug_span.end, sentence.end - st.drug_span.end);
  return std::any_of(words.contrast_after.begin(), words.contrast_after.end(),
                     [&](const std::string& w) { return !w.empty() && after.starts_with(w); });
}

// "Cipro for 2 days only.": a bare line that is only a drug and how long to take it is a
// prescription line.
void SentenceReader::MarkRegimenFragments() {
  for (size_t i = first_new_; i < out_.size(); ++i) {
    MedicationStatement& st = out_[i];
    if (st.mood == Mood::kUnmarked && !st.has_dose() && st.has_duration() &&
        IsLexiconDrug(st.drug) && RegimenFragment(normalized_, sentence_, st, attributes_)) {
      st.mood = Mood::kRxForm;
    }
  }
}

// A dose line that continues the previous sentence's drug: "建议服用布洛芬。一次1粒，一日2次。"
void SentenceReader::ContinuePreviousSentence() {
  if (out_.size() == first_new_ && !attributes_.empty() && !out_.empty() &&
      out_.back().drug != kHerbalRecipe &&
      (out_.back().sentence + 1 >= s_ ||
       (out_.back().sentence + 2 == s_ && RegimenLine(ResolveMood(attributes_.front()->span))) ||
       NextStep() || (usage_line_ = UsageLine()) || BlockStep() || (step_up_ = StepUpLine()) ||
       ChangesRecountedDrug())) {
    continued_ = ContinueWith(attributes_);
  }
}

// "I was on escitalopram 10mg… When my GP finally bumped me up it made a huge difference. My two
// cents: you should go up to 15mg every morning", "你之前吃的是舍曲林50mg。…。我建议加到每天100mg":
// a drugless line a few sentences after a drug recounted as history (no other drug between) that
// sets a new amount with a directive of its own instructs a change of that drug.
bool SentenceReader::ChangesRecountedDrug() const {
  constexpr uint32_t kChangeReach = 3;
  const MedicationStatement& last = out_.back();
  if (last.mood != Mood::kHistory || !IsLexiconDrug(last.drug) || s_ <= last.sentence ||
      s_ > last.sentence + kChangeReach || !SetsNewAmount(attributes_)) {
    return false;
  }
  const uint32_t from = text_.sentences[last.sentence].end;
  const bool other_drug =
      std::any_of(text_.tokens.begin(), text_.tokens.end(), [&](const Token& t) {
        return t.span.begin >= from && t.span.end <= sentence_.begin &&
               (t.kind == TokenKind::kDrug || t.kind == TokenKind::kProduct ||
                t.kind == TokenKind::kHerbAmount);
      });
  return !other_drug && AsRead(ResolveMood(attributes_.front()->span), attributes_.front()->span) ==
                            Mood::kDirective;
}

// "She's on gabapentin 300 mg at night.\nLet's go up slowly:\n1⃣ this week → 300 mg twice a
// day", "هي حاليا على ليريكا ٧٥ ملغ\n\nنزيدها شوي شوي:\n1⃣ …": dose steps under a line that
// announces a stepwise change (grammar `words.step_up`) continue the drug named last, at most
// kStepUpReach lines back, when no line between names another drug. The steps are new
// instructions for it.
bool SentenceReader::StepUpLine() const {
  constexpr uint32_t kStepUpReach = 8;
  const MedicationStatement& last = out_.back();
  if (s_ <= last.sentence || s_ > last.sentence + kStepUpReach || !IsLexiconDrug(last.drug) ||
      last.mood == Mood::kNegated || last.allergy || !HasKind(attributes_, TokenKind::kDose)) {
    return false;
  }
  const uint32_t from = text_.sentences[last.sentence].end;
  const bool other_drug =
      std::any_of(text_.tokens.begin(), text_.tokens.end(), [&](const Token& t) {
        return t.span.begin >= from && t.span.end <= sentence_.begin &&
               (t.kind == TokenKind::kDrug || t.kind == TokenKind::kProduct);
      });
  if (other_drug) return false;
  const auto& step_up = grammar_.words().step_up;
  for (uint32_t t = last.sentence; t < s_; ++t) {
    const text::Span& line = text_.sentences[t];
    const std::string_view words = normalized_.substr(line.begin, line.size());
    if (std::any_of(step_up.begin(), step_up.end(), [&](const std::string& w) {
          return !w.empty() && words.find(w) != std::string_view::npos;
        })) {
      return true;
    }
  }
  return false;
}

// Whether sentences `from` < `to` are lines of one block: each of the sentences after `from` up
// to `to` opens a line, and no blank line lies between ("💊 X\n👉 …\n👉 …").
bool SentenceReader::SameBlock(uint32_t from, uint32_t to) const {
  if (from >= to) return false;
  for (uint32_t t = from + 1; t <= to; ++t) {
    const text::Span& line = text_.sentences[t];
    const uint32_t gap_begin = text_.sentences[t - 1].end;
    const uint32_t words = WordsBegin(normalized_, line);
    if (gap_begin > words) return false;
    const std::string_view gap = normalized_.substr(gap_begin, words - gap_begin);
    const size_t first = gap.find('\n');
    if (first == std::string_view::npos) return false;
    const size_t second = gap.find('\n', first + 1);
    if (second != std::string_view::npos &&
        gap.substr(first + 1, second - first - 1).find_first_not_of(" \t") ==
            std::string_view::npos) {
      return false;  // a blank line
    }
  }
  return true;
}

// Whether a statement's drug stands on a heading line: a line with no mood cue of its own
// ("💊 Amoxicillin 250 mg/5 ml", "**布洛芬混悬液**"), or one ending with a colon ("👉 دواء الكحة:
// بروسبان" is cue-free too). A line that is a whole instruction of its own ("- Use clotrimazole
// cream on the rash.") is no heading: the list items under it are instructions of their own.
bool SentenceReader::OnHeadingLine(const MedicationStatement& st) const {
  uint32_t t = st.sentence;
  while (t > 0 && text_.sentences[t].begin > st.drug_span.begin) --t;
  const text::Span& line = text_.sentences[t];
  const std::string_view words = normalized_.substr(line.begin, line.size());
  if (EndsWithColon(words)) return true;
  // A sentence ("Ibuprofen helps with cramps.") is no heading.
  std::string_view trimmed = words;
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\n')) {
    trimmed.remove_suffix(1);
  }
  for (std::string_view stop : {".", "!", "?", "\xE3\x80\x82", "\xEF\xBC\x81"}) {  // 。！
    if (trimmed.ends_with(stop)) return false;
  }
  return std::none_of(text_.tokens.begin(), text_.tokens.end(), [&](const Token& k) {
    return k.kind == TokenKind::kCue && k.cue != Mood::kUnmarked && Inside(k.span, line);
  });
}

// Whether the line opens with a directive cue, past at most a short lead-in with no label colon
// ("give 2 mg", "at bedtime, apply …", "睡前，涂…"), not "剂型：每周一次皮下注射".
bool SentenceReader::OpensWithDirective() const {
  constexpr uint32_t kLeadIn = 16;
  const uint32_t begin = WordsBegin(normalized_, sentence_);
  return std::any_of(cues_.begin(), cues_.end(), [&](const Token* c) {
    if (c->cue != Mood::kDirective || c->span.begin < begin || c->span.begin > begin + kLeadIn) {
      return false;
    }
    return normalized_.substr(begin, c->span.begin - begin).find(':') == std::string_view::npos;
  });
}

// "布地奈德混悬液 1mg\n➡ 加生理盐水雾化\n➡ 每天2次，用3天", "Ciprodex ear drops\n1. 4 drops\n2.
// twice a day": a messaging-app answer puts the drug on a line of its own and its steps on the
// lines under it, one a line, bulleted or not. A line with attributes and no drug continues the
// drug named last when that drug stands on a heading line (OnHeadingLine), both are lines of one
// block (no blank line between), no line between names a drug or gives an amount, and at most
// kBlockReach lines lie between.
bool SentenceReader::BlockStep() const {
  constexpr uint32_t kBlockReach = 8;
  const MedicationStatement& last = out_.back();
  if (s_ <= last.sentence + 1 || s_ > last.sentence + kBlockReach || !IsLexiconDrug(last.drug) ||
      !RefersBack(last.mood) || !anaphors_.empty() || !SameBlock(last.sentence, s_) ||
      !OnHeadingLine(last)) {
    return false;  // (a line with "the medication" is ResolveAnaphor's)
  }
  const uint32_t from = text_.sentences[last.sentence].end;
  return std::none_of(text_.tokens.begin(), text_.tokens.end(), [&](const Token& t) {
    return t.span.begin >= from && t.span.end <= sentence_.begin &&
           (t.kind == TokenKind::kDose || t.kind == TokenKind::kHerbAmount ||
            t.kind == TokenKind::kDrug || t.kind == TokenKind::kProduct);
  });
}

// "Ponstan works well for period pain.\n\n**How to use it:**\n- Start on the first day.\n- Take
// one 500 mg tablet every 4 hours.", "布洛芬是常用的止痛药。\n**用法：**\n- 先多喝水。\n-
// 每次800毫克": a chat answer names its drug, then gives the dose a few lines later, under a usage
// header. A dose line with no drug of its own continues the drug named last (at most kUsageReach
// sentences back) when that drug is the only one named in reach, no line between names a drug or
// gives an amount, and the line opens with a directive verb or comes under a line ending with a
// colon, or under a Markdown heading or bold line that names the usage (grammar
// `words.usage_headings`: "# Metformin for longevity\n…\n## Dosing\n- 500 mg with dinner",
// "## 咖啡因片使用方案\n| 7:00 | 2 片（400 mg） |") (the drug's own line included).
bool SentenceReader::UsageLine() const {
  constexpr uint32_t kUsageReach = 6;
  const MedicationStatement& last = out_.back();
  if (s_ <= last.sentence + 1 || s_ > last.sentence + kUsageReach || !IsLexiconDrug(last.drug) ||
      !RefersBack(last.mood) || !HasKind(attributes_, TokenKind::kDose)) {
    return false;
  }
  // (A drug named only as the contrasted term, "优思明以外另一种X", is no second drug in reach.)
  for (size_t i = out_.size(); i-- > 0 && out_[i].sentence + kUsageReach >= s_;) {
    if (out_[i].drug != last.drug &&
        !Contrasted(normalized_, text_.sentences[out_[i].sentence], out_[i], grammar_.words())) {
      return false;
    }
  }
  const uint32_t from = text_.sentences[last.sentence].end;
  const bool between = std::any_of(text_.tokens.begin(), text_.tokens.end(), [&](const Token& t) {
    return t.span.begin >= from && t.span.end <= sentence_.begin &&
           (t.kind == TokenKind::kDose || t.kind == TokenKind::kHerbAmount ||
            t.kind == TokenKind::kDrug || t.kind == TokenKind::kProduct);
  });
  if (between) return false;
  const uint32_t begin = WordsBegin(normalized_, sentence_);
  const bool imperative = std::any_of(cues_.begin(), cues_.end(), [&](const Token* c) {
    return c->cue == Mood::kDirective && c->span.begin == begin;
  });
  // (The drug's own line may end with the colon: "X的服用安排：", "Here is how to take X:".)
  bool under_colon = false;
  for (uint32_t t = last.sentence; t < s_ && !under_colon; ++t) {
    const text::Span& line = text_.sentences[t];
    const std::string_view words = normalized_.substr(line.begin, line.size());
    under_colon = EndsWithColon(words) || ((IsMarkdownHeading(words) || IsBoldLine(words)) &&
                                           NamesUsage(words, grammar_.words().usage_headings));
  }
  return imperative || under_colon;
}

// "1. Apply permethrin cream to the whole body.\n2. Leave it on overnight.\n3. Repeat after 7
// days.": in numbered steps that direct a drug, a later step with a schedule and no drug of its
// own continues it, over steps that name no drug and give no amount (at most kStepReach back).
bool SentenceReader::NextStep() const {
  constexpr uint32_t kStepReach = 3;
  const MedicationStatement& last = out_.back();
  if (last.mood != Mood::kDirective || s_ > last.sentence + kStepReach ||
      !OpensWithNumber(normalized_, sentence_)) {
    return false;
  }
  const uint32_t from = text_.sentences[last.sentence + 1].begin;
  return std::none_of(text_.tokens.begin(), text_.tokens.end(), [&](const Token& t) {
    return t.span.begin >= from && t.span.end <= sentence_.begin && t.kind != TokenKind::kCue;
  });
}

// A dose clause before any drug of its sentence that no drug of it takes continues the previous
// sentence's drug: "甲氨蝶呤是…基础药。每天早饭后吃3片（7.5毫克），…同时补充叶酸。"
void SentenceReader::ContinueWithOrphans() {
  if (!orphans_.empty() && out_.size() > first_new_ && first_new_ > 0 &&
      out_[first_new_ - 1].drug != kHerbalRecipe && out_[first_new_ - 1].sentence + 1 == s_ &&
      orphans_.back()->span.end <= out_[first_new_].drug_span.begin) {
    ContinueWith(orphans_);
  }
}

// "我之前也是这样，后来吃了氯雷他定好了。你每天睡前吃一片10mg的，连吃一周试试。", "I used
// clotrimazole cream for mine. You rub it in twice a day for 2 weeks.": after the author recounts
// their own use of a drug, a directive line that speaks to the reader (a word of address or an
// imperative that opens it: "Just take 2 after every runny poo") and gives an amount or a
// schedule tells the reader to do the same: a new instruction, not more of the anecdote. (A
// doctor's prescription restated to the reader stays history: only the author's own use lends.)
bool SentenceReader::TellsReaderToFollow(size_t p, const Tokens& line, Mood here) const {
  if (!(addresses_reader_ || OpensWithDirective()) ||
      AsRead(here, line.front()->span) != Mood::kDirective ||
      !(HasKind(line, TokenKind::kDose) || HasKind(line, TokenKind::kFrequency))) {
    return false;
  }
  const text::Span& told = text_.sentences[out_[p].sentence];
  const std::string_view before = normalized_.substr(
      told.begin, out_[p].drug_span.begin - std::min(told.begin, out_[p].drug_span.begin));
  return RecountsOwnUse(before);
}

// Gives a line to the statement it continues when the line's mood allows. Whether it did.
bool SentenceReader::ContinueWith(const Tokens& line) {
  const size_t p = ContinuedStatement();
  if (p >= first_new_) return false;
  const Mood here = ResolveMood(line.front()->span);
  if (out_[p].mood == Mood::kHistory && (step_up_ || SetsNewAmount(line)) &&
      InstructsChange(line.front()->span, here)) {
    AddAdjustment(p, line);
    return true;
  }
  if (out_[p].mood == Mood::kHistory && TellsReaderToFollow(p, line, here)) {
    AddAdjustment(p, line);
    return true;
  }
  // "ما بصير توقف البريدنيزولون فجأة. نزّل لـ ٢٠ ملغ يومياً لمدة ٥ أيام…", "Don't stop the
  // prednisolone suddenly. Go down to 20 mg a day for 5 days, …": after a prohibition of stopping
  // abruptly, a directive dose line is the taper of the same drug, a new instruction.
  if (out_[p].mood == Mood::kNegated && out_[p].sentence + 1 == s_ &&
      AsRead(here, line.front()->span) == Mood::kDirective && HasKind(line, TokenKind::kDose)) {
    const text::Span& told = text_.sentences[out_[p].sentence];
    if (ForbidsAbruptStop(normalized_.substr(told.begin, told.size()))) {
      AddAdjustment(p, line);
      return true;
    }
  }
  // The described drug takes the new amount ("the amount read before" is replaced) and the
  // instruction's mood.
  if (ChangesDescribedDrug(p, line)) {
    ContinueInto(p, line, here);
    out_[p].mood = Mood::kDirective;
    return true;
  }
  // A cap reads as a prohibition ("do not take more than") or as information ("不超过").
  if ((here == Mood::kNegated || here == Mood::kInformational) && AddDayCap(p, line)) return true;
  if (!MayContinue(here) || OpensOwnInstruction(p, line)) return false;
  if (ContinuesPrescribed(p, line, here)) {
    AddAdjustment(p, line);
    return true;
  }
  ContinueInto(p, line, here);
  return true;
}

// "Your doctor prescribed amoxicillin. Keep taking it: 500 mg three times a day.", "医生给你开了
// 阿莫西林。继续吃它，每次0.5g，一天3次": a directive line that refers back to a drug recounted
// as history ("it", "the medicine") and gives its schedule is a new instruction for that drug.
bool SentenceReader::ContinuesPrescribed(size_t p, const Tokens& line, Mood here) const {
  if (out_[p].mood != Mood::kHistory || AsRead(here, line.front()->span) != Mood::kDirective ||
      !OpensWithDirective()) {
    return false;
  }
  if (!anaphors_.empty()) return true;
  // Else the verb's object is a pronoun or nothing ("keep taking it:", "继续吃，每次…").
  const uint32_t begin = WordsBegin(normalized_, sentence_);
  const auto verb = std::find_if(cues_.begin(), cues_.end(), [&](const Token* c) {
    return c->cue == Mood::kDirective && c->span.begin >= begin;
  });
  // (A route the verb says is no object: "舌下含服1片" gives its amount to the verb.)
  const auto object = std::find_if(line.begin(), line.end(),
                                   [](const Token* a) { return a->kind != TokenKind::kRoute; });
  if (object == line.end()) return false;
  const uint32_t first = (*object)->span.begin;
  if (verb == cues_.end() || (*verb)->span.end > first) return false;
  // A chain of verbs is one verb: "继续吃它" (continue eating it), "keep on taking it".
  uint32_t verb_end = (*verb)->span.end;
  for (auto next = verb + 1; next != cues_.end(); ++next) {
    const Token* c = *next;
    if (c->cue != Mood::kDirective || c->span.begin < verb_end || c->span.end > first ||
        !Trim(normalized_.substr(verb_end, c->span.begin - verb_end)).empty()) {
      break;
    }
    verb_end = c->span.end;
  }
  std::string_view gap = normalized_.substr(verb_end, first - verb_end);
  while (!gap.empty() && std::string_view(" :,*").find(gap.front()) != std::string_view::npos) {
    gap.remove_prefix(1);
  }
  for (std::string_view pronoun : {"it", "them", "\xE5\xAE\x83"}) {  // 它
    if (gap.starts_with(pronoun)) gap.remove_prefix(pronoun.size());
  }
  while (!gap.empty() && std::string_view(" :,*").find(gap.front()) != std::string_view::npos) {
    gap.remove_prefix(1);
  }
  return gap.empty() || OpensWithWord(gap, grammar_.words().generic_medicine);
}

// "- Stop your insulin during the fast\n- Drink water after breakfast": a list item after the
// item that names the drug, opening with a directive verb of its own whose object is something
// else (a word after the verb, before the line's first attribute, that is not a place, a manner
// or a reference to the drug), is a new instruction, as after a sentence end: its schedule is not
// the drug's. A line with a dose, or one that refers back ("the cream"), still continues.
bool SentenceReader::OpensOwnInstruction(size_t p, const Tokens& line) const {
  const MedicationStatement& previous = out_[p];
  // "3. 包扎：用纱布盖好，每天换两次。", "3. Dressing: cover with gauze, change it twice a day.": a
  // line that names a non-drug treatment (grammar `therapy`) before its schedule and gives no
  // amount schedules that treatment, not the drug of the line before.
  if (!therapies_.empty() && !HasKind(line, TokenKind::kDose) && anaphors_.empty() &&
      therapies_.front()->span.begin < line.front()->span.begin) {
    return true;
  }
  // "- Skip your insulin while you can't eat.\n- Check your glucose every 2–4 hours.": a schedule
  // with no amount in the item after a drug stopped with none of its own is not the stopped drug's.
  if (previous.mood == Mood::kNegated && previous.sentence + 1 == s_ && !previous.has_dose() &&
      !previous.has_frequency() && !HasKind(line, TokenKind::kDose) &&
      IsListItem(normalized_, sentence_) &&
      IsListItem(normalized_, text_.sentences[previous.sentence])) {
    return true;
  }
  if (previous.sentence + 1 != s_ || previous.mood == Mood::kUnmarked ||
      HasKind(line, TokenKind::kDose) || !anaphors_.empty() ||
      !IsListItem(normalized_, sentence_) ||
      !IsListItem(normalized_, text_.sentences[previous.sentence])) {
    return false;
  }
  const uint32_t begin = WordsBegin(normalized_, sentence_);
  const auto verb = std::find_if(cues_.begin(), cues_.end(), [&](const Token* c) {
    return c->cue == Mood::kDirective && c->span.begin == begin;
  });
  if (verb == cues_.end() || line.front()->span.begin <= (*verb)->span.end) return false;
  const uint32_t to = line.front()->span.begin;
  uint32_t from = (*verb)->span.end;  // past any further cue ("continue to take")
  for (const Token* c : cues_) {
    if (c->span.begin >= from && c->span.end <= to) from = c->span.end;
  }
  // Past the rest of the verb's Latin or Arabic word: a clitic pronoun ("ضعه", "خذيها") is no
  // object. (Chinese has no word ends: a character after the verb is its object.)
  auto in_word = [&](uint32_t i) {
    const auto c = static_cast<unsigned char>(normalized_[i]);
    return c != ' ' && !IsDigit(normalized_[i]) && c < 0xE0;  // 0xE0+: a 3-byte character
  };
  while (from < to && in_word(from)) ++from;
  std::string_view gap = normalized_.substr(from, to - from);
  while (!gap.empty() && std::string_view(" *_").find(gap.front()) != std::string_view::npos) {
    gap.remove_prefix(1);
  }
  const WordLists& words = grammar_.words();
  return !OpensWithWord(gap, words.no_object_after) &&
         !OpensWithWord(gap, words.generic_medicine) && HoldsWord(gap);
}

// "Take 2 tablets every 4 hours. Do not take more than 12 tablets a day.", "每日不超过12片。",
// "لا تتجاوز ١٢ قرصا في اليوم.": a prohibition line whose every amount is a day total caps the
// regimen of the drug before it: the totals become its daily_total (the mood stays the
// regimen's). Whether it did.
bool SentenceReader::AddDayCap(size_t p, const Tokens& line) {
  MedicationStatement& previous = out_[p];
  if (!previous.has_dose() || !previous.has_frequency() || previous.mood == Mood::kNegated) {
    return false;
  }
  Tokens totals;
  for (const Token* a : line) {
    if (a->kind != TokenKind::kDose) continue;
    if (!StatesDayTotalAt(normalized_, a->span, grammar_.words())) return false;
    totals.push_back(a);
  }
  if (totals.empty()) return false;
  for (const Token* a : totals) Attach(&previous, *a, normalized_, grammar_);
  return previous.daily_total.has_value();
}

// Whether a line that sets a new amount for a drug the reader takes instructs the change: a
// directive of its own ("下周起加到每天100毫克"), or a bare list item under the line that
// recounts the current dose ("您目前每晚12单位：\n- 每3天增加2个单位"): the history header
// describes what the reader takes, not the items that change it.
bool SentenceReader::InstructsChange(const text::Span& at, Mood here) const {
  if (AsRead(here, at) == Mood::kDirective) return true;
  const bool list_item = WordsBegin(normalized_, sentence_) > sentence_.begin;
  const bool own_cue = MoodAt(normalized_, at, cues_, &drugs_) != Mood::kUnmarked;
  return list_item && !own_cue && (here == Mood::kUnmarked || here == Mood::kHistory) &&
         AsRead(Mood::kDirective, at) == Mood::kDirective;
}

// "Levetiracetam is usually started low.\n\nYou've had no drowsiness at 250 mg twice a day, so go
// up to 500 mg twice a day", "卡马西平说明书写的是“…逐渐加量”[1]。\n\n你现在…，从明天起把剂量加到
// 每次200mg": a line that sets a new amount of the drug just described or quoted from its leaflet,
// with an imperative near the start of its clause ("so go up to", "زد الجرعه الي", "从明天起把剂量
// 加到"), instructs a change of that drug. A described option ("它可以加到…", "doses can be
// increased to…") has no such imperative.
bool SentenceReader::ChangesDescribedDrug(size_t p, const Tokens& line) const {
  constexpr uint32_t kLeadBytes = 24;  // "从明天起把剂量" before "加到"
  if (out_[p].mood != Mood::kInformational && out_[p].mood != Mood::kUnmarked) return false;
  return std::any_of(line.begin(), line.end(), [&](const Token* a) {
    if (a->kind != TokenKind::kDose || !SetsNewAmount({a}) ||
        AsRead(ResolveMood(a->span), a->span) != Mood::kDirective) {
      return false;
    }
    const Token* verb = GoverningCue(a->span, cues_);
    if (verb == nullptr || verb->cue != Mood::kDirective || verb->span.end > a->span.begin) {
      return false;
    }
    const uint32_t begin = ClauseBegin(verb->span.begin);
    const bool modified = std::any_of(cues_.begin(), cues_.end(), [&](const Token* c) {
      return c->cue != Mood::kDirective && c->span.begin >= begin && c->span.end <= a->span.begin;
    });
    // A modal or a condition before the verb offers an option ("重症可增至", "血压控制不好时",
    // "can be", "if needed").
    static constexpr std::string_view kOption[] = {"\xE5\x8F\xAF",              // 可
                                                   "\xE6\x97\xB6",              // 时
                                                   "\xE5\xA6\x82\xE6\x9E\x9C",  // 如果
                                                   "can ",
                                                   "may ",
                                                   "could ",
                                                   "if ",
                                                   "when ",
                                                   "\xD9\x8A\xD9\x85\xD9\x83\xD9\x86",  // يمكن
                                                   "\xD8\xA7\xD8\xB0\xD8\xA7"};         // اذا
    const std::string_view lead = normalized_.substr(begin, a->span.begin - begin);
    bool option = std::any_of(std::begin(kOption), std::end(kOption),
                              [&](std::string_view w) { return lead.find(w) != lead.npos; });
    // "您可以从今天起改成每天3.75mg": a modal after a word of address is advice to the reader, not
    // a described option.
    for (std::string_view you : {"\xE6\x82\xA8\xE5\x8F\xAF",     // 您可
                                 "\xE4\xBD\xA0\xE5\x8F\xAF"}) {  // 你可
      const size_t at = lead.find(you);
      if (at != std::string_view::npos &&
          lead.find("\xE5\x8F\xAF", at + you.size()) == std::string_view::npos &&
          lead.find("\xE6\x97\xB6") == std::string_view::npos &&
          lead.find("\xE5\xA6\x82\xE6\x9E\x9C") == std::string_view::npos) {
        option = false;
      }
    }
    return !modified && !option && verb->span.begin - begin <= kLeadBytes;
  });
}

// Whether a line sets a new amount: a dose after "加到", "increase to", "زود الي" (grammar
// `words.raise_to`) in its clause ("下周起加到每天100毫克").
bool SentenceReader::SetsNewAmount(const Tokens& line) const {
  const auto& raise_to = grammar_.words().raise_to;
  return std::any_of(line.begin(), line.end(), [&](const Token* a) {
    if (a->kind != TokenKind::kDose) return false;
    // (48 bytes: "زود الجرعه الي" is 27.)
    const uint32_t from = std::max(sentence_.begin, a->span.begin > 48 ? a->span.begin - 48 : 0);
    std::string_view before = normalized_.substr(from, a->span.begin - from);
    for (std::string_view boundary : {",", ";", ":", "\xEF\xBC\x8C", "\xE3\x80\x82"}) {
      const size_t cut = FindLast(before, boundary);
      if (cut != std::string_view::npos) before.remove_prefix(cut + boundary.size());
    }
    // "increase it from one tablet a day to two tablets", "زودها من حبه الي حبتين": the amount
    // after "from … to" is the new one.
    const std::string_view trimmed = Trim(before);
    if ((trimmed.ends_with(" to") || trimmed.ends_with(" \xD8\xA7\xD9\x84\xD9\x8A")) &&  // الي
        (before.find("from ") != std::string_view::npos ||
         before.find("\xD9\x85\xD9\x86 ") != std::string_view::npos)) {  // من
      return true;
    }
    return std::any_of(raise_to.begin(), raise_to.end(), [&](const std::string& w) {
      return before.find(w) != std::string_view::npos;
    });
  });
}

// A directive line that changes the amount of a drug the reader takes ("舍曲林吃了4周50毫克…。
// 下周起加到每天100毫克", "You're on X 5 mg. Increase to 10 mg daily."): a new instruction about
// that drug, not more of its history.
void SentenceReader::AddAdjustment(size_t p, const Tokens& line) {
  MedicationStatement statement;
  statement.drug = out_[p].drug;
  statement.drug_span = statement.span = line.front()->span;
  statement.sentence = s_;
  statement.mood = Mood::kDirective;
  statement.continued = true;
  for (const Token* attribute : line) {
    if (!OwnedByTherapy(attribute)) Attach(&statement, *attribute, normalized_, grammar_);
  }
  out_.push_back(statement);
}

// A full regimen line (dose and frequency) with its own directive or prescription cue may skip
// one drugless sentence, the indication line of a quoted insert: "X胶囊补肾壮阳。用于肾虚阳萎…。
// 口服，一次3粒，一日2次。"
bool SentenceReader::RegimenLine(Mood here) const {
  // The route verb that opens the line ("口服，…") is its own cue.
  if (here == Mood::kUnmarked && !cues_.empty()) here = cues_.front()->cue;
  return (here == Mood::kDirective || here == Mood::kRxForm) &&
         HasKind(attributes_, TokenKind::kDose) && HasKind(attributes_, TokenKind::kFrequency) &&
         RefersBack(out_.back().mood);
}

// The statement a dose line continues: the last one before this sentence's own, past a drug
// named in an allergy clause ("… when there's a penicillin allergy. Give him 250 mg …") and past
// a drug ruled out beside another of the same sentence ("Use amoxicillin instead of penicillin.
// 500 mg three times a day."). first_new_ when there is none.
size_t SentenceReader::ContinuedStatement() const {
  if (first_new_ == 0) return first_new_;
  const uint32_t last = out_[first_new_ - 1].sentence;
  auto skipped = [&](const MedicationStatement& st) {
    return st.allergy || st.mood == Mood::kNegated;
  };
  size_t p = first_new_;
  bool ruled_out = false;  // a ruled-out drug was passed: only a drug of its sentence may take it
  while (p > 0 && out_[p - 1].sentence == last && skipped(out_[p - 1])) {
    ruled_out = ruled_out || !out_[p - 1].allergy;
    --p;
  }
  if (p > 0 && !skipped(out_[p - 1]) && (!ruled_out || out_[p - 1].sentence == last)) {
    return TopicOf(p - 1);
  }
  // No other drug: a ruled-out one still takes the line, as before ("Do not take X. 2 a day").
  p = first_new_;
  while (p > 0 && out_[p - 1].allergy && out_[p - 1].sentence == last) --p;
  return p > 0 && !out_[p - 1].allergy ? p - 1 : first_new_;
}

// "Amoxicillin is different from penicillin. Take 500 mg three times a day.": a line after a
// sentence that contrasts its last drug with an earlier one continues the earlier one, the topic.
// (Ruled-out and allergy mentions are skipped as in ContinuedStatement.)
size_t SentenceReader::TopicOf(size_t p) const {
  const MedicationStatement& last = out_[p];
  const text::Span& sentence = text_.sentences[last.sentence];
  if (!Contrasted(normalized_, sentence, last, grammar_.words())) return p;
  for (size_t q = p; q-- > 0 && out_[q].sentence == last.sentence;) {
    const MedicationStatement& st = out_[q];
    if (!st.allergy && st.mood != Mood::kNegated && st.drug != last.drug &&
        !Contrasted(normalized_, sentence, st, grammar_.words())) {
      return q;
    }
  }
  return p;
}

// An imperative that gives an amount: the sentence, or a clause of it after a colon, semicolon or
// comma, opens with a directive verb, past a word of politeness ("Take the four tablets…", "تناول
// أربع حبات…", "You mentioned your mood is steady: please continue one 50 mg tablet each
// morning"), and the line has a dose.
bool SentenceReader::ImperativeAmountLine(const Tokens& line) const {
  const uint32_t begin = WordsBegin(normalized_, sentence_);
  // (The verb comes before an amount of the line, not always its first: "With the 250 mg/5 ml
  // syrup you have, give 4 ml now" names the strength before the imperative.)
  uint32_t last_dose = 0;
  for (const Token* a : line) {
    if (a->kind == TokenKind::kDose) last_dose = std::max(last_dose, a->span.begin);
  }
  return std::any_of(cues_.begin(), cues_.end(),
                     [&](const Token* c) {
                       if (c->cue != Mood::kDirective || c->span.begin < begin ||
                           c->span.begin > last_dose) {
                         return false;
                       }
                       const std::string_view before =
                           normalized_.substr(begin, c->span.begin - begin);
                       size_t cut = 0;
                       for (std::string_view b : {":", ";", ",", "\xEF\xBC\x9A", "\xEF\xBC\x8C"}) {
                         const size_t at = before.rfind(b);
                         if (at != std::string_view::npos) cut = std::max(cut, at + b.size());
                       }
                       return OnlyPoliteLead(before.substr(cut));
                     }) &&
         HasKind(line, TokenKind::kDose);
}

// Gives a dose line's attributes to the statement it continues; a directive line makes an
// informational or bare mention an instruction ("Methotrexate is a cornerstone drug. Take the
// four 2.5 mg tablets every morning.", "البنادول شراب. اديها 10 مل كل 4 ساعات").
void SentenceReader::ContinueInto(size_t p, const Tokens& line, Mood here) {
  MedicationStatement& previous = out_[p];
  if (here == Mood::kRxForm && previous.mood == Mood::kUnmarked) previous.mood = here;
  // (The line may open with the product in hand before its imperative: "With the 250 mg/5 ml
  // syrup you have, give 4 ml now", "用家里那瓶160mg/5ml的，现在喂5ml": the amount the verb
  // governs is read, not the strength before it.)
  const auto directed_amount = [&] {
    return std::any_of(line.begin(), line.end(), [&](const Token* a) {
      return a->kind == TokenKind::kDose &&
             AsRead(ResolveMood(a->span), a->span) == Mood::kDirective;
    });
  };
  if ((previous.mood == Mood::kInformational || previous.mood == Mood::kUnmarked) &&
      ImperativeAmountLine(line) &&
      (AsRead(here, line.front()->span) == Mood::kDirective || directed_amount())) {
    previous.mood = Mood::kDirective;
  }
  // Under a usage header ("**用法：**"), a bare dose line is the drug's instruction.
  const Mood read = AsRead(here, line.front()->span);
  if (usage_line_ && (previous.mood == Mood::kInformational || previous.mood == Mood::kUnmarked) &&
      (read == Mood::kDirective || read == Mood::kRxForm)) {
    previous.mood = read;
  }
  // Under a line announcing dose steps ("let's go up slowly:"), a bare step is an instruction.
  if (step_up_ && (previous.mood == Mood::kInformational || previous.mood == Mood::kUnmarked) &&
      (here == Mood::kUnmarked || read == Mood::kDirective)) {
    previous.mood = Mood::kDirective;
  }
  // "🧴 Permethrin cream\n1. at bedtime, apply from neck to toes", "💊 布洛芬混悬液\n👉
  // 每次吃5ml": a directive step line under a bare drug line of its block directs that drug.
  if (previous.mood == Mood::kUnmarked && read == Mood::kDirective && OpensWithDirective() &&
      SameBlock(previous.sentence, s_) && OnHeadingLine(previous)) {
    previous.mood = read;
  }
  // "头孢呋辛要吃多久？每次250mg，一天两次，一共吃5天", "How long do I keep using the
  // fluticasone? Two sprays in each nostril once a day for 4 weeks.": the answer echoes the
  // person's question about the drug's amount, length or time, then answers it. The line right
  // after the question, a schedule (a frequency or a length, not an exercise's single total:
  // "问一日总剂量是多少？答案：1.5g"), is the answer's regimen for that drug, not a question.
  const text::Span& asked = text_.sentences[previous.sentence];
  if (previous.mood == Mood::kQuestion && previous.sentence + 1 == s_ &&
      (here == Mood::kUnmarked || read == Mood::kDirective) &&
      (HasKind(line, TokenKind::kFrequency) || HasKind(line, TokenKind::kDuration)) &&
      AsksAmount(normalized_.substr(asked.begin, asked.size()), grammar_.words().asks_amount)) {
    previous.mood = here == Mood::kUnmarked ? Mood::kUnmarked : Mood::kDirective;
  }
  // "Forgot your morning levetiracetam and only remembered now? Take the missed dose (500 mg)
  // now", "اخدت حبة بروفين من ساعة وما نفعت؟ خود حبة كمان هلق، وبعدين ٤٠٠ ملغ كل ٦ ساعات": the
  // person's situation put back as a question, then a line that opens with an imperative and
  // gives an amount: the answer's instruction for that drug.
  // (The verb may open the amount itself: "خذ حبه 200 ملغ", read as an unmarked amount.)
  if (previous.mood == Mood::kQuestion && previous.sentence + 1 == s_ &&
      (read == Mood::kDirective || here == Mood::kUnmarked) && OpensWithDirective() &&
      HasKind(line, TokenKind::kDose)) {
    previous.mood = Mood::kDirective;
  }
  for (const Token* attribute : line) {
    if (!OwnedByTherapy(attribute)) Attach(&previous, *attribute, normalized_, grammar_);
  }
  if (p + 1 == first_new_) previous.sentence = s_;
  previous.continued = true;
}

// A dose line that opens the answer, before any statement, is about the drug the question asks
// of ("Q: …普拿疼500毫克… A: 一次吃3颗(1500毫克)，每4小时1次，普拿疼很温和"): its attributes
// before the first drug of the sentence go to that drug's statement, or to a new one.
// Later in the answer, a line that names no drug and gives the reader an amount with a verb of
// its own ("Take 4 of your 5 mg tablets (20 mg) tonight", "الست حبات كل يوم بعد الفطور") is
// about that drug too while the answer has named no other drug: the asked drug is the only one
// the line can mean.
void SentenceReader::ContinueQuestionDrug() {
  const uint32_t drug = text_.asked.drug;
  if (drug == kUnknownProduct || herb_amounts_ != 0) return;
  if (first_new_ != 0) {
    const bool only_asked =
        std::all_of(out_.begin(), out_.begin() + first_new_,
                    [&](const MedicationStatement& st) { return st.drug == drug; });
    if (!only_asked || continued_ || out_.size() != first_new_ || !OwnDirective()) return;
  }
  const bool none_here = out_.size() == first_new_;
  const Tokens& pool = none_here ? attributes_ : orphans_;
  const uint32_t before = none_here ? sentence_.end : out_[first_new_].drug_span.begin;
  auto opens = [&](const Token* a) { return a->span.end <= before; };
  if (std::none_of(pool.begin(), pool.end(),
                   [&](const Token* a) { return a->kind == TokenKind::kDose && opens(a); })) {
    return;
  }
  auto same = std::find_if(out_.begin() + first_new_, out_.end(),
                           [&](const MedicationStatement& st) { return st.drug == drug; });
  if (same == out_.end()) {
    const Token* first = *std::find_if(pool.begin(), pool.end(), opens);
    MedicationStatement statement;
    statement.drug = drug;
    statement.drug_span = statement.span = first->span;
    statement.sentence = s_;
    statement.mood = QuestionLineMood(first->span);
    if (first_new_ != 0 && statement.mood != Mood::kDirective) return;
    statement.continued = true;
    same = out_.insert(out_.begin() + first_new_, statement);
  }
  for (const Token* a : pool) {
    if (opens(a) && Takes(a)) Attach(&*same, *a, normalized_, grammar_);
  }
}

// Whether the sentence has a directive cue that is not a route word ("口服" is a label's route).
bool SentenceReader::OwnDirective() const {
  return std::any_of(cues_.begin(), cues_.end(), [&](const Token* c) {
    return c->cue == Mood::kDirective &&
           std::none_of(attributes_.begin(), attributes_.end(), [&](const Token* a) {
             return a->kind == TokenKind::kRoute && a->span.begin == c->span.begin;
           });
  });
}

// Only a directive of its own makes a line that answers "what is the dose of X?" an
// instruction; a bare dose line, a prescription-form line or a route verb ("口服，每日1次")
// quotes the drug's label.
Mood SentenceReader::QuestionLineMood(const text::Span& at) const {
  const Mood mood = AsRead(ResolveMood(at), at);
  if (mood == Mood::kDirective && OwnDirective()) return mood;
  if (mood == Mood::kUnmarked || mood == Mood::kRxForm || mood == Mood::kDirective) {
    return Mood::kInformational;
  }
  return mood;
}

// "Options: 1. Clotrimazole … 2. Terbinafine …  Apply the medication once or twice a day for
// two to four weeks": a directive whose object is "the medication" ("该药") gives the schedule
// of the drug named last; the directive governs the reference, not the schedule's hedges
// ("usually once or twice a day").
void SentenceReader::ResolveAnaphor() {
  if (continued_ || out_.size() != first_new_ || attributes_.empty() || anaphors_.empty() ||
      out_.empty() || out_.back().drug == kHerbalRecipe ||
      out_.back().sentence + kAnaphorReach < s_ || !RefersBack(out_.back().mood)) {
    return;
  }
  const Token* anaphor = anaphors_.front();
  if (AsRead(ResolveMood(anaphor->span), anaphor->span) != Mood::kDirective) return;
  MedicationStatement statement;
  statement.drug = out_.back().drug;
  statement.drug_span = statement.span = anaphor->span;
  statement.sentence = s_;
  statement.mood = Mood::kDirective;
  statement.continued = true;
  for (const Token* attribute : attributes_) {
    if (Takes(attribute)) Attach(&statement, *attribute, normalized_, grammar_);
  }
  out_.push_back(statement);
}

// "很多人得了流感会吃奥司他韦，75毫克一天两次，吃满5天，你也可以这样试试", "Most people follow this
// after an extraction:\n- Day 1-3: chlorhexidine 15 ml twice daily\nYou can follow the same
// schedule.": a cue that offers the reader a regimen just described as what others do (grammar
// cue type `adopt`) makes that regimen advice, even after a refusal ("I can't prescribe, but most
// adults take X 400 mg every 6 hours; you could do the same"): the described statements before
// the cue in its sentence, and, when the sentence names no drug of its own, the described
// statements of the sentences right before it (up to a header's reach).
void SentenceReader::AdoptDescribedRegimen() {
  const auto adopt = std::find_if(cues_.begin(), cues_.end(), [&](const Token* cue) {
    return grammar_.entries()[cue->ref].adopt;
  });
  if (adopt == cues_.end()) return;
  const uint32_t at = (*adopt)->span.begin;
  const bool own_drugs = !drugs_.empty();
  for (size_t i = out_.size(); i-- > 0;) {
    MedicationStatement& st = out_[i];
    if (st.sentence == s_) {
      // "我没法给你开药，不过一般人都是X 400mg每6小时一次，你也可以这样吃": the offer after a
      // refusal takes back the refusal for the regimen it offers.
      if ((st.mood == Mood::kInformational || st.mood == Mood::kRefusal) &&
          st.drug_span.end <= at) {
        st.mood = Mood::kDirective;
      }
      continue;
    }
    // A recipe or regimen the author recounts (history: "我奶奶的方子…我喝了一个月") is lent to
    // the reader the same way ("楼主你也可以照着来，每天一剂").
    if (own_drugs || s_ - st.sentence > kAdoptReach ||
        (st.mood != Mood::kInformational && st.mood != Mood::kHistory)) {
      break;
    }
    st.mood = Mood::kDirective;
  }
}

// A line ending with a colon, or a heading line, governs the lines under it. A Markdown heading
// with no drug and no attribute opens a section: its cue governs like a colon line's ("###
// 家里可以这样处理" makes the bare steps under it directions), and one with no cue ("### 注意",
// "## Emergency") ends the reach of the header before it.
void SentenceReader::NoteHeaders() {
  AdoptDescribedRegimen();  // (before the line can become a header of its own)
  const std::string_view line = normalized_.substr(sentence_.begin, sentence_.size());
  const bool colon = EndsWithColon(line);
  // A line right before a table that says it describes introduces the table as a colon line does
  // ("Here's a quick comparison of the two pills.", "下表是常规剂量。", "هذه الجرعات المعتادة."):
  // the rows are information, not directions.
  if (!colon && s_ + 1 < text_.sentences.size() && !IsTableRow(normalized_, sentence_) &&
      IsTableRow(normalized_, text_.sentences[s_ + 1])) {
    if (const Token* cue = HeaderCue();
        cue != nullptr && (cue->cue == Mood::kInformational || cue->cue == Mood::kHistory)) {
      carry_.header_sentence = s_;
      carry_.header_mood = cue->cue;
      return;
    }
  }
  const bool plain = drugs_.empty() && attributes_.empty() && herb_amounts_ == 0;
  const bool section = IsMarkdownHeading(line) && plain;
  // A bold line ("**退热用药安排**") governs the lines under it by its cue, as a colon line does;
  // one with no cue ("**جدول يومي**") leaves the header before it in force.
  const bool bold_heading = IsBoldLine(line) && plain;
  if (!overview_markers_.empty() && colon) {
    carry_.overview_header_sentence = s_;  // "Treatment may include:" governs the list under it
  }
  if (heading_ != nullptr && std::find(cues_.begin(), cues_.end(), heading_) != cues_.end()) {
    carry_.header_sentence = s_;
    carry_.header_mood = heading_->cue;
  } else if (const Token* cue = colon || section || bold_heading ? HeaderCue() : nullptr;
             cue != nullptr) {
    carry_.header_sentence = s_;
    carry_.header_mood = cue->cue;
  } else if (section) {
    carry_.header_sentence = s_;
    carry_.header_mood = Mood::kUnmarked;
  }
}

// The cue that gives a line ending with a colon its mood over the list under it: the last cue of
// its final clause ("…，可以这样用：", "For adults, the usual dose is:"), else the last cue
// before, unless that one only describes: an informational cue in an earlier clause speaks
// about that clause ("因为您有糖尿病，属于高风险族群，而且发病不到48小时：" is about the reader,
// not the list). A cue in a parenthesis is an aside ("a syrup you can make (for adults):").
const Token* SentenceReader::HeaderCue() const {
  const Token* last = nullptr;
  for (const Token* cue : cues_) {
    if (EnclosingParenthesis(normalized_, cue->span.begin, sentence_).size() == 0) last = cue;
  }
  if (last == nullptr) return nullptr;
  uint32_t end = sentence_.end;  // before the final colon and its markup
  while (end > last->span.end &&
         std::string_view(" \t\n*:").find(normalized_[end - 1]) != std::string_view::npos) {
    --end;
  }
  if (InSameClause(last->span.end, end)) return last;
  return last->cue == Mood::kInformational ? nullptr : last;
}

}  // namespace medaudit::extract::internal
