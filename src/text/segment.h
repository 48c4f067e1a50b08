// Sentence segmentation of normalized text, for zh, en and ar.
// Sentences end at . ! ? 。！？؟ ; ； and line breaks, but not inside numbers ("0.5"), common
// abbreviations ("e.g.", "i.e.", "dr.", "mg.", "tab.", "no."), or the prescription marker "rp.".
// Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "text/lang.h"
#include "text/normalize.h"

namespace medaudit::text {

// Appends the sentence spans of normalized text to *out (cleared first), in order, covering every
// non-space byte exactly once; leading and trailing whitespace is trimmed from each span and
// empty sentences are omitted.
void SplitSentences(std::string_view normalized, std::vector<Span>* out);

// Word segmentation with ICU's BreakIterator (dictionary-based for Chinese). Slow path: used by
// baseline comparison, not by check. Returns spans of word-like tokens (no spaces/punctuation).
std::vector<Span> SplitWords(std::string_view normalized, Lang lang);

}  // namespace medaudit::text
