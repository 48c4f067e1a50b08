// Mood cues: which cues of a sentence count, what kind of document a text is, and the mood a
// drug mention takes from the cues around it.
#pragma once

#include <string_view>
#include <vector>

#include "extract/statement.h"

namespace medaudit::extract::internal {

// A directive cue in the same clause as a preceding negation/referral/history/... cue, and at
// most this many bytes after it, takes that cue's mood: "do not take", "不要空腹服用",
// "ask your doctor before taking", "您提到目前每天早上服用".
constexpr uint32_t kModifierGap = 48;

// What kind of text this is, read from its markers (and the question, when known). Each kind
// changes how bare regimen lines read; see ReadDocumentKind.
struct DocumentKind {
  bool clinical_note = false;     // bare regimen lines are history
  bool label_text = false;        // bare regimen lines are label facts
  bool personal_account = false;  // bare regimen lines are the author's history
  bool clinician_text = false;    // directions are to the prescriber: information
  bool topic_overview = false;    // impersonal answer to a topic question: all information
  bool overview = false;          // impersonal overview: describing sentences are information
};
DocumentKind ReadDocumentKind(std::string_view normalized, const std::vector<text::Span>& sentences,
                              const std::vector<Token>& tokens, const Grammar& grammar,
                              QuestionKind question);

// A note marker written as a label ("patient:", "meds:") marks a transcript or a note section
// only at the start of a line; "for a 70 kg male patient:" in an answer is a header of its own.
bool MisplacedLabel(std::string_view normalized, const Token& t, const Grammar& grammar);

// The cue that makes up a whole line on its own, apart from list and Markdown markup and a final
// colon: a section heading ("CURRENT MEDICATIONS", "## Plan", "Medications:"). Nullptr otherwise.
const Token* HeadingCue(std::string_view normalized, const text::Span& sentence,
                        const std::vector<const Token*>& cues);
// The cue that ends a Markdown heading naming a drug ("### Your Symbicort 200/6 plan",
// "### 布洛芬用药方案"): a heading-only cue there titles the drug's section. Null if none.
const Token* TitleCue(std::string_view normalized, const text::Span& sentence,
                      const std::vector<const Token*>& cues);

// Drops tokens of the same kind contained in a longer one ("do not" inside "do not take",
// "服" inside "服用", a drug name inside a longer brand name).
void DropNested(std::vector<const Token*>* tokens);
// Cues overlap across kinds too ("if you take" vs "take"); the longer one wins.
void DropNestedCues(std::vector<const Token*>* cues);

// Whether "the medication" in a later directive can mean a drug mentioned in this mood: a drug
// listed, described or recommended, not one ruled out, recorded as history or left to a doctor.
bool RefersBack(Mood mood);

// The mood of a drug mention at `at`: the nearest cue before it (a directive cue right after a
// modifying cue takes that cue's mood, except a prohibition whose drug comes between: `drugs`,
// the sentence's drug names, when known), else the first cue after it, else unmarked.
Mood MoodAt(std::string_view normalized, const text::Span& at,
            const std::vector<const Token*>& all_cues,
            const std::vector<const Token*>* drugs = nullptr);
// The cue MoodAt reads a mention's mood from, before any walk back over a verb chain: the nearest
// cue before it, else the first cue after it. Nullptr when none.
const Token* GoverningCue(const text::Span& at, const std::vector<const Token*>& cues);

}  // namespace medaudit::extract::internal
