// Temporary: replaced by the report module's real implementation.
#include "report/writer.h"

namespace medaudit::report {

Status WriteReports(const audit::AuditResult&, const std::string&, const ReportOptions&) {
  return MakeError(ErrorCode::kInternal, "reports are not implemented yet");
}

std::string ReportJson(const audit::AuditResult&) { return "{}"; }

}  // namespace medaudit::report
