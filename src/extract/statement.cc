// The statement extractor's driver: reads a text sentence by sentence (SentenceReader, whose
// steps are listed in Read below), then completes the statements.
#include "extract/statement.h"

#include <algorithm>

#include "extract/internal/attach.h"
#include "extract/internal/mood.h"
#include "extract/internal/sentence.h"

namespace medaudit::extract {
namespace internal {
namespace {

// How many sentences after one or two herb amounts a decoction instruction may come ("炒谷芽15克，
// 金桔2-3枚。…功效…。将…放入砂锅内…煎煮10分钟…当茶饮"; a Markdown recipe lists one ingredient a
// line: "- 2 tbsp dried sage\n- 1 tsp …\n- 500 ml water\n- honey\nSimmer …").
constexpr uint32_t kDecoctionReach = 5;

}  // namespace

DecoctionIndex::DecoctionIndex(std::string_view normalized,
                               const std::vector<text::Span>& sentences, const Grammar& grammar)
    : normalized_(normalized),
      sentences_(sentences),
      grammar_(grammar),
      decoction_(sentences.size(), -1) {}

bool DecoctionIndex::Has(uint32_t t) const {
  if (decoction_[t] < 0) {
    const std::string_view text = normalized_.substr(sentences_[t].begin, sentences_[t].size());
    decoction_[t] = std::any_of(grammar_.decoctions().begin(), grammar_.decoctions().end(),
                                [&](const std::string& w) { return text.find(w) != text.npos; });
  }
  return decoction_[t] == 1;
}

bool DecoctionIndex::Follows(uint32_t s) const {
  for (uint32_t t = s; t < sentences_.size() && t <= s + kDecoctionReach; ++t) {
    if (Has(t)) return true;
  }
  return false;
}

void SentenceReader::Read() {
  CollectTokens();
  ClassifyTokens();
  MergeProducts();
  FilterCues();
  DropNested(&attributes_);
  NotePosition();  // before any mood is resolved: prescription and header lines in reach
  RecapEarlier();
  CarryDrugIntoTable();
  first_new_ = out_.size();
  AddDrugStatements();
  AddHerbalRecipe();
  AssignAttributes();
  SplitAdjustments();
  MarkRegimenFragments();
  ContinuePreviousSentence();
  ContinueWithOrphans();
  ContinueQuestionDrug();
  ResolveAnaphor();
  AddColumnFrequencies();
  AddColumnMoods();
  NoteTableHead();
  NoteHeaders();  // last: a header governs the lines after it, not its own
}

}  // namespace internal

void ExtractStatements(std::string_view normalized, const std::vector<text::Span>& sentences,
                       const std::vector<Token>& tokens, const Grammar& grammar,
                       std::vector<MedicationStatement>* out, QuestionKind question,
                       const std::vector<MedicationStatement>* question_statements) {
  out->clear();
  const internal::TextContext text{
      normalized,
      sentences,
      tokens,
      grammar,
      internal::ReadDocumentKind(normalized, sentences, tokens, grammar, question),
      internal::ReadQuestionDrug(question_statements),
      internal::DecoctionIndex(normalized, sentences, grammar)};
  internal::Carry carry;
  for (uint32_t s = 0; s < sentences.size(); ++s) {
    internal::SentenceReader(text, s, &carry, out).Read();
  }
  internal::CompleteStatements(normalized, tokens, grammar, text.asked, out);
}

}  // namespace medaudit::extract
