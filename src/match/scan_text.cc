#include "match/scan_text.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "base/utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace medaudit::match {
namespace {

bool IsScanSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Whitespace of 16 bytes as bit masks (bit k = byte k): `space` every whitespace byte, `other`
// the whitespace bytes that are not ' ' (they become ' ').
struct Chunk {
  uint32_t space;
  uint32_t other;
};

constexpr size_t kChunk = 16;

Chunk Classify(const unsigned char* p) {
#ifdef __SSE2__
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8('\t'));  // \t..\r -> 0..4
  const __m128i other = _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8(4)), shifted);
  const __m128i blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
  const auto o = static_cast<uint32_t>(_mm_movemask_epi8(other));
  return {o | static_cast<uint32_t>(_mm_movemask_epi8(blank)), o};
#else
  Chunk chunk{0, 0};
  for (size_t k = 0; k < kChunk; ++k) {
    if (IsScanSpace(p[k])) chunk.space |= 1u << k;
    if (p[k] != ' ' && IsScanSpace(p[k])) chunk.other |= 1u << k;
  }
  return chunk;
#endif
}

// Bytes the view changes within a chunk: whitespace other than ' ', and every whitespace byte
// that follows another (`previous_space`: the byte before the chunk was whitespace).
uint32_t Changes(const Chunk& chunk, bool previous_space) {
  return chunk.other | (chunk.space & ((chunk.space << 1) | (previous_space ? 1u : 0u)));
}

// Offset of the first byte the view changes; text.size() if none.
size_t FirstChange(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  bool previous_space = false;
  for (; i + kChunk <= n; i += kChunk) {
    const Chunk chunk = Classify(p + i);
    if (const uint32_t changes = Changes(chunk, previous_space)) {
      return i + static_cast<size_t>(__builtin_ctz(changes));
    }
    previous_space = (chunk.space >> (kChunk - 1)) & 1u;
  }
  for (; i < n; ++i) {
    const bool space = IsScanSpace(p[i]);
    if ((space && p[i] != ' ') || (space && previous_space)) return i;
    previous_space = space;
  }
  return n;
}

void ReplaceInvalid(std::string* text, size_t from) {
  size_t pos = from;
  while (pos < text->size()) {
    size_t length = 1;
    if (utf8::Decode(*text, pos, &length) == utf8::kInvalid) {
      for (size_t k = 0; k < length; ++k) (*text)[pos + k] = '\x1A';
    }
    pos += length;
  }
}

// Builds the view of `input` into *copy: the bytes before `first` (a FirstChange offset) as they
// are, then whitespace runs as one space, recording a Gap where each run of two or more bytes
// ends. Chunks without a run of two are copied 16 bytes at a time.
class Collapser {
 public:
  Collapser(std::string_view input, std::string* copy, std::vector<ScanText::Gap>* gaps)
      : p_(reinterpret_cast<const unsigned char*>(input.data())),
        n_(input.size()),
        copy_(copy),
        gaps_(gaps) {}

  void Run(size_t first) {
    copy_->assign(reinterpret_cast<const char*>(p_), first);
    previous_space_ = first > 0 && IsScanSpace(p_[first - 1]);
    size_t i = first;
    for (; i + kChunk <= n_; i += kChunk) {
      const Chunk chunk = Classify(p_ + i);
      const uint32_t dropped = chunk.space & ((chunk.space << 1) | (previous_space_ ? 1u : 0u));
      if (dropped == 0) {
        if (in_long_run_) EndLongRun(i);  // the run ended right before this chunk
        AppendChunk(i, chunk.other);
        previous_space_ = (chunk.space >> (kChunk - 1)) & 1u;
      } else {
        for (size_t k = i; k < i + kChunk; ++k) Step(k);
      }
    }
    for (; i < n_; ++i) Step(i);
    if (in_long_run_) EndLongRun(n_);
  }

 private:
  void Step(size_t k) {
    const bool space = IsScanSpace(p_[k]);
    if (space && previous_space_) {
      in_long_run_ = true;  // dropped
      return;
    }
    if (in_long_run_) EndLongRun(k);
    copy_->push_back(space ? ' ' : static_cast<char>(p_[k]));
    previous_space_ = space;
  }

  void EndLongRun(size_t input_offset) {
    gaps_->push_back(
        ScanText::Gap{static_cast<uint32_t>(copy_->size()), static_cast<uint32_t>(input_offset)});
    in_long_run_ = false;
  }

  void AppendChunk(size_t i, uint32_t other) {
    const size_t at = copy_->size();
    copy_->append(reinterpret_cast<const char*>(p_ + i), kChunk);
    for (; other != 0; other &= other - 1)
      (*copy_)[at + static_cast<size_t>(__builtin_ctz(other))] = ' ';
  }

  const unsigned char* p_;
  size_t n_;
  std::string* copy_;
  std::vector<ScanText::Gap>* gaps_;
  bool previous_space_ = false;
  bool in_long_run_ = false;  // inside a whitespace run of which a byte was dropped
};

}  // namespace

ScanText::ScanText(std::string_view input, Utf8 utf8) : view_(input) {
  thread_local std::string copy;
  thread_local std::vector<Gap> gaps;
  const size_t bad = utf8 == Utf8::kValid ? input.size() : utf8::FindInvalid(input);
  const size_t first = FirstChange(input);
  if (bad == input.size() && first == input.size()) return;
  gaps.clear();
  if (first < input.size()) {
    Collapser(input, &copy, &gaps).Run(first);
    if (!gaps.empty()) gaps_ = &gaps;
  } else {
    copy.assign(input);
  }
  // Collapsing touches ASCII only; invalid sequences stay invalid and are replaced here.
  if (bad != input.size()) ReplaceInvalid(&copy, 0);
  view_ = copy;
}

uint32_t ScanText::ToInput(uint32_t view_offset) const {
  auto after = std::upper_bound(gaps_->begin(), gaps_->end(), view_offset,
                                [](uint32_t v, const Gap& gap) { return v < gap.view; });
  if (after == gaps_->begin()) return view_offset;
  const Gap& gap = after[-1];
  return gap.input + (view_offset - gap.view);
}

void ScanText::MapToInput(std::vector<Hit>* hits) const {
  if (gaps_ == nullptr) return;
  for (Hit& hit : *hits) {
    hit.begin = ToInput(hit.begin);
    hit.end = ToInput(hit.end);
  }
}

std::string ScanLiteral(std::string_view literal) {
  std::string out;
  out.reserve(literal.size());
  bool previous_space = false;
  for (const char ch : literal) {
    const bool space = IsScanSpace(static_cast<unsigned char>(ch));
    if (space && previous_space) continue;
    previous_space = space;
    out += space ? ' ' : ch;
  }
  return out;
}

}  // namespace medaudit::match
