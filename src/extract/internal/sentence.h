// Reading one sentence of a text into medication statements (ExtractStatements reads a text
// sentence by sentence). Internal to the extractor: the steps of SentenceReader::Read are split
// over sentence.cc (tokens, cues, moods), build.cc (statements and their attributes) and
// continue.cc (lines that continue an earlier statement, headers).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/internal/attach.h"
#include "extract/internal/mood.h"
#include "extract/statement.h"

namespace medaudit::extract::internal {

// Whether sentences hold a decoction instruction ("水煎服", "煎煮", "当茶饮"), looked up only for
// the sentences near herb amounts, once each.
class DecoctionIndex {
 public:
  DecoctionIndex(std::string_view normalized, const std::vector<text::Span>& sentences,
                 const Grammar& grammar);
  // Whether a decoction instruction is in sentence `s` or one of the few after it.
  bool Follows(uint32_t s) const;

 private:
  bool Has(uint32_t t) const;
  std::string_view normalized_;
  const std::vector<text::Span>& sentences_;
  const Grammar& grammar_;
  mutable std::vector<signed char> decoction_;  // -1 not looked at yet, 0 no, 1 yes
};

// Whether a statement's drug is the contrasted term of a comparison in its sentence, not its
// topic: "amoxicillin is different from penicillin", "unlike penicillin", "better than
// penicillin", "يختلف عن البنسلين", "مقارنة بالبنسلين", "阿莫西林和青霉素不一样", "比青霉素".
// (Grammar words.contrast_before / contrast_after.)
bool Contrasted(std::string_view normalized, const text::Span& sentence,
                const MedicationStatement& st, const WordLists& words);

// The text being read and what is known about it as a whole.
struct TextContext {
  std::string_view normalized;
  const std::vector<text::Span>& sentences;
  const std::vector<Token>& tokens;
  const Grammar& grammar;
  DocumentKind document;
  QuestionDrug asked;  // the drug the question asks about, if any
  DecoctionIndex decoctions;
};

// What a sentence hands on to the sentences after it.
struct Carry {
  size_t next_token = 0;  // the first token not before the next sentence
  int64_t last_rx_form_sentence = -1000;
  int64_t overview_header_sentence = -1000;  // "Treatment may include:"
  int64_t header_sentence = -1000;           // a heading or a line ending with a colon
  int64_t table_head_sentence = -1000;  // the header row of the table being read ("| | 早 | 晚 |")
  Mood header_mood = Mood::kUnmarked;
  Frame frame = Frame::kNone;  // the part of the text being read is for someone else (NoteFrame)
  int64_t relay_sentence = -1000;  // a sentence ending with a relay cue and a colon (Relayed)
};

class SentenceReader {
 public:
  SentenceReader(const TextContext& text, uint32_t s, Carry* carry,
                 std::vector<MedicationStatement>* out);
  // Appends the sentence's statements to *out (and may complete earlier ones).
  void Read();

 private:
  using Tokens = std::vector<const Token*>;

  // sentence.cc: tokens and cues of the sentence, and the mood of a place in it.
  void CollectTokens();
  void ClassifyTokens();
  void MergeProducts();
  void FilterCues();
  void DropInsertFieldCues();
  void NotePosition();
  void NoteFrame();
  void RecapEarlier();
  Mood ResolveMood(const text::Span& at) const;
  Tokens OwnClauseCues(const text::Span& at) const;
  bool AfterOwnRegimen(const text::Span& at, const Token* cue) const;
  bool NamesOwnObject(const Token* cue) const;
  Mood AsRead(Mood mood, const text::Span& at, bool recipe = false) const;
  bool DescribingVerb(const text::Span& at) const;
  bool OnlyRouteVerbs() const;
  bool InSameClause(uint32_t from, uint32_t to) const;
  bool StatesEffect(const text::Span& at) const;
  bool OwnedByTherapy(const Token* attribute) const;
  bool JoinsNewVerb(uint32_t from, uint32_t to) const;
  bool InNegatedClause(const Token* attribute) const;
  bool Takes(const Token* attribute) const;
  bool Relayed(const text::Span& at) const;

  // build.cc: the sentence's own statements and their attributes.
  void CarryDrugIntoTable();
  void AddDrugStatements();
  bool TurnsToReader(const text::Span& drug) const;
  void AddHerbalRecipe();
  bool IsRecipe() const;
  void AssignAttributes();
  uint32_t ClauseBegin(uint32_t at) const;
  void SplitAdjustments();
  bool MovesToTime(uint32_t begin, uint32_t end) const;
  std::vector<std::pair<const Token*, size_t>> JoinedStrengths() const;
  MedicationStatement* TopicBefore(MedicationStatement* nearest, const Token* attribute);
  MedicationStatement* AttributeTarget(
      const Token* attribute, const std::vector<std::pair<const Token*, size_t>>& strengths);
  void ShareWithJoinedDrug(const MedicationStatement& target, const Token* attribute);
  void NoteTableHead();
  void AddColumnFrequencies();
  void AddColumnMoods();

  // continue.cc: lines that continue an earlier statement, and headers for later lines.
  void MarkRegimenFragments();
  void ContinuePreviousSentence();
  void ContinueWithOrphans();
  void ContinueQuestionDrug();
  void ResolveAnaphor();
  void NoteHeaders();
  void AdoptDescribedRegimen();
  bool ContinueWith(const Tokens& line);
  bool ContinuesPrescribed(size_t p, const Tokens& line, Mood here) const;
  bool OpensOwnInstruction(size_t p, const Tokens& line) const;
  bool AddDayCap(size_t p, const Tokens& line);
  bool SetsNewAmount(const Tokens& line) const;
  bool InstructsChange(const text::Span& at, Mood here) const;
  bool ChangesDescribedDrug(size_t p, const Tokens& line) const;
  const Token* HeaderCue() const;
  void AddAdjustment(size_t p, const Tokens& line);
  Mood QuestionLineMood(const text::Span& at) const;
  bool OwnDirective() const;
  bool RegimenLine(Mood here) const;
  bool NextStep() const;
  bool UsageLine() const;
  bool BlockStep() const;
  bool StepUpLine() const;
  bool ChangesRecountedDrug() const;
  bool TellsReaderToFollow(size_t p, const Tokens& line, Mood here) const;
  bool OnHeadingLine(const MedicationStatement& st) const;
  bool OpensWithDirective() const;
  bool SameBlock(uint32_t from, uint32_t to) const;
  size_t ContinuedStatement() const;
  size_t TopicOf(size_t p) const;
  bool ImperativeAmountLine(const Tokens& line) const;
  void ContinueInto(size_t p, const Tokens& line, Mood here);

  const TextContext& text_;
  const std::string_view normalized_;
  const Grammar& grammar_;
  const uint32_t s_;
  const text::Span sentence_;
  Carry& carry_;
  std::vector<MedicationStatement>& out_;

  Tokens in_sentence_;  // every token inside the sentence
  Tokens drugs_;        // drug and product names, in text order
  Tokens cues_;         // mood cues that count
  Tokens attributes_;   // doses, frequencies, durations, routes
  Tokens products_, therapies_, anaphors_, overview_markers_;
  Tokens frames_;   // cues that open a part of the text for someone (Frame)
  Tokens orphans_;  // attributes no drug of the sentence takes
  int herb_amounts_ = 0;
  const Token* heading_ = nullptr;
  bool question_ = false;          // the sentence is a question
  bool addresses_reader_ = false;  // the sentence has a word of address (grammar `address`)
  bool in_frame_ = false;   // the sentence is in a part for someone else or a story (NoteFrame)
  uint32_t relay_end_ = 0;  // the end of the sentence's first relay cue (0: none)
  bool under_overview_ = false;
  bool under_rx_form_ = false;
  bool under_header_ = false;
  size_t first_new_ = 0;  // the index in out_ of the sentence's first own statement
  bool continued_ = false;
  bool usage_line_ = false;  // the line continues a drug named a few lines before (UsageLine)
  bool step_up_ = false;     // the line is a dose step under a step-up line (StepUpLine)
};

}  // namespace medaudit::extract::internal
