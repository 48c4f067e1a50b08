#include "audit/stats.h"

#include <limits>

#include "audit/metrics.h"

namespace medaudit::audit::stats {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

Bounds Wilson95(int64_t k, int64_t n) {
  const Interval i = WilsonInterval(k, n);
  return {i.lo, i.hi};
}

Bounds Newcombe95(int64_t k1, int64_t n1, int64_t k2, int64_t n2) {
  const Interval i = NewcombeHybridInterval(k1, n1, k2, n2);
  return {i.lo, i.hi};
}

Paired PairedTango(int64_t b, int64_t c, int64_t n) {
  const McNemarResult m = McNemarTest(b, c, n);
  Paired out;
  if (!m.valid) return out;
  out.estimate = m.estimate;
  out.ci95 = {m.tango_ci95.lo, m.tango_ci95.hi};
  out.mcnemar_p = m.p_value;
  return out;
}

AgreementFigures Agreement(int64_t tp, int64_t fp, int64_t fn, int64_t tn) {
  const AgreementStats s = ComputeAgreement(Confusion{tp, fp, fn, tn});
  return {s.precision_defined ? s.precision : kNaN, s.recall_defined ? s.recall : kNaN,
          s.kappa_defined ? s.kappa : kNaN, s.valid ? s.raw_agreement : kNaN};
}

}  // namespace medaudit::audit::stats
