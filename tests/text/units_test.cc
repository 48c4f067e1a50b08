#include "text/units.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "text/normalize.h"

namespace medaudit::text {
namespace {

TEST_CASE("LookupUnit: mass units and factors", "[text][zh][en][ar]") {
  for (const char* s : {"mg", "milligram", "milligrams", "毫克", "ملغ", "ملغم", "مغ", "مجم", "ملجم",
                        "مليغرام", "ملليغرام", "ميلليجرام", "ميليغرام"}) {
    INFO(s);
    const auto info = LookupUnit(s);
    REQUIRE(info.has_value());
    CHECK(info->unit == Unit::kMg);
    CHECK(info->kind == UnitKind::kMass);
    CHECK(info->to_base == 1.0);
    CHECK(info->canonical == "mg");
  }
  for (const char* s : {"g", "gm", "gram", "grams", "克", "غ", "غرام", "جم", "جرام", "غم"}) {
    INFO(s);
    REQUIRE(LookupUnit(s).has_value());
    CHECK(LookupUnit(s)->unit == Unit::kG);
    CHECK(LookupUnit(s)->to_base == 1000.0);
  }
  for (const char* s :
       {"mcg", "\u03bcg", "ug", "microgram", "micrograms", "微克", "ميكروغرام", "مكغ"}) {
    INFO(s);
    REQUIRE(LookupUnit(s).has_value());
    CHECK(LookupUnit(s)->unit == Unit::kMcg);
    CHECK(LookupUnit(s)->to_base == 0.001);
  }
  REQUIRE(LookupUnit("kg").has_value());
  CHECK(LookupUnit("kg")->to_base == 1e6);
  CHECK(LookupUnit("千克")->unit == Unit::kKg);
}

TEST_CASE("LookupUnit: volume, activity and counts", "[text][zh][en][ar]") {
  struct Case {
    const char* spelling;
    Unit unit;
  };
  for (const Case& c : {
           Case{"ml", Unit::kMl},
           Case{"milliliters", Unit::kMl},
           Case{"millilitre", Unit::kMl},
           Case{"cc", Unit::kMl},
           Case{"毫升", Unit::kMl},
           Case{"مل", Unit::kMl},
           Case{"ملل", Unit::kMl},
           Case{"ميليلتر", Unit::kMl},
           Case{"مليلتر", Unit::kMl},
           Case{"l", Unit::kL},
           Case{"iu", Unit::kIu},
           Case{"units", Unit::kIu},
           Case{"单位", Unit::kIu},
           Case{"国际单位", Unit::kIu},
           Case{"وحده", Unit::kIu},
           Case{"وحدات", Unit::kIu},
           Case{"tablets", Unit::kTablet},
           Case{"tab", Unit::kTablet},
           Case{"片", Unit::kTablet},
           Case{"قرص", Unit::kTablet},
           Case{"اقراص", Unit::kTablet},
           Case{"حبه", Unit::kTablet},
           Case{"حبات", Unit::kTablet},
           Case{"حبوب", Unit::kTablet},
           Case{"capsule", Unit::kCapsule},
           Case{"caps", Unit::kCapsule},
           Case{"粒", Unit::kCapsule},
           Case{"胶囊", Unit::kCapsule},
           Case{"كبسوله", Unit::kCapsule},
           Case{"كبسولات", Unit::kCapsule},
           Case{"pill", Unit::kPill},
           Case{"丸", Unit::kPill},
           Case{"sachet", Unit::kSachet},
           Case{"packets", Unit::kSachet},
           Case{"袋", Unit::kSachet},
           Case{"包", Unit::kSachet},
           Case{"كيس", Unit::kSachet},
           Case{"اكياس", Unit::kSachet},
           Case{"drops", Unit::kDrop},
           Case{"滴", Unit::kDrop},
           Case{"قطره", Unit::kDrop},
           Case{"قطرات", Unit::kDrop},
           Case{"puff", Unit::kPuff},
           Case{"喷", Unit::kPuff},
           Case{"بخه", Unit::kPuff},
           Case{"بخات", Unit::kPuff},
           Case{"ampoule", Unit::kAmpoule},
           Case{"支", Unit::kAmpoule},
           Case{"امبول", Unit::kAmpoule},
           Case{"patches", Unit::kPatch},
           Case{"贴", Unit::kPatch},
           Case{"لصقه", Unit::kPatch},
           Case{"suppository", Unit::kSuppository},
           Case{"栓", Unit::kSuppository},
           Case{"تحميله", Unit::kSuppository},
           Case{"teaspoon", Unit::kTeaspoon},
           Case{"tsp", Unit::kTeaspoon},
           Case{"茶匙", Unit::kTeaspoon},
           Case{"ملعقه صغيره", Unit::kTeaspoon},
           Case{"tablespoon", Unit::kTablespoon},
           Case{"汤匙", Unit::kTablespoon},
           Case{"ملعقه كبيره", Unit::kTablespoon},
           Case{"grains", Unit::kGrain},
           Case{"gr", Unit::kGrain},
           Case{"勺", Unit::kSpoon},
           Case{"ملعقه", Unit::kSpoon},
       }) {
    INFO(c.spelling);
    const auto info = LookupUnit(c.spelling);
    REQUIRE(info.has_value());
    CHECK(info->unit == c.unit);
  }
  CHECK(LookupUnit("ml")->kind == UnitKind::kVolume);
  CHECK(LookupUnit("l")->to_base == 1000.0);
  CHECK(LookupUnit("iu")->kind == UnitKind::kActivity);
  CHECK(LookupUnit("片")->kind == UnitKind::kCount);
  CHECK(LookupUnit("tsp")->canonical == "teaspoon");
  // Measuring spoons are volumes (5 and 15 ml); a spoon of no stated size counts.
  CHECK(LookupUnit("tsp")->kind == UnitKind::kVolume);
  CHECK(LookupUnit("tsp")->to_base == 5.0);
  CHECK(LookupUnit("tbsp")->to_base == 15.0);
  CHECK(LookupUnit("勺")->kind == UnitKind::kCount);
  CHECK(LookupUnit("grain")->to_base == Approx(64.8));
  CHECK(ToBase(Unit::kTablespoon) == 15.0);
  CHECK_FALSE(LookupUnit("MG").has_value());     // spellings are normalized (lower case)
  CHECK_FALSE(LookupUnit("أقراص").has_value());  // ... and folded
  CHECK_FALSE(LookupUnit("").has_value());
  CHECK_FALSE(LookupUnit("hours").has_value());
}

TEST_CASE("AllUnitSpellings are unique and already normalized", "[text][zh][en][ar]") {
  auto normalizer = Normalizer::Create();
  REQUIRE(normalizer.has_value());
  NormalizedText out;
  std::set<std::string_view> seen;
  REQUIRE(AllUnitSpellings().size() > 100);
  for (const UnitSpelling& s : AllUnitSpellings()) {
    INFO(std::string(s.spelling));
    CHECK(seen.insert(s.spelling).second);
    (*normalizer)->Normalize(s.spelling, &out);
    CHECK(out.text == s.spelling);
    REQUIRE(LookupUnit(s.spelling).has_value());
    CHECK(LookupUnit(s.spelling)->unit == s.unit);
  }
  // The unfolded Arabic spellings normalize to the listed ones.
  for (const char* raw : {"أقراص", "حبة", "كبسولة", "قطرة", "بخة", "ملعقة", "وحدة", "أكياس",
                          "أمبول", "لصقة", "تحميلة", "µg", "ＭＧ", "Milligrams"}) {
    INFO(raw);
    (*normalizer)->Normalize(raw, &out);
    CHECK(LookupUnit(out.text).has_value());
  }
}

}  // namespace
}  // namespace medaudit::text
