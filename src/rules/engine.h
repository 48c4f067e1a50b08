// The check engine: loads every rule pack of a rules directory with the drug lexicon and the
// medication grammar, compiles their literals and patterns into match databases, and checks
// answers: normalize -> scan -> sentences -> medication statements -> rule conditions -> findings
// with spans into the ORIGINAL answer -> verdict.
//
// Three databases. Drug names and the grammar entries that open a medication statement (unnamed
// products, herb amounts, doses, frequencies, durations) are in both the answer database and the
// question database; each pack term is in the one(s) for the side(s) its rules read it on (a term
// read only under `question` scans questions alone, one read only outside scans answers alone), so
// each text is scanned by one of the two. The context database (the rest of the grammar: routes
// and mood cues) scans only texts where that scan found a medicine or a regimen, because only
// medication statements and the evasion hook, which start from those, read it.
//
// An Engine is immutable after Load() and may be shared by any number of threads; each thread
// passes its own Workspace (reusable buffers, so the hot path does not allocate after warm-up).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "extract/grammar.h"
#include "extract/patient.h"
#include "extract/statement.h"
#include "knowledge/lexicon.h"
#include "match/database.h"
#include "rules/pack.h"
#include "rules/trigger.h"
#include "text/lang.h"
#include "text/normalize.h"

namespace medaudit::rules {

struct EngineOptions {
  std::string rules_dir;  // holds *.json packs and knowledge/{drugs,grammar}.json
  std::string cache_dir;  // compiled-database cache ("" = none)
  match::Engine engine = match::Engine::kHyperscan;
  size_t max_answer_bytes = size_t{32} << 20;  // a longer answer is a kTooLarge error
  bool require_manifest = false;  // refuse rules that do not match rules_dir/manifest.json
  // Whether the packs' own tests are loaded (Rule::tests). Only `rules test` and `rules lint` read
  // them; skipping them makes start-up cheaper (see PackTests).
  PackTests pack_tests = PackTests::kLoad;
  // Whether the `any` nodes with many children (knowledge-table rows) are indexed for the relaxed
  // pass (engine.cc, AnyIndex). Findings are the same either way; false walks every child, so
  // that tests can compare the two.
  bool index_wide_any_nodes = true;
  // Whether the rule set is identified: each pack file hashed (Pack::sha256) and rules_sha256()
  // computed. False leaves both empty, for callers that never report them (`check`).
  bool identify_rules = true;
  // Whether checks may carry a question. False (honoured only with identify_rules false, since
  // rules_sha256 names the question database) skips loading the question database, the second
  // largest, for callers that know no question will come (`check TEXT` without --question): a
  // Check() with a question then fails with kInvalidArgument.
  bool questions = true;
};

enum class Verdict : uint8_t { kAllow, kFlag, kBlock };
std::string_view VerdictName(Verdict verdict);

struct Finding {
  const Rule* rule = nullptr;
  text::Span span;         // byte range in the ORIGINAL answer
  int32_t cited_row = -1;  // a knowledge-table row that made the rule hold, or -1

  // The row's source when a table row made the finding, else the rule's citation.
  const Citation& citation() const {
    return cited_row < 0 ? rule->citation : rule->row_citations[static_cast<size_t>(cited_row)];
  }
};

struct CheckInput {
  std::string_view answer;
  std::string_view question;               // may be empty
  text::Lang lang = text::Lang::kUnknown;  // kUnknown: detected from the answer
};

struct CheckResult {
  Verdict verdict = Verdict::kAllow;
  text::Lang lang = text::Lang::kUnknown;  // the answer's language (given or detected)
  std::vector<Finding> findings;           // sorted by span, then rule id
};

// Reusable per-thread buffers.
struct Workspace {
  text::NormalizedText answer, question;
  std::vector<match::Hit> hits, context_hits, merged_hits;
  bool scan_all = false;  // scan context patterns of every text (for --explain)
  std::vector<text::Span> sentences;
  std::vector<extract::Token> tokens;
  std::vector<std::pair<uint32_t, text::Span>> term_hits, question_term_hits;
  std::vector<extract::MedicationStatement> statements;
  // statements[sentence_statements[s], sentence_statements[s + 1]) are those of sentence s.
  std::vector<uint32_t> sentence_statements;
  // Per global term index: bit 1 = the term occurs in the answer, bit 2 = in the question (set
  // and cleared within Check()).
  std::vector<uint8_t> term_seen;
  std::vector<text::Span> question_sentences;
  std::vector<extract::Token> question_tokens;
  std::vector<extract::MedicationStatement> question_statements;
  // Read only when a dose limit depends on weight or age, or a rule asks for the patient's age.
  extract::Patient patient;
  // A short reply that names no medicine ("you can stop", "take it", "两个药一起吃"): one
  // statement per drug the question names, in each clause whose one mood is directive or negated
  // (ResolveDruglessReply in engine.cc). Only clinical-harm packs (id "harm-...") read them, only
  // when `statements` is empty, and never under a `not`.
  std::vector<extract::MedicationStatement> reply_statements;
  // Per answer sentence: whether a sentence-scoped rule's sentence trigger can fire there.
  std::vector<uint8_t> sentence_marks;
};

class Engine {
 public:
  static Result<std::shared_ptr<const Engine>> Load(const EngineOptions& options);

  // Checks one answer. Fails with kInvalidUtf8 (answer or question not UTF-8) or kTooLarge.
  Status Check(const CheckInput& input, Workspace* workspace, CheckResult* result) const;

  const std::vector<Pack>& packs() const { return packs_; }
  const knowledge::Lexicon& lexicon() const { return lexicon_; }
  const extract::Grammar& grammar() const { return grammar_; }
  const match::Database& database() const { return *database_; }  // the answer database
  size_t pattern_count() const;
  const text::Normalizer& normalizer() const { return *normalizer_; }
  // SHA-256 over every pack, the lexicon and the grammar: identifies the rule set of a run. Empty
  // when loaded with EngineOptions::identify_rules false.
  const std::string& rules_sha256() const { return rules_sha256_; }
  const Rule* FindRule(std::string_view id) const;

  // Scans and extracts only (for tests, benchmarks and `rules explain`). Precondition, as for
  // text::Normalizer: answer is valid UTF-8 (Check() validates its inputs itself). question: what
  // the question says about the answer's reader (extract::ReadQuestion; kNone = none known).
  // question_statements: the question's medication statements, or null; a drug the question names
  // lets a drugless dose line of the answer be read as about that drug
  // (extract::ExtractStatements).
  void Analyze(
      std::string_view answer, Workspace* workspace,
      extract::QuestionKind question = extract::QuestionKind::kNone,
      const std::vector<extract::MedicationStatement>* question_statements = nullptr) const;

 private:
  struct PatternRef {
    enum class Source : uint8_t { kDrug, kGrammar, kTerm } source;
    uint32_t index;  // drug index, grammar entry index or global term index
  };
  struct Evaluation;
  struct AnyIndexes;
  Engine() = default;
  static std::shared_ptr<const AnyIndexes> IndexWideAnyNodes(
      const std::vector<Pack>& packs, const std::vector<uint32_t>& term_base);
  static void IndexStatementsBySentence(Workspace* ws);
  static void MarkSentences(const Trigger& trigger,
                            std::span<const extract::MedicationStatement> statements,
                            Workspace* ws);
  bool OpensContext(const PatternRef& ref) const;
  // with_context: scan the context patterns (mood cues, routes) even when the text opens no
  // context itself (the question names the drug a drugless answer is about).
  void ScanTerms(std::string_view normalized, Workspace* workspace,
                 std::vector<std::pair<uint32_t, text::Span>>* term_hits,
                 std::vector<extract::Token>* tokens, bool with_context = false,
                 bool is_question = false) const;

  std::unique_ptr<text::Normalizer> normalizer_;
  knowledge::Lexicon lexicon_;
  extract::Grammar grammar_;
  std::vector<Pack> packs_;
  std::vector<uint32_t> term_base_;                      // first global term index of each pack
  uint32_t term_count_ = 0;                              // global term indexes of all packs
  std::vector<std::vector<Trigger>> triggers_;           // per pack, per rule
  std::vector<std::vector<Trigger>> sentence_triggers_;  // the same, on one sentence
  // The `any` nodes with many children (knowledge-table rows), indexed by what each child needs,
  // so that the relaxed pass visits only the children that can hold (engine.cc, AnyIndex).
  std::shared_ptr<const AnyIndexes> any_indexes_;
  std::vector<PatternRef> refs_;                             // by pattern id
  std::shared_ptr<const match::Database> database_;          // answers
  std::shared_ptr<const match::Database> context_database_;  // texts with a medicine
  // Questions: drug names, the opening grammar entries and the terms rules read inside `question`
  // conditions (crisis wording, table conditions). Answers do not pay for the question-only terms,
  // nor questions for the answer-only ones, and a question is scanned once.
  std::shared_ptr<const match::Database> question_database_;
  std::string rules_sha256_;
  size_t max_answer_bytes_ = 0;
  // Per pack: the global index of its "guard_negation" lexicon, or -1 (the pack keeps its guards
  // as written). In a pack that has one, a guard (a term under an odd number of `not`s) right after
  // one of its words does not guard ("不必逐渐减量"), nor one about a drug the rule does not name.
  std::vector<int64_t> guard_negation_;
  bool uses_patient_age_ = false;  // a rule's statement predicate asks for the patient's age
  bool questions_ = true;          // the question database is loaded (EngineOptions::questions)
};

}  // namespace medaudit::rules
