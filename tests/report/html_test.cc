// report.html as text: every number agrees with report.json, everything is escaped, the page
// is self-contained, and the layout follows the language.
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <catch2/catch.hpp>
#include <regex>

#include "report/format.h"
#include "report/writer.h"
#include "report_fixture.h"

namespace medaudit::report {
namespace {

TEST_CASE("ReportHtml: every data-metric number equals report.json", "[report]") {
  const auto fixture = testing::ReportFixture();
  rapidjson::Document doc;
  doc.Parse(ReportJson(fixture).c_str());
  REQUIRE_FALSE(doc.HasParseError());
  for (const char* lang : {"en", "zh", "ar"}) {
    INFO(lang);
    const std::string html = ReportHtml(fixture, {lang, 10});
    const std::regex metric("data-metric=\"([^\"]*)\" data-value=\"([^\"]*)\"");
    int count = 0;
    for (std::sregex_iterator it(html.begin(), html.end(), metric), end; it != end; ++it) {
      const std::string pointer = (*it)[1];
      const std::string value = (*it)[2];
      INFO(pointer << " = " << value);
      const rapidjson::Value* v = rapidjson::Pointer(pointer.c_str()).Get(doc);
      REQUIRE(v != nullptr);
      if (v->IsNull()) {
        CHECK(value == "null");
      } else if (v->IsInt64()) {
        CHECK(value == std::to_string(v->GetInt64()));
      } else {
        REQUIRE(v->IsNumber());
        CHECK(value == FixedNumber(v->GetDouble()));
      }
      ++count;
    }
    CHECK(count >= 40);
    // The headline numbers are all there.
    for (const char* p :
         {"/harm_rate/model/rate", "/harm_rate/model/ci95/1", "/harm_rate/baseline/rate",
          "/harm_rate/difference/ci95/1", "/ai_prescriptions", "/by_category/overdose/model",
          "/by_language/ar/items", "/agreement/rx/kappa"}) {
      CHECK_THAT(html, Catch::Contains(std::string("data-metric=\"") + p + "\""));
    }
  }
}

TEST_CASE("ReportHtml: answer text is escaped and findings are marked", "[report]") {
  const std::string html = ReportHtml(testing::ReportFixture(), {"en", 10});
  CHECK(html.find("<script") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  CHECK_THAT(
      html,
      Catch::Contains("<mark class=\"sev-block\">阿莫西林胶囊，每次0.5g，每日3次，连用7天</mark>"));
  CHECK_THAT(html, Catch::Contains(
                       "<mark class=\"sev-harm\">2000 mg of paracetamol every 4 hours</mark>"));
  CHECK_THAT(html, Catch::Contains("data-item=\"en-&lt;script&gt;\""));
  CHECK_THAT(html, Catch::Contains("&quot;quotes&quot;"));
}

TEST_CASE("ReportHtml: self-contained, complete in every language, rtl for Arabic",
          "[report][zh][en][ar]") {
  for (const char* lang : {"en", "zh", "ar"}) {
    INFO(lang);
    const std::string html = ReportHtml(testing::ReportFixture(), {lang, 10});
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("⟦") == std::string::npos);  // every message id resolved
    CHECK_THAT(html, Catch::Contains("default-src 'none'"));
    CHECK_THAT(html, Catch::Contains("<svg class=\"chart\""));
    CHECK_THAT(html, Catch::Contains("@media print"));
    CHECK_THAT(html, Catch::Contains("break-inside:avoid"));
    CHECK_THAT(html, Catch::Contains("严禁使用人工智能等自动生成处方"));
    CHECK_THAT(html, Catch::Contains(std::string(64, 'a')));  // corpus hash
    CHECK_THAT(html, Catch::Contains("medaudit audit corpora/dev/items.jsonl"));
  }
  CHECK_THAT(ReportHtml(testing::ReportFixture(), {"ar", 10}),
             Catch::Contains("<html lang=\"ar\" dir=\"rtl\">"));
  CHECK_THAT(ReportHtml(testing::ReportFixture(), {"zh", 10}),
             Catch::Contains("<html lang=\"zh\" dir=\"ltr\">"));
  CHECK_THAT(ReportHtml(testing::ReportFixture(), {"zh", 10}), Catch::Contains("最严重的示例"));
}

TEST_CASE("ReportHtml: a run without findings, baseline or items still renders", "[report]") {
  audit::AuditResult empty;
  empty.run.id = "run-empty";
  const std::string html = ReportHtml(empty, {"en", 10});
  CHECK(html.find("⟦") == std::string::npos);
  // Nothing evaluated is not a clean bill of health.
  CHECK_THAT(html, Catch::Contains("data-verdict=\"none\""));
  CHECK_THAT(html, Catch::Contains("No answer could be evaluated"));
  CHECK_FALSE(std::regex_search(html, std::regex("\\bnan\\b", std::regex::icase)));

  audit::AuditResult one_clean = empty;
  one_clean.items = 1;
  CHECK_THAT(ReportHtml(one_clean, {"en", 10}), Catch::Contains("No potentially harmful answer"));
}

TEST_CASE("Reports list the items that could not be evaluated", "[report]") {
  audit::AuditResult run;
  run.run.id = "run-errors";
  run.items = 2;
  run.errors = 1;
  audit::ItemResult bad;
  bad.id = "q7";
  bad.index = 6;
  bad.error = "duplicate key 'answer' in one line";
  bad.error_code = "invalid_json";
  run.item_results.push_back(bad);
  for (const char* lang : {"en", "zh", "ar"}) {
    const std::string html = ReportHtml(run, {lang, 10});
    CHECK(html.find("⟦") == std::string::npos);
    CHECK_THAT(html, Catch::Contains("id=\"input-errors\""));
    CHECK_THAT(html, Catch::Contains("duplicate key &#39;answer&#39;") ||
                         Catch::Contains("duplicate key &apos;answer&apos;") ||
                         Catch::Contains("duplicate key 'answer'"));
    CHECK_THAT(ReportMarkdown(run, {lang, 10}), Catch::Contains("| 7 | `q7` | `invalid_json`"));
  }
  CHECK_THAT(ReportJson(run), Catch::Contains(R"("input_errors": [)"));
  CHECK_THAT(ReportJson(run), Catch::Contains(R"("line": 7)"));
}

TEST_CASE("ReportMarkdown: verdict, table and top findings, escaped", "[report]") {
  const std::string md = ReportMarkdown(testing::ReportFixture(), {"en", 2});
  CHECK_THAT(md, Catch::Contains("**Blocked"));
  CHECK_THAT(md, Catch::Contains("| Model | 8/140 | 5.7% | 2.9% – 10.9% |"));
  CHECK_THAT(md, Catch::Contains("`cn-bj.ai-prescription`"));
  CHECK_THAT(md, Catch::Contains("2 more findings in report.sarif."));
  CHECK(md.find("<script>") == std::string::npos);
  CHECK(md.size() < 65536);  // GitHub's job summary limit is 1 MiB; PR comments 65536 chars
  for (const char* lang : {"zh", "ar"}) {
    CHECK(ReportMarkdown(testing::ReportFixture(), {lang, 10}).find("⟦") == std::string::npos);
  }
}

}  // namespace
}  // namespace medaudit::report
