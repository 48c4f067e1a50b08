#include "text/units.h"

#include <array>

namespace medaudit::text {
namespace {

using namespace std::string_view_literals;

constexpr UnitInfo Info(Unit unit) {
  switch (unit) {
    case Unit::kMg:
      return {unit, UnitKind::kMass, 1.0, "mg"};
    case Unit::kG:
      return {unit, UnitKind::kMass, 1000.0, "g"};
    case Unit::kMcg:
      return {unit, UnitKind::kMass, 0.001, "mcg"};
    case Unit::kKg:
      return {unit, UnitKind::kMass, 1e6, "kg"};
    case Unit::kGrain:
      return {unit, UnitKind::kMass, 64.8, "grain"};
    case Unit::kMl:
      return {unit, UnitKind::kVolume, 1.0, "ml"};
    case Unit::kL:
      return {unit, UnitKind::kVolume, 1000.0, "l"};
    case Unit::kTeaspoon:
      return {unit, UnitKind::kVolume, 5.0, "teaspoon"};
    case Unit::kTablespoon:
      return {unit, UnitKind::kVolume, 15.0, "tablespoon"};
    case Unit::kIu:
      return {unit, UnitKind::kActivity, 1.0, "iu"};
    case Unit::kTablet:
      return {unit, UnitKind::kCount, 1.0, "tablet"};
    case Unit::kCapsule:
      return {unit, UnitKind::kCount, 1.0, "capsule"};
    case Unit::kPill:
      return {unit, UnitKind::kCount, 1.0, "pill"};
    case Unit::kSachet:
      return {unit, UnitKind::kCount, 1.0, "sachet"};
    case Unit::kDrop:
      return {unit, UnitKind::kCount, 1.0, "drop"};
    case Unit::kPuff:
      return {unit, UnitKind::kCount, 1.0, "puff"};
    case Unit::kAmpoule:
      return {unit, UnitKind::kCount, 1.0, "ampoule"};
    case Unit::kPatch:
      return {unit, UnitKind::kCount, 1.0, "patch"};
    case Unit::kSuppository:
      return {unit, UnitKind::kCount, 1.0, "suppository"};
    case Unit::kSpoon:
      return {unit, UnitKind::kCount, 1.0, "spoon"};
  }
  return {unit, UnitKind::kCount, 1.0, "?"};
}

// All spellings in normalized form: NFKC case-folded, Arabic alef/teh marbuta/alef maksura folded.
constexpr UnitSpelling kSpellings[] = {
    // mass
    {"mg"sv, Unit::kMg},
    {"milligram"sv, Unit::kMg},
    {"milligrams"sv, Unit::kMg},
    {"milligramme"sv, Unit::kMg},
    {"milligrammes"sv, Unit::kMg},
    // Plurals and misspellings of clinical and text-message shorthand ("500mgs", "2 miligrams").
    {"mgs"sv, Unit::kMg},
    {"miligram"sv, Unit::kMg},
    {"miligrams"sv, Unit::kMg},
    {"毫克"sv, Unit::kMg},
    {"ملغ"sv, Unit::kMg},
    {"ملغم"sv, Unit::kMg},
    {"مغ"sv, Unit::kMg},
    {"مجم"sv, Unit::kMg},
    {"ملجم"sv, Unit::kMg},
    {"مليغرام"sv, Unit::kMg},
    {"ملليغرام"sv, Unit::kMg},
    {"ميلليجرام"sv, Unit::kMg},
    {"ميليغرام"sv, Unit::kMg},
    {"مليجرام"sv, Unit::kMg},
    {"ملليجرام"sv, Unit::kMg},
    {"ميليجرام"sv, Unit::kMg},
    {"g"sv, Unit::kG},
    {"gm"sv, Unit::kG},
    {"gram"sv, Unit::kG},
    {"grams"sv, Unit::kG},
    {"gramme"sv, Unit::kG},
    {"grammes"sv, Unit::kG},
    {"gms"sv, Unit::kG},
    {"克"sv, Unit::kG},
    {"غ"sv, Unit::kG},
    {"غرام"sv, Unit::kG},
    {"جم"sv, Unit::kG},
    {"جرام"sv, Unit::kG},
    {"غم"sv, Unit::kG},
    {"mcg"sv, Unit::kMcg},
    {"μg"sv, Unit::kMcg},  // µg after NFKC_Casefold (U+03BC)
    {"ug"sv, Unit::kMcg},
    {"microgram"sv, Unit::kMcg},
    {"micrograms"sv, Unit::kMcg},
    {"mcgs"sv, Unit::kMcg},
    {"微克"sv, Unit::kMcg},
    {"ميكروغرام"sv, Unit::kMcg},
    {"ميكروجرام"sv, Unit::kMcg},
    {"مكغ"sv, Unit::kMcg},
    {"kg"sv, Unit::kKg},
    {"kilogram"sv, Unit::kKg},
    {"kilograms"sv, Unit::kKg},
    {"千克"sv, Unit::kKg},
    {"公斤"sv, Unit::kKg},
    {"كغ"sv, Unit::kKg},
    {"كجم"sv, Unit::kKg},
    {"كيلوغرام"sv, Unit::kKg},
    {"كيلوجرام"sv, Unit::kKg},
    // The apothecaries' grain of US and older British labels ("aspirin 5 grains", "Armour Thyroid
    // 1 grain"). "gr" is read by ParseAmount: grains or, as French and Arabic write it, grams.
    {"grain"sv, Unit::kGrain},
    {"grains"sv, Unit::kGrain},
    {"gr"sv, Unit::kGrain},
    {"grs"sv, Unit::kGrain},
    // volume
    {"ml"sv, Unit::kMl},
    {"milliliter"sv, Unit::kMl},
    {"milliliters"sv, Unit::kMl},
    {"millilitre"sv, Unit::kMl},
    {"millilitres"sv, Unit::kMl},
    {"mililiter"sv, Unit::kMl},
    {"mililiters"sv, Unit::kMl},
    {"mililitre"sv, Unit::kMl},
    {"mililitres"sv, Unit::kMl},
    {"cc"sv, Unit::kMl},
    {"毫升"sv, Unit::kMl},
    {"مل"sv, Unit::kMl},
    {"ملل"sv, Unit::kMl},
    {"ميليلتر"sv, Unit::kMl},
    {"مليلتر"sv, Unit::kMl},
    {"ملليلتر"sv, Unit::kMl},
    {"l"sv, Unit::kL},
    {"liter"sv, Unit::kL},
    {"liters"sv, Unit::kL},
    {"litre"sv, Unit::kL},
    {"litres"sv, Unit::kL},
    {"升"sv, Unit::kL},
    {"لتر"sv, Unit::kL},
    // activity
    {"iu"sv, Unit::kIu},
    {"units"sv, Unit::kIu},
    {"unit"sv, Unit::kIu},
    {"单位"sv, Unit::kIu},
    {"国际单位"sv, Unit::kIu},
    {"وحده"sv, Unit::kIu},  // وحدة
    {"وحدات"sv, Unit::kIu},
    // counts
    {"tablet"sv, Unit::kTablet},
    {"tablets"sv, Unit::kTablet},
    {"tab"sv, Unit::kTablet},
    {"tabs"sv, Unit::kTablet},
    {"片"sv, Unit::kTablet},
    {"قرص"sv, Unit::kTablet},
    {"اقراص"sv, Unit::kTablet},  // أقراص
    {"حبه"sv, Unit::kTablet},    // حبة
    {"حبات"sv, Unit::kTablet},
    {"حبوب"sv, Unit::kTablet},
    // Chinese prescription shorthand: "1#" is one tablet ("布洛芬 1# tid").
    {"#"sv, Unit::kTablet},
    // Arabizi (Arabic in Latin letters with digits for letters): 7abba, 7abbat "pill(s)".
    {"7abba"sv, Unit::kTablet},
    {"7abbat"sv, Unit::kTablet},
    {"7abbet"sv, Unit::kTablet},
    {"7abaya"sv, Unit::kTablet},
    {"7abbaya"sv, Unit::kTablet},
    {"7abbayat"sv, Unit::kTablet},
    {"2ors"sv, Unit::kTablet},
    {"a2ras"sv, Unit::kTablet},
    {"capsule"sv, Unit::kCapsule},
    {"capsules"sv, Unit::kCapsule},
    {"cap"sv, Unit::kCapsule},
    {"caps"sv, Unit::kCapsule},
    {"粒"sv, Unit::kCapsule},
    {"胶囊"sv, Unit::kCapsule},
    {"كبسوله"sv, Unit::kCapsule},  // كبسولة
    {"كبسولات"sv, Unit::kCapsule},
    {"برشامه"sv, Unit::kCapsule},  // برشامة (Egyptian: a capsule or pill)
    {"برشامات"sv, Unit::kCapsule},
    {"kabsola"sv, Unit::kCapsule},
    {"kabsoula"sv, Unit::kCapsule},
    {"pill"sv, Unit::kPill},
    {"pills"sv, Unit::kPill},
    {"丸"sv, Unit::kPill},
    {"sachet"sv, Unit::kSachet},
    {"sachets"sv, Unit::kSachet},
    {"packet"sv, Unit::kSachet},
    {"packets"sv, Unit::kSachet},
    {"袋"sv, Unit::kSachet},
    {"包"sv, Unit::kSachet},
    {"كيس"sv, Unit::kSachet},
    {"اكياس"sv, Unit::kSachet},  // أكياس
    {"drop"sv, Unit::kDrop},
    {"drops"sv, Unit::kDrop},
    {"滴"sv, Unit::kDrop},
    {"قطره"sv, Unit::kDrop},  // قطرة
    {"قطرات"sv, Unit::kDrop},
    {"puff"sv, Unit::kPuff},
    {"puffs"sv, Unit::kPuff},
    {"喷"sv, Unit::kPuff},
    {"بخه"sv, Unit::kPuff},  // بخة
    {"بخات"sv, Unit::kPuff},
    {"ampoule"sv, Unit::kAmpoule},
    {"ampoules"sv, Unit::kAmpoule},
    {"ampule"sv, Unit::kAmpoule},
    {"ampules"sv, Unit::kAmpoule},
    {"支"sv, Unit::kAmpoule},
    {"امبول"sv, Unit::kAmpoule},  // أمبول
    {"امبولات"sv, Unit::kAmpoule},
    {"patch"sv, Unit::kPatch},
    {"patches"sv, Unit::kPatch},
    {"贴"sv, Unit::kPatch},
    {"لصقه"sv, Unit::kPatch},  // لصقة
    {"لصقات"sv, Unit::kPatch},
    {"suppository"sv, Unit::kSuppository},
    {"suppositories"sv, Unit::kSuppository},
    {"栓"sv, Unit::kSuppository},
    {"تحميله"sv, Unit::kSuppository},  // تحميلة
    {"تحاميل"sv, Unit::kSuppository},
    // Measuring spoons are volumes (the 5 ml spoon of BNF and FDA labels, the 15 ml tablespoon):
    // "2 teaspoons of a 120 mg/5 ml syrup" is 240 mg. A spoon of no stated size counts.
    {"teaspoon"sv, Unit::kTeaspoon},
    {"teaspoons"sv, Unit::kTeaspoon},
    {"teaspoonful"sv, Unit::kTeaspoon},
    {"teaspoonfuls"sv, Unit::kTeaspoon},
    {"tsp"sv, Unit::kTeaspoon},
    {"tsps"sv, Unit::kTeaspoon},
    {"tablespoon"sv, Unit::kTablespoon},
    {"tablespoons"sv, Unit::kTablespoon},
    {"tablespoonful"sv, Unit::kTablespoon},
    {"tablespoonfuls"sv, Unit::kTablespoon},
    {"tbsp"sv, Unit::kTablespoon},
    {"tbsps"sv, Unit::kTablespoon},
    // French labels of North Africa and the Levant, as the normalizer writes them (è and é folded).
    {"cuillere à cafe"sv, Unit::kTeaspoon},
    {"cuilleres à cafe"sv, Unit::kTeaspoon},
    {"cuillere à soupe"sv, Unit::kTablespoon},
    {"cuilleres à soupe"sv, Unit::kTablespoon},
    {"茶匙"sv, Unit::kTeaspoon},
    {"小匙"sv, Unit::kTeaspoon},
    {"汤匙"sv, Unit::kTablespoon},
    {"大匙"sv, Unit::kTablespoon},
    {"ملعقه صغيره"sv, Unit::kTeaspoon},  // ملعقة صغيرة
    {"ملاعق صغيره"sv, Unit::kTeaspoon},
    {"ملعقه شاي"sv, Unit::kTeaspoon},  // ملعقة شاي
    {"ملعقه كبيره"sv, Unit::kTablespoon},
    {"ملاعق كبيره"sv, Unit::kTablespoon},
    {"ملعقه طعام"sv, Unit::kTablespoon},  // ملعقة طعام
    {"勺"sv, Unit::kSpoon},
    {"ملعقه"sv, Unit::kSpoon},  // ملعقة
    {"ملاعق"sv, Unit::kSpoon},
    // Cantonese 一羹 (a spoonful) and 一啖 (a mouthful of a syrup); 匙.
    {"羹"sv, Unit::kSpoon},
    {"啖"sv, Unit::kSpoon},
    {"匙"sv, Unit::kSpoon},
    {"ma3la2a"sv, Unit::kSpoon},
    {"m3la2a"sv, Unit::kSpoon},
};

}  // namespace

std::optional<UnitInfo> LookupUnit(std::string_view normalized_spelling) {
  for (const UnitSpelling& s : kSpellings) {
    if (s.spelling == normalized_spelling) return Info(s.unit);
  }
  return std::nullopt;
}

std::span<const UnitSpelling> AllUnitSpellings() { return kSpellings; }

double ToBase(Unit unit) { return Info(unit).to_base; }

}  // namespace medaudit::text
