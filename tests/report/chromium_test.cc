// report.html in a real browser: headless Chromium loads each language's report with no console
// message and no network request, dumps the DOM (Arabic is right to left) and takes a
// screenshot into <build>/test-output/chromium/ for people to look at.
// Skips with a warning when /usr/bin/chromium is absent (MEDAUDIT_WITH_BROWSER=1 installs it).
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <regex>

#include "report/writer.h"
#include "report_fixture.h"

namespace medaudit::report {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

struct Captured {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

Captured RunShell(const std::string& cmd, const std::string& err_file) {
  Captured c;
  FILE* pipe = popen((cmd + " 2>'" + err_file + "'").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[8192];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) c.out.append(buffer, n);
  const int status = pclose(pipe);
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  c.err = testing::ReadAll(err_file);
  return c;
}

std::string ChromiumCommand(const std::string& profile, const std::string& extra) {
  // Every background service off; any host name resolves to nothing, so a request that slipped
  // through would fail loudly (and the page's CSP already forbids it).
  return std::string("timeout 180 ") + kChromium +
         " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
         " --disable-background-networking --disable-component-update --disable-sync"
         " --disable-default-apps --disable-extensions --mute-audio"
         " --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir='" +
         profile + "' --enable-logging=stderr --v=0 " + extra;
}

TEST_CASE("ReportHtml: loads in headless Chromium without console errors or network",
          "[report][browser][zh][en][ar]") {
  if (!std::filesystem::exists(kChromium)) {
    WARN(
        "chromium not installed (scripts/install-deps.sh with MEDAUDIT_WITH_BROWSER=1): "
        "browser test skipped");
    return;
  }
  const std::string dir = testing::TestDir("chromium");
  for (const char* lang : {"zh", "en", "ar"}) {
    INFO("lang " << lang);
    const std::string html_path = dir + "/report_" + lang + ".html";
    testing::WriteAll(html_path, ReportHtml(testing::ReportFixture(), {lang, 10}));
    const std::string url = "file://" + html_path;
    const std::string profile = dir + "/profile_" + lang;
    std::filesystem::remove_all(profile);

    const auto dom = RunShell(ChromiumCommand(profile, "--dump-dom '" + url + "'"),
                              dir + "/dump_" + lang + ".log");
    INFO("stderr: " << dom.err.substr(0, 4000));
    REQUIRE(dom.exit_code == 0);
    // The page rendered: the DOM holds the report's sections and numbers.
    CHECK_THAT(dom.out, Catch::Contains("id=\"harm\"") && Catch::Contains("data-metric") &&
                            Catch::Contains("<svg"));
    CHECK_THAT(dom.out, Catch::Contains(std::string("lang=\"") + lang + "\""));
    CHECK_THAT(dom.out, Catch::Contains(std::string("dir=\"") +
                                        (std::string(lang) == "ar" ? "rtl" : "ltr") + "\""));
    // No console message at all (a CSP violation, a script error, a failed load would log one).
    CHECK_FALSE(std::regex_search(dom.err, std::regex(":CONSOLE\\(")));
    CHECK(dom.err.find("net::ERR") == std::string::npos);
    // Nothing in the DOM points at the network.
    CHECK_FALSE(std::regex_search(dom.out, std::regex("(src|href)=\"https?:", std::regex::icase)));

    const std::string png = dir + "/report_" + lang + ".png";
    std::filesystem::remove(png);
    std::filesystem::remove_all(profile);
    const auto shot = RunShell(
        ChromiumCommand(profile, "--hide-scrollbars --window-size=1200,2600 --screenshot='" + png +
                                     "' '" + url + "'"),
        dir + "/screenshot_" + lang + ".log");
    INFO("screenshot stderr: " << shot.err.substr(0, 4000));
    CHECK(shot.exit_code == 0);
    REQUIRE(std::filesystem::exists(png));
    CHECK(std::filesystem::file_size(png) > 20000);
    std::filesystem::remove_all(profile);
  }
}

}  // namespace
}  // namespace medaudit::report
