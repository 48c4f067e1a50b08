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

}  // namespace medaudit::extract::internal
