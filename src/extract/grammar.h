// The medication-statement grammar (rules/knowledge/grammar.json): dose, frequency, duration and
// route patterns, and the mood cues, per language. Data, not code: the loader expands the
// {num}/{range}/{enum}/{unit} macros and hands out one match::PatternSpec per entry.
// A Grammar is immutable after Load() and may be shared by any number of threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "match/database.h"

namespace medaudit::extract {

enum class TokenKind : uint8_t {
  kDrug,        // a drug name from the lexicon
  kDose,        // "500 mg", "0.5g", "2 tablets"
  kFrequency,   // "every 6 hours", "每日3次", "مرتين يوميا"
  kDuration,    // "for 7 days", "连用7天", "لمدة ٧ أيام"
  kRoute,       // "orally", "口服", "عن طريق الفم"
  kHerbAmount,  // "黄芪30g": one ingredient of a herbal recipe
  kCue,         // a mood cue; see Mood
  kProduct,  // a named product the lexicon lacks: "七鞭回春乐胶囊" (name + dosage-form suffix)
};

// How a statement addresses the reader. Ordered by nothing in particular; see extractor.h.
enum class Mood : uint8_t {
  kUnmarked,       // no cue: a bare regimen line ("amoxicillin 500 mg tid x 7 days")
  kDirective,      // "take…", "建议口服…", "تناول…"
  kRxForm,         // "Rp.", "Sig:", "处方：", "用法用量"
  kInformational,  // "the usual adult dose is…"
  kReferral,       // "ask your doctor whether…"
  kNegated,        // "do not take…", "不要服用…"
  kHistory,        // "you are taking…", "我正在服用…"
  kRefusal,        // "I can't prescribe…"
  kConditional,    // "if you take…"
  kQuestion,       // the sentence is a question
};
std::string_view MoodName(Mood mood);
bool ParseMood(std::string_view name, Mood* mood);

// Who a part of the text is for, as a cue that opens that part says (grammar cue types
// `frame_other`, `frame_story`, `frame_script`, `frame_reader`). Frame cues set no mood and mask
// no cue; the extractor reads the statements inside a part for someone else as information.
enum class Frame : uint8_t {
  kNone,
  kOther,  // a label at the start of a line opening the part for someone else: "给医生：",
           // "For the doctor:", "Clinician summary:", "للطبيب:"; until a kReader label
  kStory,  // a fictional or teaching case: "Imagine Ms. Li, 45", "教学病例：", "حالة تعليمية";
           // until a sentence speaks to the reader (grammar `address`) or a paragraph ends
  kScript,  // a dialogue script: "a short script for…", "剧本", "سيناريو"; its speaker lines
            // ("Pharmacist: …", "医生：…") up to the first line that has no speaker
  kReader,  // a label at the start of a line opening the part for the reader: "给患者：",
            // "For the patient:", "للمريض:"
};

struct FrequencyRule {
  double per_day = 0;           // fixed frequency, when > 0
  bool count = false;           // the number in the hit is a count per day
  bool count_per_week = false;  // the number in the hit is a count per week
  bool interval_hours = false;  // the number in the hit is an interval in hours
  bool as_needed = false;       // "as needed": not a schedule by itself
  bool event = false;  // "after each loose stool", "بعد كل رضعة": repeated on an event; per_day is
                       // a lower bound, and the wording never marks an amount as a day total
};

struct GrammarEntry {
  TokenKind kind = TokenKind::kCue;
  Mood cue = Mood::kUnmarked;  // for kCue
  bool consequence = false;    // a kCue that states an effect ("can cause", "会引起")
  bool note_marker = false;    // a kCue typical of clinical notes ("chief complaint", "主诉")
  bool label_marker = false;   // a kCue typical of drug labels and study abstracts
                               // ("inactive ingredients", "interventions:", "【用法用量】")
  bool therapy = false;        // a kCue naming a non-drug treatment ("冷敷", "compress")
  bool anaphor = false;  // a kCue referring back to a named medicine ("the medication", "该药")
  bool heading = false;  // a kCue that counts only as a section heading on a line of its own
                         // ("PLAN", "MEDICATIONS"): "plan" inside a sentence is no cue
  bool opens = false;    // a kCue that counts only where it opens its clause, past at most a
                         // connective or a condition ("Push X…", "then hang X", "يعطى X…",
  // "立即予X"): a clinical order verb, not the same word inside a description
  bool address = false;  // a kCue that speaks to the reader ("you", "您", "يمكنك"): sets no mood
  bool overview_marker = false;   // a kCue of impersonal overview text ("treatment consists of",
                                  // "治疗方案包括", "يشمل العلاج"): sets no mood
  bool clinician_marker = false;  // a kCue of text written to clinicians ("train patients",
                                  // "refer all patients", "[see adverse reactions"): sets no mood
  bool author_marker = false;     // a history kCue in which the author recounts their own use
                                  // ("I was prescribed", "I usually take"): forum posts
  bool adopt = false;  // a directive kCue offering the reader a regimen just described as what
                       // others do ("你也可以这样试试", "you may follow the same",
                       // "ممكن تمشي على نفس الجدول"): that regimen becomes advice
  // A kCue saying that the quotation after it relays the answer's own advice, translated or
  // reworded for the reader or someone they care for ("my advice, translated into Spanish:",
  // "把我上面的建议翻译成英文", "ترجمة نصيحتي"): the quoted regimen is given, not quoted. Sets no
  // mood.
  bool relay = false;
  Frame frame = Frame::kNone;  // a kCue opening a part of the text for someone (see Frame)
  FrequencyRule frequency;     // for kFrequency
  std::string lang;
  std::string expression;  // expanded
  // The same entry split for the scanner: top-level alternatives that are plain strings become
  // literals (far cheaper to scan than a regex); the rest stays one regex (empty when none).
  std::vector<std::string> literals;
  std::string residual_regex;
};

// A word of the question a text answers (grammar section "question"): it tells the extractor
// whether the asker speaks of a concrete person ("my son", "I'm pregnant", 我, 患者男，28岁, أنا)
// or asks about a topic ("what are the treatments for X", 如何治疗, ما علاج). Matched as a whole
// word on the normalized question by ReadQuestion (statement.h); never scanned in answers.
struct QuestionCue {
  std::string lang;
  std::string text;       // normalized literal
  bool personal = false;  // personal (or a request for advice) vs topic
};

// Word lists the extractor matches on normalized text (grammar section "words"; see its "about").
struct WordLists {
  std::vector<std::pair<std::string, double>> arabic_numbers;  // "ثلاث" → 3
  // A dual and the singular unit spelling it counts two of: "حبتين" → "حبه".
  std::vector<std::pair<std::string, std::string>> arabic_duals;
  // A count noun the unit table lacks and the unit spelling it means: "caplet" → "tablet".
  std::vector<std::pair<std::string, std::string>> count_nouns;
  std::vector<std::string> day_total_after;   // "a day", "في اليوم" after an amount
  std::vector<std::string> day_total_before;  // "天最多" before an amount, in its clause
  std::vector<std::string> allergy_after;     // "allerg", "过敏" after a drug name
  std::vector<std::string> allergy_before;  // "allergic to", "حساسيه من" before a drug name
  std::vector<std::string> per_unit;        // "each", "每" in "(500 mg each)"
  std::vector<std::string> per_time;        // "每次", "each time" before an amount
  std::vector<std::string> raise_to;        // "go up to", "加到" before an amount
  // A line announcing stepwise dose changes written as steps below it ("let's go up slowly:",
  // "逐步加量：", "نزيدها شوي شوي:"): the steps continue the drug the answer is about.
  std::vector<std::string> step_up;
  // Words of a Markdown heading or bold line that make it a usage header ("## Dosing",
  // "### البروتوكول", "**用法**", "## 咖啡因片使用方案"): dose lines under it continue the
  // drug named last.
  std::vector<std::string> usage_headings;
  std::vector<std::string> restate;  // "也就是", "i.e." between an amount and its restatement
  // In a question the answer echoes before answering it: it asks for an amount, a length or a
  // time ("how long", "多久", "كم"), so the dose line after it answers.
  std::vector<std::string> asks_amount;
  // The answer turning to its reader after what others do ("for you", "对你来说", "بالنسبه لك"):
  // the next item of a list split at semicolons is the answer's own, not the option before it.
  std::vector<std::string> reader_turn;
  // A measured quantity ("urine output", "尿量", "النبض") and the comparison that states its
  // threshold
  // ("above", "不少于", "اقل من"): an amount after them is a reading to check, not a dose.
  std::vector<std::string> measured_quantity;
  std::vector<std::string> threshold_compare;
  // A printed source a text quotes after a colon ("说明书上写的是：", "the leaflet says:"): the
  // words after the colon are the source's.
  std::vector<std::string> source_nouns;
  // After a directive verb: where, how or with what ("to", "with", "مع", "于"): no object follows.
  std::vector<std::string> no_object_after;
  // A generic name of the medicine after a verb ("your medicine", "الدواء", "药"): refers back.
  std::vector<std::string> generic_medicine;
  // Before / after a drug name: the drug is the contrasted term ("different from", "than",
  // "يختلف عن", "比" / "不一样", "相比").
  std::vector<std::string> contrast_before;
  std::vector<std::string> contrast_after;
  // "a weekly reminder": an article before a one-word frequency, and the nouns after it that
  // keep it a schedule ("a daily dose").
  std::vector<std::string> describing_article;
  std::vector<std::string> schedule_nouns;
  // Right after a frequency (and its count, "每半年复检一次"): a check-up or test the schedule is
  // for, not a medicine ("复检", "复查", "for a blood test", "للمراجعة").
  std::vector<std::string> checkup_after;
  // A product name that is only a purpose and a form names no product ("止咳糖浆", "退烧药水").
  std::vector<std::string> generic_product_purposes;
  std::vector<std::string> generic_product_forms;
  // A product name that ends in a drug class and a form names a class, not a product, whatever
  // precedes it ("弱效含激素软膏", "抗真菌乳膏", "抗生素眼药水").
  std::vector<std::string> generic_product_classes;
  // Drugs whose common oral tablet or capsule has one strength, by lexicon drug id, in mg
  // ("loperamide" → 2): a count of them with no strength stated is that many times it.
  std::vector<std::pair<std::string, double>> unit_strengths_mg;
  // Default concentrations of named children's liquids, in mg per ml, keyed "<drug id>|<product
  // name as normalized>" ("ibuprofen|美林滴剂" → 40): the last fallback for a volume of a product
  // whose concentration no text states. Only products sold in one concentration are listed.
  std::vector<std::pair<std::string, double>> liquid_strengths_mg_per_ml;
  // A package's content, not a dose: wording right before an amount ("tube of", "العبوه", "每支",
  // "规格") or right after it ("/支", " tube", "×24支", "-pack"). An amount followed by a
  // multiplication sign, a count and one of pack_count_nouns ("10ml×24支", "500 mg x 30
  // tablets") is the strength of a pack of that many units.
  std::vector<std::string> pack_before;
  std::vector<std::string> pack_after;
  std::vector<std::string> pack_count_nouns;
};

class Grammar {
 public:
  static Result<Grammar> Load(const std::string& path);
  const std::vector<GrammarEntry>& entries() const { return entries_; }
  const std::vector<QuestionCue>& question_cues() const { return question_cues_; }
  // Decoction instructions (grammar "herbal"/"decoction": "水煎服", "煎煮", "当茶饮"), normalized
  // literals: one or two herb amounts with one of these nearby make a recipe.
  const std::vector<std::string>& decoctions() const { return decoctions_; }
  const WordLists& words() const { return words_; }
  const std::string& version() const { return version_; }

 private:
  std::string version_;
  std::vector<GrammarEntry> entries_;
  std::vector<QuestionCue> question_cues_;
  std::vector<std::string> decoctions_;
  WordLists words_;
};

// Bounds the unbounded repetitions rule authors write most ("\\s*", "\\s+", "[0-9]+") so that
// every pattern has a small maximum width: the scanner then confirms a hit by looking at a short
// window instead of the whole text. A run of more than 4 spaces or 9 digits, or a number with more
// than 4 thousands groups, is not worth matching.
std::string BoundRepetitions(std::string expression);

// Whether an expression needs ASCII-letter boundaries (it contains an ASCII letter).
bool HasLatinLetters(std::string_view expression);

}  // namespace medaudit::extract
