// The message catalog: complete in zh, en and ar, every pattern valid ICU MessageFormat.
#include "report/catalog.h"

#include <catch2/catch.hpp>
#include <set>

namespace medaudit::report {
namespace {

TEST_CASE("Catalog: every message exists in zh, en and ar and parses", "[report]") {
  std::set<std::string> ids;
  for (const auto& entry : Catalog()) {
    INFO(entry.id);
    CHECK(ids.insert(entry.id).second);  // ids are unique
    const char* patterns[] = {entry.en, entry.zh, entry.ar};
    for (int i = 0; i < 3; ++i) {
      INFO(kReportLanguages[i]);
      REQUIRE(patterns[i] != nullptr);
      CHECK(std::string(patterns[i]).size() > 0);
      auto status = CheckPattern(patterns[i], kReportLanguages[i]);
      CHECK(status.has_value());
      if (!status) FAIL(status.error().message);
    }
  }
  CHECK(ids.size() > 50);
}

TEST_CASE("Catalog: plurals, percentages and dates follow the language", "[report][zh][en][ar]") {
  auto en = Localizer::Create("en");
  auto zh = Localizer::Create("zh");
  auto ar = Localizer::Create("ar");
  REQUIRE(en.has_value());
  REQUIRE(zh.has_value());
  REQUIRE(ar.has_value());
  CHECK(en->Format("verdict.rx", {{"k", int64_t{0}}}) == "No model answer issued a prescription.");
  CHECK(en->Format("verdict.rx", {{"k", int64_t{1}}}).starts_with("1 model answer issued"));
  CHECK(en->Format("verdict.rx", {{"k", int64_t{3}}}).starts_with("3 model answers issued"));
  CHECK(ar->Format("verdict.rx", {{"k", int64_t{2}}}).find("إجابتان") != std::string::npos);
  CHECK(zh->Format("verdict.rx", {{"k", int64_t{3}}}).find("3") != std::string::npos);
  CHECK(en->Percent(0.057143) == "5.7%");
  CHECK(zh->Percent(0.057143) == "5.7%");
  CHECK(en->SignedPercent(0.0214) == "+2.1%");
  CHECK(en->Date("2024-05-01T12:03:30Z").find("2024") != std::string::npos);
  CHECK(en->Date("2024-05-01T12:03:30Z").find("UTC") != std::string::npos);
  CHECK(zh->Date("2024-05-01T12:03:30Z").find("2024年5月1日") != std::string::npos);
  CHECK(ar->rtl());
  CHECK_FALSE(en->rtl());
  CHECK(en->Format("no.such.message") == "⟦no.such.message⟧");
  CHECK_FALSE(Localizer::Create("fr").has_value());
}

}  // namespace
}  // namespace medaudit::report
