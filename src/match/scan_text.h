// The text a Database scans, derived from its input: every run of ASCII whitespace
// ([\t\n\v\f\r ]) becomes one space (so `\s{1,4}` means "a gap" and phrase patterns can be
// expanded into literals, see internal/expand.h), and every byte of an invalid UTF-8 sequence
// becomes 0x1A. Input needing neither is used in place. Hits found in the view are mapped back to
// input offsets with MapToInput().
//
// Build one ScanText per text and pass it to every Database that scans that text (the engine
// scans a text with two databases). Uses thread-local buffers: at most one ScanText per thread
// may be alive.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "match/database.h"

namespace medaudit::match {

class ScanText {
 public:
  enum class Utf8 : uint8_t {
    kCheck,  // replace invalid sequences (any input)
    kValid,  // the caller guarantees valid UTF-8 (the check is skipped)
  };
  explicit ScanText(std::string_view input, Utf8 utf8 = Utf8::kCheck);
  ScanText(const ScanText&) = delete;
  ScanText& operator=(const ScanText&) = delete;

  std::string_view view() const { return view_; }
  // Rewrites hit offsets from the view to the input; a space that stands for a run covers it all.
  void MapToInput(std::vector<Hit>* hits) const;

  // Where a run of two or more whitespace bytes ended: view offset `view` is input offset `input`.
  struct Gap {
    uint32_t view;
    uint32_t input;
  };

 private:
  uint32_t ToInput(uint32_t view_offset) const;

  std::string_view view_;
  const std::vector<Gap>* gaps_ = nullptr;  // sorted by view; null when lengths are equal
};

// A literal as the scan view can contain it: whitespace runs are one space.
std::string ScanLiteral(std::string_view literal);

}  // namespace medaudit::match
