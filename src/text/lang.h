// Languages medaudit audits, and script-based language detection.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace medaudit::text {

enum class Lang : uint8_t { kUnknown = 0, kZh, kEn, kAr };

std::string_view LangName(Lang lang);   // "zh", "en", "ar", "und"
Lang ParseLang(std::string_view name);  // "zh"/"en"/"ar" (and "zh-CN", "ar-SA", ...), else kUnknown

// Detects the main language of a UTF-8 text by script: Han -> zh, Arabic -> ar, Latin -> en.
// A Han character counts as much as three Latin letters (Chinese packs more per character).
// Returns kUnknown when the text has no letters of those scripts.
Lang DetectLang(std::string_view text);

}  // namespace medaudit::text
