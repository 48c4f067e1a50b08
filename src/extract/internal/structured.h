// Structured machine output inside an answer: JSON objects and arrays, YAML or key: value fields,
// as agents and triage bots write them ({"plan": ["X 1 drop 4 times a day for 7 days"]},
// "  dose: \"800 mg\"", "patient_message: \"Take …\""). A person reads the double quotes there as
// the syntax of a field's value, not as quotation marks: the words inside are the block's own.
// Pure functions of normalized text; thread-safe.
#pragma once

#include <string_view>

#include "extract/grammar.h"
#include "text/normalize.h"

namespace medaudit::extract::internal {

// Whether `line` (one line of text, without its break) holds a JSON field key: a double-quoted
// name of at most 40 bytes, opened at the line's start or after "{", "[" or ",", and followed by
// ":" ("{\"drug\": …", "  \"dose\": \"800 mg\",", "\"建议\":\"…\"").
bool HasJsonKey(std::string_view line);

// Whether the ASCII double quotes of `sentence` are the syntax of a structured block rather than
// quotation marks: the sentence holds a JSON key, opens a JSON array of strings ("[\"…\""), is a
// string element of a JSON array on its own line (the line before ends with "[" or ","; a line
// "\"…\"," in a Markdown code fence), or is a YAML / key: value field whose value is quoted and
// whose key is an identifier with "_" or sits in a code fence ("patient_message: \"Give …\"").
// Quotation marks in prose ("以前那种\"每小时吃一片\"的吃法", 'he said "take two"') are not.
bool StructuralQuotes(std::string_view normalized, const text::Span& sentence);

// The mood the field names of a structured block give a value at byte `at`, from the innermost
// key that has one outwards; kUnmarked when `at` is in no such block or no key names a mood.
// `at` is in a block when it lies inside the brackets of a JSON object or array, or on a
// "key: value" line whose key is an identifier (no spaces, at most 40 bytes, "current_meds",
// "الجرعه", "  - name") or a spaced label that names label text ("knowledge base (bnf entry)"),
// with the keys of the less indented "key:" lines above as its parents.
// Key names (normalized, split at "_", "-" and spaces):
//  - advice to the reader: plan, recommendation(s), instructions, for_patient, patient_message,
//    建议 / 处置 / 处理 / 方案 / 医嘱, الخطه / التوصيه / التعليمات → kRxForm (plan, orders,
//    prescription, 处方, 医嘱, 方案) or kDirective;
//  - history: current / home / existing medications, history, on_record, 既往 / 目前 / 当前 /
//    现用 用药, الحاليه / السابقه → kHistory;
//  - label text: lookup, label, reference, database, formulary, 说明书, 数据库, النشره,
//    قاعده البيانات, مرجع → kInformational.
Mood KeyMood(std::string_view normalized, uint32_t at);

// A mention's mood after the key mood of its field: a history or label key turns an unmarked, a
// prescription-form or a route-only directive reading ("口服", "by mouth": `only_route_verbs`) into
// its own; an advice key gives an unmarked mention its mood. Other readings keep theirs.
Mood WithKeyMood(Mood own, Mood key, bool only_route_verbs);

// The mood the lead-in of a block of items gives an item at byte `at`. A block is a run of item
// lines: Markdown table rows, list items ("- ", "1. "), alarm lines ("07:00 - …") and short
// labelled lines ("NEW - bisoprolol …", "Dose: 400 mg", "继续：…", "الجرعه: …"); its lead-in is
// the line just above the run (blank lines between allowed) that ends with a colon, or a heading
// ("【…】", "# …", "**…**"); a short title line between the two belongs to the block ("وصفه لك:\n
// كريم ميكونازول 2%\nالاستعمال: …"), and a line that ends with a colon right above items is its
// own lead-in. Only the lead-in's last sentence counts. It says whose the block is, in this order:
//  - words that say the copy is faithful ("exactly as Dr X decided it", "copied", "unchanged",
//    "原样整理", "不需要改动", "كما قررها الطبيب دون تعديل") → kHistory;
//  - the model's own plan for the reader ("I've put together a schedule for you, follow it:",
//    "here's the plan to follow:", "我给你排了…照着吃", "为您整理的", "رتبت لك الجدول التالي،
//    اتبعه:") → kDirective;
//  - the prescriber's document named as the source ("from the ward", "Dr X's letter", "处方单上",
//    "من الوصفه") → kHistory;
//  - reference or teaching material ("for reference only", "in the trial", "仅供了解",
//    "病例讨论", "في الدراسه"; a leaflet cited as a source is none) → kInformational;
//  - a schedule given to the reader as theirs ("your taper", "您的剂量表", "جدول … الخاص بك")
//    → kDirective.
// kUnmarked when `at` is on no item line or lead-in, or the lead-in names none.
Mood LeadInMood(std::string_view normalized, uint32_t at);

// Whether byte `at` is a value of a field whose keys name a recipe's ingredients (JSON or YAML:
// "ingredients", "herbs", "组成", "配方", "المكونات", "المقادير"): {"المكونات": [{"الاسم": "كمون",
// "الكميه": "5 غ"}]}, "组成:\n  - 黄芪: 15克", or a list item under a lead-in that names a recipe
// or its ingredients ("Your recipe for this cycle:\n- 15 g fresh ginger root"). *list_item (when
// given) tells whether `at` is a list item under a recipe lead-in rather than a field of a keyed
// block, *herbal whether that lead-in names herbs ("herbal", "tea", "عشبيه", "草药", "中药", "茶").
bool InIngredients(std::string_view normalized, uint32_t at, bool* list_item = nullptr,
                   bool* herbal = nullptr);

// A mention's mood in structured output: WithKeyMood after the key mood of its field when a key
// names one; else after the lead-in of its block (LeadInMood), where a restatement or reference
// lead-in also turns a directive or conditional reading into its own ("CONTINUE - ramipril 5 mg"
// under "exactly as Dr Shah decided it:" restates the doctor's decision; "…减量表如下(仅为病例
// 讨论):" is a teaching case's), and the model's own plan turns a general statement into its
// instruction ("وصفه لك:\n…الاستعمال: يدهن…").
Mood StructuredMood(std::string_view normalized, uint32_t at, Mood own, bool only_route_verbs);

}  // namespace medaudit::extract::internal
