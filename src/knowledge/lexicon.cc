#include "knowledge/lexicon.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>

#include "base/file.h"
#include "base/json.h"
#include "knowledge/fuzzy.h"

namespace medaudit::knowledge {

struct Lexicon::LazyFuzzy {
  std::once_flag once;
  FuzzyData data;
  std::unique_ptr<const FuzzyIndex> index;
};

namespace {

Error PackError(const std::string& file, std::string pointer, std::string message) {
  Error error = MakeError(ErrorCode::kPackError, std::move(message));
  error.file = file;
  error.json_pointer = std::move(pointer);
  return error;
}

Result<Controlled> ParseControlled(const rapidjson::Value& value, const std::string& file,
                                   const std::string& pointer) {
  if (value.IsNull()) return Controlled::kNone;
  if (!value.IsString()) return PackError(file, pointer, "controlled must be a string or null");
  const std::string_view name = json::View(value);
  if (name == "narcotic") return Controlled::kNarcotic;
  if (name == "psychotropic_1") return Controlled::kPsychotropic1;
  if (name == "psychotropic_2") return Controlled::kPsychotropic2;
  return PackError(file, pointer, "unknown controlled status '" + std::string(name) + "'");
}

std::optional<double> OptionalNumber(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return it->value.GetDouble();
}

std::string OptionalString(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(json::View(it->value));
}

Status ReadStringList(const rapidjson::Value& value, const std::string& file,
                      const std::string& pointer, std::vector<std::string>* out) {
  if (!value.IsArray()) return PackError(file, pointer, "expected an array of strings");
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    if (!value[i].IsString())
      return PackError(file, json::Pointer(pointer, i), "expected a string");
    out->emplace_back(json::View(value[i]));
  }
  return {};
}

// Whether `value` is an array of strings (what ReadStringList accepts), checked without building
// the pointer its error needs (start-up: the lexicon has thousands of name lists).
bool AllStrings(const rapidjson::Value& value) {
  if (!value.IsArray()) return false;
  for (const auto& item : value.GetArray()) {
    if (!item.IsString()) return false;
  }
  return true;
}

// A band array of a drug's limits ("renal", "child_by_age"): objects with the threshold
// `below_key` (above 0) and at least one of "max_single_mg" / "max_daily_mg" (0 = not to be
// used). Absent: no bands.
Status ReadBands(const rapidjson::Value& limits, const char* key, const char* below_key,
                 const std::string& file, const std::string& pointer, std::vector<LimitBand>* out) {
  auto it = limits.FindMember(key);
  if (it == limits.MemberEnd()) return {};
  if (!it->value.IsArray()) return PackError(file, pointer, "expected an array of bands");
  for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
    const auto& band = it->value[i];
    const std::string at = json::Pointer(pointer, i);
    if (!band.IsObject()) return PackError(file, at, "a band must be an object");
    LimitBand limit;
    const auto below = OptionalNumber(band, below_key);
    if (!below || *below <= 0) {
      return PackError(file, at, std::string("'") + below_key + "' must be above 0");
    }
    limit.below = *below;
    limit.max_single_mg = OptionalNumber(band, "max_single_mg");
    limit.max_daily_mg = OptionalNumber(band, "max_daily_mg");
    if (!limit.max_single_mg && !limit.max_daily_mg) {
      return PackError(file, at, "a band needs 'max_single_mg' or 'max_daily_mg'");
    }
    out->push_back(limit);
  }
  return {};
}

// Whether `name` is already among names[first, end) (one drug's names; a name is kept once per
// drug). A drug has a handful of names, so a linear search is cheaper than a set over all names
// (start-up); past kLinear names the search uses *many (filled on first use) to stay n log n.
bool SeenBefore(const std::vector<DrugName>& names, size_t first, const std::string& name,
                std::set<std::string>* many) {
  constexpr size_t kLinear = 64;
  if (names.size() - first <= kLinear) {
    return std::any_of(names.begin() + static_cast<ptrdiff_t>(first), names.end(),
                       [&](const DrugName& n) { return n.normalized == name; });
  }
  if (many->empty()) {
    for (size_t i = first; i < names.size(); ++i) many->insert(names[i].normalized);
  }
  return !many->insert(name).second;
}

}  // namespace

std::string_view ControlledName(Controlled controlled) {
  switch (controlled) {
    case Controlled::kNone:
      return "";
    case Controlled::kNarcotic:
      return "narcotic";
    case Controlled::kPsychotropic1:
      return "psychotropic_1";
    case Controlled::kPsychotropic2:
      return "psychotropic_2";
  }
  return "";
}

bool Drug::HasClass(std::string_view tag) const {
  for (const auto& c : classes) {
    if (c == tag) return true;
  }
  return false;
}

std::optional<uint32_t> Lexicon::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

Result<Lexicon> Lexicon::Load(const std::string& path, const text::Normalizer& normalizer) {
  // The fuzzy lookup's data files (pinyin.json, common_words.json) are read on another thread
  // while this one reads drugs.json (start-up, issue 2); their result is taken where they were
  // read before, so a malformed drugs.json is still reported first.
  auto fuzzy_data_loader = std::async(
      std::launch::async,
      [dir = std::filesystem::path(path).parent_path().string()] { return LoadFuzzyData(dir); });
  auto data = ReadFile(path, size_t{64} << 20);
  if (!data) return data.error();
  rapidjson::Document doc;
  if (auto parsed = json::Parse(*data, path, &doc); !parsed) return parsed.error();
  if (!doc.IsObject()) return PackError(path, "", "the lexicon must be a JSON object");

  Lexicon lexicon;
  lexicon.version_ = OptionalString(doc, "version");
  if (auto it = doc.FindMember("sources"); it != doc.MemberEnd() && it->value.IsObject()) {
    for (auto& m : it->value.GetObject()) {
      if (m.value.IsString()) lexicon.sources_[m.name.GetString()] = m.value.GetString();
    }
  }
  auto drugs_it = doc.FindMember("drugs");
  if (drugs_it == doc.MemberEnd() || !drugs_it->value.IsArray()) {
    return PackError(path, "/drugs", "missing array 'drugs'");
  }
  text::NormalizedText normalized;
  std::vector<std::pair<std::string, uint32_t>> guarded_names;
  const auto& drugs = drugs_it->value;
  for (rapidjson::SizeType i = 0; i < drugs.Size(); ++i) {
    const std::string pointer = json::Pointer("/drugs", i);
    const auto& entry = drugs[i];
    if (!entry.IsObject()) return PackError(path, pointer, "a drug must be an object");
    Drug drug;
    drug.id = OptionalString(entry, "id");
    if (drug.id.empty()) return PackError(path, pointer + "/id", "missing drug id");
    if (lexicon.by_id_.count(drug.id)) {
      return PackError(path, pointer + "/id", "duplicate drug id '" + drug.id + "'");
    }
    drug.atc = OptionalString(entry, "atc");
    if (auto it = entry.FindMember("class"); it != entry.MemberEnd()) {
      if (auto s = ReadStringList(it->value, path, pointer + "/class", &drug.classes); !s) {
        return s.error();
      }
    }
    if (auto it = entry.FindMember("forms"); it != entry.MemberEnd()) {
      if (auto s = ReadStringList(it->value, path, pointer + "/forms", &drug.forms); !s) {
        return s.error();
      }
    }
    if (auto it = entry.FindMember("rx_only"); it != entry.MemberEnd() && it->value.IsBool()) {
      drug.rx_only = it->value.GetBool();
    }
    if (auto it = entry.FindMember("controlled"); it != entry.MemberEnd()) {
      auto controlled = ParseControlled(it->value, path, pointer + "/controlled");
      if (!controlled) return controlled.error();
      drug.controlled = *controlled;
    }
    if (auto it = entry.FindMember("limits"); it != entry.MemberEnd() && it->value.IsObject()) {
      const auto& limits = it->value;
      drug.limits.adult_max_single_mg = OptionalNumber(limits, "adult_max_single_mg");
      drug.limits.adult_max_daily_mg = OptionalNumber(limits, "adult_max_daily_mg");
      drug.limits.min_age_years = OptionalNumber(limits, "min_age_years");
      drug.limits.child_max_single_mg_per_kg = OptionalNumber(limits, "child_max_single_mg_per_kg");
      drug.limits.child_max_daily_mg_per_kg = OptionalNumber(limits, "child_max_daily_mg_per_kg");
      drug.limits.adult_max_single_iu = OptionalNumber(limits, "adult_max_single_iu");
      drug.limits.adult_max_daily_iu = OptionalNumber(limits, "adult_max_daily_iu");
      drug.limits.elderly_age_years = OptionalNumber(limits, "elderly_age_years");
      drug.limits.elderly_max_single_mg = OptionalNumber(limits, "elderly_max_single_mg");
      drug.limits.elderly_max_daily_mg = OptionalNumber(limits, "elderly_max_daily_mg");
      if (auto w = limits.FindMember("weekly_strengths_mg"); w != limits.MemberEnd()) {
        if (!w->value.IsArray()) {
          return PackError(path, pointer + "/limits/weekly_strengths_mg", "expected an array");
        }
        for (const auto& v : w->value.GetArray()) {
          if (!v.IsNumber()) {
            return PackError(path, pointer + "/limits/weekly_strengths_mg",
                             "expected numbers (mg)");
          }
          drug.limits.weekly_strengths_mg.push_back(v.GetDouble());
        }
      }
      if (auto s = ReadBands(limits, "renal", "below_ml_min", path, pointer + "/limits/renal",
                             &drug.limits.renal);
          !s) {
        return s.error();
      }
      if (auto s = ReadBands(limits, "child_by_age", "below_years", path,
                             pointer + "/limits/child_by_age", &drug.limits.child_by_age);
          !s) {
        return s.error();
      }
      drug.limits.pregnancy = OptionalString(limits, "pregnancy");
      drug.limits.source = OptionalString(limits, "source");
      if (auto w = limits.FindMember("weekly_only"); w != limits.MemberEnd() && w->value.IsBool()) {
        drug.limits.weekly_only = w->value.GetBool();
      }
    }
    const auto index = static_cast<uint32_t>(lexicon.drugs_.size());
    const size_t first_name = lexicon.names_.size();  // this drug's names start here
    std::set<std::string> many_names;
    // "abbreviations" are matched like names (MTX, GTN: never an ordinary word);
    // "guarded_abbreviations" only by the fuzzy lookup, in a sentence that carries a dose,
    // frequency or duration and no other drug (ASA, PCM, 阿奇: words or parts of words elsewhere).
    for (const char* group : {"names", "brands", "abbreviations", "guarded_abbreviations"}) {
      const bool guarded = std::string_view(group) == "guarded_abbreviations";
      auto it = entry.FindMember(group);
      if (it == entry.MemberEnd()) continue;
      if (!it->value.IsObject()) {
        return PackError(path, pointer + "/" + group, "expected an object keyed by language");
      }
      for (auto& by_lang : it->value.GetObject()) {
        const text::Lang lang = text::ParseLang(by_lang.name.GetString());
        if (!AllStrings(by_lang.value)) {  // the error, with its pointer (built only here)
          std::vector<std::string> ignored;
          return ReadStringList(by_lang.value, path,
                                pointer + "/" + group + "/" + by_lang.name.GetString(), &ignored)
              .error();
        }
        for (const auto& name : by_lang.value.GetArray()) {
          normalizer.Normalize(json::View(name), &normalized);
          if (normalized.text.empty()) continue;
          if (guarded) {
            guarded_names.emplace_back(normalized.text, index);
            continue;
          }
          if (SeenBefore(lexicon.names_, first_name, normalized.text, &many_names)) continue;
          lexicon.names_.push_back(
              DrugName{normalized.text, index, lang, std::string_view(group) == "brands"});
        }
      }
    }
    lexicon.by_id_.emplace(drug.id, index);
    lexicon.drugs_.push_back(std::move(drug));
  }
  auto fuzzy_data = fuzzy_data_loader.get();
  if (!fuzzy_data) return fuzzy_data.error();
  lexicon.fuzzy_ = std::make_shared<LazyFuzzy>();
  lexicon.fuzzy_->data = std::move(*fuzzy_data);
  lexicon.fuzzy_->data.abbreviations = std::move(guarded_names);
  return lexicon;
}

const FuzzyIndex* Lexicon::fuzzy() const {
  std::call_once(fuzzy_->once, [this] {
    fuzzy_->index = std::make_unique<const FuzzyIndex>(FuzzyIndex::Build(names_, fuzzy_->data));
  });
  return fuzzy_->index.get();
}

const std::string& Lexicon::fuzzy_fingerprint() const { return fuzzy_->data.fingerprint; }

}  // namespace medaudit::knowledge
