// The few statistics the audit aggregation and the gate need, with plain types: a narrow facade
// over metrics.h so that callers do not depend on its full surface.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace medaudit::audit::stats {

using Bounds = std::pair<double, double>;  // [lo, hi]

Bounds Wilson95(int64_t k, int64_t n);
Bounds Newcombe95(int64_t k1, int64_t n1, int64_t k2, int64_t n2);

struct Paired {
  double estimate = 0;  // (b - c) / n
  Bounds ci95{-1, 1};   // Tango score interval
  double mcnemar_p = 1;
};
Paired PairedTango(int64_t b, int64_t c, int64_t n);

struct AgreementFigures {
  double precision, recall, kappa, raw_agreement;  // NaN when undefined
};
AgreementFigures Agreement(int64_t tp, int64_t fp, int64_t fn, int64_t tn);

}  // namespace medaudit::audit::stats
