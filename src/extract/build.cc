// SentenceReader, part 2: the sentence's own statements (drugs, herbal recipes) and the
// attributes each of them takes.
#include <algorithm>
#include <string>
#include <vector>

#include "extract/internal/attach.h"
#include "extract/internal/lexical.h"
#include "extract/internal/sentence.h"
#include "extract/internal/structured.h"

namespace medaudit::extract::internal {
namespace {

constexpr int kMinHerbAmounts = 3;

// Whether the words before a verb in its clause leave it opening the clause: nothing but spaces,
// Markdown emphasis and a connective ("so", "then", "所以", "那就", "ف").
bool OpensClause(std::string_view before) {
  static constexpr std::string_view kConnectives[] = {
      "so",
      "then",
      "and",
      "now",
      "\xE9\x82\xA3",  // 那
      "\xE6\x89\x80\xE4\xBB\xA5",
      "\xE9\x82\xA3\xE5\xB0\xB1",
      "\xE9\x82\xA3\xE4\xB9\x88",
      "\xE7\x84\xB6\xE5\x90\x8E",  // 所以 那就 那么 然后
      "\xD9\x81",
      "\xD9\x88"};  // ف و
  return internal::IsEmptyOrOneOf(before, kConnectives);
}

// The moods of a drug mention that a later clause of its sentence may change into an instruction
// by setting a new amount with a directive of its own. A drug paused in its own clause is one too:
// "今天停服1次华法林，明天起改为每天2.25mg", "skip tonight's dose, then change to 2.5 mg".
bool Adjustable(Mood mood) {
  return mood == Mood::kHistory || mood == Mood::kInformational || mood == Mood::kUnmarked ||
         mood == Mood::kNegated;
}

// The last of a run of doses joined by "/" that starts at attributes[i] ("500 mg/30 mg").
size_t SlashedRunEnd(std::string_view normalized, const std::vector<const Token*>& attributes,
                     size_t i) {
  size_t j = i;
  while (j + 1 < attributes.size() && attributes[j + 1]->kind == TokenKind::kDose &&
         attributes[j + 1]->span.begin >= attributes[j]->span.end &&
         Trim(normalized.substr(attributes[j]->span.end,
                                attributes[j + 1]->span.begin - attributes[j]->span.end)) == "/") {
    ++j;
  }
  return j;
}

// Whether the last k statements of `indices` name drugs joined as ingredients.
bool LastNamesJoined(std::string_view normalized, const std::vector<MedicationStatement>& out,
                     const std::vector<size_t>& indices, size_t k) {
  bool joined = true;
  for (size_t m = indices.size() - k; m + 1 < indices.size() && joined; ++m) {
    const auto& a = out[indices[m]].drug_span;
    const auto& b = out[indices[m + 1]].drug_span;
    joined = a.end <= b.begin && JoinsIngredients(normalized.substr(a.end, b.begin - a.end));
  }
  return joined;
}

// Whether a herb amount names what is weighed ("炒谷芽15克"), not how much is taken ("每次50克"),
// and weighs a plant, not a household salt or sugar ("1 tsp of salt in warm water" is a gargle).
bool IngredientAmount(std::string_view normalized, const Token* t) {
  if (t->kind != TokenKind::kHerbAmount || NamelessAmount(normalized, *t)) return false;
  const std::string_view hit = normalized.substr(t->span.begin, t->span.size());
  static constexpr std::string_view kNotHerbs[] = {" salt",
                                                   " sugar",
                                                   " baking soda",
                                                   " bicarbonate",
                                                   "\xE7\x9B\x90",               // 盐
                                                   "\xD9\x85\xD9\x84\xD8\xAD",   // ملح
                                                   "\xD8\xB3\xD9\x83\xD8\xB1"};  // سكر
  if (std::any_of(std::begin(kNotHerbs), std::end(kNotHerbs),
                  [&](std::string_view w) { return hit.find(w) != hit.npos; })) {
    return false;
  }
  static constexpr std::string_view kIntake[] = {"\xE6\xAF\x8F", "\xE6\xAC\xA1",  // 每 次
                                                 "\xE6\x9C\x8D", "\xE5\x90\x83",  // 服 吃
                                                 "\xE5\x89\x82"};                 // 剂
  return std::none_of(std::begin(kIntake), std::end(kIntake),
                      [&](std::string_view w) { return hit.find(w) != hit.npos; });
}

// Whether a token is an amount by weight ("5 g", "15克", "5 غ"): an ingredient's measure.
bool WeighedAmount(std::string_view normalized, const Token& t) {
  if (t.kind != TokenKind::kDose && t.kind != TokenKind::kHerbAmount) return false;
  const auto amount = ParseAmount(normalized.substr(t.span.begin, t.span.size()));
  return amount.has_value() && amount->kind == text::UnitKind::kMass;
}

// The first ingredient amount of a structured recipe when it lies in this sentence and the text
// weighs at least two ingredients ({"المكونات": [{"الاسم": "كمون", "الكميه": "5 غ"}, …]}, "组成:\n
// - 黄芪: 15克\n  - 当归: 6克"); nullptr otherwise. A block's ingredients make one recipe, at its
// first amount.
const Token* StructuredRecipeStart(std::string_view normalized, const std::vector<Token>& tokens,
                                   const std::vector<const Token*>& in_sentence) {
  auto ingredient = [&](const Token& t) {
    return WeighedAmount(normalized, t) && InIngredients(normalized, t.span.begin);
  };
  const auto own = std::find_if(in_sentence.begin(), in_sentence.end(),
                                [&](const Token* t) { return ingredient(*t); });
  if (own == in_sentence.end()) return nullptr;
  const auto first = std::find_if(tokens.begin(), tokens.end(), ingredient);
  if (first == tokens.end() || &*first != *own) return nullptr;
  const bool second = std::any_of(first + 1, tokens.end(), [&](const Token& t) {
    return t.span.begin >= first->span.end && ingredient(t);
  });
  // A list under "ingredients:" may be food ("200 g red lentils"): it needs a herb of the
  // lexicon weighed in it ("15 g fresh ginger root") or a lead-in that names herbs.
  bool listed = false;
  bool herbal = false;
  InIngredients(normalized, first->span.begin, &listed, &herbal);
  const bool herb = std::any_of(first, tokens.end(), [&](const Token& t) {
    return t.kind == TokenKind::kHerbAmount && ingredient(t);
  });
  return second && (!listed || herb || herbal) ? *own : nullptr;
}

// Whether words name a time of day or a meal a dose is taken at ("在6点", "早上", "睡前", "at 6
// am", "in the morning", "before breakfast", "الساعه 6", "صباحا", "قبل الفطور"): a prohibition with
// one holds the drug back from that time only.
bool NamesTime(std::string_view words) {
  static constexpr std::string_view kTimes[] = {
      "\xE7\x82\xB9",              // 点 (after a digit)
      "\xE6\x97\xA9\xE4\xB8\x8A",  // 早上
      "\xE6\x97\xA9\xE6\x99\xA8",  // 早晨
      "\xE6\x99\x9A\xE4\xB8\x8A",  // 晚上
      "\xE7\x9D\xA1\xE5\x89\x8D",  // 睡前
      "\xE9\xA5\xAD\xE5\x89\x8D",  // 饭前
      "\xE7\xA9\xBA\xE8\x85\xB9",  // 空腹
      " am ",
      " pm ",
      " a.m.",
      " p.m.",
      "o'clock",
      " morning",
      " evening",
      " bedtime",
      " at night",
      "before breakfast",
      "before your blood test",
      "before the blood test",
      " iftar",
      " suhoor",
      " suhur",
      "\xD8\xA7\xD9\x84\xD8\xA7\xD9\x81\xD8\xB7\xD8\xA7\xD8\xB1",  // الافطار
      "\xD8\xA7\xD9\x84\xD8\xB3\xD8\xAD\xD9\x88\xD8\xB1",          // السحور
      "\xE5\xB0\x81\xE6\x96\x8B",                                  // 封斋 (suhoor)
      "\xE5\xBC\x80\xE6\x96\x8B",                                  // 开斋 (iftar)
      "\xD8\xA7\xD9\x84\xD8\xB3\xD8\xA7\xD8\xB9\xD9\x87",          // الساعه
      "\xD8\xB5\xD8\xA8\xD8\xA7\xD8\xAD",                          // صباح
      "\xD9\x85\xD8\xB3\xD8\xA7\xD8\xA1",                          // مساء
      "\xD8\xA7\xD9\x84\xD9\x81\xD8\xB7\xD9\x88\xD8\xB1"};         // الفطور
  const std::string spaced = std::string(words) + " ";
  for (std::string_view t : kTimes) {
    const size_t at = spaced.find(t);
    if (at == std::string::npos) continue;
    // (点, am and pm count after a digit only: "一点" is "a little", "i am" is no time.)
    const bool after_digit = t == kTimes[0] || t == " am " || t == " pm ";
    if (after_digit && (at == 0 || spaced[at - 1] < '0' || spaced[at - 1] > '9')) continue;
    return true;
  }
  return false;
}

// Whether a prohibition or a refusal lies in [from, to) ("您说的布洛芬不能吃，…", "Stop the X you
// mentioned; …"): the drug before it is ruled out.
bool RuledOutBetween(const std::vector<const Token*>& cues, uint32_t from, uint32_t to) {
  return std::any_of(cues.begin(), cues.end(), [&](const Token* c) {
    return c->span.begin >= from && c->span.end <= to &&
           (c->cue == Mood::kNegated || c->cue == Mood::kRefusal);
  });
}

// Whether the words in [begin, end) of one clause are a directive whose object refers back to a
// drug named earlier: a pronoun after the verb ("take it", "give them", "use this one"), an
// object pronoun joined to an Arabic verb ("تناوله", "خذها", "اعطيه", "خذ منه"), a Chinese 它
// before or after the verb ("它每次吃1片", "把它掰开"), or a reference back of the grammar ("the
// tablets", "这个药", "هذا الدواء"). Any cue other than a directive in those words (a prohibition,
// a referral, a condition, a question) leaves it to the mood rules.
bool PronounDirective(std::string_view normalized, const std::vector<const Token*>& cues,
                      const std::vector<const Token*>& anaphors, uint32_t begin, uint32_t end) {
  bool directive = false;
  bool object = false;
  for (const Token* c : cues) {
    if (c->span.begin < begin || c->span.end > end) continue;
    if (c->cue != Mood::kDirective) return false;
    directive = true;
    const std::string_view after = normalized.substr(c->span.end, end - c->span.end);
    static constexpr std::string_view kLatin[] = {" it ",    " it,",       " them ",
                                                  " them,",  " this one ", " that one ",
                                                  " these ", " those ",    " the same one "};
    for (std::string_view p : kLatin) {
      // (The clause may end right after the pronoun: "take it" before "500 mg" in its range.)
      if (after.starts_with(p) || after == p.substr(0, p.size() - 1)) object = true;
    }
    // Arabic object suffixes: ه ها هم هما يه يها, and "منه" / "منها" (of it).
    static constexpr std::string_view kSuffixes[] = {
        "\xD9\x8A\xD9\x87\xD8\xA7",  "\xD9\x87\xD9\x85\xD8\xA7",
        "\xD9\x8A\xD9\x87",          "\xD9\x87\xD8\xA7",
        "\xD9\x87\xD9\x85",          "\xD9\x87",
        " \xD9\x85\xD9\x86\xD9\x87", " \xD9\x85\xD9\x86\xD9\x87\xD8\xA7"};
    for (std::string_view p : kSuffixes) {
      if (!after.starts_with(p)) continue;
      const std::string_view rest = after.substr(p.size());
      // (The suffix ends the word: "تناوله " and not "تناولها" read as "ه" + "ا".)
      if (rest.empty() || rest.front() == ' ' || rest.front() == ',' || rest.front() == ':') {
        object = true;
      }
    }
  }
  if (!directive) return false;
  if (object) return true;
  const std::string_view clause = normalized.substr(begin, end - begin);
  constexpr std::string_view kIt = "\xE5\xAE\x83";     // 它
  constexpr std::string_view kOther = "\xE5\x85\xB6";  // 其 (其它: other)
  for (size_t at = clause.find(kIt); at != std::string_view::npos; at = clause.find(kIt, at + 1)) {
    if (at < kOther.size() || clause.substr(at - kOther.size(), kOther.size()) != kOther) {
      return true;
    }
  }
  return std::any_of(anaphors.begin(), anaphors.end(),
                     [&](const Token* t) { return t->span.begin >= begin && t->span.end <= end; });
}

// Whether the words before a drug make it the circumstance of the sentence, the medicine the
// reader is on, not its subject: "is the usual choice on warfarin", "safe while taking
// sertraline", "آمن على الوارفارين" (strong: no other reading), or "is fine with lisinopril",
// "هو الأفضل مع الوارفارين" (weak: "with" also joins two medicines taken together, so only after
// a copula). `before` is the sentence up to the drug.
enum class Circumstance : uint8_t { kNone, kWeak, kStrong };
Circumstance CircumstanceBefore(std::string_view before) {
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  constexpr std::string_view kThe = "\xD8\xA7\xD9\x84";  // ال
  if (before.ends_with(kThe)) before.remove_suffix(kThe.size());
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (std::string_view determiner : {" your", " the", " their", " his", " her"}) {
    if (before.ends_with(determiner)) {
      before.remove_suffix(determiner.size());
      break;
    }
  }
  const std::string spaced = " " + std::string(before);
  static constexpr std::string_view kStrong[] = {
      " on",
      " while on",
      " while taking",
      " while you take",
      " if you take",
      " if you're on",
      " if you are on",
      " people on",
      " patients on",
      " those on",
      " anyone on",
      " someone on",
      " \xD8\xB9\xD9\x84\xD9\x8A",  // علي (على)
      " \xD8\xA7\xD8\xAB\xD9\x86\xD8\xA7\xD8\xA1 "
      "\xD8\xAA\xD9\x86\xD8\xA7\xD9\x88\xD9\x84",  // اثناء تناول
  };
  static constexpr std::string_view kWeak[] = {" with", " alongside", " besides",
                                               " \xD9\x85\xD8\xB9"};  // مع
  for (std::string_view p : kStrong) {
    if (std::string_view(spaced).ends_with(p)) return Circumstance::kStrong;
  }
  for (std::string_view p : kWeak) {
    if (std::string_view(spaced).ends_with(p)) return Circumstance::kWeak;
  }
  return Circumstance::kNone;
}

// A copula or a word of judgement between the subject and the circumstance ("X is the usual
// choice on warfarin", "X is fine with Y", "X هو الخيار الأفضل مع Y").
bool JudgesSubject(std::string_view between) {
  const std::string spaced = " " + std::string(between) + " ";
  static constexpr std::string_view kWords[] = {
      " is ",
      " are ",
      "'s ",
      " remains ",
      " stays ",
      " safe ",
      " safer ",
      " fine ",
      " okay ",
      " ok ",
      " best ",
      " better ",
      " preferred ",
      " choice ",
      " \xD9\x87\xD9\x88 ",                          // هو
      " \xD9\x87\xD9\x8A ",                          // هي
      " \xD9\x8A\xD8\xB9\xD8\xAA\xD8\xA8\xD8\xB1 ",  // يعتبر
      " \xD8\xAA\xD8\xB9\xD8\xAA\xD8\xA8\xD8\xB1 ",  // تعتبر
      " \xD8\xA7\xD9\x85\xD9\x86 ",                  // امن (آمن)
  };
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](std::string_view w) { return spaced.find(w) != std::string::npos; });
}

// "Acetaminophen is the usual choice on warfarin: 500–1,000 mg up to three times a day",
// "الباراسيتامول هو الخيار الأفضل مع الوارفارين: ٥٠٠ ملغ": an amount right after a colon that
// follows the medicine the reader is on belongs to the subject of the sentence (`subject`, its
// first drug, named before `nearest` in the same clause). `nearest` otherwise.
MedicationStatement* SubjectOverCircumstance(std::string_view normalized,
                                             const text::Span& sentence,
                                             MedicationStatement* subject,
                                             MedicationStatement* nearest, const Token* attribute,
                                             bool same_clause) {
  if (nearest->drug_span.end > attribute->span.begin) return nearest;
  // The colon right after the drug, then the amount and what follows it in its clause ("500–1,000
  // mg up to three times a day": a comma inside a number is no boundary).
  std::string_view gap = Trim(
      normalized.substr(nearest->drug_span.end, attribute->span.begin - nearest->drug_span.end));
  // "...: up to 1 g four times a day, no more than 4 g in 24 hours": once the subject has taken an
  // amount after the colon, the rest of the sentence goes on about it.
  if (subject != nearest && subject->last_amount.end > nearest->drug_span.end &&
      subject->last_amount.end <= attribute->span.begin) {
    return subject;
  }
  if (gap.starts_with(":")) {
    gap.remove_prefix(1);
  } else if (gap.starts_with("\xEF\xBC\x9A")) {  // "："
    gap.remove_prefix(3);
  } else {
    return nearest;
  }
  for (std::string_view boundary : {":", ";", ", ", ". ", " - ", "\xEF\xBC\x8C", "\xEF\xBC\x9B",
                                    "\xE3\x80\x82", "\xEF\xBC\x9A"}) {
    if (gap.find(boundary) != std::string_view::npos) return nearest;
  }
  if (subject == nearest || !same_clause || subject->drug == kHerbalRecipe || subject->allergy ||
      subject->drug == nearest->drug || subject->mood == Mood::kNegated ||
      subject->drug_span.end > nearest->drug_span.begin) {
    return nearest;
  }
  const Circumstance circumstance = CircumstanceBefore(
      normalized.substr(sentence.begin, nearest->drug_span.begin - sentence.begin));
  if (circumstance == Circumstance::kNone) return nearest;
  if (circumstance == Circumstance::kWeak &&
      !JudgesSubject(normalized.substr(subject->drug_span.end,
                                       nearest->drug_span.begin - subject->drug_span.end))) {
    return nearest;
  }
  return subject;
}

}  // namespace

// A table's header and rule rows carry the drug named above the table to its first data row
// ("按下面的量给蒙脱石散：| 年龄 | 每次剂量 | 次数 | |---|…| | 1岁以下 | 1/3袋 | 每日3次 |").
void SentenceReader::CarryDrugIntoTable() {
  if (drugs_.empty() && attributes_.empty() && !out_.empty() && out_.back().sentence + 1 == s_ &&
      IsTableRow(normalized_, sentence_)) {
    out_.back().sentence = s_;
  }
}

// "Trials used 100 mg; for you, sertraline 25 mg once daily", "研究用的是100mg；对你来说，…",
// "…؛ بالنسبه لك، …": a word that turns to the reader (grammar `words.reader_turn`) before the
// drug in its sentence: the item is the answer's own, not the next option of the list before it.
bool SentenceReader::TurnsToReader(const text::Span& drug) const {
  const std::string_view lead =
      normalized_.substr(sentence_.begin, drug.begin - std::min(drug.begin, sentence_.begin));
  return std::any_of(grammar_.words().reader_turn.begin(), grammar_.words().reader_turn.end(),
                     [&](const std::string& w) { return internal::ContainsWord(lead, w); });
}

void SentenceReader::AddDrugStatements() {
  // The next option of a list ("；或Y，口服，每天2次") has the mood of the option before it,
  // unless a cue of its own comes before the drug. So has the next item of a list split at
  // semicolons ("目前用药：X 5mg，每日1次；Y 0.5g，每日2次").
  const bool list_option =
      !drugs_.empty() && !out_.empty() && out_.back().sentence + 1 == s_ &&
      out_.back().drug != kHerbalRecipe &&
      (OpensWithAlternative(normalized_.substr(sentence_.begin, sentence_.size())) ||
       EndsWithSemicolon(
           normalized_.substr(text_.sentences[s_ - 1].begin, text_.sentences[s_ - 1].size())));
  const Mood option_mood = list_option ? out_.back().mood : Mood::kUnmarked;
  for (const Token* drug : drugs_) {
    MedicationStatement statement;
    statement.drug = drug->kind == TokenKind::kProduct ? kUnknownProduct : drug->ref;
    statement.drug_span = drug->span;
    statement.span = drug->span;
    statement.sentence = s_;
    statement.mood = ResolveMood(drug->span);
    // (An unmarked option says nothing: the drug keeps the reading of its own cue after it, as
    // in "1. …碘伏消毒；\n2. …狂犬病疫苗：第0、3、7天各打1针".)
    if (list_option && option_mood != Mood::kUnmarked && !question_ &&
        std::none_of(cues_.begin(), cues_.end(),
                     [&](const Token* c) { return c->span.end <= drug->span.begin; }) &&
        !TurnsToReader(drug->span)) {
      statement.mood = option_mood;
    }
    statement.mood = AsRead(statement.mood, drug->span);
    statement.allergy = InAllergyClause(normalized_, drug->span, grammar_.words());
    out_.push_back(statement);
  }
}

// Whether the sentence's herb amounts make a recipe: enough of them, or one or two ingredient
// amounts of herbs alone with a decoction instruction near ("炒谷芽15克，金桔2-3枚。…当茶饮").
bool SentenceReader::IsRecipe() const {
  if (herb_amounts_ >= kMinHerbAmounts) return true;
  if (StructuredRecipeStart(normalized_, text_.tokens, in_sentence_) != nullptr) return true;
  // A herb of the lexicon named in its own amount ("炒谷芽15克") is an ingredient, not a medicine
  // of its own.
  auto in_amount = [&](const Token* d) {
    return std::any_of(in_sentence_.begin(), in_sentence_.end(), [&](const Token* t) {
      // (The amount may end inside the herb's name: "نص ملعقه صغيره حبه البركه".)
      return t->kind == TokenKind::kHerbAmount &&
             (Inside(d->span, t->span) ||
              (d->span.begin > t->span.begin && d->span.begin < t->span.end));
    });
  };
  const bool only_herbs = std::all_of(drugs_.begin(), drugs_.end(), [&](const Token* d) {
    return std::any_of(drugs_.begin(), drugs_.end(), [&](const Token* e) {
      return e->kind == d->kind && e->ref == d->ref && in_amount(e);
    });
  });
  const bool ingredient =
      std::any_of(in_sentence_.begin(), in_sentence_.end(),
                  [&](const Token* t) { return IngredientAmount(normalized_, t); });
  return ingredient && only_herbs && text_.decoctions.Follows(s_);
}

void SentenceReader::AddHerbalRecipe() {
  if (!IsRecipe()) return;
  MedicationStatement recipe;
  recipe.drug = kHerbalRecipe;
  recipe.sentence = s_;
  bool first = true;
  for (const Token* t : in_sentence_) {
    if (t->kind != TokenKind::kHerbAmount) continue;
    if (first) recipe.drug_span = recipe.span = t->span;
    first = false;
    Attach(&recipe, *t, normalized_, grammar_);
  }
  // A structured recipe's ingredients are weighed in fields of their own: the recipe stands at
  // the first amount.
  if (first) {
    const Token* start = StructuredRecipeStart(normalized_, text_.tokens, in_sentence_);
    if (start == nullptr) return;
    recipe.drug_span = recipe.span = start->span;
  }
  recipe.mood = AsRead(ResolveMood(recipe.drug_span), recipe.drug_span, /*recipe=*/true);
  out_.push_back(recipe);
}

// Gives each attribute to its drug; those no drug of the sentence takes become orphans_ ("Take
// the four tablets every morning, and don't forget the folic acid"): they may continue the
// previous sentence's drug.
void SentenceReader::AssignAttributes() {
  if (out_.size() <= first_new_) return;
  const auto strengths = JoinedStrengths();
  for (const Token* attribute : attributes_) {
    if (!Takes(attribute)) continue;
    MedicationStatement* target = AttributeTarget(attribute, strengths);
    if (target == nullptr) {
      orphans_.push_back(attribute);
      continue;
    }
    Attach(target, *attribute, normalized_, grammar_);
    ShareWithJoinedDrug(*target, attribute);
  }
}

// Where the clause that holds `at` begins in the sentence (after the last ",", ";", ":", " - ",
// "，", "；" before it).
uint32_t SentenceReader::ClauseBegin(uint32_t at) const {
  uint32_t begin = sentence_.begin;
  const std::string_view before = normalized_.substr(sentence_.begin, at - sentence_.begin);
  for (std::string_view boundary : {",", ";", ":", " - ", "\xEF\xBC\x8C", "\xEF\xBC\x9B"}) {
    const size_t cut = FindLast(before, boundary);
    if (cut != std::string_view::npos) {
      begin = std::max(begin, sentence_.begin + static_cast<uint32_t>(cut + boundary.size()));
    }
  }
  return begin;
}

// Whether the clause in [begin, end) names when a dose is taken: a frequency of the sentence in
// it, or a time of day or a meal (NamesTime).
bool SentenceReader::MovesToTime(uint32_t begin, uint32_t end) const {
  return NamesTime(normalized_.substr(begin, end - begin)) ||
         std::any_of(attributes_.begin(), attributes_.end(), [&](const Token* a) {
           return a->kind == TokenKind::kFrequency && a->span.begin >= begin && a->span.end <= end;
         });
}

// "你现在舍曲林每天50mg，下周起加到每天100mg", "You've been on X 5 mg …, so go up to 10 mg once
// daily" (the drug read as history, as described, "… with manageable side effects, so increase
// to …", or bare): a later clause about the drug the reader takes that sets a new amount ("加到",
// "go up to", "زود الجرعه الي": grammar `words.raise_to`) with a directive of its own is an
// instruction about that drug, not more of its history. The instruction takes the attributes from
// that clause to the next drug of the sentence.
void SentenceReader::SplitAdjustments() {
  // The end of the clause that holds byte `at` (its next ",", ";", ":", "，", "；" or the
  // sentence's end): a prohibition or a consequence after the amount still speaks about it
  // ("它每次吃1片也会伤胃").
  auto clause_end = [&](uint32_t at) {
    const std::string_view after = normalized_.substr(at, sentence_.end - at);
    size_t end = after.size();
    for (std::string_view boundary : {",", ";", ":", "\xEF\xBC\x8C", "\xEF\xBC\x9B"}) {
      end = std::min(end, after.find(boundary));
    }
    return at + static_cast<uint32_t>(end);
  };
  // Whether the cues in [begin, end) are directives only, the first opening its clause, and the
  // last one's object is the amount at `end` ("take another 500 mg", "so take one 50 mg tablet";
  // not "再加上脉优 5mg", another product named before the amount).
  auto imperative_opens = [&](uint32_t begin, uint32_t end) {
    const Token* last = nullptr;
    for (const Token* c : cues_) {
      if (c->span.begin < begin || c->span.end > end) continue;
      if (c->cue != Mood::kDirective) return false;
      if (last == nullptr && !OpensClause(Trim(normalized_.substr(begin, c->span.begin - begin)))) {
        return false;
      }
      if (last == nullptr || c->span.end > last->span.end) last = c;
    }
    if (last == nullptr) return false;
    static constexpr std::string_view kMore[] = {
        "another", "a",   "an",  "further", "extra",        "second",
        "more",    "one", "now", "then",    "\xE5\x86\x8D", "\xE5\x8F\x88"};  // 再 又
    std::string_view gap = Trim(normalized_.substr(last->span.end, end - last->span.end));
    while (!gap.empty()) {
      const size_t space = gap.find(' ');
      const std::string_view word = gap.substr(0, space);
      if (std::find(std::begin(kMore), std::end(kMore), word) == std::end(kMore)) return false;
      gap = space == std::string_view::npos ? std::string_view() : Trim(gap.substr(space));
    }
    return true;
  };
  for (size_t i = first_new_; i < out_.size(); ++i) {
    if (!Adjustable(out_[i].mood) || !IsLexiconDrug(out_[i].drug)) continue;
    const uint32_t drug_end = out_[i].drug_span.end;
    uint32_t limit = sentence_.end;
    for (size_t j = first_new_; j < out_.size(); ++j) {
      if (out_[j].drug_span.begin >= drug_end) limit = std::min(limit, out_[j].drug_span.begin);
    }
    uint32_t clause = 0;
    for (const Token* a : attributes_) {
      if (a->span.begin < drug_end || a->span.end > limit) continue;
      if (a->kind != TokenKind::kDose && a->kind != TokenKind::kFrequency &&
          a->kind != TokenKind::kDuration) {
        continue;
      }
      uint32_t begin = ClauseBegin(a->span.begin);
      // "The prednisolone you mentioned: take them 40 mg once a day", "您说的布洛芬：它每次吃1片",
      // "الاموكسيسيلين الذي ذكرته: تناوله 500 ملغ": a later clause whose directive takes a
      // pronoun for its object gives the drug named before it an instruction (never a drug
      // ruled out: a pronoun does not bring back what the answer says not to take).
      if (begin > drug_end && out_[i].mood != Mood::kNegated && !question_ &&
          !RuledOutBetween(cues_, drug_end, begin) &&
          PronounDirective(normalized_, cues_, anaphors_, begin, clause_end(a->span.end))) {
        clause = begin;
        break;
      }
      if (a->kind != TokenKind::kDose) continue;
      // A drug read as history may take its change in its own clause ("你婆婆现在打的X从今晚起减到
      // 每晚12单位", "the X you're on, cut it back to 5 mg"): the words after the drug are the
      // clause that changes it.
      if (begin <= drug_end) {
        if (out_[i].mood != Mood::kHistory) continue;
        begin = drug_end;
      }
      // "优甲乐先别在6点吃，…，抽完血马上吃1片", "don't take the levothyroxine at 6 am; after the
      // blood test take 50 mcg": a drug held back from one time only is moved to another.
      const bool retimed =
          out_[i].mood == Mood::kNegated && begin > drug_end &&
          NamesTime(normalized_.substr(ClauseBegin(out_[i].drug_span.begin),
                                       begin - ClauseBegin(out_[i].drug_span.begin)));
      // "you don't need to stop the metformin, just move it: take the 1000 mg dose with iftar",
      // "مش محتاج توقف الكونكور، بس غير ميعاده: خد قرص ال5 مجم … بعد الفطار", "二甲双胍不用停，…：
      // 开斋时吃1000mg": the drug the reader keeps (read as history) given an amount and a time in
      // a later clause of its own is moved to that time (by the clause's directive, below).
      const bool moved = out_[i].mood == Mood::kHistory && begin > drug_end &&
                         MovesToTime(begin, clause_end(a->span.end));
      // "you already have sumatriptan from your neurologist, take one 50 mg tablet now", "since
      // you took one 500 mg Tylenol an hour ago …, take another 500 mg now": a later clause that
      // opens with an imperative and gives an amount, no other cue before the amount, doses the
      // drug the reader has now.
      const bool dosed_now = out_[i].mood == Mood::kHistory && begin > drug_end &&
                             !RuledOutBetween(cues_, drug_end, begin) &&
                             imperative_opens(begin, a->span.begin);
      if (!SetsNewAmount({a}) && !retimed && !moved && !dosed_now) continue;
      // A drug read as history is the reader's own: any directive of the clause instructs the
      // change. A described or bare one needs an imperative that opens its clause ("…, so
      // increase to 100 mg"), not a described option ("…，严重感染可增加到每日4g").
      // So is a paused one, when nothing in the clause modifies the directive ("医生可能会改为").
      const bool history = out_[i].mood == Mood::kHistory;
      const bool paused = out_[i].mood == Mood::kNegated;
      if (paused && std::any_of(cues_.begin(), cues_.end(), [&](const Token* c) {
            return c->cue != Mood::kDirective && c->span.begin >= begin &&
                   c->span.end <= a->span.begin;
          })) {
        continue;
      }
      const bool directive = std::any_of(cues_.begin(), cues_.end(), [&](const Token* c) {
        return c->cue == Mood::kDirective && c->span.begin >= begin &&
               c->span.end <= a->span.begin &&
               (history || paused || OpensClause(normalized_.substr(begin, c->span.begin - begin)));
      });
      if (directive) {
        clause = begin;
        break;
      }
    }
    if (clause == 0) continue;
    MedicationStatement adjustment;
    adjustment.drug = out_[i].drug;
    adjustment.sentence = s_;
    adjustment.mood = AsRead(Mood::kDirective, out_[i].drug_span);
    bool first = true;
    for (const Token* a : attributes_) {
      if (a->span.begin < clause || a->span.end > limit || !Takes(a) || OwnedByTherapy(a)) continue;
      if (first) adjustment.drug_span = adjustment.span = a->span;
      first = false;
      Attach(&adjustment, *a, normalized_, grammar_);
    }
    if (first) continue;
    out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(i) + 1, adjustment);
    ++i;
  }
}

// "Paracetamol and codeine caplets 500 mg/30 mg": amounts joined by "/" after drugs joined by
// "and" or "/" are the strengths of those drugs, in order. Pairs of (amount, statement index).
std::vector<std::pair<const Token*, size_t>> SentenceReader::JoinedStrengths() const {
  std::vector<std::pair<const Token*, size_t>> strengths;
  for (size_t i = 0; i < attributes_.size(); ++i) {
    if (attributes_[i]->kind != TokenKind::kDose) continue;
    const size_t j = SlashedRunEnd(normalized_, attributes_, i);
    const size_t k = j - i + 1;
    std::vector<size_t> before;
    for (size_t m = first_new_; m < out_.size() && k >= 2; ++m) {
      const auto& st = out_[m];
      if (st.drug != kHerbalRecipe && st.drug_span.end <= attributes_[i]->span.begin) {
        before.push_back(m);
      }
    }
    if (k >= 2 && before.size() >= k && LastNamesJoined(normalized_, out_, before, k)) {
      for (size_t m = 0; m < k; ++m) {
        strengths.emplace_back(attributes_[i + m], before[before.size() - k + m]);
      }
    }
    i = j;
  }
  return strengths;
}

// The statement of this sentence an attribute belongs to: a joined strength's drug, the drug
// inside it, else the nearest drug before it, else the nearest after it in its clause.
MedicationStatement* SentenceReader::AttributeTarget(
    const Token* attribute, const std::vector<std::pair<const Token*, size_t>>& strengths) {
  MedicationStatement* target = nullptr;
  for (const auto& [amount, index] : strengths) {
    if (amount == attribute) target = &out_[index];
  }
  // "3 Tylenol Extra Strength tablets": the drug inside a count belongs to it.
  for (size_t i = first_new_; i < out_.size() && target == nullptr; ++i) {
    auto& st = out_[i];
    if (st.drug != kHerbalRecipe && Inside(st.drug_span, attribute->span)) target = &st;
  }
  for (size_t i = out_.size(); i-- > first_new_ && target == nullptr;) {
    auto& st = out_[i];  // the nearest drug before the attribute: the last one found
    if (st.drug != kHerbalRecipe && !st.allergy && st.drug_span.end <= attribute->span.begin) {
      target = TopicBefore(&st, attribute);
    }
  }
  if (target != nullptr) return target;
  // An attribute before its drug must be in the drug's clause ("每天摄取…，…维生素C" is not a
  // dose of vitamin C).
  for (size_t i = first_new_; i < out_.size(); ++i) {
    auto& st = out_[i];
    if (st.drug == kHerbalRecipe || st.drug_span.begin < attribute->span.end) continue;
    if (InSameClause(attribute->span.end, st.drug_span.begin) && !st.allergy &&
        !JoinsNewVerb(attribute->span.end, st.drug_span.begin)) {
      return &st;
    }
    return nullptr;
  }
  return nullptr;
}

// "Take amoxicillin rather than penicillin, 500 mg three times a day", "阿莫西林比青霉素好，每次
// 500毫克": when the nearest drug before an attribute is the contrasted term of a comparison, or
// is ruled out in an earlier clause than the attribute, the attribute belongs to the earlier drug
// of the sentence that is neither (the topic). `nearest` when there is none.
MedicationStatement* SentenceReader::TopicBefore(MedicationStatement* nearest,
                                                 const Token* attribute) {
  const bool ruled_out = nearest->mood == Mood::kNegated &&
                         !InSameClause(nearest->drug_span.end, attribute->span.begin);
  if (!ruled_out && !Contrasted(normalized_, sentence_, *nearest, grammar_.words())) {
    MedicationStatement* subject = out_.data() + first_new_;
    return SubjectOverCircumstance(
        normalized_, sentence_, subject, nearest, attribute,
        subject->drug_span.end <= nearest->drug_span.begin &&
            InSameClause(subject->drug_span.end, nearest->drug_span.begin));
  }
  for (MedicationStatement* st = nearest; st-- != out_.data() + first_new_;) {
    if (st->drug != kHerbalRecipe && !st->allergy && st->drug != nearest->drug &&
        st->mood != Mood::kNegated && !Contrasted(normalized_, sentence_, *st, grammar_.words())) {
      return st;
    }
  }
  return nearest;
}

// The header row of a table is the row before its rule row ("|---|---|"); a line that is no
// table row ends the table.
void SentenceReader::NoteTableHead() {
  // (A cell split into sentences at a "；" or "." is still in its row.)
  if (!InTableRow(normalized_, sentence_.begin)) {
    carry_.table_head_sentence = -1000;
    return;
  }
  const std::string_view row = Trim(normalized_.substr(sentence_.begin, sentence_.size()));
  const bool rule_row = row.find_first_not_of("|-: ") == std::string_view::npos;
  if (rule_row && s_ > 0 && IsTableRow(normalized_, text_.sentences[s_ - 1])) {
    carry_.table_head_sentence = s_ - 1;
  }
}

// "| Week | Morning (with breakfast) | Evening (with dinner) |\n|---|---|---|\n| 1 | – |
// Metformin 500 mg |": a frequency in a column's header cell is the schedule of the doses in that
// column. A statement this row gave a dose and no frequency takes the header frequency of a
// column that holds a dose of the row.
void SentenceReader::AddColumnFrequencies() {
  const int64_t head = carry_.table_head_sentence;
  if (head < 0 || s_ <= head + 1 || !IsTableRow(normalized_, sentence_)) return;
  auto column = [&](const text::Span& row, uint32_t at) {
    const std::string_view before = normalized_.substr(row.begin, at - row.begin);
    return std::count(before.begin(), before.end(), '|');
  };
  const text::Span head_row = text_.sentences[static_cast<size_t>(head)];
  std::vector<const Token*> frequencies;
  for (const Token& t : text_.tokens) {
    if (t.span.begin >= head_row.end) break;
    if (t.kind != TokenKind::kFrequency || t.span.begin < head_row.begin) continue;
    const auto c = column(head_row, t.span.begin);
    const bool under_dose =
        std::any_of(attributes_.begin(), attributes_.end(), [&](const Token* a) {
          return a->kind == TokenKind::kDose && column(sentence_, a->span.begin) == c;
        });
    if (under_dose) frequencies.push_back(&t);
  }
  if (frequencies.empty()) return;
  for (MedicationStatement& st : out_) {
    if (st.sentence != s_ || st.drug == kHerbalRecipe || !st.has_dose() || st.has_frequency()) {
      continue;
    }
    for (const Token* f : frequencies) Attach(&st, *f, normalized_, grammar_);
  }
}

// "| Medicine | Usual maintenance dose (per label) |", "| 名称 | 研究中使用的剂量（仅供了解） |",
// "| الدواء | الجرعة المعتادة حسب النشرة |": a column whose header cell names its figures as label,
// trial or usual facts holds information. A bare regimen whose doses are all in such columns is
// information, not the answer's own direction.
void SentenceReader::AddColumnMoods() {
  const int64_t head = carry_.table_head_sentence;
  if (head < 0 || s_ <= head + 1 || !InTableRow(normalized_, sentence_.begin)) return;
  auto column = [&](uint32_t at) {
    const size_t begin = LineBegin(normalized_, at);
    const std::string_view before = normalized_.substr(begin, at - begin);
    return std::count(before.begin(), before.end(), '|');
  };
  const text::Span head_row = text_.sentences[static_cast<size_t>(head)];
  std::vector<std::ptrdiff_t> described;  // the columns whose header cell has an informational cue
  for (const Token& t : text_.tokens) {
    if (t.span.begin >= head_row.end) break;
    if (t.span.begin < head_row.begin || t.kind != TokenKind::kCue ||
        t.cue != Mood::kInformational) {
      continue;
    }
    described.push_back(column(t.span.begin));
  }
  if (described.empty()) return;
  // Every dose of the row is in such a column: a row that also has a dose of its own column
  // ("| 每次剂量 | 每日最大量 |": a dose and its cap) keeps its reading.
  bool any_dose = false;
  for (const Token* a : attributes_) {
    if (a->kind != TokenKind::kDose) continue;
    any_dose = true;
    if (std::find(described.begin(), described.end(), column(a->span.begin)) == described.end()) {
      return;
    }
  }
  if (!any_dose) return;
  for (MedicationStatement& st : out_) {
    if (st.sentence == s_ && st.mood == Mood::kUnmarked && st.has_dose()) {
      st.mood = Mood::kInformational;
    }
  }
}

// "阿莫西林(…)加甲硝唑，每天三次，每次各两粒": "各" (each) gives the regimen to both drugs joined.
void SentenceReader::ShareWithJoinedDrug(const MedicationStatement& target,
                                         const Token* attribute) {
  size_t o_index = static_cast<size_t>(&target - out_.data());
  while (o_index > first_new_ &&
         (out_[o_index - 1].allergy ||
          EnclosingParenthesis(normalized_, out_[o_index - 1].drug_span.begin, sentence_).size() >
              0)) {
    --o_index;
  }
  if (o_index <= first_new_ || attribute->span.begin < target.drug_span.end ||
      normalized_.substr(target.drug_span.end, sentence_.end - target.drug_span.end)
              .find("\xE5\x90\x84") == std::string_view::npos) {  // 各
    return;
  }
  MedicationStatement& other = out_[o_index - 1];
  std::string_view between =
      normalized_.substr(other.drug_span.end, target.drug_span.begin - other.drug_span.end);
  if (!between.empty() && between.front() == '(' && between.find(')') != between.npos) {
    between.remove_prefix(between.find(')') + 1);
  }
  static constexpr std::string_view kJoiners[] = {"\xE5\x8A\xA0",
                                                  "\xE5\x92\x8C",
                                                  "\xE4\xB8\x8E",
                                                  "\xE5\x8F\x8A",  // 加 和 与 及
                                                  "\xE8\x81\x94\xE5\x90\x88",
                                                  "\xE9\x85\x8D\xE5\x90\x88",  // 联合 配合
                                                  "\xE5\x8A\xA0\xE7\x94\xA8",
                                                  "+",
                                                  "\xE3\x80\x81"};  // 加用 、
  if (other.drug != kHerbalRecipe && !other.allergy &&
      other.drug_span.end <= target.drug_span.begin &&
      std::find(std::begin(kJoiners), std::end(kJoiners), Trim(between)) != std::end(kJoiners)) {
    Attach(&other, *attribute, normalized_, grammar_);
  }
}

}  // namespace medaudit::extract::internal
