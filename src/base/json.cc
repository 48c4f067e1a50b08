#include "base/json.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <unordered_set>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace medaudit::json {

namespace {

#ifdef __SSE2__
using Block = __m128i;
int MaskOf(Block block, char c) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(block, _mm_set1_epi8(c)));
}
// Bytes '0'..'9' (signed compares: bytes >= 0x80 are negative and never digits).
int DigitMask(Block block) {
  return _mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(block, _mm_set1_epi8('0' - 1)),
                                         _mm_cmplt_epi8(block, _mm_set1_epi8('9' + 1))));
}
#else
struct Block {};  // unused: FindFirst tests byte by byte
int MaskOf(Block, char) { return 0; }
int DigitMask(Block) { return 0; }
#endif

// Index of the first byte at or after `from` for which `wanted` holds (data.size() when none).
// `block_mask` is the same test on 16 bytes at once (a movemask), so that string contents and
// indentation, most of a pack file's bytes, are skipped 16 at a time (start-up, issue 2).
template <class ByteTest, class BlockMask>
size_t FindFirst(std::string_view data, size_t from, ByteTest wanted, BlockMask block_mask) {
  size_t i = from;
#ifdef __SSE2__
  for (; i + 16 <= data.size(); i += 16) {
    const Block block = _mm_loadu_si128(reinterpret_cast<const Block*>(data.data() + i));
    if (const int mask = block_mask(block); mask != 0) return i + __builtin_ctz(mask);
  }
#else
  (void)block_mask;
#endif
  for (; i < data.size(); ++i) {
    if (wanted(data[i])) return i;
  }
  return data.size();
}

// data[open] is the '"' that opens a JSON string: returns the index of the '"' that closes it, or
// data.size() when the string is not closed. A backslash escapes the byte after it. TooDeep and
// BlankZeroExponents skip string contents with it.
size_t StringEnd(std::string_view data, size_t open) {
  size_t i = open + 1;
  while (true) {
    i = FindFirst(
        data, i, [](char c) { return c == '"' || c == '\\'; },
        [](Block b) { return MaskOf(b, '"') | MaskOf(b, '\\'); });
    if (i >= data.size() || data[i] == '"') return std::min(i, data.size());
    i += 2;  // the escaped byte
  }
}

// RapidJSON 1.1.0's full-precision strtod mis-parses a zero significand with an exponent that is
// not a fast case: "0e200" gives 7.8e56 and "0e-200" or "0.<26 zeros>" a negative number
// (DiyFp::Normalize calls __builtin_clzll(0)). Such a number is zero, so everything after its
// "0" is blanked to spaces (same length: error offsets do not move) before parsing (issue 8). Long
// significands whose rounding overflows 2^64 hit the same code, so digits past the 17th significant
// one are zeroed. Returns false when there is nothing to change.
bool BlankZeroExponents(std::string_view data, std::string* out) {
  bool changed = false;
  auto candidate = [](char c) { return c == '"' || c == '-' || (c >= '0' && c <= '9'); };
  auto candidate_mask = [](Block b) { return MaskOf(b, '"') | MaskOf(b, '-') | DigitMask(b); };
  for (size_t i = FindFirst(data, 0, candidate, candidate_mask); i < data.size();
       i = FindFirst(data, i + 1, candidate, candidate_mask)) {
    const char c = data[i];
    if (c == '"') {
      i = StringEnd(data, i);
      continue;
    }
    size_t j = i + (c == '-' ? 1 : 0);
    bool zero = true;
    int significant = 0;
    bool dot = false;  // RapidJSON's number ends at a second '.'
    for (; j < data.size() && ((data[j] >= '0' && data[j] <= '9') || (data[j] == '.' && !dot));
         ++j) {
      if (data[j] == '.') dot = true;
      if (data[j] >= '1' && data[j] <= '9') zero = false;
      if (data[j] == '.' || (zero && data[j] == '0')) continue;
      // Digits past the 17th significant one cannot change a double beyond rounding, but can
      // round the significand past 2^64 and hit the same bug: they become '0'.
      if (++significant > 17 && data[j] != '0') {
        if (!changed) out->assign(data);
        changed = true;
        (*out)[j] = '0';
      }
    }
    size_t k = j;  // end of the exponent, if any
    bool exponent_ok = true;
    if (k < data.size() && (data[k] == 'e' || data[k] == 'E')) {
      ++k;
      if (k < data.size() && (data[k] == '+' || data[k] == '-')) ++k;
      const size_t digits = k;
      while (k < data.size() && data[k] >= '0' && data[k] <= '9') ++k;
      exponent_ok = k > digits;
    }
    // A valid zero ("0", "0.000", with any exponent) keeps its "0" and loses the rest.
    const size_t p = i + (c == '-' ? 1 : 0);
    bool plain_zero = zero && exponent_ok && p < j && data[p] == '0';
    if (plain_zero && p + 1 < j) {
      plain_zero = data[p + 1] == '.' && p + 2 < j;
      for (size_t m = p + 2; plain_zero && m < j; ++m) plain_zero = data[m] == '0';
    }
    if (plain_zero && k > p + 1) {
      if (!changed) out->assign(data);
      changed = true;
      for (size_t m = p + 1; m < k; ++m) (*out)[m] = ' ';
    }
    j = k;
    i = j - 1;
  }
  return changed;
}

}  // namespace

bool TooDeep(std::string_view data, size_t max_depth) {
  size_t depth = 0;
  auto structural = [](char c) { return c == '"' || c == '[' || c == '{' || c == ']' || c == '}'; };
  auto structural_mask = [](Block b) {
    return MaskOf(b, '"') | MaskOf(b, '[') | MaskOf(b, '{') | MaskOf(b, ']') | MaskOf(b, '}');
  };
  for (size_t i = FindFirst(data, 0, structural, structural_mask); i < data.size();
       i = FindFirst(data, i + 1, structural, structural_mask)) {
    const char c = data[i];
    if (c == '"') {
      i = StringEnd(data, i);
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Status Parse(std::string_view data, const std::string& file, rapidjson::Document* out) {
  if (TooDeep(data)) {
    out->SetNull();
    Error error = MakeError(ErrorCode::kInvalidJson,
                            "nested deeper than " + std::to_string(kMaxDepth) + " levels");
    error.file = file;
    return error;
  }
  std::string blanked;
  if (BlankZeroExponents(data, &blanked)) data = blanked;
  out->Parse<rapidjson::kParseFullPrecisionFlag>(data.data(), data.size());
  if (!out->HasParseError()) return {};
  const size_t offset = out->GetErrorOffset();
  int64_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < data.size(); ++i) {
    if (data[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  Error error =
      MakeError(ErrorCode::kInvalidJson, rapidjson::GetParseError_En(out->GetParseError()));
  error.file = file;
  error.line = line;
  error.column = column;
  return error;
}

std::string Pointer(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out.push_back('/');
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

const rapidjson::Value* DuplicateIn(const rapidjson::Value& value, bool recursive,
                                    const std::string& here, std::string* pointer) {
  if (value.IsArray() && recursive) {
    size_t index = 0;
    for (const auto& element : value.GetArray()) {
      const auto* dup = DuplicateIn(element, true, Pointer(here, index++), pointer);
      if (dup != nullptr) return dup;
    }
    return nullptr;
  }
  if (!value.IsObject()) return nullptr;
  // Small objects (the usual case) compare pairwise; large ones use a set: a hostile line with
  // 10^5 keys must not cost 10^10 comparisons.
  const auto members = value.GetObject();
  if (members.MemberCount() <= 16) {
    for (auto a = members.begin(); a != members.end(); ++a) {
      for (auto b = a + 1; b != members.end(); ++b) {
        if (View(a->name) == View(b->name)) {
          if (pointer != nullptr) *pointer = here;
          return &b->name;
        }
      }
    }
  } else {
    std::unordered_set<std::string_view> seen;
    seen.reserve(members.MemberCount());
    for (const auto& m : members) {
      if (!seen.insert(View(m.name)).second) {
        if (pointer != nullptr) *pointer = here;
        return &m.name;
      }
    }
  }
  if (!recursive) return nullptr;
  for (const auto& m : members) {
    const auto* dup = DuplicateIn(m.value, true, Pointer(here, View(m.name)), pointer);
    if (dup != nullptr) return dup;
  }
  return nullptr;
}

}  // namespace

const rapidjson::Value* DuplicateKey(const rapidjson::Value& object, bool recursive,
                                     std::string* pointer) {
  return DuplicateIn(object, recursive, "", pointer);
}

std::string Pointer(std::string_view parent, size_t index) {
  return std::string(parent) + "/" + std::to_string(index);
}

}  // namespace medaudit::json
