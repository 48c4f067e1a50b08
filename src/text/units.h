// Dose units and their spellings in zh, en and ar (after normalization: lower case, folded Arabic).
// Pure data and lookups; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace medaudit::text {

enum class UnitKind : uint8_t { kMass, kVolume, kActivity, kCount };

enum class Unit : uint8_t {
  kMg,
  kG,
  kMcg,
  kKg,
  kGrain,  // mass: the apothecaries' grain, 64.8 mg ("5 gr aspirin" is 325 mg)
  kMl,
  kL,
  kTeaspoon,    // 5 ml: the measuring spoon of labels (茶匙, ملعقة صغيرة)
  kTablespoon,  // 15 ml (汤匙, ملعقة كبيرة): volume
  kIu,          // international units
  kTablet,
  kCapsule,
  kPill,
  kSachet,
  kDrop,
  kPuff,
  kAmpoule,
  kPatch,
  kSuppository,
  kSpoon,  // counts: a spoon of no stated size (勺, ملعقة, "a spoonful")
};

// The factor from the unit to mg (mass) or ml (volume); 1 for activity and counts.
double ToBase(Unit unit);

struct UnitInfo {
  Unit unit;
  UnitKind kind;
  double to_base;              // factor to mg (mass) or ml (volume); 1 for activity and counts
  std::string_view canonical;  // "mg", "g", "mcg", "ml", "iu", "tablet", ...
};

// Looks up one normalized spelling ("mg", "毫克", "ملغ", "مجم", "milligrams", "片", "粒", "حبة").
std::optional<UnitInfo> LookupUnit(std::string_view normalized_spelling);

struct UnitSpelling {
  std::string_view spelling;  // normalized form
  Unit unit;
};
// Every known spelling, for building match patterns.
std::span<const UnitSpelling> AllUnitSpellings();

}  // namespace medaudit::text
