// Rule packs (design.md §3): one JSON file each under rules/, holding metadata, named lexicons
// and patterns, and rules with condition trees, messages, citations and their own tests.
// LoadPack() validates everything and names the file and JSON pointer of any problem.
// Packs are plain data: immutable after loading, safe to share between threads.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "extract/grammar.h"
#include "text/lang.h"

namespace medaudit::rules {

enum class Severity : uint8_t { kInfo, kWarn, kHarm, kBlock };
std::string_view SeverityName(Severity severity);

enum class Scope : uint8_t { kSentence, kText };

// A dose limit a statement can exceed (StatementPredicate::exceeds); the pack names them
// "single", "daily", "child_single", "child_daily", "elderly_single", "elderly_daily",
// "renal_single", "renal_daily", "renal_avoid", "child_age_single", "child_age_daily",
// "question_dose", "question_dose_step" and "stated_total".
enum class Limit : uint8_t {
  kSingle,         // adult maximum per administration (mg or IU)
  kDaily,          // adult maximum per day (mg or IU)
  kChildSingle,    // mg/kg per administration, when the text gives a child's weight
  kChildDaily,     // mg/kg per day, when the text gives a child's weight
  kElderlySingle,  // when the text gives an age from the drug's elderly age
  kElderlyDaily,
  kRenalSingle,     // when the question gives impaired kidneys (extract::Patient::kidney_ml_min)
  kRenalDaily,      // a day's amount; a dose with no frequency counts as at least that per day
  kRenalAvoid,      // any dose, where the kidney band says the drug must not be used (maximum 0)
  kChildAgeSingle,  // by the child's age band, when the text gives an age but no weight
  kChildAgeDaily,
  kQuestionDose,      // more than 3 times the one dose the question states for the drug
  kQuestionDoseStep,  // at least 1.6 times it: a doubled count after a strength switch
  kStatedTotal,       // the day total or cap the text states is above the adult daily maximum
};
std::string_view LimitName(Limit limit);
// False when `name` is none of the names above.
bool ParseLimit(std::string_view name, Limit* limit);

// Predicates on a medication statement; every set field must hold.
struct StatementPredicate {
  std::vector<extract::Mood> moods;  // empty = any mood
  std::vector<std::string> has_any;  // dose | frequency | duration | route | schedule
  std::vector<std::string> has_all;
  std::vector<std::string> drug_controlled;  // narcotic | psychotropic_1 | psychotropic_2 | any
  std::vector<std::string> drug_class;       // lexicon class tags
  std::vector<std::string> drug_ids;
  bool herbal = false;  // the statement is a herbal recipe
  bool exclude_herbal = false;
  // Dose above one of the drug's limits (any of them; see Limit). "stated_total": the day total
  // or cap the text states, "no more than 12 tablets in 24 hours", is above the adult daily
  // maximum (counts times the strength of one unit).
  std::vector<Limit> exceeds;
  bool daily_of_weekly = false;             // a weekly-only drug given once a day or more often
  std::vector<std::string> drug_pregnancy;  // the drug's pregnancy flag: contraindicated | avoid
  bool drug_min_age = false;                // the drug has a minimum age (e.g. codeine: 12)
  // The patient's age (extract::ReadPatient over question and answer) is known and below this
  // many years: "patient_age_below": 16 (aspirin in a viral illness), 2, 0.5 (six months).
  std::optional<double> patient_age_below;
  // The patient's age is known and below the drug's minimum age (lexicon min_age_years):
  // loperamide or promethazine under 2, codeine or tramadol under 12.
  bool below_min_age = false;
  // The statement's drug is one the question names ("question_drug": true): a warning in the
  // answer about that drug, not about another one of its class.
  bool question_drug = false;

  // Filled by the engine at load (it knows the lexicon), so that matching a statement costs a few
  // bit tests: the lists above as masks, and per lexicon drug whether it meets the drug_* and
  // drug_ids conditions.
  struct Compiled {
    uint16_t moods = 0;       // bit per extract::Mood; 0 = any
    uint8_t has_any = 0;      // attribute bits (engine.cc); 0 with a non-empty has_any = none
    uint8_t has_all = 0;      // an unknown name sets a bit no statement has
    bool needs_drug = false;  // a drug_* condition, exceeds or daily_of_weekly is set
    // By drug index; predicates with the same drug conditions share one table.
    std::shared_ptr<const std::vector<uint8_t>> drug_ok;
    // drug_ok as a bitset (drug d is bit d % 64 of word d / 64), for rule triggers
    // (trigger.h); null when not built (a trigger then admits every drug).
    std::shared_ptr<const std::vector<uint64_t>> drug_bits;
  } compiled;
};

struct Condition {
  enum class Kind : uint8_t {
    kAll,
    kAny,
    kNot,
    kLexicon,
    kPattern,
    kStatement,
    kQuestion,
    kAnswer
  };
  Kind kind = Kind::kAll;
  std::vector<Condition> children;  // kAll, kAny; kNot/kQuestion/kAnswer have exactly one
  uint32_t term = 0;                // kLexicon/kPattern: index into Pack::terms
  StatementPredicate statement;     // kStatement
  std::string placeholder;          // kLexicon/kPattern in a table template: "$field.words"
  int32_t citation = -1;            // a table row's instance: index into Rule::row_citations
};

// A named lexicon or pattern of a pack: expressions per language (matched anywhere).
struct Term {
  std::string name;
  bool literal = true;
  std::vector<std::pair<std::string, std::string>> expressions;  // (lang or "any", expression)
};

struct Citation {
  std::string id;    // "cn-nhc-2022-jgxz.art21"
  std::string text;  // human-readable: document and article
};

struct RuleTest {
  std::string lang;
  std::string text;
  std::string question;
  std::vector<std::string> expect;  // "ruleid:<id>", "ok:<id>", "todoruleid:<id>", "todook:<id>"
  std::string pointer;              // where the test sits in the pack file
};

struct Rule {
  std::string id;
  std::string category;
  Severity severity = Severity::kWarn;
  std::string harm_extent;             // none | mild_moderate | severe_death
  std::string harm_likelihood;         // low | medium | high
  std::array<std::string, 4> message;  // indexed by text::Lang (kUnknown slot unused)
  Citation citation;
  // Knowledge-table rows (rules/table.h) the rule instantiated, each with its own source: a
  // finding made by a row cites the row.
  std::vector<Citation> row_citations;
  Scope scope = Scope::kSentence;
  Condition when;
  std::vector<RuleTest> tests;
  std::string pointer;  // "/rules/2"

  const std::string& Message(text::Lang lang) const;  // falls back to English
};

struct Pack {
  std::string file;
  std::string id;
  std::string version;
  std::string title;
  std::string jurisdiction;
  std::vector<Citation> implements;
  std::vector<Term> terms;
  std::vector<Rule> rules;
  std::string sha256;        // of the file's bytes; empty when loaded with PackHash::kNone
  bool tests_loaded = true;  // false: loaded with PackTests::kSkip (every Rule::tests is empty)
};

// Whether LoadPack reads the rules' `tests` arrays. Only `rules test` and `rules lint` use them,
// and they are about 40% of a pack's bytes, so `check` and `serve` skip them (start-up, issue 2).
enum class PackTests : uint8_t {
  kLoad,  // parse and validate every test
  kSkip,  // leave every rule's tests empty; a tests array is only checked to be an array whose
          // brackets and strings are balanced (`rules test`/`rules lint` validate it fully)
};

// Whether LoadPack hashes the file (Pack::sha256, which names the rule set in rules_sha256). Only
// `check` skips it: it reports no rule-set identity, and hashing the 5 MB of packs is a few ms of
// every start-up.
enum class PackHash : uint8_t { kSha256, kNone };

// Loads one pack. Errors (kPackError / kInvalidJson) carry file, line/column or JSON pointer;
// with PackTests::kSkip they are the same for every problem outside the tests arrays.
Result<Pack> LoadPack(const std::string& path, PackTests tests = PackTests::kLoad,
                      PackHash hash = PackHash::kSha256);

// The pack files of a rules directory (rules/*.json, sorted), excluding rules/knowledge/ and
// manifest.json.
Result<std::vector<std::string>> ListPackFiles(const std::string& rules_dir);

}  // namespace medaudit::rules
