// Byte-level reading of normalized text shared by the statement extractor's parts: trimming,
// sentence ends, clause boundaries, whole words, quotation marks and parentheses.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "extract/statement.h"
#include "text/normalize.h"

namespace medaudit::extract::internal {

std::string_view Trim(std::string_view s);  // spaces and tabs; also final dots
bool IsDigit(char c);
bool IsAsciiLetter(unsigned char c);
bool IsAsciiLetterOrDigit(unsigned char c);
bool IsArabicLead(unsigned char c);  // the lead byte of an Arabic letter in UTF-8 (U+0600–U+06FF)

bool EndsWithColon(std::string_view sentence);
// A Markdown heading line ("### 家里可以这样处理", "## Treatment"): '#' opens its words.
bool IsMarkdownHeading(std::string_view sentence);
// A line that is all bold and nothing else ("**退热用药安排**", "**Your plan**"): a heading.
bool IsBoldLine(std::string_view sentence);
bool EndsWithSemicolon(std::string_view sentence);
// Ends with "?", unless the last clause is only a tag that asks for agreement ("…, ok?",
// "…，好吗？", "…، ماشي؟"): such a sentence instructs, it asks nothing.
bool EndsWithQuestion(std::string_view sentence);
// A sentence that opens with "或" / "or" / "او" is the next option of a list begun in the sentence
// before it ("主要采用…（如X，口服，每天5次；或Y，口服，每天2次）").
bool OpensWithAlternative(std::string_view sentence);
// The size in bytes of an emoji, arrow, keycap or bullet symbol at text[i] ("💊", "👉", "➡",
// "▪", "✅", "•", the keycap mark of "1⃣"), 0 when none: messaging-app answers bullet their
// lines with them.
size_t BulletSymbolSize(std::string_view text, size_t i);
// Where the words of a sentence begin, past list and Markdown markup ("- ", "2. ", "**") and
// emoji or arrow bullets ("👉 ", "➡ ", "1⃣ ").
uint32_t WordsBegin(std::string_view normalized, const text::Span& sentence);

bool Inside(const text::Span& inner, const text::Span& outer);
void Extend(text::Span* span, const text::Span& other);  // to cover `other` too

// Whether a clause boundary (comma, semicolon, colon, a spaced dash as normalized from "—")
// lies between two cues: "which you said they are — take X" is two clauses.
bool CrossesClause(std::string_view between);

// The last occurrence of `needle` in `text` (npos when none). std::string_view::rfind compares at
// every byte from the end; this searches forward with memchr, which is many times faster on the
// hot path, where the needle is a rare punctuation mark.
size_t FindLast(std::string_view text, std::string_view needle);

// The line around byte `at`: LineBegin is its first byte, LineEnd the '\n' that ends it (or the
// text's end). Markup heuristics read only the line around a position, so a line longer than
// kLineWindow bytes on either side is read as that window: no list, table or quote marker lies so
// far from its text, and an unbounded search from every sentence of a one-line megabyte answer
// made the extractor quadratic.
inline constexpr size_t kLineWindow = 4096;
size_t LineBegin(std::string_view text, size_t at);
size_t LineEnd(std::string_view text, size_t at);

bool StartsWithAny(std::string_view text, const std::vector<std::string>& words);
// Whether `lead`, past spaces and Markdown emphasis ('*') on both ends, is empty or one of `words`:
// the words before a verb that still leave it opening its clause.
bool IsEmptyOrOneOf(std::string_view lead, std::span<const std::string_view> words);
bool EndsWithAny(std::string_view text, const std::vector<std::string>& words);

// Whether `word` occurs in `text` as a whole word. A Latin end needs no Latin letter or digit
// next to it, an Arabic end no Arabic letter (a proclitic و/ف may come before); Chinese needs no
// boundary.
bool ContainsWord(std::string_view text, std::string_view word);
// Whether `word`, found in `text` at byte `at`, stands there as a whole word (the boundaries of
// ContainsWord).
bool IsWholeWordAt(std::string_view text, size_t at, std::string_view word);
// Whether one of `words` ends text[0, at), past spaces and colons, as a whole word ("bottle of
// 75 ml", "عبوه: 75 مل"): the word right before the amount at `at`.
bool WordBefore(std::string_view text, size_t at, const std::vector<std::string>& words);

// Whether a sentence is a Markdown table row ("| 年龄 | 每次剂量 | 次数 |", "|---|---|").
bool IsTableRow(std::string_view normalized, const text::Span& sentence);
// Whether byte `at` is on a Markdown blockquote line ("> 医生给我开了…", "> Adults: 500 mg…"):
// the line's first character past spaces is '>'. Chat answers quote the user's earlier turn or a
// leaflet there; the quoted words are not the answer's own.
bool InBlockquote(std::string_view normalized, uint32_t at);
// Whether the line holding `at` is a Markdown table row (it opens with "|"), also for a part of
// a row that the sentence splitter cut at a "；" or ".".
bool InTableRow(std::string_view normalized, uint32_t at);
// Whether `at` is inside quotation marks of its sentence: after an opening “, 「, 『 or « (the
// Arabic and French guillemet: «يُقترح …») with no closing mark between, or after an odd number
// of ASCII double quotes.
bool InQuotes(std::string_view normalized, const text::Span& sentence, const text::Span& at);
// The parenthesis enclosing byte `at` ("(" to ")", innermost, within `limit` and kLineWindow
// bytes on either side of `at`), or an empty span.
text::Span EnclosingParenthesis(std::string_view normalized, uint32_t at, text::Span limit);

// The words that join the ingredients of a combination: "paracetamol and codeine",
// "amoxicillin/clavulanate", "对乙酰氨基酚和可待因", "باراسيتامول وكودايين".
bool JoinsIngredients(std::string_view between);

// Whether an English herb amount written name first names no ingredient: the word before its
// number is a function or quantity word ("approximately 6 teaspoons", "corresponds to 30 grams").
bool NamelessAmount(std::string_view normalized, const Token& t);

}  // namespace medaudit::extract::internal
