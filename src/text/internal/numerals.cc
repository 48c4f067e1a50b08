// Chinese numerals in dose and schedule contexts -> ASCII digits (see text/normalize.h).
#include <array>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "text/internal/norm_engine.h"

namespace medaudit::text::internal {
namespace {

using namespace std::string_view_literals;

// Range connectors between two quantities: 三至五天, 四到六小时.
constexpr std::array kRangeWords = {"至"sv, "到"sv, "~"sv, "-"sv, "或"sv, "、"sv};
// Herb, formula and brand names that start with numerals and must stay as they are.
constexpr std::array kExclusions = {
    "三七"sv, "六味"sv, "五味"sv,   "十全"sv,   "八珍"sv,   "四君"sv,
    "六君"sv, "二陈"sv, "九味"sv,   "七叶"sv,   "三九"sv,   "九九九"sv,
    "十滴"sv, "七厘"sv, "一贴灵"sv, "半月板"sv, "八月札"sv,
};
// Characters that form a word with a following 一 (统一, 唯一, 万一): 一 there is no quantity.
constexpr std::array kBeforeYi = {"统"sv, "唯"sv, "万"sv, "划"sv, "均"sv, "专"sv};
// Words whose second character is a financial numeral (收拾 "tidy up", 大陆, 队伍): no quantity.
constexpr std::array<std::array<std::string_view, 2>, 10> kWordsEndingInNumeral = {{
    {"收"sv, "拾"sv},
    {"捡"sv, "拾"sv},
    {"大"sv, "陆"sv},
    {"登"sv, "陆"sv},
    {"着"sv, "陆"sv},
    {"内"sv, "陆"sv},
    {"队"sv, "伍"sv},
    {"入"sv, "伍"sv},
    {"落"sv, "伍"sv},
    {"为"sv, "伍"sv},
}};

bool StartsWith(std::string_view text, size_t at, std::string_view word) {
  return at <= text.size() && text.size() - at >= word.size() &&
         std::memcmp(text.data() + at, word.data(), word.size()) == 0;
}

// Numeral value of a character: 0-9 for digits, 10/100/1000/10000 for multipliers, -1 for 半,
// -2 for anything else. Expects the three UTF-8 bytes of a CJK character at text[at].
int NumeralAt(std::string_view text, size_t at) {
  if (at > text.size() || text.size() - at < 3) return -2;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data() + at);
  if ((s[0] & 0xF0) != 0xE0) return -2;
  const char32_t cp = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  switch (cp) {
    // The financial forms (大写: 壹贰叁…, written to get past a filter as well as on cheques)
    // count as the plain ones.
    case U'零':
    case U'〇':
      return 0;
    case U'一':
    case U'壹':
      return 1;
    case U'二':
    case U'两':
    case U'贰':
      return 2;
    case U'三':
    case U'叁':
      return 3;
    case U'四':
    case U'肆':
      return 4;
    case U'五':
    case U'伍':
      return 5;
    case U'六':
    case U'陆':
      return 6;
    case U'七':
    case U'柒':
      return 7;
    case U'八':
    case U'捌':
      return 8;
    case U'九':
    case U'玖':
      return 9;
    case U'十':
    case U'拾':
      return 10;
    case U'百':
    case U'佰':
      return 100;
    case U'千':
    case U'仟':
      return 1000;
    case U'万':
      return 10000;
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

// The CJK character (3 UTF-8 bytes) at text[at], or 0.
char32_t CjkAt(std::string_view text, size_t at) {
  if (at > text.size() || text.size() - at < 3) return 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data() + at);
  if ((s[0] & 0xF0) != 0xE0) return 0;
  return ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
}

// Counters of pieces (tablets, capsules, sachets, spoons, patches …): 片 粒 丸 袋 包 支 瓶 勺 颗 贴
// 枚 羹 啖 匙.
bool IsPieceCounter(char32_t c) {
  switch (c) {
    case U'片':
    case U'粒':
    case U'丸':
    case U'袋':
    case U'包':
    case U'支':
    case U'瓶':
    case U'勺':
    case U'颗':
    case U'贴':
    case U'枚':
    case U'羹':  // Cantonese: 一羹 a spoonful, 一啖 a mouthful
    case U'啖':
    case U'匙':
      return true;
    default:
      return false;
  }
}

// True when a counter, unit or time word starts at text[at]: 次 片 粒 丸 袋 包 支 瓶 滴 克 毫克
// 微克 千克 公斤 毫升 升 日 天 周 星期 礼拜 (个)月 (个)小时 时 分钟 岁 勺 茶匙 汤匙 小匙 大匙 喷 贴
// 枚 颗 剂 付 服 年 盒 个疗程 (国际)单位, and mg g ml mcg ug kg iu.
bool UnitAt(std::string_view text, size_t at) {
  if (at >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[at]);
  if (c < 0x80) {
    for (std::string_view word : {"mg"sv, "g"sv, "ml"sv, "mcg"sv, "ug"sv, "kg"sv, "iu"sv}) {
      if (StartsWith(text, at, word)) return true;
    }
    return false;
  }
  const char32_t first = CjkAt(text, at);
  if (IsPieceCounter(first)) return true;
  const char32_t second = CjkAt(text, at + 3);
  switch (first) {
    case U'单':  // 单位 (units of activity: 八十万单位)
      return second == U'位';
    case U'国':  // 国际单位
      return second == U'际';
    case U'次':
    case U'回':  // 一天三回 (Taiwan, Japanese-style): times
    case U'滴':
    case U'克':
    case U'升':
    case U'日':
    case U'天':
    case U'周':
    case U'月':
    case U'时':
    case U'岁':
    case U'喷':
    case U'剂':
    case U'付':
    case U'服':
    case U'年':
    case U'盒':
      return true;
    case U'毫':
      return second == U'克' || second == U'升';
    case U'微':
    case U'千':
      return second == U'克';
    case U'公':
      return second == U'斤';
    case U'星':
      return second == U'期';
    case U'礼':
      return second == U'拜';
    case U'小':
      return second == U'时' || second == U'匙';  // 小时; 小匙 (a teaspoon)
    case U'茶':
    case U'汤':
    case U'大':
      return second == U'匙';  // 茶匙, 汤匙, 大匙: measuring spoons
    case U'分':
      return second == U'钟';
    case U'个': {
      // 两个小时, 三个星期, 一个月, 一个疗程; not 一个人.
      const char32_t third = CjkAt(text, at + 6);
      return second == U'月' || (second == U'小' && third == U'时') ||
             (second == U'星' && third == U'期') || (second == U'礼' && third == U'拜') ||
             (second == U'疗' && third == U'程');
    }
    default:
      return false;
  }
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

// Formats value (>= 0) in decimal digits at *size.
void PutWhole(long value, char* digits, size_t* size) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (size_t i = 0; i < n; ++i) digits[*size + i] = tmp[n - 1 - i];
  *size += n;
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
  auto put_number = [&](long value) { PutWhole(value, digits, size); };
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
    } else if (v == 10000) {  // 万 multiplies everything before it: 八十万 = 800000
      if (digit != -1) total += digit;
      if (total == 0 || last_multiplier == 10000) return false;
      total *= 10000;
      digit = -1;
      last_multiplier = 10000;
      zero_seen = false;
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

// Formats value (>= 0, at most two decimals) into digits at *size: 0.5, 1.25, 0.33.
void PutDecimal(double value, char* digits, size_t* size) {
  const long hundredths = static_cast<long>(value * 100 + 0.5);
  PutWhole(hundredths / 100, digits, size);
  const long fraction = hundredths % 100;
  if (fraction == 0) return;
  digits[(*size)++] = '.';
  digits[(*size)++] = static_cast<char>('0' + fraction / 10);
  if (fraction % 10 != 0) digits[(*size)++] = static_cast<char>('0' + fraction % 10);
}

// Reads a run of plain digit numerals (零-九, no multiplier) at text[at] as decimal digits into
// *digits; returns the run's end, or `at` when none starts there.
size_t DigitRun(std::string_view text, size_t at, std::string* digits) {
  size_t end = at;
  for (int v = NumeralAt(text, end); v >= 0 && v <= 9; v = NumeralAt(text, end)) {
    digits->push_back(static_cast<char>('0' + v));
    end += 3;
  }
  return end;
}

// A decimal or fraction written in numerals, ending in a unit: 零点五克 (0.5), 一点五片 (1.5),
// 二分之一片 (0.5), 四分之一 (0.25). The integer part text[begin, run_end) is already read as a
// numeral run; on success *end is past the fractional part and *digits holds the value.
bool DecimalValue(std::string_view text, size_t begin, size_t run_end, size_t* end, char* digits,
                  size_t* size) {
  char whole[32];
  size_t whole_size = 0;
  if (!RunValue(text, begin, run_end, whole, &whole_size) || whole_size > 4) return false;
  for (size_t i = 0; i < whole_size; ++i) {
    if (whole[i] < '0' || whole[i] > '9') return false;  // a range 三四 has no decimals
  }
  if (StartsWith(text, run_end, "点"sv)) {
    std::string fraction;
    const size_t after = DigitRun(text, run_end + 3, &fraction);
    if (fraction.empty() || fraction.size() > 3 || !QuantityFollows(text, after)) return false;
    std::memcpy(digits, whole, whole_size);
    *size = whole_size;
    digits[(*size)++] = '.';
    std::memcpy(digits + *size, fraction.data(), fraction.size());
    *size += fraction.size();
    *end = after;
    return true;
  }
  if (StartsWith(text, run_end, "分之"sv)) {
    std::string numerator;
    const size_t after = DigitRun(text, run_end + 6, &numerator);
    const double denominator = std::atof(std::string(whole, whole_size).c_str());
    if (numerator.empty() || numerator.size() > 1 || denominator < 2 || denominator > 10 ||
        !UnitAt(text, after)) {
      return false;
    }
    *size = 0;
    PutDecimal((numerator[0] - '0') / denominator, digits, size);
    *end = after;
    return true;
  }
  return false;
}

// A counter that a trailing 半 makes "and a half": 一片半 = 1.5 片, 两粒半, 一勺半.
bool HalfCounterAt(std::string_view text, size_t at) {
  return IsPieceCounter(CjkAt(text, at)) && StartsWith(text, at + 3, "半"sv);
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

// Writes digits[0, size) at text[*w] with origin [begin, end) and advances *w. The caller
// guarantees the digits are no longer than the text they replace.
void WriteDigits(std::string& text, uint32_t* ob, uint32_t* oe, size_t* w, const char* digits,
                 size_t size, uint32_t begin, uint32_t end) {
  for (size_t i = 0; i < size; ++i) {
    text[*w + i] = digits[i];
    ob[*w + i] = begin;
    oe[*w + i] = end;
  }
  *w += size;
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
    while (next < n) {
      const auto b = static_cast<unsigned char>(text[next]);
      if (b < 0x80) {
        ++next;
        continue;
      }
      // All numerals are 3-byte characters with lead byte E3-E9 (not E6 and E8 before the
      // financial forms 柒捌拾 and 贰肆).
      if (b >= 0xE3 && b <= 0xE9 && NumeralAt(text, next) != -2) {
        break;
      }
      next += b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
    copy(r, std::min(next, n));
    r = next;
    if (r >= n) break;
    size_t run_end = RunEnd(text, r);
    // 五千克 is 5 千克 (kilograms), not 5000 克.
    if (run_end - r > 3 && NumeralAt(text, run_end - 3) == 1000 &&
        StartsWith(text, run_end, "克"sv)) {
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
    if (convert) {
      const std::string_view before = PreviousChar(std::string_view(text.data(), w), w);
      for (const auto& word : kWordsEndingInNumeral) {
        if (before == word[0] && StartsWith(text, r, word[1])) convert = false;
      }
    }
    char digits[32];
    size_t size = 0;
    size_t decimal_end = run_end;
    if (!convert && DecimalValue(text, r, run_end, &decimal_end, digits, &size)) {
      // 零点五克 -> 0.5克: the whole written number becomes one decimal.
      WriteDigits(text, ob, oe, &w, digits, size, ob[r], oe[decimal_end - 1]);
      r = decimal_end;
      continue;
    }
    if (convert && RunValue(text, r, run_end, digits, &size) && HalfCounterAt(text, run_end) &&
        size + 2 <= sizeof(digits) && std::memchr(digits, '-', size) == nullptr) {
      // 一片半 -> 1.5片: the half after the counter belongs to the number.
      std::memcpy(digits + size, ".5", 2);
      size += 2;
      char counter[3];
      std::memcpy(counter, text.data() + run_end, 3);
      const uint32_t counter_begin = ob[run_end], counter_end = oe[run_end + 2];
      WriteDigits(text, ob, oe, &w, digits, size, ob[r], oe[run_end - 1]);
      for (size_t i = 0; i < 3; ++i) {
        text[w + i] = counter[i];
        ob[w + i] = counter_begin;
        oe[w + i] = counter_end;
      }
      w += 3;
      r = run_end + 6;  // past the counter and its 半
      continue;
    }
    size = 0;
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
