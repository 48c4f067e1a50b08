#include "report/writer.h"

#include <filesystem>
#include <system_error>

#include "base/file.h"
#include "report/catalog.h"

namespace medaudit::report {

Status WriteReports(const audit::AuditResult& result, const std::string& dir,
                    const ReportOptions& options) {
  if (auto localizer = Localizer::Create(options.lang); !localizer) return localizer.error();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    Error e = MakeError(ErrorCode::kIo, "cannot create directory: " + ec.message());
    e.file = dir;
    return e;
  }
  const std::filesystem::path base(dir);
  const std::pair<const char*, std::string> files[] = {
      {"report.json", ReportJson(result)},          {"report.md", ReportMarkdown(result, options)},
      {"report.sarif", ReportSarif(result)},        {"junit.xml", ReportJunit(result)},
      {"report.html", ReportHtml(result, options)},
  };
  for (const auto& [name, text] : files) {
    if (auto status = WriteFileAtomic((base / name).string(), text); !status) return status;
  }
  return {};
}

}  // namespace medaudit::report
