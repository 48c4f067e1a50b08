// junit.xml and the gate's JUnit output: valid against the JUnit XSD (xmllint --schema).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "audit/gate.h"
#include "report/format.h"
#include "report/gate_report.h"
#include "report/writer.h"
#include "report_fixture.h"

namespace medaudit::report {
namespace {

constexpr const char* kXmllint = "/usr/bin/xmllint";

// Validates `xml` with xmllint; skips (with a warning) when xmllint is not installed.
void CheckAgainstXsd(const std::string& xml, const std::string& name) {
  const std::string path = testing::TestDir("junit") + "/" + name;
  testing::WriteAll(path, xml);
  if (!std::filesystem::exists(kXmllint)) {
    WARN("xmllint not installed (Debian package libxml2-utils): JUnit schema check skipped");
    return;
  }
  const std::string cmd = std::string(kXmllint) + " --noout --schema '" +
                          testing::SchemaPath("JUnit.xsd") + "' '" + path + "' 2>&1";
  INFO(cmd);
  CHECK(std::system(cmd.c_str()) == 0);
}

TEST_CASE("ReportJunit: valid JUnit XML, failures for block/harm findings", "[report]") {
  const auto fixture = testing::ReportFixture();
  const std::string xml = ReportJunit(fixture);
  CheckAgainstXsd(xml, "junit.xml");
  CHECK(xml.find("tests=\"4\"") != std::string::npos);  // 3 items + 1 summary of 137 others
  CHECK(xml.find("failures=\"3\"") != std::string::npos);
  CHECK(xml.find("<failure type=\"cn-bj.ai-prescription\"") != std::string::npos);
  // Escaped, never raw markup from an answer.
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("en-&lt;script&gt;") != std::string::npos);
}

TEST_CASE("ReportJunit: an item that could not be evaluated is an <error>", "[report]") {
  auto fixture = testing::ReportFixture();
  audit::ItemResult bad;
  bad.id = "bad\x01id";
  bad.error = "line is not valid UTF-8";
  bad.error_code = "invalid_utf8";
  fixture.item_results.push_back(bad);
  fixture.items_not_kept = 0;
  const std::string xml = ReportJunit(fixture);
  CheckAgainstXsd(xml, "junit_error.xml");
  CHECK(xml.find("<error type=\"invalid_utf8\"") != std::string::npos);
  CHECK(xml.find("errors=\"1\"") != std::string::npos);
}

TEST_CASE("GateJunit: valid JUnit XML, one testcase per check", "[report][gate]") {
  const auto fixture = testing::ReportFixture();
  audit::GatePolicy policy;
  policy.max_harm_rate = 0.2;
  policy.max_by_category = {{"overdose", 0}};
  auto gate = audit::EvaluateGate(policy, fixture);
  REQUIRE(gate.has_value());
  const std::string xml = GateJunit(*gate, {"policy.json", &fixture, nullptr});
  CheckAgainstXsd(xml, "gate_junit.xml");
  CHECK(xml.find("tests=\"3\"") != std::string::npos);
  CHECK(xml.find("failures=\"2\"") != std::string::npos);
}

}  // namespace
}  // namespace medaudit::report

TEST_CASE("Markup escaping: HTML and XML spell the apostrophe their own way", "[report]") {
  using medaudit::report::HtmlEscape;
  using medaudit::report::XmlEscape;
  CHECK(HtmlEscape("a<b & 'c' \"d\">") == "a&lt;b &amp; &#39;c&#39; &quot;d&quot;&gt;");
  CHECK(XmlEscape("a<b & 'c' \"d\">") == "a&lt;b &amp; &apos;c&apos; &quot;d&quot;&gt;");
  // XML 1.0 forbids most control characters and U+FFFE / U+FFFF: they are dropped.
  CHECK(XmlEscape("x\x01y\tz\xEF\xBF\xBEw") == "xy\tzw");
  CHECK(HtmlEscape("药 ملغ") == "药 ملغ");
}
