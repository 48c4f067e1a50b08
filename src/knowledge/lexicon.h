// The drug lexicon: medicines with their names in zh/en/ar, classes, controlled status and dose
// limits, loaded from rules/knowledge/drugs.json. Names are stored normalized (text/normalize.h)
// so they can be matched literally against normalized answers. Load() also builds the fuzzy index
// for disguised names (knowledge/fuzzy.h) from the names and from pinyin.json and
// common_words.json beside drugs.json (both optional).
// A Lexicon is immutable after Load() and may be shared by any number of threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "text/lang.h"
#include "text/normalize.h"

namespace medaudit::knowledge {

class FuzzyIndex;

enum class Controlled : uint8_t { kNone, kNarcotic, kPsychotropic1, kPsychotropic2 };
std::string_view ControlledName(Controlled controlled);  // "", "narcotic", "psychotropic_1", ...

// A lower maximum that applies below a threshold: a creatinine clearance (or eGFR) in mL/min
// (drugs.json "renal": "below_ml_min") or a child's age in years ("child_by_age": "below_years").
// A maximum of 0 means the drug must not be used there.
struct LimitBand {
  double below = 0;
  std::optional<double> max_single_mg;
  std::optional<double> max_daily_mg;
};

struct DoseLimits {
  std::optional<double> adult_max_single_mg;
  std::optional<double> adult_max_daily_mg;
  bool weekly_only = false;
  // Strengths sold only for once-weekly (or rarer) dosing: taken daily, each is an overdose
  // (alendronate 70 mg).
  std::vector<double> weekly_strengths_mg;
  // Weight-based maxima for a child (the engine applies them when the text gives a weight under
  // 40 kg).
  std::optional<double> child_max_single_mg_per_kg;
  std::optional<double> child_max_daily_mg_per_kg;
  // Maxima for doses written in international units (vitamin D, vitamin A).
  std::optional<double> adult_max_single_iu;
  std::optional<double> adult_max_daily_iu;
  // Lower maxima for older adults, from elderly_age_years on (zolpidem 5 mg from 65).
  std::optional<double> elderly_age_years;
  std::optional<double> elderly_max_single_mg;
  std::optional<double> elderly_max_daily_mg;
  // Kidney bands, any order (drugs.json "renal"); the one with the lowest threshold above the
  // patient's clearance applies.
  std::vector<LimitBand> renal;
  // A child's maximum by age when no weight is given (drugs.json "child_by_age", from the age
  // bands of the BNF for Children / OTC labels); a band with a maximum of 0 (ibuprofen under three
  // months) applies whatever the weight.
  std::vector<LimitBand> child_by_age;
  std::optional<double> min_age_years;
  std::string pregnancy;  // "", "contraindicated" or "avoid"
  std::string source;     // key into Lexicon::sources()
};

struct Drug {
  std::string id;
  std::string atc;
  std::vector<std::string> classes;
  std::vector<std::string> forms;
  bool rx_only = true;
  Controlled controlled = Controlled::kNone;
  DoseLimits limits;
  bool HasClass(std::string_view tag) const;
};

struct DrugName {
  std::string normalized;  // as matched
  uint32_t drug = 0;       // index into Lexicon::drugs()
  text::Lang lang = text::Lang::kUnknown;
  bool brand = false;
};

class Lexicon {
 public:
  // Loads and validates drugs.json. Errors name the file and JSON pointer (kPackError).
  static Result<Lexicon> Load(const std::string& path, const text::Normalizer& normalizer);

  const std::vector<Drug>& drugs() const { return drugs_; }
  const std::vector<DrugName>& names() const { return names_; }
  const std::unordered_map<std::string, std::string>& sources() const { return sources_; }
  const std::string& version() const { return version_; }
  // Index of a drug by id, or nullopt.
  std::optional<uint32_t> Find(std::string_view id) const;
  // The fuzzy lookup over names(); never null after Load(). Built on first use (thread-safe):
  // most runs never need it, and building it costs about 10 ms of start-up.
  const FuzzyIndex* fuzzy() const;
  // SHA-256 of the fuzzy lookup's data files, known without building the index.
  const std::string& fuzzy_fingerprint() const;

 private:
  std::string version_;
  std::vector<Drug> drugs_;
  std::vector<DrugName> names_;
  std::unordered_map<std::string, std::string> sources_;
  std::unordered_map<std::string, uint32_t> by_id_;
  struct LazyFuzzy;
  std::shared_ptr<LazyFuzzy> fuzzy_;
};

}  // namespace medaudit::knowledge
