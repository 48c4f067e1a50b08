// Chinese numerals in dose and schedule contexts -> ASCII digits (see text/normalize.h).
#include <array>
#include <cstring>
#include <string_view>

#include "text/internal/norm_engine.h"

namespace medaudit::text::internal {
namespace {

using namespace std::string_view_literals;

// Counters, units and time words that make a preceding numeral run a quantity.
constexpr std::array kUnitWords = {
    "千克"sv, "公斤"sv, "毫克"sv, "微克"sv, "毫升"sv, "星期"sv, "个月"sv, "小时"sv, "分钟"sv, "礼拜"sv, "次"sv,
    "片"sv,   "粒"sv,   "丸"sv,   "袋"sv,   "包"sv,   "支"sv,   "瓶"sv,   "滴"sv,   "克"sv,
    "升"sv,   "日"sv,   "天"sv,   "周"sv,   "月"sv,   "时"sv,   "岁"sv,   "勺"sv,   "喷"sv,
    "贴"sv,   "枚"sv,   "颗"sv,   "剂"sv,   "付"sv,   "服"sv,   "年"sv,   "盒"sv,   "mcg"sv,
    "mg"sv,   "ml"sv,   "ug"sv,   "kg"sv,   "iu"sv,   "g"sv,
};
// Words that may follow 个 before the unit: 两个小时, 三个星期, 一个疗程.
constexpr std::array kAfterGe = {"小时"sv, "星期"sv, "礼拜"sv, "月"sv, "疗程"sv};
// Range connectors between two quantities: 三至五天, 四到六小时.
constexpr std::array kRangeWords = {"至"sv, "到"sv, "~"sv, "-"sv, "或"sv, "、"sv};
// Herb, formula and brand names that start with numerals and must stay as they are.
constexpr std::array kExclusions = {
    "三七"sv, "六味"sv, "五味"sv, "十全"sv, "八珍"sv, "四君"sv, "六君"sv,   "二陈"sv,
    "九味"sv, "七叶"sv, "三九"sv, "九九九"sv, "十滴"sv, "七厘"sv, "一贴灵"sv,
};
// Characters that form a word with a following 一 (统一, 唯一, 万一): 一 there is no quantity.
constexpr std::array kBeforeYi = {"统"sv, "唯"sv, "万"sv, "划"sv, "均"sv, "专"sv};

bool StartsWith(std::string_view text, size_t at, std::string_view word) {
  return text.size() - at >= word.size() && std::memcmp(text.data() + at, word.data(), word.size()) == 0;
}

// Numeral value of a character: 0-9 for digits, 10/100/1000 for multipliers, -1 for 半,
// -2 for anything else. Expects the three UTF-8 bytes of a CJK character at text[at].
int NumeralAt(std::string_view text, size_t at) {
  if (text.size() - at < 3) return -2;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data() + at);
  if ((s[0] & 0xF0) != 0xE0) return -2;
  const char32_t cp = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  switch (cp) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    case U'半':
      return -1;
    default:
      return -2;
  }
}

size_t RunEnd(std::string_view text, size_t at) {
  while (NumeralAt(text, at) != -2) at += 3;
  return at;
}

bool UnitAt(std::string_view text, size_t at) {
  for (std::string_view word : kUnitWords) {
    if (StartsWith(text, at, word)) return true;
  }
  if (StartsWith(text, at, "个"sv)) {
    for (std::string_view word : kAfterGe) {
      if (StartsWith(text, at + 3, word)) return true;
    }
  }
  return false;
}

// True when the numeral run ending at `at` is followed by a unit, directly or through a range
// ("三至五天": the 三 is followed by 至五天).
bool QuantityFollows(std::string_view text, size_t at) {
  if (UnitAt(text, at)) return true;
  for (std::string_view word : kRangeWords) {
    if (StartsWith(text, at, word)) {
      const size_t begin = at + word.size();
      const size_t end = RunEnd(text, begin);
      return end > begin && UnitAt(text, end);
    }
  }
  return false;
}

// Formats the value of the numeral run text[begin, end) into *digits; false when the run is not
// a well-formed number (or would not fit in place).
bool RunValue(std::string_view text, size_t begin, size_t end, char* digits, size_t* size) {
  const size_t count = (end - begin) / 3;
  if (count == 0 || count > 8) return false;
  int values[8] = {};
  bool has_multiplier = false, has_zero = false, has_half = false;
  for (size_t i = 0; i < count; ++i) {
    values[i] = NumeralAt(text, begin + 3 * i);
    has_multiplier |= values[i] >= 10;
    has_zero |= values[i] == 0;
    has_half |= values[i] == -1;
  }
  auto put_number = [&](long value) {
    char tmp[16];
    size_t n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0);
    for (size_t i = 0; i < n; ++i) digits[*size + i] = tmp[n - 1 - i];
    *size += n;
  };
  *size = 0;
  if (has_half) {
    if (count != 1) return false;
    std::memcpy(digits, "0.5", 3);
    *size = 3;
    return true;
  }
  if (!has_multiplier) {
    if (count == 1) {
      put_number(values[0]);
    } else if (count == 2 && values[1] == values[0] + 1 && values[0] > 0) {
      // 三四次: "three or four times".
      put_number(values[0]);
      digits[(*size)++] = '-';
      put_number(values[1]);
    } else if (has_zero) {
      // 二〇〇: digit by digit.
      for (size_t i = 0; i < count; ++i) digits[(*size)++] = static_cast<char>('0' + values[i]);
    } else {
      return false;  // 三七, 九九九, ...: not a number
    }
    return *size <= end - begin;
  }
  long total = 0;
  int digit = -1;  // pending digit
  int last_multiplier = 100000;
  bool zero_seen = false;
  for (size_t i = 0; i < count; ++i) {
    const int v = values[i];
    if (v >= 1 && v <= 9) {
      if (digit != -1) return false;
      digit = v;
    } else if (v == 0) {
      if (digit != -1) return false;
      zero_seen = true;
    } else {  // multiplier
      if (v >= last_multiplier) return false;
      if (digit == -1) {
        if (i != 0 || v != 10) return false;  // only 十五 may omit its leading digit
        digit = 1;
      }
      total += static_cast<long>(digit) * v;
      digit = -1;
      last_multiplier = v;
      zero_seen = false;
    }
  }
  if (digit != -1) {
    // 一百五 = 150, 两千五 = 2500 (colloquial); after a zero (一百零五) the digit is units.
    if (!zero_seen && last_multiplier >= 100) {
      total += static_cast<long>(digit) * (last_multiplier / 10);
    } else {
      total += digit;
    }
  }
  put_number(total);
  return *size <= end - begin;
}

// The code point that ends just before byte `at` (which is on a boundary).
std::string_view PreviousChar(std::string_view text, size_t at) {
  size_t begin = at;
  while (begin > 0) {
    --begin;
    if ((static_cast<unsigned char>(text[begin]) & 0xC0) != 0x80) break;
  }
  return text.substr(begin, at - begin);
}

}  // namespace

void ConvertChineseNumerals(NormalizedText* out, size_t from) {
  std::string& text = out->text;
  uint32_t* ob = out->origin_begin.data();
  uint32_t* oe = out->origin_end.data();
  const size_t n = text.size();
  size_t r = from, w = from;
  auto copy = [&](size_t begin, size_t end) {
    if (w != begin) {
      std::memmove(text.data() + w, text.data() + begin, end - begin);
      std::memmove(ob + w, ob + begin, (end - begin) * sizeof(uint32_t));
      std::memmove(oe + w, oe + begin, (end - begin) * sizeof(uint32_t));
    }
    w += end - begin;
  };
  while (r < n) {
    // Copy up to the next possible numeral (all are 3-byte characters with lead byte E3-E9).
    size_t next = r;
    while (next < n && NumeralAt(text, next) == -2) {
      const auto b = static_cast<unsigned char>(text[next]);
      next += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
    copy(r, std::min(next, n));
    r = next;
    if (r >= n) break;
    size_t run_end = RunEnd(text, r);
    // 五千克 is 5 千克 (kilograms), not 5000 克.
    if (run_end - r > 3 && NumeralAt(text, run_end - 3) == 1000 && StartsWith(text, run_end, "克"sv)) {
      run_end -= 3;
    }
    bool convert = QuantityFollows(text, run_end);
    if (convert) {
      for (std::string_view word : kExclusions) {
        if (StartsWith(text, r, word)) {
          convert = false;
          break;
        }
      }
    }
    if (convert && NumeralAt(text, r) == 1) {
      // Written text before w is final, so look there for the preceding character.
      const std::string_view before = PreviousChar(std::string_view(text.data(), w), w);
      for (std::string_view word : kBeforeYi) {
        if (before == word) convert = false;
      }
    }
    char digits[32];
    size_t size = 0;
    if (convert && RunValue(text, r, run_end, digits, &size)) {
      const uint32_t begin = ob[r];
      const uint32_t end = oe[run_end - 1];
      for (size_t i = 0; i < size; ++i) {
        text[w + i] = digits[i];
        ob[w + i] = begin;
        oe[w + i] = end;
      }
      w += size;
    } else {
      copy(r, run_end);
    }
    r = run_end;
  }
  text.resize(w);
  out->origin_begin.resize(w);
  out->origin_end.resize(w);
}

}  // namespace medaudit::text::internal
