// Mood cues: the document kind a text's markers show, and the mood of a drug mention.
#include "extract/internal/mood.h"

#include <algorithm>
#include <cstring>

#include "extract/internal/lexical.h"

namespace medaudit::extract {
namespace {

using internal::ContainsWord;
using internal::CrossesClause;
using internal::EnclosingParenthesis;
using internal::Inside;
using internal::MisplacedLabel;
using internal::WordsBegin;

constexpr int kNoteMarkersForNote = 2;
constexpr int kLabelMarkersForLabel = 2;
constexpr int kOverviewMarkersForOverview = 1;
constexpr int kAuthorMarkersForAccount = 2;
constexpr int kClinicianMarkersForText = 2;

// Distinct markers of one document type in a text (each place counts once), up to `enough`.
int CountMarkers(std::string_view normalized, const std::vector<Token>& tokens,
                 const Grammar& grammar, bool GrammarEntry::*marker, int enough) {
  std::vector<uint32_t> seen;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kCue && grammar.entries()[t.ref].*marker &&
        !MisplacedLabel(normalized, t, grammar) &&
        std::find(seen.begin(), seen.end(), t.span.begin) == seen.end()) {
      seen.push_back(t.span.begin);
      if (static_cast<int>(seen.size()) >= enough) break;
    }
  }
  return static_cast<int>(seen.size());
}

// Whether a longer cue without a mood of its own starts where directive `t` (tokens[i]) does and
// masks it ("Use of …" masks "Use").
bool MaskedDirective(const std::vector<Token>& tokens, size_t i, const Grammar& grammar) {
  const Token& t = tokens[i];
  auto masks = [&](const Token& o) {
    return o.kind == TokenKind::kCue && o.cue == Mood::kUnmarked && o.span.size() > t.span.size() &&
           !grammar.entries()[o.ref].address && !grammar.entries()[o.ref].overview_marker &&
           !grammar.entries()[o.ref].clinician_marker && !grammar.entries()[o.ref].relay &&
           grammar.entries()[o.ref].frame == Frame::kNone;
  };
  bool masked = false;
  for (size_t j = i; j-- > 0 && tokens[j].span.begin == t.span.begin && !masked;) {
    masked = masks(tokens[j]);
  }
  for (size_t j = i + 1; j < tokens.size() && tokens[j].span.begin == t.span.begin && !masked;
       ++j) {
    masked = masks(tokens[j]);
  }
  return masked;
}

// Whether a text speaks to its reader: a word of address ("you", "your", "您", "你", "يمكنك",
// "I recommend"; grammar cue type `address`) or a directive cue that opens a sentence, an
// imperative ("Take …", "Apply …", "تناول …", "口服…"), unless a longer masking cue starts there
// ("Use of …"). Walks the tokens once, with the sentences in step.
bool AddressesReader(std::string_view normalized, const std::vector<text::Span>& sentences,
                     const std::vector<Token>& tokens, const Grammar& grammar) {
  size_t s = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != TokenKind::kCue) continue;
    const GrammarEntry& entry = grammar.entries()[t.ref];
    if (entry.address) return true;
    if (t.cue != Mood::kDirective || entry.heading) continue;
    while (s < sentences.size() && sentences[s].end <= t.span.begin) ++s;
    if (s == sentences.size()) break;
    if (WordsBegin(normalized, sentences[s]) != t.span.begin) continue;
    if (!MaskedDirective(tokens, i, grammar)) return true;
  }
  return false;
}

// Whether a cue gives its mood to a directive verb right after it in its clause. A question cue
// does too: "要不要预防性用药", "whether to start taking" ask, they do not direct.
bool Modifies(Mood mood) {
  return mood == Mood::kNegated || mood == Mood::kReferral || mood == Mood::kRefusal ||
         mood == Mood::kConditional || mood == Mood::kInformational || mood == Mood::kHistory ||
         mood == Mood::kQuestion;
}

// Whether the words after an Arabic prohibition are only its attached object pronoun and a
// joiner: "توقف عنه وتناول …", "اوقفها ثم ابدا …" (the drug was named before the prohibition).
bool ArabicPronounObject(std::string_view between) {
  static constexpr std::string_view kPronouns[] = {"\xD9\x87\xD9\x85\xD8\xA7", "\xD9\x87\xD9\x85",
                                                   "\xD9\x87\xD8\xA7", "\xD9\x87"};  // هما هم ها ه
  static constexpr std::string_view kJoiners[] = {"\xD9\x88", "\xD8\xAB\xD9\x85",
                                                  "\xD9\x88\xD8\xAB\xD9\x85"};  // و ثم وثم
  for (std::string_view pronoun : kPronouns) {
    if (!between.starts_with(pronoun)) continue;
    std::string_view rest = between.substr(pronoun.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    return std::any_of(std::begin(kJoiners), std::end(kJoiners),
                       [&](std::string_view j) { return rest == j; });
  }
  return false;
}

// Whether the words after a prohibition open with an object pronoun and then join a new verb:
// "stop it and start …", "stop them, then take …" (the drug was named before the prohibition).
bool PronounObject(std::string_view between) {
  if (ArabicPronounObject(between)) return true;
  for (std::string_view pronoun : {" it ", " them ", " this ", " that "}) {
    if (between.substr(0, pronoun.size()) != pronoun) continue;
    const std::string_view rest = between.substr(pronoun.size());
    for (std::string_view joiner : {"and", "then", "and then"}) {
      if (rest.substr(0, joiner.size()) == joiner &&
          rest.find_first_not_of(' ', joiner.size()) == std::string_view::npos) {
        return true;
      }
    }
  }
  return false;
}

// Whether a prohibition's object ends before a later verb: a drug (or an object pronoun, "stop it
// and start Y") lies between them and the words between offer no alternative ("stop the lisinopril
// and switch to losartan", "停用X改用Y", not "do not take X or use Y").
bool ProhibitionEndsAtDrug(std::string_view normalized, const Token& prohibition, const Token& verb,
                           const std::vector<const Token*>* drugs) {
  if (drugs == nullptr) return false;
  const std::string_view between =
      normalized.substr(prohibition.span.end, verb.span.begin - prohibition.span.end);
  const bool drug_between = std::any_of(drugs->begin(), drugs->end(), [&](const Token* d) {
    return d->span.begin >= prohibition.span.end && d->span.end <= verb.span.begin;
  });
  if (!drug_between && !PronounObject(between)) return false;
  for (std::string_view alternative :
       {" or ", " nor ", "\xE6\x88\x96", " \xD8\xA7\xD9\x88 "}) {  // 或, او
    if (between.find(alternative) != std::string_view::npos) return false;
  }
  return true;
}

// Whether cues[index] is itself governed by a modifying cue right before it in its clause ("do not
// stop it and start X" keeps the prohibition over the whole chain).
bool ModifiedCue(std::string_view normalized, const std::vector<const Token*>& cues, size_t index) {
  if (index == 0) return false;
  const Token* here = cues[index];
  const Token* prev = cues[index - 1];
  if (prev->span.end > here->span.begin || !Modifies(prev->cue)) return false;
  const uint32_t gap = here->span.begin - prev->span.end;
  return gap <= internal::kModifierGap && !CrossesClause(normalized.substr(prev->span.end, gap));
}

// The mood of the cue before a mention, cues[before_index]. Walks back through a chain of
// directive verbs in one clause ("do not take or use", "we decided to take her off X and start
// her on Y"): the modifying cue before the chain gives its mood to every verb in it. A
// prohibition ends at its drug ("stop X and switch to Y" directs Y).
Mood MoodFromCueBefore(std::string_view normalized, const std::vector<const Token*>& cues,
                       size_t before_index, const std::vector<const Token*>* drugs) {
  Mood mood = cues[before_index]->cue;
  for (size_t i = before_index; mood == Mood::kDirective && i > 0; --i) {
    const Token* here = cues[i];
    const Token* prev = cues[i - 1];
    if (prev->span.end > here->span.begin) break;
    const uint32_t gap = here->span.begin - prev->span.end;
    if (gap > internal::kModifierGap || CrossesClause(normalized.substr(prev->span.end, gap))) {
      break;
    }
    if (prev->cue == Mood::kNegated && ProhibitionEndsAtDrug(normalized, *prev, *here, drugs) &&
        !ModifiedCue(normalized, cues, i - 1)) {
      break;
    }
    // (Past the first verb, a hedge does not carry: "通常建议口服X" is still advice.)
    if (Modifies(prev->cue) && (i == before_index || prev->cue != Mood::kInformational)) {
      mood = prev->cue;
    } else if (prev->cue != Mood::kDirective) {
      break;
    }
  }
  return mood;
}

// Whether another drug, in a later clause than the mention at `at`, comes before `to`: "X 50 mg
// at night, and for the pain Y, take it with food" — the directive after Y is about Y.
bool DrugInLaterClause(std::string_view normalized, const text::Span& at, uint32_t to,
                       const std::vector<const Token*>* drugs) {
  if (drugs == nullptr) return false;
  return std::any_of(drugs->begin(), drugs->end(), [&](const Token* d) {
    return d->span.begin >= at.end && d->span.end <= to &&
           CrossesClause(normalized.substr(at.end, d->span.begin - at.end));
  });
}

// Whether a cue states a cap ("一天不超过4次", "no more than 4 doses", "لا تتجاوز"): in a later
// clause than a mention it limits the regimen given; it does not describe the mention.
bool StatesCap(std::string_view normalized, const Token& cue) {
  static constexpr std::string_view kCaps[] = {
      "\xE4\xB8\x8D\xE8\xB6\x85\xE8\xBF\x87",                                // 不超过
      "\xE4\xB8\x8D\xE5\xBE\x97\xE8\xB6\x85\xE8\xBF\x87",                    // 不得超过
      "\xE6\x9C\x80\xE5\xA4\x9A",                                            // 最多
      "\xD9\x84\xD8\xA7 \xD8\xAA\xD8\xAA\xD8\xAC\xD8\xA7\xD9\x88\xD8\xB2"};  // لا تتجاوز
  const std::string_view text = normalized.substr(cue.span.begin, cue.span.size());
  return std::any_of(std::begin(kCaps), std::end(kCaps),
                     [&](std::string_view cap) { return text.starts_with(cap); });
}

// Whether a negating cue is a replacement word ("instead of", "rather than", 而不是, بدلا من):
// it sets aside what comes after it.
bool ReplacesWhatFollows(std::string_view normalized, const Token& cue) {
  static constexpr std::string_view kReplacements[] = {
      "instead of", "rather than",
      "\xE8\x80\x8C\xE4\xB8\x8D\xE6\x98\xAF",                // 而不是
      "\xD8\xA8\xD8\xAF\xD9\x84\xD8\xA7 \xD9\x85\xD9\x86"};  // بدلا من
  const std::string_view text = normalized.substr(cue.span.begin, cue.span.size());
  return std::any_of(std::begin(kReplacements), std::end(kReplacements),
                     [&](std::string_view word) { return text.starts_with(word); });
}

// The mood of the first cue after a mention at `at`, unmarked when none speaks about it.
Mood MoodFromCueAfter(std::string_view normalized, const text::Span& at,
                      const std::vector<const Token*>& cues,
                      const std::vector<const Token*>* drugs) {
  for (const Token* cue : cues) {
    if (cue->span.begin < at.end) continue;
    if (DrugInLaterClause(normalized, at, cue->span.begin, drugs)) break;
    // A cue in a later table cell ("| drug | dose | avoid if …") speaks about that cell. A verb or
    // a description may follow its drug over a comma ("叶酸0.4mg，口服", "when X is prescribed,
    // doses are usually…"), but a prohibition in a later clause is a limit or a warning, not a
    // negation of the drug before it ("最多三天，不要多吃", "400 mg, do not exceed 1200 mg a day").
    const std::string_view between = normalized.substr(at.end, cue->span.begin - at.end);
    if (between.find('|') != std::string_view::npos) break;
    if ((cue->cue == Mood::kNegated || StatesCap(normalized, *cue)) && CrossesClause(between)) {
      break;
    }
    // "X 300 mg once a day instead of 300 mg three times a day": a replacement word after the
    // mention sets aside what follows it (the old dose), not the mention.
    if (cue->cue == Mood::kNegated && ReplacesWhatFollows(normalized, *cue)) continue;
    return cue->cue;
  }
  return Mood::kUnmarked;
}

// Where the answer's own words begin after a report of what the person said: the end of the
// last consequence word that opens a clause in `between` ("您说盒里一共10粒，那正好是一个疗程：",
// "you said the box holds 10, so …", "ذكرت ان العلبه فيها 10، اذن …"), or npos.
size_t ConsequenceOpens(std::string_view between) {
  static constexpr std::string_view kBreaks[] = {",", ";", ":", " - "};
  static constexpr std::string_view kWords[] = {
      "so ",
      "then ",
      "in that case",
      "that means",
      "which means",
      "\xE6\x89\x80\xE4\xBB\xA5",                            // 所以
      "\xE5\x9B\xA0\xE6\xAD\xA4",                            // 因此
      "\xE8\xBF\x99\xE6\xA0\xB7\xE7\x9A\x84\xE8\xAF\x9D",    // 这样的话
      "\xE6\x97\xA2\xE7\x84\xB6",                            // 既然
      "\xD8\xA7\xD8\xB0\xD9\x86 ",                           // اذن
      "\xD9\x84\xD8\xB0\xD9\x84\xD9\x83 "};                  // لذلك
  static constexpr std::string_view kThat = "\xE9\x82\xA3";  // 那
  // 那 before a measure word or a place is "that" ("那片药", "那个剂量"), not "then".
  static constexpr std::string_view kThatNouns[] = {
      "\xE7\x89\x87", "\xE4\xB8\xAA", "\xE7\xA7\x8D", "\xE7\xB2\x92", "\xE6\x94\xAF",
      "\xE7\x93\xB6", "\xE7\x9B\x92", "\xE6\xAC\xA1", "\xE5\xA4\xA9", "\xE4\xBA\x9B",
      "\xE8\xBE\xB9", "\xE9\x87\x8C", "\xE6\x97\xB6", "\xE5\x84\xBF"};
  size_t found = std::string_view::npos;
  for (std::string_view b : kBreaks) {
    for (size_t at = between.find(b); at != std::string_view::npos; at = between.find(b, at + 1)) {
      size_t i = at + b.size();
      while (i < between.size() && between[i] == ' ') ++i;
      const std::string_view rest = between.substr(i);
      for (std::string_view w : kWords) {
        if (rest.starts_with(w) && (found == std::string_view::npos || i + w.size() > found)) {
          found = i + w.size();
        }
      }
      if (rest.starts_with(kThat) &&
          std::none_of(
              std::begin(kThatNouns), std::end(kThatNouns),
              [&](std::string_view n) { return rest.substr(kThat.size()).starts_with(n); }) &&
          (found == std::string_view::npos || i + kThat.size() > found)) {
        found = i + kThat.size();
      }
    }
  }
  return found;
}

}  // namespace

namespace internal {

DocumentKind ReadDocumentKind(std::string_view normalized, const std::vector<text::Span>& sentences,
                              const std::vector<Token>& tokens, const Grammar& grammar,
                              QuestionKind question) {
  auto enough = [&](bool GrammarEntry::*marker, int count) {
    return CountMarkers(normalized, tokens, grammar, marker, count) >= count;
  };
  DocumentKind kind;
  // A clinical note (section headings, third-person narrative) records medications: its bare
  // "drug dose frequency" lines are history, not instructions to the reader.
  kind.clinical_note = enough(&GrammarEntry::note_marker, kNoteMarkersForNote);
  // A drug label, package insert or study abstract ("active ingredient … inactive ingredients",
  // "interventions: … placebo") states facts about a drug: its bare regimen lines are label
  // facts, not instructions to the reader.
  kind.label_text =
      !kind.clinical_note && enough(&GrammarEntry::label_marker, kLabelMarkersForLabel);
  // A personal account (a forum post: "I was prescribed…", "I usually take…") recounts its
  // author's own medication: its bare regimen lines are the author's history.
  kind.personal_account = !kind.clinical_note && !kind.label_text &&
                          enough(&GrammarEntry::author_marker, kAuthorMarkersForAccount);
  // Text written to clinicians (a label's dosing section, an emergency protocol: "train patients
  // on…", "refer all patients…") gives its directions to the prescriber, not to the reader.
  kind.clinician_text =
      !kind.clinical_note && enough(&GrammarEntry::clinician_marker, kClinicianMarkersForText);
  // An impersonal overview (a treatment overview, an encyclopedia entry, a study summary) that
  // never speaks to its reader (no "you", no imperative) describes regimens: in its sentences that
  // say so ("treatment consists of…", "X is managed with…", "治疗方案包括…", "يشمل العلاج…"), and
  // in the list under such a line, directive and bare regimen statements are information. A bare
  // regimen line of its own ("Amoxicillin 500 mg tid x 7 days") keeps its reading.
  // The question, when known, settles what the text alone cannot: an impersonal answer to a
  // personal question ("what can my son take?") is addressed to the asker, so it is no overview;
  // an impersonal answer to a topic question ("what are the treatments for X?", 如何治疗X) is an
  // overview throughout, its modal and descriptive phrasings included ("may be treated with",
  // "most centers use X"), whatever overview phrase it has or lacks.
  const bool may_be_overview = !kind.clinical_note && question != QuestionKind::kPersonal;
  kind.topic_overview = may_be_overview && question == QuestionKind::kTopic &&
                        !AddressesReader(normalized, sentences, tokens, grammar);
  kind.overview =
      kind.topic_overview ||
      (may_be_overview && enough(&GrammarEntry::overview_marker, kOverviewMarkersForOverview) &&
       !AddressesReader(normalized, sentences, tokens, grammar));
  return kind;
}

bool MisplacedLabel(std::string_view normalized, const Token& t, const Grammar& grammar) {
  if (t.kind != TokenKind::kCue || !grammar.entries()[t.ref].note_marker || t.span.size() == 0 ||
      normalized[t.span.end - 1] != ':') {
    return false;
  }
  for (uint32_t i = t.span.begin; i > 0; --i) {
    const char c = normalized[i - 1];
    if (c == '\n') return false;
    if (std::string_view(" \t*#->_.0123456789").find(c) == std::string_view::npos) return true;
  }
  return false;
}

const Token* HeadingCue(std::string_view normalized, const text::Span& sentence,
                        const std::vector<const Token*>& cues) {
  uint32_t begin = sentence.begin, end = sentence.end;
  while (begin < end && std::string_view(" \t\n*#->_.0123456789").find(normalized[begin]) !=
                            std::string_view::npos) {
    ++begin;
  }
  while (end > begin &&
         std::string_view(" \t\n*#_:.").find(normalized[end - 1]) != std::string_view::npos) {
    --end;
  }
  const Token* heading = nullptr;
  for (const Token* cue : cues) {
    if (cue->span.begin == begin && cue->span.end == end) heading = cue;
  }
  return heading;
}

const Token* TitleCue(std::string_view normalized, const text::Span& sentence,
                      const std::vector<const Token*>& cues) {
  uint32_t end = sentence.end;
  while (end > sentence.begin &&
         std::string_view(" \t\n*#_:.").find(normalized[end - 1]) != std::string_view::npos) {
    --end;
  }
  const Token* title = nullptr;
  for (const Token* cue : cues) {
    if (cue->span.end == end) title = cue;
  }
  return title;
}

void DropNested(std::vector<const Token*>* tokens) {
  std::vector<const Token*> kept;
  for (const Token* t : *tokens) {
    bool nested = false;
    for (const Token* o : *tokens) {
      if (o == t || o->kind != t->kind) continue;
      if (Inside(t->span, o->span) && (o->span.size() > t->span.size() || o < t)) {
        nested = true;
        break;
      }
    }
    if (!nested) kept.push_back(t);
  }
  tokens->swap(kept);
}

void DropNestedCues(std::vector<const Token*>* cues) {
  std::vector<const Token*> kept;
  for (const Token* t : *cues) {
    bool nested = false;
    for (const Token* o : *cues) {
      if (o == t) continue;
      const bool overlaps = t->span.begin < o->span.end && o->span.begin < t->span.end;
      if (overlaps &&
          (o->span.size() > t->span.size() || (o->span.size() == t->span.size() && o < t))) {
        nested = true;
        break;
      }
    }
    if (!nested) kept.push_back(t);
  }
  cues->swap(kept);
}

bool RefersBack(Mood mood) {
  return mood == Mood::kUnmarked || mood == Mood::kDirective || mood == Mood::kRxForm ||
         mood == Mood::kInformational || mood == Mood::kConditional;
}

Mood MoodAt(std::string_view normalized, const text::Span& at,
            const std::vector<const Token*>& all_cues, const std::vector<const Token*>* drugs) {
  // A cue inside a parenthesis speaks about the parenthesis:
  // "阿莫西林(有青霉素过敏史者禁用)加甲硝唑" does not forbid metronidazole. A history cue in a
  // parenthesis after the mention says where the regimen comes from ("Sertraline 50 mg once
  // daily (prescribed by Dr Nguyen, last filled 2 May)"): it speaks about the mention.
  std::vector<const Token*> cues;
  for (const Token* cue : all_cues) {
    const text::Span limit{0, static_cast<uint32_t>(normalized.size())};
    const text::Span paren = EnclosingParenthesis(normalized, cue->span.begin, limit);
    const bool source_note = cue->cue == Mood::kHistory && paren.begin >= at.end;
    if (paren.size() > 0 && !(at.begin >= paren.begin && at.end <= paren.end) && !source_note) {
      continue;
    }
    cues.push_back(cue);
  }
  const Token* before = nullptr;
  size_t before_index = 0;
  for (size_t i = 0; i < cues.size(); ++i) {
    // A cue that starts before the mention and runs into it ("you mentioned your lantus is…",
    // whose pattern takes any word after "your") is a cue before it.
    if (cues[i]->span.begin < at.begin) {
      before = cues[i];
      before_index = i;
    }
  }
  // A report of what the person said governs its own clauses: after a clause that opens with a
  // consequence ("那", "so", "اذن"), the answer speaks, and only the cues from there count.
  if (before != nullptr && (before->cue == Mood::kHistory || before->cue == Mood::kQuestion)) {
    const size_t opens = ConsequenceOpens(
        normalized.substr(before->span.end, at.begin - std::min(at.begin, before->span.end)));
    if (opens != std::string_view::npos) {
      const uint32_t from = before->span.end + static_cast<uint32_t>(opens);
      std::erase_if(cues, [&](const Token* cue) { return cue->span.begin < from; });
      return MoodAt(normalized, at, cues, drugs);
    }
  }
  if (before != nullptr) return MoodFromCueBefore(normalized, cues, before_index, drugs);
  return MoodFromCueAfter(normalized, at, cues, drugs);
}

const Token* GoverningCue(const text::Span& at, const std::vector<const Token*>& cues) {
  const Token* before = nullptr;
  for (const Token* cue : cues) {
    if (cue->span.end <= at.begin) before = cue;
  }
  if (before != nullptr) return before;
  for (const Token* cue : cues) {
    if (cue->span.begin >= at.end) return cue;
  }
  return nullptr;
}

}  // namespace internal

QuestionKind ReadQuestion(std::string_view normalized_question, const Grammar& grammar) {
  if (normalized_question.empty()) return QuestionKind::kNone;
  bool topic = false;
  for (const QuestionCue& cue : grammar.question_cues()) {
    if (cue.personal ? !ContainsWord(normalized_question, cue.text)
                     : topic || !ContainsWord(normalized_question, cue.text)) {
      continue;
    }
    if (cue.personal) return QuestionKind::kPersonal;
    topic = true;
  }
  return topic ? QuestionKind::kTopic : QuestionKind::kNone;
}

}  // namespace medaudit::extract
